#!/bin/sh
# After the .deb is installed: the engine's wrapper is executable, its home exists for root.
set -e
chmod 0755 /usr/lib/roundtrip-bench/roundtrip-engine
mkdir -p /var/lib/roundtrip-bench
chmod 0755 /var/lib/roundtrip-bench
ln -sf "/opt/RoundTrip Bench/roundtrip-bench" /usr/bin/roundtrip-bench
