// electron-builder's configuration: an AppImage and a .deb for Linux. app.asar holds only the
// bundled shell (dist/electron) and the built renderer (dist/renderer); the engine ships beside it
// as resources/engine (staged by scripts/dist.mjs with node_modules for the system's node), run by
// /usr/bin/node through the wrapper and polkit policy this .deb installs (docs/electron.md).
import { afterPack } from './fuses.mjs';
import { debDepends, debRecommends } from './deb-tools.mjs';

export const config = {
  appId: 'com.roundtrip.bench',
  productName: 'RoundTrip Bench',
  executableName: 'roundtrip-bench',
  copyright: 'RoundTrip',
  directories: { output: 'dist/packages', buildResources: 'build' },
  files: ['dist/electron/**', 'dist/renderer/**', 'package.json', '!node_modules/**'],
  asar: true,
  npmRebuild: false,
  extraResources: [{ from: 'dist/engine', to: 'engine', filter: ['**/*'] }],
  afterPack,
  linux: {
    target: ['AppImage', 'deb'],
    category: 'System',
    icon: 'build/icons',
    maintainer: 'RoundTrip Bench <bench@roundtrip.invalid>',
    synopsis: 'Prepare, sync, verify, ship and merge back backup units on physical drives',
    desktop: {
      entry: {
        Name: 'RoundTrip Bench',
        Comment: 'Prepare, sync, verify and ship backup units',
        Categories: 'System;Utility;',
        Keywords: 'backup;zfs;drives;',
        StartupWMClass: 'RoundTrip Bench',
      },
    },
  },
  deb: {
    depends: debDepends(),
    recommends: debRecommends(),
    packageCategory: 'admin',
    priority: 'optional',
    afterInstall: 'build/deb/after-install.sh',
    afterRemove: 'build/deb/after-remove.sh',
    // Installed beside the app: the engine wrapper pkexec runs, and the policy that names it.
    fpm: [
      'build/deb/roundtrip-engine=/usr/lib/roundtrip-bench/roundtrip-engine',
      'build/polkit/com.roundtrip.bench.engine.policy=/usr/share/polkit-1/actions/com.roundtrip.bench.engine.policy',
    ],
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
};
