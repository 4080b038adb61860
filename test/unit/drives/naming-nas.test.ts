import { describe, expect, it } from 'vitest';
import { assertUnitLabel, driveFsLabel, unitPoolName } from '../../../electron/drives/naming.ts';
import { quoteRemote, remoteCommand, sshArgs } from '../../../electron/drives/nas.ts';
import { assertPoolName } from '../../../electron/system/zfs/names.ts';

describe('unit names', () => {
  it('derives a valid pool name from the ticket, with a suffix per run', () => {
    const a = unitPoolName('T-12345.ACME', 'a1b2c3');
    expect(a).toBe('rt_T_12345_ACME_a1b2c3');
    expect(assertPoolName(a)).toBe(a);
    expect(unitPoolName('T-12345.ACME', 'ffee00')).not.toBe(a);
    expect(unitPoolName('x'.repeat(200), 'abcd12').length).toBeLessThanOrEqual(48);
    expect(unitPoolName('---', 'abcd12')).toBe('rt_unit_abcd12');
  });
  it('labels several drives apart within the filesystem limit', () => {
    expect(driveFsLabel('T12345-ACME', 0, 1, 16)).toBe('T12345-ACME');
    expect(driveFsLabel('T12345-ACMECORPORATION', 1, 2, 16)).toBe('T12345-ACMECOR-2');
    expect(driveFsLabel('T12345-ACMECORPORATION', 1, 2, 16).length).toBe(16);
  });
  it('refuses labels a shell or a filesystem would mangle', () => {
    expect(() => assertUnitLabel('T1; rm -rf /')).toThrow(/cannot be a drive label/);
    expect(() => assertUnitLabel('')).toThrow();
    expect(assertUnitLabel('T12345-ACME')).toBe('T12345-ACME');
  });
});

describe('NAS remote commands', () => {
  it('quotes every word and refuses words a remote shell could misread', () => {
    expect(remoteCommand(['zfs', 'receive', '-F', 'tank/rt/agent1'])).toBe("LC_ALL=C 'zfs' 'receive' '-F' 'tank/rt/agent1'");
    for (const bad of ['a b', "x'y", 'a;b', '$(id)', '`id`', 'a\nb', 'a|b', '']) expect(() => quoteRemote(bad)).toThrow(/cannot be sent to a NAS/);
  });
  it('builds ssh arguments that never prompt and check the host key against the given file', () => {
    const a = sshArgs({ host: '127.0.0.1', port: 2222, identityFile: '/k/id', knownHostsFile: '/k/known' });
    expect(a).toContain('BatchMode=yes');
    expect(a).toContain('StrictHostKeyChecking=yes');
    expect(a).toContain('UserKnownHostsFile=/k/known');
    expect(a.slice(-2)).toEqual(['--', '127.0.0.1']);
    expect(a[a.indexOf('-p') + 1]).toBe('2222');
    expect(a[a.indexOf('-l') + 1]).toBe('root');
  });
  it('refuses host names that look like options or carry symbols', () => {
    for (const host of ['-oProxyCommand=x', 'a b', 'h;id']) {
      expect(() => sshArgs({ host, identityFile: '/k/id', knownHostsFile: '/k/known' })).toThrow(/NAS address is not valid/);
    }
    expect(() => sshArgs({ host: 'nas1', identityFile: '/k/my id', knownHostsFile: '/k/known' })).toThrow(/spaces/);
  });
});
