// Scratch disks for integration tests: sparse files under a unique temp directory, attached as
// loop devices, and a cleanup that removes exactly what this helper made, pools and mounts included.
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { zfsCmd } from './zfs-cmd.ts';

export interface Scratch {
  dir: string;
  /** A sparse file of `size` (e.g. "600G", "120G", "256M"); not attached. */
  file(name: string, size: string): Promise<string>;
  /** A sparse file attached as a loop device (-P); returns /dev/loopN. */
  loop(name: string, size: string, opts?: { readOnly?: boolean }): Promise<string>;
  /** Remember a pool to destroy on cleanup. */
  pool(name: string): string;
  /** Remember a mountpoint to unmount on cleanup. */
  mount(path: string): string;
  /** A name unique to this test run, usable as a pool name. */
  uniqueName(prefix: string): string;
  cleanup(): Promise<void>;
}

export function makeScratch(tag: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), `rt-${tag}-`));
  const loops: string[] = [];
  const pools: string[] = [];
  const mounts: string[] = [];
  let n = 0;
  const uid = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  return {
    dir,
    async file(name, size) {
      const p = join(dir, name);
      writeFileSync(p, '');
      await execa('truncate', ['-s', size, p]);
      return p;
    },
    async loop(name, size, opts = {}) {
      const p = await this.file(name, size);
      const r = await execa('losetup', ['-f', '--show', '-P', ...(opts.readOnly ? ['-r'] : []), p]);
      const dev = r.stdout.trim();
      loops.push(dev);
      return dev;
    },
    pool(name) {
      pools.push(name);
      return name;
    },
    mount(path) {
      mounts.push(path);
      return path;
    },
    uniqueName(prefix) {
      return `${prefix}${uid}${n++}`;
    },
    async cleanup() {
      for (const m of mounts.reverse()) await execa('umount', ['-l', m], { reject: false });
      for (const p of pools) {
        for (let i = 0; i < 10; i++) {
          const r = await zfsCmd('zpool', ['destroy', '-f', p], { reject: false });
          if (r.exitCode === 0 || /no such pool/.test(r.stderr)) break;
          await new Promise((res) => setTimeout(res, 500));
        }
      }
      // Unmount anything still mounted from our devices or under our directory.
      const mountsNow = (await execa('cat', ['/proc/mounts'])).stdout.split('\n');
      for (const line of mountsNow) {
        const [src, target] = line.split(' ');
        if (loops.some((l) => src?.startsWith(l)) || target?.startsWith(dir)) await execa('umount', ['-l', target], { reject: false });
      }
      for (const l of loops) await execa('losetup', ['-d', l], { reject: false });
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
