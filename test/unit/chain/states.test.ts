// Matching (GUID or name), the lock and the R11 picker states.
import { describe, expect, it } from 'vitest';
import { orient } from '../../../electron/chain/match.ts';
import { pointStates } from '../../../electron/chain/states.ts';
import { HOUR, inventory, point, points, series, T0, thrown } from './helpers.ts';

describe('matching points', () => {
  it('matches by GUID when both sides carry them, even under another name', () => {
    const local = series(3);
    const offsite = [{ ...local[0], name: 'renamed' }];
    const o = orient(inventory(local, offsite));
    expect(o.matchedBy).toBe('guid');
    expect(Array.from(o.counterpart)).toEqual([0, -1, -1]);
  });

  it('does not call a same-named snapshot with another GUID common, and says so', () => {
    const local = series(3);
    const offsite = [point(local[0].time, { seed: 2 })]; // re-created dataset, same name
    const o = orient(inventory(local, offsite));
    expect(o.newestCommon).toBe(-1);
    expect(o.notes.join(' ')).toMatch(/same name on both sides but a different snapshot GUID/);
  });

  it('matches by name when one side has no GUIDs (an audit list)', () => {
    const local = series(3);
    const offsite = points([local[1].time], { guid: false });
    const o = orient(inventory(local, offsite));
    expect(o.matchedBy).toBe('name');
    expect(o.newestCommon).toBe(1);
  });

  it('keeps 64-bit GUIDs exact: two GUIDs one apart above 2^53 are different points', () => {
    const a = { name: '1', time: 1, guid: '18446744073709551614' };
    const b = { name: '1', time: 1, guid: '18446744073709551615' };
    expect(Number(a.guid)).toBe(Number(b.guid)); // what a JS number would have done
    expect(orient(inventory([a], [b])).newestCommon).toBe(-1);
    expect(orient(inventory([a], [{ ...a }])).newestCommon).toBe(0);
  });

  it('refuses a GUID passed as a number', () => {
    const bad = { name: '1', time: 1, guid: 12345 as unknown as string };
    expect(thrown(() => orient(inventory([bad], []))).code).toBe('BAD_INPUT');
  });

  it('sorts unsorted lists by time', () => {
    const local = series(4).reverse();
    const o = orient(inventory(local, [local[0]]));
    expect(o.source.map((p) => p.time)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR]);
    expect(o.newestCommon).toBe(3);
  });
});

describe('pointStates (R11)', () => {
  const local = series(6); // 0..5
  const offsite = [local[0], local[2], local[3]];
  const inv = inventory(local, offsite);

  it('locks on the newest common point and ranges over everything newer', () => {
    const s = pointStates(inv);
    expect(s.lock).toBe(local[3].name);
    expect(s.defaultLock).toBe(local[3].name);
    expect(s.first).toBe(local[4].name);
    expect(s.last).toBe(local[5].name);
    expect(s.rows.map((r) => r.offsite)).toEqual([true, false, true, true, false, false]);
    expect(s.rows.map((r) => r.syncable)).toEqual([false, false, false, false, true, true]);
    expect(s.rows.map((r) => r.lock)).toEqual([false, false, false, true, false, false]);
    expect(s.rows.filter((r) => r.first).map((r) => r.name)).toEqual([local[4].name]);
    expect(s.rows.filter((r) => r.last).map((r) => r.name)).toEqual([local[5].name]);
    expect(s.rows.every((r) => r.local)).toBe(true);
  });

  it('moving the lock to an older common point changes the range', () => {
    const s = pointStates(inv, local[0].name);
    expect(s.lock).toBe(local[0].name);
    expect(s.defaultLock).toBe(local[3].name);
    expect(s.first).toBe(local[1].name);
    expect(s.rows.map((r) => r.syncable)).toEqual([false, true, false, false, true, true]);
    expect(s.rows.map((r) => r.inRange)).toEqual([false, true, true, true, true, true]);
  });

  it('refuses to move the lock to a point offsite does not have', () => {
    const e = thrown(() => pointStates(inv, local[4].name));
    expect(e.code).toBe('CHAIN_BAD_LOCK');
    expect(e.message).toMatch(/offsite does not have that point/);
    expect(e.hint).toContain(local[3].name);
  });

  it('refuses a lock on a point that does not exist', () => {
    const e = thrown(() => pointStates(inv, '123'));
    expect(e.code).toBe('CHAIN_BAD_LOCK');
    expect(e.message).toMatch(/has no such point/);
  });

  it('with no common point there is no lock and the range starts at the first point, in full', () => {
    const s = pointStates(inventory(local, []));
    expect(s.lock).toBeNull();
    expect(s.full).toBe(true);
    expect(s.first).toBe(local[0].name);
    expect(s.rows.every((r) => r.syncable)).toBe(true);
  });

  it('shows the range of an explicit selection', () => {
    const s = pointStates(inv, null, { selection: { kind: 'one', point: local[5].name } });
    expect(s.first).toBe(local[5].name);
    expect(s.last).toBe(local[5].name);
    expect(s.rows.filter((r) => r.inRange)).toHaveLength(1);
  });

  it('in reverse (revRT) the rows are the offsite points and the receiver is the appliance', () => {
    const off = series(5);
    const s = pointStates(inventory([off[1]], off), undefined, { direction: 'reverse' });
    expect(s.lock).toBe(off[1].name);
    expect(s.rows.map((r) => r.local)).toEqual([false, true, false, false, false]);
    expect(s.rows.every((r) => r.offsite)).toBe(true);
    expect(s.first).toBe(off[2].name);
  });

  it('handles 10,000 points (speed is measured in the benchmark, not here)', () => {
    const big = series(10_000);
    const s = pointStates(inventory(big, big.slice(0, 5000)));
    expect(s.lock).toBe(big[4999].name);
    expect(s.rows.filter((r) => r.syncable)).toHaveLength(5000);
  });
});
