// The contract's passphrases for the encrypted agents a job meets: "*" stands for every encrypted
// agent, unless the request names one of them itself (then only the named ones count), the same
// rule as one bare line at --passphrase-stdin. Memory only.
export function expandPassphrases(given: Readonly<Record<string, string>> | undefined, encrypted: readonly string[]): Record<string, string> | undefined {
  if (!given) return undefined;
  const { '*': all, ...named } = given;
  if (all === undefined || encrypted.some((s) => Object.hasOwn(named, s))) return named;
  const out: Record<string, string> = { ...named };
  for (const s of encrypted) out[s] = all;
  return out;
}
