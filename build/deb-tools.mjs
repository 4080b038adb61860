// The system tools the engine runs (through electron/system/run.ts's run()/spawnTool()), and the
// Debian package that provides each: the .deb depends on every one that is not Essential.
// test/unit/shell/packaging.test.ts finds every tool named in electron/ and fails on one missing here.
export const TOOL_PACKAGES = {
  zfs: 'zfsutils-linux | zfs-fuse',
  zpool: 'zfsutils-linux | zfs-fuse',
  // Only where zfs-fuse is the ZFS (a bench VM): its daemon is started by the engine.
  'zfs-fuse': 'zfsutils-linux | zfs-fuse',
  blkid: 'util-linux',
  blockdev: 'util-linux',
  lsblk: 'util-linux',
  wipefs: 'util-linux',
  losetup: 'mount',
  mount: 'mount',
  umount: 'mount',
  sfdisk: 'fdisk',
  sgdisk: 'gdisk',
  partprobe: 'parted',
  e2fsck: 'e2fsprogs',
  'mkfs.ext4': 'e2fsprogs',
  'mkfs.ntfs': 'ntfs-3g',
  ntfsfix: 'ntfs-3g',
  'ntfs-3g': 'ntfs-3g',
  'qemu-img': 'qemu-utils',
  smartctl: 'smartmontools',
  ssh: 'openssh-client',
  pgrep: 'procps',
  dd: 'coreutils',
  mkfifo: 'coreutils',
  sync: 'coreutils',
  truncate: 'coreutils',
  sh: 'dash',
  perl: 'perl-base',
};

/**
 * Tools the engine uses only where they are installed (it probes for them first): recommended by
 * the .deb, not required. secret-tool keeps the SMTP relay password in the desktop's keyring;
 * without it the engine holds it in memory (docs/settings.md).
 */
export const OPTIONAL_TOOL_PACKAGES = {
  'secret-tool': 'libsecret-tools',
};

/** Essential in Debian: always installed, never declared. */
export const ESSENTIAL = new Set(['coreutils', 'dash', 'perl-base', 'util-linux']);

/** What the window itself needs (electron-builder's own default list for a .deb) and the engine's runtime. */
export const BASE_DEPENDS = [
  'nodejs (>= 20)',
  'pkexec | policykit-1',
  'libgtk-3-0',
  'libnotify4',
  'libnss3',
  'libxss1',
  'libxtst6',
  'xdg-utils',
  'libatspi2.0-0',
  'libuuid1',
  'libsecret-1-0',
];

export function debRecommends() {
  return [...new Set(Object.values(OPTIONAL_TOOL_PACKAGES))].sort();
}

export function debDepends() {
  const tools = [...new Set(Object.values(TOOL_PACKAGES))].filter((p) => !ESSENTIAL.has(p));
  return [...BASE_DEPENDS, ...tools.sort()];
}
