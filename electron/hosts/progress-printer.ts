// Progress on a terminal: one line per snapshot on stderr, at most twice a second. (Ctrl+C cancels
// the job through the engine: hosts/engine-client.ts.)
import type { ProgressSnapshot } from '../jobs/progress.ts';

function mb(n: number): string {
  return (n / 1e6).toFixed(1);
}

export function progressPrinter(enabled: boolean): (p: ProgressSnapshot) => void {
  let last = 0;
  return (p) => {
    if (!enabled || Date.now() - last < 500) return;
    last = Date.now();
    const eta = p.etaSeconds === null ? '?' : `${Math.round(p.etaSeconds)}s`;
    process.stderr.write(`${p.step}${p.item ? ` ${p.item}` : ''}: ${mb(p.bytesDone)}/${mb(p.bytesTotal)} MB ${p.percent.toFixed(0)}% ${mb(p.rate)} MB/s ETA ${eta}\n`);
  };
}
