// `roundtrip engine --stdio`: the engine as a child process speaking JSON lines (hosts/stdio.ts).
import { AppError } from '../../api/errors.ts';
import { flagBool, flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'engine',
  summary: 'run the engine on stdin/stdout as JSON lines (for the Electron app\'s privileged side)',
  usage: 'roundtrip engine --stdio [--no-drive-events] [--read-only [--store DIR]]',
  async run(args) {
    if (!flagBool(args, 'stdio')) throw new AppError('BAD_INPUT', 'Say how to talk to the engine: "roundtrip engine --stdio".');
    // The read-only engine of the installed app reads the privileged engine's store (build/deb).
    const store = flagString(args, 'store');
    if (store !== undefined) {
      if (!flagBool(args, 'read-only')) throw new AppError('BAD_INPUT', '--store names another engine\'s store, which is only ever read: it goes with --read-only.');
      if (!store.startsWith('/')) throw new AppError('BAD_INPUT', `--store takes an absolute folder, not "${store}".`);
      process.env.ROUNDTRIP_HOME = store;
    }
    const { runStdioEngine } = await import('../stdio.ts');
    const code = await runStdioEngine({ driveEvents: !flagBool(args, 'no-drive-events'), readOnly: flagBool(args, 'read-only') });
    // Nothing more on stdout: it carries the protocol alone.
    process.exit(code);
  },
};
