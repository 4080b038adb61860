// From a ticket to the NTFS / EXT4 sync job's request: resolve each system's selection with the chain
// rules (every point in full), on the side the ticket names as its source, and a preview of the job
// (which point goes to which drive, which agents need a passphrase) before anything is erased.
import { AppError } from '../../api/errors.ts';
import { readInventories, selectedInventories } from '../../appliance/inventory.ts';
import { sendingRoot, type Sites } from '../../appliance/sites.ts';
import { readDirection } from '../../tickets/model/plan-ticket.ts';
import { usableBytes } from '../../chain/layout.ts';
import { resolveSelection } from '../../chain/resolve.ts';
import { inspectDrive, resolveDevice } from '../../drives/enumerate.ts';
import type { TicketInput } from '../../tickets/model/ticket-schema.ts';
import { placementSizes, placePoints, type PlacedPoint } from './placement.ts';
import type { FileSyncRequest, FileSyncSystem } from './sync.ts';

export async function fileSyncRequestFor(
  ticketId: string,
  request: TicketInput,
  sites: Sites,
  devices: string[],
  opts: { resume?: boolean; eject?: boolean; verify?: boolean; actor?: string; passphrases?: Record<string, string> } = {},
): Promise<FileSyncRequest> {
  const fs = request.format.filesystem;
  const layout = request.format.layout;
  if (fs === 'zfs' || layout === 'datasets') {
    throw new AppError('BAD_INPUT', `Ticket ${ticketId} asks for ${fs} ${layout}; this job writes NTFS and EXT4 units (browsable folders or images).`, {
      hint: fs === 'zfs' && layout === 'image' ? 'Image exports onto a ZFS unit are not supported yet: choose NTFS or EXT4 for the images.' : undefined,
    });
  }
  // A forward RoundTrip reads the appliance; a revRT reads the side its source names (offsite by default).
  const sourceRoot = sendingRoot(sites, request);
  const invs = await readInventories(sites);
  const systems: FileSyncSystem[] = [];
  for (const { sel, inv } of selectedInventories(request.systems, invs, ticketId, sites.appliance)) {
    const r = resolveSelection(inv, sel.points, layout === 'image' ? 'image' : fs, undefined, { direction: readDirection(request) });
    systems.push({ system: inv.system, kind: inv.kind, encrypted: inv.encrypted, sourceDataset: `${sourceRoot}/${inv.system}`, points: r.points.map((p) => p.name) });
  }
  return {
    ticketId,
    applianceSerial: request.applianceSerial,
    direction: request.direction,
    source: { host: 'local', root: sourceRoot },
    devices,
    filesystem: fs,
    layout,
    imageFormat: request.format.imageFormat,
    systems,
    passphrases: opts.passphrases,
    resume: opts.resume,
    eject: opts.eject,
    verify: opts.verify,
    actor: opts.actor,
  };
}

export interface FileSyncPreview {
  filesystem: 'ntfs' | 'ext4';
  content: 'browsable' | 'image';
  imageFormat: string | null;
  /** Which drive each point goes to (from the drives' sizes; the job spreads again over their real free space). */
  placement: Array<PlacedPoint & { device: string }>;
  /** Encrypted agents: their passphrase is needed to read them. */
  needsPassphrase: string[];
  totalBytes: number;
  notes: string[];
}

/** What the job will do, with nothing written: the plan a technician confirms. */
export async function previewFileSync(req: FileSyncRequest): Promise<FileSyncPreview> {
  const devices = req.devices.map(resolveDevice);
  const capacities: number[] = [];
  for (const d of devices) {
    const found = await inspectDrive(d);
    if (!found) throw new AppError('DRIVE_NOT_FOUND', `There is no drive at ${d}.`);
    capacities.push(usableBytes(found.drive.sizeBytes, req.filesystem));
  }
  // The same sizes the job will place with (exact where a guess could fill a drive).
  const sizes = await placementSizes(req, capacities);
  const placement = placePoints(sizes, capacities).map((p) => ({ ...p, device: devices[p.drive - 1] }));
  const needsPassphrase = req.systems.filter((s) => s.kind === 'agent' && s.encrypted).map((s) => s.system);
  const notes = [
    ...needsPassphrase.map((s) => `${s} is an encrypted agent: its passphrase is needed to read its points (kept in memory only).`),
    ...(req.filesystem === 'ntfs' && req.layout === 'browsable' ? ['Names NTFS cannot hold are changed reversibly and listed in the manifest.'] : []),
  ];
  return {
    filesystem: req.filesystem,
    content: req.layout,
    imageFormat: req.imageFormat ?? null,
    placement,
    needsPassphrase,
    totalBytes: sizes.reduce((n, s) => n + s.bytes, 0),
    notes,
  };
}
