// A real sshd on 127.0.0.1 for NAS tests: its own host key, client key and config in a directory of
// the test's scratch, a free port, and a known_hosts file trusting exactly that host key. The "NAS"
// behind it is this machine (its zfs-fuse). stop() and start() let a test take the NAS off the network.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import type { NasHost } from '../../electron/drives/nas.ts';
import { underZfsLock } from '../../electron/system/zfs-fuse/lock.ts';
import { receiveUnderMountLock } from '../../electron/system/zfs-fuse/receive-lock.ts';

export interface TestSshd {
  dir: string;
  port: number;
  nas: NasHost;
  /** A known_hosts file that trusts another key for the same address. */
  wrongKnownHostsFile: string;
  running(): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => (c.end(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

const shellWord = (w: string) => `'${w.replaceAll("'", `'\\''`)}'`;

/**
 * A real NAS is another machine; this one is the bench's own zfs-fuse, so its commands take the
 * bench's zfs lock as the bench's own do (a NAS sync's zfs destroy or rollback meeting another
 * test's kernel mount of an image on zfs-fuse would hang zfs-fuse: system/zfs-fuse/lock.ts).
 * The streams go without it, as locally; a receive takes the mount lock at its end.
 */
function lockedShellScript(): string {
  const shellLine = (l: { cmd: string; args: string[] }) =>
    [l.cmd, ...l.args].map((w) => (w === '$SSH_ORIGINAL_COMMAND' ? '"$SSH_ORIGINAL_COMMAND"' : shellWord(w))).join(' ');
  const original = ['-c', '$SSH_ORIGINAL_COMMAND'];
  // Any command may mount here (the wrapper cannot tell which): all take the mount lock too.
  const locked = underZfsLock('/bin/sh', original, 'shared', { mounts: true });
  // A receive mounts at its stream's end, as it does locally (system/zfs-fuse/receive-lock.ts).
  const receive = receiveUnderMountLock('/bin/sh', original);
  return [
    '#!/bin/sh',
    'case "$SSH_ORIGINAL_COMMAND" in',
    `  *"'zfs' 'send'"*) exec /bin/sh -c "$SSH_ORIGINAL_COMMAND" ;;`,
    `  *"'zfs' 'receive'"*) exec ${shellLine(receive)} ;;`,
    'esac',
    `exec ${shellLine(locked)}`,
    '',
  ].join('\n');
}

/** Starts sshd with everything under `parentDir/ssh` (the directory must be the test's own scratch). */
export async function startSshd(parentDir: string): Promise<TestSshd> {
  const dir = join(parentDir, 'ssh');
  mkdirSync(dir, { mode: 0o700 });
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'impostor_key')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')));
  const port = await freePort();
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
  writeFileSync(join(dir, 'wrong_known_hosts'), `[127.0.0.1]:${port} ${readFileSync(join(dir, 'impostor_key.pub'), 'utf8')}`);
  const forced = join(dir, 'nas-command.sh');
  writeFileSync(forced, lockedShellScript());
  chmodSync(forced, 0o755);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxStartups 100',
      'MaxSessions 100',
      'Subsystem sftp internal-sftp',
      `ForceCommand ${forced}`,
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  let child: ChildProcess | null = null;
  const t: TestSshd = {
    dir,
    port,
    nas: { host: '127.0.0.1', port, identityFile: join(dir, 'client_key'), knownHostsFile: join(dir, 'known_hosts') },
    wrongKnownHostsFile: join(dir, 'wrong_known_hosts'),
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    async start() {
      if (t.running()) return;
      child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore' });
      for (let i = 0; i < 100 && !(await accepts(port)); i++) await new Promise((r) => setTimeout(r, 100));
    },
    async stop() {
      // Only the listener this helper started, by its own pid; sessions already open end on their own.
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await gone;
      for (let i = 0; i < 50 && (await accepts(port)); i++) await new Promise((r) => setTimeout(r, 100));
    },
  };
  await t.start();
  return t;
}
