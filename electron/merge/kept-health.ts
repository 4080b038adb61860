// Kept-unit checks 4 and 5: the unit's health. The pool: `zpool status` and a full scrub (every block
// read and checked against its checksum). The drives: SMART through smartctl where the drive answers;
// many USB bridges and every loop device do not, which is reported as not available, not as a failure.
import { AppError, toAppError } from '../api/errors.ts';
import { run } from '../system/run.ts';
import { poolStatusText, scrubPool } from '../system/zfs/index.ts';
import type { KeptCheck } from './kept-types.ts';

const STATUS_LINE = /^\s*(state|scrub|scan|errors):\s*(.*)$/;

function statusFacts(text: string): { state: string; scrub: string; errors: string; damaged: string[]; counters: string[] } {
  const facts: Record<string, string> = {};
  const lines = text.split('\n');
  for (const l of lines) {
    const m = STATUS_LINE.exec(l);
    if (m) facts[m[1] === 'scan' ? 'scrub' : m[1]] ??= m[2].trim();
  }
  // `zpool status -v` lists the files (or objects) with permanent errors under the "errors:" line.
  const at = lines.findIndex((l) => /^\s*errors:/.test(l));
  const damaged = at < 0 ? [] : lines.slice(at + 1).map((l) => l.trim()).filter(Boolean);
  const counters = text.split('\n').filter((l) => /^\s+\S+\s+(ONLINE|DEGRADED|FAULTED|OFFLINE|UNAVAIL|REMOVED)\s+\d+\s+\d+\s+\d+/.test(l)).map((l) => l.trim().replace(/\s+/g, ' '));
  return { state: facts.state ?? 'unknown', scrub: facts.scrub ?? '', errors: facts.errors ?? '', damaged, counters };
}

export async function checkPoolHealth(pool: string, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<KeptCheck> {
  const check: KeptCheck = { id: 'pool-health', title: 'Unit health: ZFS pool status and scrub', status: 'passed', summary: '', evidence: [] };
  try {
    await scrubPool(pool);
    const until = Date.now() + (opts.timeoutMs ?? 6 * 3600_000);
    let text = await poolStatusText(pool);
    while (/in progress/i.test(statusFacts(text).scrub)) {
      if (opts.signal?.aborted) throw new AppError('CANCELLED', 'The scrub was cancelled.');
      if (Date.now() > until) throw new AppError('TOOL_FAILED', `The scrub of ${pool} did not finish in time.`);
      await new Promise((r) => setTimeout(r, 1000));
      text = await poolStatusText(pool);
    }
    const f = statusFacts(text);
    check.evidence.push(
      `zpool status ${pool}: state ${f.state}`,
      `scrub: ${f.scrub}`,
      `errors: ${f.errors}`,
      ...f.damaged.map((d) => `damaged: ${d}`),
      ...f.counters.map((c) => `device (name state read write cksum): ${c}`),
    );
    const scrubClean = /with 0 errors/i.test(f.scrub) || /repaired 0/i.test(f.scrub);
    const noErrors = /no known data errors/i.test(f.errors);
    const countersClean = f.counters.every((c) => / 0 0 0$/.test(c));
    if (f.state === 'ONLINE' && scrubClean && noErrors && countersClean) {
      check.summary = `Pool ${pool} is ONLINE; a full scrub read every block with 0 errors.`;
    } else {
      check.status = 'failed';
      const found = /with (\d+) errors/i.exec(f.scrub)?.[1];
      check.summary =
        `Pool ${pool} is ${f.state}; ` +
        (found ? `the scrub found ${found} error(s)` : `the scrub says: ${f.scrub || 'nothing'}`) +
        (f.damaged.length ? `; data damaged in ${f.damaged.slice(0, 3).join(', ')}${f.damaged.length > 3 ? ', …' : ''}` : noErrors ? '' : `; ${f.errors}`) +
        '.';
    }
  } catch (e) {
    check.status = 'failed';
    check.summary = `The pool's health could not be read: ${toAppError(e).message}`;
  }
  return check;
}

interface SmartJson {
  smartctl?: { messages?: Array<{ string: string; severity: string }>; exit_status?: number };
  model_name?: string;
  serial_number?: string;
  smart_status?: { passed?: boolean };
  power_on_time?: { hours?: number };
  temperature?: { current?: number };
}

export async function checkSmart(disks: string[]): Promise<KeptCheck> {
  const check: KeptCheck = { id: 'smart', title: 'Unit health: SMART of each drive', status: 'passed', summary: '', evidence: [] };
  let answered = 0;
  let failed = 0;
  for (const d of disks) {
    // smartctl's exit status is a bit mask of findings; the JSON says what they are.
    const r = await run('smartctl', ['-j', '-H', '-i', '-A', d], { op: `read SMART of ${d}`, okCodes: Array.from({ length: 255 }, (_, i) => i + 1) });
    let j: SmartJson = {};
    try {
      j = JSON.parse(r.stdout) as SmartJson;
    } catch {
      /* no JSON: treated as not answering */
    }
    const passed = j.smart_status?.passed;
    if (passed === undefined) {
      const why = j.smartctl?.messages?.map((m) => m.string).join('; ') || `smartctl exit ${r.exitCode}`;
      check.evidence.push(`${d}: does not answer SMART (${why})`);
      continue;
    }
    answered++;
    if (!passed) failed++;
    check.evidence.push(
      `${d}: ${j.model_name ?? 'model ?'} serial ${j.serial_number ?? '?'}: SMART overall health ${passed ? 'PASSED' : 'FAILED'}` +
        `${j.power_on_time?.hours !== undefined ? `, ${j.power_on_time.hours} h powered on` : ''}${j.temperature?.current !== undefined ? `, ${j.temperature.current} °C` : ''}`,
    );
  }
  if (failed) {
    check.status = 'failed';
    check.summary = `${failed} of ${disks.length} drive(s) report a failing SMART health.`;
  } else if (answered === 0) {
    check.status = 'not-available';
    check.summary = `None of the unit's ${disks.length} drive(s) answers SMART (USB bridges without SAT pass-through and loop devices do not); the pool scrub above is the health evidence.`;
  } else {
    check.summary = `${answered} of ${disks.length} drive(s) answer SMART and report PASSED${answered < disks.length ? '; the others do not answer SMART' : ''}.`;
  }
  return check;
}
