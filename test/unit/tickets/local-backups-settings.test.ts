// R9's bench settings: the pause and resume commands are argument arrays, checked the same way by
// the ticket model (the settings screen) and the contract (what a client may send); the sentences
// a plan and a job's log show for them.
import { describe, expect, it } from 'vitest';
import { methods } from '../../../electron/api/contract.ts';
import { TicketSettingsPatchSchema } from '../../../electron/tickets/model/settings-schema.ts';
import { commandText, localBackupsPlanSentence } from '../../../electron/tickets/model/local-backups-text.ts';

const contract = methods['tickets.settings'].params;
const both = (localBackups: unknown) => [TicketSettingsPatchSchema.safeParse({ localBackups }), contract.safeParse({ patch: { localBackups } })];
const messages = (localBackups: unknown) => (TicketSettingsPatchSchema.safeParse({ localBackups }).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('local backups settings (R9)', () => {
  it('takes a pause and a resume command as program + arguments, or null for none', () => {
    const ok = { pause: ['/usr/local/bin/appliance-backups', 'pause', '--reason', 'sync to a drive'], resume: ['/usr/local/bin/appliance-backups', 'resume'] };
    for (const r of both(ok)) expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    expect(TicketSettingsPatchSchema.parse({ localBackups: ok }).localBackups).toEqual(ok);
    for (const r of both(null)) expect(r.success).toBe(true);
    expect(TicketSettingsPatchSchema.parse({}).localBackups).toBeUndefined();
  });

  it('refuses a shell string, an empty program, a NUL, a line break, too many or too long parts, and a pause without its resume', () => {
    const resume = ['/usr/bin/true'];
    const bad: Array<[unknown, RegExp]> = [
      [{ pause: '/usr/bin/backups pause', resume }, /pause: A command is a list/],
      [{ pause: [], resume }, /pause: A command needs at least its program/],
      [{ pause: ['  ', 'pause'], resume }, /pause: The first part of a command is its program/],
      [{ pause: ['/usr/bin/backups', 'pa\0use'], resume }, /pause\.1: .*NUL/],
      [{ pause: ['/usr/bin/backups', 'pause\nrm -rf /'], resume }, /pause\.1: .*line break/],
      [{ pause: ['/usr/bin/backups', 'x'.repeat(4097)], resume }, /pause\.1: .*at most 4096/],
      [{ pause: Array.from({ length: 65 }, () => '/usr/bin/x'), resume }, /pause: A command may have at most 64 parts/],
      [{ pause: ['/usr/bin/backups', 7], resume }, /pause\.1: Each part of a command must be text/],
      [{ pause: ['/usr/bin/backups', 'pause'] }, /resume: /],
      [{ pause: resume, resume, shell: true }, /shell/],
    ];
    for (const [value, why] of bad) {
      for (const r of both(value)) expect(r.success, JSON.stringify(value).slice(0, 80)).toBe(false);
      expect(messages(value).join(' | ')).toMatch(why);
    }
  });

  it('says in the plan what a sync will do: configured and chosen, chosen otherwise, or not configured', () => {
    const commands = { pause: ['/usr/local/bin/appliance-backups', 'pause', 'for a sync'], resume: ['/usr/local/bin/appliance-backups', 'resume'] };
    expect(localBackupsPlanSentence(commands, true)).toBe(
      'Local backups will pause during the sync and resume after it (pause: /usr/local/bin/appliance-backups pause "for a sync"; resume: /usr/local/bin/appliance-backups resume).',
    );
    expect(localBackupsPlanSentence(commands, false)).toBe('Local backups keep running during the sync: the technician chose not to pause them.');
    expect(localBackupsPlanSentence(null, true)).toBe('No pause command is configured on this bench: the appliance keeps taking local backups during the sync.');
    expect(commandText(['/bin/echo', '', "it's"])).toBe('/bin/echo "" "it\'s"');
  });
});
