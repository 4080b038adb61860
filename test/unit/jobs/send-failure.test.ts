// How an ended `zfs send` is read. On OpenZFS the sender writes the stream itself, so a receiver
// that refused the stream kills it by SIGPIPE; that must read as the receiving side's doing
// (TARGET_GONE, which the sync then explains by the receiver's own error), not as a send failure.
// zfs-fuse's sender never dies that way (its daemon writes the stream), hence this pure test.
import { describe, it, expect } from 'vitest';
import { sendFailure } from '../../../electron/system/zfs/stream.ts';

describe('the outcome of zfs send', () => {
  it('reads a sender killed by SIGPIPE as the receiving side gone, not as a send failure', () => {
    const e = sendFailure({ signal: 'SIGPIPE', stderr: '' }, 'tank/a@1');
    expect(e?.code).toBe('TARGET_GONE');
    expect(e?.detail).toContain('SIGPIPE');
  });

  it('reads "Broken pipe" on stderr the same way', () => {
    expect(sendFailure({ exitCode: 1, stderr: "warning: cannot send 'tank/a@1': Broken pipe" }, 'tank/a@1')?.code).toBe('TARGET_GONE');
  });

  it('names a point removed during the run, and keeps other failures as send failures', () => {
    expect(sendFailure({ exitCode: 1, stderr: "cannot open 'tank/a@1': dataset does not exist" }, 'tank/a@1')?.code).toBe('SOURCE_POINT_GONE');
    const other = sendFailure({ exitCode: 1, stderr: 'internal error' }, 'tank/a@1');
    expect(other?.code).toBe('ZFS_SEND_FAILED');
    expect(other?.message).toContain('tank/a@1');
  });

  it('says nothing of a send that ended well', () => {
    expect(sendFailure({ exitCode: 0, stderr: '' }, 'tank/a@1')).toBeNull();
  });
});
