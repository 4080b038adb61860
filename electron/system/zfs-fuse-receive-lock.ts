// `zfs receive` mounts what it received once its stream has ended, and on zfs-fuse two mounts at
// once can deadlock the daemon for good (system/zfs-fuse-lock.ts, the mount lock). A receive is a
// stream that runs for hours and may wait on other steps, so it cannot hold the mount lock all
// along; instead it takes it when its stream ends, before it mounts, and keeps it until it exits.
//
// Only the process that feeds the receive knows when the stream ends, so a few lines of perl
// stand in between: they start the command on a pipe of their own, move the stream into it
// inside the kernel (splice(2), no copy through user space; read/write where splice is refused),
// and at end of file take the mount lock, then close the command's input and wait for it. Its
// exit code or signal becomes the locker's own; a signal that ends the locker (a cancel) is passed
// on to the command; the command dies with the locker, as it would have had it been run in its
// place (PR_SET_PDEATHSIG).
//
// Narrowing, not closing: zfs receive stops reading at the stream's END record, and its mount can
// in principle start before the locker sees end of file from its own writer. It rarely can: the
// receive first commits what it received (a transaction group in zfs-fuse), and the writer closes
// its end as soon as `zfs send` has exited.
import { perl, lockNeeded, zfsFuseMountLockPath } from './zfs-fuse-lock.ts';
import { syscallNumbers } from './syscall-numbers.ts';
import { WIDE_PIPE_BYTES } from './wide-pipe.ts';

// ARGV: splice's number (0: read/write), prctl's (0: none), piece bytes, mount lock, command...
const RELAY = [
  'use Fcntl qw(:flock O_RDONLY O_CREAT O_NONBLOCK F_GETFL F_SETFL);',
  'use Errno qw(EINTR EINVAL EAGAIN);',
  'use POSIX ();',
  'my ($splice, $prctl, $chunk, $mountLock, @cmd) = @ARGV;',
  '$splice += 0; $prctl += 0; $chunk += 0;',
  'my $parent = $$;',
  // A non-blocking input would make "nothing yet" (EAGAIN) look like the stream's end.
  'my $fl = fcntl(STDIN, F_GETFL, 0); fcntl(STDIN, F_SETFL, $fl & ~O_NONBLOCK) if $fl;',
  'pipe(my $r, my $w) or die "locker: pipe: $!\\n";',
  // F_SETPIPE_SZ: as wide as the pipe feeding us (best effort).
  'fcntl($w, 1031, $chunk);',
  // Only wakes the loop up, before the fork so that no exit is missed; only a reap counts (a
  // stopped or continued command raises SIGCHLD too).
  '$SIG{CHLD} = sub { };',
  'my $pid = fork();',
  'die "locker: fork: $!\\n" unless defined $pid;',
  'if ($pid == 0) {',
  // PR_SET_PDEATHSIG (1) SIGKILL; and the locker may have died before that call.
  '  syscall($prctl, 1, 9, 0, 0, 0) if $prctl;',
  '  POSIX::_exit(137) if getppid() != $parent;',
  '  open(STDIN, "<&", $r) or POSIX::_exit(127);',
  '  close($r); close($w);',
  '  exec { $cmd[0] } @cmd;',
  '  print STDERR "locker: failed to execute $cmd[0]: $!\\n";',
  '  POSIX::_exit(127);',
  '}',
  'close($r);',
  '$SIG{PIPE} = "IGNORE";',
  'my ($stopped, $st) = (0, undef);',
  'for my $s (qw(TERM INT HUP)) { $SIG{$s} = sub { $stopped = 1; kill $s, $pid; }; }',
  // The command's status once it has ended (reaped here, and only here).
  'sub reaped { $st = $? if !defined $st && waitpid($pid, POSIX::WNOHANG()) == $pid; return defined $st; }',
  'my $out = fileno($w);',
  'my ($buf, $rin) = (undef, "");',
  'vec($rin, 0, 1) = 1;',
  // A command that ends early (a refused stream) ends the relay: the writer then sees a broken
  // pipe. Waits for input a quarter second at most, so that an exit (or a signal) landing just
  // before a blocking call is seen even when the writer stays idle.
  'RELAY: until (reaped()) {',
  '  my $ready = select(my $rout = $rin, undef, undef, 0.25);',
  '  if ($ready < 0) { next if $! == EINTR; last; }',
  '  next if $ready == 0;',
  '  my $n;',
  '  if ($splice) {',
  '    $n = syscall($splice, 0, 0, $out, 0, $chunk, 0);',
  '    if ($n < 0) { next if $! == EINTR || $! == EAGAIN; if ($! == EINVAL) { $splice = 0; next; } }',
  '  } else {',
  '    $n = sysread(STDIN, $buf, $chunk);',
  '    if (!defined $n) { next if $! == EINTR || $! == EAGAIN; $n = -1; }',
  '  }',
  // EPIPE: the command stopped reading (its own exit says why); anything else is said here.
  '  if ($n < 0) { print STDERR "locker: the stream broke off: $!\\n" unless $!{EPIPE}; last; }',
  '  last if $n == 0;',
  '  next if $splice;',
  '  my $off = 0;',
  '  while ($off < $n) {',
  '    my $m = syswrite($w, $buf, $n - $off, $off);',
  '    if (!defined $m) { next if $! == EINTR; last RELAY; }',
  '    $off += $m;',
  '  }',
  '}',
  // The stream is over: the command mounts next, alone. Not for a cancel, nor a command already
  // gone; and a cancel or the command's end while the lock is busy ends the wait.
  'my $lock;',
  'if (!$stopped && !reaped()) {',
  '  sysopen($lock, $mountLock, O_RDONLY | O_CREAT, 0644) or die "locker: cannot open $mountLock: $!\\n";',
  '  until (flock($lock, LOCK_EX | LOCK_NB)) { last if $stopped || reaped(); select(undef, undef, undef, 0.02); }',
  '}',
  'close($w);',
  'until (defined $st) { my $got = waitpid($pid, 0); if ($got == $pid) { $st = $?; } elsif ($got < 0 && $! != EINTR) { $st = 255 << 8; } }',
  'if ($st & 127) { $SIG{$_} = "DEFAULT" for qw(TERM INT HUP PIPE); kill($st & 127, $$); exit(128 + ($st & 127)); }',
  'exit($st >> 8);',
].join('\n');

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
