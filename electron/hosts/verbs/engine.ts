// `roundtrip engine --stdio`: the engine as a child process speaking JSON lines (hosts/stdio.ts).
import { AppError } from '../../api/errors.ts';
import { flagBool, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'engine',
  summary: 'run the engine on stdin/stdout as JSON lines (for the Electron app\'s privileged side)',
  usage: 'roundtrip engine --stdio [--no-drive-events] [--read-only]',
  async run(args) {
    if (!flagBool(args, 'stdio')) throw new AppError('BAD_INPUT', 'Say how to talk to the engine: "roundtrip engine --stdio".');
    const { runStdioEngine } = await import('../stdio.ts');
    const code = await runStdioEngine({ driveEvents: !flagBool(args, 'no-drive-events'), readOnly: flagBool(args, 'read-only') });
    // Nothing more on stdout: it carries the protocol alone.
    process.exit(code);
  },
};
