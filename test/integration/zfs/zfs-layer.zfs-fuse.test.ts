// The ZFS layer against real zfs-fuse pools on loop devices made by this test.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import * as zfs from '../../../electron/system/zfs/index.ts';
import { AppError } from '../../../electron/api/errors.ts';

const ownHome = process.env.ROUNDTRIP_HOME ? null : mkdtempSync(join(tmpdir(), 'rt-home-'));
if (ownHome) process.env.ROUNDTRIP_HOME = ownHome;

describe('ZFS layer on zfs-fuse (zpool, zfs, losetup)', () => {
  let s: Scratch;
  let src: string;
  let dst: string;

  beforeAll(async () => {
    s = makeScratch('zfs');
    src = s.pool(s.uniqueName('rtzsrc'));
    dst = s.pool(s.uniqueName('rtzdst'));
  });
  afterAll(async () => {
    await s.cleanup();
    if (ownHome) rmSync(ownHome, { recursive: true, force: true });
  });

  it('starts the daemon once, however many callers ask at the same time', async () => {
    await Promise.all([zfs.ensureZfs(), zfs.ensureZfs(), zfs.ensureZfs()]);
    const r = await execa('pgrep', ['-c', '-x', 'zfs-fuse'], { reject: false });
    if ((await zfs.ensureZfs()) === 'zfs-fuse') expect(r.stdout.trim()).toBe('1');
  });

  it('creates a pool striped over two loop devices, exports and imports it', async () => {
    const a = await s.loop('a.img', '256M');
    const b = await s.loop('b.img', '256M');
    await zfs.createPool(src, [a, b], { mountpoint: join(s.dir, 'src') });
    expect(await zfs.poolExists(src)).toBe(true);
    const devs = await zfs.poolDevices(src);
    expect(devs.map((d) => d.replace(/^\/dev\//, ''))).toEqual([a, b].map((d) => d.replace(/^\/dev\//, '')));
    const pools = await zfs.listPools();
    const p = pools.find((x) => x.name === src)!;
    expect(p.health).toBe('ONLINE');
    // Two 256 MiB devices striped: about 500 MiB, not 256.
    expect(p.sizeBytes).toBeGreaterThan(400 * 2 ** 20);
    await zfs.exportPool(src);
    expect(await zfs.poolExists(src)).toBe(false);
    await zfs.importPool(src, { dirs: ['/dev'] });
    expect(await zfs.poolExists(src)).toBe(true);
  });

  it('creates datasets, points, clones and user properties, with exact numbers', async () => {
    await zfs.createDataset(`${src}/agent1`);
    const ds = await zfs.getDataset(`${src}/agent1`);
    expect(ds.type).toBe('filesystem');
    expect(ds.mountpoint).toBe(join(s.dir, 'src', 'agent1'));
    expect(/^\d+$/.test(ds.guid)).toBe(true);
    writeFileSync(join(ds.mountpoint!, 'file.txt'), 'first');
    await zfs.snapshot(`${src}/agent1`, '1700000000');
    writeFileSync(join(ds.mountpoint!, 'file.txt'), 'second');
    writeFileSync(join(ds.mountpoint!, 'big.bin'), Buffer.alloc(3 * 2 ** 20, 7));
    await zfs.snapshot(`${src}/agent1`, '1700003600');
    writeFileSync(join(ds.mountpoint!, 'file.txt'), 'third');
    await zfs.snapshot(`${src}/agent1`, '1700007200');

    const snaps = await zfs.listSnapshots(`${src}/agent1`);
    expect(snaps.map((x) => x.snap)).toEqual(['1700000000', '1700003600', '1700007200']);
    expect(snaps[1].referencedBytes).toBeGreaterThan(3 * 2 ** 20);
    // GUIDs are exact decimal strings, beyond 2^53.
    for (const x of snaps) expect(x.guid).toMatch(/^\d{1,20}$/);

    await zfs.setUserProp(`${src}/agent1`, 'roundtrip:kind', 'agent');
    expect((await zfs.getUserProps(`${src}/agent1`))['roundtrip:kind']).toBe('agent');
    await zfs.inheritUserProp(`${src}/agent1`, 'roundtrip:kind');
    expect((await zfs.getUserProps(`${src}/agent1`))['roundtrip:kind']).toBeUndefined();

    await zfs.clone(`${src}/agent1@1700000000`, `${src}/view`);
    const view = await zfs.getDataset(`${src}/view`);
    expect(view.origin).toBe(`${src}/agent1@1700000000`);
    expect(readFileSync(join(view.mountpoint!, 'file.txt'), 'utf8')).toBe('first');
    await zfs.destroy(`${src}/view`);
    expect(await zfs.datasetExists(`${src}/view`)).toBe(false);
  });

  it('sends full and incremental streams; received points keep the source GUIDs', async () => {
    const f = await s.file('dst.img', '256M');
    await zfs.createPool(dst, [f], { mountpoint: join(s.dir, 'dst') });
    const source = await zfs.listSnapshots(`${src}/agent1`);
    await zfs.sendReceive(`${src}/agent1@1700000000`, `${dst}/agent1`);
    await zfs.sendReceive(`${src}/agent1@1700007200`, `${dst}/agent1`, { from: '1700000000', intermediate: true });
    const got = await zfs.listSnapshots(`${dst}/agent1`);
    expect(got.map((x) => [x.snap, x.guid])).toEqual(source.map((x) => [x.snap, x.guid]));
    const mnt = (await zfs.getDataset(`${dst}/agent1`)).mountpoint!;
    expect(readFileSync(join(mnt, 'file.txt'), 'utf8')).toBe('third');
  });

  it('reports a refused receive with a code, not a stack', async () => {
    // The destination already has these points: a full stream into it is refused.
    const err = await zfs.sendReceive(`${src}/agent1@1700000000`, `${dst}/agent1`).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('ZFS_RECEIVE_REFUSED');
    expect(err.message).not.toMatch(/at .*\.ts/);
  });

  it('reports a missing source point as SOURCE_POINT_GONE', async () => {
    const err = await zfs.sendReceive(`${src}/agent1@1600000000`, `${dst}/other`).catch((e) => e);
    expect(err.code).toBe('SOURCE_POINT_GONE');
  });

  it('reports a receive cancelled before its sender starts as CANCELLED to the caller, and to nobody else', async () => {
    // A sync opens the receiver first and awaits it only once the sender runs; a cancel in between
    // used to end the run with an unhandled rejection.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const ac = new AbortController();
      const recv = await zfs.zfsReceive(`${dst}/cancelled`, { signal: ac.signal });
      ac.abort();
      // Time for the receiver to die and its result to settle while nothing awaits it yet.
      await new Promise((res) => setTimeout(res, 1500));
      expect(unhandled).toEqual([]);
      const err = await recv.done.catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('CANCELLED');
      expect(err.message).toBe(`Receiving into ${dst}/cancelled was cancelled.`);
      expect(await zfs.datasetExists(`${dst}/cancelled`)).toBe(false);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('rolls back and destroys snapshots', async () => {
    await zfs.snapshot(`${dst}/agent1`, 'extra');
    await zfs.rollback(`${dst}/agent1@1700003600`, { destroyNewer: true });
    expect((await zfs.listSnapshots(`${dst}/agent1`)).map((x) => x.snap)).toEqual(['1700000000', '1700003600']);
    await zfs.destroy(`${dst}/agent1@1700003600`);
    expect((await zfs.listSnapshots(`${dst}/agent1`)).map((x) => x.snap)).toEqual(['1700000000']);
  });

  it('probes zfs-fuse honestly', async () => {
    const caps = await zfs.probeZfs({ fresh: true });
    if (caps.flavor !== 'zfs-fuse') return expect(caps.flavor).toBe('openzfs');
    expect(caps).toMatchObject({
      resumableReceive: false,
      sendDryRunSize: false,
      rawSend: false,
      bookmarks: false,
      nativeEncryption: false,
      snapdirAccess: false,
      receiveNoMount: false,
      holds: true,
      listHolds: false,
    });
    // The probe cleans up its scratch pool (named after its process: other benches may be probing).
    expect((await zfs.listPools()).some((p) => p.name.startsWith(`rtprobe${process.pid}x`))).toBe(false);
  });

  it('refuses names with shell metacharacters before any command runs', async () => {
    const marker = join(s.dir, 'pwned');
    const bad = [`${src}/x;touch ${marker}`, `${src}/$(touch ${marker})`, `${src}/a b`, '-oops', `${src}/-x`, `${src}/x|y`, `${src}/x\`id\``, 'mirror', `${src}//x`, ''];
    const logBefore = existsSync(join(process.env.ROUNDTRIP_HOME!, 'logs', 'engine.log')) ? readFileSync(join(process.env.ROUNDTRIP_HOME!, 'logs', 'engine.log'), 'utf8').length : 0;
    for (const name of bad) await expect(zfs.createDataset(name)).rejects.toMatchObject({ code: 'BAD_NAME' });
    for (const snap of ['x;id', '$(id)', 'a b', '-R', '', 'a@b', 'a/b']) await expect(zfs.snapshot(`${src}/agent1`, snap)).rejects.toMatchObject({ code: 'BAD_NAME' });
    await expect(zfs.createPool(`bad;name`, ['/dev/null'])).rejects.toMatchObject({ code: 'BAD_NAME' });
    await expect(zfs.createPool('goodname', ['/dev/x;rm'])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(zfs.setUserProp(`${src}/agent1`, 'NotUser', 'x')).rejects.toMatchObject({ code: 'BAD_NAME' });
    expect(existsSync(marker)).toBe(false);
    const log = existsSync(join(process.env.ROUNDTRIP_HOME!, 'logs', 'engine.log')) ? readFileSync(join(process.env.ROUNDTRIP_HOME!, 'logs', 'engine.log'), 'utf8') : '';
    // No tool was started for any refused name.
    expect(log.slice(logBefore)).not.toMatch(/"cmd":"zfs"|"cmd":"zpool"/);
  });
});
