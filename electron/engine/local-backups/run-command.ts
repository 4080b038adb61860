// Runs the bench's pause or resume command (an argument array from the settings) through the
// command runner, with a timeout, and says how it went in a technician's words. Never throws: the
// caller decides what a failure means (a failed pause stops the sync; a failed resume does not).
import { isAppError } from '../../api/errors.ts';
import { run } from '../../system/run.ts';
import { commandText } from '../../tickets/model/local-backups-text.ts';

/** A pause or resume that takes longer than this is stopped and counts as failed. */
export const LOCAL_BACKUPS_COMMAND_TIMEOUT_MS = 120_000;

export interface CommandOutcome {
  ok: boolean;
  /** "/usr/bin/x a b" as a technician reads it. */
  command: string;
  /** Why it failed, in words (exit code, timeout, missing program, its first line of output). */
  why?: string;
}

export async function runLocalBackupsCommand(what: 'pause' | 'resume', argv: readonly string[]): Promise<CommandOutcome> {
  const command = commandText(argv);
  const [cmd, ...args] = argv;
  try {
    const r = await run(cmd!, args, {
      op: `${what} the appliance's local backups`,
      timeoutMs: LOCAL_BACKUPS_COMMAND_TIMEOUT_MS,
      anyExit: true,
      zfsLock: 'none',
    });
    if (r.exitCode === 0 && !r.timedOut) return { ok: true, command };
    const said = `${r.stderr}\n${r.stdout}`.trim().split('\n')[0]?.slice(0, 200);
    const why = r.timedOut ? `it did not finish within ${LOCAL_BACKUPS_COMMAND_TIMEOUT_MS / 1000} seconds and was stopped` : `it exited with code ${r.exitCode}`;
    return { ok: false, command, why: said ? `${why}: ${said}` : why };
  } catch (e) {
    return { ok: false, command, why: isAppError(e) && e.code === 'TOOL_MISSING' ? `the program ${cmd} is not on this machine` : isAppError(e) ? e.message : String(e) };
  }
}
