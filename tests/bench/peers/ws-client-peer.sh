#!/usr/bin/env bash
# ws-client-peer.sh: Sonde's WebSocket ingestion next to the npm `ws` client, same server, same run
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: ws-client-peer.sh FLOOD_SERVER BENCH_INGEST SONDE PEER_DIR [MESSAGES]
set -euo pipefail

server=$1 bench=$2 sonde=$3 peer_dir=$(realpath -m "$4") messages=${5:-1000000}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [ ! -d "$peer_dir/node_modules/ws" ]; then
    mkdir -p "$peer_dir"
    npm install --silent --no-audit --no-fund --prefix "$peer_dir" ws@8 >&2
fi

port_file=$(mktemp)
trap 'rm -f "$port_file"; kill "$server_pid" 2>/dev/null || true' EXIT
"$server" "$messages" 16 >"$port_file" &
server_pid=$!
for _ in $(seq 100); do
    [ -s "$port_file" ] && break
    sleep 0.05
done
port=$(head -n 1 "$port_file")
peer_line=$(PEER_MODULES="$peer_dir/node_modules" node "$here/ws-client-peer.mjs" \
    "ws://127.0.0.1:$port/" "$messages")
kill "$server_pid" 2>/dev/null || true
echo "$peer_line"

sonde_line=$("$bench" "$server" "$sonde" "$messages" | grep '^ws-ingest 16B')
echo "$sonde_line"

peer=$(sed -E 's/.*: ([0-9.]+) M messages.*/\1/' <<<"$peer_line")
ours=$(sed -E 's/.*: ([0-9.]+) M messages.*/\1/' <<<"$sonde_line")
python3 -c "print(f'ws-ingest ratio Sonde/ws: {$ours/$peer:.2f}x')"
