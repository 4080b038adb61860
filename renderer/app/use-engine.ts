// React's view of the engine: a call's answer as state (loading, answer, error, reload), events
// as effects, and the connection's status. Every screen reads the engine through these.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { EventData, EventName, MethodName, MethodParams, MethodResult } from '../../electron/api/contract.ts';
import { EngineError, type ClientStatus } from '../api/client.ts';
import { engine } from './engine.ts';

export interface CallState<T> {
  data: T | null;
  error: EngineError | null;
  loading: boolean;
  reload(): void;
}

/** Calls `method` with `params` (null: not yet) and again whenever `key` changes or `reload()` is called. */
export function useCall<M extends MethodName>(method: M, params: MethodParams<M> | null, key: unknown[] = []): CallState<MethodResult<M>> {
  const [data, setData] = useState<MethodResult<M> | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const [loading, setLoading] = useState(params !== null);
  const [tick, setTick] = useState(0);
  const paramsRef = useRef(params);
  paramsRef.current = params;
  const ready = params !== null;
  useEffect(() => {
    if (!paramsRef.current) return;
    let live = true;
    setLoading(true);
    engine
      .call(method, paramsRef.current)
      .then((r) => {
        if (!live) return;
        setData(r);
        setError(null);
      })
      .catch((e: unknown) => live && setError(asEngineError(e)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [method, ready, tick, ...key]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function useEvent<E extends EventName>(event: E, fn: (d: EventData<E>) => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => engine.on(event, (d) => ref.current(d)), [event]);
}

export function useEngineStatus(): ClientStatus {
  return useSyncExternalStore(
    (cb) => engine.onStatus(cb),
    () => engine.status,
  );
}

export function asEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  return new EngineError({ code: 'UI_ERROR', message: e instanceof Error ? e.message : String(e) });
}

/** Runs an engine call from a button: busy while it runs, its error kept for the screen to show. */
export function useAction<A extends unknown[], T>(fn: (...args: A) => Promise<T>): { run(...args: A): Promise<T | undefined>; busy: boolean; error: EngineError | null; clear(): void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  const ref = useRef(fn);
  ref.current = fn;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      return await ref.current(...args);
    } catch (e) {
      setError(asEngineError(e));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, clear: () => setError(null) };
}
