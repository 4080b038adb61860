// 10,000 malformed requests straight into the engine's dispatch (the code every host runs): wrong
// types, huge strings, prototype keys, traversal and shell characters in device and dataset names,
// negative and fractional numbers. Each gets a typed error, none crashes, and the command runner
// sees not one external command: a refused request runs no tool.
import { describe, expect, it, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'rt-fuzz-home-'));
process.env.ROUNDTRIP_HOME = home;
afterAll(() => rmSync(home, { recursive: true, force: true }));

const { dispatch } = await import('../../../electron/engine/dispatch.ts');
const { methods } = await import('../../../electron/api/contract.ts');
const { observeCommands } = await import('../../../electron/system/command-observer.ts');

const METHODS = Object.keys(methods);
const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', '$(reboot)', '; rm -rf /', '../../etc'];
const badName = fc.oneof(
  fc.constantFrom('/dev/../sda', '/dev/sda; reboot', '/dev/$(id)', '/dev/`id`', '/dev/sd a', '-rf', '../../etc/passwd', 'tank/../../x', 'tank;zfs destroy -r tank', '|cat /etc/shadow', '\0', ''),
  fc.string().map((s) => `/dev/${s}/../${s}`),
  fc.string().map((s) => `${s};${s}`),
);
const badNumber = fc.oneof(fc.constant(-1), fc.constant(1.5), fc.constant(Number.MAX_SAFE_INTEGER * 4), fc.constant(-0.0001), fc.double({ noNaN: false }).filter((n) => !Number.isInteger(n) || n < 0));
const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 }), fc.string({ maxLength: 5 }));
const huge = fc.integer({ min: 1, max: 3 }).map((n) => 'A'.repeat(n * 1024 * 1024));

// Requests shaped like real ones, with one field that can never be valid.
const shaped = fc.oneof(
  badName.map((d) => ({ method: 'units.inspect', params: { device: d } })),
  badName.map((d) => ({ method: 'drives.eject', params: { devices: [d] } })),
  fc.tuple(badName, badName).map(([d, i]) => ({ method: 'merge.preview', params: { device: d, into: i } })),
  badName.map((d) => ({ method: 'jobs.start', params: { kind: 'format', params: { devices: [d], layout: 'zfs', label: 'T1000001' } } })),
  badName.map((d) => ({ method: 'jobs.start', params: { kind: 'sync', params: { ticketId: '1000001', drives: [d] } } })),
  badName.map((t) => ({ method: 'jobs.start', params: { kind: 'sync', params: { ticketId: t, drives: ['/dev/sdb'] } } })),
  badName.map((d) => ({ method: 'jobs.start', params: { kind: 'merge', params: { device: '/dev/sdb', into: d } } })),
  badName.map((d) => ({ method: 'jobs.start', params: { kind: 'unlock', params: { dataset: d, passphrase: 'x' } } })),
  badNumber.map((n) => ({ method: 'audit.list', params: { limit: n } })),
  badNumber.map((n) => ({ method: 'tickets.advance', params: { ticketId: '1000001', step: 'synced', bytes: n } })),
  badNumber.map((n) => ({ method: 'nas.pools', params: { nas: { host: 'nas', port: n, identityFile: '/k', knownHostsFile: '/h' } } })),
  wrongType.map((v) => ({ method: 'drives.list', params: { includeLoops: typeof v === 'boolean' ? String(v) : v } })),
  wrongType.map((v) => ({ method: 'jobs.cancel', params: { jobId: typeof v === 'string' ? `${v}/..` : v } })),
  huge.map((s) => ({ method: 'units.inspect', params: { device: `/dev/${s}` } })),
  huge.map((s) => ({ method: 'tickets.get', params: { ticketId: s } })),
);
// Anything at all for params, plus one key no strict schema takes.
const withNastyKey = fc.tuple(fc.constantFrom(...METHODS), fc.dictionary(fc.string(), fc.anything(), { maxKeys: 4 }), fc.constantFrom(...NASTY_KEYS), fc.jsonValue()).map(([method, params, key, value]) => {
  const p = JSON.parse(JSON.stringify(params) ?? '{}') as Record<string, unknown>;
  Object.defineProperty(p, key, { value, enumerable: true, configurable: true, writable: true });
  return { method, params: JSON.parse(JSON.stringify(p)) as unknown };
});
const notAnObject = fc.tuple(fc.constantFrom(...METHODS), fc.oneof(fc.integer(), fc.string(), fc.array(fc.anything()), fc.boolean())).map(([method, params]) => ({ method, params }));
const unknownMethod = fc.tuple(fc.string({ maxLength: 40 }).filter((m) => !METHODS.includes(m)), fc.anything()).map(([method, params]) => ({ method, params }));

describe('dispatch under 10,000 malformed requests (fast-check)', () => {
  it('answers every one with a typed error, crashes on none, and runs no external command', async () => {
    const commands: string[] = [];
    const stop = observeCommands((c) => commands.push(`${c.cmd} ${c.args.join(' ')}`));
    const codes = new Map<string, number>();
    try {
      await fc.assert(
        fc.asyncProperty(fc.oneof(shaped, withNastyKey, notAnObject, unknownMethod), fc.integer(), async (req, id) => {
          const res = await dispatch({ id, ...req } as never);
          if (res.ok) throw new Error(`accepted: ${JSON.stringify(req).slice(0, 300)}`);
          expect(res.id).toBe(id);
          expect(['BAD_INPUT', 'UNKNOWN_VERB']).toContain(res.error.code);
          expect(res.error.message).not.toMatch(/\n\s+at /);
          codes.set(res.error.code, (codes.get(res.error.code) ?? 0) + 1);
        }),
        { numRuns: 10_000 },
      );
    } finally {
      stop();
    }
    expect(commands).toEqual([]);
    expect(codes.get('BAD_INPUT')).toBeGreaterThan(1000);
    expect(codes.get('UNKNOWN_VERB')).toBeGreaterThan(100);
  }, 300_000);

  it('the command runner does see a request that is valid (the observer is not blind)', async () => {
    const commands: string[] = [];
    const stop = observeCommands((c) => commands.push(c.cmd));
    try {
      await dispatch({ id: 1, method: 'drives.list', params: {} });
    } finally {
      stop();
    }
    expect(commands.length).toBeGreaterThan(0);
  });
});
