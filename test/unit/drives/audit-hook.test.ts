// Destructive drive actions reach every listener (the engine wires the audit trail as one), and a
// failing listener is logged, never thrown: a broken ticket database does not stop a confirmed erase.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onDestructive, recordDestructive, type DestructiveAction } from '../../../electron/drives/audit-hook.ts';
import { useTempHome } from '../../helpers/temp-home.ts';

describe('destructive-action listeners (log under a temp ROUNDTRIP_HOME)', () => {
  const home = useTempHome('rt-hook-');

  it('logs the action, calls each listener in turn, and survives one that fails', async () => {
    const seen: string[] = [];
    const offs = [
      onDestructive(async (a) => {
        seen.push(`first ${a.action} ${a.details.device}`);
      }),
      onDestructive(() => {
        throw new Error('ticket database is gone');
      }),
      onDestructive((a) => {
        seen.push(`last ${a.ticketId}`);
      }),
    ];
    const erase: DestructiveAction = { action: 'drive.erase', ticketId: 'T1', details: { device: '/dev/sdx' } };
    await recordDestructive(erase);
    expect(seen).toEqual(['first drive.erase /dev/sdx', 'last T1']);
    const log = readFileSync(join(home, 'logs', 'engine.log'), 'utf8');
    expect(log).toContain('"kind":"audit","action":"drive.erase","actor":"engine","ticketId":"T1","device":"/dev/sdx"');
    expect(log).toContain('"failed":"Error: ticket database is gone"');

    for (const off of offs) off();
    await recordDestructive(erase);
    expect(seen).toHaveLength(2);
  });
});
