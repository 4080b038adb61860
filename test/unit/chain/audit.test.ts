// Offsite audit lists (CSV or JSON: system, point time, size) become offsite points, matched by name.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { applyOffsiteAudit, parseAuditSize, parseOffsiteAudit } from '../../../electron/chain/audit.ts';
import { resolveSelection } from '../../../electron/chain/resolve.ts';
import { GB, GiB } from '../../../electron/chain/units.ts';
import { inventory, series, T0 } from './helpers.ts';

describe('parseOffsiteAudit', () => {
  it('reads CSV with a header, in any column order, quoted fields and CRLF', () => {
    const csv = `Size,"Point Time",System\r\n1000,${T0},"srv, main"\r\n2000,${T0 + 3600},srv2\r\n`;
    const a = parseOffsiteAudit(csv);
    expect(a.rows).toBe(2);
    expect(a.systems['srv, main']).toEqual([{ name: String(T0), time: T0, referencedBytes: 1000 }]);
    expect(a.systems.srv2[0].time).toBe(T0 + 3600);
  });

  it('reads CSV without a header as system, time, size; dates, milliseconds and units', () => {
    const csv = ['a;2023-11-14T22:13:20Z;12.5 GB', `a;${T0 * 1000 + 3_600_000};3 GiB`, 'b;2023-11-15;'].join('\n');
    const a = parseOffsiteAudit(csv);
    expect(a.systems.a.map((p) => [p.name, p.referencedBytes])).toEqual([
      [String(T0), 12.5 * GB],
      [String(T0 + 3600), 3 * GiB],
    ]);
    expect(a.systems.b[0]).toEqual({ name: String(Date.UTC(2023, 10, 15) / 1000), time: Date.UTC(2023, 10, 15) / 1000 });
  });

  it('reads the JSON shapes: rows, {points}, {systems}', () => {
    const rows = parseOffsiteAudit(JSON.stringify([{ system: 'a', time: T0, size: 5 }]));
    const points = parseOffsiteAudit(JSON.stringify({ points: [{ system: 'a', pointTime: String(T0), sizeBytes: '5' }] }));
    const systems = parseOffsiteAudit(JSON.stringify({ systems: { a: [{ time: T0, bytes: 5 }] } }));
    for (const x of [rows, points, systems]) expect(x.systems.a).toEqual([{ name: String(T0), time: T0, referencedBytes: 5 }]);
  });

  it('reads repeated rows once, and sorts points', () => {
    const a = parseOffsiteAudit(`system,time,size\na,${T0 + 10},1\na,${T0},1\na,${T0},1\n`);
    expect(a.systems.a.map((p) => p.time)).toEqual([T0, T0 + 10]);
    expect(a.warnings.join(' ')).toMatch(/1 repeated row/);
  });

  it('refuses rows it cannot read, naming the line', () => {
    const cases: Array<[string, RegExp]> = [
      [`system,time,size\na,yesterday,1\n`, /Line 2 .* "yesterday" is not a point time/],
      [`system,time,size\na,${T0},lots\n`, /Line 2 .* "lots" is not a size/],
      [`system,time,size\n,${T0},1\n`, /Line 2 .* has no system/],
      [`host,when\nx,1\n`, /needs a "system" column/],
      [`{"points": 3}`, /not a list of rows/],
      [`[{"system": "a", "time": 1,`, /not valid JSON/],
    ];
    for (const [text, msg] of cases) {
      try {
        parseOffsiteAudit(text);
        throw new Error(`accepted: ${text}`);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).code).toBe('BAD_INPUT');
        expect((e as AppError).message).toMatch(msg);
      }
    }
  });

  it('parses sizes', () => {
    expect(parseAuditSize('1,234')).toBe(1234);
    expect(parseAuditSize('2TB')).toBe(2e12);
    expect(parseAuditSize('')).toBeNull();
    expect(parseAuditSize('2 XB')).toBeUndefined();
  });
});

describe('applyOffsiteAudit', () => {
  it('replaces the offsite side; audit points match local ZFS points by name', () => {
    const local = series(4);
    const audit = parseOffsiteAudit(`system,time,size\nagent-1,${local[1].time},100\nghost,${T0},1\n`);
    const { inventories, warnings } = applyOffsiteAudit([inventory(local, []), inventory(series(1), [], 'agent-2')], audit);
    expect(inventories[0].offsite).toHaveLength(1);
    expect(inventories[1].offsite).toEqual([]);
    expect(warnings.join(' ')).toMatch(/agent-2 is not in the offsite audit list/);
    expect(warnings.join(' ')).toMatch(/names 1 system\(s\) this appliance does not protect: ghost/);
    const r = resolveSelection(inventories[0], { kind: 'newer-than-lock' }, 'zfs');
    expect(r.matchedBy).toBe('name');
    expect(r.base?.name).toBe(local[1].name);
  });
});
