// Which command starts the engine child. As root: the engine directly. Otherwise through pkexec,
// which asks for an administrator's password and runs the program as root; its polkit policy
// (build/polkit/com.roundtrip.bench.engine.policy) matches the wrapper installed by the .deb,
// /usr/lib/roundtrip-bench/roundtrip-engine, which runs exactly `engine --stdio` and takes no
// arguments, so an authorization cannot be stretched to another verb. Without the wrapper (a
// development checkout, an AppImage alone) pkexec is given node and the checkout's bin/roundtrip.mjs
// and asks under polkit's generic action. Plain data: the relay runs it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ENGINE_WRAPPER = '/usr/lib/roundtrip-bench/roundtrip-engine';

export interface EngineLaunch {
  cmd: string;
  args: string[];
  /** pkexec exits 126 when the password dialog is dismissed and 127 when not authorized. */
  elevated: boolean;
}

export interface LaunchContext {
  isRoot: boolean;
  /** The folder holding bin/roundtrip.mjs (the checkout, or the packaged resources/engine). */
  engineRoot: string;
  /** node for the engine: Electron's own binary cannot serve once the RunAsNode fuse is off. */
  node?: string;
  wrapperExists?: (path: string) => boolean;
}

export function engineLaunch(c: LaunchContext): EngineLaunch {
  const node = c.node ?? 'node';
  const direct = [join(c.engineRoot, 'bin', 'roundtrip.mjs'), 'engine', '--stdio'];
  if (c.isRoot) return { cmd: node, args: direct, elevated: false };
  const wrapper = (c.wrapperExists ?? existsSync)(ENGINE_WRAPPER);
  if (wrapper) return { cmd: 'pkexec', args: [ENGINE_WRAPPER], elevated: true };
  return { cmd: 'pkexec', args: [node === 'node' ? '/usr/bin/node' : node, ...direct], elevated: true };
}

/** What an exit of the child before its first answer means. */
export function earlyExitMeaning(launch: EngineLaunch, exitCode: number | undefined): 'refused' | 'died' {
  return launch.elevated && (exitCode === 126 || exitCode === 127) ? 'refused' : 'died';
}

/** Where the installed privileged engine keeps its store (build/deb/roundtrip-engine's ROUNDTRIP_HOME). */
export const INSTALLED_STORE = '/var/lib/roundtrip-bench';

/**
 * The read-only engine: the user's own process, no elevation (engine-pair.ts). Installed, it reads
 * the privileged engine's store; in a checkout both use the same home anyway.
 */
export function readOnlyLaunch(c: Pick<LaunchContext, 'engineRoot' | 'node' | 'wrapperExists'>): EngineLaunch {
  const installed = (c.wrapperExists ?? existsSync)(ENGINE_WRAPPER);
  return { cmd: c.node ?? 'node', args: [join(c.engineRoot, 'bin', 'roundtrip.mjs'), 'engine', '--stdio', '--read-only', ...(installed ? ['--store', INSTALLED_STORE] : [])], elevated: false };
}
