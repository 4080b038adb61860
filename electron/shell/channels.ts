// The IPC channels between the preload and the main process. Pure: both sides import it.
export const CHANNELS = {
  /** invoke(method, params) → the engine's answer ({ ok, result } or { ok, error }). */
  call: 'roundtrip:call',
  /** main → window: { event, data }, every event the engine pushes. */
  event: 'roundtrip:event',
  /** main → window: the engine's state (EngineState). */
  state: 'roundtrip:state',
  /** invoke() → the engine's state now. */
  getState: 'roundtrip:get-state',
  /** invoke() → starts the privileged engine again after a refusal or a death. */
  retry: 'roundtrip:retry',
} as const;

/** Where the engine stands, as the window shows it. */
export interface EngineState {
  state: 'starting' | 'running' | 'refused' | 'died' | 'stopped';
  /** A sentence for the technician when the engine is not running. */
  message: string | null;
  /** The privileged engine is not running and a read-only one answers tickets and plans meanwhile. */
  readOnly?: boolean;
}
