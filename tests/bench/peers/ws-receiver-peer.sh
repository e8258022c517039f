#!/usr/bin/env bash
# ws-receiver-peer.sh: Sonde's WebSocket dissector and the npm `ws` Receiver on the same bytes
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: ws-receiver-peer.sh BENCH_WS_DISSECTOR NPM_PREFIX [SECONDS]
# Installs ws under NPM_PREFIX (in the build directory) if it is not there
# yet, has bench-ws-dissector write its streams, runs both on each for about
# SECONDS (default 1), and prints how many times faster Sonde is. Exits 77
# (skipped) when the package cannot be installed.

set -euo pipefail

bench=$1
prefix=$2
seconds=${3:-1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ ! -f "$prefix/node_modules/ws/package.json" ]; then
    mkdir -p "$prefix"
    if ! npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error ws@8 >&2; then
        echo "ws-receiver-peer: could not install ws from npm; skipped" >&2
        exit 77
    fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench" --write-input "$tmp/stream"

# The number before "M frames/s".
rate() { awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "M") print $i }' <<<"$1"; }

for shape in 16B 64KiB 16B-masked 64KiB-masked; do
    sonde=$("$bench" --seconds "$seconds" --shape "$shape")
    peer=$(node "$here/ws-receiver-peer.mjs" "$prefix" "$tmp/stream-$shape.bin" "$shape" "$seconds")
    echo "$sonde"
    echo "$peer"
    awk -v s="$(rate "$sonde")" -v p="$(rate "$peer")" -v shape="$shape" \
        'BEGIN { printf "ws-dissector %s: Sonde/peer = %.1fx\n", shape, s / p }'
done
