// Sealed stream files against real zfs-fuse pools and an ext4 unit on a loop device (issue 21):
// points sealed into files (full, then incrementals), opened into `zfs receive` with their GUIDs;
// tampered files refused each with its own code, leaving the destination as it was; and nothing
// readable on the unit's raw bytes without the passphrase.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_BYTES, RECORD_HEAD_BYTES, TAG_BYTES, DEFAULT_CHUNK_BYTES, generateUnitPassphrase, makeUnitKey, openUnitKey, parseUnitKeyRecord } from '../../../electron/seal/index.ts';
import { receiveSealed, sendSealed } from '../../../electron/jobs/zfs/sealed-file.ts';
import * as zfs from '../../../electron/system/zfs/index.ts';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const ownHome = process.env.ROUNDTRIP_HOME ? null : mkdtempSync(join(tmpdir(), 'rt-home-'));
if (ownHome) process.env.ROUNDTRIP_HOME = ownHome;

const MARKER = 'CUSTOMER-LEDGER-MARKER-5b1e0c';
const INNER_NAME = 'ledger-of-acme-holdings.txt';
const REC = RECORD_HEAD_BYTES + DEFAULT_CHUNK_BYTES + TAG_BYTES;

describe('sealed stream files through zfs send / zfs receive (zfs-fuse, losetup, mkfs.ext4)', () => {
  let s: Scratch;
  let src = '';
  let dst = '';
  let unitDev = '';
  let unitImg = '';
  let unit = '';
  const pass = generateUnitPassphrase();
  let dataKey: Buffer;
  const files: Record<string, { path: string; streamId: string }> = {};

  const guid = async (name: string) => (await zfsCmd('zfs', ['get', '-H', '-o', 'value', 'guid', name])).stdout.trim();
  const names = async () => (await zfsCmd('zfs', ['list', '-H', '-o', 'name', '-t', 'all', '-r', dst])).stdout.trim().split('\n').sort();
  const tampered = (name: string, change: (b: Buffer) => Buffer) => {
    const p = join(unit, `${name}.rtbseal`);
    writeFileSync(p, change(readFileSync(files['1'].path)));
    return p;
  };

  beforeAll(async () => {
    await zfs.ensureZfs();
    s = makeScratch('sealed');
    src = s.pool(s.uniqueName('rtssrc'));
    dst = s.pool(s.uniqueName('rtsdst'));
    await zfsCmd('zpool', ['create', '-m', join(s.dir, 'src'), src, await s.loop('src.img', '256M')]);
    await zfsCmd('zpool', ['create', '-m', 'none', dst, await s.loop('dst.img', '256M')]);
    await zfsCmd('zfs', ['create', '-o', 'compression=off', `${src}/agent1`]);
    const mnt = join(s.dir, 'src', 'agent1');
    // Random data around the marker: at least three 1 MiB chunks per stream.
    writeFileSync(join(mnt, INNER_NAME), Buffer.concat([randomBytes(1_500_000), Buffer.from(`${MARKER}\n`.repeat(64)), randomBytes(1_600_000)]));
    await zfsCmd('zfs', ['snapshot', `${src}/agent1@1`]);
    writeFileSync(join(mnt, 'second.bin'), randomBytes(3_200_000));
    await zfsCmd('zfs', ['snapshot', `${src}/agent1@2`]);
    writeFileSync(join(mnt, 'third.txt'), `${MARKER} third\n`);
    await zfsCmd('zfs', ['snapshot', `${src}/agent1@3`]);
    unitImg = join(s.dir, 'unit.img');
    unitDev = await s.loop('unit.img', '64M');
    await execa('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', 'nodiscard', unitDev]);
    unit = s.mount(join(s.dir, 'unit'));
    mkdirSync(unit);
    await zfsCmd('mount', ['-t', 'ext4', unitDev, unit]);
  }, 120_000);

  afterAll(async () => {
    dataKey?.fill(0);
    await s.cleanup();
    if (ownHome) rmSync(ownHome, { recursive: true, force: true });
  }, 120_000);

  it('seals a full and two incremental streams into files on the unit, with the key record beside them', async () => {
    const made = await makeUnitKey(pass);
    dataKey = made.dataKey;
    writeFileSync(join(unit, 'unit-key.json'), JSON.stringify(made.record));
    let from: string | undefined;
    for (const p of ['1', '2', '3']) {
      // Named by their order only: nothing from inside the volumes appears on the unit in clear.
      const path = join(unit, `stream-${p}.rtbseal`);
      const r = await sendSealed(`${src}/agent1@${p}`, path, dataKey, { from });
      expect(r.plainBytes).toBeGreaterThan(0);
      files[p] = { path, streamId: r.streamId };
      from = p;
    }
    expect(readFileSync(files['1'].path).length).toBeGreaterThan(3 * REC);
  }, 120_000);

  it('continues a half-written stream file after its last whole record, into the same bytes', async () => {
    const half = join(unit, 'half-2.rtbseal');
    copyFileSync(files['2'].path, half);
    truncateSync(half, HEADER_BYTES + 2 * REC + 12345);
    const r = await sendSealed(`${src}/agent1@2`, half, dataKey, { from: '1', resume: true });
    expect(r.resumedAt).toBe(HEADER_BYTES + 2 * REC);
    expect(r.streamId).toBe(files['2'].streamId);
    expect(readFileSync(half).equals(readFileSync(files['2'].path))).toBe(true);
    // Another point's stream is not written into this file.
    truncateSync(half, HEADER_BYTES + 2 * REC + 12345);
    const err = await sendSealed(`${src}/agent1@3`, half, dataKey, { from: '1', resume: true }).catch((e) => e);
    expect(err?.code).toBe('SEALED_STREAM_FOREIGN');
    rmSync(half);
  }, 120_000);

  it('refuses a wrong passphrase before reading any stream', async () => {
    const rec = parseUnitKeyRecord(readFileSync(join(unit, 'unit-key.json'), 'utf8'));
    await expect(openUnitKey(rec, generateUnitPassphrase())).rejects.toMatchObject({ code: 'UNIT_PASSPHRASE_WRONG' });
    const back = await openUnitKey(rec, pass);
    expect(back.equals(dataKey)).toBe(true);
    back.fill(0);
  }, 30_000);

  it('refuses each tampered full stream with its own code, and keeps no partial point', async () => {
    const before = await names();
    const other = readFileSync(files['2'].path);
    const cases: [string, string, (b: Buffer) => Buffer][] = [
      ['flipped', 'SEALED_CHUNK_TAMPERED', (b) => { const c = Buffer.from(b); c[Math.floor(c.length / 2)] ^= 0x01; return c; }],
      ['swapped', 'SEALED_CHUNK_TAMPERED', (b) => Buffer.concat([b.subarray(0, HEADER_BYTES + REC), b.subarray(HEADER_BYTES + 2 * REC, HEADER_BYTES + 3 * REC), b.subarray(HEADER_BYTES + REC, HEADER_BYTES + 2 * REC), b.subarray(HEADER_BYTES + 3 * REC)])],
      ['foreign-chunk', 'SEALED_CHUNK_TAMPERED', (b) => { const c = Buffer.from(b); other.copy(c, HEADER_BYTES + REC, HEADER_BYTES + REC, HEADER_BYTES + 2 * REC); return c; }],
      ['truncated', 'SEALED_STREAM_TRUNCATED', (b) => b.subarray(0, HEADER_BYTES + 3 * REC)],
    ];
    for (const [name, code, change] of cases) {
      const p = tampered(name, change);
      const err = await receiveSealed(p, `${dst}/agent1`, dataKey, { streamId: files['1'].streamId, receive: { noMount: true } }).catch((e) => e);
      expect(err?.code, name).toBe(code);
      expect(await names(), name).toEqual(before);
    }
    // A whole file of another stream in this one's place.
    const err = await receiveSealed(files['2'].path, `${dst}/agent1`, dataKey, { streamId: files['1'].streamId, receive: { noMount: true } }).catch((e) => e);
    expect(err?.code).toBe('SEALED_STREAM_FOREIGN');
    expect(await names()).toEqual(before);
  }, 180_000);

  it('receives the points in order with the source GUIDs; a tampered incremental leaves the destination as it was', async () => {
    await receiveSealed(files['1'].path, `${dst}/agent1`, dataKey, { streamId: files['1'].streamId, receive: { noMount: true } });
    const before = await names();
    const guidBefore = await guid(`${dst}/agent1@1`);
    const bad = join(unit, 'flipped-2.rtbseal');
    copyFileSync(files['2'].path, bad);
    const b = readFileSync(bad);
    b[HEADER_BYTES + REC + 4242] ^= 0x80;
    writeFileSync(bad, b);
    const err = await receiveSealed(bad, `${dst}/agent1`, dataKey, { streamId: files['2'].streamId, receive: { noMount: true } }).catch((e) => e);
    expect(err?.code).toBe('SEALED_CHUNK_TAMPERED');
    const cut = join(unit, 'cut-2.rtbseal');
    copyFileSync(files['2'].path, cut);
    truncateSync(cut, readFileSync(cut).length - 10);
    expect((await receiveSealed(cut, `${dst}/agent1`, dataKey, { streamId: files['2'].streamId, receive: { noMount: true } }).catch((e) => e))?.code).toBe('SEALED_STREAM_TRUNCATED');
    expect(await names()).toEqual(before);
    expect(await guid(`${dst}/agent1@1`)).toBe(guidBefore);
    for (const p of ['2', '3']) {
      const r = await receiveSealed(files[p].path, `${dst}/agent1`, dataKey, { streamId: files[p].streamId, receive: { noMount: true } });
      expect(r.streamId).toBe(files[p].streamId);
    }
    for (const p of ['1', '2', '3']) expect(await guid(`${dst}/agent1@${p}`), `@${p}`).toBe(await guid(`${src}/agent1@${p}`));
  }, 180_000);

  it('leaves nothing readable on the unit without the passphrase: no content, no inner file names, no passphrase', async () => {
    // The check can see: a plain stream of the same point shows the marker and the file name.
    const plain = await zfs.zfsSend(`${src}/agent1@1`);
    const parts: Buffer[] = [];
    for await (const c of plain.stdout) parts.push(c as Buffer);
    await plain.done;
    const plainBytes = Buffer.concat(parts);
    expect(plainBytes.includes(MARKER)).toBe(true);
    expect(plainBytes.includes(INNER_NAME)).toBe(true);
    await execa('sync');
    await execa('umount', [unit]);
    const raw = readFileSync(unitImg);
    expect(raw.includes('stream-1.rtbseal')).toBe(true); // the image is readable as it is
    expect(raw.includes(MARKER)).toBe(false);
    expect(raw.includes(INNER_NAME)).toBe(false);
    expect(raw.includes('agent1')).toBe(false);
    expect(raw.includes(pass)).toBe(false);
    expect(raw.includes(pass.replace(/-/g, ''))).toBe(false);
  }, 120_000);
});
