// Making filesystems, on devices or image files.
import { run } from './run.ts';

export async function mkfsExt4(target: string, label: string): Promise<void> {
  await run('mkfs.ext4', ['-q', '-F', '-L', label, target], { op: `make an ext4 filesystem on ${target}` });
}

export async function mkfsNtfs(target: string, label: string): Promise<void> {
  await run('mkfs.ntfs', ['-Q', '-F', '-L', label, target], { op: `make an NTFS filesystem on ${target}` });
}

export async function makeSparseFile(path: string, size: string): Promise<void> {
  await run('truncate', ['-s', size, path], { op: `make a sparse file ${path}` });
}
