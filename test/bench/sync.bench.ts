// Sync throughput (issue 6): the engine's send of one point (SHA-256 and content digest on the
// way, progress on) against a plain `zfs send | zfs receive` shell pipeline of the same point
// into the same kind of pool, in the same run, taking turns at going first (helpers/in-turn.ts),
// best of six each. The point is ~640 MB of incompressible data, several times the engine's peak
// memory, which is read from the engine's own process (maxRSS). Figures: zfs_sync_vs_shell_pipe,
// zfs_sync_mb_s, shell_pipe_mb_s, engine_peak_rss_mb.
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch } from '../helpers/scratch.ts';
import { ensureZfs } from '../../electron/system/zfs/index.ts';
import { mbPerSecond, ratio, type Figure } from './figure.ts';
import { zfsCmd } from '../helpers/zfs-cmd.ts';
import { inTurn } from './helpers/in-turn.ts';

const DATA_MB = 640;
/** Rounds, the best of each side kept: single runs of either vary by 20-30 % on this VM. */
const ROUNDS = 6;

export async function figures(): Promise<Figure[]> {
  await ensureZfs();
  const s = makeScratch('syncbench');
  try {
    const src = s.pool(s.uniqueName('rtbsrc'));
    const dst = s.pool(s.uniqueName('rtbdst'));
    await zfsCmd('zpool', ['create', '-m', join(s.dir, 'src'), src, await s.loop('src.img', '2G')]);
    await zfsCmd('zpool', ['create', '-m', 'none', dst, await s.loop('dst.img', '2G')]);
    await execa('dd', ['if=/dev/urandom', `of=${join(s.dir, 'src', 'data.bin')}`, 'bs=1M', `count=${DATA_MB}`, 'status=none']);
    await zfsCmd('zfs', ['snapshot', `${src}@1`]);
    const shellBest = { mbs: 0 };
    const engineBest = { mbs: 0, rss: 0 };
    let streamBytes = 0;
    const shell = async () => {
      // The peer: exactly what a technician would type. A shell string is the point of this peer.
      const t0 = performance.now();
      await execa('bash', ['-c', 'set -o pipefail; zfs send "$1" | zfs receive "$2"', 'bench', `${src}@1`, `${dst}/shell`]);
      const shellMs = performance.now() - t0;
      await zfsCmd('zfs', ['destroy', '-r', `${dst}/shell`]);
      return shellMs;
    };
    const engine = async () => {
      const child = await execa('node', ['--import', 'tsx', join(import.meta.dirname, 'helpers', 'engine-send.ts'), `${src}@1`, `${dst}/engine`]);
      const e = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { bytes: number; ms: number; maxRssMb: number };
      await zfsCmd('zfs', ['destroy', '-r', `${dst}/engine`]);
      return e;
    };
    for (let round = 0; round < ROUNDS; round++) {
      let shellMs = 0;
      let e = { bytes: 0, ms: 0, maxRssMb: 0 };
      await inTurn(round, async () => (shellMs = await shell()), async () => (e = await engine()));
      streamBytes = e.bytes;
      shellBest.mbs = Math.max(shellBest.mbs, mbPerSecond(e.bytes, shellMs / 1000));
      engineBest.mbs = Math.max(engineBest.mbs, mbPerSecond(e.bytes, e.ms / 1000));
      engineBest.rss = Math.max(engineBest.rss, e.maxRssMb);
    }
    return [
      { name: 'zfs_sync_vs_shell_pipe', value: ratio(engineBest.mbs, shellBest.mbs), unit: 'ratio' },
      { name: 'zfs_sync_mb_s', value: engineBest.mbs, unit: 'MB/s' },
      { name: 'shell_pipe_mb_s', value: shellBest.mbs, unit: 'MB/s' },
      { name: 'engine_peak_rss_mb', value: engineBest.rss, unit: 'MB' },
      { name: 'sync_bench_stream_mb', value: Math.round(streamBytes / 1e6), unit: 'MB' },
    ];
  } finally {
    await s.cleanup();
  }
}
