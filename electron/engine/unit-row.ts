// One unit as the Units screen lists it (`units.list`), from its sealed manifest and where it was
// read: a unit on drives (unit-methods.ts) or a NAS unit (nas-units.ts).
import type { AttachedUnit } from '../api/schemas/units.ts';
import type { Manifest } from '../jobs/manifest.ts';

/** The Units screen's row of a unit, from its manifest; `where` says where it was read. */
export function unitRow(m: Manifest, where: Pick<AttachedUnit, 'label' | 'layout' | 'devices' | 'drivesExpected' | 'nas'>, known: (ticketId: string) => Pick<AttachedUnit, 'knownTicket' | 'verify'>): AttachedUnit {
  return {
    unitId: m.unitId,
    ...where,
    ticketId: m.ticketId,
    sealed: true,
    problem: null,
    direction: m.direction,
    applianceSerial: m.applianceSerial ?? null,
    endedAt: m.endedAt ?? null,
    systems: m.systems.map((s) => ({ system: s.system, kind: s.kind, encrypted: s.encrypted, points: s.points.map((p) => p.name) })),
    ...known(m.ticketId),
  };
}
