// Unlocking an encrypted agent after its data came back (R18): the technician's passphrase unwraps
// the agent key stored with the dataset, the key is proven on the agent's volumes (decrypted into a
// private scratch file, mounted read-only, listed, then removed), and only then is the agent marked
// unlocked so it can be paired and backed up again.
// A wrong passphrase or a damaged key record changes nothing (no property, no file), so the
// technician may simply try again. The passphrase and the key live in memory only: they are passed
// to no tool as an argument and reach no log, journal, database or file.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../api/errors.ts';
import { readSystemMeta, type SystemMeta } from '../appliance/system-meta.ts';
import { logLine } from '../system/log.ts';
import { datasetExists, getDataset, getUserProps, listSnapshots, setUserProp } from '../system/zfs/index.ts';
import { parseKeyRecord, unwrapAgentKey } from '../appliance/agent-key.ts';
import { loadNativeKey, nativeEncryptionOf } from './native-key.ts';
import { scratchDir, withPointMounted, withVolumeMounted } from './point-files.ts';
import { cryptFile } from '../appliance/volume-crypt.ts';

export const KEY_RECORD_FILE = 'agent-key.json';
export const AGENT_STATE_PROP = 'roundtrip:agent-state';

export interface VolumeProof {
  name: string;
  fs: 'ext4' | 'ntfs';
  /** Top-level entries of the decrypted volume, as proof it is a readable filesystem. */
  entries: string[];
  /** One file read in full from the decrypted volume. */
  sample: { path: string; bytes: number; sha256: string } | null;
}

export interface UnlockResult {
  dataset: string;
  method: 'agent-key' | 'native';
  volumes: VolumeProof[];
  state: 'unlocked';
  unlockedAt: string;
}

async function withCurrentFiles<T>(dataset: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const ds = await getDataset(dataset);
  if (ds.mounted && ds.mountpoint && existsSync(ds.mountpoint)) return fn(ds.mountpoint);
  const newest = (await listSnapshots(dataset)).at(-1);
  if (!newest) throw new AppError('NOT_FOUND', `${dataset} has no recovery point to unlock.`);
  return withPointMounted(newest.name, fn);
}

function firstFile(dir: string): string | null {
  for (const name of ['README.txt', ...readdirSync(dir).sort()]) {
    const p = join(dir, name);
    if (existsSync(p) && statSync(p).isFile()) return name;
  }
  return null;
}

/** Decrypts each volume into scratch space, mounts it read-only and reads it; nothing is kept. */
async function proveVolumes(dir: string, meta: SystemMeta, key: Buffer): Promise<VolumeProof[]> {
  const out: VolumeProof[] = [];
  for (const v of meta.volumes) {
    const image = join(dir, v.file);
    if (!existsSync(image)) throw new AppError('NOT_FOUND', `The agent's volume ${v.file} is not in its dataset.`);
    const work = scratchDir('unlock');
    const plain = join(work, `${v.name}.img`);
    try {
      cryptFile(key, image, plain, false);
      const proof = await withVolumeMounted(plain, v.fs, async (mnt) => {
        const entries = readdirSync(mnt).filter((e) => e !== 'lost+found').sort();
        const f = firstFile(mnt);
        const sample = f ? (() => {
          const data = readFileSync(join(mnt, f));
          return { path: f, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
        })() : null;
        return { name: v.name, fs: v.fs, entries, sample };
      }).catch((e) => {
        throw new AppError('VERIFY_MISMATCH', `The passphrase unlocked the agent key, but volume ${v.name} does not read as ${v.fs} with it: the volume image may be damaged.`, {
          detail: (e as AppError).detail ?? String(e),
        });
      });
      out.push(proof);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return out;
}

export async function unlockAgent(dataset: string, passphrase: string, opts: { actor?: string; ticketId?: string } = {}): Promise<UnlockResult> {
  if (!passphrase) throw new AppError('BAD_INPUT', 'The passphrase is empty.');
  if (!(await datasetExists(dataset))) throw new AppError('ZFS_NO_DATASET', `There is no agent at ${dataset}.`);
  const props = await getUserProps(dataset);
  let method: UnlockResult['method'];
  let volumes: VolumeProof[] = [];
  if (await nativeEncryptionOf(dataset)) {
    method = 'native';
    await loadNativeKey(dataset, passphrase);
  } else {
    method = 'agent-key';
    volumes = await withCurrentFiles(dataset, async (dir) => {
      const meta = readSystemMeta(dir);
      if (!(meta?.encrypted || props['roundtrip:encrypted'] === 'yes')) {
        throw new AppError('AGENT_NOT_ENCRYPTED', `${dataset} is not an encrypted agent: it needs no passphrase.`);
      }
      const recPath = join(dir, KEY_RECORD_FILE);
      if (!existsSync(recPath)) {
        throw new AppError('KEY_RECORD_DAMAGED', `The agent's key record (${KEY_RECORD_FILE}) is missing from ${dataset}; the passphrase cannot unlock it.`, {
          hint: 'Restore the key record from the appliance or the offsite copy; the passphrase was not tried.',
        });
      }
      const rec = parseKeyRecord(readFileSync(recPath, 'utf8'));
      const key = await unwrapAgentKey(rec, passphrase);
      try {
        return await proveVolumes(dir, meta ?? { name: dataset, kind: 'agent', encrypted: true, volumes: [] }, key);
      } finally {
        key.fill(0);
      }
    });
  }
  const unlockedAt = new Date().toISOString();
  await setUserProp(dataset, AGENT_STATE_PROP, 'unlocked');
  await setUserProp(dataset, 'roundtrip:agent-unlocked-at', unlockedAt);
  const details = { dataset, method, volumes: volumes.map((v) => v.name) };
  logLine('merge', { op: 'agent unlocked', ...details });
  try {
    const { appendAudit } = await import('../tickets/audit.ts');
    appendAudit({ actor: opts.actor ?? 'engine', action: 'agent.unlock', ticketId: opts.ticketId, details });
  } catch (e) {
    logLine('merge', { op: 'audit agent.unlock', failed: String(e) });
  }
  return { dataset, method, volumes, state: 'unlocked', unlockedAt };
}

/** Marks an encrypted agent as needing its passphrase before it is paired again. */
export async function markLocked(dataset: string): Promise<void> {
  await setUserProp(dataset, AGENT_STATE_PROP, 'locked');
}
