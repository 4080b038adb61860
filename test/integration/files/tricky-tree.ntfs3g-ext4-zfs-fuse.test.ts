// Browsable copies of a tree built to be awkward — names Windows refuses, a path 1,300 characters
// deep, a sparse file, symlinks, a setuid file owned by another user, a file whose inode is damaged —
// onto NTFS and ext4 units on loop devices, from a source pool of our own (real zfs-fuse clones,
// losetup -r, ntfs-3g, ext4). Then points spread over two drives, and a kill -9 in the middle.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, existsSync, lstatSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { blankDrives, cli, cliSpawn, fingerprint } from '../../helpers/units.ts';
import { runFileSync, type FileSyncRequest } from '../../../electron/jobs/files/sync.ts';
import { estimatePointBytes, measuredPointBytes } from '../../../electron/jobs/files/placement.ts';
import { unmapNtfsName } from '../../../electron/jobs/files/ntfs-names.ts';
import { jobDir } from '../../../electron/jobs/journal.ts';
import type { Manifest } from '../../../electron/jobs/manifest.ts';
import { DEEP_DIRS, ILLEGAL_NAMES, describeTree, fileTicket, makeSourcePool, mountUnitData, unitPathOf, withSourcePoint, type SourcePool } from './helpers.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-files-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
process.env.ROUNDTRIP_HOME = home;

describe('browsable copies of an awkward tree (zfs-fuse clone → ntfs-3g / ext4 on loop devices)', () => {
  let s: Scratch;
  let src: SourcePool;
  let before: unknown;

  const request = (over: Partial<FileSyncRequest>): FileSyncRequest => ({
    ticketId: 'T-FILES',
    applianceSerial: 'TEST-APPL',
    direction: 'reverse',
    source: { host: 'local', root: src.pool },
    devices: [],
    filesystem: 'ntfs',
    layout: 'browsable',
    systems: [
      { system: 'TRICKY-LNX01', kind: 'agent', encrypted: false, sourceDataset: src.agent, points: [src.agentPoints.at(-1)!] },
      { system: 'TRICKY-SHARE01', kind: 'share', encrypted: false, sourceDataset: src.share, points: src.sharePoints },
    ],
    ...over,
  });

  /** No clone, mount or loop device of ours is left on the machine. */
  async function nothingLeft(): Promise<void> {
    const ds = (await zfsCmd('zfs', ['list', '-H', '-o', 'name', '-r', src.pool])).stdout;
    expect(ds).not.toMatch(/rtread-/);
    const mounts = readFileSync('/proc/mounts', 'utf8');
    expect(mounts).not.toContain(home);
    const loops = (await execa('losetup', ['-J', '-l'])).stdout;
    expect(loops).not.toContain(home);
    expect(loops).not.toContain(`${s.dir}/source/`);
  }

  beforeAll(async () => {
    s = makeScratch('files-tricky');
    src = await makeSourcePool(s, 4);
    before = await fingerprint(src.pool);
  }, 180_000);
  afterAll(async () => {
    await s.cleanup();
  }, 120_000);

  it('NTFS: maps every name Windows refuses reversibly, lists the unreadable file, keeps holes, links, deep paths, sizes and times', async () => {
    const [drive] = await blankDrives(s, 1);
    const r = await runFileSync(request({ devices: [drive], jobId: 'files-ntfs' }));
    expect(r.pointsCopied).toBe(1 + src.sharePoints.length);
    expect(r.unreadable).toBe(1);
    expect(r.verify?.every((v) => v.ok)).toBe(true);
    const m = r.manifests[0];
    const lnx = m.systems.find((x) => x.system === 'TRICKY-LNX01')!.points[0];
    const vol = lnx.volumes![0];
    expect(vol.unreadable).toEqual([{ path: 'bad.bin', error: expect.stringMatching(/EUCLEAN/) }]);
    // Every refused name is listed with the name it has on the unit, which maps back to the original.
    for (const n of ILLEGAL_NAMES) {
      const e = vol.files.find((f) => f.path === n)!;
      expect(e.unitPath, n).toBeDefined();
      expect(e.unitPath).not.toMatch(/[:*?"<>|]|[. ]$|^CON$/);
      expect(unmapNtfsName(e.unitPath!)).toBe(n);
    }
    const readmes = vol.files.filter((f) => /^readme$/i.test(f.path));
    expect(new Set(readmes.map((f) => (f.unitPath ?? f.path).toLowerCase())).size).toBe(2);
    expect(r.renamed).toBeGreaterThanOrEqual(ILLEGAL_NAMES.length * 2 + 2);

    const unit = await mountUnitData(s, drive, 'ntfs');
    try {
      const unitVol = join(unit.dir, lnx.folder!, 'root');
      const toUnit = unitPathOf(vol.files);
      await withSourcePoint(s, src.agent, lnx.name, 'root', async (dir) => {
        const source = describeTree(dir);
        const onUnit = describeTree(unitVol);
        for (const [p, e] of source) {
          const u = onUnit.get(toUnit(p));
          expect(u, p).toBeDefined();
          expect(u!.type, p).toBe(e.type);
          if (e.type === 'file') {
            expect([u!.size, u!.sha256], p).toEqual([e.size, e.sha256]);
            expect(u!.mtimeUs, p).toBe(e.mtimeUs);
          }
          if (e.type === 'symlink') expect(u!.target, p).toBe(e.target);
        }
        expect(source.has('bad.bin')).toBe(false);
        expect(onUnit.has('bad.bin')).toBe(false);
      });
      const sp = lstatSync(join(unitVol, 'sparse.bin'));
      expect(sp.size).toBe(24 * 1024 * 1024);
      expect(sp.blocks * 512).toBeLessThan(1024 * 1024);
      expect(readFileSync(join(unitVol, ...DEEP_DIRS, 'bottom.txt'), 'utf8')).toBe('a long way down\n');
      expect(existsSync(join(unit.dir, 'ROUNDTRIP-MANIFEST.json'))).toBe(true);
      // The share's files, names mapped the same way.
      const sh = m.systems.find((x) => x.system === 'TRICKY-SHARE01')!.points.at(-1)!;
      const shareFiles = sh.volumes![0].files;
      const notes = shareFiles.find((f) => f.path === 'Projects/Q1: plan/notes?.md')!;
      expect(notes.unitPath).toBe('Projects/Q1%3A plan/notes%3F.md');
      expect(readFileSync(join(unit.dir, sh.folder!, 'files', notes.unitPath!), 'utf8')).toBe('# notes\n');
      expect(shareFiles.some((f) => f.path.startsWith('.roundtrip'))).toBe(false);
    } finally {
      await unit.close();
    }
    const v = await cli(home, ['verify', drive, '--json']);
    expect(v.exitCode, v.stdout + v.stderr).toBe(0);
    const vr = JSON.parse(v.stdout);
    expect(vr.sourceCompared).toBe(true);
    expect(vr.unreadableOnSource).toBe(1);
    expect(await fingerprint(src.pool)).toEqual(before);
    await nothingLeft();
  });

  it('a drive pulled after the first point: TARGET_GONE naming the drive, nothing cloned or mounted left, the source unchanged', async () => {
    const [drive] = await blankDrives(s, 1);
    const backing = (await execa('losetup', ['-n', '-O', 'BACK-FILE', drive])).stdout.trim();
    const err = await runFileSync(request({ devices: [drive], jobId: 'files-pulled' }), {
      hooks: {
        afterPoint: async (_s, _p, n) => {
          // As when the USB cable comes out: the drive's content is cut off and its file removed.
          if (n === 1) {
            await execa('truncate', ['-s', '0', backing]);
            await execa('rm', ['-f', backing]);
          }
        },
      },
    }).catch((e) => e);
    expect(err.code, `${err.code}: ${err.message}`).toBe('TARGET_GONE');
    expect(err.message).toContain(drive);
    expect(err.step).toMatch(/^copy /);
    expect(err.hint).toMatch(/--resume/);
    await nothingLeft();
    expect(await fingerprint(src.pool)).toEqual(before);
  });

  it('images: a first image damaged on the unit fails its own point as VERIFY_MISMATCH while the next one is converted; nothing left, the source unchanged', async () => {
    const [drive] = await blankDrives(s, 1);
    const written: string[] = [];
    const err = await runFileSync(
      request({
        devices: [drive],
        filesystem: 'ext4',
        layout: 'image',
        imageFormat: 'raw',
        jobId: 'files-image-damaged',
        systems: [{ system: 'TRICKY-LNX01', kind: 'agent', encrypted: false, sourceDataset: src.agent, points: src.agentPoints }],
      }),
      {
        hooks: {
          afterImage: async (file) => {
            written.push(file);
            // The first image, as a failing drive might return it: one byte of the volume's superblock changed.
            if (written.length === 1) {
              const fd = openSync(file, 'r+');
              try {
                const b = Buffer.alloc(1);
                readSync(fd, b, 0, 1, 1024);
                b[0] ^= 0xff;
                writeSync(fd, b, 0, 1, 1024);
              } finally {
                closeSync(fd);
              }
            }
          },
        },
      },
    ).catch((e) => e);
    expect(err.code, `${err.code}: ${err.message}`).toBe('VERIFY_MISMATCH');
    expect(err.message).toMatch(/volume root differs/);
    expect(err.step).toBe(`export TRICKY-LNX01@${src.agentPoints[0]}`);
    const lines = readFileSync(join(jobDir('files-image-damaged'), 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.some((l) => l.type === 'point')).toBe(false);
    expect(lines.at(-1)).toMatchObject({ type: 'failed', code: 'VERIFY_MISMATCH', step: `export TRICKY-LNX01@${src.agentPoints[0]}` });
    await nothingLeft();
    expect(await fingerprint(src.pool)).toEqual(before);
  });

  it('EXT4: keeps names as they are, owners, permissions (setuid too), symlinks and holes; a changed byte fails verify', async () => {
    const [drive] = await blankDrives(s, 1);
    const r = await runFileSync(request({ devices: [drive], filesystem: 'ext4', jobId: 'files-ext4' }));
    expect(r.renamed).toBe(0);
    expect(r.unreadable).toBe(1);
    const lnx = r.manifests[0].systems[0].points[0];
    const unit = await mountUnitData(s, drive, 'ext4');
    let target = '';
    try {
      const unitVol = join(unit.dir, lnx.folder!, 'root');
      await withSourcePoint(s, src.agent, lnx.name, 'root', async (dir) => {
        const source = describeTree(dir);
        const onUnit = describeTree(unitVol);
        for (const [p, e] of source) expect(onUnit.get(p), p).toEqual(e);
        expect(onUnit.size).toBe(source.size);
      });
      expect(lstatSync(join(unitVol, 'tool')).mode & 0o7777).toBe(0o4755);
      expect(lstatSync(join(unitVol, 'secret.txt')).uid).toBe(1234);
      expect(lstatSync(join(unitVol, 'sparse.bin')).blocks * 512).toBeLessThan(1024 * 1024);
      target = join(lnx.folder!, 'root', 'docs', readdirSync(join(unitVol, 'docs'))[0]);
    } finally {
      await unit.close();
    }
    // One byte changed on the unit behind the manifest's back: verify names the file.
    const rw = s.mount(join(s.dir, 'rw-ext4'));
    await execa('mkdir', ['-p', rw]);
    await execa('mount', ['-t', 'ext4', `${drive}p2`, rw]);
    const f = join(rw, target);
    const body = readFileSync(f);
    body[0] ^= 1;
    const st = lstatSync(f, { bigint: true });
    await execa('dd', ['of=' + f, 'conv=notrunc', 'bs=1', 'count=1', 'status=none'], { input: body.subarray(0, 1) });
    await execa('touch', ['-d', `@${st.mtimeNs / 1_000_000_000n}.${String(st.mtimeNs % 1_000_000_000n).padStart(9, '0')}`, f]);
    await execa('umount', [rw]);
    const v = await cli(home, ['verify', drive, '--no-source', '--json']);
    expect(v.exitCode).toBe(1);
    const vr = JSON.parse(v.stdout);
    expect(vr.mismatches).toEqual([expect.objectContaining({ system: 'TRICKY-LNX01', point: lnx.name, problem: expect.stringMatching(/content differs/) })]);
    expect(await fingerprint(src.pool)).toEqual(before);
  });

  it('spreads whole points over two drives when one cannot hold them all; each drive verifies on its own and names the other', async () => {
    const drives = await blankDrives(s, 2);
    const req = request({ devices: drives, filesystem: 'ext4', jobId: 'files-spread', systems: [{ ...request({}).systems[0], points: src.agentPoints }] });
    // The sizes the sync places with: exact for browsable copies (placement.ts).
    const quick = await estimatePointBytes(req.systems, 'browsable');
    const total = (await measuredPointBytes(req.systems, quick, { layout: 'browsable' })).reduce((n, p) => n + p.bytes, 0);
    const r = await runFileSync(req, {
      hooks: {
        // Fill each drive so that it holds a bit more than half of the points: they must be spread.
        afterTarget: async (unit) => {
          for (const d of unit.drives) {
            const free = Number((await execa('df', ['-B1', '--output=avail', d.root])).stdout.split('\n')[1]);
            await execa('fallocate', ['-l', String(free - Math.ceil(total * 0.6)), join(d.root, 'filler.bin')]);
          }
        },
      },
    });
    expect(new Set(r.placement.map((p) => p.drive))).toEqual(new Set([1, 2]));
    for (const [i, d] of drives.entries()) {
      const v = await cli(home, ['verify', d, '--json']);
      expect(v.exitCode, v.stdout + v.stderr).toBe(0);
      const vr = JSON.parse(v.stdout);
      const here = r.placement.filter((p) => p.drive === i + 1);
      expect(vr.driveIndex).toBe(i + 1);
      expect(vr.pointsChecked).toBe(here.length);
      expect(vr.elsewhere.map((e: { drive: number }) => e.drive)).toEqual(r.placement.filter((p) => p.drive !== i + 1).map((p) => p.drive));
      const ins = JSON.parse((await cli(home, ['inspect', d, '--json'])).stdout);
      const m: Manifest = ins.manifest;
      expect(m.drives.map((x) => x.index)).toEqual([1, 2]);
      expect(m.systems[0].points.map((p) => p.drive)).toEqual(r.placement.map((p) => p.drive));
    }
    expect(await fingerprint(src.pool)).toEqual(before);
  });

  it('survives kill -9: the next start removes the clone and mounts it left, resume finishes without copying a finished point again', async () => {
    fileTicket('2000001', {
      format: { filesystem: 'ntfs', layout: 'browsable' },
      systems: [{ name: 'TRICKY-LNX01', points: { kind: 'range', from: '2000-01-01', to: '2100-01-01' } }],
      source: { location: 'appliance' },
    });
    const [drive] = await blankDrives(s, 1);
    const sites = ['--source', src.pool, '--offsite', src.pool];
    const journal = join(jobDir('sync-2000001'), 'journal.jsonl');
    const points = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')).length : 0);
    const child = cliSpawn(home, ['sync', '--unencrypted', '--ticket', '2000001', '--drive', drive, '--no-verify', ...sites]);
    for (let i = 0; i < 1200 && points() < 1; i++) await new Promise((res) => setTimeout(res, 50));
    child.kill('SIGKILL');
    await child;
    const first = points();
    expect(first).toBeGreaterThanOrEqual(1);
    // The killed run left its unit mounted (and maybe a clone): the next start removes them.
    expect(readFileSync('/proc/mounts', 'utf8')).toContain(home);
    expect(readdirSync(join(home, 'leftovers')).length).toBeGreaterThan(0);
    expect(first).toBeLessThan(src.agentPoints.length);
    const r = await cli(home, ['sync', '--unencrypted', '--ticket', '2000001', '--resume', ...sites, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(res.resumed).toBe(true);
    expect(res.pointsSkipped).toBe(first);
    expect(res.pointsCopied + res.pointsSkipped).toBe(src.agentPoints.length);
    const keys = readFileSync(journal, 'utf8').split('\n').filter((l) => l.includes('"type":"point"')).map((l) => JSON.parse(l).point);
    expect(new Set(keys).size).toBe(keys.length);
    expect(res.verify.every((v: { ok: boolean }) => v.ok)).toBe(true);
    await nothingLeft();
    expect(await fingerprint(src.pool)).toEqual(before);
  });
});
