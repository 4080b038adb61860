// Request dispatch, the same for every host: validate the request against the contract, call the
// handler, check the answer against the result schema. Nothing runs for a request the contract
// refuses. Requests are logged with their secrets redacted.
import { AppError, toAppError } from '../api/errors.ts';
import { isMethod, methods, type MethodName } from '../api/contract.ts';
import type { RpcRequest, RpcResponse } from '../api/wire.ts';
import { redactSecrets } from '../api/secrets.ts';
import { logLine } from '../system/log.ts';
import { handlers } from './handlers.ts';

const QUIET = new Set<string>(['engine.ping', 'jobs.get', 'jobs.list']);

function issuesText(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || 'request'}: ${i.message}`)
    .join('; ');
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
    if (!parsed.success) throw new AppError('BAD_INPUT', `The request for ${name} is not valid: ${issuesText(parsed.error.issues)}.`);
    if (!QUIET.has(name)) logLine('request', { method: name, params: redactSecrets(spec.params, parsed.data) });
    const result = await (handlers[name] as (r: unknown) => Promise<unknown>)(parsed.data);
    const checked = spec.result.safeParse(result);
    if (!checked.success) {
      // The engine broke its own contract: a bug. Tests fail on it; a bench keeps working and logs it.
      logLine('error', { method: name, code: 'INTERNAL', message: 'result does not match the contract', detail: issuesText(checked.error.issues) });
      if (process.env.ROUNDTRIP_TEST === '1') throw new AppError('INTERNAL', `The engine's answer to ${name} does not match the contract: ${issuesText(checked.error.issues)}.`);
    }
    return { id, ok: true, result };
  } catch (e) {
    return { id, ok: false, error: toAppError(e).toJSON() };
  }
}
