#!/usr/bin/env python3
# check-potfiles.py: po/POTFILES.in lists every file with translatable strings, and every
# catalogue in po/LINGUAS translates every string
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Reads the source tree only; the fresh template and the merged catalogues go to a
# temporary directory, so running the test never changes po/.

import argparse
import os
import re
import subprocess
import sys
import tempfile

# The xgettext options of meson's i18n.gettext(preset: 'glib'), which is what
# `meson compile sonde-pot` runs (meson adds -k_ itself, so it is listed here too).
GLIB_PRESET_ARGS = [
    '--from-code=UTF-8',
    '--add-comments',
    '-k_',
    '--keyword=_',
    '--keyword=N_',
    '--keyword=C_:1c,2',
    '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2',
    '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format',
    '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

# Top-level folders whose files never reach people: tests, the catalogues themselves,
# other projects' code.
SKIPPED_TOP_DIRS = {'tests', 'po', 'subprojects'}

C_KEYWORD = re.compile(
    r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|g_dcgettext|g_dngettext|g_dpgettext2)\s*\(')
UI_TRANSLATABLE = re.compile(r'''translatable\s*=\s*["'](?:yes|true|1)["']''', re.IGNORECASE)
DESKTOP_TRANSLATABLE = re.compile(r'^(?:Name|GenericName|Comment|Keywords|X-GNOME-FullName)\s*=\s*\S',
                                  re.MULTILINE)
METAINFO_TRANSLATABLE = re.compile(r'<(?:name|summary|p|li|caption|developer_name|keyword)[\s>]')
GSCHEMA_TRANSLATABLE = re.compile(r'<(?:summary|description)>\s*[^<\s]')


def strip_c_comments(text):
    """Returns C source with comments blanked out and string contents kept, so
    that a `_(` in a comment does not count and a `//` in a string does not
    start one."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == '/' and i + 1 < n and text[i + 1] == '*':
            end = text.find('*/', i + 2)
            i = n if end < 0 else end + 2
            out.append(' ')
        elif c == '/' and i + 1 < n and text[i + 1] == '/':
            end = text.find('\n', i)
            i = n if end < 0 else end
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def has_translatable_strings(path):
    """Whether xgettext would find strings to translate in @path."""
    name = os.path.basename(path)
    try:
        with open(path, encoding='utf-8') as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False

    if name.endswith(('.c', '.h')):
        return C_KEYWORD.search(strip_c_comments(text)) is not None
    if name.endswith('.ui'):
        return UI_TRANSLATABLE.search(text) is not None
    if name.endswith(('.desktop.in', '.desktop.in.in')):
        return DESKTOP_TRANSLATABLE.search(text) is not None
    if name.endswith(('.metainfo.xml.in', '.appdata.xml.in',
                      '.metainfo.xml.in.in', '.appdata.xml.in.in')):
        return METAINFO_TRANSLATABLE.search(text) is not None
    if name.endswith(('.gschema.xml', '.gschema.xml.in')):
        return GSCHEMA_TRANSLATABLE.search(text) is not None
    return False


def is_build_dir(path):
    return (os.path.exists(os.path.join(path, 'meson-private'))
            or os.path.exists(os.path.join(path, 'build.ninja')))


def find_translatable_files(source_root):
    found = set()
    for dirpath, dirnames, filenames in os.walk(source_root):
        rel_dir = os.path.relpath(dirpath, source_root)
        keep = []
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if d.startswith(('.', '_build')) or is_build_dir(full):
                continue
            if rel_dir == '.' and d in SKIPPED_TOP_DIRS:
                continue
            keep.append(d)
        dirnames[:] = sorted(keep)
        for f in filenames:
            full = os.path.join(dirpath, f)
            if has_translatable_strings(full):
                found.add(os.path.relpath(full, source_root).replace(os.sep, '/'))
    return found


def read_potfiles(path):
    """Returns the listed paths in order, as POTFILES.in spells them."""
    listed = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            # "[type: gettext/glade] file.ui" names the file last.
            line = re.sub(r'^\[[^\]]*\]\s*', '', line)
            listed.append(line)
    return listed


def read_linguas(path):
    langs = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.split('#', 1)[0]
            langs += line.split()
    return langs


def run(cmd, **kwargs):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, **kwargs)


def entries_of(msgattrib, option, po_file):
    """The msgids that `msgattrib OPTION` selects, for the report."""
    result = run([msgattrib, option, '--no-wrap', '--no-location', po_file])
    if result.returncode != 0:
        return ['(msgattrib failed: {})'.format(result.stderr.strip())]

    ids = []
    context = None
    msgid = None  # the msgid being read, as a list of its quoted pieces
    for line in result.stdout.splitlines() + ['']:
        if msgid is not None:
            if line.startswith('"'):
                msgid.append(line[1:-1])
                continue
            text = ''.join(msgid)
            if text:  # the empty msgid is the header
                ids.append('"{}"'.format(text) if context is None
                           else '"{}" (context {})'.format(text, context))
            msgid = None
            context = None
        if line.startswith('msgctxt '):
            context = line[len('msgctxt '):]
        elif line.startswith('msgid '):
            msgid = [line[len('msgid "'):-1]]
    return ids


def check_catalogues(args, po_dir, problems):
    env = dict(os.environ)
    # Messages about the messages must be readable whatever the test's locale is.
    env['LC_ALL'] = 'C'
    env.pop('LANGUAGE', None)

    with tempfile.TemporaryDirectory(prefix='sonde-po-') as tmp:
        pot = os.path.join(tmp, args.package + '.pot')
        cmd = [args.xgettext, '--package-name=' + args.package, '-p', tmp,
               '-f', os.path.join(po_dir, 'POTFILES.in'), '-D', args.source_root,
               '-o', os.path.basename(pot)] + GLIB_PRESET_ARGS
        result = run(cmd, env=env)
        if result.returncode != 0 or not os.path.exists(pot):
            problems.append('xgettext failed:\n' + result.stderr)
            return

        for lang in read_linguas(os.path.join(po_dir, 'LINGUAS')):
            po = os.path.join(po_dir, lang + '.po')
            if not os.path.exists(po):
                problems.append('po/LINGUAS names {} but po/{}.po does not exist'.format(lang, lang))
                continue

            merged = os.path.join(tmp, lang + '.po')
            result = run([args.msgmerge, '--quiet', '-o', merged, po, pot], env=env)
            if result.returncode != 0:
                problems.append('msgmerge failed for po/{}.po:\n{}'.format(lang, result.stderr))
                continue

            result = run([args.msgfmt, '--check', '--statistics', '-o', os.devnull, merged],
                         env=env)
            stats = result.stderr.strip()
            print('po/{}.po against the sources:\n{}'.format(lang, stats))
            if result.returncode != 0:
                problems.append('msgfmt --check rejects po/{}.po:\n{}'.format(lang, stats))
                continue

            def count(pattern):
                m = re.search(r'(\d+) ' + pattern, stats)
                return int(m.group(1)) if m else 0

            untranslated = count('untranslated message')
            fuzzy = count('fuzzy translation')
            if untranslated:
                lines = entries_of(args.msgattrib, '--untranslated', merged)
                problems.append('po/{}.po has {} untranslated message(s):\n  {}'.format(
                    lang, untranslated, '\n  '.join(lines)))
            if fuzzy:
                lines = entries_of(args.msgattrib, '--only-fuzzy', merged)
                problems.append('po/{}.po has {} fuzzy message(s), whose source text changed:'
                                '\n  {}'.format(lang, fuzzy, '\n  '.join(lines)))


def main():
    parser = argparse.ArgumentParser(
        description="Check po/POTFILES.in and the catalogues against the sources.")
    parser.add_argument('--source-root', required=True)
    parser.add_argument('--package', required=True)
    parser.add_argument('--xgettext', default='xgettext')
    parser.add_argument('--msgmerge', default='msgmerge')
    parser.add_argument('--msgfmt', default='msgfmt')
    parser.add_argument('--msgattrib', default='msgattrib')
    args = parser.parse_args()
    args.source_root = os.path.abspath(args.source_root)

    po_dir = os.path.join(args.source_root, 'po')
    problems = []

    listed = read_potfiles(os.path.join(po_dir, 'POTFILES.in'))
    listed_set = set(listed)

    for path in sorted(listed_set):
        if listed.count(path) > 1:
            problems.append('po/POTFILES.in lists {} more than once'.format(path))

    missing_files = [p for p in listed if not os.path.isfile(os.path.join(args.source_root, p))]
    for path in missing_files:
        problems.append('po/POTFILES.in lists {}, which does not exist'.format(path))

    translatable = find_translatable_files(args.source_root)
    for path in sorted(translatable - listed_set):
        problems.append('{} has translatable strings but is not in po/POTFILES.in'.format(path))

    for path in sorted(listed_set - translatable - set(missing_files)):
        # Harmless for xgettext, so only a note.
        print('note: po/POTFILES.in lists {}, which has no translatable strings'.format(path))

    if missing_files:
        problems.append('catalogues not checked: xgettext needs every listed file')
    else:
        check_catalogues(args, po_dir, problems)

    if problems:
        for p in problems:
            print('FAIL: ' + p)
        return 1

    print('po/POTFILES.in lists all {} files with translatable strings; '
          'every catalogue is complete'.format(len(translatable)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
