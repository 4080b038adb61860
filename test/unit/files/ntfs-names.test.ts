// NTFS name mapping: every name Windows refuses becomes one it accepts, and comes back unchanged.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { fitNtfsName, mapNtfsName, ntfsNamesForDirectory, pointFolderName, unmapNtfsName, NTFS_NAME_MAX } from '../../../electron/jobs/files/ntfs-names.ts';

const WINDOWS_ILLEGAL = /[\u0000-\u001f"*:<>?\\|]/;
const RESERVED = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$/i;
const acceptable = (n: string) => !WINDOWS_ILLEGAL.test(n) && !RESERVED.test(n) && !/[. ]$/.test(n) && n.length <= NTFS_NAME_MAX;

describe('NTFS names', () => {
  it('maps the characters, reserved names and trailing dots or spaces Windows refuses', () => {
    expect(mapNtfsName('a:b')).toBe('a%3Ab');
    expect(mapNtfsName('what?*"<>|')).toBe('what%3F%2A%22%3C%3E%7C');
    expect(mapNtfsName('back\\slash')).toBe('back%5Cslash');
    expect(mapNtfsName('CON')).toBe('CO%4E');
    expect(mapNtfsName('nul.txt')).toBe('nu%6C.txt');
    expect(mapNtfsName('COM1')).toBe('COM%31');
    expect(mapNtfsName('CONSOLE')).toBe('CONSOLE');
    expect(mapNtfsName('x.')).toBe('x%2E');
    expect(mapNtfsName('y .. ')).toBe('y%20%2E%2E%20');
    expect(mapNtfsName('100%')).toBe('100%25');
    expect(mapNtfsName('plain name.txt')).toBe('plain name.txt');
  });

  it('gives back every original name (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'C', 'O', 'N', ':', '.', ' ', '%', '?', '\u0001', 'é', '\\', '|', '1', 'x') , minLength: 1, maxLength: 20 }), (name) => {
        const m = mapNtfsName(name);
        expect(acceptable(m) || m.length > NTFS_NAME_MAX).toBe(true);
        expect(unmapNtfsName(m)).toBe(name);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps names within 255 UTF-16 units, never cutting an escape in half', () => {
    const long = ':'.repeat(200) + '.txt';
    const m = fitNtfsName(mapNtfsName(long), long);
    expect(m.length).toBeLessThanOrEqual(NTFS_NAME_MAX);
    expect(m.endsWith('.txt')).toBe(true);
    expect(m).toMatch(/^(%3A)+~[0-9a-f]{8}\.txt$/);
  });

  it('makes names in one folder unique ignoring case, as Windows reads them', () => {
    const out = ntfsNamesForDirectory(['Readme', 'README', 'readme', 'a:b', 'a%3Ab']);
    expect(new Set(out.map((x) => x.toLowerCase())).size).toBe(out.length);
    expect(out[0]).toBe('Readme');
    expect(out[3]).toBe('a%3Ab');
    expect(out[4]).toBe('a%253Ab');
  });

  it('names point folders by UTC time with no colon', () => {
    expect(pointFolderName('1700000000', 1700000000)).toBe('2023-11-14T221320Z');
    expect(pointFolderName('manual:1', 1700000000)).toBe('2023-11-14T221320Z_manual%3A1');
  });
});
