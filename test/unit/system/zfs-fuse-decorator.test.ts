// What zfs-fuse's decorator makes of its lockers' exits (the codes run() used to read itself), and
// the commands it leaves alone. The locks themselves: test/integration/system/zfs-lock.flock-zpool.test.ts.
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../../electron/api/errors.ts';
import { zfsFuseDecorator } from '../../../electron/system/zfs-fuse/decorator.ts';

const locker = { cmd: '/usr/bin/perl', args: ['-e', 'locker'] };
const exit = (over: Partial<Parameters<typeof zfsFuseDecorator.exited>[0]>) =>
  zfsFuseDecorator.exited({ cmd: 'mount', args: ['-t', 'ext4'], zfsLock: 'exclusive', spawned: locker, exitCode: 0, stderr: '', op: 'mount a volume', ...over });

describe('zfs-fuse decorator', () => {
  it('refuses a mount whose lock was not free in time as ZFS_BUSY, never run', () => {
    const r = exit({ exitCode: 75 });
    expect(r).toMatchObject({ note: 'zfs lock not free in time; not run' });
    const e = (r as { refused: AppError }).refused;
    expect(e.code).toBe('ZFS_BUSY');
    expect(e.message).toBe('ZFS stayed busy with another command for minutes, so RoundTrip Bench did not mount a volume.');
    // A shared holder never waits with a deadline: 75 is the command's own exit there.
    expect(exit({ cmd: 'zpool', args: ['list'], zfsLock: undefined, exitCode: 75 })).toBeNull();
  });

  it('says the tool is missing when the locker could not start it, and leaves other exits to the command', () => {
    expect(exit({ exitCode: 127, stderr: 'locker: failed to execute mount: No such file or directory' })).toBe('missing');
    expect(exit({ exitCode: 127, stderr: 'mount: something else' })).toBeNull();
    expect(exit({ exitCode: 32 })).toBeNull();
    // Not started through a locker (perl missing): every exit is the command's.
    expect(exit({ spawned: { cmd: 'mount', args: ['-t', 'ext4'] }, exitCode: 75 })).toBeNull();
  });

  it('leaves commands that take no lock, and streams other than a receive, as they are', () => {
    expect(zfsFuseDecorator.command('ls', ['-l'], undefined)).toEqual({ cmd: 'ls', args: ['-l'] });
    expect(zfsFuseDecorator.command('zpool', ['list'], 'none')).toEqual({ cmd: 'zpool', args: ['list'] });
    expect(zfsFuseDecorator.stream('zfs', ['send', 'p/a@1'])).toEqual({ cmd: 'zfs', args: ['send', 'p/a@1'] });
    expect(zfsFuseDecorator.stream('ssh', ['host', 'zfs', 'receive'])).toEqual({ cmd: 'ssh', args: ['host', 'zfs', 'receive'] });
  });
});
