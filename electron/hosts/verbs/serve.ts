// `roundtrip serve [--port N]`: the engine for a browser on this machine.
import { serve } from '../serve.ts';
import { flagString, type Verb } from '../verb.ts';

export const verb: Verb = {
  name: 'serve',
  summary: 'run the engine for a browser on this machine (prints the address with its token)',
  usage: 'roundtrip serve [--port N]',
  async run(args) {
    const port = flagString(args, 'port');
    const h = await serve({ port: port ? Number(port) : undefined });
    process.stdout.write(`Open ${h.url}\n`);
    await new Promise(() => {});
    return { json: {}, human: '' };
  },
};
