// R9 on the stdio engine with real commands: the bench's pause and resume commands are a small node
// script written here that notes each call (and whether the drive was still blank when the pause
// ran) in a file. A done sync pauses before the drive is erased and resumes before it says done,
// even when the resume fails; a failed sync resumes too; a technician's "do not pause" runs neither;
// a pause that fails stops the sync with LOCAL_BACKUPS_PAUSE_FAILED and erases nothing. A sync
// whose engine is killed -9 is resumed once by the next engine, not again by a later one;
// jobs.resume pauses again, and cancelling it resumes.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { startStdioEngine, type StdioEngine } from '../../helpers/stdio-engine.ts';
import { blankDrives, cli, createTicket, releaseGuards } from '../../helpers/units.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { jobDir } from '../../../electron/jobs/journal.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-localbackups-home-'));
process.env.ROUNDTRIP_HOME = home;

const TICKETS = ['1700091', '1700092'];

// Arguments: what (pause|resume), the notes file, a device to look at or "-", the exit code.
const RECORDER = `
import { appendFileSync, closeSync, openSync, readSync } from 'node:fs';
const [what, notes, device, code] = process.argv.slice(2);
let blank = null;
if (device !== '-') {
  const buf = Buffer.alloc(4 << 20);
  const fd = openSync(device, 'r');
  readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  blank = buf.every((b) => b === 0);
}
appendFileSync(notes, JSON.stringify({ what, blank, engine: process.ppid }) + '\\n');
process.exit(Number(code));
`;

interface Note {
  what: 'pause' | 'resume';
  blank: boolean | null;
  engine: number;
}

/** The first 4 MiB of a drive are zeros: nothing has written a label, partition table or pool there. */
function blank(device: string): boolean {
  const buf = Buffer.alloc(4 << 20);
  const fd = openSync(device, 'r');
  try {
    readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  return buf.every((b) => b === 0);
}

const isEnd = (jobId: string) => (m: any) => m.event === 'job.state' && m.data.jobId === jobId && ['done', 'failed', 'cancelled'].includes(m.data.state);

describe('local backups pause during a sync (R9, zfs-fuse, loop-device units, kill -9)', () => {
  let lab: LabState;
  let s: Scratch;
  let recorder: string;
  const sites = () => ({ source: lab.appliancePool, offsite: lab.offsitePool });
  const notesOf = (file: string): Note[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Note) : []);
  const command = (what: 'pause' | 'resume', notes: string, device = '-', code = 0) => [process.execPath, recorder, what, notes, device, String(code)];
  const configure = async (e: StdioEngine, localBackups: unknown) => {
    const r = await e.request('tickets.settings', { patch: { localBackups } });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    return r.result;
  };
  const lines = (job: { log: Array<{ line: string }> }) => job.log.map((l) => l.line);

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('localbackups');
    recorder = join(s.dir, 'recorder.mjs');
    writeFileSync(recorder, RECORDER);
  }, 300_000);
  afterAll(async () => {
    for (const t of TICKETS) await releaseGuards(lab, t);
    const pools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'], { reject: false })).stdout.split('\n');
    for (const p of pools.filter((p) => TICKETS.some((t) => p.startsWith(`rt_${t}_`)))) await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
    await s?.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 300_000);

  it('pauses before the drive is erased and resumes after the end (done, failed); "do not pause" runs neither; a failing pause erases nothing', async () => {
    createTicket(lab, '1700091', { systems: [{ name: 'NAS-SHARE01', points: { kind: 'latest' } }] });
    const [drive, untouched] = await blankDrives(s, 2);
    const notes = join(s.dir, 'notes-1.jsonl');
    const e = startStdioEngine(home);
    try {
      // None configured: the plan says so.
      const none = await e.request('plan.forTicket', { ticketId: '1700091', sites: sites(), estimate: true });
      expect(none.ok, JSON.stringify(none.error)).toBe(true);
      expect(none.result.localBackups).toEqual({ configured: false, pause: false, sentence: 'No pause command is configured on this bench: the appliance keeps taking local backups during the sync.' });

      // A resume that fails (exit 3) must not turn the good sync into a failure.
      const set = await configure(e, { pause: command('pause', notes, drive), resume: command('resume', notes, '-', 3) });
      expect(set.localBackups.pause[0]).toBe(process.execPath);
      const plan = await cli(home, ['plan', '--ticket', '1700091', '--source', lab.appliancePool, '--offsite', lab.offsitePool, '--estimate']);
      expect(plan.exitCode, plan.stderr).toBe(0);
      expect(plan.stdout).toContain(`Local backups will pause during the sync and resume after it (pause: ${process.execPath} ${recorder} pause`);
      const declined = await e.request('plan.forTicket', { ticketId: '1700091', sites: sites(), estimate: true, pauseLocalBackups: false });
      expect(declined.result.localBackups).toMatchObject({ configured: true, pause: false, sentence: 'Local backups keep running during the sync: the technician chose not to pause them.' });

      const started = await e.request('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: '1700091', drives: [drive], sites: sites() } });
      expect(started.ok, JSON.stringify(started.error)).toBe(true);
      const end = await e.next(isEnd(started.result.id), 600_000);
      // Read as the job says it ended: the resume has run by then.
      const atEnd = notesOf(notes);
      expect(end.data.state, JSON.stringify(end.data.error)).toBe('done');
      expect(atEnd.map((n) => n.what)).toEqual(['pause', 'resume']);
      expect(atEnd[0]!.blank).toBe(true);
      expect(blank(drive)).toBe(false);
      const done = end.data.job;
      expect(done.localBackups).toMatchObject({ chosen: true, state: 'resume-failed' });
      expect(done.localBackups.sentence).toMatch(/^WARNING: the resume command failed \(.*exited with code 3\)\. The appliance's local backups may still be paused/);
      const log = lines(done);
      const paused = log.findIndex((l) => l.startsWith("The appliance's local backups are paused"));
      const firstStep = log.findIndex((l, i) => i > paused && !/local backups/i.test(l));
      const warned = log.findIndex((l) => l.startsWith('WARNING: the resume command failed'));
      expect(paused).toBeGreaterThanOrEqual(0);
      expect(firstStep).toBeGreaterThan(paused);
      expect(warned).toBeGreaterThan(firstStep);
      // The record on disk says the same (what jobs.get shows after a reload).
      expect((await e.request('jobs.get', { jobId: done.id })).result.localBackups.state).toBe('resume-failed');

      // A sync that fails after the pause resumes them as well …
      await configure(e, { pause: command('pause', notes), resume: command('resume', notes) });
      const missing = { source: `${lab.appliancePool}/no-such-root`, offsite: lab.offsitePool };
      const failing = await e.request('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: '1700091', drives: [drive], sites: missing } });
      const failed = await e.next(isEnd(failing.result.id), 300_000);
      expect(failed.data.state).toBe('failed');
      expect(failed.data.error.code).not.toBe('LOCAL_BACKUPS_PAUSE_FAILED');
      expect(notesOf(notes).slice(2).map((n) => n.what)).toEqual(['pause', 'resume']);
      expect(failed.data.job.localBackups).toMatchObject({ chosen: true, state: 'resumed' });

      // … and the technician's "do not pause" runs neither command, and says so.
      const unpaused = await e.request('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: '1700091', drives: [drive], sites: missing, pauseLocalBackups: false } });
      const unpausedEnd = await e.next(isEnd(unpaused.result.id), 300_000);
      expect(unpausedEnd.data.state).toBe('failed');
      expect(notesOf(notes)).toHaveLength(4);
      expect(unpausedEnd.data.job.localBackups).toMatchObject({ chosen: false, state: 'not-chosen' });
      expect(lines(unpausedEnd.data.job)).toContain('Local backups keep running during the sync: the technician chose not to pause them.');

      // A pause that fails stops the sync before anything is erased.
      await configure(e, { pause: ['/bin/false'], resume: command('resume', notes) });
      const refused = await e.request('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: '1700091', drives: [untouched], sites: sites() } });
      const refusedEnd = await e.next(isEnd(refused.result.id), 300_000);
      expect(refusedEnd.data.state).toBe('failed');
      expect(refusedEnd.data.error.code).toBe('LOCAL_BACKUPS_PAUSE_FAILED');
      expect(refusedEnd.data.error.message).toBe(
        "The pause command failed (it exited with code 1), so the sync did not start and nothing was erased. Check the pause command in the bench's settings, or start the sync without pausing local backups.",
      );
      expect(refusedEnd.data.job.localBackups).toMatchObject({ chosen: true, state: 'pause-failed' });
      expect(blank(untouched)).toBe(true);
      // The resume ran all the same: a pause that failed half-way may have paused some backups.
      expect(notesOf(notes).slice(4).map((n) => n.what)).toEqual(['resume']);
    } finally {
      e.child.stdin!.end();
      await e.child;
    }
  }, 900_000);

  it('kill -9 mid-sync: the next engine resumes them once, a later one does not again; jobs.resume pauses again and a cancel resumes', async () => {
    createTicket(lab, '1700092', { systems: [{ name: 'LNX-WEB01', points: { kind: 'newer-than-lock' } }] });
    const [drive] = await blankDrives(s, 1);
    const notes = join(s.dir, 'notes-2.jsonl');
    const journal = join(jobDir('sync-1700092'), 'journal.jsonl');
    const points = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')).length : 0);
    const waitFor = async (what: () => boolean, ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until && !what()) await new Promise((r) => setTimeout(r, 100));
      return what();
    };

    const first = startStdioEngine(home);
    await configure(first, { pause: command('pause', notes, drive), resume: command('resume', notes) });
    const started = await first.request('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: '1700092', drives: [drive], sites: sites() } });
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const jobId = started.result.id as string;
    // Up to 4 minutes: on a busy machine the first points can take long.
    expect(await waitFor(() => points() >= 1, 240_000)).toBe(true);
    first.child.kill('SIGKILL');
    await first.child;
    expect(notesOf(notes)).toEqual([{ what: 'pause', blank: true, engine: first.child.pid }]);

    const second = startStdioEngine(home);
    expect(await waitFor(() => notesOf(notes).length >= 2, 60_000)).toBe(true);
    expect(notesOf(notes)[1]).toEqual({ what: 'resume', blank: null, engine: second.child.pid });
    // The record is written once the resume command has returned.
    let listed = (await second.request('jobs.get', { jobId })).result;
    for (const until = Date.now() + 60_000; listed.localBackups?.state === 'paused' && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 200));
      listed = (await second.request('jobs.get', { jobId })).result;
    }
    expect(listed).toMatchObject({ state: 'interrupted', localBackups: { chosen: true, state: 'resumed' } });
    expect(lines(listed).at(-1)).toMatch(/^The engine running this sync stopped while the appliance's local backups were paused; the next engine ran the resume\./);
    second.child.stdin!.end();
    await second.child;

    // A later engine finds nothing left to resume; taking the job up again pauses them again.
    const third = startStdioEngine(home);
    try {
      const resumed = await third.request('jobs.resume', { jobId });
      expect(resumed.ok, JSON.stringify(resumed.error)).toBe(true);
      const pausedAgain = await third.next((m) => m.event === 'job.log' && m.data.jobId === jobId && m.data.line.startsWith("The appliance's local backups are paused"), 120_000);
      expect(pausedAgain).toBeTruthy();
      expect(notesOf(notes).map((n) => [n.what, n.engine])).toEqual([
        ['pause', first.child.pid],
        ['resume', second.child.pid],
        ['pause', third.child.pid],
      ]);
      // The resumed run is under way (its next step logged), then cancelled: the resume runs.
      await third.next((m) => m.event === 'job.log' && m.data.jobId === jobId && !/local backups|^Resumed after/i.test(m.data.line), 240_000);
      const cancelled = await third.request('jobs.cancel', { jobId });
      expect(cancelled.ok, JSON.stringify(cancelled.error)).toBe(true);
      const end = await third.next(isEnd(jobId), 300_000);
      const atEnd = notesOf(notes);
      expect(end.data.state, JSON.stringify(end.data.error)).toBe('cancelled');
      expect(atEnd.map((n) => [n.what, n.engine])).toEqual([
        ['pause', first.child.pid],
        ['resume', second.child.pid],
        ['pause', third.child.pid],
        ['resume', third.child.pid],
      ]);
      expect(end.data.job.localBackups).toMatchObject({ chosen: true, state: 'resumed' });
    } finally {
      third.child.stdin!.end();
      await third.child;
    }
  }, 900_000);
});
