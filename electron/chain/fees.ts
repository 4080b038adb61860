// R6: the sync fee, charged on the data synced (not the drive's size), waived for disaster recovery.
// $50 covers any amount up to and including 2.0 TB; each further *started* 1 TB block adds $50.
// We also charge the $50 minimum below 0.1 TB (R6 names 0.1 TB as the smallest figure, not a free tier);
// only an empty sync (0 bytes) costs nothing.
import { TB } from './units.ts';

export const SYNC_FEE_BASE_USD = 50;
export const SYNC_FEE_BASE_BYTES = 2 * TB;
export const SYNC_FEE_BLOCK_USD = 50;
export const SYNC_FEE_BLOCK_BYTES = 1 * TB;

export interface SyncFee {
  usd: number;
  waived: boolean;
  /** Why this amount: the blocks counted, for the ticket and the confirmation screen. */
  explanation: string;
}

export function syncFee(bytesSynced: number, opts: { disasterRecovery?: boolean } = {}): SyncFee {
  if (!Number.isFinite(bytesSynced) || bytesSynced < 0) throw new RangeError('bytesSynced must be a non-negative number');
  const extraBlocks = bytesSynced > SYNC_FEE_BASE_BYTES ? Math.ceil((bytesSynced - SYNC_FEE_BASE_BYTES) / SYNC_FEE_BLOCK_BYTES) : 0;
  const usd = bytesSynced === 0 ? 0 : SYNC_FEE_BASE_USD + extraBlocks * SYNC_FEE_BLOCK_USD;
  const tb = (bytesSynced / TB).toFixed(2);
  if (opts.disasterRecovery) {
    return { usd: 0, waived: true, explanation: `${tb} TB synced; all fees are waived for a disaster-recovery ticket (would be $${usd}).` };
  }
  const explanation =
    bytesSynced === 0
      ? 'Nothing synced, no fee.'
      : extraBlocks === 0
        ? `${tb} TB synced: $${SYNC_FEE_BASE_USD} for the first 2 TB.`
        : `${tb} TB synced: $${SYNC_FEE_BASE_USD} for the first 2 TB plus ${extraBlocks} started 1 TB block(s) at $${SYNC_FEE_BLOCK_USD}.`;
  return { usd, waived: false, explanation };
}
