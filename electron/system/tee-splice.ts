// Moves a stream from one pipe to another inside the kernel and hands this process a copy of it to
// read: tee(2) duplicates the pending bytes into a third pipe, splice(2) then moves the same bytes
// on. The data between `zfs send` and `zfs receive` is never copied into user space, so the engine's
// read and SHA-256 of its copy are off the stream's path (the copy pipe's 1 MiB is the only slack:
// a slow reader still holds the stream back, so no byte is ever left unmeasured).
//
// Node has neither call; perl (perl-base is Essential on Debian, already used for the wide pipes)
// reaches them through syscall() with the architecture's numbers. Elsewhere: null, and the caller
// pumps the bytes through this process as before (jobs/pipe-pump.ts).
import type { ResultPromise } from 'execa';
import { spawnTool } from './run.ts';
import { WIDE_PIPE_BYTES } from './wide-pipe.ts';
import { syscallNumbers } from './syscall-numbers.ts';

// fds 3 (from), 4 (to), 5 (copy). EINTR is retried; EPIPE (a reader gone) ends perl by SIGPIPE,
// which the caller explains from the other parties' outcomes.
const LOOP = [
  // Numbers, not strings: syscall() passes a string argument as a pointer to it.
  'my ($splice, $tee, $chunk) = map { 0 + $_ } @ARGV;',
  'use Errno qw(EINTR);',
  'while (1) {',
  '  my $n = syscall($tee, 3, 5, $chunk, 0);',
  '  if ($n < 0) { next if $! == EINTR; die "tee: $!\\n"; }',
  '  last if $n == 0;',
  '  while ($n > 0) {',
  '    my $m = syscall($splice, 3, 0, 4, 0, $n, 0);',
  '    if ($m < 0) { next if $! == EINTR; die "splice: $!\\n"; }',
  '    die "splice: the stream ended early\\n" if $m == 0;',
  '    $n -= $m;',
  '  }',
  '}',
].join('\n');

let broken = false;

/** False on other architectures, and for the rest of the process once the mover failed on its own. */
export function teeSpliceAvailable(): boolean {
  return !broken && syscallNumbers() !== undefined;
}

/** The mover failed for a reason of its own (tee/splice refused, e.g. by a sandbox): pump through Node from now on. */
export function markTeeSpliceBroken(): void {
  broken = true;
}

/**
 * Starts the mover: `from` and `to` are the pipe ends it splices between, `copy` the write end of
 * the pipe this process reads the copy from. The caller closes its own copies of the three.
 */
export function startTeeSplice(from: number, to: number, copy: number, signal?: AbortSignal): ResultPromise {
  const { splice, tee } = syscallNumbers()!;
  return spawnTool('perl', ['-e', LOOP, String(splice), String(tee), String(WIDE_PIPE_BYTES)], { op: 'move a stream', signal, stdin: 'ignore', stdout: 'ignore', fds: [from, to, copy] });
}
