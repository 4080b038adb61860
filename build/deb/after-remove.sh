#!/bin/sh
# After removal: the command link goes; the engine's home (tickets, journals) stays for a reinstall.
set -e
rm -f /usr/bin/roundtrip-bench
