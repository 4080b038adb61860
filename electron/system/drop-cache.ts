// Drops a file's clean pages from the page cache (posix_fadvise DONTNEED, which Node lacks; GNU dd
// calls it for the whole file with iflag=nocache count=0). For a large file just written to a
// unit, flushed and checked: it will not be read again in this job (a verify reads the drive),
// and hours of images kept in memory only push out what the machine still needs.
import { run } from './run.ts';

/** Best effort: a file whose pages cannot be dropped costs memory, never the job. */
export async function dropCachedPages(path: string): Promise<void> {
  await run('dd', [`if=${path}`, 'iflag=nocache', 'count=0', 'status=none'], { op: `let go of ${path} in memory` }).catch(() => undefined);
}
