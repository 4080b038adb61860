// The passphrase of each sealed unit this engine is writing (issue 21), held in memory until the
// technician says it was passed on: the run screen shows it once, with a copy button. It is never
// written anywhere (no database, journal, log, job record or file), so an engine that restarts
// has forgotten it; a resume then asks for it again, and a lost passphrase means a new sync.
import { AppError } from '../api/errors.ts';
import { appendAudit } from '../tickets/audit.ts';

interface Held {
  ticketId: string | null;
  passphrase: string | null;
  passedOn: boolean;
}

const held = new Map<string, Held>();

/** Keeps the passphrase of the sealed unit job `jobId` writes (a new sync, or a resume given it again). */
export function holdUnitPassphrase(jobId: string, ticketId: string, passphrase: string): void {
  const was = held.get(jobId);
  // A resume of a job whose passphrase was passed on does not show it again.
  held.set(jobId, { ticketId, passphrase: was?.passedOn ? null : passphrase, passedOn: was?.passedOn ?? false });
}

/** The passphrase this engine still holds for `jobId`'s unit, for the job itself (a resume in the same engine). */
export function heldUnitPassphrase(jobId: string): string | null {
  return held.get(jobId)?.passphrase ?? null;
}

/** What the run screen shows: the passphrase until it is passed on, and a sentence either way. */
export function sealedPassphraseView(jobId: string): { jobId: string; ticketId: string | null; passphrase: string | null; passedOn: boolean; sentence: string } {
  const h = held.get(jobId);
  if (!h) {
    return { jobId, ticketId: null, passphrase: null, passedOn: false, sentence: 'This engine holds no unit passphrase for this job: it was not a sealed sync, or the engine restarted since it started (the passphrase is never stored).' };
  }
  if (h.passedOn) return { jobId, ticketId: h.ticketId, passphrase: null, passedOn: true, sentence: 'The unit passphrase was passed on and is no longer shown: it is only on the support ticket now.' };
  return {
    jobId,
    ticketId: h.ticketId,
    passphrase: h.passphrase,
    passedOn: false,
    sentence: 'Copy this passphrase into the support ticket now: it is shown only until you confirm it was passed on, it is not on the unit, and without it nobody can read the unit.',
  };
}

/** The technician passed it on: the engine forgets it, and the ticket's audit says who did. */
export function passUnitPassphraseOn(jobId: string, actor: string): { jobId: string; passedOn: true } {
  const h = held.get(jobId);
  if (!h) throw new AppError('NOT_FOUND', `This engine holds no unit passphrase for job ${jobId}: nothing to pass on.`);
  if (!h.passedOn) {
    h.passphrase = null;
    h.passedOn = true;
    appendAudit({ actor, action: 'unit.passphrase-passed-on', ticketId: h.ticketId ?? undefined, details: { jobId } });
  }
  return { jobId, passedOn: true };
}
