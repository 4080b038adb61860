// Names a formatted unit carries: its pool name (unique per ticket and per run, so two units never
// collide when imported on one bench) and its filesystem labels (ext4 allows 16 bytes, NTFS 32).
// Pure.
import { AppError } from '../api/errors.ts';

const LABEL = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const TICKET = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function assertUnitLabel(label: string): string {
  if (typeof label !== 'string' || !LABEL.test(label)) {
    throw new AppError('BAD_INPUT', `"${label}" cannot be a drive label: use 1 to 32 letters, digits, "_", "-" or ".", starting with a letter or digit (for example the ticket number and partner, "T12345-ACME").`, {
      data: { field: 'label' },
    });
  }
  return label;
}

export function assertTicketId(ticketId: string): string {
  if (typeof ticketId !== 'string' || !TICKET.test(ticketId)) {
    throw new AppError('BAD_INPUT', `"${ticketId}" is not a ticket number RoundTrip Bench accepts (letters, digits, "_", "-", ".").`, { data: { field: 'ticketId' } });
  }
  return ticketId;
}

/** rt_<ticket or label>_<suffix>: letters, digits and "_" only, at most 48 characters. */
export function unitPoolName(base: string, suffix: string): string {
  if (!/^[a-z0-9]{4,12}$/.test(suffix)) throw new AppError('INTERNAL', 'A pool name suffix must be 4 to 12 lower-case letters or digits.');
  const clean = base.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48 - 4 - suffix.length) || 'unit';
  return `rt_${clean}_${suffix}`;
}

/** The filesystem label of drive `index` (0-based) of `count`: "LABEL", or "LABEL-2" on several drives. */
export function driveFsLabel(label: string, index: number, count: number, maxLen: number): string {
  const suffix = count > 1 ? `-${index + 1}` : '';
  return label.slice(0, maxLen - suffix.length) + suffix;
}
