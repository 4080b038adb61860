// Sealed units (issue 21, docs/sealed-units.md): the sealed stream file format, its sealer and
// opener as Node streams, and the unit key wrapped by the unit passphrase. node:crypto only.
export * from './format.ts';
export * from './seal-stream.ts';
export * from './open-stream.ts';
export * from './scan.ts';
export * from './unit-key.ts';
