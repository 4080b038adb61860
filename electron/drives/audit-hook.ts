// Destructive actions on drives go to the engine log and to the tickets' audit trail. The audit
// trail is best effort from here: a missing or broken ticket database never blocks an erase that the
// technician confirmed (the engine log still has the line).
import { logLine } from '../system/log.ts';

export interface DestructiveAction {
  action: 'drive.erase' | 'drive.format' | 'drive.eject';
  actor?: string;
  ticketId?: string;
  details: Record<string, unknown>;
}

export async function recordDestructive(a: DestructiveAction): Promise<void> {
  logLine('audit', { action: a.action, actor: a.actor ?? 'engine', ticketId: a.ticketId, ...a.details });
  try {
    const { appendAudit } = await import('../tickets/audit.ts');
    appendAudit({ actor: a.actor ?? 'engine', action: a.action, ticketId: a.ticketId, details: a.details });
  } catch (e) {
    logLine('drives', { op: 'audit', action: a.action, failed: String(e) });
  }
}
