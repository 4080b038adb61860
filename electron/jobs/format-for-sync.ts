// A sync's drives erased and laid out for its unit (drives/format.ts), under the sync's own job:
// the sync holds the drives' claim, formatDrives takes it itself under the same job id, so the
// claim is handed over for the format and taken back after it, whatever the format did.
import { claimDrives, releaseDrives } from '../drives/busy.ts';
import { formatDrives, type FormatDoneResult } from '../drives/format.ts';
import type { Layout } from '../drives/types.ts';

export async function formatForSync(
  devices: string[],
  layout: Layout,
  req: { ticketId: string; actor?: string },
  jobId: string,
  signal?: AbortSignal,
): Promise<FormatDoneResult> {
  releaseDrives(devices, jobId);
  try {
    return (await formatDrives({ devices, layout, label: req.ticketId, yes: true, ticketId: req.ticketId, jobId, actor: req.actor }, { signal })) as FormatDoneResult;
  } finally {
    claimDrives(devices, jobId);
  }
}
