// A verify job: prove a unit holds what its manifest says (and the source, when it is here):
// ZFS units, NTFS/EXT4 units (folders or images), or a NAS unit over ssh.
import { AppError } from '../../api/errors.ts';
import { verifyFileUnit } from '../../jobs/files/verify.ts';
import { openUnit } from '../../jobs/unit.ts';
import { verifyZfsUnit } from '../../jobs/zfs/verify.ts';
import { verifyNasUnit } from '../../jobs/zfs/nas-verify.ts';
import { verifySealedUnit } from '../../jobs/sealed/sealed-verify.ts';
import type { JobKindDef } from '../jobs/job-kind.ts';
import { isSealedLayout } from '../../drives/types.ts';
import { heldUnitPassphrase } from '../unit-passphrases.ts';
import { stepSnapshot } from '../jobs/step-progress.ts';
import { expandPassphrases } from '../passphrases.ts';

export const kind: JobKindDef<'verify'> = {
  kind: 'verify',
  steps: ['read-manifest', 'check-points', 'compare-source'],
  title: (p) => `Verify ${p.device ?? `${p.nasDataset} on ${p.nas?.host}`}`,
  holds: (p) => ({ drives: p.device ? [p.device] : [], tickets: [] }),
  resume: 'restart',
  async run(p, ctx) {
    const started = Date.now();
    ctx.onProgress(stepSnapshot(ctx.jobId, started, 'read-manifest', p.device ?? p.nasDataset, 0, 2));
    if (p.nas) {
      if (!p.nasDataset) throw new AppError('BAD_INPUT', 'Name the unit on the NAS with --nas-dataset POOL/rt_TICKET.');
      const r = await verifyNasUnit(p.nas, p.nasDataset, { sourceRoot: p.source, signal: ctx.signal });
      return { unit: 'nas' as const, ...r };
    }
    const device = p.device!;
    const m = (await openUnit(device)).manifest;
    ctx.onProgress(stepSnapshot(ctx.jobId, started, 'check-points', device, 1, 2));
    if (m && isSealedLayout(m.layout)) {
      const unitPassphrase = p.unitPassphrase ?? (p.sealedSyncJobId ? heldUnitPassphrase(p.sealedSyncJobId) : null) ?? undefined;
      if (p.sealedSyncJobId && !unitPassphrase) {
        throw new AppError('UNIT_PASSPHRASE_NEEDED', `This bench no longer holds the unit passphrase of sync ${p.sealedSyncJobId} (it was passed on): enter it from the support ticket to authenticate the unit.`, {
          hint: 'Or verify without it: each sealed file is then checked for its presence, size and key only.',
        });
      }
      ctx.log(unitPassphrase ? 'Every sealed file is opened with the unit passphrase and authenticated.' : 'No unit passphrase: each sealed file is checked for its presence, size and key only.');
      const r = await verifySealedUnit(device, { unitPassphrase, signal: ctx.signal });
      return { unit: 'sealed' as const, ...r };
    }
    if (m && m.layout !== 'zfs') {
      const encrypted = m.systems.filter((s) => s.encrypted).map((s) => s.system);
      const r = await verifyFileUnit(device, { sourceRoot: p.source, passphrases: expandPassphrases(p.passphrases, encrypted), signal: ctx.signal });
      return { unit: 'files' as const, ...r };
    }
    const r = await verifyZfsUnit(device, { sourceRoot: p.source, signal: ctx.signal });
    return { unit: 'zfs' as const, ...r };
  },
};
