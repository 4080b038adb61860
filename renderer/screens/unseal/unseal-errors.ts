// Which field of the Unseal form an engine refusal is about, so its sentence sits next to what the
// technician has to change: the unit passphrase, the destination folder, or neither (the unit
// itself: a damaged sealed file, a drive pulled mid-way), shown with the job.
import type { EngineError } from '../../api/client.ts';
import { fieldIssues } from '../../components/FieldErrors.tsx';
import { isPassphraseError } from '../merge/unit-passphrase-errors.ts';

export type UnsealField = 'passphrase' | 'folder' | 'unit';

/** The contract's own check of the folder (`to` is not an absolute path), made before any job starts. */
const folderIssue = (e: EngineError) => fieldIssues(e).find((f) => f.field === 'to' || f.field.endsWith('.to'));

/** The job's own refusals of the folder (missing, not a folder, a foreign file in the way) say so in `data.field`. */
const aboutFolder = (e: EngineError) => (e.data as { field?: unknown } | undefined)?.field === 'to';

export function unsealFieldOf(e: EngineError): UnsealField {
  if (isPassphraseError(e)) return 'passphrase';
  return aboutFolder(e) || folderIssue(e) ? 'folder' : 'unit';
}

/** A refusal before anything was read or written (the passphrase, a folder that is not one); a foreign file in the way stops a run that may have written the images before it. */
export function refusedBeforeWriting(e: EngineError): boolean {
  const field = unsealFieldOf(e);
  return field === 'passphrase' || (field === 'folder' && e.code === 'BAD_INPUT');
}

/** The refusal in the technician's words: the engine's first sentence and its code. */
export function refusalWords(e: EngineError): string {
  const issue = folderIssue(e);
  return `${issue ? `The folder must be given as ${issue.message}, starting with /.` : e.message.split('\n')[0]} (code ${e.code})`;
}
