// The CLI host: `roundtrip <verb> ... [--json]`. One JSON document on stdout with --json,
// human text otherwise; errors on stderr as "CODE: sentence" with a non-zero exit code.
import { toAppError } from '../api/errors.ts';
import { logLine } from '../system/log.ts';
import { parseArgv } from './parse-argv.ts';
import { loadVerb, loadVerbs } from './verbs/index.ts';
import { startEngine } from '../engine/start.ts';

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function main(argv: string[]): Promise<number> {
  startEngine('cli');
  const { verb: name, args } = parseArgv(argv, readAllStdin);
  if (!name || name === 'help' || name === '--help') {
    const verbs = await loadVerbs();
    const lines = verbs.map((v) => `  ${v.name.padEnd(12)} ${v.summary}`);
    process.stdout.write(`usage: roundtrip <verb> [options] [--json]\n\n${lines.join('\n')}\n`);
    return name ? 0 : 1;
  }
  const verb = await loadVerb(name);
  try {
    if (!verb) {
      const { AppError } = await import('../api/errors.ts');
      throw new AppError('UNKNOWN_VERB', `"${name}" is not a roundtrip command. Run "roundtrip help" for the list.`);
    }
    if (args.flags.help === true) {
      process.stdout.write(`usage: ${verb.usage}\n`);
      return 0;
    }
    const res = await verb.run(args);
    process.stdout.write(args.json ? JSON.stringify(res.json, null, 2) + '\n' : res.human.endsWith('\n') ? res.human : res.human + '\n');
    return res.exitCode ?? 0;
  } catch (e) {
    const err = toAppError(e);
    logLine('error', { verb: name, code: err.code, message: err.message, detail: err.detail, step: err.step });
    if (args.json) process.stdout.write(JSON.stringify({ error: err.toJSON() }, null, 2) + '\n');
    process.stderr.write(`${err.code}: ${err.message}${err.hint ? `\n  ${err.hint}` : ''}\n`);
    return 2;
  }
}
