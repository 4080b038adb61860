// The unit key (electron/seal/unit-key.ts): wrapped by the passphrase, refused with its own code
// for a wrong passphrase and for a damaged record, and the record shows neither key nor passphrase.
import { describe, expect, it } from 'vitest';
import { PASSPHRASE_BITS, UNIT_KDF, generateUnitPassphrase, makeUnitKey, normalizePassphrase, openUnitKey, parseUnitKeyRecord } from '../../../electron/seal/index.ts';

describe('unit key', () => {
  it('generates readable passphrases of at least 100 bits, all different', () => {
    expect(PASSPHRASE_BITS).toBeGreaterThanOrEqual(100);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generateUnitPassphrase();
      expect(p).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z]{4}$/);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });

  it('opens with the passphrase however it is typed, and is refused with a wrong one', async () => {
    const pass = generateUnitPassphrase();
    const t0 = performance.now();
    const { dataKey, record } = await makeUnitKey(pass);
    const ms = performance.now() - t0;
    expect(record.N).toBe(UNIT_KDF.N);
    expect(ms).toBeLessThan(5000);
    const text = JSON.stringify(record);
    expect(text.includes(pass)).toBe(false);
    expect(text.includes(normalizePassphrase(pass))).toBe(false);
    expect(text.includes(dataKey.toString('base64'))).toBe(false);
    expect(text.includes(dataKey.toString('hex'))).toBe(false);
    const stored = parseUnitKeyRecord(text);
    const typed = ` ${pass.toLowerCase().replace(/-/g, ' ')} `;
    expect((await openUnitKey(stored, typed)).equals(dataKey)).toBe(true);
    const wrong = generateUnitPassphrase();
    await expect(openUnitKey(stored, wrong)).rejects.toMatchObject({ code: 'UNIT_PASSPHRASE_WRONG' });
  });

  it('tells a damaged record from a wrong passphrase', async () => {
    const pass = generateUnitPassphrase();
    const { record } = await makeUnitKey(pass);
    const damaged = { ...record, wrapped: Buffer.alloc(48, 1).toString('base64') };
    await expect(openUnitKey(damaged, pass)).rejects.toMatchObject({ code: 'KEY_RECORD_DAMAGED' });
    expect(() => parseUnitKeyRecord('{not json')).toThrow(/damaged/);
  });
});
