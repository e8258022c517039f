#!/usr/bin/env python3
# make-demo.py: writes Sonde's bundled demo recording, a minute of a live price feed
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: make-demo.py OUTPUT
# The same output every time (a fixed seed), so the tree's copy can be checked
# against it. What it shows: event types, ids, a retry: field, comments as
# heartbeats, a market status change, and a few binary snapshots.

import base64
import json
import random
import struct
import sys

SYMBOLS = {'ACME': 182.40, 'GLOBEX': 61.15, 'INITECH': 12.87, 'UMBRELLA': 403.10, 'HOOLI': 97.55}


def line(obj):
    return json.dumps(obj, separators=(',', ':'), ensure_ascii=False) + '\n'


def entry(out, seq, t, kind, **fields):
    obj = {'seq': seq, 't': round(t, 6), 'dir': 'in', 'kind': kind}
    obj.update(fields)
    out.append(line(obj))


def sse_block(event, event_id, data):
    block = ''
    if event != 'message':
        block += f'event: {event}\n'
    block += f'id: {event_id}\n'
    for part in data.split('\n'):
        block += f'data: {part}\n'
    return (block + '\n').encode()


def binary_frame(payload):
    # An unmasked server frame, FIN and opcode 2, in the shortest length form.
    header = bytes([0x82])
    if len(payload) < 126:
        header += bytes([len(payload)])
    else:
        header += bytes([126]) + struct.pack('>H', len(payload))
    return header + payload


def main():
    rng = random.Random(20261122)
    out = [line({'format': 'sonde-recording', 'version': 1, 'transport': 'sse',
                 'url': 'https://demo.sonde.invalid/prices',
                 'started_at': '2026-11-22T09:30:00.000Z'})]
    seq = 0
    entry(out, seq, 0.021, 'open', status=200, reason='OK', url='https://demo.sonde.invalid/prices',
          headers={'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store'},
          request_headers={'Accept': 'text/event-stream', 'Cache-Control': 'no-store'})
    seq += 1
    entry(out, seq, 0.022, 'retry', ms=2000)
    seq += 1

    prices = dict(SYMBOLS)
    t = 0.05
    quote_id = 0
    last_id = ''
    next_heartbeat = 5.0
    next_snapshot = 12.0

    status = json.dumps({'market': 'open', 'session': 'regular'}, separators=(',', ':'))
    raw = sse_block('status', 'status-1', status)
    last_id = 'status-1'
    entry(out, seq, t, 'sse', event='status', data=status, id=last_id,
          raw=base64.b64encode(raw).decode())
    seq += 1

    while t < 60.0:
        t += rng.expovariate(12.0)
        if t >= next_heartbeat:
            raw = b':heartbeat\n'
            entry(out, seq, next_heartbeat, 'comment', text='heartbeat', raw=base64.b64encode(raw).decode())
            seq += 1
            next_heartbeat += 5.0
        if t >= next_snapshot:
            # A compact binary book snapshot: symbol index, then bid and ask in cents.
            payload = b''.join(struct.pack('>BII', i, int(p * 100) - 1, int(p * 100) + 1)
                               for i, p in enumerate(prices.values()))
            frame = binary_frame(payload)
            out.append(line({'seq': seq, 't': round(next_snapshot, 6), 'dir': 'in', 'kind': 'binary',
                             'data': base64.b64encode(payload).decode(),
                             'frames': [{'fin': True, 'rsv': 0, 'opcode': 2, 'masked': False,
                                         'mask': None, 'length': len(payload),
                                         'raw': base64.b64encode(frame).decode()}]}))
            seq += 1
            next_snapshot += 15.0

        symbol = rng.choice(list(prices))
        change = round(rng.gauss(0, prices[symbol] * 0.0008), 2)
        prices[symbol] = round(max(0.01, prices[symbol] + change), 2)
        quote_id += 1
        if rng.random() < 0.15:
            event = 'trade'
            data = json.dumps({'sym': symbol, 'price': prices[symbol], 'size': rng.choice([100, 200, 500, 1000])}, separators=(',', ':'))
        else:
            event = 'quote'
            data = json.dumps({'sym': symbol, 'price': prices[symbol], 'change': change}, separators=(',', ':'))
        last_id = f'q-{quote_id}'
        raw = sse_block(event, last_id, data)
        entry(out, seq, t, 'sse', event=event, data=data, id=last_id, raw=base64.b64encode(raw).decode())
        seq += 1

    status = json.dumps({'market': 'closed', 'session': 'after-hours'}, separators=(',', ':'))
    raw = sse_block('status', 'status-2', status)
    entry(out, seq, t + 0.01, 'sse', event='status', data=status, id='status-2',
          raw=base64.b64encode(raw).decode())

    with open(sys.argv[1], 'w', encoding='utf-8') as f:
        f.writelines(out)


if __name__ == '__main__':
    main()
