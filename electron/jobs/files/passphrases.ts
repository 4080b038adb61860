// Encrypted agents are read with their passphrase (R18's unlock): every one is asked for and tried
// before a job erases anything, so a missing or mistyped passphrase never costs a formatted drive.
// The key record is read from the live dataset (it is written once, when the agent is paired), or,
// where the live dataset does not show it (not mounted), from the newest point the job reads,
// through a read-only clone; the unwrapped key is wiped at once. Passphrases stay in the caller's
// memory only.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../api/errors.ts';
import { parseKeyRecord, unwrapAgentKey } from '../../appliance/agent-key.ts';
import { getDataset } from '../../system/zfs/index.ts';
import { pointKeyRecord } from './point-reader.ts';

export async function checkPassphrases(
  systems: ReadonlyArray<{ system: string; kind: string; encrypted: boolean; sourceDataset: string; points: readonly string[] }>,
  passphrases: Readonly<Record<string, string>>,
  jobId: string,
): Promise<void> {
  const missing = systems.filter((s) => s.kind === 'agent' && s.encrypted && !passphrases[s.system]).map((s) => s.system);
  if (missing.length) {
    throw new AppError('PASSPHRASE_NEEDED', `${missing.join(', ')} ${missing.length === 1 ? 'is an encrypted agent' : 'are encrypted agents'}: ${missing.length === 1 ? 'its' : 'their'} passphrase is needed to read ${missing.length === 1 ? 'its' : 'their'} points. Nothing was written.`, {
      hint: "Enter each agent's passphrase (roundtrip sync --passphrase-stdin, one SYSTEM=passphrase per line). It is kept in memory only.",
      data: { systems: missing },
    });
  }
  for (const s of systems) {
    if (!(s.kind === 'agent' && s.encrypted)) continue;
    const ds = await getDataset(s.sourceDataset);
    const file = ds.mountpoint && ds.mounted !== false ? join(ds.mountpoint, 'agent-key.json') : null;
    const newest = s.points.at(-1);
    const text = file && existsSync(file) ? readFileSync(file, 'utf8') : newest ? await pointKeyRecord(s.sourceDataset, newest, jobId) : null;
    if (text === null) continue; // no key record anywhere: the point's own check refuses it when it is opened
    try {
      const key = await unwrapAgentKey(parseKeyRecord(text), passphrases[s.system]);
      key.fill(0);
    } catch (e) {
      if (e instanceof AppError && e.code === 'PASSPHRASE_WRONG') {
        throw new AppError('PASSPHRASE_WRONG', `That passphrase does not unlock ${s.system}. Nothing was written; check it and try again.`, { data: { system: s.system } });
      }
      throw e;
    }
  }
}
