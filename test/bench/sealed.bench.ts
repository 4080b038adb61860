// Sealed stream files (issue 21): sealing a point into a file on an ext4 unit against a plain
// `zfs send > file` of the same point onto the same file system, and opening the sealed file into
// `zfs receive` against a plain `zfs receive < file`, in the same run, in pairs taking turns at
// going first (helpers/in-turn.ts), each run on a quiet machine. The ratios are the median of the
// rounds' pairs (figure.ts, medianPairRatio); the MB/s figures are the best runs'. The point is
// DATA_MB of incompressible data. Both writes end with an fsync of the file. The sealed write is
// also timed once at 256 KiB and 4 MiB chunks beside the default 1 MiB.
// sealed_*_cpu_ceiling: the best ratio two cores allow (figure.ts, cpuCeilingRatio) when ours does
// the peer's work plus its own extra CPU (AES-GCM and SHA-256 in this process, one more copy), the
// machine's busy CPU seconds of the runs (medians); below 0.9 means the target cannot be met here.
// Figures: sealed_write_vs_send_file, sealed_receive_vs_receive_file, sealed_write_mb_s,
// send_file_mb_s, sealed_receive_mb_s, receive_file_mb_s, sealed_write_mb_s_chunk_256k/_4m.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { receiveSealed, sendSealed } from '../../electron/jobs/zfs/sealed-file.ts';
import { ensureZfs, zfsReceiveFrom, zfsSendInto } from '../../electron/system/zfs/index.ts';
import { makeScratch } from '../helpers/scratch.ts';
import { zfsCmd } from '../helpers/zfs-cmd.ts';
import { cpuCeilingRatio, logRuns, mbPerSecond, medianPairRatio, type Figure } from './figure.ts';
import { machineBusySeconds } from './helpers/cpu.ts';
import { inTurn } from './helpers/in-turn.ts';
import { quietMachine } from './helpers/quiet.ts';

const DATA_MB = 512;
const ROUNDS = 3;

/** The machine's busy CPU seconds of each timed run, by the array its seconds went to. */
const cpuOf = new Map<number[], number[]>();

async function timed(f: () => Promise<unknown>, into?: number[]): Promise<number> {
  await quietMachine();
  const c0 = machineBusySeconds();
  const t0 = performance.now();
  await f();
  const seconds = (performance.now() - t0) / 1000;
  if (into) {
    into.push(seconds);
    cpuOf.set(into, [...(cpuOf.get(into) ?? []), machineBusySeconds() - c0]);
  }
  return seconds;
}

/** The most two cores allow ours against the peer's best run: the peer's CPU plus what ours spends more (medians). */
function ceiling(peer: number[], ours: number[]): number {
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const peerCpu = med(cpuOf.get(peer)!);
  return cpuCeilingRatio(Math.min(...peer), peerCpu, Math.max(0, med(cpuOf.get(ours)!) - peerCpu), availableParallelism());
}

export async function figures(): Promise<Figure[]> {
  await ensureZfs();
  const s = makeScratch('sealbench');
  const dataKey = randomBytes(32);
  try {
    const src = s.pool(s.uniqueName('rtbssrc'));
    const dst = s.pool(s.uniqueName('rtbsdst'));
    await zfsCmd('zpool', ['create', '-m', join(s.dir, 'src'), src, await s.loop('src.img', '1G')]);
    await zfsCmd('zpool', ['create', '-m', 'none', dst, await s.loop('dst.img', '2G')]);
    await execa('dd', ['if=/dev/urandom', `of=${join(s.dir, 'src', 'data.bin')}`, 'bs=1M', `count=${DATA_MB}`, 'status=none']);
    await zfsCmd('zfs', ['snapshot', `${src}@1`]);
    const dev = await s.loop('unit.img', '3G');
    await execa('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', 'nodiscard,lazy_itable_init=1', dev]);
    const unit = s.mount(join(s.dir, 'unit'));
    mkdirSync(unit);
    await zfsCmd('mount', ['-t', 'ext4', dev, unit]);
    const plainFile = join(unit, 'plain.zstream');
    const sealedFile = join(unit, 'sealed.rtbseal');

    const sendPlain = async () => {
      rmSync(plainFile, { force: true });
      const fh = await open(plainFile, 'wx');
      try {
        await (await zfsSendInto(`${src}@1`, fh.fd)).done;
        await fh.sync();
      } finally {
        await fh.close();
      }
    };
    const sendSeal = async (chunkBytes?: number) => {
      rmSync(sealedFile, { force: true });
      return sendSealed(`${src}@1`, sealedFile, dataKey, { chunkBytes });
    };
    const plainW: number[] = [];
    const sealW: number[] = [];
    let streamBytes = 0;
    for (let r = 0; r < ROUNDS; r++) {
      await inTurn(r, () => timed(sendPlain, plainW), () => timed(async () => (streamBytes = (await sendSeal()).plainBytes), sealW));
    }
    logRuns('sealed_write_vs_send_file', { 'zfs send > file': plainW, sealed: sealW });
    const chunk256 = await timed(() => sendSeal(256 * 1024));
    const chunk4m = await timed(() => sendSeal(4 * 1024 * 1024));
    await sendSeal(); // the file the receive side reads: default chunks

    const recvPlain = async () => {
      const fh = await open(plainFile, 'r');
      try {
        await (await zfsReceiveFrom(`${dst}/plain`, fh.fd, { noMount: true })).done;
      } finally {
        await fh.close();
      }
    };
    const recvSeal = () => receiveSealed(sealedFile, `${dst}/sealed`, dataKey, { receive: { noMount: true } });
    const plainR: number[] = [];
    const sealR: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      await inTurn(
        r,
        async () => {
          await timed(recvPlain, plainR);
          await zfsCmd('zfs', ['destroy', '-r', `${dst}/plain`]);
        },
        async () => {
          await timed(recvSeal, sealR);
          await zfsCmd('zfs', ['destroy', '-r', `${dst}/sealed`]);
        },
      );
    }
    logRuns('sealed_receive_vs_receive_file', { 'zfs receive < file': plainR, sealed: sealR });
    return [
      { name: 'sealed_write_vs_send_file', value: medianPairRatio(plainW, sealW), unit: 'ratio' },
      { name: 'sealed_receive_vs_receive_file', value: medianPairRatio(plainR, sealR), unit: 'ratio' },
      { name: 'sealed_write_mb_s', value: mbPerSecond(streamBytes, Math.min(...sealW)), unit: 'MB/s' },
      { name: 'send_file_mb_s', value: mbPerSecond(streamBytes, Math.min(...plainW)), unit: 'MB/s' },
      { name: 'sealed_receive_mb_s', value: mbPerSecond(streamBytes, Math.min(...sealR)), unit: 'MB/s' },
      { name: 'receive_file_mb_s', value: mbPerSecond(streamBytes, Math.min(...plainR)), unit: 'MB/s' },
      { name: 'sealed_write_cpu_ceiling', value: ceiling(plainW, sealW), unit: 'ratio' },
      { name: 'sealed_receive_cpu_ceiling', value: ceiling(plainR, sealR), unit: 'ratio' },
      { name: 'sealed_write_mb_s_chunk_256k', value: mbPerSecond(streamBytes, chunk256), unit: 'MB/s' },
      { name: 'sealed_write_mb_s_chunk_4m', value: mbPerSecond(streamBytes, chunk4m), unit: 'MB/s' },
    ];
  } finally {
    dataKey.fill(0);
    await s.cleanup();
  }
}
