// ws-receiver-peer.mjs: the npm package ws's Receiver on the bytes bench-ws-dissector writes
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Usage: node ws-receiver-peer.mjs NPM_PREFIX STREAM_FILE SHAPE SECONDS
// Writes STREAM_FILE in 64 KiB pieces into a Receiver, as a WebSocket does
// with what its socket reads, over and over for about SECONDS, counting
// 'message' events, and prints the same kind of line as bench-ws-dissector.
// The Receiver unmasks payloads where they lie, in the buffers it is given,
// so masked streams are copied back from a pristine copy before each pass,
// outside the timed part: a socket hands over fresh buffers too.
// A client-side Receiver (isServer: false) takes a server's unmasked frames;
// the masked shapes are a client's frames, read by a server-side one. Text
// is checked as UTF-8 (skipUTF8Validation stays false), no size limit.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [prefix, file, shape, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? '1');
const require = createRequire(join(resolve(prefix), 'package.json'));
// ws exports only its root; the Receiver is WebSocket.Receiver there.
const { Receiver } = require('ws');
const version = require('ws/package.json').version;

const masked = shape.endsWith('-masked');
const payload = shape.startsWith('16B') ? (masked ? 10 : 14) : 65536;
const header = (payload < 126 ? 2 : payload < 65536 ? 4 : 10) + (masked ? 4 : 0);
const frameSize = header + payload;

let messages = 0;
let failure = null;
const receiver = new Receiver({ isServer: masked, binaryType: 'nodebuffer', maxPayload: 0 });
receiver.on('message', (data, isBinary) => {
  if (isBinary || data.length !== payload)
    failure = `unexpected message of ${data.length} bytes`;
  messages++;
});
receiver.on('error', (error) => { failure = String(error); });

const pristine = readFileSync(file);
const stream = Buffer.from(pristine);
const chunks = [];
for (let at = 0; at < stream.length; at += 64 * 1024)
  chunks.push(stream.subarray(at, at + 64 * 1024));
const perPass = stream.length / frameSize;

// One pass, timed; every message must come out of it (errors are only
// emitted later, so a pass that fails shows as missing messages).
const pass = () => {
  if (masked)
    pristine.copy(stream);
  const before = messages;
  const start = process.hrtime.bigint();
  for (const chunk of chunks)
    receiver.write(chunk);
  const took = Number(process.hrtime.bigint() - start) / 1e9;
  if (failure !== null || messages - before !== perPass) {
    console.error(`expected ${perPass} messages, got ${messages - before}` +
                  `${failure ? ': ' + failure : ''}`);
    process.exit(1);
  }
  return took;
};

// Once to warm up.
pass();

// Ten rounds, the best one reported, as bench-ws-dissector does.
const rounds = 10;
const rates = [];
for (let round = 0; round < rounds; round++) {
  messages = 0;
  let elapsed = 0;
  do {
    elapsed += pass();
  } while (elapsed < seconds / rounds);
  rates.push(messages / elapsed);
}
rates.sort((a, b) => a - b);

const best = rates[rounds - 1];
console.log(`ws ${version} Receiver ${shape}: ${(best / 1e6).toFixed(2)} M frames/s, ` +
            `${(best * frameSize / 1e6).toFixed(0)} MB/s ` +
            `(best of ${rounds} rounds; median ${(rates[rounds / 2] / 1e6).toFixed(2)} M frames/s)`);
