// The encrypted-agent key model (R18): a random agent key encrypts the agent's volume images;
// a key derived from the passphrase (scrypt) wraps it with AES-256-GCM. The record carries its own
// checksum so a damaged record is told apart from a wrong passphrase (both fail GCM otherwise).
// Passphrases and keys exist only in memory here: nothing in this file writes or logs them.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { AppError } from '../api/errors.ts';

export interface KeyRecord {
  version: 1;
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  cipher: 'aes-256-gcm';
  iv: string;
  wrapped: string;
  tag: string;
  /** The volume cipher the agent key is for. */
  volumeCipher: 'aes-256-xts';
  sectorSize: number;
  /** sha256 over every field above, to detect a damaged record. */
  checksum: string;
}

const KDF = { N: 2 ** 15, r: 8, p: 1 };
export const AGENT_KEY_BYTES = 64; // AES-256-XTS takes two 256-bit keys
export const SECTOR_SIZE = 4096;

function deriveKek(passphrase: string, salt: Buffer, rec: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(passphrase.normalize('NFC'), salt, 32, { N: rec.N, r: rec.r, p: rec.p, maxmem: 256 * rec.N * rec.r }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function recordChecksum(rec: Omit<KeyRecord, 'checksum'>): string {
  const fields = [rec.version, rec.kdf, rec.N, rec.r, rec.p, rec.salt, rec.cipher, rec.iv, rec.wrapped, rec.tag, rec.volumeCipher, rec.sectorSize];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export async function wrapAgentKey(agentKey: Buffer, passphrase: string): Promise<KeyRecord> {
  if (agentKey.length !== AGENT_KEY_BYTES) throw new AppError('BAD_INPUT', 'An agent key must be 64 bytes.');
  if (!passphrase) throw new AppError('BAD_INPUT', 'The passphrase is empty.');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kek = await deriveKek(passphrase, salt, KDF);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  const wrapped = Buffer.concat([c.update(agentKey), c.final()]);
  const base = {
    version: 1 as const,
    kdf: 'scrypt' as const,
    ...KDF,
    salt: salt.toString('base64'),
    cipher: 'aes-256-gcm' as const,
    iv: iv.toString('base64'),
    wrapped: wrapped.toString('base64'),
    tag: c.getAuthTag().toString('base64'),
    volumeCipher: 'aes-256-xts' as const,
    sectorSize: SECTOR_SIZE,
  };
  kek.fill(0);
  return { ...base, checksum: recordChecksum(base) };
}

export function newAgentKey(): Buffer {
  return randomBytes(AGENT_KEY_BYTES);
}

/** Parses and checks a stored record; KEY_RECORD_DAMAGED when it cannot be trusted. */
export function parseKeyRecord(text: string): KeyRecord {
  let rec: KeyRecord;
  try {
    rec = JSON.parse(text) as KeyRecord;
  } catch {
    throw new AppError('KEY_RECORD_DAMAGED', "The agent's key record is damaged (it is not readable); the passphrase cannot unlock it.");
  }
  const { checksum, ...rest } = rec ?? ({} as KeyRecord);
  if (!rec || rec.version !== 1 || typeof checksum !== 'string' || recordChecksum(rest) !== checksum) {
    throw new AppError('KEY_RECORD_DAMAGED', "The agent's key record is damaged (its checksum does not match); the passphrase cannot unlock it.", {
      hint: 'Restore the key record from the appliance or the offsite copy; the passphrase was not tried.',
    });
  }
  return rec;
}

/** The agent key, or PASSPHRASE_WRONG. Nothing is changed either way, so a retry is always allowed. */
export async function unwrapAgentKey(rec: KeyRecord, passphrase: string): Promise<Buffer> {
  const kek = await deriveKek(passphrase, Buffer.from(rec.salt, 'base64'), rec);
  try {
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(rec.iv, 'base64'));
    d.setAuthTag(Buffer.from(rec.tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(rec.wrapped, 'base64')), d.final()]);
  } catch {
    throw new AppError('PASSPHRASE_WRONG', 'That passphrase does not unlock this agent. Nothing was changed; check it and try again.');
  } finally {
    kek.fill(0);
  }
}

function tweak(sector: number): Buffer {
  const t = Buffer.alloc(16);
  t.writeBigUInt64LE(BigInt(sector), 0);
  return t;
}

/** XTS over whole sectors; `firstSector` lets callers work on any aligned slice of a volume. */
export function cryptSectors(key: Buffer, data: Buffer, firstSector: number, encrypt: boolean): Buffer {
  if (data.length % SECTOR_SIZE !== 0) throw new AppError('BAD_INPUT', 'Encrypted volumes are whole 4 KiB sectors.');
  const out = Buffer.allocUnsafe(data.length);
  for (let off = 0, s = firstSector; off < data.length; off += SECTOR_SIZE, s++) {
    const c = encrypt ? createCipheriv('aes-256-xts', key, tweak(s)) : createDecipheriv('aes-256-xts', key, tweak(s));
    const part = c.update(data.subarray(off, off + SECTOR_SIZE));
    part.copy(out, off);
    c.final();
  }
  return out;
}

export function keyFingerprint(agentKey: Buffer): string {
  return createHash('sha256').update(agentKey).digest('hex').slice(0, 16);
}

export function sameKey(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
