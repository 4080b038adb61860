// Workflow 2 on a real bench: a ticket's plan from the pools as they are now. The chain module
// plans (pure); this side reads the inventories, measures the exact ZFS streams the sync will
// write (`send -nvP` where the probe has it, otherwise the stream is generated and counted), sizes
// the drives named, and uses this bench's measured rate.
import { AppError } from '../api/errors.ts';
import { readInventories } from '../appliance/inventory.ts';
import { sendingRoot as sendingRootOf, type Sites } from '../appliance/sites.ts';
import { buildPlan, type Plan, type PlanDrive } from '../chain/plan.ts';
import { resolveSelection } from '../chain/resolve.ts';
import type { PointSizes, SpanSize } from '../chain/sizing.ts';
import { LOCAL_RETENTION_DEFAULT, OFFSITE_RETENTION_DEFAULT, type RetentionPolicy } from '../chain/retention.ts';
import { sizeBytes } from '../drives/sysfs.ts';
import { streamSize } from '../system/zfs/index.ts';
import { planTicketOf, readDirection } from '../tickets/model/plan-ticket.ts';
import type { TicketInput } from '../tickets/model/ticket-schema.ts';
import { measuredBenchRate } from './bench-rate.ts';
import { measureFileSyncSizes } from './files/point-sizes.ts';

export interface PlanForTicketOptions {
  drives?: string[];
  lockOverrides?: Record<string, string>;
  /** Measure exact stream sizes (default). Off: estimate from the points' properties, instantly. */
  exact?: boolean;
  /** Encrypted agents' passphrases by system name (memory only), to measure their NTFS/EXT4/image sizes. */
  passphrases?: Record<string, string>;
  /** R20: what retention deletes before the unit arrives, `arrivalInDays` from now (the policies default to R20's). */
  retention?: { arrivalInDays: number; local?: RetentionPolicy; offsite?: RetentionPolicy };
}

function retentionInput(r: NonNullable<PlanForTicketOptions['retention']>) {
  const now = Math.floor(Date.now() / 1000);
  return { local: r.local ?? LOCAL_RETENTION_DEFAULT, offsite: r.offsite ?? OFFSITE_RETENTION_DEFAULT, now, arrival: now + Math.round(r.arrivalInDays * 86400) };
}

export async function planForTicket(request: TicketInput, sites: Sites, opts: PlanForTicketOptions = {}): Promise<Plan> {
  const ticket = { ...planTicketOf(request), ...(opts.lockOverrides ? { lockOverrides: opts.lockOverrides } : {}) };
  const sendingRoot = sendingRootOf(sites, request);
  const warnings: string[] = [];
  const invs = await readInventories(sites, warnings);
  const spans: Record<string, SpanSize[]> = {};
  const sizes: Record<string, Record<string, PointSizes>> = {};
  for (const sel of request.systems) {
    const inv = invs.find((i) => i.system === sel.name);
    if (!inv) continue; // buildPlan names it as a system without an inventory
    let r;
    try {
      r = resolveSelection(inv, sel.points, ticket.format, opts.lockOverrides?.[sel.name], { direction: readDirection(request) });
    } catch {
      continue; // buildPlan refuses the same selection with its reason
    }
    const ds = `${sendingRoot}/${sel.name}`;
    if (ticket.format === 'zfs') {
      const list: SpanSize[] = [];
      if (opts.exact !== false) {
        if (r.base) list.push({ from: null, to: r.base.name, bytes: await streamSize(`${ds}@${r.base.name}`) });
        for (const s of r.sends) list.push({ from: s.from, to: s.to, bytes: await streamSize(`${ds}@${s.to}`, { from: s.from ?? undefined, intermediate: s.intermediates }) });
      } else {
        // Quick estimate: a full stream ≈ referenced, an increment ≈ the point's own used bytes.
        const table: Record<string, PointSizes> = {};
        for (const p of [...inv.local, ...inv.offsite]) table[p.name] = { fullBytes: p.referencedBytes, incrementalBytes: Math.max(p.usedBytes ?? 0, 64 * 1024) };
        sizes[sel.name] = table;
      }
      spans[sel.name] = list;
    } else {
      // NTFS/EXT4 browsable copies and image exports: what the file sync will report, measured on
      // the points themselves (point-sizes.ts); `exact: false` keeps the quick estimate from the
      // points' referenced size (browsable: sizeForFormat's own fallback, marked estimated).
      const image = ticket.format === 'image';
      const table: Record<string, PointSizes> = {};
      if (opts.exact !== false) {
        const [m] = await measureFileSyncSizes(
          [{ system: sel.name, dataset: ds, kind: inv.kind, encrypted: inv.encrypted, points: r.points.map((p) => p.name) }],
          { layout: image ? 'image' : 'browsable', imageFormat: ticket.imageFormat, passphrases: opts.passphrases },
        );
        if (m.measured) {
          for (const p of m.points) table[p.point] = image ? { imageBytes: p.bytes } : { fsUsedBytes: p.bytes };
        } else {
          const estimateNote = `${sel.name} is an encrypted agent: its sizes are estimated from the points' referenced size; give its passphrase to measure them exactly.`;
          for (const p of r.points) table[p.name] = image ? { imageBytes: p.referencedBytes, estimateNote } : { fsUsedBytes: p.referencedBytes, estimateNote };
        }
      } else if (image) {
        for (const p of [...inv.local, ...inv.offsite]) table[p.name] = { imageBytes: p.referencedBytes };
      }
      sizes[sel.name] = table;
    }
  }
  const drives: PlanDrive[] | undefined = opts.drives?.length ? opts.drives.map((path) => ({ path, sizeBytes: sizeBytes(path) })) : undefined;
  for (const d of drives ?? []) {
    if (d.sizeBytes === 0) throw new AppError('DRIVE_GONE', `${d.path} is not attached (or has no size).`);
  }
  const plan = buildPlan({
    ticket,
    inventories: invs,
    sizes,
    spans,
    drives,
    measuredRate: measuredBenchRate(),
    unitCarriesBase: ticket.format === 'zfs',
    ...(opts.retention ? { retention: retentionInput(opts.retention) } : {}),
  });
  // What reading the offsite side found (an audit list's unknown or missing systems) comes first.
  return warnings.length ? { ...plan, warnings: [...warnings, ...plan.warnings] } : plan;
}
