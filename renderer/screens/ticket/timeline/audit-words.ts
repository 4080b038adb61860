// An audit entry in a technician's words: what happened and the facts that matter, from the
// entry's action and details. Pure; an action it does not know is shown as the engine wrote it.
import { STEP_LABEL, isStep } from '../../../../electron/tickets/model/lifecycle.ts';
import { RETURN_STATE_LABEL, type ReturnState } from '../../../../electron/tickets/model/return-clock.ts';

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  ticketId?: string | null;
  details?: Record<string, unknown>;
}

const ACTION_WORDS: Record<string, string> = {
  'ticket.create': 'Ticket created',
  'ticket.import': 'Ticket imported from a JSON file',
  'ticket.update': 'Ticket details changed',
  'ticket.return-state': 'Return clock changed',
  'drive.erase': 'Drive erased',
  'drive.format': 'Drive formatted',
  'zfs.rollback': 'Points rolled back',
  'merge.apply': 'Unit merged back',
  'unit.verify-kept': 'Kept unit verified',
  'agent.unlock': 'Encrypted agent unlocked',
};

function clockWords(v: unknown): string {
  return RETURN_STATE_LABEL[String(v) as ReturnState] ?? String(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

export function auditWhat(e: AuditRow): string {
  const d = e.details ?? {};
  if (e.action === 'ticket.advance') {
    const step = str(d.step);
    return step && isStep(step) ? `Marked ${STEP_LABEL[step]}` : `Step ${step ?? '?'}`;
  }
  return ACTION_WORDS[e.action] ?? e.action;
}

/** The few facts worth a line: tracking numbers, sizes, changed fields, the clock's move. */
export function auditFacts(e: AuditRow): string {
  const d = e.details ?? {};
  const out: string[] = [];
  if (str(d.trackingNumber)) out.push(`tracking ${d.trackingNumber}`);
  if (e.action === 'ticket.return-state' && str(d.from) && str(d.to)) out.push(`${clockWords(d.from)} → ${clockWords(d.to)}`);
  if (Array.isArray(d.changed) && d.changed.length) out.push(`changed: ${d.changed.map(String).join(', ')}`);
  if (str(d.device)) out.push(`device ${d.device}`);
  if (typeof d.ok === 'boolean') out.push(d.ok ? 'every check passed' : 'a check failed');
  if (typeof d.replacementUsd === 'number') out.push(`replacement fee $${d.replacementUsd}`);
  if (str(d.note)) out.push(`note: ${d.note}`);
  return out.join(' · ');
}
