// Stable error codes and the AppError that carries them. Pure: the renderer imports it too.
// A code is a word scripts can match on; the message is a sentence for a technician;
// `detail` keeps raw tool output for the log and is never shown as the message.

export type ErrorCode =
  // input and names
  | 'BAD_INPUT'
  | 'BAD_NAME'
  | 'NOT_FOUND'
  | 'UNKNOWN_VERB'
  | 'NOT_ROOT'
  | 'CANCELLED'
  | 'INTERNAL'
  // external tools
  | 'TOOL_MISSING'
  | 'TOOL_FAILED'
  // zfs
  | 'ZFS_DAEMON'
  | 'ZFS_NO_POOL'
  | 'ZFS_NO_DATASET'
  | 'ZFS_EXISTS'
  | 'ZFS_BUSY'
  | 'ZFS_NO_SPACE'
  | 'ZFS_RECEIVE_REFUSED'
  | 'ZFS_SEND_FAILED'
  | 'ZFS_NO_COMMON_POINT'
  | 'ZFS_UNSUPPORTED'
  // lab
  | 'LAB_NOT_UP'
  | 'LAB_BROKEN'
  // drives
  | 'DRIVE_SYSTEM'
  | 'DRIVE_MOUNTED'
  | 'DRIVE_SOURCE_POOL'
  | 'DRIVE_READONLY'
  | 'DRIVE_TOO_SMALL'
  | 'DRIVE_BUSY'
  | 'DRIVE_GONE'
  | 'DRIVE_NOT_FOUND'
  | 'DRIVE_NEEDS_CONFIRMATION'
  | 'DRIVE_IN_POOL'
  | 'NAS_UNREACHABLE'
  // tickets
  | 'TICKET_INVALID'
  | 'TICKET_NOT_FOUND'
  | 'TICKET_BAD_TRANSITION'
  | 'AUDIT_TAMPERED'
  | 'NOTIFY_FAILED'
  // chain and plan
  | 'CHAIN_BAD_SELECTION'
  | 'CHAIN_BAD_LOCK'
  | 'PLAN_TOO_BIG'
  // jobs
  | 'TARGET_FULL'
  | 'TARGET_GONE'
  | 'SOURCE_POINT_GONE'
  | 'VERIFY_MISMATCH'
  | 'MANIFEST_INVALID'
  | 'JOB_NOT_FOUND'
  | 'JOB_STATE'
  | 'JOB_BUSY'
  // a sync's pause of the appliance's local backups (R9)
  | 'LOCAL_BACKUPS_PAUSE_FAILED'
  | 'MESSAGE_TOO_LARGE'
  // the desktop app's engine child: not started (elevation refused) or gone
  | 'ENGINE_UNREACHABLE'
  | 'ENGINE_READ_ONLY'
  // merge
  | 'MERGE_NEWER_POINTS'
  | 'MERGE_NO_COMMON_POINT'
  | 'MERGE_UNIT_DAMAGED'
  | 'MERGE_SYSTEM_FAILED'
  | 'AGENT_NOT_ENCRYPTED'
  | 'PASSPHRASE_WRONG'
  | 'PASSPHRASE_NEEDED'
  | 'KEY_RECORD_DAMAGED'
  // sealed units (electron/seal/)
  | 'SEALED_CHUNK_TAMPERED'
  | 'SEALED_STREAM_TRUNCATED'
  | 'SEALED_STREAM_FOREIGN'
  | 'UNIT_PASSPHRASE_WRONG'
  | 'UNIT_PASSPHRASE_NEEDED'
  // unsealing a sealed unit's images into a folder (jobs/sealed/unseal.ts)
  | 'UNSEAL_TARGET_EXISTS'
  | 'UNSEAL_FOLDER_FULL'
  | 'UNSEAL_FOLDER_UNWRITABLE'
  // a sealed image export's staging folder on the bench (jobs/files/sealed-images.ts)
  | 'STAGING_FULL'
  // a sync's protection at rest (engine/unit-protection.ts)
  | 'PROTECTION_NOT_CHOSEN'
  | 'PROTECTION_UNAVAILABLE';

export interface AppErrorInit {
  /** Raw tool output or other evidence, for the log only. */
  detail?: string;
  /** The named step a job was in when this happened. */
  step?: string;
  /** What the technician should do next. */
  hint?: string;
  /** Structured facts a UI or script can use (field names, point lists, ...). */
  data?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  readonly step?: string;
  readonly hint?: string;
  readonly data?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, init: AppErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'AppError';
    this.code = code;
    this.detail = init.detail;
    this.step = init.step;
    this.hint = init.hint;
    this.data = init.data;
  }

  /** The shape sent over every transport (CLI --json, WebSocket, IPC). No stack, ever. */
  toJSON(): SerializedError {
    return {
      code: this.code,
      message: this.message,
      ...(this.step ? { step: this.step } : {}),
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.data ? { data: this.data } : {}),
    };
  }
}

export interface SerializedError {
  code: ErrorCode;
  message: string;
  step?: string;
  hint?: string;
  data?: Record<string, unknown>;
}

/** An error that came over a transport, as an AppError again (its code, sentence, step, hint, data). */
export function fromSerialized(e: Omit<SerializedError, 'code'> & { code: string }): AppError {
  return new AppError(e.code as ErrorCode, e.message, { step: e.step, hint: e.hint, data: e.data });
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Anything thrown becomes an AppError; unknown failures become INTERNAL with a plain sentence. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new AppError('INTERNAL', 'Something unexpected went wrong inside RoundTrip Bench. The details are in the log.', {
    detail,
    cause: e,
  });
}
