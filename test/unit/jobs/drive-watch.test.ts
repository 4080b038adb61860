// The drive watch that ends a job whose unit was pulled, even when ZFS itself would wait forever.
import { describe, it, expect } from 'vitest';
import { AppError } from '../../../electron/api/errors.ts';
import { untilAborted, watchDrives } from '../../../electron/jobs/drive-watch.ts';

const never = new Promise<never>(() => undefined);

describe('drive watch', () => {
  it('ends a job stuck on a command once a drive is gone, naming the drive', async () => {
    // No such block device: exactly what /sys shows once a USB drive is pulled.
    const w = watchDrives(['/dev/rt-no-such-drive'], undefined, 'Plug it in again.', 20);
    const err = await untilAborted(never, w.signal, 'cancelled').catch((e) => e);
    w.stop();
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('TARGET_GONE');
    expect(err.message).toContain('/dev/rt-no-such-drive');
    expect(err.hint).toBe('Plug it in again.');
  });

  it('says CANCELLED when the technician cancels, and lets finished work through untouched', async () => {
    const ctl = new AbortController();
    const w = watchDrives([], ctl.signal, undefined, 20);
    await expect(untilAborted(Promise.resolve(7), w.signal, 'The sync was cancelled.')).resolves.toBe(7);
    const pending = untilAborted(never, w.signal, 'The sync was cancelled.');
    ctl.abort();
    const err = await pending.catch((e) => e);
    w.stop();
    expect(err.code).toBe('CANCELLED');
    expect(err.message).toBe('The sync was cancelled.');
  });

  it('keeps the work\'s own error when it fails before any abort', async () => {
    const w = watchDrives([], undefined, undefined, 20);
    const err = await untilAborted(Promise.reject(new AppError('TARGET_FULL', 'full')), w.signal, 'x').catch((e) => e);
    w.stop();
    expect(err.code).toBe('TARGET_FULL');
  });
});
