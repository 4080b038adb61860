// @vitest-environment happy-dom
// The intake form with the engine's own validation (the ticket model's ticketIssues, which the
// engine runs on tickets.create): every problem shown next to its field, tied to it for screen
// readers, and in a summary that leads to it; a fixed form goes through.
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ticketIssues } from '../../../electron/tickets/model/validate.ts';
import { EngineError } from '../../../renderer/api/client.ts';
import { TicketForm } from '../../../renderer/screens/ticket/form/TicketForm.tsx';
import { emptyForm } from '../../../renderer/screens/ticket/form/ticket-form-model.ts';
import type { TicketInputRaw } from '../../../electron/tickets/model/ticket-schema.ts';

afterEach(cleanup);

/** What the engine does with a request: TICKET_INVALID with every field's sentence, or accept it. */
function engineLike(accepted: TicketInputRaw[]) {
  return vi.fn(async (request: TicketInputRaw) => {
    const fields = ticketIssues(request);
    if (fields.length) throw new EngineError({ code: 'TICKET_INVALID', message: `The ticket has ${fields.length} problem(s).`, data: { fields } });
    accepted.push(request);
  });
}

/** The error text an input points at through aria-describedby. */
function describedBy(input: HTMLElement): string {
  return (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

describe('the ticket form shows the engine\'s per-field errors', () => {
  it('puts each problem next to its field and in a summary, and sends the fixed ticket', async () => {
    const user = userEvent.setup();
    const accepted: TicketInputRaw[] = [];
    const submit = engineLike(accepted);
    render(<TicketForm initial={emptyForm()} submitLabel="Create the ticket" onSubmit={submit} />);

    await user.click(screen.getByRole('button', { name: 'Create the ticket' }));
    const number = screen.getByLabelText('Support ticket number');
    expect(number.getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(number)).toMatch(/The ticket number must be 6 to 10 digits/);
    expect(describedBy(screen.getByLabelText('Technical contact'))).toMatch(/name is required/);
    expect(describedBy(screen.getByLabelText('System 1 name'))).toMatch(/protected system name is required/);
    const summary = screen.getByRole('alert');
    expect(summary.textContent).toMatch(/The engine found \d+ problems in this ticket/);
    // A summary entry leads to its field.
    await user.click(screen.getByRole('link', { name: /The appliance serial is required/ }));
    expect(document.activeElement).toBe(screen.getByLabelText('Appliance serial (PO number)'));

    // R10: a space in the address list is its own sentence, on its own field.
    await user.type(screen.getByLabelText('Support ticket number'), 'T1234567');
    await user.type(screen.getByLabelText('Appliance serial (PO number)'), 'SN-0001');
    await user.type(screen.getByLabelText('System 1 name'), 'WIN-FS01');
    await user.type(screen.getByLabelText('Partner name'), 'Partner');
    await user.type(screen.getByLabelText('Technical contact'), 'Pat');
    await user.type(screen.getByLabelText('Contact e-mail'), 'pat@example.com');
    await user.type(screen.getByLabelText('Notification e-mails'), 'a@example.com, b@example.com');
    await user.click(screen.getByRole('button', { name: 'Create the ticket' }));
    const emails = screen.getByLabelText('Notification e-mails');
    expect(describedBy(emails)).toMatch(/separated by commas with no spaces/);
    expect(number.getAttribute('aria-invalid')).toBeNull();
    expect(accepted).toEqual([]);

    // A Reverse RoundTrip needs an address: its fields appear, and the engine asks for them.
    await user.selectOptions(screen.getByLabelText('Direction'), 'reverse');
    await user.clear(emails);
    await user.type(emails, 'a@example.com,b@example.com');
    await user.click(screen.getByRole('button', { name: 'Create the ticket' }));
    expect(screen.getByRole('alert').textContent).toMatch(/The recipient is required/);
    // The system's selection followed the direction: "not yet offsite" is a forward RoundTrip's.
    expect((screen.getByLabelText('System 1 points') as HTMLSelectElement).value).toBe('latest');

    await user.type(screen.getByLabelText('Recipient'), 'Sam');
    await user.type(screen.getByLabelText('Street (one line each, up to 3)'), '1 Main St');
    await user.type(screen.getByLabelText('City'), 'Springfield');
    await user.type(screen.getByLabelText('Postal code'), '19000');
    await user.type(screen.getByLabelText('Country'), 'United States');
    await user.click(screen.getByRole('button', { name: 'Create the ticket' }));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByText('The engine accepted the ticket.')).toBeTruthy();
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ ticketNumber: 'T1234567', direction: 'reverse', notifyEmails: 'a@example.com,b@example.com', shipping: { address: { street: ['1 Main St'] } } });
  });
});
