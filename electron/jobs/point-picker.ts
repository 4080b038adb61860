// The snapshot picker's rows for a ticket (R11): per system, every point with its icons (offsite,
// syncable, first, last, lock) for the ticket's selection, and the lock moved where the technician
// double-clicked. Read from the same inventories the plan uses.
import { readInventories } from '../appliance/inventory.ts';
import type { Sites } from '../appliance/sites.ts';
import { pointStates, type PointStates } from '../chain/states.ts';
import { planTicketOf, readDirection } from '../tickets/model/plan-ticket.ts';
import type { TicketInput } from '../tickets/model/ticket-schema.ts';

export async function pointPickerFor(request: TicketInput, sites: Sites, lockOverrides: Readonly<Record<string, string>> = {}): Promise<{ systems: PointStates[]; warnings: string[] }> {
  const ticket = planTicketOf(request);
  const warnings: string[] = [];
  const invs = await readInventories(sites, warnings);
  const systems: PointStates[] = [];
  for (const sel of request.systems) {
    const inv = invs.find((i) => i.system === sel.name);
    if (!inv) {
      warnings.push(`${sel.name} is not a protected system on this appliance.`);
      continue;
    }
    systems.push(pointStates(inv, lockOverrides[sel.name], { direction: readDirection(request), selection: sel.points, format: ticket.format }));
  }
  return { systems, warnings };
}
