// sse-parser-peer.mjs: the npm package eventsource-parser on the bytes bench-sse-parser writes
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node sse-parser-peer.mjs NPM_PREFIX STREAM_FILE SHAPE SECONDS
// Feeds STREAM_FILE in 64 KiB pieces through a streaming TextDecoder and
// createParser, over and over for about SECONDS, as bench-sse-parser does
// with Sonde's parser, and prints the same kind of line.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [prefix, file, shape, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? '1');
const require = createRequire(join(resolve(prefix), 'package.json'));
const { createParser } = require('eventsource-parser');
const version = require('eventsource-parser/package.json').version;

let events = 0;
let parser;
if (Number(version.split('.')[0]) >= 3) {
  parser = createParser({ onEvent: () => { events++; } });
} else {
  // Versions 1 and 2 take one callback for events and retry fields.
  parser = createParser((message) => { if (message.type === 'event') events++; });
}

const stream = readFileSync(file);
const chunks = [];
for (let at = 0; at < stream.length; at += 64 * 1024)
  chunks.push(stream.subarray(at, at + 64 * 1024));

const decoder = new TextDecoder('utf-8');
const pass = () => {
  for (const chunk of chunks)
    parser.feed(decoder.decode(chunk, { stream: true }));
};

// Once to warm up, and to check that every event came out.
const perPass = stream.length / (shape.startsWith('64B') ? 64 : 1024);
pass();
if (events !== perPass) {
  console.error(`expected ${perPass} events, got ${events}`);
  process.exit(1);
}
events = 0;

// Ten rounds, the best one reported, as bench-sse-parser does.
const rounds = 10;
const rates = [];
for (let round = 0; round < rounds; round++) {
  events = 0;
  let elapsed = 0;
  const start = process.hrtime.bigint();
  do {
    pass();
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed < seconds / rounds);
  rates.push(events / elapsed);
}
rates.sort((a, b) => a - b);

const best = rates[rounds - 1];
const eventSize = shape.startsWith('64B') ? 64 : 1024;
console.log(`eventsource-parser ${version} ${shape}: ${(best / 1e6).toFixed(2)} M events/s, ` +
            `${(best * eventSize / 1e6).toFixed(0)} MB/s ` +
            `(best of ${rounds} rounds; median ${(rates[rounds / 2] / 1e6).toFixed(2)} M events/s)`);
