// Property-based tests of the chain rules (fast-check): whatever the inventories, selection and
// lock move, a ZFS plan's chain starts at a point the receiving side has (or is a full send when
// the sides share nothing), and no send is ever based on a point the receiving side lacks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { orient } from '../../../electron/chain/match.ts';
import { resolveSelection } from '../../../electron/chain/resolve.ts';
import { pointStates } from '../../../electron/chain/states.ts';
import type { Direction, Format, Point, Selection, SystemInventory } from '../../../electron/chain/types.ts';
import { point, T0 } from './helpers.ts';

interface Scenario {
  inv: SystemInventory;
  direction: Direction;
  format: Format;
  selection: Selection;
  lock: string | undefined;
}

/** Sending-side points, a receiving-side subset (same GUIDs), maybe receiver-only extras, maybe no GUIDs on one side. */
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    gaps: fc.array(fc.integer({ min: 1, max: 3 * 86_400 }), { minLength: 1, maxLength: 40 }),
    // Mostly a synced prefix with holes (retention), then rare common points (a moved or old sync).
    prefix: fc.integer({ min: 0, max: 40 }),
    holes: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 40, maxLength: 40 }),
    extras: fc.array(fc.integer({ min: -5 * 86_400, max: 60 * 86_400 }), { maxLength: 4 }),
    receiverWithoutGuids: fc.boolean(),
    direction: fc.constantFrom<Direction>('forward', 'reverse'),
    format: fc.constantFrom<Format>('zfs', 'zfs', 'zfs', 'ntfs', 'image'),
    kind: fc.constantFrom('latest', 'one', 'range', 'newer-than-lock'),
    a: fc.integer({ min: -2, max: 42 }),
    b: fc.integer({ min: -2, max: 42 }),
    lockAt: fc.option(fc.integer({ min: 0, max: 41 }), { nil: undefined }),
    boundsAsTimes: fc.boolean(),
  })
  .map((g) => {
    let t = T0;
    const source: Point[] = g.gaps.map((gap) => point((t += gap)));
    const common = (i: number) => (i < g.prefix ? g.holes[i] !== 0 : g.holes[i] === 0 && i % 3 === 0);
    const receiver: Point[] = source.filter((_, i) => common(i)).map((p) => ({ ...p }));
    // Points only the receiver has: other snapshots (other GUIDs), at times that may collide with source times.
    for (const dt of g.extras) receiver.push(point(T0 + dt, { seed: 9 }));
    const dedup = new Map(receiver.map((p) => [p.name, p]));
    let recv = [...dedup.values()];
    if (g.receiverWithoutGuids) recv = recv.map(({ guid: _g, ...rest }) => rest);
    const inv: SystemInventory =
      g.direction === 'forward' ? { system: 's', kind: 'agent', local: source, offsite: recv } : { system: 's', kind: 'agent', local: recv, offsite: source };
    const at = (i: number) => (i < 0 ? T0 - 1000 : i >= source.length ? t + 1000 : source[i].time);
    const ref = (i: number) => (g.boundsAsTimes || i < 0 || i >= source.length ? at(i) : source[i].name);
    const selection: Selection =
      g.kind === 'latest'
        ? { kind: 'latest' }
        : g.kind === 'newer-than-lock'
          ? { kind: 'newer-than-lock' }
          : g.kind === 'one'
            ? { kind: 'one', point: ref(g.a) }
            : { kind: 'range', from: ref(g.a), to: ref(g.b) };
    const lock = g.lockAt !== undefined && g.lockAt < source.length ? source[g.lockAt].name : undefined;
    return { inv, direction: g.direction, format: g.format, selection, lock };
  });

function attempt(s: Scenario) {
  try {
    return { ok: resolveSelection(s.inv, s.selection, s.format, s.lock, { direction: s.direction }) };
  } catch (e) {
    if (e instanceof AppError) return { err: e };
    throw e;
  }
}

describe('chain rules (property-based)', () => {
  it('a ZFS chain starts at a point the receiver has, or is full only when nothing is common; no send is based on a point the receiver lacks', () => {
    // Count the shapes seen, so the property cannot pass by refusing everything.
    const seen = { full: 0, incremental: 0, gap: 0, movedLock: 0, refused: 0 };
    fc.assert(
      fc.property(scenario, (s) => {
        const o = orient(s.inv, s.direction);
        const key = (p: Point) => (o.matchedBy === 'guid' ? (p.guid as string) : p.name);
        const receiverKeys = new Set(o.receiver.map(key));
        const res = attempt(s);
        if (res.err) {
          seen.refused++;
          expect(['CHAIN_BAD_SELECTION', 'CHAIN_BAD_LOCK']).toContain(res.err.code);
          expect(res.err.message.length).toBeGreaterThan(10);
          return;
        }
        const r = res.ok!;
        expect(r.points.length).toBeGreaterThan(0);
        if (s.format !== 'zfs') {
          expect(r.base).toBeNull();
          expect(r.sends).toEqual([]);
          return;
        }
        if (o.commonCount === 0) {
          expect(r.base).toBeNull();
          expect(r.full).toBe(true);
          expect(r.sends[0].from).toBeNull();
        } else {
          expect(r.base).not.toBeNull();
          expect(receiverKeys.has(key(r.base!))).toBe(true);
          expect(r.sends[0].from).toBe(r.base!.name);
          expect(r.full).toBe(false);
        }
        if (r.full) seen.full++;
        else seen.incremental++;
        if (r.sends.some((x) => x.from !== null && !x.intermediates && x.toIndex > x.fromIndex + 1)) seen.gap++;
        if (s.lock !== undefined && r.base && r.base !== r.source[o.newestCommon]) seen.movedLock++;
        // Replay the sends on the receiver: each is based on what the receiver holds at that moment
        // (and is its newest point in the chain, as zfs receive requires).
        const byName = new Map(r.source.map((p, i) => [p.name, i]));
        const has = new Set(receiverKeys);
        let tip: string | null = r.base ? r.base.name : null;
        const delivered: string[] = [];
        r.sends.forEach((send, k) => {
          if (send.from === null) {
            expect(k).toBe(0);
            expect(o.commonCount).toBe(0);
          } else {
            expect(has.has(key(r.source[byName.get(send.from)!]))).toBe(true);
            expect(send.from).toBe(tip);
          }
          const lo = send.intermediates ? byName.get(send.from!)! + 1 : byName.get(send.to)!;
          for (let i = lo; i <= byName.get(send.to)!; i++) {
            has.add(key(r.source[i]));
            delivered.push(r.source[i].name);
          }
          tip = send.to;
        });
        // Exactly the selected points arrive, all newer than the base.
        expect(delivered).toEqual(r.points.map((p) => p.name));
        if (r.base) for (const p of r.points) expect(p.time).toBeGreaterThanOrEqual(r.base.time);
      }),
      { numRuns: 1500, seed: 20261123 }, // fixed seed: the coverage counts below must not depend on luck
    );
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(10);
  });

  it('the lock moves only to a common point', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        if (s.lock === undefined) return;
        const o = orient(s.inv, s.direction);
        const i = o.source.findIndex((p) => p.name === s.lock);
        const common = o.counterpart[i] !== -1;
        const res = attempt(s);
        if (!common) {
          expect(res.err?.code).toBe('CHAIN_BAD_LOCK');
        } else {
          expect(res.err?.code).not.toBe('CHAIN_BAD_LOCK');
          if (res.ok) expect(res.ok.lock?.name).toBe(s.lock);
        }
      }),
      { numRuns: 800 },
    );
  });

  it('picker states: the lock is on both sides, syncable points are not on the receiver, first/last bracket the range', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        let st;
        try {
          st = pointStates(s.inv, s.lock, { direction: s.direction });
        } catch (e) {
          expect((e as AppError).code).toBe('CHAIN_BAD_LOCK');
          return;
        }
        const onReceiver = (r: { local: boolean; offsite: boolean }) => (s.direction === 'forward' ? r.offsite : r.local);
        const locks = st.rows.filter((r) => r.lock);
        expect(locks.length).toBe(st.lock ? 1 : 0);
        for (const r of locks) expect(r.local && r.offsite).toBe(true);
        for (const r of st.rows) if (r.syncable) expect(onReceiver(r)).toBe(false);
        const firsts = st.rows.findIndex((r) => r.first);
        const lasts = st.rows.findIndex((r) => r.last);
        if (firsts >= 0) {
          expect(lasts).toBeGreaterThanOrEqual(firsts);
          const lockIdx = st.rows.findIndex((r) => r.lock);
          expect(firsts).toBeGreaterThan(lockIdx);
        }
      }),
      { numRuns: 500 },
    );
  });
});
