// The unit key (issue 21): a random 32-byte data key per unit seals its streams; a key derived
// from the unit passphrase (scrypt) wraps it with AES-256-GCM, the agent key's style
// (appliance/agent-key.ts). The record goes to the unit's metadata partition; the passphrase is
// generated for the ticket, shown once, and never stored, logged or written to the unit.
// Nothing in this file writes or logs a passphrase or a key.
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { AppError } from '../api/errors.ts';
import { dataKeyId } from './format.ts';

export interface UnitKeyRecord {
  version: 1;
  kind: 'roundtrip-unit-key';
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  cipher: 'aes-256-gcm';
  iv: string;
  wrapped: string;
  tag: string;
  /** The data key's public id (format.ts dataKeyId), also in every sealed file's header. */
  keyId: string;
  /** sha256 over every field above, to tell a damaged record from a wrong passphrase. */
  checksum: string;
}

/** scrypt N=2^17, r=8, p=1: 128 MiB and ~0.26 s on the 2-core EPYC VM (2^15: 67 ms); the passphrase's 120 bits do the rest. */
export const UNIT_KDF = { N: 2 ** 17, r: 8, p: 1 };
export const DATA_KEY_BYTES = 32;

/** Crockford's base32: no I, L, O, U, so nothing reads as another character over the phone. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 6;
const GROUP_CHARS = 4;
/** 24 characters of 5 bits. */
export const PASSPHRASE_BITS = GROUPS * GROUP_CHARS * 5;

/** A new unit passphrase: six groups of four base32 characters (120 bits), e.g. "7K2M-QX9D-…". */
export function generateUnitPassphrase(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let s = '';
    for (let i = 0; i < GROUP_CHARS; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}

/** The passphrase as typed, in its one form: case, spaces and dashes do not matter; O reads as 0, I and L as 1. */
export function normalizePassphrase(typed: string): string {
  const s = typed.toUpperCase().replace(/[\s-]+/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return s;
}

function deriveKek(passphrase: string, salt: Buffer, rec: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(normalizePassphrase(passphrase), salt, 32, { N: rec.N, r: rec.r, p: rec.p, maxmem: 256 * rec.N * rec.r }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function recordChecksum(rec: Omit<UnitKeyRecord, 'checksum'>): string {
  const fields = [rec.version, rec.kind, rec.kdf, rec.N, rec.r, rec.p, rec.salt, rec.cipher, rec.iv, rec.wrapped, rec.tag, rec.keyId];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** A new random data key and its record wrapped by `passphrase`. The caller zeroes the key when done. */
export async function makeUnitKey(passphrase: string): Promise<{ dataKey: Buffer; record: UnitKeyRecord }> {
  if (!normalizePassphrase(passphrase)) throw new AppError('BAD_INPUT', 'The unit passphrase is empty.');
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kek = await deriveKek(passphrase, salt, UNIT_KDF);
  try {
    const c = createCipheriv('aes-256-gcm', kek, iv);
    const wrapped = Buffer.concat([c.update(dataKey), c.final()]);
    const base = {
      version: 1 as const,
      kind: 'roundtrip-unit-key' as const,
      kdf: 'scrypt' as const,
      ...UNIT_KDF,
      salt: salt.toString('base64'),
      cipher: 'aes-256-gcm' as const,
      iv: iv.toString('base64'),
      wrapped: wrapped.toString('base64'),
      tag: c.getAuthTag().toString('base64'),
      keyId: dataKeyId(dataKey).toString('hex'),
    };
    return { dataKey, record: { ...base, checksum: recordChecksum(base) } };
  } finally {
    kek.fill(0);
  }
}

/** Parses and checks a stored record; KEY_RECORD_DAMAGED when it cannot be trusted. */
export function parseUnitKeyRecord(text: string): UnitKeyRecord {
  let rec: UnitKeyRecord;
  try {
    rec = JSON.parse(text) as UnitKeyRecord;
  } catch {
    throw new AppError('KEY_RECORD_DAMAGED', "The unit's key record is damaged (it is not readable); the passphrase cannot unlock it.");
  }
  const { checksum, ...rest } = rec ?? ({} as UnitKeyRecord);
  if (!rec || rec.version !== 1 || rec.kind !== 'roundtrip-unit-key' || typeof checksum !== 'string' || recordChecksum(rest) !== checksum) {
    throw new AppError('KEY_RECORD_DAMAGED', "The unit's key record is damaged (its checksum does not match); the passphrase cannot unlock it.", {
      hint: "The unit's metadata partition is damaged; the passphrase was not tried.",
    });
  }
  return rec;
}

/** The unit's data key, or UNIT_PASSPHRASE_WRONG. Nothing is changed either way, so a retry is always allowed. */
export async function openUnitKey(record: UnitKeyRecord, passphrase: string): Promise<Buffer> {
  const rec = parseUnitKeyRecord(JSON.stringify(record));
  const kek = await deriveKek(passphrase, Buffer.from(rec.salt, 'base64'), rec);
  let key: Buffer;
  try {
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(rec.iv, 'base64'));
    d.setAuthTag(Buffer.from(rec.tag, 'base64'));
    key = Buffer.concat([d.update(Buffer.from(rec.wrapped, 'base64')), d.final()]);
  } catch {
    throw new AppError('UNIT_PASSPHRASE_WRONG', "That passphrase does not unlock this unit. Nothing was read from the unit; check the passphrase on the ticket and try again.", {
      hint: 'The passphrase is six groups of four letters and digits, given on the support ticket when the unit was made.',
    });
  } finally {
    kek.fill(0);
  }
  if (!timingSafeEqual(dataKeyId(key), Buffer.from(rec.keyId, 'hex'))) {
    key.fill(0);
    throw new AppError('KEY_RECORD_DAMAGED', "The unit's key record is damaged: the key it holds is not the one its streams were sealed with.");
  }
  return key;
}
