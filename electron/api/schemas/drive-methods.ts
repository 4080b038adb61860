// The drive and NAS methods of the contract. Pure.
import { DriveListingSchema, EjectRequest, EjectResultSchema, ErasePreviewSchema, FormatRequest, ListDrivesRequest, NasPoolsRequest, NasPoolsSchema } from './drives.ts';

export const driveMethods = {
  'drives.list': { params: ListDrivesRequest, result: DriveListingSchema },
  /** What formatting these drives would erase, and which confirmations are still missing. Writes nothing. */
  'drives.erasePreview': { params: FormatRequest.omit({ yes: true, jobId: true }), result: ErasePreviewSchema },
  'drives.eject': { params: EjectRequest.omit({ jobId: true }), result: EjectResultSchema },
  'nas.pools': { params: NasPoolsRequest, result: NasPoolsSchema },
} as const;

