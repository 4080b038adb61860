// `roundtrip audit verify|list`: check the hash-chained audit trail, or read it.
import { AppError } from '../../api/errors.ts';
import type { AuditEntry, AuditVerdict } from '../../tickets/audit.ts';
import { call } from '../engine-client.ts';
import { flagString, type Verb } from '../verb.ts';

const USAGE = `roundtrip audit <sub-verb> [--json]
  verify                       check that no entry was edited, removed or reordered (exit 1 if one was)
  list [--ticket ID] [--action NAME] [--limit N]`;

export const verb: Verb = {
  name: 'audit',
  summary: 'verify or list the audit trail',
  usage: USAGE,
  async run(args) {
    const sub = args.positional[0];
    if (sub === 'verify') {
      const v = (await call('audit.verify', {})) as unknown as AuditVerdict;
      if (v.ok) {
        const head = v.head === 'missing' ? ' (no head record yet: entries cut from the end could not be detected)' : v.head === 'behind' ? ' (the head record lags the last entry; a write was interrupted)' : '';
        return { json: v, human: `Audit trail intact: ${v.entries} entries${head}.` };
      }
      return { json: v, human: `AUDIT_TAMPERED: ${v.message} (kind: ${v.kind})`, exitCode: 1 };
    }
    if (sub === 'list') {
      const ticket = flagString(args, 'ticket');
      const limit = flagString(args, 'limit');
      if (limit !== undefined && !/^\d+$/.test(limit)) throw new AppError('BAD_INPUT', '--limit is a whole number of entries.');
      const action = flagString(args, 'action');
      const entries = (await call('audit.list', { ...(ticket ? { ticketId: ticket } : {}), ...(action ? { action } : {}), ...(limit ? { limit: Number(limit) } : {}) })) as unknown as AuditEntry[];
      return {
        json: entries,
        human: entries.length
          ? entries.map((e) => `${String(e.seq).padStart(5)} ${e.at.slice(0, 19).replace('T', ' ')} ${e.actor.padEnd(12)} ${e.action}${e.ticketId ? ` [${e.ticketId}]` : ''} ${JSON.stringify(e.details)}`).join('\n')
          : 'The audit trail is empty.',
      };
    }
    throw new AppError('BAD_INPUT', `${sub ? `"${sub}" is not an audit sub-verb. ` : ''}Usage:\n${USAGE}`);
  },
};
