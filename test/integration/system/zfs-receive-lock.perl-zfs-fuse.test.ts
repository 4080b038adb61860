// The relay that lets a `zfs receive` on zfs-fuse mount alone (system/zfs-fuse/receive-lock.ts):
// the stream passes whole, other mounting commands run while it streams, none starts between its
// end and the command's exit, its exit code, a cancel and an early stop pass through; and a real
// receive on zfs-fuse lands and mounts while a create runs beside its stream.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { receiveUnderMountLock } from '../../../electron/system/zfs-fuse/receive-lock.ts';
import { run } from '../../../electron/system/run.ts';
import { ensureZfs, zfsReceive, zfsSend } from '../../../electron/system/zfs/index.ts';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { holdLock, mounterStartedAt, useOwnZfsLockDir } from '../../helpers/zfs-lock-holders.ts';

/** The first line a child prints, as soon as it prints it. */
const firstLine = (stream: NodeJS.ReadableStream) =>
  new Promise<string>((resolve) => {
    let text = '';
    stream.on('data', (d) => {
      text += String(d);
      if (text.includes('\n')) resolve(text.split('\n')[0]!);
    });
  });

describe('the receive relay (stand-ins, a lock directory of its own)', () => {
  useOwnZfsLockDir('recvlockdir');

  it('passes the stream whole, lets mounts run while it streams, and holds the mount lock from its end to the exit', async () => {
    // The stand-in "receive": reads to end of file (prints what it got), "mounts" for a second,
    // prints the time it ends.
    const script = '$| = 1; my $h = Digest::SHA->new(256); $h->add($b) while sysread(STDIN, $b, 65536); print $h->hexdigest, "\\n"; sleep(1); printf "%d\\n", time() * 1000;';
    const l = receiveUnderMountLock('perl', ['-MDigest::SHA', '-MTime::HiRes=time,sleep', '-e', script]);
    const child = execa(l.cmd, l.args, { reject: false });
    const digest = firstLine(child.stdout!);
    const data = randomBytes(3 << 20);
    child.stdin!.write(data.subarray(0, 1 << 20));
    // Mid-stream: a command that can mount runs at once.
    expect(await mounterStartedAt(20_000)).toBeGreaterThan(0);
    child.stdin!.end(data.subarray(1 << 20));
    // The stand-in has seen end of file only once the relay holds the lock: a mounter started now
    // must wait for its exit.
    expect(await digest).toBe(createHash('sha256').update(data).digest('hex'));
    const later = mounterStartedAt(20_000);
    const r = await child;
    expect(r.exitCode).toBe(0);
    const endedAt = Number(String(r.stdout).trim().split('\n').pop());
    expect(await later).toBeGreaterThanOrEqual(endedAt);
  });

  it("gives the command's exit code and death by a signal as its own", async () => {
    const exit3 = receiveUnderMountLock('sh', ['-c', 'cat >/dev/null; exit 3']);
    expect((await execa(exit3.cmd, exit3.args, { input: 'stream', reject: false })).exitCode).toBe(3);
    const killed = receiveUnderMountLock('sh', ['-c', 'cat >/dev/null; kill -9 $$']);
    expect((await execa(killed.cmd, killed.args, { input: 'stream', reject: false })).signal).toBe('SIGKILL');
    const missing = receiveUnderMountLock('no-such-receive-tool', []);
    const m = await execa(missing.cmd, missing.args, { input: 'x', reject: false });
    expect(m.exitCode).toBe(127);
    expect(m.stderr).toMatch(/failed to execute no-such-receive-tool/);
  });

  it('passes a cancel on to the command, which ends at once and leaves nothing running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rt-recvlock-'));
    try {
      const pidFile = join(dir, 'pid');
      const l = receiveUnderMountLock('sh', ['-c', `echo $$ > '${pidFile}'; exec sleep 60`]);
      const ac = new AbortController();
      const child = execa(l.cmd, l.args, { reject: false, cancelSignal: ac.signal, forceKillAfterDelay: 30_000 });
      while (!readFileSync(pidFile, { flag: 'a+' }).length) await new Promise((res) => setTimeout(res, 50));
      const pid = Number(readFileSync(pidFile, 'utf8'));
      ac.abort();
      const r = await child;
      // Ended by the cancel itself, not by the SIGKILL that would follow 30 s later.
      expect(r.isForcefullyTerminated).toBe(false);
      expect(r.signal).toBe('SIGTERM');
      expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends when the command stops reading early (a refused stream): the writer sees a broken pipe', async () => {
    const l = receiveUnderMountLock('sh', ['-c', 'head -c 10 >/dev/null; echo refused >&2; exit 4']);
    const child = spawn(l.cmd, l.args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const broken = new Promise<string>((resolve) => child.stdin.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? '')));
    const piece = Buffer.alloc(1 << 20);
    const writing = (async () => {
      // Writes until the pipe breaks (the writer keeps going as a `zfs send` would).
      while (child.stdin.writable && !child.stdin.destroyed) {
        if (!child.stdin.write(piece)) await new Promise((res) => child.stdin.once('drain', res).once('error', res));
      }
    })();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await writing;
    expect(code).toBe(4);
    expect(await broken).toBe('EPIPE');
    expect(stderr).toMatch(/refused/);
  });
  it('passes the stream whole when the command is stopped and continued on the way', async () => {
    const l = receiveUnderMountLock('sh', ['-c', 'echo $$; exec wc -c']);
    const child = execa(l.cmd, l.args, { reject: false });
    const pid = Number(await firstLine(child.stdout!));
    child.stdin!.write(Buffer.alloc(2 << 20));
    // A stopped or continued command raises SIGCHLD too: that must not end the stream.
    process.kill(pid, 'SIGSTOP');
    await new Promise((res) => setTimeout(res, 300));
    process.kill(pid, 'SIGCONT');
    child.stdin!.end(Buffer.alloc(1 << 20));
    const r = await child;
    expect(r.exitCode).toBe(0);
    expect(Number(String(r.stdout).trim().split('\n').pop())).toBe(3 << 20);
  });

  it('ends as soon as the command fails, although its writer stays open and idle', async () => {
    // Ten times each: the exit must be seen however early it comes (one that comes before the
    // relay is ready for it must still end the relay while the writer stays open and idle).
    const tries = Array.from({ length: 10 }, () => [['no-such-receive-tool'], ['sh', '-c', 'exit 9']]).flat();
    for (const fails of tries) {
      const l = receiveUnderMountLock(fails[0]!, fails.slice(1));
      // The writer (this process) keeps the stream open and sends nothing until the relay ends.
      const r = await execa(l.cmd, l.args, { reject: false, timeout: 20_000 });
      expect(r.timedOut, fails.join(' ')).toBe(false);
      expect(r.exitCode).toBe(fails[0] === 'sh' ? 9 : 127);
    }
  });

  it('a cancel while another command holds the mount lock ends the relay at once', async () => {
    // Another mounter holds the lock for a minute (killed at the end).
    const { child: holder } = await holdLock('shared', 60_000, { mounts: true });
    try {
      const l = receiveUnderMountLock('sh', ['-c', 'cat >/dev/null; exec sleep 60']);
      const ac = new AbortController();
      const child = execa(l.cmd, l.args, { reject: false, input: 'stream', cancelSignal: ac.signal, forceKillAfterDelay: 30_000 });
      // The stream ended at once: the relay waits for the lock (the command sees end of file only
      // once it has it, so there is nothing to watch for but time).
      await new Promise((res) => setTimeout(res, 1000));
      ac.abort();
      const r = await child;
      expect(r.isForcefullyTerminated).toBe(false);
      expect(r.signal).toBe('SIGTERM');
    } finally {
      holder.kill();
      await holder.catch(() => undefined);
    }
  });
});

describe('a real receive on zfs-fuse through the relay', () => {
  let s: Scratch;
  let pool = '';
  beforeAll(async () => {
    await ensureZfs();
    s = makeScratch('recvlock');
    const dev = await s.loop('pool', '512M');
    pool = s.pool(s.uniqueName('rtrl'));
    await run('zpool', ['create', '-f', pool, dev], { op: 'create the test pool' });
    await run('zfs', ['create', `${pool}/src`], { op: 'create the source' });
    const mp = (await run('zfs', ['get', '-H', '-o', 'value', 'mountpoint', `${pool}/src`], { op: 'read the mountpoint' })).stdout.trim();
    writeFileSync(join(mp, 'point.bin'), randomBytes(4 << 20));
    await run('zfs', ['snapshot', `${pool}/src@1`], { op: 'snapshot the source' });
  });
  afterAll(async () => {
    await s?.cleanup();
  });

  it('lands and mounts the received dataset, while a create beside its stream mounts at once', async () => {
    const send = await zfsSend(`${pool}/src@1`);
    const stream: Buffer[] = [];
    for await (const c of send.stdout) stream.push(c as Buffer);
    await send.done;
    const all = Buffer.concat(stream);
    const recv = await zfsReceive(`${pool}/dst`);
    recv.stdin.write(all.subarray(0, all.length >> 1));
    // Mid-stream: a dataset created (and mounted) beside the receive does not wait for it.
    await run('zfs', ['create', `${pool}/beside`], { op: 'create a dataset beside the receive', timeoutMs: 60_000 });
    recv.stdin.end(all.subarray(all.length >> 1));
    await recv.done;
    const mounted = await run('zfs', ['get', '-H', '-o', 'value', 'mounted', `${pool}/dst`, `${pool}/beside`], { op: 'read mounted' });
    expect(mounted.stdout.trim().split('\n')).toEqual(['yes', 'yes']);
    const srcMp = (await run('zfs', ['get', '-H', '-o', 'value', 'mountpoint', `${pool}/src`], { op: 'read' })).stdout.trim();
    const dstMp = (await run('zfs', ['get', '-H', '-o', 'value', 'mountpoint', `${pool}/dst`], { op: 'read' })).stdout.trim();
    expect(readFileSync(join(dstMp, 'point.bin')).equals(readFileSync(join(srcMp, 'point.bin')))).toBe(true);
  });
});
