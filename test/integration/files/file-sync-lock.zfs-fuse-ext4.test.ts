// One file sync per ticket at a time. A second run of the same ticket while the first is alive (a
// second window, a second CLI) must be refused before it touches anything: before the job lock, it
// set the first run's journal aside and erased its own drives while the first went on writing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { blankDrives, labFingerprint } from '../../helpers/units.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { fileSyncRequestFor } from '../../../electron/jobs/files/from-ticket.ts';
import { runFileSync } from '../../../electron/jobs/files/sync.ts';
import { jobDir } from '../../../electron/jobs/journal.ts';
import { syncJobId } from '../../../electron/jobs/zfs/sync.ts';
import { fileTicket } from './helpers.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-filelock-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
process.env.ROUNDTRIP_HOME = home;

describe('file sync job lock (zfs-fuse clones, ext4 on loop devices)', () => {
  let lab: LabState;
  let s: Scratch;

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('filelock');
  }, 300_000);
  afterAll(async () => {
    await s.cleanup();
  }, 120_000);

  it('refuses a second run of the same ticket while the first runs, before it sets the journal aside or erases a drive', async () => {
    const before = await labFingerprint(lab);
    const t = fileTicket('3900001', { format: { filesystem: 'ext4', layout: 'browsable' }, systems: [{ name: 'LNX-WEB01', points: { kind: 'latest' } }] });
    const [d1, d2] = await blankDrives(s, 2);
    const sites = { appliance: lab.appliancePool, offsite: lab.offsitePool };
    const reqA = await fileSyncRequestFor(t.id, t.request, sites, [d1], { verify: false });
    const reqB = await fileSyncRequestFor(t.id, t.request, sites, [d2], { verify: false });
    const journals = () => readdirSync(jobDir(syncJobId(t.id))).filter((f) => f.startsWith('journal'));

    let second: unknown = null;
    let journalsWhileRunning: string[] = [];
    const first = await runFileSync(reqA, {
      hooks: {
        // The first run has formatted its drive and journaled its target: the second comes now.
        afterTarget: async () => {
          second = await runFileSync(reqB).catch((e) => e);
          journalsWhileRunning = journals();
        },
      },
    });
    expect((second as { code?: string })?.code, String((second as Error)?.message)).toBe('JOB_STATE');
    expect((second as Error).message).toMatch(/already running/);
    // The first run's journal stayed where it was, and it finished.
    expect(journalsWhileRunning).toEqual(['journal.jsonl']);
    expect(first.pointsCopied).toBeGreaterThan(0);
    // The second drive was never erased: no partition table on it.
    const parts = (await execa('lsblk', ['-n', '-o', 'NAME', d2])).stdout.split('\n').filter(Boolean);
    expect(parts).toHaveLength(1);
    expect((await execa('blkid', ['-p', d2], { reject: false })).stdout).toBe('');
    expect(existsSync(join(jobDir(syncJobId(t.id)), 'running.pid'))).toBe(false);
    expect(await labFingerprint(lab)).toEqual(before);
  }, 300_000);
});
