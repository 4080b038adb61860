// The chain area's public surface: points, chains, selections, retention, sizing and plans.
// Pure (no node:*, no system/, no npm package but zod); the ZFS-reading side (jobs/, appliance/,
// drives/) feeds it data.
export * from './types.ts';
export { orient, commonIndices, type Oriented } from './match.ts';
export { chooseLock } from './lock.ts';
export { pointStates, type PointState, type PointStates } from './states.ts';
export { selectRange, parseRangeBound, type SelectedRange } from './selection.ts';
export { zfsChain, type ZfsChain } from './chain.ts';
export { resolveSelection, resolveOriented, FORMATS, type ResolvedSelection } from './resolve.ts';
export {
  applyRetention,
  simulateRetention,
  dailyRuns,
  validatePolicy,
  RetentionChain,
  LOCAL_RETENTION_DEFAULT,
  OFFSITE_RETENTION_DEFAULT,
  type RetentionPolicy,
  type RetentionOptions,
  type RetentionResult,
  type RetentionSimulation,
} from './retention.ts';
export { retentionPreview, type RetentionPreview, type RetentionPreviewOptions, type DeletedPoint } from './retention-preview.ts';
export * from './layout.ts';
export { sizeForFormat, sizesOf, type PointSizes, type SizeTable, type SpanSize, type SizeResult } from './sizing.ts';
export {
  chooseMedia,
  drivesNeeded,
  assertEligibleDrives,
  isEligibleDrive,
  USB_LIMIT_BYTES,
  MIN_DRIVE_BYTES,
  ATTACH_DRIVE_MESSAGE,
  type Media,
  type DrivesNeeded,
} from './media.ts';
export { spreadPoints, type Spread, type SpreadItem } from './spread.ts';
export { estimateSeconds, formatDuration, DEFAULT_RATE_BYTES_PER_SEC } from './time.ts';
export { planSummary } from './plan-text.ts';
export { buildPlan, type Plan, type PlanInput, type PlanTicket, type PlanSystem, type PlanDrive, type PlanDrives, type PlanSend } from './plan.ts';
export { SelectionSchema } from './selection-schema.ts';
export { parseOffsiteAudit, applyOffsiteAudit, parseAuditTime, parseAuditSize, type OffsiteAudit } from './audit.ts';
export { syncFee, type SyncFee } from './fees.ts';
export { pointLabel, when, sortedPoints } from './points.ts';
