// The ZFS layer: one import for the rest of the engine.
export * from './names.ts';
export * from './flavor.ts';
export * from './daemon.ts';
export * from './list.ts';
export * from './pool.ts';
export * from './dataset.ts';
export * from './snapshot.ts';
export * from './props.ts';
export * from './stream.ts';
export * from './probe.ts';
export * from './replicate.ts';
export * from './stream-size.ts';
