// eventsource-client.js: Debian's node-eventsource, an EventSource no one here wrote, as a client
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node eventsource-client.js URL COUNT
// Prints one JSON line per event ({type, id, data}) until COUNT events, then
// exits 0; exits 1 after 30 seconds.

'use strict';

const EventSource = require('eventsource');

const [url, count] = [process.argv[2], Number(process.argv[3])];
const source = new EventSource(url);
let seen = 0;

function print(event) {
  process.stdout.write(JSON.stringify({ type: event.type, id: event.lastEventId, data: event.data }) + '\n');
  seen++;
  if (seen >= count) {
    source.close();
    process.exit(0);
  }
}

for (const type of ['message', 'quote', 'trade', 'status', 'binary', 'publish']) {
  source.addEventListener(type, print);
}
setTimeout(() => {
  process.stderr.write(`only ${seen} of ${count} events\n`);
  process.exit(1);
}, 30000);
