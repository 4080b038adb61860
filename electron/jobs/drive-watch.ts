// While a job writes to a unit, its drives are looked at twice a second. A pulled USB drive does
// not always make ZFS fail: a pool waiting on a missing device can block `zfs receive` (and every
// `zfs` command on that pool) for good. The kernel says at once that the device is gone, so the job
// stops on that, kills its streams through the signal, and tells the technician which drive it was.
import { AppError } from '../api/errors.ts';
import { stillAttached } from '../drives/sysfs.ts';

/** What a technician does after a sync stopped because a unit drive went. */
export const PULLED_DRIVE_HINT = "Check the drive's cable and power, plug it in again, then run the sync with --resume.";

/**
 * A sync's failure as the technician must hear it: a pulled drive shows up as whatever ZFS or the
 * pipe says first (a damaged stream, an I/O error); what matters is that the drive is gone.
 */
export function namePulledDrive(err: AppError, devices: readonly string[], step: string): AppError {
  if (err.code === 'CANCELLED' || err.code === 'TARGET_GONE' || err.code === 'DRIVE_GONE') return err;
  const gone = devices.filter((d) => !stillAttached(d));
  if (!gone.length) return err;
  return new AppError('TARGET_GONE', `The unit's drive ${gone.join(', ')} is no longer attached.`, { detail: `${err.code}: ${err.message}\n${err.detail ?? ''}`, hint: PULLED_DRIVE_HINT, step: err.step ?? step });
}

export interface DriveWatch {
  /** Aborted when the parent is (its reason kept), or with TARGET_GONE when a drive goes. */
  signal: AbortSignal;
  /**
   * Looks at the drives now rather than at the next tick: called between points and after a
   * failure, so a pull is named as such however fast the job (or its failure) was.
   */
  check(): void;
  stop(): void;
}

export function watchDrives(devices: string[], parent: AbortSignal | undefined, hint: string | undefined, everyMs = 500): DriveWatch {
  const ctl = new AbortController();
  const onParent = () => ctl.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  const check = () => {
    if (ctl.signal.aborted) return;
    const gone = devices.filter((d) => !stillAttached(d));
    if (gone.length === 0) return;
    ctl.abort(new AppError('TARGET_GONE', `The unit's drive ${gone.join(', ')} is no longer attached.`, { hint }));
  };
  const timer = setInterval(check, everyMs);
  timer.unref();
  return {
    signal: ctl.signal,
    check,
    stop() {
      clearInterval(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/** The error an aborted job signal stands for: the drive watch's own, or a plain cancel. */
export function abortError(signal: AbortSignal, cancelled: string, step?: string): AppError {
  const r: unknown = signal.reason;
  if (r instanceof AppError) return new AppError(r.code, r.message, { detail: r.detail, hint: r.hint, data: r.data, step });
  return new AppError('CANCELLED', cancelled, { step });
}

/**
 * `work` unless the signal aborts first. A `zfs` command stuck on a pool whose device is gone
 * cannot be waited for; it is left to end when the pool answers again (its failure is then ignored).
 * The error has no step: the job's failure record adds the step it was in.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, cancelled: string): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortError(signal, cancelled));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(abortError(signal, cancelled));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
