#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks the reference's project and source links.

The project has no public address, so doc/meson.build writes them into the gi-docgen
configuration only when the doc_* options are set, and none is set by default. This test
builds the reference a second time, into a scratch directory, from a configuration that
meson wrote with sample addresses (gtasklet-links-test.toml), and checks that:

- the front page shows the website and the repository;
- every symbol page has a "[src]" link, and each link is the base URL followed by a file
  that exists in the source tree (the GIR records paths relative to the source root) and a
  line within it;
- a known symbol links to its declaration and to its doc comment.

It also checks that the configuration of the real reference (gtasklet.toml) carries the
options it was configured with and nothing when they are empty. Output is TAP.
"""

import argparse
import glob
import html
import os
import re
import subprocess
import sys
import tempfile

try:
    import tomllib
except ImportError:     # Python < 3.11; gi-docgen itself uses the toml module
    tomllib = None

KNOWN_GENERATED = set()
SRCLINK_RE = re.compile(r'<a class="srclink"[^>]*href="([^"]*)"')
# gi-docgen 2023.1 stores a constant's doc location on the GIR node instead of the template
# object, so constant pages never get a source link, whatever the configuration says.
NO_LINK_PREFIXES = ('const.',)
SYMBOL_PAGE_RE = re.compile(r'^(alias|callback|class|class_method|ctor|enum|error|flags|func|'
                            r'iface|method|property|signal|struct|type_func|vfunc|const)\.')


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, name, errors):
        self.n += 1
        if errors:
            self.failed += 1
            print(f'not ok {self.n} - {name}')
            for e in errors[:20]:
                print(f'# {e}')
            if len(errors) > 20:
                print(f'# ... and {len(errors) - 20} more')
        else:
            print(f'ok {self.n} - {name}')


def load_toml(path):
    if tomllib is None:
        import toml
        return toml.load(path)
    with open(path, 'rb') as f:
        return tomllib.load(f)


def check_real_config(args):
    conf = load_toml(args.config)
    lib = conf.get('library', {})
    errors = []
    expected = {
        'website_url': args.website_url,
        'browse_url': args.repository_url,
        'repository_url': args.repository_url,
    }
    for key, value in expected.items():
        if lib.get(key, '') != value:
            errors.append(f'[library] {key} is {lib.get(key)!r}, the option says {value!r}')
    base = conf.get('source-location', {}).get('base_url', '')
    if args.source_url == '':
        if 'source-location' in conf:
            errors.append('[source-location] is present but doc_source_url is empty')
    elif base.rstrip('/') != args.source_url.rstrip('/') or not base.endswith('/'):
        errors.append(f'[source-location] base_url is {base!r}, '
                      f'the option says {args.source_url!r} (and it must end with "/")')
    return errors


def check_link(href, base, srcroot):
    """Returns an error for a source link, or None."""
    if not href.startswith(base):
        return f'{href} does not start with {base}'
    m = re.fullmatch(r'(.+)#L(\d+)', href[len(base):])
    if not m:
        return f'{href} is not FILE#LLINE'
    path, line = m.group(1), int(m.group(2))
    full = os.path.join(srcroot, path)
    if not os.path.exists(full) and os.path.exists(full + '.in'):
        # A header that meson configures from FILE.in (gtasklet-version.h): the GIR names
        # the generated file, so the link misses by ".in"; gi-docgen has no per-file
        # mapping. The two have the same lines, so the line at least is right.
        KNOWN_GENERATED.add(path)
        full += '.in'
    try:
        with open(full, encoding='utf-8') as f:
            n_lines = sum(1 for _ in f)
    except OSError:
        return f'{href}: {path} is not in the source tree'
    if not 1 <= line <= n_lines:
        return f'{href}: {path} has {n_lines} lines'
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--gidocgen', required=True)
    parser.add_argument('--gir', required=True)
    parser.add_argument('--include-path', required=True)
    parser.add_argument('--content-dir', required=True)
    parser.add_argument('--srcroot', required=True)
    parser.add_argument('--config', required=True, help='the real gtasklet.toml')
    parser.add_argument('--website-url', default='')
    parser.add_argument('--repository-url', default='')
    parser.add_argument('--source-url', default='')
    parser.add_argument('--test-config', required=True)
    parser.add_argument('--symbol', default='gtasklet_tasklet_send',
                        help='a C function whose links are checked line by line')
    parser.add_argument('--symbol-page', default='method.Tasklet.send.html')
    args = parser.parse_args()

    tap = Tap()
    print('1..5')
    tap.result('gtasklet.toml matches the doc_* options', check_real_config(args))

    test_conf = load_toml(args.test_config)
    base = test_conf['source-location']['base_url']
    with tempfile.TemporaryDirectory(prefix='doc-links-') as out:
        p = subprocess.run([args.gidocgen, 'generate', '--quiet', '--fatal-warnings',
                            f'--add-include-path={args.include_path}',
                            f'--config={args.test_config}', f'--output-dir={out}',
                            '--no-namespace-dir', f'--content-dir={args.content_dir}',
                            args.gir],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            tap.result('the reference builds with sample links',
                       [f'gi-docgen exited with {p.returncode}'] + p.stdout.splitlines())
            print('not ok 3 - every symbol page has source links # not built')
            print('not ok 4 - the known symbol # not built')
            print('not ok 5 - front page links # not built')
            return 1
        tap.result('the reference builds with sample links', [])

        errors = []
        pages = sorted(os.path.basename(f) for f in glob.glob(os.path.join(out, '*.html')))
        n_links = 0
        for page in pages:
            if not SYMBOL_PAGE_RE.match(page):
                continue
            with open(os.path.join(out, page), encoding='utf-8') as f:
                links = [html.unescape(h) for h in SRCLINK_RE.findall(f.read())]
            n_links += len(links)
            if not links and not page.startswith(NO_LINK_PREFIXES):
                errors.append(f'{page}: no source link')
            for href in links:
                err = check_link(href, base, args.srcroot)
                if err:
                    errors.append(f'{page}: {err}')
        if n_links == 0:
            errors.append('no source link at all')
        tap.result(f'every symbol page has source links ({n_links} links)', errors)
        for path in sorted(KNOWN_GENERATED):
            print(f'# note: links to {path} miss by ".in": it is generated from {path}.in')

        errors = []
        try:
            with open(os.path.join(out, args.symbol_page), encoding='utf-8') as f:
                links = [html.unescape(h) for h in SRCLINK_RE.findall(f.read())]
        except OSError as e:
            links = []
            errors.append(str(e))
        kinds = set()
        for href in links:
            m = re.fullmatch(r'(.+)#L(\d+)', href[len(base):])
            if not m or check_link(href, base, args.srcroot):
                continue
            path, line = m.group(1), int(m.group(2))
            with open(os.path.join(args.srcroot, path), encoding='utf-8') as f:
                near = f.readlines()[line - 1:line + 2]
            if not any(re.search(rf'\b{args.symbol}\b', t) for t in near):
                errors.append(f'{href}: {args.symbol} is not at that line')
            kinds.add(os.path.splitext(path)[1])
        if kinds != {'.c', '.h'}:
            errors.append(f'{args.symbol_page}: expected links to a .c and a .h, got {links}')
        tap.result(f'{args.symbol_page} links to {args.symbol}', errors)

        errors = []
        with open(os.path.join(out, 'index.html'), encoding='utf-8') as f:
            index = f.read()
        for key in ('website_url', 'browse_url'):
            url = test_conf['library'][key]
            if f'href="{url}"' not in index:
                errors.append(f'index.html does not link {url} ({key})')
        tap.result('the front page links the website and the repository', errors)
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main())
