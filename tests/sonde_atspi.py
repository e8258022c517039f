# sonde_atspi.py: finding and driving Sonde's window through the accessibility bus
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Shared by tests/test-a11y.py and build-aux/screenshots.py. Needs Debian's
# python3 with python3-pyatspi, and a session bus.

import ctypes
import signal
import subprocess
import time

import gi
gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402
import pyatspi  # noqa: E402

CONTROL_ROLES = frozenset({
    pyatspi.ROLE_PUSH_BUTTON,
    pyatspi.ROLE_TOGGLE_BUTTON,
    pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_ENTRY,
    pyatspi.ROLE_TEXT,
    pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_MENU_ITEM,
    pyatspi.ROLE_PAGE_TAB,
})
# Nothing anyone reads lies below these; not walking into them keeps the
# number of D-Bus round trips, and so the time, down.
LEAF_ROLES = CONTROL_ROLES | {
    pyatspi.ROLE_LABEL,
    pyatspi.ROLE_IMAGE,
    pyatspi.ROLE_SCROLL_BAR,
    pyatspi.ROLE_SEPARATOR,
}


def wait_for(what, find, deadline):
    """Calls find() until it returns something true, for deadline seconds at
    most; then raises AssertionError naming what it waited for."""
    end = time.monotonic() + deadline
    last_error = None
    while time.monotonic() < end:
        try:
            found = find()
        except Exception as error:  # objects come and go while the window changes
            last_error = error
            found = None
        if found:
            return found
        time.sleep(0.5)
    raise AssertionError('gave up waiting for {}{}'.format(
        what, ' ({})'.format(last_error) if last_error else ''))


def children(node):
    try:
        return [c for c in node if c is not None]
    except Exception:
        return []


def search(root, want, skip_roles=frozenset(), first=False):
    """The descendants of root for which want(node, role) is true, breadth
    first; does not go below leaves or skip_roles. GTK 4.8 marks only the
    window SHOWING, so hidden stack pages are searched too."""
    found = []
    level = [root]
    while level:
        below = []
        for node in level:
            role = node.getRole()
            if want(node, role):
                found.append(node)
                if first:
                    return found
            if role not in LEAF_ROLES and role not in skip_roles:
                below.extend(children(node))
        level = below
    return found


def find_first(root, want, skip_roles=frozenset({pyatspi.ROLE_TREE_TABLE})):
    found = search(root, want, skip_roles, first=True)
    return found[0] if found else None


def find_window(pid):
    """The top-level window of process pid, once it is on the bus. Reads
    everything afresh: libatspi keeps names and children it has read, and
    GTK 4.8 does not tell it when a recycled row's cells change."""
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.get_process_id() == pid:
            app.set_cache_mask(Atspi.Cache.NONE)
            app.clear_cache()  # what it read before the window was there
            return next((w for w in children(app) if w.getRole() == pyatspi.ROLE_FRAME), None)
    return None


def press(node):
    """Activates a button or tab the way a screen reader does."""
    action = node.queryAction()
    action.doAction(next(i for i in range(action.nActions)
                         if action.getName(i) in ('click', 'activate', 'press')))


def _die_with_parent():
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def spawn(args, **kwargs):
    """Starts a program that ends when this process does, however it ends:
    one left behind would hold the test's standard error open, and meson
    would wait for it."""
    return subprocess.Popen(args, preexec_fn=_die_with_parent, **kwargs)


def stop(process, sig=signal.SIGTERM):
    process.send_signal(sig)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
