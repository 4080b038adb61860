# Takes the zfs lock (lock.ts), then exec()s the command, which keeps the lock's descriptor.
# ARGV: mode (shared|exclusive), seconds to wait (0: for ever), gate, lock, mount lock (- for
# none), command... A bounded wait polls (a blocking flock is restarted after SIGALRM, so alarm()
# cannot end it). The mount lock is taken after the gate is let go: a command waiting for it must
# not hold back the others, nor a kernel mount waiting at the gate.
use Fcntl qw(:flock O_RDONLY O_CREAT);
use Time::HiRes qw(time sleep);
my ($mode, $wait, $gate, $lock, $mountLock, @cmd) = @ARGV;
my $deadline = $wait > 0 ? time() + $wait : 0;
# Descriptors opened from here on stay open across exec: the lock's is the lock.
$^F = 1 << 20;
sub take { my ($path, $how) = @_;
  sysopen(my $fh, $path, O_RDONLY | O_CREAT, 0644) or die "cannot open $path: $!\n";
  if (!$deadline) { flock($fh, $how) or die "cannot lock $path: $!\n"; return $fh; }
  until (flock($fh, $how | LOCK_NB)) { exit 75 if time() > $deadline; sleep(0.02); }
  return $fh; }
my $g = take($gate, LOCK_EX);
my $l = take($lock, $mode eq "exclusive" ? LOCK_EX : LOCK_SH);
close($g);
my $m = $mountLock eq "-" ? undef : take($mountLock, LOCK_EX);
exec { $cmd[0] } @cmd;
print STDERR "locker: failed to execute $cmd[0]: $!\n"; exit 127;
