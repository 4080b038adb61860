// Loop devices over (sparse) files: the lab's drives and the tests' scratch disks.
import { AppError } from '../api/errors.ts';
import { run } from './run.ts';

export interface LoopDevice {
  device: string;
  backingFile: string;
  readOnly: boolean;
}

/** Attach a file as a loop device with partition scanning (-P). */
export async function attachLoop(file: string, opts: { readOnly?: boolean } = {}): Promise<string> {
  const args = ['-f', '--show', '-P'];
  if (opts.readOnly) args.push('-r');
  args.push(file);
  const r = await run('losetup', args, { op: `attach ${file} as a loop device` });
  const dev = r.stdout.trim();
  if (!/^\/dev\/loop\d+$/.test(dev)) throw new AppError('TOOL_FAILED', `losetup did not name a loop device for ${file}.`, { detail: r.stdout });
  return dev;
}

export async function detachLoop(device: string): Promise<void> {
  if (!/^\/dev\/loop\d+$/.test(device)) throw new AppError('BAD_INPUT', `${device} is not a loop device.`);
  await run('losetup', ['-d', device], { op: `detach ${device}`, okCodes: [1] });
}

/** Every loop device with its backing file (`losetup -J`). */
export async function listLoops(): Promise<LoopDevice[]> {
  const r = await run('losetup', ['-J', '-l'], { op: 'list loop devices' });
  if (!r.stdout.trim()) return [];
  const j = JSON.parse(r.stdout) as { loopdevices: Array<{ name: string; 'back-file': string | null; ro: boolean | string }> };
  return j.loopdevices.map((l) => ({
    device: l.name,
    backingFile: (l['back-file'] ?? '').replace(/ \(deleted\)$/, ''),
    readOnly: l.ro === true || l.ro === '1',
  }));
}

export async function loopsForFile(file: string): Promise<string[]> {
  return (await listLoops()).filter((l) => l.backingFile === file).map((l) => l.device);
}
