// ws-peer-server.js: a WebSocket server built on Debian's node-ws, a peer no one here wrote
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Listens on 127.0.0.1 (a free port, printed on the first line of standard
// output) and, to every client: sends a compressed-if-offered text, a binary
// message, a message in two fragments and a ping; echoes what it receives;
// closes with 4001 when it receives "bye". Exits when standard input closes,
// or after 60 seconds at the most.

'use strict';

const { WebSocketServer } = require('ws');

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  perMessageDeflate: { threshold: 0 },
});

server.on('listening', () => {
  process.stdout.write(`${server.address().port}\n`);
});

server.on('connection', (socket) => {
  socket.send('hello from ws');
  socket.send(Buffer.from([1, 2, 3]), { binary: true, compress: false });
  socket.send('part one, ', { fin: false, compress: false });
  socket.send('part two', { fin: true, compress: false });
  socket.ping('ka');
  socket.on('message', (data, isBinary) => {
    if (!isBinary && data.toString() === 'bye') {
      socket.close(4001, 'bye to you');
      return;
    }
    socket.send(data, { binary: isBinary });
  });
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
setTimeout(() => process.exit(0), 60000).unref();
