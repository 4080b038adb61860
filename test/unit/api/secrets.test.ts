// Secret fields are marked in the contract and redacted by schema, wherever they sit.
import { describe, expect, it } from 'vitest';
import { methods } from '../../../electron/api/contract.ts';
import { hasSecrets, redactSecrets, REDACTED } from '../../../electron/api/secrets.ts';

describe('secret fields in the contract', () => {
  it('marks exactly the methods that carry passphrases or the SMTP password', () => {
    const withSecrets = Object.entries(methods)
      .filter(([, s]) => hasSecrets(s.params))
      .map(([m]) => m)
      .sort();
    expect(withSecrets).toEqual(['jobs.resume', 'jobs.start', 'merge.preview', 'plan.forTicket', 'tickets.settings', 'units.checkPassphrase']);
  });

  it('redacts a sync job\'s passphrases, a merge\'s and an unlock\'s passphrase, and nothing else', () => {
    const p = methods['jobs.start'].params;
    const sync = { kind: 'sync', params: { ticketId: 'T1000001', drives: ['/dev/sdb'], passphrases: { 'ENC-DB01': 'correct horse' } } };
    expect(redactSecrets(p, sync)).toEqual({ kind: 'sync', params: { ticketId: 'T1000001', drives: ['/dev/sdb'], passphrases: REDACTED } });
    const merge = { kind: 'merge', params: { device: '/dev/sdc', into: 'tank/agents', passphrase: 'hunter2' } };
    expect(JSON.stringify(redactSecrets(p, merge))).not.toContain('hunter2');
    const unlock = { kind: 'unlock', params: { dataset: 'tank/agents/ENC-DB01', passphrase: 'p@ss' } };
    expect(redactSecrets(p, unlock)).toEqual({ kind: 'unlock', params: { dataset: 'tank/agents/ENC-DB01', passphrase: REDACTED } });
    const format = { kind: 'format', params: { devices: ['/dev/sdb'], layout: 'zfs', label: 'T1' } };
    expect(redactSecrets(p, format)).toEqual(format);
  });

  it('redacts the SMTP password inside a settings patch', () => {
    const v = { patch: { smtp: { host: 'h', port: 25, secure: false, from: 'a@b.c', user: 'u', pass: 'smtp-secret' } } };
    const r = redactSecrets(methods['tickets.settings'].params, v) as typeof v;
    expect(r.patch.smtp.pass).toBe(REDACTED);
    expect(r.patch.smtp.user).toBe('u');
  });

  it('refuses an unknown key in the SMTP patch (a mistyped password key), and takes null to remove the password', () => {
    const p = methods['tickets.settings'].params;
    expect(p.safeParse({ patch: { smtp: { host: 'h', port: 25, secure: false, from: 'a@b.c', passwd: 'S3cret-typo' } } }).success).toBe(false);
    expect(p.safeParse({ patch: { smtp: { host: 'h', port: 25, secure: false, from: 'a@b.c', pass: null } } }).success).toBe(true);
    expect(p.safeParse({ patch: { smtp: null } }).success).toBe(true);
  });
});

describe('errors about a request with secrets', () => {
  it('never name what lies under a secret field, such as a passphrase record key', async () => {
    const { dispatch } = await import('../../../electron/engine/dispatch.ts');
    const r = await dispatch({ id: 1, method: 'jobs.start', params: { kind: 'sync', params: { ticketId: '1000001', drives: [], passphrases: { 'my pass': 'word' } } } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('BAD_INPUT');
    expect(r.error.message).toContain('passphrases');
    expect(r.error.message).not.toContain('my pass');
    // Outside secrets the place is named in full.
    const d = await dispatch({ id: 2, method: 'units.inspect', params: { device: '/dev/../sda' } });
    expect(!d.ok && d.error.message).toMatch(/device: /);
  });
});
