#!/usr/bin/python3
# screenshots.py: takes the pictures in docs/screenshots/ of Sonde's demo window
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run by `build-aux/sonde-dev screenshots` inside xvfb-run and dbus-run-session:
#   screenshots.py SONDE OUTDIR [dark|light|wire]...
# Opens `sonde --demo` at 1280 x 800, waits through the accessibility bus
# (python3-pyatspi) until the list holds live traffic, selects an event and
# saves the window (xwd, then ImageMagick's convert, at PNG's best compression) as:
#   sonde-light.png  the SSE tab, light style: an event's JSON payload, pretty-printed
#   sonde-dark.png   the WebSocket tab, dark style: a message's payload
#   sonde-wire.png   the SSE tab's Wire page: the event's bytes, fields marked (light)
# A row is clicked, and the tab and page chosen by their keys, with xdotool.

import os
import re
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests'))
from sonde_atspi import (children, find_first, find_window, pyatspi,  # noqa: E402
                         spawn, stop, wait_for)

DEADLINE = 180.0
WIDTH, HEIGHT = 1280, 800
# A row in the middle of the list at that size (the list spans y = 280 to 740 until
# a row is chosen; the details then take the bottom, and the row stays in sight).
ROW_Y = 430


def window_id(title):
    tree = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True, text=True,
                          check=True).stdout
    ids = re.findall(r'^\s*(0x[0-9a-f]+) "{}"'.format(re.escape(title)), tree, re.M)
    if not ids:
        raise SystemExit('screenshots: no window named ' + title)
    return ids[0]


def click(title, x, y):
    """A real click at x, y in the window named title. (GTK 4.8 gives rows
    no place on the bus, so the row to select is found by where it is.)"""
    subprocess.run(['xdotool', 'mousemove', '--window', str(int(window_id(title), 16)),
                    str(x), str(y), 'click', '1'], check=True)


def shoot(title, path):
    """Saves the top-level window named title, alone, as a PNG."""
    xwd = subprocess.run(['xwd', '-silent', '-id', window_id(title)], capture_output=True,
                         check=True)
    # 8-bit channels without the alpha xwd adds, best zlib level: about 150 KB each.
    subprocess.run(['convert', 'xwd:-', '-strip', '-alpha', 'off', '-depth', '8',
                    '-define', 'png:compression-level=9', '-define', 'png:compression-filter=5',
                    path], input=xwd.stdout, check=True)
    print('screenshots: saved ' + path)


def open_demo(sonde, scheme, config_home):
    env = dict(os.environ, ADW_DEBUG_COLOR_SCHEME=scheme, GSETTINGS_BACKEND='keyfile',
               XDG_CONFIG_HOME=config_home, LANGUAGE='C', LC_ALL='C.UTF-8')
    env.pop('NO_AT_BRIDGE', None)
    process = spawn([sonde, '--demo'], env=env)
    window = wait_for('the demo window', lambda: find_window(process.pid), DEADLINE)

    # Live traffic in the selected tab: its status line counts a few hundred entries.
    bar = wait_for('the status line', lambda: find_first(
        window, lambda n, role: role == pyatspi.ROLE_STATUS_BAR), DEADLINE)

    def busy():
        return any(re.search(r'\d{3,} entries', label.name or '')
                   for part in children(bar) for label in children(part))
    wait_for('the demo to fill its list', busy, DEADLINE)
    time.sleep(2)  # let the last frame draw
    return process, window


def main():
    sonde, outdir = sys.argv[1], sys.argv[2]
    wanted = set(sys.argv[3:]) or {'dark', 'light', 'wire'}  # or only some of them
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as config_home:
        os.makedirs(os.path.join(config_home, 'glib-2.0', 'settings'))
        with open(os.path.join(config_home, 'glib-2.0', 'settings', 'keyfile'), 'w') as keyfile:
            keyfile.write('[io/github/sonde/Sonde]\nwindow-width={}\nwindow-height={}\n'.format(
                WIDTH, HEIGHT))

        if 'dark' in wanted:
            process, window = open_demo(sonde, 'prefer-dark', config_home)
            try:
                # The WebSocket tab (Alt+2), a message in it and its payload.
                subprocess.run(['xdotool', 'key', 'alt+2'], check=True)
                time.sleep(3)
                click('Sonde', WIDTH // 2, ROW_Y)
                time.sleep(3)
                shoot('Sonde', os.path.join(outdir, 'sonde-dark.png'))
            finally:
                stop(process)

        if wanted & {'light', 'wire'}:
            process, window = open_demo(sonde, 'prefer-light', config_home)
            try:
                # An event in the middle of the list: its payload, then its Wire page
                # by the page's mnemonic (searching the bus for it is slow).
                click('Sonde', WIDTH // 2, ROW_Y)
                time.sleep(3)
                if 'light' in wanted:
                    shoot('Sonde', os.path.join(outdir, 'sonde-light.png'))
                if 'wire' in wanted:
                    subprocess.run(['xdotool', 'key', 'alt+w'], check=True)
                    time.sleep(3)
                    shoot('Sonde', os.path.join(outdir, 'sonde-wire.png'))
            finally:
                stop(process)


if __name__ == '__main__':
    main()
