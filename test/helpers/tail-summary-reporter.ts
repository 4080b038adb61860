// A few lines printed after everything else: which files and tests failed and with what, the
// unhandled errors, and what the zfs watchdog did. CI's log is often read only from its end (a
// failed run's last screen), where vitest's own report shows the last failure's stack and the
// counts, not which files failed nor whether zfs-fuse had to be restarted.
import type { Reporter, SerializedError, TestModule } from 'vitest/node';
import { runEvents } from './run-events.ts';

/** At most this many lines of failures, each cut to a line of this many characters. */
const MAX_LINES = 25;
const LINE_CHARS = 220;

const firstLine = (text: string | undefined) => (text ?? '').split('\n').find((l) => l.trim()) ?? '';
const cut = (s: string) => (s.length > LINE_CHARS ? `${s.slice(0, LINE_CHARS - 1)}…` : s);
const errorText = (e: SerializedError | undefined) => firstLine(e?.message ?? String(e?.name ?? 'error'));

/** One line per failed test, hook or module (its own errors: a beforeAll that threw, an import). */
export function failureLines(modules: ReadonlyArray<TestModule>): string[] {
  const lines: string[] = [];
  for (const m of modules) {
    for (const e of m.errors()) lines.push(`${m.relativeModuleId}: ${errorText(e)}`);
    for (const s of m.children.allSuites()) {
      for (const e of s.errors()) lines.push(`${m.relativeModuleId} > ${s.fullName}: ${errorText(e)}`);
    }
    for (const t of m.children.allTests('failed')) {
      lines.push(`${m.relativeModuleId} > ${t.fullName}: ${errorText(t.result().errors?.[0])}`);
    }
  }
  return lines;
}

export default class TailSummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const failures = failureLines(modules);
    const events = runEvents();
    const skipped = modules.reduce((n, m) => n + [...m.children.allTests('skipped')].length, 0);
    const out = ['', '── run summary, read from the end ──'];
    const failedFiles = modules.filter((m) => m.state() === 'failed').map((m) => m.relativeModuleId);
    out.push(failedFiles.length ? `files failed (${failedFiles.length}): ${failedFiles.join(', ')}` : 'files failed: none');
    for (const l of failures.slice(0, MAX_LINES)) out.push(`  ${cut(l)}`);
    if (failures.length > MAX_LINES) out.push(`  … and ${failures.length - MAX_LINES} more`);
    if (skipped) out.push(`tests skipped: ${skipped}`);
    out.push(`unhandled errors: ${unhandled.length}`);
    for (const e of unhandled.slice(0, 5)) out.push(`  ${cut(errorText(e))}`);
    out.push(events.length ? 'run events:' : 'run events: none (zfs-fuse never had to be restarted)');
    for (const e of events) out.push(`  ${cut(e)}`);
    console.log(out.join('\n'));
  }
}
