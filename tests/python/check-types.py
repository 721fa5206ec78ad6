#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Type-checks Python code against gtasklet's stubs (gi-stubs) with mypy.

    check-types.py --stubs DIR --srcroot SRC [--pages DOCDIR] [--good FILE ...]
                   [--bad FILE ...]

DIR holds the generated stub-only package ``gi-stubs``; mypy finds it through PYTHONPATH,
as it finds an installed one in site-packages. Every ``python`` sample of the pages
(``*.md``) in DOCDIR, as doc/check-samples.py extracts them, and each ``--good`` file must
pass; each ``--bad`` file must fail with exactly the errors it announces: a line that ends in
``# E: CODE`` must get an error of that mypy code, and no other line may get one. Output is
TAP, one line per file.

mypy runs with --check-untyped-defs (samples are unannotated, and mypy skips the bodies of
unannotated functions otherwise) and --strict-optional, strict enough to catch an argument
of the wrong type.
"""

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

MYPY_ARGS = ['-m', 'mypy', '--no-incremental', '--check-untyped-defs', '--strict-optional',
             '--warn-unused-ignores', '--show-error-codes', '--no-error-summary',
             '--hide-error-context', '--no-color-output', '--python-version', '3.11']
ERROR_RE = re.compile(r'^(?P<file>[^:]+):(?P<line>\d+): error: (?P<text>.*?)'
                      r'(?:  \[(?P<code>[a-z-]+)\])?$')
EXPECT_RE = re.compile(r'#\s*E:\s*(?P<code>[a-z-]+)\s*$')


def load_sample_parser(srcroot):
    path = os.path.join(srcroot, 'doc', 'check-samples.py')
    spec = importlib.util.spec_from_file_location('check_samples', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def mypy(files, env, cwd):
    """{file: [(line, code, text)]} of mypy's errors, and its whole output."""
    p = subprocess.run([sys.executable] + MYPY_ARGS + files, env=env, cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       check=False)
    errors = {}
    for line in p.stdout.splitlines():
        m = ERROR_RE.match(line)
        if m:
            errors.setdefault(os.path.basename(m['file']), []).append(
                (int(m['line']), m['code'], m['text']))
    if p.returncode not in (0, 1) or (p.returncode == 1 and not errors):
        raise SystemExit('Bail out! mypy failed:\n' + p.stdout)
    return errors, p.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--stubs', required=True)
    parser.add_argument('--srcroot', required=True)
    parser.add_argument('--pages')
    parser.add_argument('--good', action='append', default=[])
    parser.add_argument('--bad', action='append', default=[])
    args = parser.parse_args()

    if not os.path.isfile(os.path.join(args.stubs, 'gi-stubs', 'repository', 'Gtasklet.pyi')):
        print('Bail out! no gi-stubs/repository/Gtasklet.pyi in %s' % args.stubs)
        return 1
    samples = load_sample_parser(args.srcroot)
    env = dict(os.environ)
    env['PYTHONPATH'] = os.pathsep.join([args.stubs] + [p for p in env.get(
        'PYTHONPATH', '').split(os.pathsep) if p])
    env.pop('MYPYPATH', None)

    with tempfile.TemporaryDirectory(prefix='check-types-') as work:
        good = {}                       # file name in work -> what it is
        pages = sorted(os.path.join(args.pages, p) for p in os.listdir(args.pages)
                       if p.endswith('.md')) if args.pages else []
        for page in pages:
            base = os.path.basename(page)[:-3]
            for unit in samples.parse_page(page):
                if unit.lang != 'python' or not unit.parts:
                    continue
                name = 'doc_%s_%s.py' % (base, re.sub(r'[^A-Za-z0-9]', '_', unit.id))
                with open(os.path.join(work, name), 'w', encoding='utf-8') as f:
                    f.write(unit.source())
                good[name] = '%s:%d %s' % (os.path.basename(page), unit.line, unit.id)
        for path in args.good:
            name = 'good_' + re.sub(r'[^A-Za-z0-9]', '_', os.path.basename(path)[:-3]) + '.py'
            shutil.copyfile(path, os.path.join(work, name))
            good[name] = os.path.relpath(path, args.srcroot)
        # The stubs themselves, as a module of their own (an error in an installed stub
        # package is otherwise silent).
        stub = os.path.join(work, 'Gtasklet_stubs.pyi')
        shutil.copyfile(os.path.join(args.stubs, 'gi-stubs', 'repository', 'Gtasklet.pyi'),
                        stub)
        good['Gtasklet_stubs.pyi'] = 'the generated Gtasklet.pyi'

        print('1..%d' % (len(good) + len(args.bad)))
        n = failed = 0
        errors, output = mypy(sorted(good), env, work)
        for name, what in good.items():
            n += 1
            if name in errors:
                failed += 1
                print('not ok %d - mypy accepts %s' % (n, what))
                for line, code, text in errors[name]:
                    print('# line %d: %s [%s]' % (line, text, code))
            else:
                print('ok %d - mypy accepts %s' % (n, what))

        for path in args.bad:
            n += 1
            name = 'bad_' + re.sub(r'[^A-Za-z0-9]', '_', os.path.basename(path)[:-3]) + '.py'
            shutil.copyfile(path, os.path.join(work, name))
            with open(path, encoding='utf-8') as f:
                expected = {i: m['code'] for i, l in enumerate(f, 1)
                            for m in [EXPECT_RE.search(l)] if m}
            errors, output = mypy([name], env, work)
            got = {line: code for line, code, text in errors.get(name, [])}
            problems = ['line %d: expected an error [%s], got %s' % (l, c, got.get(l))
                        for l, c in sorted(expected.items()) if got.get(l) != c]
            problems += ['line %d: unexpected error [%s]' % (l, c)
                         for l, c in sorted(got.items()) if l not in expected]
            what = os.path.relpath(path, args.srcroot)
            if not expected:
                problems.append('announces no error (no "# E: CODE" line)')
            if problems:
                failed += 1
                print('not ok %d - mypy rejects exactly what %s announces' % (n, what))
                for problem in problems:
                    print('# ' + problem)
                for line in output.splitlines():
                    print('# mypy: ' + line)
            else:
                print('ok %d - mypy rejects exactly what %s announces (%d errors)'
                      % (n, what, len(expected)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
