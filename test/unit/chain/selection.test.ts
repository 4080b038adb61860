// R16 selections resolved into what travels, per format, and the refusals with their reasons.
import { describe, expect, it } from 'vitest';
import { resolveSelection } from '../../../electron/chain/resolve.ts';
import type { Selection } from '../../../electron/chain/types.ts';
import { DAY, HOUR, inventory, point, series, T0, thrown } from './helpers.ts';

const local = series(10); // hourly, local[0] .. local[9]
const inv = inventory(local, local.slice(0, 5)); // offsite has 0..4: the lock is local[4]
const names = (ps: { name: string }[]) => ps.map((p) => p.name);

describe('ZFS selections', () => {
  it('everything newer than the lock: one -I stream from the lock', () => {
    const r = resolveSelection(inv, { kind: 'newer-than-lock' }, 'zfs');
    expect(r.base?.name).toBe(local[4].name);
    expect(names(r.points)).toEqual(names(local.slice(5)));
    expect(r.sends).toEqual([{ from: local[4].name, to: local[9].name, intermediates: true, fromIndex: 4, toIndex: 9 }]);
    expect(r.full).toBe(false);
  });

  it('most recent point: one incremental from the lock, skipping the points between', () => {
    const r = resolveSelection(inv, { kind: 'latest' }, 'zfs');
    expect(names(r.points)).toEqual([local[9].name]);
    expect(r.sends).toEqual([{ from: local[4].name, to: local[9].name, intermediates: false, fromIndex: 4, toIndex: 9 }]);
    expect(r.notes.join(' ')).toMatch(/4 point\(s\) between the lock and .* stay behind/);
  });

  it('one point right after the lock', () => {
    const r = resolveSelection(inv, { kind: 'one', point: Number(local[5].name) }, 'zfs');
    expect(r.sends).toEqual([{ from: local[4].name, to: local[5].name, intermediates: false, fromIndex: 4, toIndex: 5 }]);
  });

  it('a range overlapping what offsite has: those points are not sent again', () => {
    const r = resolveSelection(inv, { kind: 'range', from: local[2].name, to: local[7].name }, 'zfs');
    expect(r.base?.name).toBe(local[4].name);
    expect(names(r.points)).toEqual(names(local.slice(5, 8)));
    expect(r.notes.join(' ')).toMatch(/3 selected point\(s\) are already on offsite/);
  });

  it('a range by dates: a bare end date includes that whole day', () => {
    const days = [0, 1, 2, 3].map((d) => point(T0 + d * DAY));
    const i2 = inventory(days, [days[0]]);
    const d1 = new Date((T0 + DAY) * 1000).toISOString().slice(0, 10);
    const d2 = new Date((T0 + 2 * DAY) * 1000).toISOString().slice(0, 10);
    const r = resolveSelection(i2, { kind: 'range', from: d1, to: d2 }, 'zfs');
    expect(names(r.points)).toEqual([days[1].name, days[2].name]);
  });

  it('no common point: the first point is sent in full, and the plan says so', () => {
    const r = resolveSelection(inventory(local, []), { kind: 'range', from: local[3].name, to: local[6].name }, 'zfs');
    expect(r.base).toBeNull();
    expect(r.full).toBe(true);
    expect(r.fullReason).toBe('no-common-point');
    expect(r.sends).toEqual([
      { from: null, to: local[3].name, intermediates: false, fromIndex: -1, toIndex: 3 },
      { from: local[3].name, to: local[6].name, intermediates: true, fromIndex: 3, toIndex: 6 },
    ]);
    expect(r.notes.join(' ')).toMatch(/Sent in full .* no point in common/);
  });

  it('no common point but the receiver is not empty: warns that it cannot merge', () => {
    const other = series(2, T0 - 10 * DAY, HOUR, { seed: 7 });
    const r = resolveSelection(inventory(local, other), { kind: 'latest' }, 'zfs');
    expect(r.full).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/none in common .* separate copy/);
  });

  it('moving the lock back sends the common points after it again', () => {
    const i3 = inventory(local, [local[0], local[2], local[4]]);
    const r = resolveSelection(i3, { kind: 'newer-than-lock' }, 'zfs', local[0].name);
    expect(r.base?.name).toBe(local[0].name);
    expect(names(r.points)).toEqual(names(local.slice(1)));
    expect(r.notes.join(' ')).toMatch(/2 point\(s\) in the chain are already on offsite/);
    expect(r.warnings).toEqual([]);
  });

  it('moving the lock back with a selection that skips offsite points warns they would be lost', () => {
    const i3 = inventory(local, [local[0], local[2], local[4]]);
    const r = resolveSelection(i3, { kind: 'latest' }, 'zfs', local[0].name);
    expect(r.warnings.join(' ')).toMatch(/holds 2 point\(s\) .* newer than the lock .* would be lost/);
  });

  it('warns when the receiver holds newer points the sending side does not have', () => {
    const extra = point(T0 + 100 * HOUR, { seed: 3 });
    const r = resolveSelection(inventory(local, [local[2], extra]), { kind: 'newer-than-lock' }, 'zfs');
    expect(r.base?.name).toBe(local[2].name);
    expect(r.warnings.join(' ')).toContain(extra.name);
  });

  it('reverse (revRT): offsite points are sent, the appliance is the receiver', () => {
    const off = series(6);
    const r = resolveSelection(inventory([off[0], off[1]], off), { kind: 'newer-than-lock' }, 'zfs', undefined, { direction: 'reverse' });
    expect(r.base?.name).toBe(off[1].name);
    expect(names(r.points)).toEqual(names(off.slice(2)));
  });
});

describe('NTFS, EXT4 and image selections', () => {
  it('every point in the selection is its own full copy, with no base', () => {
    for (const f of ['ntfs', 'ext4', 'image'] as const) {
      const r = resolveSelection(inv, { kind: 'range', from: local[2].name, to: local[7].name }, f, undefined, { direction: 'reverse' });
      expect(r.base).toBeNull();
      expect(r.sends).toEqual([]);
      expect(r.full).toBe(true);
      expect(r.fullReason).toBe('format');
    }
    // Forward: local points, including those already offsite (an export, not a merge).
    const r = resolveSelection(inv, { kind: 'range', from: local[2].name, to: local[7].name }, 'ntfs');
    expect(names(r.points)).toEqual(names(local.slice(2, 8)));
    expect(r.warnings.join(' ')).toMatch(/Only ZFS can be merged into the offsite copy/);
  });

  it('"newer than the lock" still needs a lock', () => {
    const e = thrown(() => resolveSelection(inventory(local, []), { kind: 'newer-than-lock' }, 'ntfs'));
    expect(e.code).toBe('CHAIN_BAD_SELECTION');
    expect(e.data?.reason).toBe('no-lock');
  });
});

describe('refused selections', () => {
  const cases: Array<[string, Selection, string, RegExp, Parameters<typeof inventory>?]> = [
    ['first after last', { kind: 'range', from: local[7].name, to: local[2].name }, 'first-after-last', /starts .* after it ends/],
    ['an empty range', { kind: 'range', from: T0 + 5 * HOUR + 1, to: T0 + 6 * HOUR - 1 }, 'empty-range', /No point of agent-1 .* falls between/],
    ['a range needing a lock that does not exist', { kind: 'range', from: local[1].name, to: local[8].name }, 'needs-missing-lock', /would need a lock that does not exist/, [local, [local[4]]]],
    ['a range starting before the lock', { kind: 'range', from: local[1].name, to: local[8].name }, 'before-lock', /older than the lock/, [local, [local[0], local[4]]]],
    ['newer-than-lock without a lock', { kind: 'newer-than-lock' }, 'no-lock', /needs a lock/, [local, []]],
    ['newer-than-lock when up to date', { kind: 'newer-than-lock' }, 'nothing-to-send', /is up to date/, [local, local]],
    ['latest when it is already offsite', { kind: 'latest' }, 'nothing-to-send', /already on offsite/, [local, local]],
    ['one point that does not exist', { kind: 'one', point: '42' }, 'no-such-point', /has no point 42/],
    ['a point that is only offsite', { kind: 'one', point: 'x' }, 'no-such-point', /is on offsite but not on the local appliance/, [local, [{ name: 'x', time: 5 }]]],
    ['a bound that is not a time', { kind: 'range', from: 'yesterday', to: local[2].name }, 'bad-bound', /is not a point name, an epoch time or a date/],
    ['an unknown kind', { kind: 'all' } as unknown as Selection, 'unknown-kind', /Unknown snapshot selection/],
  ];
  for (const [label, selection, reason, message, sides] of cases) {
    it(`refuses ${label}`, () => {
      const i = sides ? inventory(...sides) : inv;
      const e = thrown(() => resolveSelection(i, selection, 'zfs'));
      expect(e.code).toBe('CHAIN_BAD_SELECTION');
      expect(e.data?.reason).toBe(reason);
      expect(e.message).toMatch(message);
    });
  }

  it('a range before the lock suggests the older common point to move the lock to', () => {
    const e = thrown(() => resolveSelection(inventory(local, [local[0], local[4]]), { kind: 'range', from: local[1].name, to: local[8].name }, 'zfs'));
    expect(e.hint).toContain(`Move the lock to ${local[0].name}`);
  });

  it('an unknown format is BAD_INPUT', () => {
    expect(thrown(() => resolveSelection(inv, { kind: 'latest' }, 'fat32' as 'zfs')).code).toBe('BAD_INPUT');
  });
});

describe('image exports', () => {
  it('refuse a share (files, no volume to image), with the reason and what to do', () => {
    const share = inventory(local, [], 'files-1', 'share');
    const e = thrown(() => resolveSelection(share, { kind: 'latest' }, 'image'));
    expect(e.code).toBe('CHAIN_BAD_SELECTION');
    expect(e.message).toMatch(/files-1 is a share: it holds files, not disk images/);
    expect(e.hint).toMatch(/browsable NTFS or EXT4/);
    expect(resolveSelection(share, { kind: 'latest' }, 'ntfs').points.map((p) => p.name)).toEqual([local[9].name]);
  });
});
