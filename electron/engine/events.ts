// The engine's event bus: jobs, the drive watch and ticket changes publish here; every host
// forwards to its clients (a WebSocket, the stdio engine's stdout, the CLI's progress line).
// Subscribers never hold a job up: a throwing listener is logged and dropped from that event only.
import type { EventData, EventName } from '../api/contract.ts';
import { logLine } from '../system/log.ts';

export type EngineEvent = { [E in EventName]: { event: E; data: EventData<E> } }[EventName];
export type EventListener = (e: EngineEvent) => void;

const listeners = new Set<EventListener>();

export function publish<E extends EventName>(event: E, data: EventData<E>): void {
  const e = { event, data } as EngineEvent;
  for (const l of [...listeners]) {
    try {
      l(e);
    } catch (err) {
      logLine('engine', { op: 'event listener', event, failed: String(err) });
    }
  }
}

/** Subscribes to every event; returns the unsubscribe. */
export function subscribe(listener: EventListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
