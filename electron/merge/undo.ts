// Putting a destination dataset back exactly as it was when merging one system fails: the same
// points with the same GUIDs. Three cases:
// - a new system: the dataset did not exist, so it is destroyed;
// - increments on top of the destination's newest point: roll back to that point (-r removes only
//   the points this merge added);
// - an explicit rollback: the destination's newer points were saved first as one stream
//   (`zfs send -I common newest` into a file under the app's home), so after rolling back to the
//   common point they are received again, with their original GUIDs.
import { createReadStream, createWriteStream, fsyncSync, openSync, closeSync, mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError, toAppError } from '../api/errors.ts';
import { datasetExists, destroy, listSnapshots, rollback, zfsReceive, zfsSend } from '../system/zfs/index.ts';

export interface DestState {
  dataset: string;
  existed: boolean;
  points: Array<{ snap: string; guid: string }>;
}

export async function captureDest(dataset: string): Promise<DestState> {
  const existed = await datasetExists(dataset);
  return { dataset, existed, points: existed ? (await listSnapshots(dataset)).map((s) => ({ snap: s.snap, guid: s.guid })) : [] };
}

export function sameState(a: DestState, b: DestState): boolean {
  return a.existed === b.existed && JSON.stringify(a.points) === JSON.stringify(b.points);
}

/** Saves the points after `common` (up to the newest) as one stream file; returns its size. */
export async function saveNewerPoints(dataset: string, common: string, newest: string, file: string, signal?: AbortSignal): Promise<number> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const send = await zfsSend(`${dataset}@${newest}`, { from: common, intermediate: true, signal });
  const out = createWriteStream(file, { mode: 0o600 });
  const [m, s] = await Promise.allSettled([pipeline(send.stdout, out), send.done]);
  // A partial file is worthless (and nothing was rolled back yet): remove it before reporting.
  if (s.status === 'rejected') {
    rmSync(file, { force: true });
    throw s.reason;
  }
  if (m.status === 'rejected') {
    rmSync(file, { force: true });
    throw new AppError('TOOL_FAILED', `Could not save the newer points of ${dataset} before rolling back.`, { detail: String(m.reason) });
  }
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return out.bytesWritten;
}

async function receiveFile(dataset: string, file: string): Promise<void> {
  const recv = await zfsReceive(dataset, { force: true });
  const [m, r] = await Promise.allSettled([pipeline(createReadStream(file), recv.stdin), recv.done]);
  if (r.status === 'rejected') throw r.reason;
  if (m.status === 'rejected') throw new AppError('TOOL_FAILED', `Could not read back the saved points of ${dataset}.`, { detail: String(m.reason) });
}

/**
 * Restores `before`. Returns true when the dataset's points equal what they were; never throws
 * (the caller reports the original failure, and says so loudly when the undo fell short).
 */
export async function restoreDest(before: DestState, opts: { savedNewer?: { common: string; file: string } } = {}): Promise<{ restored: boolean; problem?: string }> {
  const ds = before.dataset;
  try {
    if (!before.existed) {
      if (await datasetExists(ds)) await destroy(ds, { recursive: true });
    } else {
      const now = await captureDest(ds);
      if (!sameState(before, now)) {
        const base = opts.savedNewer ? opts.savedNewer.common : before.points.at(-1)?.snap;
        if (!base) throw new AppError('INTERNAL', `${ds} had no points to return to.`);
        if (now.points.at(-1)?.snap !== base) await rollback(`${ds}@${base}`, { destroyNewer: true });
        if (opts.savedNewer && before.points.at(-1)?.snap !== base) await receiveFile(ds, opts.savedNewer.file);
      }
    }
    const after = await captureDest(ds);
    if (sameState(before, after)) return { restored: true };
    return { restored: false, problem: `${ds} now holds ${after.points.map((p) => p.snap).join(', ') || 'no points'}` };
  } catch (e) {
    return { restored: false, problem: toAppError(e).message };
  }
}

export function removeSaved(file: string): void {
  rmSync(file, { force: true });
  try {
    rmdirSync(dirname(file)); // the job's folder, once nothing in it is needed
  } catch {
    /* other systems' saved points are still there */
  }
}
