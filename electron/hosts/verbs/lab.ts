// `roundtrip lab up|status|down [--dir DIR] [--json]`: the practice site.
import { AppError } from '../../api/errors.ts';
import { labUp } from '../../lab/build.ts';
import { labDown } from '../../lab/down.ts';
import type { LabStatus } from '../../lab/status.ts';
import { call } from '../engine-client.ts';
import { labAgentPassphrase } from '../../lab/passphrase.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

function describe(s: LabStatus): string {
  if (!s.state) return `No lab in ${s.dir}. Run "roundtrip lab up" to build one.`;
  const st = s.state;
  const lines = [
    `Lab ${st.id} in ${st.dir}: ${s.healthy ? 'up' : st.complete ? 'BROKEN (run lab down, then lab up)' : 'INCOMPLETE (run lab down, then lab up)'}`,
    `  appliance pool ${st.appliancePool} (serial ${st.applianceSerial}), offsite pool ${st.offsitePool}`,
    '  systems:',
    ...s.systems.map(
      (x) => `    ${x.name.padEnd(12)} ${x.kind.padEnd(9)} ${String(x.localPoints).padStart(4)} local, ${String(x.offsitePoints).padStart(3)} offsite${x.offsiteDataset ? '' : ' (no offsite copy)'}`,
    ),
    '  drives:',
    ...st.loops.map((l) => `    ${l.device.padEnd(12)} ${l.label.padEnd(14)} ${(l.sizeBytes / 1e9).toFixed(0)} GB`),
  ];
  if (st.systems.some((s) => s.kind === 'encrypted')) lines.push(`  encrypted agent passphrase (practice site only): ${labAgentPassphrase(st.id)}`);
  if (st.tickets.length) lines.push('  sample tickets:', ...st.tickets.map((t) => `    ${t.id}  ${t.title}`));
  return lines.join('\n');
}

export const verb: Verb = {
  name: 'lab',
  summary: 'build, show or remove the practice lab (appliance, offsite, blank drives)',
  usage: 'roundtrip lab up|status|down [--dir DIR] [--json]',
  async run(args) {
    const sub = args.positional[0];
    const dir = flagString(args, 'dir');
    if (sub === 'up') {
      const { created } = await labUp({ dir, onStep: args.json ? undefined : (s) => process.stderr.write(`lab: ${s}\n`) });
      // The lab is a client of the engine: it builds the site, then asks the engine what it sees.
      const status = (await call('lab.status', dir ? { dir } : {})) as unknown as LabStatus;
      if (flagBool(args, 'start')) {
        const { startApp } = await import('../start-app.ts');
        await startApp();
      }
      return { json: { created, ...status }, human: `${created ? 'Built' : 'Already up:'} ${describe(status)}` };
    }
    if (sub === 'status') {
      const status = (await call('lab.status', dir ? { dir } : {})) as unknown as LabStatus;
      return { json: status, human: describe(status), exitCode: status.up && !status.healthy ? 1 : 0 };
    }
    if (sub === 'down') {
      const r = await labDown({ dir });
      return {
        json: r,
        human: `Removed ${r.removed.pools.length} pool(s), ${r.removed.loops.length} loop device(s), ${r.removed.files.length} file(s).`,
      };
    }
    throw new AppError('BAD_INPUT', 'Say what to do with the lab: "lab up", "lab status" or "lab down".');
  },
};
