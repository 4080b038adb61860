// The probe that chooses where the SMTP password lives: the OS keyring only with both secret-tool
// on the PATH and a D-Bus session bus, else the engine's memory (and the words say which).
import { describe, expect, it } from 'vitest';
import { PASS_NOTE, probeKeyring } from '../../../electron/tickets/notify/smtp-secret.ts';

const found = (tool: string, path: string | undefined) => (tool === 'secret-tool' && path?.includes('/usr/bin') ? '/usr/bin/secret-tool' : null);

describe('probeKeyring', () => {
  it('uses the keyring with the tool and a session bus', () => {
    expect(probeKeyring({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/0/bus', PATH: '/usr/bin' }, found)).toBe('keyring');
  });
  it('keeps the password in memory without a session bus, without the tool, or when told to', () => {
    expect(probeKeyring({ PATH: '/usr/bin' }, found)).toBe('memory');
    expect(probeKeyring({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/0/bus', PATH: '/opt/none' }, found)).toBe('memory');
    expect(probeKeyring({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/0/bus', PATH: '/usr/bin', ROUNDTRIP_SMTP_KEYRING: 'off' }, found)).toBe('memory');
  });
  it('says in words where the password lives', () => {
    expect(PASS_NOTE.memory).toBe('The password is held in memory until the engine stops: enter it again after a restart.');
    expect(PASS_NOTE.keyring).toMatch(/OS keyring/);
  });
});
