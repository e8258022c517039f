// sse-client-peer.mjs: the npm `eventsource` client end to end, for comparison with Sonde's
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node sse-client-peer.mjs URL EVENTS
// Connects, counts `message` events until EVENTS arrived, prints the rate.

import { createRequire } from 'node:module';
import process from 'node:process';

const require = createRequire(process.env.PEER_MODULES + '/');
const { EventSource } = require('eventsource');

const [url, wanted] = [process.argv[2], Number(process.argv[3])];
let count = 0;
const start = process.hrtime.bigint();
const source = new EventSource(url);

source.onmessage = () => {
  count++;
  if (count === wanted) {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    source.close();
    console.log(`peer eventsource: ${(count / seconds / 1e6).toFixed(2)} M events/s`);
    process.exit(0);
  }
};
source.onerror = (event) => {
  if (count < wanted && source.readyState === EventSource.CLOSED) {
    console.error(`peer eventsource failed after ${count} events: ${event.message ?? ''}`);
    process.exit(1);
  }
};
setTimeout(() => {
  console.error(`peer eventsource: timed out after ${count} events`);
  process.exit(1);
}, 120000);
