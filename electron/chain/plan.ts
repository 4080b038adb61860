// Workflow 2, Plan: per system and in total, what travels and how big it is (R1, R2), on which
// media (R3), how many drives (R4, R5), the fee (R6) and the time (R8). Pure: the caller
// (jobs/plan-for-ticket.ts) measures inventories, stream sizes and drives, and passes them in.
//
// Money and limits use different figures on purpose: the fee is charged on the data synced
// (dataBytes, R6), while the 8 TB limit, the drives and the time use what is written
// (totalBytes = data + the layout's data-side overhead).
import { AppError, type ErrorCode } from '../api/errors.ts';
import { syncFee, type SyncFee } from './fees.ts';
import { targetFs, usableBytes } from './layout.ts';
import { orient } from './match.ts';
import { assertEligibleDrives, chooseMedia, isEligibleDrive, drivesNeeded as stripedDrivesNeeded, type Media } from './media.ts';
import { assertFormat, resolveOriented } from './resolve.ts';
import { retentionPreview } from './retention-preview.ts';
import type { RetentionPolicy } from './retention.ts';
import { sizeForFormat, type SizeTable, type SpanSize } from './sizing.ts';
import { spreadPoints, type SpreadItem } from './spread.ts';
import { DEFAULT_RATE_BYTES_PER_SEC, estimateSeconds } from './time.ts';
import type { Direction, Format, FullReason, ImageFormat, MatchedBy, PointRef, Selection, SystemInventory, SystemKind, TargetFs } from './types.ts';

export interface PlanTicket {
  /** forward = RoundTrip (default), reverse = revRT. */
  direction?: Direction;
  /**
   * Where the points are read from, when it is not the direction's usual side: a revRT may copy the
   * appliance's own points (NTFS/EXT4/image for a partner). Default: appliance forward, offsite reverse.
   */
  readFrom?: 'appliance' | 'offsite';
  format: Format;
  imageFormat?: ImageFormat;
  imageFs?: TargetFs;
  disasterRecovery: boolean;
  /** Per system name. */
  selections: Readonly<Record<string, Selection>>;
  /** For inventories not named in `selections`; without it only the named systems are planned. */
  defaultSelection?: Selection;
  lockOverrides?: Readonly<Record<string, PointRef>>;
}

export interface PlanDrive {
  path: string;
  sizeBytes: number;
}

export interface PlanInput {
  ticket: PlanTicket;
  inventories: readonly SystemInventory[];
  /** Per system: per point name, the measured sizes. */
  sizes: Readonly<Record<string, SizeTable>> | ReadonlyMap<string, SizeTable>;
  /** Per system: streams measured between exact points, replacing estimates. */
  spans?: Readonly<Record<string, readonly SpanSize[]>>;
  /**
   * ZFS onto a blank unit (a USB drive): the unit must hold the base (the lock) in full before the
   * increments can be received onto it, so its full stream is written too. Counted as overhead:
   * it is carried, not charged (R6 charges the points the ticket asked for).
   */
  unitCarriesBase?: boolean;
  /** The drives attached (or chosen). Absent: the plan does not count drives. */
  drives?: readonly PlanDrive[];
  /** Bytes per second measured on this bench (R8); absent: 15 MB/s. */
  measuredRate?: number | null;
  /** R20: preview what retention deletes before the unit arrives. */
  retention?: {
    local?: RetentionPolicy;
    offsite?: RetentionPolicy;
    now: number;
    arrival: number;
    /** Per system, points under a guard. */
    holds?: Readonly<Record<string, readonly string[]>>;
    utcOffsetSeconds?: number;
  };
}

export interface PlanSend {
  from: string | null;
  to: string;
  intermediates: boolean;
}

export interface PlanSystem {
  system: string;
  kind: SystemKind;
  lock: string | null;
  base: string | null;
  /** Names of the points that arrive, oldest first. */
  points: string[];
  sends: PlanSend[];
  full: boolean;
  fullReason: FullReason | null;
  matchedBy: MatchedBy;
  dataBytes: number;
  overheadBytes: number;
  bytes: number;
  estimated: boolean;
  notes: string[];
  warnings: string[];
  /** Points retention deletes before arrival, when a retention preview was asked for. */
  retention?: { local: string[]; offsite: string[]; lockDeleted: boolean; selectedDeleted: string[] };
}

export interface PlanDrives {
  attached: number;
  ineligible: string[];
  /** Paths of the drives to use. */
  chosen: string[];
  capacityBytes: number;
  /** NTFS/EXT4/image: which drive each point goes to ("system@point" → path). */
  assignment?: Array<{ id: string; drive: string }>;
}

export interface Plan {
  direction: Direction;
  format: Format;
  imageFormat: ImageFormat | null;
  targetFs: TargetFs;
  systems: PlanSystem[];
  dataBytes: number;
  overheadBytes: number;
  totalBytes: number;
  media: Media;
  mediaReason: string;
  /** USB drives needed; null on a NAS unit, or when drives were not listed or are not enough. */
  drivesNeeded: number | null;
  drives: PlanDrives | null;
  fee: SyncFee;
  seconds: number;
  rateBytesPerSec: number;
  rateMeasured: boolean;
  estimated: boolean;
  warnings: string[];
  /** Encrypted agents whose points this format must read: the sync asks for each one's passphrase. */
  passphrasesNeeded: string[];
}

/** R1: an encrypted agent's volumes are opened (browsable copy, image) only with its passphrase; ZFS sends them as they are. */
function passphraseNote(inv: SystemInventory, format: Format): string[] {
  if (!inv.encrypted || format === 'zfs') return [];
  return [`${inv.system} is an encrypted agent: its volumes can be read for this copy only with the agent's passphrase, which the sync asks for (kept in memory only, never stored).`];
}

const IMAGE_FORMATS: readonly ImageFormat[] = ['raw', 'vhd', 'vhdx', 'vmdk'];
const TARGET_FS: readonly TargetFs[] = ['zfs', 'ntfs', 'ext4'];

function checkTicket(t: PlanTicket): void {
  if (!t || typeof t !== 'object') throw new AppError('BAD_INPUT', 'A plan needs a ticket.');
  assertFormat(t.format);
  if (t.direction !== undefined && t.direction !== 'forward' && t.direction !== 'reverse') {
    throw new AppError('BAD_INPUT', `Unknown direction "${String(t.direction)}".`, { hint: 'Use forward (RoundTrip) or reverse (revRT).' });
  }
  if (t.format === 'image' && !IMAGE_FORMATS.includes(t.imageFormat as ImageFormat)) {
    throw new AppError('BAD_INPUT', 'An image export needs an image format: raw, VHD, VHDX or VMDK.', { data: { field: 'imageFormat' } });
  }
  if (t.imageFs !== undefined && !TARGET_FS.includes(t.imageFs)) {
    throw new AppError('BAD_INPUT', `Images can be written to ZFS, NTFS or EXT4, not "${String(t.imageFs)}".`, { data: { field: 'imageFs' } });
  }
  if (!t.selections || typeof t.selections !== 'object') throw new AppError('BAD_INPUT', 'A plan needs a snapshot selection per system.');
}

function sizeTableFor(sizes: PlanInput['sizes'] | undefined, system: string): SizeTable | undefined {
  if (!sizes) return undefined;
  if (sizes instanceof Map) return sizes.get(system);
  return Object.prototype.hasOwnProperty.call(sizes, system) ? (sizes as Record<string, SizeTable>)[system] : undefined;
}

export function buildPlan(input: PlanInput): Plan {
  const { ticket } = input;
  checkTicket(ticket);
  const direction = ticket.direction ?? 'forward';
  // The side the points come from decides how both sides' points are oriented (sending vs receiving).
  const oriented: Direction = ticket.readFrom === 'appliance' ? 'forward' : ticket.readFrom === 'offsite' ? 'reverse' : direction;
  const format = ticket.format;
  const fs = targetFs(format, ticket.imageFs);
  const hasOwn = (o: object | undefined, k: string) => o !== undefined && Object.prototype.hasOwnProperty.call(o, k);

  const problems: Array<{ system: string; code: ErrorCode; message: string; hint?: string }> = [];
  const known = new Set<string>();
  for (const inv of input.inventories) known.add(inv.system);
  for (const name of Object.keys(ticket.selections)) {
    if (!known.has(name)) problems.push({ system: name, code: 'NOT_FOUND', message: `No inventory was given for ${name}, so it cannot be planned.` });
  }

  const systems: PlanSystem[] = [];
  const passphrasesNeeded: string[] = [];
  const spreadItems: SpreadItem[] = [];
  let data = 0;
  let overhead = 0;
  let estimated = false;

  for (const inv of input.inventories) {
    const named = hasOwn(ticket.selections, inv.system);
    const selection = named ? ticket.selections[inv.system] : ticket.defaultSelection;
    if (!selection) continue;
    const lockOverride = hasOwn(ticket.lockOverrides, inv.system) ? ticket.lockOverrides![inv.system] : undefined;
    try {
      const o = orient(inv, oriented);
      let r;
      try {
        r = resolveOriented(o, selection, format, lockOverride);
      } catch (e) {
        // With the default selection, a system already up to date is reported, not refused.
        if (!named && e instanceof AppError && e.data?.reason === 'nothing-to-send') {
          systems.push(emptySystem(inv, o.matchedBy, o.newestCommon >= 0 ? o.source[o.newestCommon].name : null, e.message));
          continue;
        }
        throw e;
      }
      const s = sizeForFormat(format, r, sizeTableFor(input.sizes, inv.system), { spans: input.spans?.[inv.system], carryBase: input.unitCarriesBase });
      const points = new Array<string>(r.points.length);
      for (let i = 0; i < r.points.length; i++) points[i] = r.points[i].name;
      if (s.perPoint) for (let i = 0; i < points.length; i++) spreadItems.push({ id: `${inv.system}@${points[i]}`, bytes: s.perPoint[i] });
      data += s.dataBytes;
      overhead += s.overheadBytes;
      estimated ||= s.estimated;
      systems.push({
        system: inv.system,
        kind: inv.kind,
        lock: r.lock?.name ?? null,
        base: r.base?.name ?? null,
        points,
        sends: r.sends.map((x) => ({ from: x.from, to: x.to, intermediates: x.intermediates })),
        full: r.full,
        fullReason: r.fullReason,
        matchedBy: r.matchedBy,
        dataBytes: s.dataBytes,
        overheadBytes: s.overheadBytes,
        bytes: s.bytes,
        estimated: s.estimated,
        notes: [...r.notes, ...s.notes, ...passphraseNote(inv, format)],
        warnings: r.warnings,
      });
      if (inv.encrypted && format !== 'zfs') passphrasesNeeded.push(inv.system);
      if (input.retention) addRetention(systems[systems.length - 1], inv, selection, format, oriented, lockOverride, input.retention);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      problems.push({ system: inv.system, code: e.code, message: e.message, hint: e.hint });
    }
  }

  if (problems.length > 0) {
    const first = problems[0];
    throw new AppError(
      first.code,
      problems.length === 1 ? first.message : `${problems.length} systems cannot be planned. ${first.system}: ${first.message}`,
      { hint: first.hint, data: { problems } },
    );
  }
  if (systems.length === 0) throw new AppError('CHAIN_BAD_SELECTION', 'The ticket selects no protected system to plan.', { data: { reason: 'no-systems' } });

  const total = data + overhead;
  const warnings: string[] = [];
  for (const s of systems) warnings.push(...s.warnings);

  const { media, reason } = chooseMedia(total, format);
  let drivesNeeded: number | null = null;
  let drives: PlanDrives | null = null;
  if (media === 'nas') {
    if (input.drives && input.drives.length > 0) warnings.push('Over 8 TB the data goes on a NAS unit; the attached USB drives are not used.');
  } else if (input.drives) {
    const list = input.drives;
    const sizes = list.map((d) => d.sizeBytes);
    const ineligible = list.filter((d) => !isEligibleDrive(d.sizeBytes)).map((d) => d.path);
    try {
      if (format === 'zfs') {
        const n = stripedDrivesNeeded(total, sizes, fs);
        drivesNeeded = n.count;
        drives = { attached: list.length, ineligible, chosen: n.chosen.map((i) => list[i].path), capacityBytes: n.capacityBytes };
      } else {
        const eligible = assertEligibleDrives(sizes);
        const spread = spreadPoints(spreadItems, eligible.map((i) => usableBytes(sizes[i], fs)));
        drivesNeeded = spread.count;
        const path = (k: number) => list[eligible[k]].path;
        let capacity = 0;
        for (const k of spread.drives) capacity += usableBytes(sizes[eligible[k]], fs);
        drives = {
          attached: list.length,
          ineligible,
          chosen: spread.drives.map(path),
          capacityBytes: capacity,
          assignment: spread.assignment.map((a) => ({ id: a.id, drive: path(a.drive) })),
        };
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // A plan is made before the sync: missing drives are a warning to act on, not a refusal.
      // With no eligible drive the message is the wizard's: "Please attach a RoundTrip drive".
      warnings.push(e.message);
      drives = { attached: list.length, ineligible, chosen: [], capacityBytes: 0 };
    }
  }

  const rateMeasured = input.measuredRate !== undefined && input.measuredRate !== null;
  return {
    direction,
    format,
    imageFormat: format === 'image' ? (ticket.imageFormat as ImageFormat) : null,
    targetFs: fs,
    systems,
    dataBytes: data,
    overheadBytes: overhead,
    totalBytes: total,
    media,
    mediaReason: reason,
    drivesNeeded,
    drives,
    fee: syncFee(data, { disasterRecovery: ticket.disasterRecovery === true }),
    seconds: estimateSeconds(total, input.measuredRate),
    rateBytesPerSec: rateMeasured ? (input.measuredRate as number) : DEFAULT_RATE_BYTES_PER_SEC,
    rateMeasured,
    estimated,
    warnings,
    passphrasesNeeded,
  };
}

function emptySystem(inv: SystemInventory, matchedBy: MatchedBy, lock: string | null, why: string): PlanSystem {
  return {
    system: inv.system,
    kind: inv.kind,
    lock,
    base: null,
    points: [],
    sends: [],
    full: false,
    fullReason: null,
    matchedBy,
    dataBytes: 0,
    overheadBytes: 0,
    bytes: 0,
    estimated: false,
    notes: [why],
    warnings: [],
  };
}

function addRetention(
  s: PlanSystem,
  inv: SystemInventory,
  selection: Selection,
  format: Format,
  direction: Direction,
  lockOverride: PointRef | undefined,
  r: NonNullable<PlanInput['retention']>,
): void {
  const p = retentionPreview(inv, selection, { local: r.local, offsite: r.offsite }, r.now, r.arrival, {
    direction,
    format,
    lockOverride,
    holds: r.holds?.[inv.system],
    utcOffsetSeconds: r.utcOffsetSeconds,
  });
  s.retention = {
    local: p.local.map((d) => d.name),
    offsite: p.offsite.map((d) => d.name),
    lockDeleted: p.lockDeleted.length > 0,
    selectedDeleted: p.selectedDeleted.map((d) => d.name),
  };
  s.warnings.push(...p.warnings);
}
