#!/usr/bin/env bash
# sse-parser-peer.sh: Sonde's SSE parser and the npm eventsource-parser on the same bytes
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: sse-parser-peer.sh BENCH_SSE_PARSER NPM_PREFIX [SECONDS]
# Installs eventsource-parser under NPM_PREFIX (in the build directory) if it
# is not there yet, has bench-sse-parser write its streams, runs both parsers
# on each for about SECONDS (default 1), and prints how many times faster
# Sonde is. Exits 77 (skipped) when the package cannot be installed.

set -euo pipefail

bench=$1
prefix=$2
seconds=${3:-1}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ ! -f "$prefix/node_modules/eventsource-parser/package.json" ]; then
    mkdir -p "$prefix"
    if ! npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
            eventsource-parser >&2; then
        echo "sse-parser-peer: could not install eventsource-parser from npm; skipped" >&2
        exit 77
    fi
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench" --write-input "$tmp/stream"

# The number before "M events/s".
rate() { awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "M") print $i }' <<<"$1"; }

for shape in 64B 1KiB 1KiB-utf8; do
    sonde=$("$bench" --seconds "$seconds" --shape "$shape")
    peer=$(node "$here/sse-parser-peer.mjs" "$prefix" "$tmp/stream-$shape.txt" "$shape" "$seconds")
    echo "$sonde"
    echo "$peer"
    awk -v s="$(rate "$sonde")" -v p="$(rate "$peer")" -v shape="$shape" \
        'BEGIN { printf "sse-parser %s: Sonde/peer = %.1fx\n", shape, s / p }'
done
