// The last check before a write: every write path calls assertWritable right before it opens the
// device, whatever its caller passed or checked earlier. It reads THAT device afresh, re-runs the
// policy, and makes sure the device node still holds the same disk (diskseq) as when the operation
// started.
import { AppError } from '../api/errors.ts';
import { driveTitle } from './describe.ts';
import { inspectDrive } from './enumerate.ts';
import type { JudgedDrive, PolicyOptions } from './types.ts';

export interface GuardOptions extends PolicyOptions {
  /** The job doing the write: its own claim on the drive is not "busy". */
  jobId?: string;
  /** The drives chosen together with this one. */
  selection?: string[];
  /**
   * 'start': the first check of an operation; unconfirmed warnings stop it.
   * 'continue': a check between steps of an operation already confirmed; only refusals stop it.
   */
  phase?: 'start' | 'continue';
  /** The disk identity seen when the operation started; a different (or no) disk is DRIVE_GONE. */
  expectDiskseq?: number | null;
  /** The step about to write, for the error. */
  step?: string;
}

export function goneError(device: string, step: string | undefined, title?: string): AppError {
  return new AppError(
    'DRIVE_GONE',
    `${title ?? device} was disconnected${step ? ` while RoundTrip Bench was at the "${step}" step` : ''}. Nothing more was written to it; reconnect it and start again.`,
    { step, data: { device }, hint: 'Check the cable and the drive\'s power supply, then format it again: a half-formatted drive is safe to erase again.' },
  );
}

export async function assertWritable(device: string, opts: GuardOptions = {}): Promise<JudgedDrive> {
  const phase = opts.phase ?? 'start';
  const found = await inspectDrive(device, {
    jobId: opts.jobId,
    selection: opts.selection,
    options: phase === 'start' ? { unmount: opts.unmount, confirmInternal: opts.confirmInternal, confirmData: opts.confirmData } : { confirmInternal: true, confirmData: true },
  });
  if (!found) {
    if (opts.expectDiskseq !== undefined) throw goneError(device, opts.step);
    throw new AppError('DRIVE_NOT_FOUND', `There is no drive at ${device}. Check that it is plugged in and pick it again from the list.`, { data: { device } });
  }
  const { drive } = found;
  if (opts.expectDiskseq !== undefined && opts.expectDiskseq !== null && drive.diskseq !== opts.expectDiskseq) {
    throw goneError(device, opts.step);
  }
  const v = drive.verdict;
  if (v.refusals.length) {
    const first = v.refusals[0];
    throw new AppError(first.code, v.refusals.map((r) => r.message).join(' '), {
      step: opts.step,
      data: { device: drive.device, refusals: v.refusals, warnings: v.warnings },
    });
  }
  if (phase === 'start' && !v.ready) {
    const open = v.warnings.filter((w) => !w.confirmed);
    throw new AppError('DRIVE_NEEDS_CONFIRMATION', `${driveTitle(drive)}: ${open.map((w) => w.message).join(' ')}`, {
      step: opts.step,
      hint: `Confirm with ${[...new Set(open.map((w) => w.confirmWith))].map((o) => (o === 'confirmInternal' ? '--confirm-internal' : o === 'confirmData' ? '--confirm-data' : '--unmount')).join(' and ')} (or the matching checkbox in the app).`,
      data: { device: drive.device, warnings: open },
    });
  }
  return drive;
}
