// The settings forms' helpers: typed text to what the engine checks, and the engine's per-field
// errors grouped by the form field that shows them.
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../../renderer/api/client.ts';
import { errorsUnder, linesOf, numberOrText } from '../../../renderer/screens/settings/settings-form.ts';

describe('settings form helpers', () => {
  it('sends a number when the text is one, else the text, for the engine to refuse', () => {
    expect(numberOrText(' 587 ')).toBe(587);
    expect(numberOrText('12.5')).toBe(12.5);
    expect(numberOrText('-5')).toBe(-5);
    expect(numberOrText('lots')).toBe('lots');
    expect(numberOrText('')).toBe('');
    expect(numberOrText('1e3')).toBe('1e3');
  });

  it('reads one entry per line, trimmed, without blank lines', () => {
    expect(linesOf(' Ana \n\n Bo\r\n')).toEqual(['Ana', 'Bo']);
    expect(linesOf('')).toEqual([]);
  });

  it('groups the engine\'s problems by field under a prefix, naming a list entry\'s line', () => {
    const error = new EngineError({
      code: 'BAD_INPUT',
      message: 'The settings are not valid.',
      data: {
        fields: [
          { field: 'bench.name', message: "The bench's name is required." },
          { field: 'bench.technicians.1', message: 'ana is in the list twice.' },
          { field: 'dataCenters.usa.city', message: 'The city is required.' },
          { field: 'dataCenters.usa.street.0', message: 'A street line is required.' },
          { field: 'smtp.port', message: 'The SMTP port must be 1 to 65535.' },
        ],
      },
    });
    const bench = errorsUnder(error, 'bench');
    expect(Object.fromEntries(bench.byField)).toEqual({ name: ["The bench's name is required."], technicians: ['Line 2: ana is in the list twice.'] });
    expect(bench.issues).toHaveLength(2);
    expect(Object.fromEntries(errorsUnder(error, 'dataCenters.usa').byField)).toEqual({ city: ['The city is required.'], street: ['Line 1: A street line is required.'] });
    expect(errorsUnder(error, 'dataCenters.emea').issues).toEqual([]);
    expect(errorsUnder(null, 'smtp').byField.size).toBe(0);
  });
});
