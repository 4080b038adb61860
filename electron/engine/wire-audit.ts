// The tickets' audit trail, wired to the drives' destructive actions (erase, format) when a host
// starts: drives only announce them (drives/audit-hook.ts) and know nothing of tickets. Every host
// that runs the engine calls wireAudit() once at start-up: the CLI, serve, the Electron engine.
import { onDestructive } from '../drives/audit-hook.ts';

let wired = false;

export function wireAudit(): void {
  if (wired) return;
  wired = true;
  onDestructive(async (a) => {
    // Loaded at the first destructive action: most verbs never open the ticket database.
    const { appendAudit } = await import('../tickets/audit.ts');
    appendAudit({ actor: a.actor ?? 'engine', action: a.action, ticketId: a.ticketId, details: a.details });
  });
}
