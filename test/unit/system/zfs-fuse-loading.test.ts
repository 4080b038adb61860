// zfs-fuse's workarounds load only where zfs-fuse runs: the flavor decides from what the machine
// shows, and with OpenZFS a fresh process that loads the whole ZFS layer and installs what its
// flavor needs has loaded no module of the zfs-fuse folder, and run() has no decorator.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { zfsFlavorFrom } from '../../../electron/system/zfs/flavor.ts';

const root = join(import.meta.dirname, '..', '..', '..');

// A resolve hook in the fresh process writes down every module of the zfs-fuse folder it loads.
const HOOK = `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  if (r.url.includes('/electron/system/zfs-fuse/')) appendFileSync(process.env.RT_LOADED_LOG, r.url.split('/electron/system/')[1] + '\\n');
  return r;
}`;
const CHILD = `import { register } from 'node:module';
import { register as tsx } from 'tsx/esm/api';
register('data:text/javascript,' + encodeURIComponent(process.env.RT_HOOK));
tsx();
await import('./electron/system/zfs/index.ts');
const { useZfsCommandDecorator } = await import('./electron/system/zfs/flavor.ts');
const { commandDecorator } = await import('./electron/system/run.ts');
await useZfsCommandDecorator(process.argv[1]);
console.log(commandDecorator() ? 'decorated' : 'as given');`;

/** What a fresh process that believes this flavor loads of the zfs-fuse folder, and whether run() has a decorator then. */
async function freshProcess(flavor: 'openzfs' | 'zfs-fuse'): Promise<{ loaded: string[]; run: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rt-zfsfuse-loading-'));
  try {
    const log = join(dir, 'loaded');
    const r = await execa(process.execPath, ['--input-type=module', '-e', CHILD, flavor], { cwd: root, env: { RT_HOOK: HOOK, RT_LOADED_LOG: log } });
    let loaded: string[] = [];
    try {
      loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    } catch {
      /* nothing loaded */
    }
    return { loaded: [...new Set(loaded)].sort(), run: r.stdout.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('zfs-fuse loaded only for zfs-fuse', () => {
  it('tells the flavor from the OpenZFS module and the zfs-fuse program', () => {
    expect(zfsFlavorFrom({ openZfsModule: true, zfsFuseOnPath: true })).toBe('openzfs');
    expect(zfsFlavorFrom({ openZfsModule: true, zfsFuseOnPath: false })).toBe('openzfs');
    expect(zfsFlavorFrom({ openZfsModule: false, zfsFuseOnPath: false })).toBe('openzfs');
    expect(zfsFlavorFrom({ openZfsModule: false, zfsFuseOnPath: true })).toBe('zfs-fuse');
  });

  it('with OpenZFS, a fresh process loads nothing of the zfs-fuse folder and run() starts commands as given', async () => {
    expect(await freshProcess('openzfs')).toEqual({ loaded: [], run: 'as given' });
  });

  it('with zfs-fuse, it loads the decorator and its locks', async () => {
    expect(await freshProcess('zfs-fuse')).toEqual({ loaded: ['zfs-fuse/decorator.ts', 'zfs-fuse/lock.ts', 'zfs-fuse/receive-lock.ts'], run: 'decorated' });
  });

  it('is imported outside its folder only where zfs-fuse is chosen: the flavor (decorator) and ensureZfs (daemon), at run time', () => {
    const importers: string[] = [];
    for (const f of sources(join(root, 'electron'))) {
      if (f.includes('/system/zfs-fuse/')) continue;
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        if ((m[1] ?? m[2]).includes('zfs-fuse/')) importers.push(`${relative(root, f)} ${m[1] ? 'static' : 'dynamic'} ${m[1] ?? m[2]}`);
      }
    }
    expect(importers.sort()).toEqual(['electron/system/zfs/daemon.ts dynamic ../zfs-fuse/daemon.ts', 'electron/system/zfs/flavor.ts dynamic ../zfs-fuse/decorator.ts']);
    expect(readFileSync(join(root, 'electron/system/run.ts'), 'utf8')).not.toMatch(/zfs-fuse/i);
  });
});
