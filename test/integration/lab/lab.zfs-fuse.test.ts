// The practice lab, end to end through the CLI, on real zfs-fuse pools, loop devices, NTFS and ext4.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { execa } from 'execa';
import { listSnapshots, getUserProps, getDataset, listPools } from '../../../electron/system/zfs/index.ts';
import { listLoops } from '../../../electron/system/loop.ts';
import { parseKeyRecord, unwrapAgentKey } from '../../../electron/appliance/agent-key.ts';
import { cryptFile } from '../../../electron/appliance/volume-crypt.ts';
import { readRegisteredDrives } from '../../../electron/drives/registered-drives.ts';
import { readRegisteredSites, registeredSiteFor } from '../../../electron/appliance/default-sites.ts';
import { labAgentPassphrase } from '../../../electron/lab/passphrase.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-labhome-'));
process.env.ROUNDTRIP_HOME = home;
const dir = join(mkdtempSync(join(tmpdir(), 'rt-labtest-')), 'lab');
// The lab's parent directory goes at the end too (lab down removes the lab itself).
afterAll(() => rmSync(dirname(dir), { recursive: true, force: true }));
const cli = (...args: string[]) =>
  execa('node', [join(import.meta.dirname, '../../../bin/roundtrip.mjs'), ...args], { env: { ROUNDTRIP_HOME: home }, reject: false });

const DAY = 86400;

describe('lab up / status / down (zfs-fuse, losetup, ntfs-3g, mkfs.ext4)', () => {
  let status: any;
  beforeAll(async () => {
    const r = await cli('lab', 'up', '--dir', dir, '--json');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    status = JSON.parse(r.stdout);
  }, 300_000);
  afterAll(async () => {
    await cli('lab', 'down', '--dir', dir);
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it('builds four protected systems of the required kinds with their metadata stored in the dataset', async () => {
    expect(status.created).toBe(true);
    expect(status.healthy).toBe(true);
    const kinds = Object.fromEntries(status.systems.map((s: any) => [s.name, s.kind]));
    expect(Object.values(kinds).sort()).toEqual(['encrypted', 'linux', 'share', 'windows']);
    for (const s of status.systems) {
      const props = await getUserProps(s.dataset);
      expect(props['roundtrip:kind']).toBe(s.kind === 'share' ? 'share' : 'agent');
      const mnt = (await getDataset(s.dataset)).mountpoint!;
      const meta = JSON.parse(readFileSync(join(mnt, '.roundtrip', 'system.json'), 'utf8'));
      expect(meta.name).toBe(s.name);
      expect(meta.encrypted).toBe(s.kind === 'encrypted');
    }
  });

  it('has one agent with a realistic chain: 300+ points over 60+ days, intra-daily only in the last week', async () => {
    const lnx = status.systems.find((s: any) => s.kind === 'linux');
    const snaps = await listSnapshots(lnx.dataset);
    const times = snaps.map((s) => Number(s.snap));
    expect(times.length).toBeGreaterThanOrEqual(300);
    const newest = Math.max(...times);
    expect(newest - Math.min(...times)).toBeGreaterThanOrEqual(60 * DAY);
    const perDay = new Map<number, number>();
    for (const t of times) perDay.set(Math.floor(t / DAY), (perDay.get(Math.floor(t / DAY)) ?? 0) + 1);
    const old = [...perDay].filter(([d]) => (newest - d * DAY) / DAY > 9);
    expect(old.length).toBeGreaterThan(3);
    for (const [, n] of old) expect(n).toBe(1); // thinned to one per day (or fewer) past the intra-daily window
    // Intra-daily in the last week: every one of the last six 24-hour spans back from the newest
    // point holds many. (Not calendar days: the newest day has only the points since midnight, one
    // just after it.)
    const recent = [0, 1, 2, 3, 4, 5].map((k) => times.filter((t) => t <= newest - k * DAY && t > newest - (k + 1) * DAY).length);
    for (const n of recent) expect(n).toBeGreaterThan(10);
  });

  it('replicated an older subset offsite by real send/receive: same GUIDs, a newest common point, newer local-only points', async () => {
    let withoutOffsite = 0;
    for (const s of status.systems) {
      if (!s.offsiteDataset) {
        withoutOffsite++;
        continue;
      }
      const local = await listSnapshots(s.dataset);
      const off = await listSnapshots(s.offsiteDataset);
      const localGuid = new Map(local.map((x) => [x.snap, x.guid]));
      const common = off.filter((x) => localGuid.has(x.snap));
      expect(common.length).toBeGreaterThan(0);
      for (const c of common) expect(c.guid).toBe(localGuid.get(c.snap));
      const newestCommon = Math.max(...common.map((c) => Number(c.snap)));
      expect(local.some((x) => Number(x.snap) > newestCommon)).toBe(true);
      // Offsite keeps older points the appliance no longer has, or at least as old ones.
      expect(Math.min(...off.map((x) => Number(x.snap)))).toBeLessThanOrEqual(Math.min(...local.map((x) => Number(x.snap))) + 30 * DAY);
    }
    expect(withoutOffsite).toBe(1);
  });

  it('points carry real changes: files added, changed and deleted between points', async () => {
    const share = status.systems.find((s: any) => s.kind === 'share');
    const snaps = await listSnapshots(share.dataset);
    expect(snaps.length).toBeGreaterThan(5);
    // Later points reference more data than the first one, and every point has its own delta.
    expect(snaps.at(-1)!.referencedBytes).toBeGreaterThan(snaps[0].referencedBytes);
  });

  it('encrypts the encrypted agent with a key wrapped by the passphrase that status shows', async () => {
    const enc = status.systems.find((s: any) => s.kind === 'encrypted');
    const mnt = (await getDataset(enc.dataset)).mountpoint!;
    const cipher = readFileSync(join(mnt, 'D.img'));
    expect(cipher.includes(Buffer.from('Lab volume of'))).toBe(false);
    const rec = parseKeyRecord(readFileSync(join(mnt, 'agent-key.json'), 'utf8'));
    await expect(unwrapAgentKey(rec, 'not-the-passphrase')).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
    const key = await unwrapAgentKey(rec, labAgentPassphrase(status.state.id));
    const plain = join(tmpdir(), `rt-lab-plain-${process.pid}.img`);
    try {
      cryptFile(key, join(mnt, 'D.img'), plain, false);
      const fsck = await execa('e2fsck', ['-n', '-f', plain], { reject: false });
      expect(fsck.exitCode).toBe(0);
      const readme = await execa('debugfs', ['-R', 'cat /README.txt', plain]);
      expect(readme.stdout).toContain('Lab volume of ENC-SQL01');
    } finally {
      rmSync(plain, { force: true });
    }
  });

  it('attaches blank USB drives as registered lab drives: two of 500 GB, one of 120 GB, sparse', async () => {
    const drives = readRegisteredDrives().filter((d) => d.labDir === dir);
    expect(drives.map((d) => d.sizeBytes).sort()).toEqual([120e9, 500e9, 500e9]);
    for (const d of drives) {
      const size = await execa('blockdev', ['--getsize64', d.device]);
      expect(Number(size.stdout)).toBe(d.sizeBytes);
    }
    const du = await execa('du', ['-s', '--block-size=1', dir]);
    expect(Number(du.stdout.split('\t')[0])).toBeLessThan(3e9);
  });

  it('registers its pools as the site of its appliance: a plan needs no --source or --offsite', async () => {
    expect(registeredSiteFor(status.state.applianceSerial)).toEqual({
      applianceSerial: status.state.applianceSerial,
      appliance: status.state.appliancePool,
      offsite: status.state.offsitePool,
      owner: dir,
    });
    const plan = await cli('plan', '--ticket', status.state.tickets[0].id, '--estimate', '--json');
    expect(plan.stderr).toBe('');
    expect(plan.exitCode).toBe(0);
    expect(JSON.parse(plan.stdout).systems.length).toBeGreaterThan(0);
  });

  it('lab up on a running lab is a no-op; status answers', async () => {
    const again = await cli('lab', 'up', '--dir', dir, '--json');
    expect(JSON.parse(again.stdout).created).toBe(false);
    const st = await cli('lab', 'status', '--dir', dir);
    expect(st.stdout).toMatch(/encrypted agent passphrase/);
    expect(st.exitCode).toBe(0);
  });

  it('lab down removes exactly what lab up made; a second lab up works', async () => {
    const pools = [status.state.appliancePool, status.state.offsitePool];
    const files: string[] = status.state.files;
    const down = await cli('lab', 'down', '--dir', dir, '--json');
    expect(down.exitCode).toBe(0);
    expect((await listPools()).filter((p) => pools.includes(p.name))).toEqual([]);
    const loops = await listLoops();
    expect(loops.filter((l) => files.includes(l.backingFile))).toEqual([]);
    for (const f of files) expect(existsSync(f)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(readRegisteredDrives().filter((d) => d.labDir === dir)).toEqual([]);
    expect(readRegisteredSites().filter((s) => s.owner === dir)).toEqual([]);

    const up2 = await cli('lab', 'up', '--dir', dir, '--json');
    expect(up2.exitCode).toBe(0);
    expect(JSON.parse(up2.stdout).healthy).toBe(true);
  }, 300_000);
});
