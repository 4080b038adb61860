// Pipes of 1 MiB between a tool and this process. A stream from `zfs send` through Node into
// `zfs receive` is bound by its pipes, not by the hash: Node's child stdio are socketpairs and a
// pipe holds 64 KiB, so each side wakes the other every 64 KiB. Measured on the bench's 673 MB
// point (docs/bench-history.md): 0.73 of a shell pipeline through stdio, 0.84 through two 1 MiB FIFOs.
// Node cannot fcntl, so the size is set by one line of perl (perl-base is Essential on Debian) on
// descriptors it inherits. Anything missing gives null, and the caller uses ordinary stdio.
import { constants, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logLine } from './log.ts';
import { run } from './run.ts';

/** Linux's default cap (/proc/sys/fs/pipe-max-size); more is refused without CAP_SYS_RESOURCE. */
export const WIDE_PIPE_BYTES = 1 << 20;

/** Both ends of one FIFO: `read` blocking, `write` blocking, the FIFO's name already removed. */
export interface WidePipe {
  read: FileHandle;
  write: FileHandle;
}

// F_SETPIPE_SZ (1031) on each descriptor, then F_GETFL (3) / F_SETFL (4) to clear O_NONBLOCK
// (04000): the read ends are opened non-blocking only so that opening them does not wait.
const ENLARGE = [
  'my $size = shift;',
  'for my $fd (@ARGV) {',
  '  open(my $h, "+<&=", $fd) or die "open $fd: $!";',
  '  fcntl($h, 1031, 0 + $size) or die "size $fd: $!";',
  '  my $fl = fcntl($h, 3, 0) or die "getfl $fd: $!";',
  '  fcntl($h, 4, $fl & ~04000) or die "setfl $fd: $!";',
  '}',
].join('\n');

let unavailable = false;
let swept = false;

/**
 * A process killed between mkfifo and the opens (milliseconds) leaves its directory: removed by the
 * next process that opens pipes, once it is a minute old (no live process is still in that window).
 */
function sweepOnce(): void {
  if (swept) return;
  swept = true;
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith('roundtrip-pipe-'))) {
    const path = join(tmpdir(), name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 60_000) rmSync(path, { recursive: true, force: true });
    } catch {
      /* gone meanwhile */
    }
  }
}

async function closeAll(pipes: WidePipe[]): Promise<void> {
  for (const p of pipes) await Promise.allSettled([p.read.close(), p.write.close()]);
}

/** `n` pipes of WIDE_PIPE_BYTES, or null where this machine cannot make them (then never again). */
export async function openWidePipes(n: number): Promise<WidePipe[] | null> {
  if (unavailable) return null;
  sweepOnce();
  const pipes: WidePipe[] = [];
  let dir: string | null = null;
  try {
    dir = mkdtempSync(join(tmpdir(), 'roundtrip-pipe-'));
    const paths = Array.from({ length: n }, (_, i) => join(dir!, String(i)));
    await run('mkfifo', ['-m', '600', ...paths], { op: 'make wide pipes' });
    for (const path of paths) {
      // Read end first and non-blocking (a blocking open would wait for a writer), then the write end.
      const read = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const write = await open(path, constants.O_WRONLY).catch(async (e: unknown) => {
        await read.close();
        throw e;
      });
      pipes.push({ read, write });
      // Open on both ends: the name is not needed any more, and none is left if we are killed later.
      rmSync(path, { force: true });
    }
    rmSync(dir, { recursive: true, force: true });
    dir = null;
    const fds = pipes.map((p) => p.read.fd);
    // The descriptors go to perl as its fds 3, 4, …
    const r = await run('perl', ['-e', ENLARGE, String(WIDE_PIPE_BYTES), ...fds.map((_, i) => String(3 + i))], { op: 'widen pipes', fds, anyExit: true });
    if (r.exitCode !== 0) throw new Error(r.stderr || `perl ended with exit ${r.exitCode}`);
    return pipes;
  } catch (e) {
    unavailable = true;
    logLine('tool', { op: 'wide pipes unavailable, ordinary pipes used', error: e instanceof Error ? e.message : String(e) });
    await closeAll(pipes);
    return null;
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
