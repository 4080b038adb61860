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
    if (i > 0) out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}
