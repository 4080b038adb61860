// Sealed image exports end to end on the shared lab (issue 21, item 4): a revRT image ticket synced
// sealed through the CLI (the passphrase printed once), nothing readable on the drive without it
// (no system or file name, no volume content, not even an image format's signature: the images
// never touched the drive in clear), verify with and without the passphrase, a merge refused (there
// is nothing to merge), and `roundtrip unseal`: refused without or with a wrong passphrase having
// written nothing; with it, every image qemu-img compares equal to its source volume and has the
// SHA-256 the bench checked; run again, it keeps what is whole; a flipped bit in a sealed file is
// refused with its own code and leaves no part of that image; a sync killed midway resumes with the
// passphrase given again, keeping its proven point. Real zfs-fuse, loop devices, ext4,
// qemu-img, the CLI.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { chownSync, existsSync, lstatSync, mkdirSync, symlinkSync, writeFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { blankDrives, cli, labFingerprint } from '../../helpers/units.ts';
import { flipMiddleByte, PASSPHRASE_RE, sealedSyncKilledAfter, syncJournal } from './helpers.ts';
import { jobDir } from '../../../electron/jobs/journal.ts';
import { unsealImages } from '../../../electron/jobs/sealed/unseal.ts';
import { AppError } from '../../../electron/api/errors.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import type { Manifest } from '../../../electron/jobs/manifest.ts';
import { fileTicket, sha256, withSourcePoint } from '../files/helpers.ts';
import { fileContains, filesUnder } from '../merge/helpers.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-sealed-images-home-'));
process.env.ROUNDTRIP_HOME = home;
const TICKET = '3200001';
const RESUMED = '3200002';
const CRAMPED = '3200003';
const SYSTEMS = ['WIN-FS01', 'LNX-WEB01'];

describe('sealed image exports: sync, nothing readable, verify, unseal, tampering (zfs-fuse, loop devices, qemu-img, CLI)', () => {
  let lab: LabState;
  let s: Scratch;
  let drive: string;
  let passphrase: string;
  let result: any;
  let labBefore: unknown;
  const sites = () => ['--source', lab.appliancePool, '--offsite', lab.offsitePool];
  const folder = (name: string) => {
    const d = join(s.dir, name);
    mkdirSync(d, { recursive: true });
    return d;
  };

  beforeAll(async () => {
    lab = await sharedLab();
    s = makeScratch('sealed-images');
    labBefore = await labFingerprint(lab);
    for (const t of [TICKET, RESUMED, CRAMPED]) fileTicket(t, { format: { filesystem: 'ntfs', layout: 'image', imageFormat: 'vhdx' }, systems: SYSTEMS.map((name) => ({ name, points: { kind: 'latest' } })) });
    [drive] = await blankDrives(s, 1);
  }, 400_000);

  afterAll(async () => {
    await s.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it('plans sealing as the recommended protection for an image export on drives', async () => {
    const r = await cli(home, ['plan', '--ticket', TICKET, ...sites(), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).protection).toMatchObject({ options: ['sealed', 'unencrypted'], recommended: 'sealed' });
  }, 120_000);

  it('writes the images sealed: the passphrase printed once, an EXT4 unit whose public manifest names no system', async () => {
    const r = await cli(home, ['sync', '--seal', '--ticket', TICKET, '--drive', drive, ...sites(), '--by', 'Sam', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    passphrase = PASSPHRASE_RE.exec(r.stderr)?.[1] ?? '';
    expect(passphrase, r.stderr).not.toBe('');
    expect(r.stderr.split(passphrase)).toHaveLength(2);
    expect(r.stdout).not.toContain(passphrase);
    result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ filesystem: 'ext4', content: 'image', imageFormat: 'vhdx', images: 2, pointsCopied: 2 });
    expect(result.sealed.verify).toMatchObject({ ok: true, authenticated: true, pointsChecked: 2 });
    const m: Manifest = result.manifests[0];
    expect(m).toMatchObject({ layout: 'images-sealed', content: 'image', systems: [] });
    expect(m.sealed!.files).toHaveLength(2);
    expect(JSON.stringify(result.manifests)).not.toMatch(/WIN-FS01|LNX-WEB01/);
    const inspect = await cli(home, ['inspect', drive, '--json']);
    expect(JSON.parse(inspect.stdout).metadata.layout).toBe('images-sealed');
    // The images were staged on the bench and are gone from it.
    expect(filesUnder(join(home, 'jobs')).filter((f) => /\.vhdx$/.test(f))).toEqual([]);
  }, 900_000);

  it('holds nothing readable without the passphrase, not even a VHDX signature; the bench kept no passphrase', async () => {
    const unitFile = (await execa('losetup', ['-n', '-O', 'BACK-FILE', drive])).stdout.trim();
    expect(await fileContains(unitFile, Buffer.from('roundtrip-unit-key'))).toBe(true);
    const needles = [...SYSTEMS, 'customers.csv', 'Customer 17', 'Lab volume of WIN-FS01', 'vhdxfile', passphrase, passphrase.replace(/-/g, '')];
    const hits: string[] = [];
    for (const n of needles) if (await fileContains(unitFile, Buffer.from(n))) hits.push(n);
    expect(hits).toEqual([]);
    const benchHits: string[] = [];
    for (const f of filesUnder(home)) if (await fileContains(f, Buffer.from(passphrase))) benchHits.push(f);
    expect(benchHits).toEqual([]);
  }, 300_000);

  it('verifies without the passphrase (files present, at size) and with it (every record authenticated)', async () => {
    const plain = await cli(home, ['verify', drive, '--json']);
    expect(plain.exitCode, plain.stdout + plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ ok: true, authenticated: false, pointsChecked: 2 });
    const full = await cli(home, ['verify', drive, '--unit-passphrase-stdin', '--json'], { input: `${passphrase}\n` });
    expect(full.exitCode, full.stdout + full.stderr).toBe(0);
    expect(JSON.parse(full.stdout)).toMatchObject({ ok: true, authenticated: true, pointsChecked: 2 });
  }, 300_000);

  it('refuses to merge a unit of images, and to unseal without or with a wrong passphrase, writing nothing', async () => {
    const merge = await cli(home, ['merge', drive, '--into', `${lab.appliancePool}/nowhere`, '--unit-passphrase-stdin'], { input: `${passphrase}\n` });
    expect(merge.exitCode).not.toBe(0);
    expect(merge.stderr).toMatch(/^BAD_INPUT: .* is a sealed unit of disk images, not of ZFS points/m);
    const to = folder('refused');
    const none = await cli(home, ['unseal', drive, '--to', to]);
    expect(none.exitCode).not.toBe(0);
    expect(none.stderr).toMatch(/^UNIT_PASSPHRASE_NEEDED: /m);
    const wrong = await cli(home, ['unseal', drive, '--to', to, '--unit-passphrase-stdin'], { input: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF\n' });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/^UNIT_PASSPHRASE_WRONG: /m);
    const missing = await cli(home, ['unseal', drive, '--to', join(to, 'not-there'), '--unit-passphrase-stdin'], { input: `${passphrase}\n` });
    expect(missing.stderr).toMatch(/^BAD_INPUT: The folder .* does not exist/m);
    expect(readdirSync(to)).toEqual([]);
  }, 300_000);

  it('unseals every image as checked on the bench, owned by the folder\'s owner: qemu-img compares each equal to its source volume; run again, keeps them', async () => {
    const to = folder('unsealed');
    // A partner's own folder: what the engine (root here) writes into it is theirs.
    chownSync(to, 65534, 65534);
    const r = await cli(home, ['unseal', drive, '--to', to, '--unit-passphrase-stdin', '--json'], { input: `${passphrase}\n` });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(passphrase);
    const out = JSON.parse(r.stdout);
    expect(out.images).toHaveLength(2);
    const manifest: Manifest = JSON.parse(readFileSync(join(to, 'ROUNDTRIP-MANIFEST.json'), 'utf8'));
    expect(manifest.systems.map((x) => x.system).sort()).toEqual([...SYSTEMS].sort());
    for (const sys of manifest.systems) {
      const p = sys.points[0];
      for (const img of p.images!) {
        const file = join(to, img.file);
        expect(img.file).toBe(`${p.folder}/${img.volume}.vhdx`);
        expect(sha256(file)).toBe(img.sha256);
        expect(JSON.parse((await execa('qemu-img', ['info', '--output=json', file])).stdout).format).toBe('vhdx');
        await withSourcePoint(s, `${lab.offsitePool}/${sys.system}`, p.name, img.volume, async (_dir, image) => {
          const c = await execa('qemu-img', ['compare', '-f', 'raw', '-F', 'vhdx', image!, file], { reject: false });
          expect(c.exitCode, `${sys.system} ${img.volume}: ${c.stdout}`).toBe(0);
        });
      }
    }
    expect(filesUnder(to).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const notTheirs = [...filesUnder(to), ...manifest.systems.map((x) => join(to, x.system))].filter((f) => statSync(f).uid !== 65534 || statSync(f).gid !== 65534);
    expect(notTheirs).toEqual([]);
    const again = await cli(home, ['unseal', drive, '--to', to, '--unit-passphrase-stdin', '--json'], { input: `${passphrase}\n` });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).images.every((i: any) => i.kept)).toBe(true);
    expect(await labFingerprint(lab)).toEqual(labBefore);
  }, 600_000);

  it('never writes through a link planted in the folder: a linked system folder is refused, a linked partial file is replaced, not followed', async () => {
    const images = (result.manifests[0].sealed.files as unknown[]).length;
    expect(images).toBe(2);
    const elsewhere = folder('elsewhere');
    const victim = join(elsewhere, 'precious.txt');
    writeFileSync(victim, 'keep me');
    // A system's folder that is a link to somewhere else.
    const linked = folder('linked');
    symlinkSync(elsewhere, join(linked, SYSTEMS[0]));
    const r = await cli(home, ['unseal', drive, '--to', linked, '--unit-passphrase-stdin'], { input: `${passphrase}\n` });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^UNSEAL_TARGET_EXISTS: .*${SYSTEMS[0]} is in the way \\(it is not a folder\\)`, 'm'));
    expect(readdirSync(elsewhere)).toEqual(['precious.txt']);
    // A half-written image's name that is a link to a file of the bench's.
    const manifest: Manifest = JSON.parse(readFileSync(join(s.dir, 'unsealed', 'ROUNDTRIP-MANIFEST.json'), 'utf8'));
    const first = manifest.systems.find((x) => x.system === SYSTEMS[0])!.points[0].images![0].file;
    const trap = folder('trap');
    mkdirSync(join(trap, first, '..'), { recursive: true });
    symlinkSync(victim, join(trap, `${first}.partial`));
    const ok = await cli(home, ['unseal', drive, '--to', trap, '--unit-passphrase-stdin', '--json'], { input: `${passphrase}\n` });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(lstatSync(join(trap, first)).isFile()).toBe(true);
    expect(sha256(join(trap, first))).toBe(manifest.systems.find((x) => x.system === SYSTEMS[0])!.points[0].images![0].sha256);
  }, 300_000);

  it('stops when cancelled between two images: the whole first one stays, nothing of the second, no manifest', async () => {
    const to = folder('cancelled');
    const stop = new AbortController();
    const lines: string[] = [];
    const run = unsealImages(
      { device: drive, to, unitPassphrase: passphrase, jobId: 'unseal-cancel-test' },
      {
        signal: stop.signal,
        log: (l) => {
          lines.push(l);
          if (/unsealed/.test(l)) stop.abort(new AppError('CANCELLED', 'The unseal was cancelled.'));
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(lines.filter((l) => /unsealed/.test(l))).toHaveLength(1);
    const written = filesUnder(to);
    expect(written.filter((f) => f.endsWith('.vhdx'))).toHaveLength(1);
    expect(written.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(existsSync(join(to, 'ROUNDTRIP-MANIFEST.json'))).toBe(false);
    // The unit's drive is free again for the next job.
    const again = await cli(home, ['unseal', drive, '--to', to, '--unit-passphrase-stdin', '--json'], { input: `${passphrase}\n` });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).images.map((i: any) => i.kept)).toEqual([true, false]);
  }, 300_000);

  it('survives being killed: the resume needs the passphrase again, keeps the proven point, and leaves no staged image on the bench', async () => {
    const [second] = await blankDrives(s, 1);
    const { file: journal, pointLines } = syncJournal(RESUMED);
    const killed = await sealedSyncKilledAfter(home, RESUMED, ['--drive', second, ...sites()], 1);
    const pass = killed.passphrase;
    expect(pass, killed.stderr).not.toBe('');
    expect(pointLines()).toHaveLength(1);
    expect(readFileSync(journal, 'utf8')).not.toContain(pass);

    const without = await cli(home, ['sync', '--ticket', RESUMED, '--resume', ...sites()]);
    expect(without.exitCode).not.toBe(0);
    expect(without.stderr).toMatch(/^UNIT_PASSPHRASE_NEEDED: /m);
    const r = await cli(home, ['sync', '--ticket', RESUMED, '--resume', '--unit-passphrase-stdin', ...sites(), '--json'], { input: `${pass}\n` });
    expect(r.exitCode, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res).toMatchObject({ resumed: true, pointsSkipped: 1, pointsCopied: 1 });
    expect(res.sealed.verify).toMatchObject({ ok: true, authenticated: true, pointsChecked: 2 });
    // What the killed run staged was removed by the resume's start.
    expect(filesUnder(join(home, 'jobs')).filter((f) => /\.vhdx$/.test(f))).toEqual([]);
    const to = folder('resumed');
    const u = await cli(home, ['unseal', second, '--to', to, '--unit-passphrase-stdin', '--json'], { input: `${pass}\n` });
    expect(u.exitCode, u.stderr).toBe(0);
    expect(JSON.parse(u.stdout).images).toHaveLength(2);
  }, 900_000);

  it('says the bench\'s disk is full, not the unit, when the staged images do not fit, and leaves nothing staged', async () => {
    // The staging folder of this ticket's sync on a filesystem too small for its first image (a
    // VHDX holds at least its 1 MiB header and metadata regions).
    const stage = s.mount(join(jobDir(`sync-${CRAMPED}`), 'stage'));
    mkdirSync(stage, { recursive: true });
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'rt-stage-test', stage]);
    const [third] = await blankDrives(s, 1);
    const r = await cli(home, ['sync', '--seal', '--ticket', CRAMPED, '--drive', third, ...sites()]);
    expect(r.exitCode, r.stderr).not.toBe(0);
    expect(r.stderr).toMatch(/^STAGING_FULL: This bench's disk is full: the images of \S+ are written and checked there before they are sealed onto the unit/m);
    expect(r.stderr).toContain('Free space on the disk that holds');
    expect(readdirSync(stage)).toEqual([]);
    await execa('umount', [stage]);
  }, 300_000);

  it('refuses a sealed file with a flipped bit with its own code, leaving no part of that image', async () => {
    const mnt = s.mount(join(s.dir, 'tamper'));
    mkdirSync(mnt, { recursive: true });
    await execa('mount', ['-t', 'ext4', `${drive}p2`, mnt]);
    try {
      const streams = join(mnt, 'streams');
      flipMiddleByte(readdirSync(streams).map((f) => join(streams, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0]);
    } finally {
      await execa('umount', [mnt]);
    }
    const to = folder('tampered');
    const r = await cli(home, ['unseal', drive, '--to', to, '--unit-passphrase-stdin'], { input: `${passphrase}\n` });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/^SEALED_CHUNK_TAMPERED: /m);
    const written = filesUnder(to);
    expect(written.filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(written.filter((f) => f.endsWith('.vhdx')).length).toBeLessThan(2);
    expect(existsSync(join(to, 'ROUNDTRIP-MANIFEST.json'))).toBe(false);
  }, 300_000);
});
