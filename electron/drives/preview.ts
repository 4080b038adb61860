// The erase warning (R9): exactly what formatting will destroy, drive by drive, before anything is
// written. Pure: the app shows the same text the CLI prints.
import { formatBytes } from '../chain/units.ts';
import { allMountpoints, describeContents, driveTitle } from './describe.ts';
import { isSystemMountpoint } from './policy.ts';
import type { Bus, JudgedDrive, Layout, Refusal, Warning } from './types.ts';

export interface ErasePreviewDrive {
  device: string;
  title: string;
  model: string | null;
  serial: string | null;
  sizeBytes: number;
  bus: Bus;
  lab: boolean;
  /** Everything on the drive that will be lost. */
  contents: string[];
  /** Mountpoints that will be unmounted first (only with the unmount option). */
  willUnmount: string[];
  refusals: Refusal[];
  warnings: Warning[];
}

export interface ErasePreview {
  layout: Layout;
  label: string;
  drives: ErasePreviewDrive[];
  /** Warnings the request has not confirmed yet (they stop a real run). */
  unconfirmed: Array<Warning & { device: string }>;
  /** Every drive may be written once confirmed. */
  eligible: boolean;
  /** The R9 sentence: what starting will erase. */
  summary: string;
}

const LAYOUT_WORDS: Record<Layout, string> = {
  zfs: 'one ZFS pool striped over all of them',
  ntfs: 'one NTFS filesystem per drive',
  ext4: 'one ext4 filesystem per drive',
  'zfs-sealed': 'one ext4 filesystem per drive for sealed (encrypted) ZFS streams',
  'images-sealed': 'one ext4 filesystem per drive for sealed (encrypted) disk images',
};

export function erasePreview(drives: JudgedDrive[], layout: Layout, label: string): ErasePreview {
  const items: ErasePreviewDrive[] = drives.map((d) => ({
    device: d.device,
    title: driveTitle(d),
    model: d.model,
    serial: d.serial,
    sizeBytes: d.sizeBytes,
    bus: d.bus,
    lab: !!d.lab,
    contents: describeContents(d),
    willUnmount: d.verdict.warnings.some((w) => w.code === 'DRIVE_WILL_UNMOUNT') ? allMountpoints(d).filter((m) => !isSystemMountpoint(m)) : [],
    refusals: d.verdict.refusals,
    warnings: d.verdict.warnings,
  }));
  const total = drives.reduce((s, d) => s + d.sizeBytes, 0);
  const lines = items.map((i) => `  ${i.title}: ${i.contents.length ? i.contents.join('; ') : 'blank (no filesystem or pool found)'}`);
  const summary =
    `Formatting ERASES EVERYTHING on ${items.length === 1 ? 'this drive' : `these ${items.length} drives`} (${formatBytes(total)} in all) and cannot be undone:\n` +
    lines.join('\n') +
    `\nThey will then hold ${LAYOUT_WORDS[layout]}, labelled "${label}".`;
  return {
    layout,
    label,
    drives: items,
    unconfirmed: items.flatMap((i) => i.warnings.filter((w) => !w.confirmed).map((w) => ({ ...w, device: i.device }))),
    eligible: items.every((i) => i.refusals.length === 0),
    summary,
  };
}
