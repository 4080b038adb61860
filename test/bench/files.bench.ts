// File-unit figures for `npm run bench`, measured on the same points in the same run:
//  - browse_copy_vs_cp: our browsable copy (SHA-256 of every file on) against `cp -a` of the same
//    mounted point onto the same kind of filesystem (a fresh ext4 on a loop device), each timed until
//    its filesystem is flushed (`sync -f`), each started on a quiet machine (helpers/quiet.ts); the
//    ratio of throughputs (1.0 = as fast as cp).
//  - image_export_vs_qemu_img: our image export (qemu-img convert, then qemu-img compare and check
//    and the image's SHA-256) of the point's volume as IMAGE_POINTS points in a row, each checked and
//    flushed beside the next convert as the sync job does, against as many bare `qemu-img convert`s
//    of the same image onto the same filesystem (fresh ext4 targets of their own);
//    image_export_single_vs_qemu_img: one image alone.
//  - image_write_vs_qemu_img: the export's convert step alone (the same IMAGE_POINTS converts through
//    the app's qemuConvert, progress read, no checks) against as many bare converts: what the app
//    adds to qemu-img itself, apart from the proof of each image.
//  - image_export_cpu_ceiling_vs_qemu_img: the best image_export_vs_qemu_img the cores allow,
//    from the machine's CPU in the peer's runs (image_qemu_img_cpu_s) and one image's checks
//    measured alone (image_checks_cpu_s_per_image); image_export_cpu_s is what our runs took.
// The bench builds its own lab and adds one larger agent to its appliance (the practice agents'
// volumes hold a few MB, too little to time a copy): an ext4 volume with a mix of large and small
// files, one point, read through the same clone and read-only mount a sync uses.
import type { Figure } from './figure.ts';
import { cpuCeilingRatio, logRuns, mbPerSecond, ratio } from './figure.ts';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { labUp } from '../../electron/lab/build.ts';
import { labDown } from '../../electron/lab/down.ts';
import { writeSystemMeta } from '../../electron/appliance/system-meta.ts';
import { copyTree } from '../../electron/jobs/files/copy-tree.ts';
import { exportVolumeImages, writeVolumeImage } from '../../electron/jobs/files/image-export.ts';
import { OneBehind } from '../../electron/jobs/files/one-behind.ts';
import type { OpenedVolume } from '../../electron/jobs/files/point-reader.ts';
import { flushUnit } from '../../electron/jobs/files/unit-target.ts';
import { openPoint } from '../../electron/jobs/files/point-reader.ts';
import { getDataset } from '../../electron/system/zfs/index.ts';
import { zfsCmd } from '../helpers/zfs-cmd.ts';
import { inTurn } from './helpers/in-turn.ts';
import { quietMachine } from './helpers/quiet.ts';
import { machineBusySeconds, ownCpuSeconds, toolCpuSeconds } from './helpers/cpu.ts';
import { sha256File } from '../../electron/jobs/files/hash-file.ts';

const BIG_FILES = 6;
const BIG_BYTES = 40 * 1024 * 1024;
const SMALL_FILES = 1500;
/** Alternating runs per figure, the best of each kept: other suites on this 2-core machine add a lot of noise. */
const RUNS = 6;
/** Images exported in a row for image_export_vs_qemu_img: a ticket of that many points of one volume. */
const IMAGE_POINTS = 3;

const round2 = (x: number) => Math.round(x * 100) / 100;

function fill(root: string): number {
  let bytes = 0;
  mkdirSync(join(root, 'big'));
  for (let i = 0; i < BIG_FILES; i++) {
    writeFileSync(join(root, 'big', `file-${i}.bin`), randomBytes(BIG_BYTES));
    bytes += BIG_BYTES;
  }
  for (let d = 0; d < 30; d++) {
    mkdirSync(join(root, 'small', `dir-${d}`), { recursive: true });
    for (let i = 0; i < SMALL_FILES / 30; i++) {
      const size = 4096 + ((d * 7919 + i * 104729) % 60000);
      writeFileSync(join(root, 'small', `dir-${d}`, `f-${i}.txt`), Buffer.alloc(size, (d + i) % 251));
      bytes += size;
    }
  }
  return bytes;
}

async function freshExt4(dir: string, name: string): Promise<{ root: string; loop: string }> {
  const file = join(dir, `${name}.img`);
  await execa('truncate', ['-s', '4G', file]);
  await execa('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', 'lazy_itable_init=1,lazy_journal_init=1,nodiscard', file]);
  const loop = (await execa('losetup', ['-f', '--show', file])).stdout.trim();
  const root = join(dir, name);
  mkdirSync(root);
  // noinit_itable: no background zeroing of inode tables (ext4lazyinit) while the runs are timed.
  await execa('mount', ['-t', 'ext4', '-o', 'noinit_itable', loop, root]);
  return { root, loop };
}

/** IMAGE_POINTS images of `vol` into `dir`, the job's way: each proven and flushed while the next is converted. */
async function exportInARow(vol: OpenedVolume, dir: string, unit: { root: string; loop: string }): Promise<void> {
  const behind = new OneBehind(new AbortController().signal);
  for (let k = 0; k < IMAGE_POINTS; k++) {
    await behind.next(
      (signal) => exportVolumeImages([vol], join(dir, `p${k}`), 'vhdx', { unitRoot: unit.root, signal }),
      async (x) => {
        await x.checked;
        await flushUnit(unit.root, unit.loop);
      },
      (x) => x.checked.then(() => undefined),
    );
  }
  await behind.drain();
}

/** Seconds until `fn` is done and `flushDir`'s filesystem flushed; the machine's CPU seconds meanwhile into `cpu`. */
async function timed(fn: () => Promise<unknown>, flushDir: string, cpu?: number[]): Promise<number> {
  await quietMachine();
  const c = machineBusySeconds();
  const t = performance.now();
  await fn();
  await execa('sync', ['-f', flushDir]);
  const seconds = (performance.now() - t) / 1000;
  cpu?.push(machineBusySeconds() - c);
  return seconds;
}

/** Least of `n` runs: noise only ever adds time. */
async function least(n: number, fn: () => Promise<number>): Promise<number> {
  const all: number[] = [];
  for (let i = 0; i < n; i++) all.push(await fn());
  return Math.min(...all);
}

/**
 * CPU seconds of one image's checks, each alone on a quiet machine (the least of three):
 * `qemu-img compare` against the source, `qemu-img check`, and the image file's SHA-256, which are
 * what an export does beyond the bare convert (its flush the convert's peer does too).
 */
async function checksCpuSeconds(vol: OpenedVolume, image: string): Promise<number> {
  const tool = (args: string[]) => least(3, async () => {
    await quietMachine();
    return toolCpuSeconds('qemu-img', args);
  });
  const compare = await tool(['compare', '-f', 'raw', '-F', 'vhdx', vol.image, image]);
  const check = await tool(['check', '-f', 'vhdx', image]);
  const sha = await least(3, async () => {
    await quietMachine();
    return ownCpuSeconds(() => sha256File(image));
  });
  return compare + check + sha;
}

export async function figures(): Promise<Figure[]> {
  const prevHome = process.env.ROUNDTRIP_HOME;
  const dir = mkdtempSync(join(tmpdir(), 'rt-bench-files-'));
  process.env.ROUNDTRIP_HOME = join(dir, 'home');
  const labDir = join(dir, 'lab');
  const targets: Array<{ root: string; loop: string }> = [];
  let opened: Awaited<ReturnType<typeof openPoint>> | null = null;
  try {
    const { state } = await labUp({ dir: labDir });
    // The larger agent: its volume built on the host's disk, copied into the dataset, one point.
    const ds = `${state.appliancePool}/BENCH-DATA01`;
    await zfsCmd('zfs', ['create', ds]);
    const mnt = (await getDataset(ds)).mountpoint!;
    writeSystemMeta(mnt, { name: 'BENCH-DATA01', kind: 'agent', os: 'linux', encrypted: false, volumes: [{ name: 'data', fs: 'ext4', file: 'data.img', bytes: 768 * 2 ** 20 }] });
    const work = join(dir, 'work.img');
    await execa('truncate', ['-s', '768M', work]);
    await execa('mkfs.ext4', ['-q', '-F', work]);
    const wm = join(dir, 'work');
    mkdirSync(wm);
    await execa('mount', ['-o', 'loop', work, wm]);
    let bytes: number;
    try {
      bytes = fill(wm);
    } finally {
      await execa('umount', [wm]);
    }
    cpSync(work, join(mnt, 'data.img'));
    rmSync(work);
    await zfsCmd('zfs', ['snapshot', `${ds}@1700000000`]);

    opened = await openPoint({ dataset: ds, point: '1700000000', jobId: 'bench-files', mountVolumes: true });
    const vol = opened.volumes[0];
    const cpT = await freshExt4(dir, 'cp');
    targets.push(cpT);
    const ourT = await freshExt4(dir, 'ours');
    targets.push(ourT);
    // Warm the source once (both then read it from the same cache).
    await execa('tar', ['-cf', '/dev/null', '-C', vol.mountDir!, '.']);
    await execa('cat', [vol.image], { stdout: 'ignore' });

    // Alternating runs, the best of each (RUNS): other work on this machine adds noise.
    const cpTimes: number[] = [];
    const ourTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await inTurn(
        i,
        async () => cpTimes.push(await timed(() => execa('cp', ['-a', `${vol.mountDir}/.`, join(cpT.root, `run${i}`)]), cpT.root)),
        async () => ourTimes.push(await timed(() => copyTree(vol.mountDir!, join(ourT.root, `run${i}`), { ntfs: false }), ourT.root)),
      );
      await execa('rm', ['-rf', join(cpT.root, `run${i}`), join(ourT.root, `run${i}`)]);
    }
    logRuns('browse_copy_vs_cp', { 'cp -a': cpTimes, ours: ourTimes });
    const cpRate = mbPerSecond(bytes, Math.min(...cpTimes));
    const ourRate = mbPerSecond(bytes, Math.min(...ourTimes));

    const imgBytes = Number((await execa('stat', ['-c', '%s', vol.image])).stdout.trim());
    // Fresh targets for the images: the browsable copies' targets are left as each side's copies
    // and removals made them, not alike.
    const qT = await freshExt4(dir, 'img-peer');
    targets.push(qT);
    const eT = await freshExt4(dir, 'img-ours');
    targets.push(eT);
    // Images, as a ticket of several points is exported: IMAGE_POINTS images in a row, each proven
    // and flushed beside the next one's convert, as the job does; against as many bare converts.
    // And one image alone (nothing to overlap its checks with).
    const qTimes: number[] = [];
    const qCpu: number[] = [];
    const eTimes: number[] = [];
    const eCpu: number[] = [];
    const q1Times: number[] = [];
    const e1Times: number[] = [];
    const qwTimes: number[] = [];
    const ewTimes: number[] = [];
    const convert = (dst: string) => execa('qemu-img', ['convert', '-f', 'raw', '-O', 'vhdx', vol.image, dst]);
    // The peer of both three-image figures: IMAGE_POINTS bare converts into `dir`, one after another.
    const bareConverts = async (dir: string) => {
      for (let k = 0; k < IMAGE_POINTS; k++) await convert(join(dir, `p${k}.vhdx`));
    };
    for (let i = 0; i < RUNS; i++) {
      const direct = join(qT.root, `direct${i}`);
      const ours = join(eT.root, `ours${i}`);
      mkdirSync(direct);
      await inTurn(
        i,
        async () => qTimes.push(await timed(() => bareConverts(direct), qT.root, qCpu)),
        async () => eTimes.push(await timed(() => exportInARow(vol, ours, eT), eT.root, eCpu)),
      );
      await inTurn(
        i,
        async () => q1Times.push(await timed(() => convert(join(direct, 'one.vhdx')), qT.root)),
        async () => e1Times.push(await timed(async () => {
          const x = await exportVolumeImages([vol], join(ours, 'one'), 'vhdx', { unitRoot: eT.root });
          await x.checked;
        }, eT.root)),
      );
      const directW = join(qT.root, `write${i}`);
      const oursW = join(eT.root, `write${i}`);
      mkdirSync(directW);
      mkdirSync(oursW);
      await inTurn(
        i,
        async () => qwTimes.push(await timed(() => bareConverts(directW), qT.root)),
        async () => ewTimes.push(await timed(async () => {
          for (let k = 0; k < IMAGE_POINTS; k++) await writeVolumeImage(vol, join(oursW, `p${k}.vhdx`), 'vhdx', { unitRoot: eT.root, onBytes: () => {} });
        }, eT.root)),
      );
      for (const d of [direct, ours, directW, oursW]) rmSync(d, { recursive: true });
    }
    // What the cores allow: an export does all the converts' and flushes' work (the machine's CPU
    // in the peer's runs, the least of them) and each image's checks besides. Two cores do at most
    // two CPU seconds per second, so no export of these images can take less than half of that,
    // however its work is ordered: the ceiling of image_export_vs_qemu_img on this machine.
    const sample = join(eT.root, 'checks-cpu.vhdx');
    await convert(sample);
    const checksCpu = await checksCpuSeconds(vol, sample);
    rmSync(sample);
    const peerCpu = Math.min(...qCpu);

    logRuns('image_export_vs_qemu_img', { 'qemu-img': qTimes, ours: eTimes, 'qemu-img cpu': qCpu, 'ours cpu': eCpu });
    logRuns('image_export_single_vs_qemu_img', { 'qemu-img': q1Times, ours: e1Times });
    logRuns('image_write_vs_qemu_img', { 'qemu-img': qwTimes, ours: ewTimes });
    const qRate = mbPerSecond(IMAGE_POINTS * imgBytes, Math.min(...qTimes));
    const eRate = mbPerSecond(IMAGE_POINTS * imgBytes, Math.min(...eTimes));
    const q1Rate = mbPerSecond(imgBytes, Math.min(...q1Times));
    const e1Rate = mbPerSecond(imgBytes, Math.min(...e1Times));
    return [
      { name: 'browse_copy_vs_cp', value: ratio(ourRate, cpRate), unit: 'ratio' },
      { name: 'browse_copy_mb_s', value: ourRate, unit: 'MB/s' },
      { name: 'browse_cp_a_mb_s', value: cpRate, unit: 'MB/s' },
      { name: 'image_export_vs_qemu_img', value: ratio(eRate, qRate), unit: 'ratio' },
      { name: 'image_export_mb_s', value: eRate, unit: 'MB/s' },
      { name: 'image_qemu_img_convert_mb_s', value: qRate, unit: 'MB/s' },
      { name: 'image_export_cpu_ceiling_vs_qemu_img', value: cpuCeilingRatio(Math.min(...qTimes), peerCpu, IMAGE_POINTS * checksCpu, availableParallelism()), unit: 'ratio' },
      { name: 'image_qemu_img_cpu_s', value: round2(peerCpu), unit: 's' },
      { name: 'image_export_cpu_s', value: round2(Math.min(...eCpu)), unit: 's' },
      { name: 'image_checks_cpu_s_per_image', value: round2(checksCpu), unit: 's' },
      { name: 'image_export_single_vs_qemu_img', value: ratio(e1Rate, q1Rate), unit: 'ratio' },
      { name: 'image_export_single_mb_s', value: e1Rate, unit: 'MB/s' },
      { name: 'image_write_vs_qemu_img', value: ratio(mbPerSecond(IMAGE_POINTS * imgBytes, Math.min(...ewTimes)), mbPerSecond(IMAGE_POINTS * imgBytes, Math.min(...qwTimes))), unit: 'ratio' },
    ];
  } finally {
    await opened?.close().catch(() => {});
    for (const t of targets) {
      await execa('umount', [t.root], { reject: false });
      await execa('losetup', ['-d', t.loop], { reject: false });
    }
    await labDown({ dir: labDir }).catch(() => {});
    if (prevHome === undefined) delete process.env.ROUNDTRIP_HOME;
    else process.env.ROUNDTRIP_HOME = prevHome;
    rmSync(dir, { recursive: true, force: true });
  }
}
