// The offsite side of a plan read three ways, through the CLI a technician uses, on the shared lab:
// from the offsite pool on this bench, from the same pool on "another ZFS host" over a real sshd on
// 127.0.0.1 (own keys, own known_hosts), and from an offsite audit list (CSV). The ssh plan must
// equal the local one point for point (matched by GUID); the audit list finds the same locks by
// name; a host that does not answer, and a reverse ticket whose offsite copy is not on this bench,
// are refused with their codes. The lab's pools are unchanged afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { makeScratch, type Scratch } from '../../helpers/scratch.ts';
import { sharedLab } from '../../helpers/shared-lab.ts';
import { startSshd, type TestSshd } from '../../helpers/sshd.ts';
import { cli, createTicket, labFingerprint } from '../../helpers/units.ts';
import { fileTicket } from '../files/helpers.ts';
import type { LabState } from '../../../electron/lab/state.ts';
import { zfsCmd } from '../../helpers/zfs-cmd.ts';

const home = mkdtempSync(join(tmpdir(), 'rt-offsite-home-'));
process.env.ROUNDTRIP_HOME = home;

describe('the offsite side of a plan: local pool, another ZFS host over ssh, an audit list', () => {
  let lab: LabState;
  let s: Scratch;
  let sshd: TestSshd;
  let before: unknown;
  const hostFlags = () => ['--offsite-host', '127.0.0.1', '--offsite-port', String(sshd.port), '--offsite-identity', sshd.nas.identityFile, '--offsite-known-hosts', sshd.nas.knownHostsFile];
  const plan = async (ticket: string, flags: string[]) => {
    const r = await cli(home, ['plan', '--ticket', ticket, '--source', lab.appliancePool, ...flags, '--json']);
    return { r, json: r.exitCode === 0 ? JSON.parse(r.stdout) : JSON.parse(r.stdout).error };
  };
  /** What a plan says per system, without the figures that depend on how sizes were read. */
  const shape = (p: any) => p.systems.map((x: any) => ({ system: x.system, lock: x.lock, base: x.base, points: x.points, sends: x.sends, full: x.full, fullReason: x.fullReason }));

  beforeAll(async () => {
    s = makeScratch('offsite-sides');
    lab = await sharedLab();
    before = await labFingerprint(lab);
    sshd = await startSshd(s.dir);
    // Agents with an offsite copy: everything newer than the lock; the share (none offsite): all of it.
    const everything = { kind: 'range', from: '2000-01-01', to: '2100-01-01' };
    createTicket(lab, '1000301', { systems: lab.systems.map((x) => ({ name: x.name, points: x.offsiteDataset ? { kind: 'newer-than-lock' } : everything })) });
  }, 600_000);

  afterAll(async () => {
    await sshd?.stop();
    await s?.cleanup();
    rmSync(home, { recursive: true, force: true });
  }, 120_000);

  it('reads the offsite points over ssh and plans exactly as with the offsite pool on this bench', async () => {
    const local = await plan('1000301', ['--offsite', lab.offsitePool]);
    expect(local.r.exitCode, local.r.stderr).toBe(0);
    const remote = await plan('1000301', ['--offsite', lab.offsitePool, ...hostFlags()]);
    expect(remote.r.exitCode, remote.r.stderr).toBe(0);
    expect(shape(remote.json)).toEqual(shape(local.json));
    expect(remote.json.totalBytes).toBe(local.json.totalBytes);
    // Both ZFS sides: matched by GUID. Agents with an offsite copy have a lock; the share has none.
    for (const sys of lab.systems) {
      const p = remote.json.systems.find((x: any) => x.system === sys.name);
      if (sys.offsiteDataset) {
        expect(p.matchedBy, sys.name).toBe('guid');
        expect(p.lock, sys.name).not.toBeNull();
      } else {
        expect(p.lock, sys.name).toBeNull();
        expect(p.full, sys.name).toBe(true);
      }
    }
  });

  it('finds the same locks by name from an offsite audit list, and says which systems the list lacks', async () => {
    const local = await plan('1000301', ['--offsite', lab.offsitePool]);
    // The list an offsite team would export: system, point time, size, for every offsite point.
    const withOffsite = lab.systems.filter((x) => x.offsiteDataset);
    const rows: string[] = [];
    for (const sys of withOffsite) {
      const r = await zfsCmd('zfs', ['get', '-Hp', '-d', '1', '-o', 'name,value', 'referenced', sys.offsiteDataset!]);
      for (const line of r.stdout.split('\n').filter((l) => l.includes('@'))) {
        const [name, size] = line.split('\t');
        rows.push(`${sys.name},${name.split('@')[1]},${size}`);
      }
    }
    const write = (name: string, lines: string[]) => {
      const file = join(s.dir, name);
      writeFileSync(file, ['system,point time,size', ...lines].join('\n') + '\n');
      return file;
    };
    const audited = await plan('1000301', ['--offsite-audit', write('offsite-audit.csv', rows)]);
    expect(audited.r.exitCode, audited.r.stderr).toBe(0);
    for (const sys of withOffsite) {
      const a = audited.json.systems.find((x: any) => x.system === sys.name);
      const l = local.json.systems.find((x: any) => x.system === sys.name);
      expect(a.matchedBy, sys.name).toBe('name');
      expect([a.lock, a.points], sys.name).toEqual([l.lock, l.points]);
    }

    // A list that lacks one system: "newer than the lock" cannot be planned for it, and says why.
    const left = withOffsite[0];
    const partial = write('offsite-audit-partial.csv', rows.filter((r) => !r.startsWith(`${left.name},`)));
    const refused = await plan('1000301', ['--offsite-audit', partial]);
    expect(refused.json.code, refused.r.stdout).toBe('CHAIN_BAD_SELECTION');
    expect(refused.json.message).toContain(left.name);
    // Asked for a range instead, its first point goes in full, and the plan warns about the list.
    createTicket(lab, '1000303', { systems: [{ name: left.name, points: { kind: 'range', from: '2000-01-01', to: '2100-01-01' } }] });
    const full = await plan('1000303', ['--offsite-audit', partial]);
    expect(full.r.exitCode, full.r.stderr).toBe(0);
    expect(full.json.systems[0].lock).toBeNull();
    expect(full.json.systems[0].full).toBe(true);
    expect(full.json.warnings.join('\n')).toContain(`${left.name} is not in the offsite audit list`);
  });

  it('refuses clearly: an offsite host that does not answer, a root that is not there, a reverse ticket whose offsite copy is elsewhere, two offsite sides', async () => {
    await sshd.stop();
    try {
      const off = await plan('1000301', ['--offsite', lab.offsitePool, ...hostFlags()]);
      expect(off.r.exitCode).toBe(2);
      expect(off.json.code, off.r.stdout).toBe('NAS_UNREACHABLE');
      expect(off.r.stderr).toMatch(/does not answer over ssh/);
    } finally {
      await sshd.start();
    }
    const absent = await plan('1000301', ['--offsite', `${lab.offsitePool}/no-such-root`, ...hostFlags()]);
    expect(absent.json.code, absent.r.stdout).toBe('ZFS_NO_DATASET');
    expect(absent.json.message).toContain('127.0.0.1');

    const agent = lab.systems.find((x) => x.offsiteDataset)!;
    fileTicket('1000302', { format: { filesystem: 'zfs', layout: 'datasets' }, applianceSerial: lab.applianceSerial, systems: [{ name: agent.name, points: { kind: 'range', from: '2000-01-01', to: '2100-01-01' } }] });
    const rev = await plan('1000302', ['--offsite', lab.offsitePool, ...hostFlags()]);
    expect(rev.json.code, rev.r.stdout).toBe('BAD_INPUT');
    expect(rev.json.message).toMatch(/reverse RoundTrip sends from the offsite copy, which is on 127\.0\.0\.1/);

    const both = await plan('1000301', ['--offsite', lab.offsitePool, '--offsite-audit', join(s.dir, 'offsite-audit.csv')]);
    expect(both.json.code, both.r.stdout).toBe('BAD_INPUT');
  });

  it('left the lab\'s systems as they were', async () => {
    expect(Object.keys(before as object).length).toBeGreaterThan(lab.systems.length);
    expect(await labFingerprint(lab)).toEqual(before);
  });
});
