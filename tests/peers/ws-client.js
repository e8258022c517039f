// ws-client.js: Debian's node-ws as a WebSocket client no one here wrote
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node ws-client.js URL
// Prints one JSON line per message ({binary, data}: text, or base64) and a
// last line {close, reason} when the server closes; exits 1 after 30 seconds.

'use strict';

const WebSocket = require('ws');

const socket = new WebSocket(process.argv[2]);
socket.on('message', (data, isBinary) => {
  process.stdout.write(JSON.stringify({
    binary: isBinary,
    data: isBinary ? Buffer.from(data).toString('base64') : data.toString(),
  }) + '\n');
});
socket.on('close', (code, reason) => {
  process.stdout.write(JSON.stringify({ close: code, reason: reason.toString() }) + '\n');
  process.exit(0);
});
socket.on('error', (error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
setTimeout(() => process.exit(1), 30000);
