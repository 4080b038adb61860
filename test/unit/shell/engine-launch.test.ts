// Which command starts the app's engine: directly as root, through pkexec and the .deb's wrapper
// otherwise (the policy matches that path), the checkout's entry under pkexec without it, and
// the read-only engine as the user; pkexec's 126 and 127 before a first answer mean "refused".
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_WRAPPER, earlyExitMeaning, engineLaunch, INSTALLED_STORE, readOnlyLaunch } from '../../../electron/shell/engine-launch.ts';

describe('the engine launch', () => {
  it('runs the engine directly as root', () => {
    expect(engineLaunch({ isRoot: true, engineRoot: '/opt/app/resources/engine', wrapperExists: () => true })).toEqual({
      cmd: 'node',
      args: ['/opt/app/resources/engine/bin/roundtrip.mjs', 'engine', '--stdio'],
      elevated: false,
    });
  });
  it('asks pkexec for the wrapper, with no argument, when the .deb installed it', () => {
    expect(engineLaunch({ isRoot: false, engineRoot: '/x', wrapperExists: (p) => p === ENGINE_WRAPPER })).toEqual({ cmd: 'pkexec', args: [ENGINE_WRAPPER], elevated: true });
  });
  it('asks pkexec for the system node and the checkout without it', () => {
    expect(engineLaunch({ isRoot: false, engineRoot: '/src', wrapperExists: () => false })).toEqual({
      cmd: 'pkexec',
      args: ['/usr/bin/node', '/src/bin/roundtrip.mjs', 'engine', '--stdio'],
      elevated: true,
    });
  });
  it('runs the read-only engine as the user: in a checkout on the same home, installed on the privileged engine\'s store', () => {
    expect(readOnlyLaunch({ engineRoot: '/src', wrapperExists: () => false })).toEqual({ cmd: 'node', args: ['/src/bin/roundtrip.mjs', 'engine', '--stdio', '--read-only'], elevated: false });
    expect(readOnlyLaunch({ engineRoot: '/opt/app/resources/engine', wrapperExists: (p) => p === ENGINE_WRAPPER })).toEqual({
      cmd: 'node',
      args: ['/opt/app/resources/engine/bin/roundtrip.mjs', 'engine', '--stdio', '--read-only', '--store', INSTALLED_STORE],
      elevated: false,
    });
    // The store it reads is the one the installed wrapper gives the privileged engine.
    const wrapper = readFileSync(join(import.meta.dirname, '..', '..', '..', 'build', 'deb', 'roundtrip-engine'), 'utf8');
    expect(wrapper).toContain(`export ROUNDTRIP_HOME=${INSTALLED_STORE}\n`);
  });
  it('reads an exit before the first answer: pkexec\'s refusals, anything else a death', () => {
    const elevated = { cmd: 'pkexec', args: [], elevated: true };
    expect(earlyExitMeaning(elevated, 126)).toBe('refused');
    expect(earlyExitMeaning(elevated, 127)).toBe('refused');
    expect(earlyExitMeaning(elevated, 1)).toBe('died');
    expect(earlyExitMeaning({ ...elevated, elevated: false }, 126)).toBe('died');
  });
});
