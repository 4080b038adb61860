// The methods a read-only engine answers (`roundtrip engine --stdio --read-only`): the desktop
// app's fallback when the privileged engine is refused or dies, so tickets and plans stay
// readable. Everything else (a drive, a pool, a job, a ticket change) is refused with
// ENGINE_READ_ONLY before it is validated or run. Pure.
import type { MethodName } from './contract.ts';

export const READ_ONLY_METHODS: ReadonlySet<MethodName> = new Set<MethodName>([
  'engine.ping',
  'engine.info',
  'lab.status',
  'tickets.get',
  'tickets.list',
  'tickets.print',
  'tickets.export',
  'audit.list',
  'audit.verify',
  'plan.forTicket',
  'plan.points',
  'plan.fileSync',
  'jobs.list',
  'jobs.get',
]);
