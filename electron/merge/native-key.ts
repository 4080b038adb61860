// Natively encrypted datasets (OpenZFS): where ZFS has native encryption and the dataset has it on,
// the agent's passphrase is the dataset's own key and `zfs load-key` takes it on stdin (never as an argument, so it is in no process list and no log line). zfs-fuse has no native
// encryption, so on this bench the agent-key record (agent-key.ts) is always the path taken.
import { AppError } from '../api/errors.ts';
import { zfs, expectZfs } from '../system/zfs/exec.ts';
import { assertDatasetName } from '../system/zfs/names.ts';

/**
 * The dataset's native encryption (e.g. "aes-256-gcm"), or null when it has none or this ZFS cannot
 * do it. Asked of the dataset itself: a ZFS without native encryption has no `encryption` property
 * (the same fact the probe reads from `zfs get`'s property list), and this avoids the probe's
 * scratch pool on every unlock.
 */
export async function nativeEncryptionOf(dataset: string): Promise<string | null> {
  assertDatasetName(dataset);
  const r = await zfs(['get', '-Hp', '-o', 'value', 'encryption', dataset], `read the encryption of ${dataset}`, [], { okCodes: [1, 2] });
  if (r.exitCode !== 0 || /invalid property/i.test(r.stderr)) return null;
  const v = r.stdout.trim();
  return v && v !== 'off' && v !== '-' ? v : null;
}

export async function loadNativeKey(dataset: string, passphrase: string): Promise<void> {
  assertDatasetName(dataset);
  try {
    await zfs(['load-key', '-L', 'prompt', dataset], `load the key of ${dataset}`, [
      expectZfs('ZFS_EXISTS', /key already loaded/i, 'The key is already loaded.'),
      expectZfs('PASSPHRASE_WRONG', /incorrect key|invalid key|wrong key/i, 'That passphrase does not unlock this agent. Nothing was changed; check it and try again.'),
    ], { input: passphrase + '\n' });
  } catch (e) {
    if (e instanceof AppError && e.code === 'ZFS_EXISTS') return;
    throw e;
  }
}
