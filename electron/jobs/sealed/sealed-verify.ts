// Verifying a sealed unit from one of its drives (docs/sealed-units.md). With the unit passphrase
// every stream file on the drive is opened to its end: each record authenticated, each stream's
// SHA-256 the one recorded when it was sent. Without it, what can be known without the key: every
// file the public manifest lists for this drive is there, at its size, and its header names the
// unit's key. Nothing on the unit is written either way.
import { open, stat } from 'node:fs/promises';
import { AppError } from '../../api/errors.ts';
import { parseHeader, HEADER_BYTES } from '../../seal/index.ts';
import { mountUnitDrives } from '../files/unit-target.ts';
import type { VerifyCheck } from '../zfs/verify-points.ts';
import { streamPath } from './sealed-layout.ts';
import { authenticateSealed, openSealedOuter, openSealedUnit } from './sealed-unit.ts';

export interface SealedVerifyReport {
  ok: boolean;
  device: string;
  ticketId: string;
  driveIndex: number;
  /** true: every file opened and authenticated; false: presence, size and key id only (no passphrase). */
  authenticated: boolean;
  pointsChecked: number;
  mismatches: VerifyCheck[];
  checks: VerifyCheck[];
}

export async function verifySealedUnit(device: string, opts: { unitPassphrase?: string; signal?: AbortSignal; jobId?: string } = {}): Promise<SealedVerifyReport> {
  if (opts.unitPassphrase) {
    const session = await openSealedUnit(device, opts.unitPassphrase, opts.jobId);
    try {
      const checks: VerifyCheck[] = (await authenticateSealed(session, opts.signal)).map((r) => ({ system: r.system, point: r.point, ...(r.file ? { file: r.file } : {}), ok: r.ok, checks: ['sealed-records', 'unit-digest'], ...(r.problem ? { problem: r.problem } : {}) }));
      return report(device, session.manifest.ticketId, session.driveIndex, true, checks);
    } finally {
      await session.close();
    }
  }
  const { unit, outer } = await openSealedOuter(device);
  const driveIndex = unit.metadata.drive.index;
  const jobId = opts.jobId ?? `verify-sealed-${process.pid}-${Date.now()}`;
  const mounted = await mountUnitDrives(jobId, [{ index: driveIndex, device, serial: null, metaPartition: unit.metaPartition, dataPartition: unit.dataPartition, fsLabel: null, sizeBytes: 0 }], 'ext4', { readOnly: true });
  const checks: VerifyCheck[] = [];
  try {
    // Without the key, a file is known by its name only: the check names it, not a system.
    for (const f of outer.sealed!.files.filter((x) => x.drive === driveIndex)) {
      if (opts.signal?.aborted) throw new AppError('CANCELLED', 'The verification was cancelled.');
      const path = streamPath(mounted.drives[0].root, f.file);
      const problem = await fileProblem(path, f.bytes, outer.sealed!.keyId);
      checks.push({ system: '(sealed)', point: f.file, ok: problem === null, checks: ['present', 'size', 'key-id'], ...(problem ? { problem } : {}) });
    }
  } finally {
    await mounted.close();
  }
  return report(device, outer.ticketId, driveIndex, false, checks);
}

async function fileProblem(path: string, bytes: number, keyId: string): Promise<string | null> {
  const st = await stat(path).catch(() => null);
  if (!st) return 'the file is missing';
  if (st.size !== bytes) return `the file has ${st.size} bytes, the manifest says ${bytes}`;
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(HEADER_BYTES);
    await fh.read(b, 0, HEADER_BYTES, 0);
    const h = parseHeader(b);
    return h.keyId.toString('hex') === keyId ? null : "the file's header names another unit's key";
  } catch {
    return 'the file is not a sealed stream file';
  } finally {
    await fh.close();
  }
}

function report(device: string, ticketId: string, driveIndex: number, authenticated: boolean, checks: VerifyCheck[]): SealedVerifyReport {
  const mismatches = checks.filter((c) => !c.ok);
  return { ok: mismatches.length === 0, device, ticketId, driveIndex, authenticated, pointsChecked: checks.length, mismatches, checks };
}
