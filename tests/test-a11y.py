#!/usr/bin/python3
# test-a11y.py: drives the real sonde binary through the accessibility bus, as assistive technology does
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts `sonde serve` on a free loopback port, replaying the bundled demo
# recording, and `sonde URL` on its SSE stream. Then, only through AT-SPI
# (Debian's python3-pyatspi), as a screen reader sees the window: finds the
# status line and the list's rows by role and name, reads their text and
# checks it against the recording the server replays; presses New Tab by its
# name and finds the new connect page's URL entry; checks that every control
# of the window, the inspector and both connect pages has a name of its own.
# Then as a person at a terminal or a file manager would: `sonde FILE` opens a
# recording in the running Sonde, and its rows are read and checked against
# the file; `sonde ws://...` opens a WebSocket tab on a second, slow mock
# server, a message is written into the compose bar and Send pressed by name,
# and the list shows it going out and the server's echo coming back.
# Runs inside dbus-run-session under Xvfb, without NO_AT_BRIDGE (which would
# keep GTK off the bus).
# TAP on standard output; every check fails when what it looks for is not
# found within a generous deadline.

import base64
import json
import os
import re
import signal
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from sonde_atspi import (CONTROL_ROLES, LEAF_ROLES, children, find_first, find_window,
                         press, search, spawn, stop, wait_for as wait_for_within,
                         pyatspi)

# Seconds to wait for anything. Each AT-SPI call is a D-Bus round trip into
# sonde's main thread, and the machines this runs on are shared.
DEADLINE = float(os.environ.get('SONDE_A11Y_DEADLINE', '240'))
PLAN = 12

# What GTK 4.8 gives as the name of a widget that has none: its type's name.
TYPE_NAME = re.compile(r'^(Gtk|Adw|Sonde)[A-Z][A-Za-z]*$')

results = []


def tap(ok, name, detail=''):
    results.append(bool(ok))
    print('{} {} - {}'.format('ok' if ok else 'not ok', len(results), name))
    for line in detail.splitlines():
        print('# ' + line)
    sys.stdout.flush()


def wait_for(what, find):
    return wait_for_within(what, find, DEADLINE)


def text_of(node, role):
    """What a screen reader reads for a leaf: an entry's text, or its name
    (which for a label is its text)."""
    if role in (pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT):
        text = node.queryText()
        value = text.getText(0, text.characterCount)
        if value:
            return value
    name = node.name or ''
    return '' if TYPE_NAME.match(name) else name


def leaf_texts(node):
    """The non-empty texts of the leaves under node, in order, depth first."""
    texts = []
    for child in children(node):
        role = child.getRole()
        if role in LEAF_ROLES:
            text = text_of(child, role)
            if text:
                texts.append(text)
        else:
            texts.extend(leaf_texts(child))
    return texts


def row_cells(row):
    """A row's cells, each as its last text (the Kind cell's icon comes first)."""
    return [(leaf_texts(cell) or [''])[-1] for cell in children(row)]


def unnamed_controls(window):
    """The controls in window, and those of them without a name of their own
    (none, a type's name, or a raw mnemonic)."""
    names, unnamed = [], []
    for node in search(window, lambda n, role: role in CONTROL_ROLES,
                       skip_roles={pyatspi.ROLE_TREE_TABLE}):
        name = (node.name or '').strip()
        names.append(name)
        if not name or TYPE_NAME.match(name) or re.search(r'(^|\s)_\w', name):
            parent = node.parent
            unnamed.append('{} {!r} in {} {!r}'.format(
                node.getRoleName(), name, parent.getRoleName() if parent else '?',
                parent.name if parent else ''))
    return names, unnamed


def load_recording(path):
    """The SSE events of a recording, by ID: (event type, data, raw bytes)."""
    events = {}
    with open(path, encoding='utf-8') as recording:
        for line in recording:
            item = json.loads(line)
            if item.get('kind') == 'sse' and 'id' in item:
                events[item['id']] = (item.get('event', 'message'), item['data'],
                                      base64.b64decode(item['raw']))
    return events


def start_serve(sonde, recording, speed='2', transport='SSE'):
    serve = spawn([sonde, 'serve', '--speed', speed, '--loop', recording],
                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                  text=True, env=dict(os.environ, LC_ALL='C.UTF-8'))
    url = None
    for line in serve.stdout:
        match = re.search(transport + r':\s+(\S+)', line)
        if match:
            url = match.group(1)
        if line.startswith('Press Ctrl+C'):
            break
    if url is None:
        serve.kill()
        raise SystemExit('Bail out! sonde serve printed no {} URL'.format(transport))
    return serve, url


def table_rows(table, limit=None):
    """The cells of the rows the list shows (the header row, then the list of
    rows), each as its texts in column order."""
    rows = []
    for part in children(table):
        for row in children(part)[:limit]:
            if row.getRole() == pyatspi.ROLE_TABLE_ROW:
                rows.append(row_cells(row))
    return rows


def entry_tables(window):
    """Every tab's list: GTK 4.8 marks only the window SHOWING, so the lists
    of tabs not shown are on the bus too."""
    return search(window, lambda n, role: role == pyatspi.ROLE_TREE_TABLE and
                  n.name == 'Entries', skip_roles={pyatspi.ROLE_TREE_TABLE})


def set_text(node, text):
    """Writes text into an editable field as assistive technology does."""
    editable = node.queryEditableText()
    if not editable.setTextContents(text):
        raise AssertionError('the field refused the text')


def check_rows(rows, events):
    """Each event row against the recording: type, ID, size and preview."""
    problems = []
    checked = 0
    for cells in rows:
        # #, time, direction, kind, type, ID, size, preview
        if len(cells) < 8 or cells[3] != 'Event':
            continue
        seq, _time, direction, _kind, event_type, event_id, size, preview = cells[:8]
        checked += 1
        if not seq.isdigit():
            problems.append('row {!r}: # is not a number'.format(cells))
        if direction != 'Incoming':
            problems.append('row {!r}: direction is not named Incoming'.format(cells))
        if event_id not in events:
            problems.append('row {!r}: no event {} in the recording'.format(cells, event_id))
            continue
        want_type, want_data, raw = events[event_id]
        if event_type != want_type:
            problems.append('row {}: type {!r}, recorded {!r}'.format(event_id, event_type,
                                                                   want_type))
        if size != '{} B'.format(len(raw)):
            problems.append('row {}: size {!r}, recorded {} bytes'.format(event_id, size,
                                                                       len(raw)))
        if not want_data.startswith(preview.rstrip('…')):
            problems.append('row {}: preview {!r}, recorded {!r}'.format(event_id, preview,
                                                                      want_data))
    return checked, problems


def main():
    sonde = os.environ['SONDE_BIN']
    recording = os.path.join(os.environ['G_TEST_SRCDIR'], '..', 'data', 'demo.sonde.jsonl')
    events = load_recording(recording)
    env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='C')
    env.pop('NO_AT_BRIDGE', None)
    # Every AT-SPI call waits for sonde's main thread; glibc's malloc checks
    # slow it enough that a loaded machine runs past the test's time.
    env.pop('MALLOC_CHECK_', None)
    env.pop('MALLOC_PERTURB_', None)

    print('1..{}'.format(PLAN))
    serve, url = start_serve(sonde, recording)
    app_process = spawn([sonde, url], env=env, stdout=subprocess.DEVNULL)
    try:
        window = wait_for('sonde on the accessibility bus with its window',
                          lambda: find_window(app_process.pid))
        tap(window.name == 'Sonde', 'sonde is on the accessibility bus with its window',
            repr(window.name))

        # The status line: a status bar named for what it is, reading the
        # state and the counters. Found once; then only its labels are read.
        bar = wait_for('a status bar named Connection Status', lambda: find_first(
            window, lambda n, role: role == pyatspi.ROLE_STATUS_BAR and
            n.name == 'Connection Status'))

        def status_texts():
            texts = leaf_texts(bar)
            if 'Open' in texts and any(re.search(r'\d+ entries', t) for t in texts):
                return texts
            return None
        texts = wait_for('the status line to read Open and count entries', status_texts)
        counters = next(t for t in texts if re.search(r'\d+ entries', t))
        entries = int(re.search(r'([\d,]+) entries', counters).group(1).replace(',', ''))
        last_id = re.search(r'Last event ID: (\S+)', counters)
        tap(entries >= 3 and ' in' in counters and last_id is not None and
            last_id.group(1) in events,
            'the status line reads Open, its counters and a recorded last event ID',
            '\n'.join(texts))

        # The rows of the list, by role, each cell's text in column order,
        # checked against the recording the server replays.
        table = wait_for('a table named Entries', lambda: find_first(
            window, lambda n, role: role == pyatspi.ROLE_TREE_TABLE and n.name == 'Entries'))

        def read_rows():
            rows = table_rows(table, 8)
            checked, problems = check_rows(rows, events)
            last[:] = [(rows, checked, problems)]
            # The list follows the live edge while its cells are read one by
            # one over the bus, so a read can mix two rows recycled between
            # them: read again until one read holds together.
            return (rows, checked, problems) if checked >= 3 and not problems else None
        last = []
        try:
            rows, checked, problems = wait_for('three event rows in the table', read_rows)
        except Exception:
            if not last:
                raise
            rows, checked, problems = last[0]
        tap(not problems,
            'the list\'s rows show the recorded events ({} checked)'.format(checked),
            '\n'.join(problems + [' | '.join(r) for r in rows[:5]]))

        # The timeline above the list: a picture the keyboard reaches, named
        # Timeline, that says in words what it shows and that it follows
        # the stream; its buttons are named (checked with every control below).
        def timeline_read():
            node = find_first(window, lambda n, role: role == pyatspi.ROLE_IMAGE and
                              n.name == 'Timeline')
            if node is not None and (node.description or '').startswith('From ') and \
                    'Following the live edge.' in node.description:
                return node
            return None
        timeline = wait_for('the timeline to describe what it shows', timeline_read)
        tap(timeline.getState().contains(pyatspi.STATE_FOCUSABLE) and
            re.search(r'\d+ entr', timeline.description),
            'the timeline is a focusable picture named Timeline that tells what it shows',
            repr(timeline.description))

        # The tab carries host and path (libadwaita 1.2's tabs are no page
        # tabs on the bus: the title is a label in the tab bar).
        expected = url.split('://', 1)[1]
        title = find_first(window, lambda n, role: role == pyatspi.ROLE_LABEL and
                           n.name == expected)
        tap(title, 'a tab is titled ' + expected)

        # The tab says its state: its name is the title and the state in a
        # word, its state icon is named by the state, and its description
        # (the tooltip) gives the URL and the state in words.
        tab_bar = find_first(window, lambda n, role: n.name == 'AdwTabBar')

        def tab_named(state):
            return find_first(tab_bar, lambda n, role: n.name == '{}, {}'.format(expected, state))
        tab = wait_for('a tab named "{}, Open"'.format(expected), lambda: tab_named('Open'))
        icons = [n.name for n in search(tab, lambda n, role: role == pyatspi.ROLE_IMAGE)]
        tap('Open' in icons and (tab.description or '').startswith(url) and
            'Open' in tab.description,
            'the tab reads its state: name, state icon and description',
            'name {!r}, description {!r}, icons {!r}'.format(tab.name, tab.description, icons))

        # What Tab lands on in the tab bar (libadwaita 1.2 wraps each tab in
        # a focusable filler) is named, not "AdwGizmo".
        stops = search(tab_bar, lambda n, role: role == pyatspi.ROLE_FILLER and
                       n.getState().contains(pyatspi.STATE_FOCUSABLE))
        tap(stops and all(n.name and not TYPE_NAME.match(n.name) for n in stops),
            'each tab the keyboard reaches in the tab bar has a name',
            repr([n.name for n in stops]))

        # New Tab, pressed by its name as a screen reader user would.
        press(wait_for('a button named New Tab', lambda: find_first(
            window, lambda n, role: role == pyatspi.ROLE_PUSH_BUTTON and n.name == 'New Tab')))
        wait_for('a second tab with an empty URL entry', lambda: find_first(
            window, lambda n, role: role == pyatspi.ROLE_TEXT and n.name == 'URL' and
            text_of(n, role) == 'URL'))
        tap(True, 'New Tab opens a connect page with an empty URL entry')

        # Every control in the window has a name of its own: the window's, the
        # inspector's, both connect pages', shown or not.
        names, unnamed = unnamed_controls(window)
        tap(len(names) >= 40 and not unnamed,
            'every control in the window has a name ({} checked)'.format(len(names)),
            '\n'.join(unnamed))

        # Open: `sonde FILE` from a terminal hands the file to the Sonde
        # running, which opens it in a tab; its rows are the file's.
        drops_path = os.path.join(os.environ['G_TEST_SRCDIR'], 'data',
                                  'timeline-drops.sonde.jsonl')
        drops = load_recording(drops_path)
        subprocess.run([sonde, drops_path], env=env, stdout=subprocess.DEVNULL,
                       timeout=DEADLINE, check=True)
        wait_for('a tab titled timeline-drops.sonde.jsonl', lambda: find_first(
            window, lambda n, role: role == pyatspi.ROLE_LABEL and
            n.name == 'timeline-drops.sonde.jsonl'))

        def read_opened():
            # The one list whose event rows are all the file's (the live
            # tab's are the demo's, whose IDs the file does not have).
            for candidate in entry_tables(window):
                rows = table_rows(candidate)
                checked, problems = check_rows(rows, drops)
                if checked >= 1 and not problems:
                    return rows, checked
            return None
        rows, checked = wait_for('the opened recording\'s rows', read_opened)
        tap(True, 'sonde FILE opens the recording; its rows are the file\'s events '
            '({} checked)'.format(checked), '\n'.join(' | '.join(r) for r in rows))

        # Send: a WebSocket tab on a mock server that replays slowly (the
        # list follows the live edge; a message every few seconds leaves the
        # sent one and its echo in view), a message written into the compose
        # bar, and Send pressed by its name.
        ws_serve, ws_url = start_serve(sonde, recording, speed='0.05', transport='WebSocket')
        try:
            subprocess.run([sonde, ws_url], env=env, stdout=subprocess.DEVNULL,
                           timeout=DEADLINE, check=True)
            message = wait_for('a text field named Message (the compose bar)', lambda: find_first(
                window, lambda n, role: role == pyatspi.ROLE_TEXT and n.name == 'Message'))
            bar = message.parent
            while bar is not None and not find_first(
                    bar, lambda n, role: role == pyatspi.ROLE_PUSH_BUTTON and n.name == 'Send'):
                bar = bar.parent
            send = find_first(bar, lambda n, role: role == pyatspi.ROLE_PUSH_BUTTON and
                              n.name == 'Send')
            sent = 'a11y says hello {}'.format(os.getpid())
            set_text(message, sent)
            wait_for('Send to be enabled with a message written', lambda: send.getState().contains(
                pyatspi.STATE_SENSITIVE))
            press(send)

            def read_sent():
                for candidate in entry_tables(window):
                    rows = table_rows(candidate)
                    out = [r for r in rows if len(r) >= 8 and r[2] == 'Outgoing' and
                           r[7].startswith(sent)]
                    echo = [r for r in rows if len(r) >= 8 and r[2] == 'Incoming' and
                            r[7].startswith(sent)]
                    if out and echo:
                        return out + echo
                return None
            rows = wait_for('the sent message and its echo in the list', read_sent)
            tap(True, 'Send in the compose bar sends over WebSocket: the list shows it going '
                'out and the echo coming in', '\n'.join(' | '.join(r) for r in rows))
        finally:
            stop(ws_serve, signal.SIGINT)

        # The server goes away: the tab's name changes to the new state (what
        # AT-SPI tells a screen reader), and so does its icon's.
        stop(serve, signal.SIGINT)
        tab = wait_for('the tab named "{}, Reconnecting"'.format(expected),
                       lambda: tab_named('Reconnecting'))
        icons = [n.name for n in search(tab, lambda n, role: role in (pyatspi.ROLE_IMAGE,
                                                                     pyatspi.ROLE_ANIMATION))]
        tap('Reconnecting' in icons,
            'a dropped stream renames the tab and its state icon: Reconnecting',
            'name {!r}, icons {!r}'.format(tab.name, icons))
    except AssertionError as error:
        tap(False, str(error))
    finally:
        stop(app_process)
        stop(serve, signal.SIGINT)

    while len(results) < PLAN:
        tap(False, 'not reached')
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
