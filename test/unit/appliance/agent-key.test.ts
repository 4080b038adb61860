// The agent key record: the right passphrase unwraps it, a wrong one is PASSPHRASE_WRONG and a damaged
// record is KEY_RECORD_DAMAGED (told apart before the passphrase is tried), and retries work.
import { describe, it, expect } from 'vitest';
import { newAgentKey, parseKeyRecord, sameKey, unwrapAgentKey, wrapAgentKey, cryptSectors, SECTOR_SIZE } from '../../../electron/appliance/agent-key.ts';

describe('agent key record', () => {
  it('tells a wrong passphrase from a damaged record, and allows a retry', async () => {
    const key = newAgentKey();
    const text = JSON.stringify(await wrapAgentKey(key, 'correct horse'));
    const rec = parseKeyRecord(text);
    await expect(unwrapAgentKey(rec, 'wrong horse')).rejects.toMatchObject({ code: 'PASSPHRASE_WRONG' });
    expect(sameKey(await unwrapAgentKey(rec, 'correct horse'), key)).toBe(true);

    const damaged = JSON.parse(text);
    damaged.wrapped = damaged.wrapped.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'));
    expect(() => parseKeyRecord(JSON.stringify(damaged))).toThrow(expect.objectContaining({ code: 'KEY_RECORD_DAMAGED' }));
    expect(() => parseKeyRecord('{"version":1,')).toThrow(expect.objectContaining({ code: 'KEY_RECORD_DAMAGED' }));
    expect(text).not.toContain('correct horse');
  });

  it('encrypts sectors so that each decrypts back and the ciphertext hides the plaintext', () => {
    const key = newAgentKey();
    const plain = Buffer.alloc(2 * SECTOR_SIZE, 'Lab volume ');
    const enc = cryptSectors(key, plain, 7, true);
    expect(enc.indexOf('Lab volume')).toBe(-1);
    expect(cryptSectors(key, enc, 7, false).equals(plain)).toBe(true);
  });
});
