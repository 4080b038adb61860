// Which of the engine's refusals are about the unit passphrase itself (shown next to its field)
// rather than about what the unit holds (shown with the preview).
import type { EngineError } from '../../api/client.ts';

const PASSPHRASE_CODES = new Set(['UNIT_PASSPHRASE_NEEDED', 'UNIT_PASSPHRASE_WRONG', 'KEY_RECORD_DAMAGED']);

export function isPassphraseError(e: EngineError): boolean {
  return PASSPHRASE_CODES.has(e.code);
}
