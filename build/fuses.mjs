// The Electron fuses of the packaged app, flipped in its binary after packing (electron-builder's
// afterPack hook): no running as plain Node (ELECTRON_RUN_AS_NODE), no NODE_OPTIONS, no
// --inspect, cookies encrypted, the app loaded only from its ASAR archive and that archive's
// integrity checked, no extra privileges for file://.
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';
import { join } from 'node:path';

export const fuseConfig = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/** electron-builder's afterPack: the packed Linux binary gets the fuses above. */
export async function afterPack(context) {
  const binary = join(context.appOutDir, context.packager.executableName);
  await flipFuses(binary, fuseConfig);
}
