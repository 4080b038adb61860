// Small rules of the merge and kept-unit hosts: the passphrase as it arrives on stdin, sample choice,
// the disk behind a pool's partition, and HTML escaping in the report.
import { describe, it, expect } from 'vitest';
import { passphraseFromInput, refusePassphraseArgument } from '../../../electron/hosts/passphrase-stdin.ts';
import { pickSamples } from '../../../electron/merge/kept-restore.ts';
import { diskOf } from '../../../electron/merge/unit-session.ts';
import { escapeHtml, keptReportHtml } from '../../../electron/merge/kept-report-html.ts';

describe('merge inputs', () => {
  it('takes the passphrase as typed, without the line ending only', () => {
    expect(passphraseFromInput('a b  \n')).toBe('a b  ');
    expect(passphraseFromInput('x\r\n')).toBe('x');
    expect(passphraseFromInput('two\nlines\n')).toBe('two\nlines');
    expect(() => passphraseFromInput('\n')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('refuses a passphrase given as an argument without repeating it', () => {
    try {
      refusePassphraseArgument({ passphrase: 'hunter2' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
    expect(() => refusePassphraseArgument({ 'passphrase-stdin': true })).not.toThrow();
  });

  it('spreads restore samples over the tree', () => {
    const files = Array.from({ length: 21 }, (_, i) => `f${String(i).padStart(2, '0')}`);
    expect(pickSamples(files)).toEqual(['f00', 'f05', 'f10', 'f15', 'f20']);
    expect(pickSamples(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('finds the disk of a pool partition', () => {
    expect(diskOf('/dev/sdb2')).toBe('/dev/sdb');
    expect(diskOf('/dev/loop12p2')).toBe('/dev/loop12');
    expect(diskOf('/dev/nvme0n1p2')).toBe('/dev/nvme0n1');
    expect(diskOf('loop8p2')).toBe('/dev/loop8');
  });

  it('escapes everything a unit carries into the HTML report', () => {
    expect(escapeHtml('<b>"x" & \'y\'</b>')).toBe('&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;');
    const html = keptReportHtml({
      ok: false,
      generatedAt: '2026-01-01T00:00:00Z',
      tool: { name: 'roundtrip-bench', version: '0' },
      unit: { unitId: 'u', ticketId: '<script>', applianceSerial: null, direction: 'reverse', pool: 'p', devices: ['/dev/sdb'], syncedAt: 't', systems: [] },
      checks: [{ id: 'contents', title: 'Contents', status: 'failed', summary: 'A <b>', evidence: ['x<y'] }],
    });
    expect(html).not.toContain('<script>');
    expect(html).toContain('Failed: Contents');
    expect(html).toContain('x&lt;y');
  });
});
