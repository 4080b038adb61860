// Large files of a browsable copy go through worker threads (jobs/files/large-copy-workers.ts).
// On real ext4 units on loop devices: their SHA-256, holes, times and modes; a unit too small
// (TARGET_FULL, not a stack trace); a file the source cannot read once a worker opens it (listed,
// the copy goes on); cancelling in the middle of a large file (CANCELLED).
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTree } from '../../../electron/jobs/files/copy-tree.ts';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';

let s: Scratch;
let src = '';

async function ext4Unit(name: string, size: string): Promise<string> {
  const dev = await s.loop(`${name}.img`, size);
  await execa('mkfs.ext4', ['-q', '-F', '-m', '0', dev]);
  const root = s.mount(join(s.dir, name));
  mkdirSync(root);
  await execa('mount', ['-t', 'ext4', dev, root]);
  return root;
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

beforeAll(async () => {
  s = makeScratch('copylarge');
  src = join(s.dir, 'src');
  mkdirSync(join(src, 'big'), { recursive: true });
  for (let i = 0; i < 4; i++) writeFileSync(join(src, 'big', `data-${i}.bin`), randomBytes(6 * 1024 * 1024 + i * 1000));
  // Data, a 2 MiB hole, data: the hole must stay a hole on the unit.
  const fd = openSync(join(src, 'big', 'holes.bin'), 'w');
  writeSync(fd, randomBytes(300_000), 0, 300_000, 0);
  writeSync(fd, randomBytes(300_000), 0, 300_000, 3 * 1024 * 1024);
  closeSync(fd);
  chmodSync(join(src, 'big', 'data-1.bin'), 0o640);
  utimesSync(join(src, 'big', 'data-2.bin'), 1_600_000_000.123456, 1_600_000_000.654321);
  writeFileSync(join(src, 'small.txt'), 'small\n');
}, 60_000);

afterAll(async () => {
  await s?.cleanup();
});

describe('copyTree, large files on worker threads (ext4 units on loop devices)', () => {
  it('copies every large file with its SHA-256, holes, mode and times', async () => {
    const unit = await ext4Unit('unit-ok', '256M');
    const r = await copyTree(src, join(unit, 'vol'), { ntfs: false });
    expect(r.unreadable).toEqual([]);
    const byPath = new Map(r.files.map((f) => [f.path, f]));
    for (const name of ['data-0.bin', 'data-1.bin', 'data-2.bin', 'data-3.bin', 'holes.bin']) {
      const e = byPath.get(`big/${name}`)!;
      expect(e.sha256).toBe(sha(join(src, 'big', name)));
      expect(sha(join(unit, 'vol', 'big', name))).toBe(e.sha256);
      expect(lstatSync(join(unit, 'vol', 'big', name)).size).toBe(lstatSync(join(src, 'big', name)).size);
    }
    expect(lstatSync(join(unit, 'vol', 'big', 'holes.bin')).blocks * 512).toBeLessThan(1024 * 1024);
    expect(lstatSync(join(unit, 'vol', 'big', 'data-1.bin')).mode & 0o777).toBe(0o640);
    // Times to the microsecond, as the copy keeps them (the source's own, set with a sub-second part).
    const us = (p: string) => lstatSync(p, { bigint: true }).mtimeNs / 1000n;
    expect(us(join(src, 'big', 'data-2.bin')) % 1_000_000n).not.toBe(0n);
    expect(us(join(unit, 'vol', 'big', 'data-2.bin'))).toBe(us(join(src, 'big', 'data-2.bin')));
    expect(r.bytes).toBe([...byPath.values()].filter((f) => f.type === 'file').reduce((a, f) => a + f.size, 0));
  });

  it('says TARGET_FULL when a large file does not fit on the unit', async () => {
    const unit = await ext4Unit('unit-small', '16M');
    await expect(copyTree(src, join(unit, 'vol'), { ntfs: false })).rejects.toMatchObject({ code: 'TARGET_FULL', message: expect.stringMatching(/full/) });
  });

  it('lists a large file the source cannot read and copies the others', async () => {
    const unit = await ext4Unit('unit-unreadable', '256M');
    const bad = join(src, 'big', 'data-3.bin');
    const kept = readFileSync(bad);
    try {
      // The walk saw a file; by the time a worker opens it (the first file's progress comes before
      // it is handed out) it is a folder, which opens but cannot be read (EISDIR).
      let swapped = false;
      const r = await copyTree(src, join(unit, 'vol'), {
        ntfs: false,
        onBytes: () => {
          if (swapped) return;
          swapped = true;
          rmSync(bad);
          mkdirSync(bad);
        },
      });
      expect(r.unreadable).toEqual([{ path: 'big/data-3.bin', error: expect.stringMatching(/^EISDIR/) }]);
      expect(r.files.filter((f) => f.path.startsWith('big/')).map((f) => f.path)).toEqual(['big/data-0.bin', 'big/data-1.bin', 'big/data-2.bin', 'big/holes.bin']);
      expect(existsSync(join(unit, 'vol', 'big', 'data-3.bin'))).toBe(false);
      expect(sha(join(unit, 'vol', 'big', 'data-2.bin'))).toBe(sha(join(src, 'big', 'data-2.bin')));
    } finally {
      rmSync(bad, { recursive: true, force: true });
      writeFileSync(bad, kept);
    }
  });

  it('stops with CANCELLED in the middle of the large files', async () => {
    const unit = await ext4Unit('unit-cancel', '256M');
    const ac = new AbortController();
    let seen = 0;
    const p = copyTree(src, join(unit, 'vol'), {
      ntfs: false,
      signal: ac.signal,
      onBytes: (n) => {
        seen += n;
        if (seen > 8 * 1024 * 1024) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    // Not everything was copied: the cancel took effect before the end.
    const total = (await execa('du', ['-sb', join(src, 'big')])).stdout.split('\t')[0];
    expect(seen).toBeLessThan(Number(total));
  });
});
