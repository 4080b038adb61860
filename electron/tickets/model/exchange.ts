// The JSON a ticket travels as between benches, request forms and scripts. It carries the request
// form's content; the checklist travels only as information, because who-did-what on one bench is
// not something another bench can assert.
import { AppError } from '../../api/errors.ts';
import type { StepRecord } from './lifecycle.ts';
import type { TicketFees } from './ticket-fees.ts';
import type { TicketInput } from './ticket-schema.ts';

export const TICKET_EXPORT_KIND = 'roundtrip-bench.ticket';
export const TICKET_EXPORT_VERSION = 1;

export interface TicketExport {
  kind: typeof TICKET_EXPORT_KIND;
  version: typeof TICKET_EXPORT_VERSION;
  exportedAt: string;
  request: TicketInput;
  /** Informational; ignored on import. */
  status?: { steps: StepRecord[]; fees: TicketFees };
}

export function toExport(request: TicketInput, exportedAt: Date, status?: TicketExport['status']): TicketExport {
  return { kind: TICKET_EXPORT_KIND, version: TICKET_EXPORT_VERSION, exportedAt: exportedAt.toISOString(), request, ...(status ? { status } : {}) };
}

const invalid = (field: string, message: string) => new AppError('TICKET_INVALID', `The import is not valid: ${message}`, { data: { fields: [{ field, message }] } });

/**
 * The raw request inside an import: either an export document, or a bare request form object (what
 * a web form posts). The request itself is validated by the caller, like any other ticket.
 */
export function requestFromImport(doc: unknown): unknown {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalid('(document)', 'The file must hold one JSON object: a ticket export or a request form.');
  const d = doc as Record<string, unknown>;
  if (d.kind === undefined) return doc;
  if (d.kind !== TICKET_EXPORT_KIND) throw invalid('kind', `"${String(d.kind)}" is not a ticket export (expected "${TICKET_EXPORT_KIND}").`);
  if (d.version !== TICKET_EXPORT_VERSION) throw invalid('version', `Ticket export version ${String(d.version)} is not supported; this bench reads version ${TICKET_EXPORT_VERSION}.`);
  if (d.request === undefined) throw invalid('request', 'The export has no request.');
  return d.request;
}

/** Parses JSON text with a technician's sentence instead of a SyntaxError. */
export function parseTicketJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid('(document)', `${source} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
}
