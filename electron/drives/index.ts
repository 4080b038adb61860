// The drives and targets capability, one import for the engine, the hosts and the jobs.
export * from './types.ts';
export { enumerate, inspectDrive, resolveDevice, type DriveListing, type EnumerateOptions } from './enumerate.ts';
export { judge, isSystemMountpoint, verdictSentence } from './policy.ts';
export { describeContents, driveTitle, holdsData, allMountpoints } from './describe.ts';
export { assertWritable, type GuardOptions } from './guard.ts';
export { claimDrives, releaseDrives, busyDrives, claimOf } from './busy.ts';
export { formatDrives, type FormatRequestT, type FormatResult, type FormatDoneResult, type FormatPreviewResult, type FormatHooks, type FormatStep, type FormatProgress } from './format.ts';
export { erasePreview, type ErasePreview, type ErasePreviewDrive } from './preview.ts';
export { eject, type EjectResult, type EjectOptions } from './eject.ts';
export { DriveWatcher, watchDrives, type DriveEvent, type DriveEventType, type WatchOptions } from './watch.ts';
export { readUnitMetadata, METADATA_FILE, type UnitMetadata } from './metadata.ts';
export { META_PART_LABEL, DATA_PART_LABEL } from './partition.ts';
export { UNIT_PROP } from './pools.ts';
export * from './nas.ts';
export * as schemas from './schemas.ts';
