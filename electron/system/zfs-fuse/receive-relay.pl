# Stands between a stream and `zfs receive` (receive-lock.ts): moves the stream into the command,
# and at its end takes the mount lock before the command mounts what it received.
# ARGV: splice's number (0: read/write), prctl's (0: none), piece bytes, mount lock, command...
use Fcntl qw(:flock O_RDONLY O_CREAT O_NONBLOCK F_GETFL F_SETFL);
use Errno qw(EINTR EINVAL EAGAIN);
use POSIX ();
my ($splice, $prctl, $chunk, $mountLock, @cmd) = @ARGV;
$splice += 0; $prctl += 0; $chunk += 0;
my $parent = $$;
# A non-blocking input would make "nothing yet" (EAGAIN) look like the stream's end.
my $fl = fcntl(STDIN, F_GETFL, 0); fcntl(STDIN, F_SETFL, $fl & ~O_NONBLOCK) if $fl;
pipe(my $r, my $w) or die "locker: pipe: $!\n";
# F_SETPIPE_SZ: as wide as the pipe feeding us (best effort).
fcntl($w, 1031, $chunk);
# Only wakes the loop up, before the fork so that no exit is missed; only a reap counts (a
# stopped or continued command raises SIGCHLD too).
$SIG{CHLD} = sub { };
my $pid = fork();
die "locker: fork: $!\n" unless defined $pid;
if ($pid == 0) {
  # PR_SET_PDEATHSIG (1) SIGKILL; and the locker may have died before that call.
  syscall($prctl, 1, 9, 0, 0, 0) if $prctl;
  POSIX::_exit(137) if getppid() != $parent;
  open(STDIN, "<&", $r) or POSIX::_exit(127);
  close($r); close($w);
  exec { $cmd[0] } @cmd;
  print STDERR "locker: failed to execute $cmd[0]: $!\n";
  POSIX::_exit(127);
}
close($r);
$SIG{PIPE} = "IGNORE";
my ($stopped, $st) = (0, undef);
for my $s (qw(TERM INT HUP)) { $SIG{$s} = sub { $stopped = 1; kill $s, $pid; }; }
# The command's status once it has ended (reaped here, and only here).
sub reaped { $st = $? if !defined $st && waitpid($pid, POSIX::WNOHANG()) == $pid; return defined $st; }
my $out = fileno($w);
my ($buf, $rin) = (undef, "");
vec($rin, 0, 1) = 1;
# A command that ends early (a refused stream) ends the relay: the writer then sees a broken
# pipe. Waits for input a quarter second at most, so that an exit (or a signal) landing just
# before a blocking call is seen even when the writer stays idle.
RELAY: until (reaped()) {
  my $ready = select(my $rout = $rin, undef, undef, 0.25);
  if ($ready < 0) { next if $! == EINTR; last; }
  next if $ready == 0;
  my $n;
  if ($splice) {
    $n = syscall($splice, 0, 0, $out, 0, $chunk, 0);
    if ($n < 0) { next if $! == EINTR || $! == EAGAIN; if ($! == EINVAL) { $splice = 0; next; } }
  } else {
    $n = sysread(STDIN, $buf, $chunk);
    if (!defined $n) { next if $! == EINTR || $! == EAGAIN; $n = -1; }
  }
  # EPIPE: the command stopped reading (its own exit says why); anything else is said here.
  if ($n < 0) { print STDERR "locker: the stream broke off: $!\n" unless $!{EPIPE}; last; }
  last if $n == 0;
  next if $splice;
  my $off = 0;
  while ($off < $n) {
    my $m = syswrite($w, $buf, $n - $off, $off);
    if (!defined $m) { next if $! == EINTR; last RELAY; }
    $off += $m;
  }
}
# The stream is over: the command mounts next, alone. Not for a cancel, nor a command already
# gone; and a cancel or the command's end while the lock is busy ends the wait.
my $lock;
if (!$stopped && !reaped()) {
  sysopen($lock, $mountLock, O_RDONLY | O_CREAT, 0644) or die "locker: cannot open $mountLock: $!\n";
  until (flock($lock, LOCK_EX | LOCK_NB)) { last if $stopped || reaped(); select(undef, undef, undef, 0.02); }
}
close($w);
until (defined $st) { my $got = waitpid($pid, 0); if ($got == $pid) { $st = $?; } elsif ($got < 0 && $! != EINTR) { $st = 255 << 8; } }
if ($st & 127) { $SIG{$_} = "DEFAULT" for qw(TERM INT HUP PIPE); kill($st & 127, $$); exit(128 + ($st & 127)); }
exit($st >> 8);
