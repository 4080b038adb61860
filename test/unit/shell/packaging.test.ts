// The packaging configuration without building: electron-builder's own validation (its JSON
// schema, scheme.json) accepts it, the targets are an AppImage and a .deb, and the .deb depends
// on a package for every system tool the engine runs (found in electron/ by what is passed to
// run(), spawnTool() and hasTool()).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const load = async (p: string): Promise<any> => import(pathToFileURL(join(root, p)).href);
const require = createRequire(join(root, 'package.json'));

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The literal command names given to run()/spawnTool()/hasTool() in files that import them from system/run.ts. */
function toolsTheEngineRuns(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const f of tsFiles(join(root, 'electron'))) {
    const src = readFileSync(f, 'utf8');
    if (!/from '(\.\.?\/)+(system\/)?run\.ts'/.test(src) && !f.endsWith('system/run.ts')) continue;
    for (const m of src.matchAll(/\b(?:run|spawnTool|hasTool)\(\s*'([a-z0-9._-]+)'/g)) found.set(m[1], [...(found.get(m[1]) ?? []), f.slice(root.length + 1)]);
  }
  return found;
}

describe('the electron-builder configuration', () => {
  it('passes electron-builder\'s own schema validation, and a wrong key does not', async () => {
    const { config } = await load('build/electron-builder.config.mjs');
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, targets: 'deb' } }, new DebugLogger(false))).rejects.toThrow(/configuration/i);
  });

  it('builds an AppImage and a .deb, with the fuses hook, icons, a desktop entry, the engine wrapper and the polkit policy', async () => {
    const { config } = await load('build/electron-builder.config.mjs');
    const { afterPack } = await load('build/fuses.mjs');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.asar).toBe(true);
    expect(config.afterPack).toBe(afterPack);
    expect(config.linux.desktop.entry).toMatchObject({ Name: 'RoundTrip Bench', Categories: expect.stringContaining('System') });
    for (const s of [16, 32, 48, 64, 128, 256, 512]) {
      const png = readFileSync(join(root, config.linux.icon, `${s}x${s}.png`));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([s, s]);
    }
    const fpm: string[] = config.deb.fpm;
    const installed = new Map(fpm.map((x) => x.split('=') as [string, string]));
    for (const src of installed.keys()) expect(existsSync(join(root, src)), src).toBe(true);
    const policy = readFileSync(join(root, 'build/polkit/com.roundtrip.bench.engine.policy'), 'utf8');
    const execPath = /org\.freedesktop\.policykit\.exec\.path">([^<]+)</.exec(policy)?.[1];
    const { ENGINE_WRAPPER } = await import('../../../electron/shell/engine-launch.ts');
    // pkexec matches the policy by the program it runs: the wrapper, where the .deb puts it.
    expect(execPath).toBe(ENGINE_WRAPPER);
    expect(installed.get('build/deb/roundtrip-engine')).toBe(ENGINE_WRAPPER);
    expect([...installed.values()]).toContain('/usr/share/polkit-1/actions/com.roundtrip.bench.engine.policy');
    // The wrapper runs exactly `engine --stdio`: it passes on no argument it is given.
    const wrapper = readFileSync(join(root, 'build/deb/roundtrip-engine'), 'utf8');
    expect(wrapper).toMatch(/exec \/usr\/bin\/node "[^"]+\/resources\/engine\/bin\/roundtrip\.mjs" engine --stdio\n/);
    expect(wrapper).not.toMatch(/\$@|\$\*|\$1/);
  });

  it('declares in the .deb a package for every tool the engine runs, and the tools the issue names', async () => {
    const { config } = await load('build/electron-builder.config.mjs');
    const { TOOL_PACKAGES, OPTIONAL_TOOL_PACKAGES, ESSENTIAL } = await load('build/deb-tools.mjs');
    const depends: string[] = config.deb.depends;
    const recommends: string[] = config.deb.recommends;
    const tools = toolsTheEngineRuns();
    expect(tools.size).toBeGreaterThan(15);
    const unmapped = [...tools.keys()].filter((t) => !(t in TOOL_PACKAGES) && !(t in OPTIONAL_TOOL_PACKAGES)).map((t) => `${t} (${tools.get(t)!.join(', ')})`);
    expect(unmapped).toEqual([]);
    // A tool the engine probes for before using it is recommended, not required.
    for (const t of Object.keys(OPTIONAL_TOOL_PACKAGES)) expect(recommends, `${t} → ${OPTIONAL_TOOL_PACKAGES[t]}`).toContain(OPTIONAL_TOOL_PACKAGES[t]);
    for (const t of tools.keys()) {
      if (t in OPTIONAL_TOOL_PACKAGES) continue;
      const pkg = TOOL_PACKAGES[t];
      if (!ESSENTIAL.has(pkg)) expect(depends, `${t} → ${pkg}`).toContain(pkg);
    }
    for (const p of ['zfsutils-linux | zfs-fuse', 'ntfs-3g', 'parted', 'gdisk', 'e2fsprogs', 'qemu-utils', 'smartmontools', 'openssh-client', 'nodejs (>= 20)']) expect(depends).toContain(p);
  });
});
