import { describe, it, expect } from 'vitest';
import { requestFromImport, toExport, parseTicketJson } from '../../../electron/tickets/model/exchange.ts';
import { syncEndedText, returnStateText } from '../../../electron/tickets/model/notification-text.ts';
import { computeTicketFees } from '../../../electron/tickets/model/ticket-fees.ts';
import { returnClock } from '../../../electron/tickets/model/return-clock.ts';
import { validateTicketInput } from '../../../electron/tickets/model/validate.ts';
import { reverseRequest } from './fixtures.ts';

describe('ticket export documents', () => {
  it('round-trip the request and accept a bare request form', () => {
    const r = validateTicketInput(reverseRequest());
    const doc = JSON.parse(JSON.stringify(toExport(r, new Date('2025-01-01T00:00:00Z'))));
    expect(doc).toMatchObject({ kind: 'roundtrip-bench.ticket', version: 1, exportedAt: '2025-01-01T00:00:00.000Z' });
    expect(validateTicketInput(requestFromImport(doc))).toEqual(r);
    expect(requestFromImport(reverseRequest())).toEqual(reverseRequest());
  });

  it('refuse other documents with a field and a sentence', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { code: string; data: { fields: unknown } }).data.fields;
      }
      return null;
    };
    expect(codeOf(() => requestFromImport({ kind: 'something-else' }))).toEqual([{ field: 'kind', message: '"something-else" is not a ticket export (expected "roundtrip-bench.ticket").' }]);
    expect(codeOf(() => requestFromImport({ kind: 'roundtrip-bench.ticket', version: 9, request: {} }))).toEqual([
      { field: 'version', message: 'Ticket export version 9 is not supported; this bench reads version 1.' },
    ]);
    expect(codeOf(() => requestFromImport([1]))).toEqual([{ field: '(document)', message: 'The file must hold one JSON object: a ticket export or a request form.' }]);
    expect(codeOf(() => parseTicketJson('{nope', 'form.json'))).toEqual([{ field: '(document)', message: expect.stringMatching(/^form\.json is not valid JSON/) }]);
  });
});

describe('notification texts', () => {
  it('summarise a sync that ended, success or failure', () => {
    const r = validateTicketInput(reverseRequest());
    const ok = syncEndedText(r, { ok: true, headline: '1 system, 1.20 TB', bytes: 1.2e12, durationSeconds: 7380, systems: [{ name: 'win01', points: 3, bytes: 1.2e12, ok: true }] });
    expect(ok.subject).toBe('Reverse RoundTrip ticket 1234567: sync finished (1 system, 1.20 TB)');
    expect(ok.text).toMatch(/Duration: 2 h 3 min/);
    expect(ok.text).toMatch(/- win01: 3 point\(s\), 1.20 TB, ok/);
    const bad = syncEndedText(r, { ok: false, error: { code: 'TARGET_FULL', message: 'The drive is full.' } });
    expect(bad.subject).toBe('Reverse RoundTrip ticket 1234567: sync FAILED');
    expect(bad.text).toMatch(/Error \(TARGET_FULL\): The drive is full\./);
  });

  it('word the late and overdue notices with the deadlines and the fee', () => {
    const r = validateTicketInput(reverseRequest());
    const steps = [{ step: 'delivered' as const, by: 'x', at: '2025-03-01T00:00:00.000Z' }];
    const late = new Date('2025-04-01T00:00:00Z');
    const fees = { 'usb-drive': 300, 'nas-unit': 2500 };
    const lateText = returnStateText(r, returnClock(r, steps, late), computeTicketFees({ request: r, steps, now: late, replacementFees: fees }));
    expect(lateText.subject).toBe('Reverse RoundTrip ticket 1234567: unit return is late');
    expect(lateText.text).toMatch(/due back by 2025-03-15/);
    expect(lateText.text).toMatch(/After 2025-04-26 \(56 days\) the full replacement fee of \$300 becomes due/);
    const over = new Date('2025-05-01T00:00:00Z');
    const overText = returnStateText(r, returnClock(r, steps, over), computeTicketFees({ request: r, steps, now: over, replacementFees: fees }));
    expect(overText.subject).toBe('Reverse RoundTrip ticket 1234567: unit overdue, replacement fee due');
    expect(overText.text).toMatch(/replacement fee \$300 \(usb-drive\)/);
  });
});
