// Request dispatch: validate against the contract, then call the handler. Same for every host.
import { AppError, toAppError } from '../api/errors.ts';
import { methods, type MethodName, type RpcRequest, type RpcResponse } from '../api/contract.ts';
import { handlers } from './handlers.ts';

export async function dispatch(req: RpcRequest): Promise<RpcResponse> {
  try {
    if (!Object.hasOwn(methods, req.method)) throw new AppError('UNKNOWN_VERB', `The engine has no method "${req.method}".`);
    const name = req.method as MethodName;
    const parsed = methods[name].safeParse(req.params ?? {});
    if (!parsed.success) {
      throw new AppError('BAD_INPUT', `The request for ${name} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}.`);
    }
    const result = await handlers[name](parsed.data as never);
    return { id: req.id, ok: true, result };
  } catch (e) {
    return { id: req.id, ok: false, error: toAppError(e).toJSON() };
  }
}
