// The passphrase as a host receives it: from stdin (`--passphrase-stdin`) or the UI's field, never
// from an argument (it would be in the process list and the shell's history). Only the line ending
// a terminal or `echo` adds is removed; everything else is the passphrase as typed.
import { AppError } from '../api/errors.ts';

export function passphraseFromInput(text: string): string {
  const p = text.replace(/\r?\n$/, '');
  if (!p) throw new AppError('BAD_INPUT', 'No passphrase arrived on standard input.', { hint: 'Type it, or pipe it in: the command reads one line.' });
  return p;
}

/** Refuses the flags a passphrase must never travel in. */
export function refusePassphraseArgument(flags: Record<string, unknown>): void {
  for (const k of ['passphrase', 'password', 'key']) {
    if (k in flags) {
      throw new AppError('BAD_INPUT', `A passphrase is never given as an argument (--${k}): it would show in the process list and the shell history.`, {
        hint: 'Use --passphrase-stdin and type it or pipe it in.',
      });
    }
  }
}
