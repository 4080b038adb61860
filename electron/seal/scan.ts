// Where a half-written sealed file can be continued (SealOptions.resume), read from its record
// headers alone (their lengths are in clear): no key needed, one small read per record. The final
// record, when present, is always written again: it is the one that carries the stream's end.
import { FLAG_FINAL, HEADER_BYTES, RECORD_HEAD_BYTES, TAG_BYTES, parseHeader, type SealHeader } from './format.ts';

export interface SealedScan {
  header: SealHeader;
  /** Whole records before `resumeAt`, none of them final. */
  records: number;
  /** Byte offset to continue writing at (the file is cut there). */
  resumeAt: number;
  /** Tag of record `records - 1`, for SealOptions.resume; null when `records` is 0. */
  lastTag: Buffer | null;
}

/** null when the file has no whole header: it is written again from the start. */
export async function scanSealed(read: (position: number, length: number) => Promise<Buffer>, size: number): Promise<SealedScan | null> {
  if (size < HEADER_BYTES) return null;
  const header = parseHeader(await read(0, HEADER_BYTES));
  let pos = HEADER_BYTES;
  let records = 0;
  let lastTag: Buffer | null = null;
  while (pos + RECORD_HEAD_BYTES <= size) {
    const head = await read(pos, RECORD_HEAD_BYTES);
    const length = head.readUInt32BE(0);
    const flags = head.readUInt8(4);
    const end = pos + RECORD_HEAD_BYTES + length + TAG_BYTES;
    if (flags === FLAG_FINAL || flags !== 0 || length !== header.chunkBytes || end > size) break;
    lastTag = await read(end - TAG_BYTES, TAG_BYTES);
    records++;
    pos = end;
  }
  return { header, records, resumeAt: pos, lastTag };
}
