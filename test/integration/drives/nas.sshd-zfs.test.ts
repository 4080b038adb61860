// NAS targets over a real sshd on 127.0.0.1 (own host and client keys, own config), whose "remote"
// ZFS is this machine's zfs-fuse: pools and free space listed over ssh, a stream received over ssh.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNasPools, nasDatasetExists, probeNas, receiveOverSsh, type NasHost } from '../../../electron/drives/nas.ts';
import { zfsSend } from '../../../electron/system/zfs/stream.ts';
import { ensureZfs } from '../../../electron/system/zfs/daemon.ts';
import { makeScratch } from '../../helpers/scratch.ts';
import { freePort, startSshd, type TestSshd } from '../../helpers/sshd.ts';
import { failure, privateHome } from './helpers.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'bin', 'roundtrip.mjs');
const scratch = makeScratch('drvnas');
const home = privateHome('drvnas');
let sshd: TestSshd | null = null;
let nas: NasHost;
let pool = '';

beforeAll(async () => {
  sshd = await startSshd(scratch.dir);
  nas = sshd.nas;

  // The unit's pool, file-backed, with a small dataset to send (the daemon may not be up yet in this worker).
  await ensureZfs();
  pool = scratch.pool(scratch.uniqueName('rtnas'));
  await zfsCmd('zpool', ['create', '-m', join(scratch.dir, 'mnt'), pool, await scratch.file('nas.vdev', '256M')]);
  await zfsCmd('zfs', ['create', `${pool}/src`]);
  writeFileSync(join(scratch.dir, 'mnt', 'src', 'hello.txt'), 'hello from the appliance\n');
  await zfsCmd('zfs', ['snapshot', `${pool}/src@p1`]);
});

afterAll(async () => {
  await sshd?.stop();
  await scratch.cleanup();
  home.restore();
});

describe('NAS over ssh (sshd on 127.0.0.1, zfs-fuse behind it)', () => {
  it('answers with its host name and lists its pools with free space', async () => {
    expect((await probeNas(nas)).hostname.length).toBeGreaterThan(0);
    const pools = await listNasPools(nas);
    const p = pools.find((x) => x.name === pool)!;
    expect(p).toBeDefined();
    expect(p.health).toBe('ONLINE');
    expect(p.sizeBytes).toBeGreaterThan(100e6);
    expect(p.availableBytes).toBeGreaterThan(50e6);
  });

  it('receives a zfs send stream over ssh (guids equal on both sides)', async () => {
    const send = await zfsSend(`${pool}/src@p1`);
    const recv = await receiveOverSsh({ nas, dataset: `${pool}/recv` });
    await Promise.all([pipeline(send.stdout, recv.stdin), send.done, recv.done]);
    expect(await nasDatasetExists(nas, `${pool}/recv`)).toBe(true);
    const guid = async (n: string) => (await zfsCmd('zfs', ['get', '-Hp', '-o', 'value', 'guid', n])).stdout.trim();
    expect(await guid(`${pool}/recv@p1`)).toBe(await guid(`${pool}/src@p1`));
  });

  it('refuses the same stream again without force: ZFS_RECEIVE_REFUSED', async () => {
    const send = await zfsSend(`${pool}/src@p1`);
    const recv = await receiveOverSsh({ nas, dataset: `${pool}/recv` });
    const [, , r] = await Promise.allSettled([pipeline(send.stdout, recv.stdin), send.done, recv.done]);
    expect(r.status).toBe('rejected');
    expect((r as PromiseRejectedResult).reason.code).toBe('ZFS_RECEIVE_REFUSED');
  });

  it('lists the pools from the CLI (roundtrip nas list)', async () => {
    const r = await execa('node', [CLI, 'nas', 'list', '--host', '127.0.0.1', '--port', String(nas.port), '--identity', nas.identityFile, '--known-hosts', nas.knownHostsFile, '--json'], {
      env: { ROUNDTRIP_HOME: home.home },
    });
    const j = JSON.parse(r.stdout) as { pools: Array<{ name: string }> };
    expect(j.pools.map((p) => p.name)).toContain(pool);
  });

  it('does not connect to a host whose key is not the trusted one, nor to a closed port: NAS_UNREACHABLE', async () => {
    const wrong = await failure(listNasPools({ ...nas, knownHostsFile: sshd!.wrongKnownHostsFile }));
    expect(wrong.code).toBe('NAS_UNREACHABLE');
    expect(wrong.message).toMatch(/host key/);
    const closed = await failure(listNasPools({ ...nas, port: await freePort() }));
    expect(closed.code).toBe('NAS_UNREACHABLE');
    expect(closed.message).toMatch(/does not answer/);
  });

  it('refuses a dataset name a remote shell could misread before connecting', async () => {
    const e = await failure(receiveOverSsh({ nas, dataset: `${pool}/x;touch /tmp/pwned` }));
    expect(e.code).toBe('BAD_NAME');
  });
});
