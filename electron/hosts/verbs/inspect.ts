// `roundtrip inspect DEV [--json]`: what a unit says about itself, read from the drive alone.
import { AppError } from '../../api/errors.ts';
import type { UnitOnDrive } from '../../jobs/unit.ts';
import { call } from '../engine-client.ts';
import type { Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'inspect',
  summary: 'read a unit\'s metadata and manifest from the drive alone',
  usage: 'roundtrip inspect DEV [--json]',
  async run(args) {
    const dev = args.positional[0];
    if (!dev) throw new AppError('BAD_INPUT', 'Name the unit\'s drive: roundtrip inspect /dev/sdX');
    const u = (await call('units.inspect', { device: dev })) as unknown as Pick<UnitOnDrive, 'device' | 'metadata' | 'manifest'>;
    const m = u.manifest;
    const human = [
      `Unit ${u.metadata.unitId} (${u.metadata.layout}), label ${u.metadata.label}, drive ${u.metadata.drive.index} of ${u.metadata.drive.count}`,
      m
        ? `Ticket ${m.ticketId}, appliance ${m.applianceSerial ?? '-'}, ${m.direction}, synced ${m.endedAt}; manifest checksum ok\n` +
          (m.sealed
            ? `  Sealed: ${m.sealed.files.length} encrypted stream file(s); its systems and points are read with the unit passphrase (roundtrip verify ${dev} --unit-passphrase-stdin).`
            : m.systems.map((s) => `  ${s.system.padEnd(14)} ${String(s.points.length).padStart(4)} point(s): ${s.points[0]?.name ?? '-'} … ${s.points.at(-1)?.name ?? '-'}`).join('\n'))
        : 'No manifest: no sync finished on this unit.',
    ].join('\n');
    return { json: { device: u.device, metadata: u.metadata, manifest: m }, human };
  },
};
