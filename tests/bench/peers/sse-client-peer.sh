#!/usr/bin/env bash
# sse-client-peer.sh: Sonde's SSE ingestion next to the npm `eventsource` client, same server, same run
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: sse-client-peer.sh FLOOD_SERVER BENCH_INGEST SONDE PEER_DIR [EVENTS]
set -euo pipefail

server=$1 bench=$2 sonde=$3 peer_dir=$(realpath -m "$4") events=${5:-1000000}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ ! -d "$peer_dir/node_modules/eventsource" ]; then
    mkdir -p "$peer_dir"
    npm install --silent --no-audit --no-fund --prefix "$peer_dir" eventsource@5 >&2
fi

# The peer against a fresh flood server on loopback.
port_file=$(mktemp)
trap 'rm -f "$port_file"; kill "$server_pid" 2>/dev/null || true' EXIT
"$server" "$events" 64 >"$port_file" &
server_pid=$!
for _ in $(seq 100); do
    [ -s "$port_file" ] && break
    sleep 0.05
done
port=$(head -n 1 "$port_file")
peer_line=$(PEER_MODULES="$peer_dir/node_modules" node "$here/sse-client-peer.mjs" \
    "http://127.0.0.1:$port/" "$events")
wait "$server_pid" 2>/dev/null || true
echo "$peer_line"

# Sonde on the same kind of stream.
sonde_line=$("$bench" "$server" "$sonde" "$events" | grep '^sse-ingest 64B')
echo "$sonde_line"

peer=$(sed -E 's/.*: ([0-9.]+) M events.*/\1/' <<<"$peer_line")
ours=$(sed -E 's/.*: ([0-9.]+) M events.*/\1/' <<<"$sonde_line")
python3 -c "print(f'sse-ingest ratio Sonde/eventsource: {$ours/$peer:.2f}x')"
