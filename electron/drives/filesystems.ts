// Making the filesystems of a unit: ext4 for the metadata partition and for ext4 data, NTFS for
// Windows data. Callers guard the disk first (guard.ts); these only run the tools.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { run } from '../system/run.ts';

/** lazy_itable_init: the kernel zeroes inode tables later, so a multi-TB drive formats in seconds. */
export async function makeExt4(partition: string, label: string): Promise<void> {
  await run('mkfs.ext4', ['-q', '-F', '-L', label, '-m', '0', '-E', 'nodiscard,lazy_itable_init=1,lazy_journal_init=1', partition], {
    op: `make an ext4 filesystem on ${partition}`,
    timeoutMs: 10 * 60_000,
  });
}

/** Quick NTFS format; the partition's start sector is passed so Windows sees a consistent boot sector. */
export async function makeNtfs(partition: string, label: string): Promise<void> {
  const args = ['-Q', '-F', '-q', '-L', label];
  try {
    const start = readFileSync(`/sys/class/block/${basename(partition)}/start`, 'utf8').trim();
    if (/^\d+$/.test(start)) args.push('-p', start, '-H', '255', '-S', '63');
  } catch {
    /* mkfs.ntfs guesses */
  }
  args.push(partition);
  await run('mkfs.ntfs', args, { op: `make an NTFS filesystem on ${partition}`, timeoutMs: 10 * 60_000 });
}
