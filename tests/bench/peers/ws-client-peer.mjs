// ws-client-peer.mjs: the npm `ws` client end to end, for comparison with Sonde's
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node ws-client-peer.mjs URL MESSAGES
// Connects, counts messages until MESSAGES arrived, prints the rate.

import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(process.env.PEER_MODULES + '/');
const WebSocket = require('ws');

const [url, wanted] = [process.argv[2], Number(process.argv[3])];
let count = 0;
const start = process.hrtime.bigint();
const socket = new WebSocket(url, { perMessageDeflate: false });

socket.on('message', () => {
  count++;
  if (count === wanted) {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`peer ws: ${(count / seconds / 1e6).toFixed(2)} M messages/s`);
    socket.terminate();
    process.exit(0);
  }
});
socket.on('error', (error) => {
  console.error(`peer ws failed after ${count} messages: ${error.message}`);
  process.exit(1);
});
setTimeout(() => {
  console.error(`peer ws: timed out after ${count} messages`);
  process.exit(1);
}, 120000);
