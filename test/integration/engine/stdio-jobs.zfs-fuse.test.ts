// The stdio engine running real jobs on the shared lab: killed with -9 mid-sync, the next engine
// lists the job as interrupted and jobs.resume finishes it, and the unit verifies; passphrases sent
// in requests appear in no event, log line, journal, job record or database row.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { startStdioEngine } from '../../helpers/stdio-engine.ts';
import { blankDrives, createTicket, labFingerprint, releaseGuards } from '../../helpers/units.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';
import { fileTicket } from '../files/helpers.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { labAgentPassphrase } from '../../../electron/lab/passphrase.ts';
import { jobDir } from '../../../electron/jobs/journal.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-stdiojobs-home-'));
process.env.ROUNDTRIP_HOME = home;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    const st = statSync(p);
    return st.isDirectory() ? filesUnder(p) : st.isFile() ? [p] : [];
  });
}

describe('the stdio engine running jobs (zfs-fuse, loop-device units, kill -9)', () => {
  let lab: LabState;
  let s: Scratch;
  const sites = () => ({ source: lab.appliancePool, offsite: lab.offsitePool });

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('stdiojobs');
  }, 300_000);
  afterAll(async () => {
    await releaseGuards(lab, '1700003');
    await releaseGuards(lab, '1700004');
    const pools = (await zfsCmd('zpool', ['list', '-H', '-o', 'name'], { reject: false })).stdout.split('\n');
    for (const p of pools.filter((p) => /^rt_1700003_/.test(p))) await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
    await s?.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 300_000);

  it('kill -9 mid-sync: the next engine lists the job as interrupted, jobs.resume finishes it, the unit verifies, the source is unchanged', async () => {
    const before = await labFingerprint(lab);
    createTicket(lab, '1700003', { systems: [{ name: 'LNX-WEB01', points: { kind: 'newer-than-lock' } }, { name: 'WIN-FS01', points: { kind: 'newer-than-lock' } }] });
    const [drive] = await blankDrives(s, 1);
    const journal = join(jobDir('sync-1700003'), 'journal.jsonl');
    const points = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')).length : 0);

    const first = startStdioEngine(home);
    const started = await first.request('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: '1700003', drives: [drive], sites: sites() } });
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const jobId = started.result.id as string;
    // Up to 4 minutes: on a busy machine the first points can take long.
    const until = Date.now() + 240_000;
    while (Date.now() < until && points() < 3) await new Promise((r) => setTimeout(r, 100));
    expect(points()).toBeGreaterThanOrEqual(3);
    first.child.kill('SIGKILL');
    await first.child;

    const second = startStdioEngine(home);
    const listed = await second.request('jobs.list', {});
    const job = listed.result.find((j: { id: string }) => j.id === jobId);
    expect(job).toMatchObject({ state: 'interrupted', kind: 'sync', resumable: true });
    const resumed = await second.request('jobs.resume', { jobId });
    expect(resumed.ok, JSON.stringify(resumed.error)).toBe(true);
    expect(resumed.result).toMatchObject({ id: jobId, state: 'running' });
    const end = await second.next((m) => m.event === 'job.state' && m.data.jobId === jobId && ['done', 'failed', 'cancelled'].includes(m.data.state), 480_000);
    expect(end.data.state, JSON.stringify(end.data.error)).toBe('done');
    const r = end.data.job.result;
    expect(r.resumed).toBe(true);
    expect(r.pointsSkipped).toBeGreaterThanOrEqual(3);
    // Nothing proven was sent twice.
    const keys = readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')).map((l) => { const x = JSON.parse(l); return `${x.system}@${x.point}`; });
    expect(new Set(keys).size).toBe(keys.length);

    const v = await second.request('jobs.start', { kind: 'verify', params: { device: drive } });
    expect(v.ok, JSON.stringify(v.error)).toBe(true);
    const vend = await second.next((m) => m.event === 'job.state' && m.data.jobId === v.result.id && ['done', 'failed'].includes(m.data.state), 300_000);
    expect(vend.data.state, JSON.stringify(vend.data.error)).toBe('done');
    expect(vend.data.job.result.ok).toBe(true);
    expect(vend.data.job.result.ticketId).toBe('1700003');
    second.child.stdin!.end();
    expect((await second.child).exitCode).toBe(0);
    expect(await labFingerprint(lab)).toEqual(before);
  }, 900_000);

  it('a passphrase sent in a request is in no event, log line, journal, job record or database row', async () => {
    const passphrase = labAgentPassphrase(lab.id);
    const wrong = `not-${passphrase}-Zq9`;
    fileTicket('3900002', { format: { filesystem: 'ext4', layout: 'browsable' }, systems: [{ name: 'ENC-SQL01', points: { kind: 'latest' } }] });
    const [drive] = await blankDrives(s, 1);
    const e = startStdioEngine(home);
    // A wrong one first: refused before anything is erased, and not kept either.
    const bad = await e.request('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: '3900002', drives: [drive], passphrases: { 'ENC-SQL01': wrong }, sites: sites() } });
    const badEnd = await e.next((m) => m.event === 'job.state' && m.data.jobId === bad.result.id && m.data.state === 'failed', 300_000);
    expect(badEnd.data.error.code).toBe('PASSPHRASE_WRONG');
    // The view of the job says a passphrase was given, never which.
    expect(badEnd.data.job.params.passphrases).toBe('[redacted]');
    const ok = await e.request('jobs.start', { kind: 'sync', params: { protection: 'unencrypted', ticketId: '3900002', drives: [drive], passphrases: { '*': passphrase }, sites: sites() } });
    const end = await e.next((m) => m.event === 'job.state' && m.data.jobId === ok.result.id && ['done', 'failed'].includes(m.data.state), 600_000);
    expect(end.data.state, JSON.stringify(end.data.error)).toBe('done');
    expect(end.data.job.result.pointsCopied).toBeGreaterThan(0);
    // A settings change carrying the SMTP password: the engine holds it in memory (docs/settings.md),
    // never in an answer, an event, the log, a journal or the ticket database.
    const smtpPass = 'smtp-Secret-77x';
    const set = await e.request('tickets.settings', { patch: { smtp: { host: '127.0.0.1', port: 2525, secure: false, from: 'bench@example.com', user: 'u', pass: smtpPass } } });
    expect(set.result.smtp).toMatchObject({ passSet: true });
    expect(set.result.smtp).not.toHaveProperty('pass');
    e.child.stdin!.end();
    await e.child;

    const secrets = [passphrase, wrong];
    // Every line the engine sent (answers and events) …
    for (const line of e.raw) for (const x of [...secrets, smtpPass]) expect(line.includes(x), `engine output holds a secret: ${line.slice(0, 200)}`).toBe(false);
    // … and every file it wrote: logs, job records, journals, the ticket database and its WAL.
    const written = filesUnder(home);
    expect(written.some((f) => f.endsWith('engine.log'))).toBe(true);
    expect(written.some((f) => f.includes(`${join('engine', 'jobs')}`))).toBe(true);
    expect(written.some((f) => f.endsWith('journal.jsonl'))).toBe(true);
    expect(written.some((f) => /\.(db|sqlite)(-wal)?$/.test(f))).toBe(true);
    for (const f of written) {
      const bytes = readFileSync(f);
      for (const x of secrets) expect(bytes.includes(Buffer.from(x)), `${f} holds a passphrase`).toBe(false);
      expect(bytes.includes(Buffer.from(smtpPass)), `${f} holds the SMTP password`).toBe(false);
    }
  }, 900_000);

  it('a sealed sync killed with its engine: the passphrase is gone with it, jobs.resume asks for it before starting, then finishes; the passphrase is only in the one answer that showed it', async () => {
    createTicket(lab, '1700004', { systems: [{ name: 'LNX-WEB01', points: { kind: 'newer-than-lock' } }, { name: 'WIN-FS01', points: { kind: 'newer-than-lock' } }] });
    const [drive] = await blankDrives(s, 1);
    const journal = join(jobDir('sync-1700004'), 'journal.jsonl');
    const points = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')).length : 0);

    const first = startStdioEngine(home);
    const started = await first.request('jobs.start', { kind: 'sync', params: { protection: 'sealed', ticketId: '1700004', drives: [drive], sites: sites() } });
    expect(started.ok, JSON.stringify(started.error)).toBe(true);
    const jobId = started.result.id as string;
    const until = Date.now() + 240_000;
    while (Date.now() < until && points() < 2) await new Promise((r) => setTimeout(r, 100));
    const shown = await first.request('units.sealedPassphrase', { jobId });
    const passphrase = shown.result.passphrase as string;
    expect(passphrase).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
    first.child.kill('SIGKILL');
    await first.child;

    const second = startStdioEngine(home);
    expect((await second.request('units.sealedPassphrase', { jobId })).result).toMatchObject({ passphrase: null, passedOn: false });
    const refused = await second.request('jobs.resume', { jobId });
    expect(refused.ok).toBe(false);
    expect(refused.error.code).toBe('UNIT_PASSPHRASE_NEEDED');
    expect((await second.request('jobs.get', { jobId })).result.state).toBe('interrupted');
    const resumed = await second.request('jobs.resume', { jobId, unitPassphrase: passphrase });
    expect(resumed.ok, JSON.stringify(resumed.error)).toBe(true);
    const end = await second.next((m) => m.event === 'job.state' && m.data.jobId === jobId && ['done', 'failed', 'cancelled'].includes(m.data.state), 480_000);
    expect(end.data.state, JSON.stringify(end.data.error)).toBe('done');
    expect(end.data.job.result).toMatchObject({ pipeline: 'sealed', resumed: true });
    // The resumed job's view holds the passphrase it was given only as "[redacted]".
    expect(end.data.job.params.unitPassphrase).toBe('[redacted]');
    const v = await second.request('jobs.start', { kind: 'verify', params: { device: drive, unitPassphrase: passphrase } });
    const vend = await second.next((m) => m.event === 'job.state' && m.data.jobId === v.result.id && ['done', 'failed'].includes(m.data.state), 300_000);
    expect(vend.data.job.result).toMatchObject({ ok: true, authenticated: true });
    second.child.stdin!.end();
    await second.child;

    const lines = [...first.raw, ...second.raw].filter((l) => l.includes(passphrase));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).result).toMatchObject({ jobId, passphrase });
    for (const f of filesUnder(home)) expect(readFileSync(f).includes(Buffer.from(passphrase)), `${f} holds the unit passphrase`).toBe(false);
  }, 900_000);
});
