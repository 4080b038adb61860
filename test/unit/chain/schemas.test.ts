// JSON plan input is validated at the door, with a sentence naming the field.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { buildPlan } from '../../../electron/chain/plan.ts';
import { parsePlanInput, parseSelection } from '../../../electron/chain/schemas.ts';

const doc = {
  ticket: { format: 'zfs', disasterRecovery: false, selections: { a: { kind: 'newer-than-lock' } } },
  inventories: [
    {
      system: 'a',
      kind: 'agent',
      local: [
        { name: '1700000000', time: 1700000000, guid: '18446744073709551615' },
        { name: '1700003600', time: 1700003600, guid: '18446744073709551614' },
      ],
      offsite: [{ name: '1700000000', time: 1700000000, guid: '18446744073709551615' }],
    },
  ],
  sizes: { a: { '1700003600': { incrementalBytes: 1000 } } },
};

describe('parsePlanInput', () => {
  it('accepts a JSON plan input that buildPlan can plan', () => {
    const input = parsePlanInput(JSON.parse(JSON.stringify(doc)));
    const plan = buildPlan(input);
    expect(plan.systems[0]).toMatchObject({ base: '1700000000', points: ['1700003600'], dataBytes: 1000 });
  });

  it('refuses a GUID given as a number, naming where', () => {
    const bad = JSON.parse(JSON.stringify(doc));
    bad.inventories[0].local[0].guid = 18446744073709551615;
    try {
      parsePlanInput(bad);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('BAD_INPUT');
      expect((e as AppError).message).toMatch(/inventories\.0\.local\.0\.guid/);
    }
  });

  it('refuses an unknown selection kind', () => {
    expect(() => parseSelection({ kind: 'everything' })).toThrow(/snapshot selection is not valid/);
    expect(parseSelection({ kind: 'range', from: '2024-01-01', to: 1700000000 })).toEqual({ kind: 'range', from: '2024-01-01', to: 1700000000 });
  });
});
