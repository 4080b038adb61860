// Destructive actions on drives go to the engine log and to every listener registered with
// onDestructive(). The engine wires the tickets' audit trail to it when a host starts
// (engine/wire-audit.ts), so drives know nothing of tickets. Listeners are best effort from here: a
// failing one (a missing or broken ticket database) never blocks an erase that the technician
// confirmed (the engine log still has the line).
import { logLine } from '../system/log.ts';

export interface DestructiveAction {
  action: 'drive.erase' | 'drive.format' | 'drive.eject';
  actor?: string;
  ticketId?: string;
  details: Record<string, unknown>;
}

export type DestructiveListener = (a: DestructiveAction) => void | Promise<void>;

const listeners = new Set<DestructiveListener>();

/** Calls `listener` after each destructive action is logged, before the action goes on; returns the removal. */
export function onDestructive(listener: DestructiveListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function recordDestructive(a: DestructiveAction): Promise<void> {
  logLine('audit', { action: a.action, actor: a.actor ?? 'engine', ticketId: a.ticketId, ...a.details });
  for (const listener of listeners) {
    try {
      await listener(a);
    } catch (e) {
      logLine('drives', { op: 'audit', action: a.action, failed: String(e) });
    }
  }
}
