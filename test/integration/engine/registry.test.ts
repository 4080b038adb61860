// The job registry's bookkeeping across engines, with records as an engine killed mid-job leaves
// them: a record whose engine is gone (or whose pid now belongs to another process) is listed as
// interrupted; two resumes of one job at the same moment run it once.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'rt-registry-home-'));
process.env.ROUNDTRIP_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));

const { JobRegistry } = await import('../../../electron/engine/jobs/registry.ts');

/** A record as a killed engine left it: running, with that engine's pid and start time. */
function leftRunning(id: string, pid: number, pidStart: string) {
  mkdirSync(join(home, 'engine', 'jobs'), { recursive: true });
  const view = {
    id,
    kind: 'verify',
    title: 'Verify /dev/rt-gone-drive',
    state: 'running',
    steps: ['read-manifest'],
    params: { device: '/dev/rt-gone-drive' },
    holds: { drives: ['/dev/rt-gone-drive'], tickets: [] },
    progress: null,
    error: null,
    resumable: true,
    startedAt: new Date().toISOString(),
    endedAt: null,
    log: [],
  };
  writeFileSync(join(home, 'engine', 'jobs', `${id}.json`), JSON.stringify({ view, pid, pidStart }));
}

describe('job registry records (engine restarts, pid reuse, concurrent resumes)', () => {
  it('lists a job whose engine is gone as interrupted, also when its pid is now another process', () => {
    leftRunning('verify-dead-pid', 2 ** 22 - 3, '1');
    // The parent of this test runs under that pid now, but started at another time: not the engine.
    leftRunning('verify-reused-pid', process.ppid, '0');
    const reg = new JobRegistry();
    const byId = new Map(reg.list().map((j) => [j.id, j.state]));
    expect(byId.get('verify-dead-pid')).toBe('interrupted');
    expect(byId.get('verify-reused-pid')).toBe('interrupted');
    // The drive it held is free again.
    expect(reg.get('verify-reused-pid').state).toBe('interrupted');
  });

  it('runs a job once when two resumes of it come at the same moment', async () => {
    leftRunning('verify-twice', 2 ** 22 - 5, '1');
    const reg = new JobRegistry();
    const [a, b] = await Promise.allSettled([reg.resume('verify-twice', {}), reg.resume('verify-twice', {})]);
    const ok = [a, b].filter((r) => r.status === 'fulfilled');
    const refused = [a, b].filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0].reason.code).toBe('JOB_STATE');
    const end = await reg.wait('verify-twice');
    expect(end.state).toBe('failed');
    expect(end.error?.message).toMatch(/rt-gone-drive/);
  });
});
