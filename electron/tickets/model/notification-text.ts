// The words of the e-mails a ticket sends: a sync ending (R10, R12) and a unit turning late or
// overdue (R7). Pure, so the settings screen can preview them.
import { formatBytes } from '../../chain/units.ts';
import { DIRECTION_LABEL, type TicketInput } from './ticket-schema.ts';
import type { ReturnClock } from './return-clock.ts';
import type { TicketFees } from './ticket-fees.ts';

/** What a finished (or failed) sync reports; the job engine fills in what it knows. */
export interface SyncSummary {
  ok: boolean;
  /** One line for the subject's end, e.g. "3 systems, 1.20 TB". */
  headline?: string;
  bytes?: number;
  durationSeconds?: number;
  systems?: Array<{ name: string; points?: number; bytes?: number; ok?: boolean; error?: string }>;
  /** For a failure: the technician's sentence (and code) of the error that stopped it. */
  error?: { code?: string; message: string };
  jobId?: string;
}

export interface MailText {
  subject: string;
  text: string;
}

function duration(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h} h ${m} min` : m ? `${m} min` : `${Math.round(s)} s`;
}

export function syncEndedText(request: TicketInput, summary: SyncSummary): MailText {
  const what = `${DIRECTION_LABEL[request.direction]} ticket ${request.ticketNumber}`;
  const subject = `${what}: sync ${summary.ok ? 'finished' : 'FAILED'}${summary.headline ? ` (${summary.headline})` : ''}`;
  const lines = [
    `The sync for ${what} ${summary.ok ? 'finished successfully' : 'stopped with an error'}.`,
    '',
    `Appliance serial: ${request.applianceSerial}`,
    `Format: ${request.format.filesystem.toUpperCase()} ${request.format.layout}${request.format.imageFormat ? ` (${request.format.imageFormat})` : ''}`,
  ];
  if (summary.bytes !== undefined) lines.push(`Data synced: ${formatBytes(summary.bytes)}`);
  if (summary.durationSeconds !== undefined) lines.push(`Duration: ${duration(summary.durationSeconds)}`);
  if (summary.jobId) lines.push(`Job: ${summary.jobId}`);
  if (summary.error) lines.push('', `Error${summary.error.code ? ` (${summary.error.code})` : ''}: ${summary.error.message}`);
  if (summary.systems?.length) {
    lines.push('', 'Protected systems:');
    for (const s of summary.systems) {
      const facts = [s.points !== undefined ? `${s.points} point(s)` : '', s.bytes !== undefined ? formatBytes(s.bytes) : '', s.ok === false ? `FAILED${s.error ? `: ${s.error}` : ''}` : s.ok ? 'ok' : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`  - ${s.name}${facts ? `: ${facts}` : ''}`);
    }
  }
  return { subject, text: lines.join('\n') + '\n' };
}

export function returnStateText(request: TicketInput, clock: ReturnClock, fees: TicketFees): MailText {
  const delivered = clock.deliveredAt?.slice(0, 10) ?? 'unknown';
  const head = `Reverse RoundTrip ticket ${request.ticketNumber}`;
  const intro = [`The unit for ${head} (appliance ${request.applianceSerial}) was delivered on ${delivered} and has not come back yet.`, ''];
  if (clock.state === 'overdue') {
    return {
      subject: `${head}: unit overdue, replacement fee due`,
      text: [
        ...intro,
        'It is now more than 56 days since delivery, so the full replacement cost is due:',
        `  ${fees.replacement.reason}`,
        '',
        'If you still have the unit, please contact RoundTrip support.',
      ].join('\n') + '\n',
    };
  }
  return {
    subject: `${head}: unit return is late`,
    text: [
      ...intro,
      `It is now more than 28 days since delivery (it was due back by ${clock.dueBy?.slice(0, 10)}).`,
      'Please return it in its original packaging with the return label from the box.',
      `After ${clock.overdueAfter?.slice(0, 10)} (56 days) the full replacement fee of $${fees.replacement.listUsd} becomes due${request.disasterRecovery ? ' (waived for this disaster-recovery ticket)' : ''}.`,
    ].join('\n') + '\n',
  };
}
