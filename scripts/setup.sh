#!/usr/bin/env bash
# Installs what RoundTrip Bench needs on Debian 12 / Ubuntu, as root, and nothing that is already there.
# Used by "npm run lab" and "npm test". Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "RoundTrip Bench setup needs root (it installs packages, makes loop devices and ZFS pools)." >&2
  exit 1
fi

need=()
have() { command -v "$1" >/dev/null 2>&1; }
# OpenZFS when present; otherwise Debian's zfs-fuse.
if ! have zfs || ! have zpool; then need+=(zfs-fuse); fi
have ntfs-3g || need+=(ntfs-3g)
have mkfs.ntfs || need+=(ntfs-3g)
have parted || need+=(parted)
have sgdisk || need+=(gdisk)
# Debian 12 ships sfdisk in its own package, no longer in util-linux.
have sfdisk || need+=(fdisk)
have wipefs || need+=(util-linux)
have lsblk || need+=(util-linux)
have ntfsfix || need+=(ntfs-3g)
have debugfs || need+=(e2fsprogs)
have filefrag || need+=(e2fsprogs)
have perl || need+=(perl)
have mkfs.ext4 || need+=(e2fsprogs)
have qemu-img || need+=(qemu-utils)
have ssh || need+=(openssh-client)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
have chromium || need+=(chromium)
# The UI tests read a label PDF the way a person would: rendered (poppler) and scanned (zbar).
have pdftoppm || need+=(poppler-utils)
have pdftotext || need+=(poppler-utils)
have zbarimg || need+=(zbar-tools)
have smartctl || need+=(smartmontools)
have fsfreeze || need+=(util-linux)
# Tests count a file's pages in the page cache (fincore: util-linux-extra on Debian 12).
have fincore || need+=(util-linux-extra)
have truncate || need+=(coreutils)
have make || need+=(make)
have g++ || need+=(g++)
have python3 || need+=(python3)

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # --no-install-recommends keeps it small; policy-rc.d stops services from starting in containers.
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Node packages: the Electron binary cannot be downloaded here and is not needed outside the shell.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
stamp=node_modules/.roundtrip-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

# The bench UI: `roundtrip serve` (and `npm run lab`) serve its Vite build. Built again when any
# source it is made of is newer than the build (about a second).
ui=dist/renderer/index.html
if [ ! -f "$ui" ] || [ -n "$(find renderer electron/api electron/chain electron/tickets/model vite.config.ts package-lock.json -newer "$ui" -print -quit)" ]; then
  echo "setup: building the bench UI"
  npx --no-install vite build
fi
