// The engine's method implementations, keyed by contract name.
import type { MethodName, MethodRequest } from '../api/contract.ts';
import { probeZfs } from '../system/zfs/probe.ts';
import { labStatus } from '../lab/status.ts';

type Handlers = { [M in MethodName]: (req: MethodRequest<M>) => Promise<unknown> };

export const handlers: Handlers = {
  'engine.ping': async () => ({ pong: true, pid: process.pid }),
  'zfs.probe': async () => probeZfs(),
  'lab.status': async (req) => labStatus({ dir: req.dir }),
};
