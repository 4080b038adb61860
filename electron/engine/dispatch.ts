// Request dispatch, the same for every host: validate the request against the contract, call the
// handler, check the answer against the result schema. Nothing runs for a request the contract
// refuses. Requests are logged with their secrets redacted.
import { AppError, toAppError } from '../api/errors.ts';
import { isMethod, methods, type MethodName } from '../api/contract.ts';
import type { RpcRequest, RpcResponse } from '../api/wire.ts';
import type { z } from 'zod';
import { redactSecrets, visiblePath } from '../api/secrets.ts';
import { logLine } from '../system/log.ts';
import { handlers } from './handlers.ts';

const QUIET = new Set<string>(['engine.ping', 'jobs.get', 'jobs.list']);

/** The problems in words, each with its place; nothing below a secret field is named (visiblePath). */
function issuesText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, schema?: z.ZodType): string {
  return issues
    .slice(0, 5)
    .map((i) => `${(schema ? visiblePath(schema, i.path) : i.path).map(String).join('.') || 'request'}: ${i.message}`)
    .join('; ');
}

/**
 * The same problems per field, for a form (`data.fields`, as the ticket model gives them): an
 * unknown key is its own field ("patch.smtp.passwd"), its value never shown.
 */
function issueFields(issues: ReadonlyArray<{ path: PropertyKey[]; message: string; code?: string; keys?: string[] }>, schema: z.ZodType): Array<{ field: string; message: string }> {
  return issues.slice(0, 20).flatMap((i) => {
    const paths = i.code === 'unrecognized_keys' && i.keys?.length ? i.keys.map((k) => [...i.path, k]) : [i.path];
    return paths.map((p) => {
      const shown = visiblePath(schema, p);
      const unknown = i.code === 'unrecognized_keys' && shown.length === p.length;
      return { field: shown.map(String).join('.') || 'request', message: unknown ? `Unknown setting: ${String(p[p.length - 1])}.` : i.message };
    });
  });
}

export async function dispatch(req: RpcRequest): Promise<RpcResponse> {
  const id = req && (typeof req.id === 'number' || typeof req.id === 'string') ? req.id : null;
  try {
    if (!req || typeof req !== 'object' || typeof req.method !== 'string') throw new AppError('BAD_INPUT', 'A request is an object with an id, a method name and its params.');
    if (id === null) throw new AppError('BAD_INPUT', 'The request has no id (a number or a string).');
    if (!isMethod(req.method)) throw new AppError('UNKNOWN_VERB', `The engine has no method "${String(req.method).slice(0, 80)}".`);
    const name: MethodName = req.method;
    const spec = methods[name];
    const parsed = spec.params.safeParse(req.params ?? {});
    // Refused before it is logged: an invalid request's values (a password under a mistyped key)
    // reach no log line; the error names places, never values.
    if (!parsed.success)
      throw new AppError('BAD_INPUT', `The request for ${name} is not valid: ${issuesText(parsed.error.issues, spec.params)}.`, { data: { fields: issueFields(parsed.error.issues, spec.params) } });
    if (!QUIET.has(name)) logLine('request', { method: name, params: redactSecrets(spec.params, parsed.data) });
    const result = await (handlers[name] as (r: unknown) => Promise<unknown>)(parsed.data);
    // Under the tests every answer is checked against its result schema: an engine that broke its
    // own contract fails a test. A bench does not pay for the check on every answer.
    if (process.env.ROUNDTRIP_TEST === '1') {
      const checked = spec.result.safeParse(result);
      if (!checked.success) throw new AppError('INTERNAL', `The engine's answer to ${name} does not match the contract: ${issuesText(checked.error.issues)}.`);
    }
    return { id, ok: true, result };
  } catch (e) {
    return { id, ok: false, error: toAppError(e).toJSON() };
  }
}
