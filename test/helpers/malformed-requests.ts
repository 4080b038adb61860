// Requests no engine may accept, for the fuzz tests of dispatch and of the stdio host: shaped like
// real ones with one field that can never be valid (traversal and shell characters in device and
// dataset names, negative and fractional numbers, wrong types, huge strings), any params with a key
// no strict schema takes (__proto__, constructor…), params that are not an object, unknown methods.
import fc from 'fast-check';
import { methods } from '../../electron/api/contract.ts';

export const METHODS = Object.keys(methods);
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
export const shaped = fc.oneof(
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
export const withNastyKey = fc.tuple(fc.constantFrom(...METHODS), fc.dictionary(fc.string(), fc.anything(), { maxKeys: 4 }), fc.constantFrom(...NASTY_KEYS), fc.jsonValue()).map(([method, params, key, value]) => {
  const p = JSON.parse(JSON.stringify(params) ?? '{}') as Record<string, unknown>;
  Object.defineProperty(p, key, { value, enumerable: true, configurable: true, writable: true });
  return { method, params: JSON.parse(JSON.stringify(p)) as unknown };
});
export const notAnObject = fc.tuple(fc.constantFrom(...METHODS), fc.oneof(fc.integer(), fc.string(), fc.array(fc.anything()), fc.boolean())).map(([method, params]) => ({ method, params }));
export const unknownMethod = fc.tuple(fc.string({ maxLength: 40 }).filter((m) => !METHODS.includes(m)), fc.anything()).map(([method, params]) => ({ method, params }));


/** One malformed request of any of the kinds above. */
export const malformedRequest = fc.oneof(shaped, withNastyKey, notAnObject, unknownMethod);
