#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Compiles and runs the code samples of one guide page, so the guide cannot drift.

Every fenced block tagged ``c``, ``js``, ``python`` or ``vala`` in the page is a sample, and
is tested. By default a block is a complete program: C and Vala are compiled and linked
against the uninstalled library and run, JS runs under ``gjs -m`` and Python under the
interpreter with PyGObject; each must exit 0 within the time limit, with GLib warnings fatal.

An HTML comment just before a block (it is invisible in the rendered page) changes that:

    <!-- sample: id=NAME compile excerpt=PATH -->

``id=NAME``
    Blocks of the same page with the same id are joined, in page order, into one program,
    so a page can show a program in pieces with prose in between.
``compile``
    Compile only (C: an object file, so no ``main()`` is needed; Python: byte-compile;
    Vala: compile to C). Not valid for JS.
``excerpt=PATH``
    The block is a verbatim excerpt of PATH (relative to the source root), which is built and
    tested elsewhere: the test checks that the file still contains it.
``output``
    On a ``text`` block: the exact standard output of the program with the same id.

Code a reader does not need (a ``main()`` that runs the loop, say) can be hidden in a
comment, and is added to the program at that point:

    <!--sample-hidden id=NAME
    ...code...
    -->

``ts`` (TypeScript) and ``json`` blocks are not run here: each must be an ``excerpt=`` of a
file that another suite builds and tests (the 'typescript' suite for tests/typescript/).

Blocks in other languages must be tagged (``sh``, ``text``, ``toml``, ``meson``, ...) and
are not run. Output is TAP, one line per program.
"""

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

SAMPLE_LANGS = {'c', 'js', 'python', 'vala'}
EXCERPT_LANGS = {'ts', 'json'}
OTHER_LANGS = {'sh', 'console', 'text', 'toml', 'meson', 'ini', 'xml'}
DIRECTIVE_RE = re.compile(r'^<!--\s*sample:\s*(.*?)\s*-->\s*$')
HIDDEN_RE = re.compile(r'^<!--\s*sample-hidden\s+(.*?)\s*$')
TIMEOUT = 60


class PageError(Exception):
    pass


class Unit:
    def __init__(self, uid, lang, line):
        self.id = uid
        self.lang = lang
        self.line = line
        self.parts = []
        self.compile_only = False
        self.excerpts = []
        self.expected_output = None

    def source(self):
        return ''.join(self.parts)


def parse_options(text, line):
    opts = {}
    for word in shlex.split(text):
        key, sep, value = word.partition('=')
        if key not in ('id', 'compile', 'excerpt', 'output', 'lang'):
            raise PageError(f'line {line}: unknown sample option {key!r}')
        opts[key] = value if sep else True
    return opts


def parse_page(path):
    """Returns the units of the page, in order of first appearance."""
    with open(path, encoding='utf-8') as f:
        lines = f.readlines()

    units = {}
    order = []
    pending = None          # options of the directive waiting for its block
    counter = 0
    i = 0

    def unit_for(uid, lang, line):
        if uid not in units:
            units[uid] = Unit(uid, lang, line)
            order.append(uid)
        elif units[uid].lang != lang:
            raise PageError(f'line {line}: sample {uid!r} mixes {units[uid].lang} and {lang}')
        return units[uid]

    while i < len(lines):
        line = lines[i]
        lineno = i + 1
        m = DIRECTIVE_RE.match(line)
        if m:
            if pending is not None:
                raise PageError(f'line {lineno}: sample directive not followed by a code block')
            pending = (parse_options(m.group(1), lineno), lineno)
            i += 1
            continue
        m = HIDDEN_RE.match(line)
        if m:
            opts = parse_options(m.group(1), lineno)
            if 'id' not in opts or 'lang' not in opts:
                raise PageError(f'line {lineno}: sample-hidden needs id= and lang=')
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != '-->':
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise PageError(f'line {lineno}: unterminated sample-hidden comment')
            if any('--' in b for b in body):
                raise PageError(f'line {lineno}: "--" is not allowed inside an HTML comment')
            unit = unit_for(opts['id'], opts['lang'], lineno)
            unit.parts.append(f'#line {lineno + 1} "{os.path.basename(path)}"\n'
                              if unit.lang == 'c' else '')
            unit.parts.extend(body)
            i += 1
            continue
        if line.lstrip().startswith('```'):
            if line.startswith(' ') or line.startswith('\t'):
                raise PageError(f'line {lineno}: indented code fence; keep samples at top level')
            lang = line.strip()[3:].strip()
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith('```'):
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise PageError(f'line {lineno}: unterminated code block')
            i += 1
            opts, dline = pending if pending is not None else ({}, lineno)
            pending = None
            if lang == '':
                raise PageError(f'line {lineno}: code block without a language')
            if lang == 'text' and 'output' in opts:
                if 'id' not in opts:
                    raise PageError(f'line {dline}: an output block needs id=')
                unit = units.get(opts['id'])
                if unit is None:
                    raise PageError(f'line {dline}: output for unknown sample {opts["id"]!r}')
                unit.expected_output = ''.join(body)
                continue
            if lang in OTHER_LANGS:
                if opts:
                    raise PageError(f'line {dline}: sample options on a {lang} block')
                continue
            if lang in EXCERPT_LANGS and 'excerpt' not in opts:
                raise PageError(f'line {lineno}: a {lang} block must be an excerpt= of a '
                                'tested file')
            if lang not in SAMPLE_LANGS | EXCERPT_LANGS:
                raise PageError(f'line {lineno}: unknown code block language {lang!r}')
            if 'excerpt' in opts:
                counter += 1
                unit = unit_for(opts.get('id', f'{lang}-excerpt-{counter}'), lang, lineno)
                unit.excerpts.append((opts['excerpt'], ''.join(body), lineno))
                continue
            if 'id' in opts:
                uid = opts['id']
            else:
                counter += 1
                uid = f'{lang}-{counter}'
            unit = unit_for(uid, lang, lineno)
            if opts.get('compile'):
                if lang == 'js':
                    raise PageError(f'line {dline}: compile-only is not supported for JS')
                unit.compile_only = True
            if lang == 'c':
                unit.parts.append(f'#line {lineno + 1} "{os.path.basename(path)}"\n')
            unit.parts.extend(body)
            continue
        i += 1
    if pending is not None:
        raise PageError(f'line {pending[1]}: sample directive not followed by a code block')
    return [units[u] for u in order]


def normalize(text):
    return '\n'.join(l.rstrip() for l in text.strip('\n').splitlines())


def check_excerpts(unit, srcroot):
    for path, text, line in unit.excerpts:
        full = os.path.join(srcroot, path)
        try:
            with open(full, encoding='utf-8') as f:
                content = normalize(f.read())
        except OSError as e:
            return f'line {line}: cannot read {path}: {e}'
        if normalize(text) not in content:
            return f'line {line}: the excerpt is no longer in {path}'
    return None


def run(cmd, env, cwd, expect_output=None):
    try:
        p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT if expect_output is None else subprocess.PIPE,
                           timeout=TIMEOUT, text=True)
    except subprocess.TimeoutExpired:
        return f'{cmd[0]} timed out after {TIMEOUT} s'
    out = p.stdout + (p.stderr or '')
    if p.returncode != 0:
        return f'{shlex.join(cmd)} exited with {p.returncode}:\n{out}'
    if expect_output is not None and p.stdout != expect_output:
        return (f'{shlex.join(cmd)}: unexpected output\n--- expected\n{expect_output}'
                f'--- got\n{p.stdout}{p.stderr}')
    return None


def test_unit(unit, args, env, workdir):
    """Returns None on success, 'SKIP reason' or an error message."""
    if unit.excerpts:
        err = check_excerpts(unit, args.srcroot)
        if err or not unit.parts:
            return err
    src = unit.source()
    base = os.path.join(workdir, re.sub(r'[^A-Za-z0-9_]', '_', unit.id))
    expect = unit.expected_output
    if unit.lang == 'c':
        flags = subprocess.run(['pkg-config', '--cflags', '--libs', 'gtasklet-1'], env=env,
                               check=True, stdout=subprocess.PIPE, text=True).stdout.split()
        with open(base + '.c', 'w') as f:
            f.write(src)
        cc = shlex.split(args.cc) + ['-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter',
                                      '-Werror', '-DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74',
                                      '-DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74']
        if unit.compile_only:
            return run(cc + ['-c', base + '.c', '-o', base + '.o'] + flags, env, workdir)
        err = run(cc + [base + '.c', '-o', base] + flags, env, workdir)
        return err or run([base], env, workdir, expect)
    if unit.lang == 'vala':
        if not args.valac or not args.vapidir:
            return 'SKIP no valac or VAPI in this build'
        with open(base + '.vala', 'w') as f:
            f.write(src)
        valac = [args.valac, '--vapidir', args.vapidir, '--pkg', 'gtasklet-1', '--pkg', 'gio-2.0',
                 '--directory', workdir, '-X', '-w']
        if unit.compile_only:
            return run(valac + ['-C', base + '.vala'], env, workdir)
        err = run(valac + ['-o', base, base + '.vala'], env, workdir)
        return err or run([base], env, workdir, expect)
    if unit.lang == 'js':
        if not args.gjs:
            return 'SKIP gjs not found'
        with open(base + '.js', 'w') as f:
            f.write(src)
        return run([args.gjs, '-m', base + '.js'], env, workdir, expect)
    if unit.lang == 'python':
        if not args.python:
            return 'SKIP no Python with PyGObject'
        with open(base + '.py', 'w') as f:
            f.write(src)
        if unit.compile_only:
            return run([args.python, '-m', 'py_compile', base + '.py'], env, workdir)
        return run([args.python, base + '.py'], env, workdir, expect)
    return f'unknown language {unit.lang}'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('page')
    parser.add_argument('--srcroot', required=True)
    parser.add_argument('--cc', required=True, help='the C compiler command')
    parser.add_argument('--gjs')
    parser.add_argument('--python')
    parser.add_argument('--valac')
    parser.add_argument('--vapidir')
    args = parser.parse_args()

    try:
        units = parse_page(args.page)
    except PageError as e:
        print('1..1')
        print(f'not ok 1 - {os.path.basename(args.page)}: {e}')
        return 1

    env = dict(os.environ)
    env.setdefault('G_DEBUG', 'fatal-warnings')
    page = os.path.basename(args.page)
    print(f'1..{len(units)}' if units else '1..0 # SKIP no samples')
    failed = 0
    with tempfile.TemporaryDirectory(prefix='doc-samples-') as workdir:
        for n, unit in enumerate(units, 1):
            if unit.expected_output is not None and unit.compile_only:
                err = f'line {unit.line}: an output block for a compile-only sample'
            elif not unit.parts and not unit.excerpts:
                err = f'line {unit.line}: sample {unit.id!r} has only hidden code'
            else:
                err = test_unit(unit, args, env, workdir)
            name = f'{page}:{unit.line} {unit.id} ({unit.lang})'
            if err is None:
                print(f'ok {n} - {name}')
            elif err.startswith('SKIP'):
                print(f'ok {n} - {name} # {err}')
            else:
                failed += 1
                print(f'not ok {n} - {name}')
                for l in err.splitlines():
                    print(f'# {l}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
