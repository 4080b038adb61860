// Writing into a partner's folder as the privileged engine (root), safely: nothing written follows a
// symbolic link the folder's owner may have put there (folders are made one level at a time and a
// link or file in the way is refused; files are created with O_CREAT|O_EXCL|O_NOFOLLOW), whatever
// is made belongs to the folder's owner from the start (folders 0700, files 0600), and a failure of
// the folder's disk (full, not writable) is said as the folder's, for the form to show it there.
import { constants, lstatSync, mkdirSync, rmSync, lchownSync, statSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { AppError } from '../../api/errors.ts';

/** The folder's owner, who is given every file and folder made in it. */
export interface Owner {
  uid: number;
  gid: number;
}

/** The refusals about the folder say so (`data.field`), for a form to show them next to it. */
export const FOLDER_FIELD = { field: 'to' } as const;
const IN_THE_WAY_HINT = 'Unseal into an empty folder, or move that away first.';

export function folderOwner(to: string): Owner {
  const { uid, gid } = statSync(to);
  return { uid, gid };
}

/** Only root can give a file away; an engine run as the folder's owner makes it theirs anyway. */
function canGive(): boolean {
  return process.getuid?.() === 0;
}

/** The folders of `relDir` under `to`, made one level at a time; a link or a file where a folder goes is refused. */
export function makeFolders(to: string, relDir: string, owner: Owner): void {
  let p = to;
  for (const part of relDir.split(sep).filter((x) => x && x !== '.')) {
    p = join(p, part);
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) continue;
    if (st) throw new AppError('UNSEAL_TARGET_EXISTS', `${p} is in the way (it is not a folder); it was left as it is.`, { hint: IN_THE_WAY_HINT, data: FOLDER_FIELD });
    try {
      mkdirSync(p, { mode: 0o700 });
      if (canGive()) lchownSync(p, owner.uid, owner.gid);
    } catch (e) {
      throw folderWriteFailure(e, p);
    }
  }
}

/**
 * A new file at `path`, the folder owner's, never opened through a link: what a killed run left
 * under this name (a file, or a link, which is removed, not followed) goes first.
 */
export async function createOwnedFile(path: string, owner: Owner): Promise<FileHandle> {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st && !st.isFile() && !st.isSymbolicLink()) throw new AppError('UNSEAL_TARGET_EXISTS', `${path} is in the way; it was left as it is.`, { hint: IN_THE_WAY_HINT, data: FOLDER_FIELD });
  try {
    if (st) rmSync(path);
    const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    if (canGive()) await fh.chown(owner.uid, owner.gid);
    return fh;
  } catch (e) {
    throw folderWriteFailure(e, path);
  }
}

/**
 * A file written into place: filled through a new owned `PATH.partial`, flushed, and only then
 * renamed to `path`, so a name in the folder is always whole; a failure leaves nothing of it.
 */
export async function writeIntoPlace(path: string, owner: Owner, fill: (fh: FileHandle) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const partial = `${path}.partial`;
  const fh = await createOwnedFile(partial, owner);
  try {
    await fill(fh);
    await fh.sync();
    await fh.close();
    await rename(partial, path);
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(partial, { force: true });
    if (signal?.aborted) throw signal.reason ?? e;
    throw folderWriteFailure(e, path);
  }
}

/** A failed write into the folder, in a technician's words; an AppError (a refused record, a cancel) as it is. */
export function folderWriteFailure(e: unknown, path: string): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('UNSEAL_FOLDER_FULL', `The disk of the folder is full: ${path} did not fit.`, { hint: 'Free space there or choose a folder on a larger disk, then unseal again; the whole images already there are kept.', detail: String(e), data: FOLDER_FIELD });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'EEXIST') {
    return new AppError('UNSEAL_FOLDER_UNWRITABLE', `${path} cannot be written (${code}).`, { hint: 'Choose a folder this bench can write to.', detail: String(e), data: FOLDER_FIELD });
  }
  return e;
}
