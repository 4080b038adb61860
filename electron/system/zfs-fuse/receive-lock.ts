// `zfs receive` mounts what it received once its stream has ended, and on zfs-fuse two mounts at
// once can deadlock the daemon for good (lock.ts, the mount lock). A receive is a stream that runs
// for hours and may wait on other steps, so it cannot hold the mount lock all along; instead it
// takes it when its stream ends, before it mounts, and keeps it until it exits.
//
// Only the process that feeds the receive knows when the stream ends, so a few lines of perl
// (receive-relay.pl) stand in between: they start the command on a pipe of their own, move the
// stream into it inside the kernel (splice(2), no copy through user space; read/write where splice
// is refused), and at end of file take the mount lock, then close the command's input and wait for it. Its
// exit code or signal becomes the locker's own; a signal that ends the locker (a cancel) is passed
// on to the command; the command dies with the locker, as it would have had it been run in its
// place (PR_SET_PDEATHSIG).
//
// Narrowing, not closing: zfs receive stops reading at the stream's END record, and its mount can
// in principle start before the locker sees end of file from its own writer. It rarely can: the
// receive first commits what it received (a transaction group in zfs-fuse), and the writer closes
// its end as soon as `zfs send` has exited.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { perl, lockNeeded, zfsFuseMountLockPath } from './lock.ts';
import { syscallNumbers } from '../syscall-numbers.ts';
import { WIDE_PIPE_BYTES } from '../wide-pipe.ts';

// The relay's program (its arguments are described there).
const RELAY = readFileSync(join(import.meta.dirname, 'receive-relay.pl'), 'utf8');

/**
 * `cmd args` (a `zfs receive`, or a shell running one) as run on this machine: behind the relay
 * that takes the mount lock at the stream's end where zfs-fuse needs it, unchanged elsewhere.
 */
export function receiveUnderMountLock(cmd: string, args: readonly string[]): { cmd: string; args: string[] } {
  const p = perl();
  // -u: nothing is mounted (where a receive knows it; zfs-fuse's does not).
  if (!p || !lockNeeded() || (cmd === 'zfs' && args.includes('-u'))) return { cmd, args: [...args] };
  const n = syscallNumbers();
  return { cmd: p, args: ['-e', RELAY, String(n?.splice ?? 0), String(n?.prctl ?? 0), String(WIDE_PIPE_BYTES), zfsFuseMountLockPath(), cmd, ...args] };
}
