// Verifying a unit the partner keeps (R19), from the unit alone:
//   contents (every point vs the manifest) → file restore and image export of one point (read
//   through a read-only clone on the unit, removed after) → pool status + scrub → SMART.
// Every check runs even when an earlier one failed, so the report says everything that is wrong.
// The report (JSON, HTML, PDF) is what the partner keeps.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, toAppError } from '../api/errors.ts';
import { readSystemMeta } from '../appliance/system-meta.ts';
import { TOOL } from '../jobs/manifest.ts';
import { ProgressMeter, type ProgressSnapshot } from '../jobs/progress.ts';
import { logLine } from '../system/log.ts';
import { appPath } from '../system/paths.ts';
import { datasetExists, listSnapshots } from '../system/zfs/index.ts';
import { checkContents } from './kept-contents.ts';
import { checkImageExport } from './kept-export.ts';
import { checkPoolHealth, checkSmart } from './kept-health.ts';
import { keptReportHtml } from './kept-report-html.ts';
import { writeKeptReportPdf } from './kept-report-pdf.ts';
import { checkFileRestore } from './kept-restore.ts';
import type { KeptCheck, KeptReport } from './kept-types.ts';
import { withPointMounted } from './point-files.ts';
import { openZfsUnit } from './unit-session.ts';

export interface VerifyKeptRequest {
  device: string;
  /** The system whose point is restored and exported (default: the first unencrypted agent). */
  system?: string;
  /** The point (default: the system's newest on the unit). */
  point?: string;
  volume?: string;
  /** Compare contents with the source too (default: when the manifest's source is on this bench). */
  sourceRoot?: string | null;
  /** Where the report goes: BASE.html and BASE.pdf (default under the app's home). */
  reportBase?: string;
  actor?: string;
}

function restoreTarget(m: KeptReport['unit'] & { manifestSystems: Array<{ system: string; kind: string; encrypted: boolean; unitPath: string; points: Array<{ name: string }> }> }, req: VerifyKeptRequest) {
  const all = m.manifestSystems;
  if (req.system) {
    const s = all.find((x) => x.system === req.system);
    if (!s) throw new AppError('BAD_INPUT', `${req.system} is not on this unit; it holds ${all.map((x) => x.system).join(', ')}.`);
    return s;
  }
  // An unencrypted agent shows both restores; a share or an encrypted agent is the fallback.
  return all.find((x) => x.kind === 'agent' && !x.encrypted) ?? all.find((x) => !x.encrypted) ?? all[0];
}

export interface VerifyKeptOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProgressSnapshot) => void;
  /** Each check as soon as it has its result, so a UI shows it before the others end. */
  onCheck?: (c: KeptCheck) => void;
}

export async function verifyKeptUnit(req: VerifyKeptRequest, opts: VerifyKeptOptions = {}): Promise<KeptReport> {
  const session = await openZfsUnit(req.device, `verify-kept-${process.pid}-${Date.now()}`);
  const m = session.manifest;
  const meter = new ProgressMeter(`verify-kept-${m.ticketId}`, 0);
  if (opts.onProgress) meter.on('progress', opts.onProgress);
  meter.start();
  const checks: KeptCheck[] = [];
  const add = (...cs: KeptCheck[]) => {
    for (const c of cs) {
      checks.push(c);
      opts.onCheck?.(c);
    }
  };
  let report: KeptReport;
  try {
    const unit: KeptReport['unit'] = {
      unitId: m.unitId,
      ticketId: m.ticketId,
      applianceSerial: m.applianceSerial,
      direction: m.direction,
      pool: session.pool,
      devices: session.disks,
      syncedAt: m.endedAt,
      systems: m.systems.map((s) => ({ system: s.system, points: s.points.length, first: s.points[0]?.name ?? null, last: s.points.at(-1)?.name ?? null })),
    };

    meter.setStep('contents');
    add(await checkContents(req.device, { sourceRoot: req.sourceRoot, signal: opts.signal }));

    meter.setStep('file-restore');
    const target = restoreTarget({ ...unit, manifestSystems: m.systems }, req);
    const point = req.point ?? target?.points.at(-1)?.name;
    await restoreAndExport(target?.unitPath, target?.system, point, req, opts.signal, meter, add);

    meter.setStep('pool-health');
    add(await checkPoolHealth(session.pool, { signal: opts.signal }));
    meter.setStep('smart');
    add(await checkSmart(unit.devices));

    report = { ok: checks.every((c) => c.status !== 'failed'), generatedAt: new Date().toISOString(), tool: TOOL, unit, checks };
  } finally {
    meter.stop();
    await session.close().catch((e) => logLine('merge', { op: 'export unit', failed: toAppError(e).message }));
  }

  const base = (req.reportBase ?? appPath('reports', `kept-${m.ticketId}-${Date.now()}`)).replace(/\.(html|pdf)$/i, '');
  mkdirSync(dirname(base), { recursive: true });
  report.files = { html: `${base}.html`, pdf: `${base}.pdf` };
  writeFileSync(report.files.html, keptReportHtml(report));
  await writeKeptReportPdf(report, report.files.pdf);
  const details = { unit: m.unitId, ok: report.ok, checks: Object.fromEntries(checks.map((c) => [c.id, c.status])), report: report.files.html };
  logLine('merge', { op: 'kept unit verified', ticketId: m.ticketId, ...details });
  try {
    const { appendAudit } = await import('../tickets/audit.ts');
    appendAudit({ actor: req.actor ?? 'cli', action: 'unit.verify-kept', ticketId: m.ticketId, details });
  } catch (e) {
    logLine('merge', { op: 'audit unit.verify-kept', failed: String(e) });
  }
  return report;
}

async function restoreAndExport(
  unitPath: string | undefined,
  system: string | undefined,
  point: string | undefined,
  req: VerifyKeptRequest,
  signal: AbortSignal | undefined,
  meter: ProgressMeter,
  add: (...cs: KeptCheck[]) => void,
): Promise<void> {
  const fail = (id: KeptCheck['id'], title: string, summary: string): KeptCheck => ({ id, title, status: 'failed', summary, evidence: [] });
  const titles = { restore: 'File restore from a recovery point', export: 'Image export to VHD and VMDK' };
  if (!unitPath || !system || !point) {
    return add(fail('file-restore', titles.restore, 'The unit holds no point to restore.'), fail('image-export', titles.export, 'The unit holds no point to export.'));
  }
  const label = `${system} @ ${point}`;
  // The restore's result is told before the export starts; a point that cannot be opened fails both.
  let told = false;
  try {
    if (!(await datasetExists(unitPath)) || !(await listSnapshots(unitPath)).some((s) => s.snap === point)) {
      throw new AppError('NOT_FOUND', `point ${label} is not on the unit`);
    }
    await withPointMounted(`${unitPath}@${point}`, async (dir) => {
      const meta = readSystemMeta(dir);
      const encrypted = meta?.encrypted === true;
      const restore: KeptCheck = encrypted
        ? { id: 'file-restore', title: titles.restore, status: 'skipped', summary: `${label} is an encrypted agent: its files are restored after its passphrase is entered (choose an unencrypted system with --system).`, evidence: [] }
        : await checkFileRestore(dir, { system, point, meta, volume: req.volume });
      add(restore);
      told = true;
      meter.setStep('image-export');
      add(await checkImageExport(dir, { system, point, meta, volume: req.volume, signal }));
    });
  } catch (e) {
    const msg = toAppError(e).message;
    if (!told) add(fail('file-restore', titles.restore, `${label} could not be opened: ${msg}`));
    add(fail('image-export', titles.export, `${label} could not be opened: ${msg}`));
  }
}
