#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks the guide as a whole: reading order, links and the width of code blocks.

doc/meson.build passes the guide pages in reading order (its guide_pages list) and the
images; for each page this checks that:

``nav``
    The page ends with a line linking the previous and the next page in that order, after a
    rule (gi-docgen has no navigation between content pages):

        ---

        Previous: [Title](page.html) · Next: [Title](page.html)

    The first page has no "Previous", the last no "Next"; the titles are the pages' Title:
    lines. When the order changes, the failure prints the line each page needs.
``links``
    Every relative link goes to a published page (``page.html``, with an anchor that exists
    in it) or image, and the prose names no published page by its source (``doc/page.md``,
    ``page.md``): a reader of the published reference cannot follow those.
``widths``
    gi-docgen puts a "Copy" button over the top-right corner of every code block. Measured
    in headless Chromium with gi-docgen 2023.1's basic theme, the button covers the first
    line of a block and the top of the second (it is 21 px high; lines are 16 px), from
    column 85 on in a window 1280 px wide (91 columns fit), from 75 at 1200 px and from 62 at
    1100 px. So the first two lines of every block, of any language, are at most
    FIRST_LINES_MAX columns: clear of the button in windows from 1100 px. Longer lines
    further down are not covered: when they make the block scroll sideways, the text moves
    left, away from the button, and the first two lines have nothing under it.

The overview must also link every other page, from its guide list. Output is TAP.
"""

import argparse
import os
import re
import sys

import markdown

FIRST_LINES_MAX = 60

NAV_SEP = ' · '
LINK_RE = re.compile(r'(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)')
MD_NAME_RE = re.compile(r'(?<![\w/.-])((?:\.\./)*(?:doc/)?)([A-Za-z0-9_-]+)\.md\b')
DIRECTIVE_RE = re.compile(r'^<!--\s*sample:\s*(.*?)\s*-->\s*$')


def read_page(srcdir, page):
    with open(os.path.join(srcdir, page), encoding='utf-8') as f:
        return f.read()


def title_of(text):
    m = re.search(r'^Title:\s*(.+)$', text, re.M)
    return m.group(1).strip() if m else None


def anchors_of(text):
    """The ids gi-docgen's Markdown (toc extension) gives the page's headings."""
    md = markdown.Markdown(extensions=['meta', 'toc', 'fenced_code', 'tables'])
    md.convert(text)
    ids = set()

    def walk(tokens):
        for t in tokens:
            ids.add(t['id'])
            walk(t['children'])
    walk(md.toc_tokens)
    return ids


def split_blocks(lines):
    """Yields (kind, start, body) for fenced blocks and ('prose', i, [line]) for the rest."""
    i = 0
    directive = ''
    while i < len(lines):
        line = lines[i]
        if line.startswith('```'):
            lang = line[3:].strip()
            start = i
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith('```'):
                body.append(lines[i])
                i += 1
            yield ('code', start, (lang, directive, body))
            directive = ''
        else:
            m = DIRECTIVE_RE.match(line)
            if m:
                directive = m.group(1)
            elif line.strip():
                directive = ''
            yield ('prose', i, line)
        i += 1


def nav_line(pages, titles, k):
    parts = []
    if k > 0:
        parts.append(f'Previous: [{titles[pages[k - 1]]}]({pages[k - 1][:-3]}.html)')
    if k < len(pages) - 1:
        parts.append(f'Next: [{titles[pages[k + 1]]}]({pages[k + 1][:-3]}.html)')
    return NAV_SEP.join(parts)


def check_nav(text, expected):
    lines = text.rstrip('\n').split('\n')
    tail = lines[-4:]
    want = ['', '---', '', expected]
    if tail == want:
        others = [n + 1 for n, l in enumerate(lines[:-1]) if l.startswith(('Previous: [',
                                                                            'Next: ['))]
        return [f'line {n}: a second navigation line' for n in others]
    return ['the page must end with a blank line, "---", a blank line and:', expected]


def check_links(page, text, titles, images, anchors):
    published = set(titles)
    errors = []
    for kind, n, item in split_blocks(text.split('\n')):
        if kind != 'prose':
            continue
        line = item
        for m in LINK_RE.finditer(line):
            bang, target = m.group(1), m.group(3)
            if re.match(r'^[a-z][a-z0-9+.-]*:', target):
                continue                                 # https:, mailto:, …
            path, _, frag = target.partition('#')
            if bang:
                if path not in images:
                    errors.append(f'line {n + 1}: image {target} is not a content image')
                continue
            if path == '':
                path = page[:-3] + '.html'
            if not path.endswith('.html') or path[:-5] + '.md' not in published:
                hint = ''
                if path.endswith('.md') and os.path.basename(path) in published:
                    hint = f' (link {os.path.basename(path)[:-3]}.html)'
                errors.append(f'line {n + 1}: {target} is not a published page{hint}')
                continue
            if frag and frag not in anchors[path[:-5] + '.md']:
                errors.append(f'line {n + 1}: {path} has no heading with the id {frag!r}')
        for m in MD_NAME_RE.finditer(LINK_RE.sub('', line)):
            name = m.group(2) + '.md'
            if name in published:
                errors.append(f'line {n + 1}: {m.group(0)} names the source of a published '
                              f'page: link [{titles[name]}]({m.group(2)}.html)')
    return errors


def check_widths(text):
    errors = []
    for kind, start, item in split_blocks(text.split('\n')):
        if kind != 'code':
            continue
        lang, _, body = item
        for k, line in enumerate(body[:2]):
            width = len(line.expandtabs(8))
            if width > FIRST_LINES_MAX:
                errors.append(f'line {start + k + 2} ({lang} block of line {start + 1}): '
                              f'{width} columns; the first two lines of a block take at most '
                              f'{FIRST_LINES_MAX} (the copy button covers the rest)')
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--srcdir', required=True, help='the directory of the pages')
    parser.add_argument('--image', action='append', default=[], help='a content image')
    parser.add_argument('pages', nargs='+', help='the guide pages, in reading order')
    args = parser.parse_args()

    try:
        texts = {p: read_page(args.srcdir, p) for p in args.pages}
    except OSError as e:
        print('1..1')
        print(f'not ok 1 - a guide page is missing: {e}')
        return 1
    titles = {p: title_of(t) for p, t in texts.items()}
    anchors = {p: anchors_of(t) for p, t in texts.items()}
    images = set(args.image)

    results = []
    for k, page in enumerate(args.pages):
        if titles[page] is None:
            results.append((f'{page}: nav', ['no Title: line']))
            continue
        results.append((f'{page}: nav', check_nav(texts[page],
                                                  nav_line(args.pages, titles, k))))
        results.append((f'{page}: links', check_links(page, texts[page], titles, images,
                                                      anchors)))
        results.append((f'{page}: widths', check_widths(texts[page])))
    first = args.pages[0]
    linked = {m.group(3).partition('#')[0] for m in LINK_RE.finditer(texts[first])}
    missing = [f'{p} is not linked ([{titles[p]}]({p[:-3]}.html))'
               for p in args.pages[1:] if p[:-3] + '.html' not in linked]
    results.append((f'{first} links every page', missing))

    print(f'1..{len(results)}')
    failed = 0
    for n, (name, errors) in enumerate(results, 1):
        if errors:
            failed += 1
            print(f'not ok {n} - {name}')
            for e in errors:
                print(f'# {e}')
        else:
            print(f'ok {n} - {name}')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
