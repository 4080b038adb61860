// Drive figures for `npm run bench`: how long a hot-plugged drive takes to show up
// (hotplug_detect_ms: a fresh sparse loop device attached, until the watcher reports it) and how
// long one full drive listing takes (drive_list_ms). Medians of a few runs.
import type { Figure } from './figure.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { enumerate } from '../../electron/drives/enumerate.ts';
import { DriveWatcher, type DriveEvent } from '../../electron/drives/watch.ts';


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function detachIfOurs(dev: string, file: string): Promise<void> {
  let backing = '';
  try {
    backing = readFileSync(`/sys/block/${basename(dev)}/loop/backing_file`, 'utf8').trim();
  } catch {
    return;
  }
  if (backing === file) await execa('losetup', ['-d', dev], { reject: false });
}

async function hotplugOnce(dir: string, i: number): Promise<number> {
  const file = join(dir, `hotplug${i}.img`);
  await execa('truncate', ['-s', '300G', file]);
  const w = new DriveWatcher({ includeLoops: true, intervalMs: 250 });
  await w.start();
  let dev = '';
  try {
    const seen = new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('the watcher did not report the new drive within 10 s')), 10_000);
      w.on('drive-added', (e: DriveEvent) => {
        if (e.drive.backingFile === file) {
          clearTimeout(t);
          resolve(e.at);
        }
      });
    });
    const started = Date.now();
    dev = (await execa('losetup', ['-f', '--show', '-P', file])).stdout.trim();
    return (await seen) - started;
  } finally {
    w.stop();
    if (dev) await detachIfOurs(dev, file);
  }
}

export async function figures(): Promise<Figure[]> {
  const prevHome = process.env.ROUNDTRIP_HOME;
  const dir = mkdtempSync(join(tmpdir(), 'rt-bench-drives-'));
  process.env.ROUNDTRIP_HOME = join(dir, 'home');
  try {
    await enumerate(); // warm up: zfs daemon, drivelist module
    const lists: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await enumerate();
      lists.push(performance.now() - t);
    }
    const plugs: number[] = [];
    for (let i = 0; i < 3; i++) plugs.push(await hotplugOnce(dir, i));
    return [
      { name: 'hotplug_detect_ms', value: Math.round(median(plugs)), unit: 'ms' },
      { name: 'drive_list_ms', value: Math.round(median(lists)), unit: 'ms' },
    ];
  } finally {
    if (prevHome === undefined) delete process.env.ROUNDTRIP_HOME;
    else process.env.ROUNDTRIP_HOME = prevHome;
    rmSync(dir, { recursive: true, force: true });
  }
}
