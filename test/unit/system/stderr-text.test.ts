// A streamed tool's stderr as text: execa's buffer encoding hands a Uint8Array, which String()
// spells as comma-separated numbers; the failure patterns (qemu-img's "No space left on device",
// ssh's refusals, zfs's) must see the words.
import { describe, expect, it } from 'vitest';
import { stderrText } from '../../../electron/system/run.ts';

describe('stderrText', () => {
  it('reads a Uint8Array (also a view into a larger buffer) as UTF-8 text', () => {
    const words = 'qemu-img: x.vhdx: error while converting vhdx: Failed to write the BAT: No space left on device';
    expect(stderrText(new TextEncoder().encode(words))).toBe(words);
    const big = Buffer.from(`xx${words}yy`);
    expect(stderrText(new Uint8Array(big.buffer, big.byteOffset + 2, words.length))).toBe(words);
    expect(stderrText(new Uint8Array(Buffer.from('Größe')))).toBe('Größe');
  });

  it('keeps a string, and gives nothing for nothing', () => {
    expect(stderrText('ssh: connect to host x port 22: Connection refused')).toBe('ssh: connect to host x port 22: Connection refused');
    expect(stderrText(undefined)).toBe('');
    expect(stderrText(null)).toBe('');
  });
});
