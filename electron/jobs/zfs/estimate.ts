// Stream sizes for a sync's progress and space check: exact where the probe offers `send -nvP`,
// otherwise a quick estimate from the points' properties (full = referenced; increment = used).
// The plan measures exact sizes itself (chain sizing); this is only for the bar and the ETA.
import { listSnapshots, probeZfs, streamSize } from '../../system/zfs/index.ts';
import type { ZfsSyncSystem } from './sync.ts';

export async function estimateSystemBytes(s: ZfsSyncSystem): Promise<number> {
  const seq = s.base ? [s.base, ...s.points] : s.points;
  if (seq.length === 0) return 0;
  const caps = await probeZfs();
  if (caps.sendDryRunSize) {
    let total = await streamSize(`${s.sourceDataset}@${seq[0]}`);
    if (seq.length > 1) total += await streamSize(`${s.sourceDataset}@${seq.at(-1)}`, { from: seq[0], intermediate: true });
    return total;
  }
  const snaps = new Map((await listSnapshots(s.sourceDataset)).map((x) => [x.snap, x]));
  let total = snaps.get(seq[0])?.referencedBytes ?? 0;
  for (const p of seq.slice(1)) total += Math.max(snaps.get(p)?.usedBytes ?? 0, 64 * 1024);
  return total;
}
