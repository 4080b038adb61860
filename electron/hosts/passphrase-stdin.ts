// Passphrases as the CLI receives them: from standard input (--passphrase-stdin), never from an
// argument (it would be in the process list and the shell's history). Only the line ending a
// terminal or `echo` adds is removed; everything else is the passphrase as typed.
import { AppError } from '../api/errors.ts';
import { SYSTEM_NAME_RE } from '../tickets/model/ticket-schema.ts';

export function passphraseFromInput(text: string): string {
  const p = text.replace(/\r?\n$/, '');
  if (!p) throw new AppError('BAD_INPUT', 'No passphrase arrived on standard input.', { hint: 'Type it, or pipe it in: the command reads one line.' });
  return p;
}

/** Refuses the flags a passphrase must never travel in. */
export function refusePassphraseArgument(flags: Record<string, unknown>): void {
  for (const k of ['passphrase', 'password', 'key', 'unit-passphrase']) {
    if (k in flags) {
      throw new AppError('BAD_INPUT', `A passphrase is never given as an argument (--${k}): it would show in the process list and the shell history.`, {
        hint: 'Use --passphrase-stdin and type it or pipe it in.',
      });
    }
  }
}

// --passphrase-stdin for the verbs that read encrypted agents: one SYSTEM=passphrase per line, or
// one bare line for every encrypted agent. The CLI does not know which agents are encrypted, so a
// single line travels as "*" (and as SYSTEM=passphrase too, when it has that shape); the engine
// decides with expandPassphrases (engine/passphrases.ts).
export function passphrasesFromStdin(text: string): Record<string, string> {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const out: Record<string, string> = {};
  if (lines.length === 1) out['*'] = lines[0];
  for (const l of lines) {
    const i = l.indexOf('=');
    // Only a system's name before the "=": a single passphrase that merely holds one ("my pass=word")
    // must not travel split, its first part as a name an error message would show.
    if (i > 0 && SYSTEM_NAME_RE.test(l.slice(0, i))) out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}
