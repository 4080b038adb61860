// A sealed unit end to end on the shared lab (issue 21): the protection choice refused when
// missing, a sealed sync through the CLI (the passphrase printed once), nothing readable on the
// drive without the passphrase, verify with and without it, a merge refused without it or with a
// wrong one, a merge into a pool of the test's own with every point's GUID, and tampered stream
// files (a flipped bit, a cut file, one file put in another's place) each refused with its own code
// before anything is received. Real zfs-fuse, loop devices, ext4, the CLI.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, readFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { blankDrives, cli, createTicket, fingerprint, labFingerprint, releaseGuards } from '../../helpers/units.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { listSnapshots } from '../../../electron/system/zfs/index.ts';
import { listAudit } from '../../../electron/tickets/audit.ts';
import { destPool, fileContains, filesUnder, points } from '../merge/helpers.ts';
import { flipMiddleByte, PASSPHRASE_RE, sealedSyncKilledAfter, syncJournal } from './helpers.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-sealed-unit-home-'));
process.env.ROUNDTRIP_HOME = home;
const TICKET = '3100001';
const RESUMED = '3100002';
const TWO_DRIVES = '3100003';
const SYSTEMS = ['WIN-FS01', 'LNX-WEB01'];

describe('a sealed unit: sync, nothing readable, verify, merge, tampering (zfs-fuse, loop devices, CLI)', () => {
  let lab: LabState;
  let s: Scratch;
  let drive: string;
  let passphrase: string;
  let result: any;
  let labBefore: unknown;
  const sites = () => ['--source', lab.appliancePool, '--offsite', lab.offsitePool];

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('sealed-unit');
    labBefore = await labFingerprint(lab);
    createTicket(lab, TICKET, { systems: SYSTEMS.map((name) => ({ name, points: { kind: 'newer-than-lock' } })) });
    createTicket(lab, TWO_DRIVES, { systems: [{ name: 'LNX-WEB01', points: { kind: 'latest' } }] });
    createTicket(lab, RESUMED, { systems: SYSTEMS.map((name) => ({ name, points: { kind: 'newer-than-lock' } })) });
    [drive] = await blankDrives(s, 1);
  }, 400_000);

  afterAll(async () => {
    await releaseGuards(lab, TICKET);
    await releaseGuards(lab, RESUMED);
    await releaseGuards(lab, TWO_DRIVES);
    await s.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it('refuses a new sync without a protection choice, before anything is erased', async () => {
    const r = await cli(home, ['sync', '--ticket', TICKET, '--drive', drive, ...sites()]);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/^PROTECTION_NOT_CHOSEN: Choose how ticket \S+ unit is protected .*"sealed" \(encrypted\) or "unencrypted"\. Nothing was erased\./m);
    expect(r.stderr).toContain('--seal or --unencrypted');
    // The drive is as blank as it came: no partition table was written.
    expect((await execa('lsblk', ['-n', '-o', 'NAME', drive])).stdout.trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('writes a sealed unit: the passphrase printed once, the points as sealed files, no system named in its public manifest', async () => {
    const r = await cli(home, ['sync', '--seal', '--ticket', TICKET, '--drive', drive, ...sites(), '--by', 'Sam', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    passphrase = PASSPHRASE_RE.exec(r.stderr)?.[1] ?? '';
    expect(passphrase, r.stderr).not.toBe('');
    expect(r.stderr.split(passphrase)).toHaveLength(2); // once
    expect(r.stdout).not.toContain(passphrase);
    result = JSON.parse(r.stdout);
    expect(result.pointsSent).toBeGreaterThan(2);
    expect(result.systems.map((x: any) => x.system).sort()).toEqual([...SYSTEMS].sort());
    expect(result.manifest).toMatchObject({ layout: 'zfs-sealed', pool: null, systems: [] });
    expect(result.manifest.sealed.files).toHaveLength(result.pointsSent);
    expect(JSON.stringify(result.manifest)).not.toMatch(/WIN-FS01|LNX-WEB01/);
    // Sealing is the protected choice: no "shipped unencrypted" record in the ticket.
    expect(listAudit({ action: 'unit.protection' }).filter((e) => e.ticketId === TICKET)).toEqual([]);
    // The unit reads as sealed from the drive alone.
    const inspect = await cli(home, ['inspect', drive, '--json']);
    expect(inspect.exitCode, inspect.stderr).toBe(0);
    expect(JSON.parse(inspect.stdout).metadata.layout).toBe('zfs-sealed');
  }, 600_000);

  it('holds nothing readable without the passphrase: no names, no file content, no passphrase; and the bench kept no passphrase', async () => {
    const unitFile = (await execa('losetup', ['-n', '-O', 'BACK-FILE', drive])).stdout.trim();
    const needles = [
      ...SYSTEMS,
      'customers.csv',
      'Customer 17',
      'Lab volume of WIN-FS01',
      passphrase,
      passphrase.replace(/-/g, ''),
    ].map((n) => Buffer.from(n));
    // The probe is sound: the same scan finds what the unit does hold in clear.
    expect(await fileContains(unitFile, Buffer.from('roundtrip-unit-key'))).toBe(true);
    const hits: string[] = [];
    for (const n of needles) if (await fileContains(unitFile, n)) hits.push(n.toString());
    expect(hits).toEqual([]);
    // Nothing the bench wrote (database, journals, logs, job records) holds the passphrase.
    const secret = [Buffer.from(passphrase), Buffer.from(passphrase.replace(/-/g, ''))];
    const benchHits: string[] = [];
    for (const f of filesUnder(home)) for (const n of secret) if (await fileContains(f, n)) benchHits.push(f);
    expect(benchHits).toEqual([]);
  }, 300_000);

  it('verifies without the passphrase (files present, at size) and with it (every record authenticated)', async () => {
    const plain = await cli(home, ['verify', drive, '--json']);
    expect(plain.exitCode, plain.stdout + plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ ok: true, authenticated: false, pointsChecked: result.pointsSent });
    const full = await cli(home, ['verify', drive, '--unit-passphrase-stdin', '--json'], { input: `${passphrase}\n` });
    expect(full.exitCode, full.stdout + full.stderr).toBe(0);
    expect(JSON.parse(full.stdout)).toMatchObject({ ok: true, authenticated: true, pointsChecked: result.pointsSent });
  }, 300_000);

  it('merges only with the passphrase, every point with its GUID; typed in lower case without dashes is the same passphrase', async () => {
    const dest = await destPool(s, 'rtsealed');
    const before = await fingerprint(dest);
    const none = await cli(home, ['merge', drive, '--into', dest, '--json']);
    expect(none.exitCode).not.toBe(0);
    expect(none.stderr).toMatch(/^UNIT_PASSPHRASE_NEEDED: .* is a sealed unit: enter its unit passphrase/m);
    const wrong = await cli(home, ['merge', drive, '--into', dest, '--unit-passphrase-stdin', '--json'], { input: '7K2M-QX9D-0000-1111-2222-3333\n' });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/^UNIT_PASSPHRASE_WRONG: That passphrase does not unlock this unit\. Nothing was read from the unit/m);
    expect(await fingerprint(dest)).toEqual(before);

    const typed = passphrase.toLowerCase().replace(/-/g, ' ');
    const r = await cli(home, ['merge', drive, '--into', dest, '--unit-passphrase-stdin', '--by', 'Dana', '--json'], { input: `${typed}\n` });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.ok).toBe(true);
    expect(Object.fromEntries(res.systems.map((x: any) => [x.system, x.outcome]))).toEqual(Object.fromEntries(SYSTEMS.map((n) => [n, 'new'])));
    for (const sys of SYSTEMS) {
      const src = new Map((await listSnapshots(lab.systems.find((x) => x.name === sys)!.dataset)).map((x) => [x.snap, x.guid]));
      const got = await points(`${dest}/${sys}`);
      expect(got.length).toBeGreaterThan(0);
      for (const [snap, guid] of got) expect(guid, `${sys}@${snap}`).toBe(src.get(snap));
    }
    expect(r.stdout + r.stderr).not.toContain(passphrase);
  }, 600_000);

  it('refuses tampered stream files with their own codes, before anything is received: a flipped bit, a cut file, one file in another\'s place', async () => {
    const mnt = s.mount(join(s.dir, 'tamper'));
    mkdirSync(mnt, { recursive: true });
    const streams = join(mnt, 'streams');
    const saved = join(s.dir, 'saved.rts');
    const dest = await destPool(s, 'rttamper');
    const before = await fingerprint(dest);

    const tamper = async (damage: (files: string[]) => string) => {
      await execa('mount', ['-t', 'ext4', `${drive}p2`, mnt]);
      let victim: string;
      try {
        const files = readdirSync(streams).map((f) => join(streams, f)).sort((a, b) => statSync(b).size - statSync(a).size);
        victim = damage(files);
      } finally {
        await execa('umount', [mnt]);
      }
      const r = await cli(home, ['merge', drive, '--into', dest, '--unit-passphrase-stdin', '--json'], { input: `${passphrase}\n` });
      await execa('mount', ['-t', 'ext4', `${drive}p2`, mnt]);
      try {
        copyFileSync(saved, victim);
      } finally {
        await execa('umount', [mnt]);
      }
      expect(r.exitCode).not.toBe(0);
      expect(await fingerprint(dest)).toEqual(before);
      return r.stderr;
    };

    const flipped = await tamper((files) => {
      copyFileSync(files[0], saved);
      flipMiddleByte(files[0]);
      return files[0];
    });
    expect(flipped).toMatch(/^SEALED_CHUNK_TAMPERED: /m);

    const cut = await tamper((files) => {
      copyFileSync(files[0], saved);
      truncateSync(files[0], statSync(files[0]).size - 100);
      return files[0];
    });
    expect(cut).toMatch(/^SEALED_STREAM_TRUNCATED: /m);

    const swapped = await tamper((files) => {
      // Another stream of the same unit, grown to this file's size so nothing but its identity differs.
      const [victim, other] = [files[1], files[0]];
      copyFileSync(victim, saved);
      copyFileSync(other, victim);
      truncateSync(victim, statSync(saved).size);
      return victim;
    });
    expect(swapped).toMatch(/^SEALED_STREAM_FOREIGN: /m);

    // Put back, the unit merges again.
    const ok = await cli(home, ['merge', drive, '--into', dest, '--unit-passphrase-stdin', '--json'], { input: `${passphrase}\n` });
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
    expect(await labFingerprint(lab)).toEqual(labBefore);
  }, 900_000);

  it('survives being killed: the resume needs the passphrase again, refuses a wrong one, and continues without sending a proven point twice', async () => {
    const [second] = await blankDrives(s, 1);
    const { file: journal, pointLines } = syncJournal(RESUMED);
    const killed = await sealedSyncKilledAfter(home, RESUMED, ['--drive', second, ...sites()], 2);
    const pass = killed.passphrase;
    expect(pass, killed.stderr).not.toBe('');
    const afterKill = pointLines().length;
    expect(afterKill).toBeGreaterThanOrEqual(2);
    // The journal holds files and digests, never the passphrase.
    expect(readFileSync(journal, 'utf8')).not.toContain(pass);

    const without = await cli(home, ['sync', '--ticket', RESUMED, '--resume', ...sites()]);
    expect(without.exitCode).not.toBe(0);
    expect(without.stderr).toMatch(/^UNIT_PASSPHRASE_NEEDED: The sealed sync of ticket \S+ needs its unit passphrase again to resume/m);
    const wrong = await cli(home, ['sync', '--ticket', RESUMED, '--resume', '--unit-passphrase-stdin', ...sites()], { input: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF\n' });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/^UNIT_PASSPHRASE_WRONG: /m);

    const r = await cli(home, ['sync', '--ticket', RESUMED, '--resume', '--unit-passphrase-stdin', ...sites(), '--json'], { input: `${pass}\n` });
    expect(r.exitCode, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({ resumed: true });
    expect(res.pointsSkipped).toBeGreaterThanOrEqual(afterKill - 1);
    const keys = pointLines().map((l) => JSON.parse(l)).map((x) => `${x.system}@${x.point}`);
    expect(keys.length).toBe(res.pointsSent + res.pointsSkipped);
    const full = await cli(home, ['verify', second, '--unit-passphrase-stdin', '--json'], { input: `${pass}\n` });
    expect(full.exitCode, full.stdout + full.stderr).toBe(0);
    expect(JSON.parse(full.stdout)).toMatchObject({ ok: true, authenticated: true, pointsChecked: res.pointsSent + res.pointsSkipped });
  }, 900_000);

  it('reads a two-drive unit from either drive, and refuses a system whose drive is not attached without touching the destination', async () => {
    const pair = await blankDrives(s, 2);
    const r = await cli(home, ['sync', '--seal', '--ticket', TWO_DRIVES, '--drive', pair[0], '--drive', pair[1], ...sites(), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const pass = PASSPHRASE_RE.exec(r.stderr)?.[1] ?? '';
    const res = JSON.parse(r.stdout);
    // Whole systems per drive, the fewest drives first: the one small system is on drive 1.
    expect(res.systems).toEqual([expect.objectContaining({ system: 'LNX-WEB01', drive: 1 })]);
    for (const d of pair) {
      const inspect = JSON.parse((await cli(home, ['inspect', d, '--json'])).stdout);
      expect(inspect.metadata.layout).toBe('zfs-sealed');
      expect(inspect.manifest.sealed.files.length).toBe(res.pointsSent);
    }

    // Named by its second drive, the unit is read from both.
    const dest = await destPool(s, 'rttwo');
    const merged = await cli(home, ['merge', pair[1], '--into', dest, '--unit-passphrase-stdin', '--json'], { input: `${pass}\n` });
    expect(merged.exitCode, merged.stdout + merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout).systems.map((x: any) => [x.system, x.outcome])).toEqual([['LNX-WEB01', 'new']]);
    const src = new Map((await listSnapshots(lab.systems.find((x) => x.name === 'LNX-WEB01')!.dataset)).map((x) => [x.snap, x.guid]));
    for (const [snap, guid] of await points(`${dest}/LNX-WEB01`)) expect(guid).toBe(src.get(snap));

    // Drive 1 no longer recognisable as this unit's (its filesystem label changed): its system is refused, nothing changes.
    const label = (await execa('e2label', [`${pair[0]}p2`])).stdout.trim();
    const other = await destPool(s, 'rtabsent');
    const before = await fingerprint(other);
    await execa('e2label', [`${pair[0]}p2`, 'NOT-THIS-UNIT']);
    let refused;
    try {
      refused = await cli(home, ['merge', pair[1], '--into', other, '--unit-passphrase-stdin', '--json'], { input: `${pass}\n` });
    } finally {
      await execa('e2label', [`${pair[0]}p2`, label]);
    }
    expect(refused.exitCode).toBe(1);
    const out = JSON.parse(refused.stdout);
    expect(out.systems).toEqual([expect.objectContaining({ system: 'LNX-WEB01', outcome: 'refused', code: 'DRIVE_NOT_FOUND' })]);
    expect(out.systems[0].message).toMatch(/its streams are on drive 1 of 2 of the unit.*, which is not attached, so it cannot be merged now/);
    expect(out.ticket.advanced).toBe(false);
    expect(await fingerprint(other)).toEqual(before);
  }, 900_000);
});
