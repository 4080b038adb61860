// What every host does once before it serves the contract: say which host it is (engine.info)
// and wire the drives' destructive actions into the tickets' audit trail.
import { setHostName, type HostName } from './host.ts';
import { wireAudit } from './wire-audit.ts';

export function startEngine(host: HostName): void {
  setHostName(host);
  wireAudit();
}
