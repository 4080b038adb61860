// The contract's names refuse what could reach a tool as something else: "..", shell characters,
// option-looking names; and accept what a bench really has.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dataset, Device, TicketRef } from '../../../electron/api/schemas/common.ts';

describe('device, dataset and ticket names', () => {
  it('accepts real names', () => {
    for (const d of ['/dev/sdb', '/dev/loop12', '/dev/nvme0n1', '/dev/disk/by-id/usb-WD_Elements_25A3-0:0', '/dev/mapper/rt-x']) expect(Device.safeParse(d).success, d).toBe(true);
    for (const d of ['tank', 'tank/agents/WIN-FS01', 'rt_1000001_ab12/LNX-WEB01']) expect(Dataset.safeParse(d).success, d).toBe(true);
    expect(TicketRef.safeParse('T1234567').success).toBe(true);
  });

  it('refuses traversal, shell characters and options', () => {
    for (const d of ['/dev/../sda', '/dev/./sda', '/dev/sdb; reboot', '/dev/$(id)', '/dev/sd b', 'sdb', '/etc/passwd', '/dev/', '-/dev/sdb', '/dev/sdb\n']) expect(Device.safeParse(d).success, d).toBe(false);
    for (const d of ['-o', 'tank/../etc', 'tank;rm', 'tank/$(x)', '', '/tank', 'tank//a']) expect(Dataset.safeParse(d).success, d).toBe(false);
  });

  it('never accepts a device path with a shell metacharacter or a ".." part', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(';', '|', '&', '$', '`', ' ', '\n', '..', '>', '<', '*', '"', "'"), fc.string(), (a, bad, b) => {
        const s = `/dev/${a}${bad === '..' ? '/../' : bad}${b}`;
        return !Device.safeParse(s).success;
      }),
      { numRuns: 2000 },
    );
  });
});
