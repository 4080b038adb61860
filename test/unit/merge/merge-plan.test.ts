// The merge decision per system, from point lists alone: what a technician is told before anything runs.
import { describe, it, expect } from 'vitest';
import { newerPointsSentence, planSystemMerge, type PlanPoint } from '../../../electron/merge/merge-plan.ts';

const p = (name: string, guid = `g${name}`): PlanPoint => ({ name, guid });
const unit = [p('1700000000'), p('1700086400'), p('1700172800')];

describe('planSystemMerge', () => {
  it('receives every point of a system the destination does not have', () => {
    expect(planSystemMerge(unit, null, false)).toEqual({ kind: 'new', receive: unit });
  });

  it('receives the points after the newest common point and keeps the older ones', () => {
    const plan = planSystemMerge(unit, [p('1699900000'), p('1700000000')], false);
    expect(plan).toEqual({ kind: 'incremental', common: unit[0], receive: unit.slice(1), rollback: [] });
  });

  it('uses the newest common point when the destination already has some of the unit', () => {
    const plan = planSystemMerge(unit, [p('1700000000'), p('1700086400')], false);
    expect(plan.kind === 'incremental' && plan.common.name).toBe('1700086400');
  });

  it('refuses when the destination has points newer than the common point, naming them', () => {
    const newer = p('1700100000');
    const plan = planSystemMerge(unit, [p('1700000000'), newer], false);
    expect(plan).toEqual({ kind: 'refuse-newer', common: unit[0], receive: unit.slice(1), newer: [newer] });
  });

  it('rolls those points back only when allowed for this system', () => {
    const newer = p('1700100000');
    expect(planSystemMerge(unit, [p('1700000000'), newer], true)).toEqual({ kind: 'incremental', common: unit[0], receive: unit.slice(1), rollback: [newer] });
  });

  it('counts a point with the same name but another GUID as different (a re-created dataset)', () => {
    const plan = planSystemMerge(unit, [p('1700000000', 'other')], false);
    expect(plan).toEqual({ kind: 'refuse-no-common', destinationPoints: 1 });
  });

  it('refuses when nothing is common, and treats an empty existing dataset the same way', () => {
    expect(planSystemMerge(unit, [p('1600000000')], true).kind).toBe('refuse-no-common');
    expect(planSystemMerge(unit, [], false).kind).toBe('refuse-no-common');
  });

  it('has nothing to do when the destination already holds the unit, even with newer points of its own', () => {
    expect(planSystemMerge(unit, unit, false)).toEqual({ kind: 'up-to-date', common: unit[2] });
    expect(planSystemMerge(unit, [...unit, p('1800000000')], false).kind).toBe('up-to-date');
  });

  it('says which points would be lost, with their times', () => {
    const s = newerPointsSentence('WIN-FS01', 'tank/WIN-FS01', unit[0], [p('1700100000')]);
    expect(s).toContain('1700100000 (2023-11-16 02:00 UTC)');
    expect(s).toMatch(/^WIN-FS01: tank\/WIN-FS01 has 1 point\(s\) newer/);
  });
});
