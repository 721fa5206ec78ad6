#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes the type stubs of ``gi.repository.Gtasklet`` as a PEP 561 stub-only package.

    gen-stubs.py GIR OVERRIDE_PYI GI_INIT_PYI REPOSITORY_INIT_PYI OUTDIR

OUTDIR (``gi-stubs``) gets ``py.typed`` (``partial``: the package types only part of ``gi``),
``__init__.pyi`` and ``repository/__init__.pyi`` (copies of the two given files) and
``repository/Gtasklet.pyi``: the introspected API read from the GIR, so it cannot drift from
the library, merged with OVERRIDE_PYI, the hand-written stubs of the PyGObject override. A
class of OVERRIDE_PYI replaces the GIR's members of the same names (its bases too, when it
names any) and keeps the others; its other statements (imports, functions, aliases, private
helper classes) are copied as they are: its imports are the stub's, so they must include
``Any``, ``Callable`` and ``Sequence`` and ``GLib``, ``GObject`` and ``Gio``, which the
introspected part uses.

GLib, GObject and Gio are imported from ``gi.repository``: with no stubs for them (Debian
packages none) they are ``Any``, so the classes derived from ``GObject.Object`` accept any
attribute they do not declare, but every declared method, constructor and function has its
argument and return types checked.
"""

import ast
import keyword
import os
import shutil
import sys
import xml.etree.ElementTree as ET

CORE = '{http://www.gtk.org/introspection/core/1.0}'
GLIB = '{http://www.gtk.org/introspection/glib/1.0}'

BASIC = {
    'gboolean': 'bool', 'gchar': 'int', 'guchar': 'int', 'gint': 'int', 'guint': 'int',
    'gint8': 'int', 'guint8': 'int', 'gint16': 'int', 'guint16': 'int', 'gint32': 'int',
    'guint32': 'int', 'gint64': 'int', 'guint64': 'int', 'glong': 'int', 'gulong': 'int',
    'gsize': 'int', 'gssize': 'int', 'GType': 'GObject.GType', 'gfloat': 'float',
    'gdouble': 'float', 'utf8': 'str', 'filename': 'str', 'none': 'None', 'gpointer': 'Any',
    'GLib.Pid': 'int', 'GLib.Quark': 'int', 'GObject.Value': 'Any',
}
# Callback types: PyGObject takes any callable; the step and child functions may return None
# with the override (None counts as True, a failed start).
CALLBACKS = {
    'RunFunc': 'Callable[..., bool | None]',
    'ChildFunc': 'Callable[..., Tasklet | None]',
    'NodeFactory': 'Callable[..., Tasklet | None]',
    'Gio.AsyncReadyCallback': 'Callable[..., None]',
}


def pyname(name):
    name = name.replace('-', '_')
    return name + '_' if keyword.iskeyword(name) else name


def type_of(node, param=False):
    """The annotation of a parameter, return value, property or field."""
    array = node.find(CORE + 'array')
    if array is not None:
        item = array.find(CORE + 'type')
        inner = type_of(array) if item is None else BASIC.get(item.get('name'),
                                                               item.get('name'))
        return ('Sequence[%s]' if param else 'list[%s]') % inner
    t = node.find(CORE + 'type')
    if t is None:
        return 'Any'
    name = t.get('name')
    if name in CALLBACKS:
        return CALLBACKS[name]
    if name in ('GLib.List', 'GLib.SList'):
        return 'list[%s]' % type_of(t)
    return BASIC.get(name, name)


def nullable(node):
    return node.get('nullable') == '1' or node.get('allow-none') == '1'


def or_none(annotation):
    return annotation if annotation in ('Any', 'None') else annotation + ' | None'


def signature(callable_, kind, owner):
    """'def ...: ...' lines for a method, constructor, function or virtual method."""
    params = callable_.findall(CORE + 'parameters/' + CORE + 'parameter')
    closures, skip = set(), set()
    for p in params:
        if p.get('closure') is not None and p.get('name') != 'user_data':
            closures.add(int(p.get('closure')))
        if p.get('destroy') is not None:
            skip.add(int(p.get('destroy')))
        array = p.find(CORE + 'array')
        if array is not None and array.get('length') is not None:
            skip.add(int(array.get('length')))
    inputs = [i for i, p in enumerate(params)
              if p.get('direction') != 'out' and i not in skip]
    ins, outs = [], []
    user_data = False
    for i, p in enumerate(params):
        if p.get('direction') == 'out':
            outs.append(type_of(p))
            continue
        if i in skip:
            continue
        if i in closures:
            if i == inputs[-1]:
                user_data = True            # PyGObject: any number of user data
            else:
                ins.append(['user_data', 'Any', False])
            continue
        annotation = type_of(p, param=True)
        if nullable(p):
            annotation = or_none(annotation)
        ins.append([pyname(p.get('name')), annotation, nullable(p)])
    # Trailing nullable arguments may be left out.
    for entry in reversed(ins):
        if not entry[2]:
            break
        entry[2] = 'default'
    args = ['%s: %s%s' % (n, a, ' = ...' if d == 'default' else '') for n, a, d in ins]
    if user_data:
        args.append('*user_data: Any')
    ret_node = callable_.find(CORE + 'return-value')
    ret = 'None' if ret_node is None else type_of(ret_node)
    if kind == 'constructor':
        ret = owner
    elif ret_node is not None and nullable(ret_node):
        ret = or_none(ret)
    if outs:
        ret = 'tuple[%s]' % ', '.join(([ret] if ret != 'None' else []) + outs)
    name = pyname(callable_.get('name'))
    lines = []
    if kind == 'constructor':
        lines.append('@classmethod')
        args.insert(0, 'cls')
    elif kind == 'function':
        lines.append('@staticmethod')
    elif kind != 'module':
        args.insert(0, 'self')
        if kind == 'virtual-method':
            name = 'do_' + name
    lines.append('def %s(%s) -> %s: ...' % (name, ', '.join(args), ret))
    return name, lines


def introspectable(node):
    return node.get('introspectable') != '0'


class Gir:
    def __init__(self, path):
        root = ET.parse(path).getroot()
        self.ns = root.find(CORE + 'namespace')
        self.classes = {c.get('name'): c for c in self.ns.findall(CORE + 'class')}
        # Properties of these types are never None.
        self.values = {'bool', 'int', 'float', 'Any'}.union(
            e.get('name') for e in self.ns.findall(CORE + 'enumeration') +
            self.ns.findall(CORE + 'bitfield'))

    def props(self, cls, writable=False):
        """(name, annotation) of the properties of cls and its ancestors in the namespace."""
        result = []
        while cls is not None:
            for prop in cls.findall(CORE + 'property'):
                if writable and prop.get('writable') != '1':
                    continue
                annotation = type_of(prop)
                if annotation not in self.values:
                    annotation += ' | None'
                result.append((pyname(prop.get('name')), annotation))
            cls = self.classes.get(cls.get('parent'))
        return result


def class_members(gir, cls):
    """{name: lines} of an introspected class, in GIR order."""
    name = cls.get('name')
    members = {}
    own = [(pyname(p.get('name')), t if t in gir.values else t + ' | None') for p, t in
           ((p, type_of(p)) for p in cls.findall(CORE + 'property'))]
    if cls.tag == CORE + 'class':
        kwargs = ['%s: %s = ...' % (n, t) for n, t in gir.props(cls, writable=True)]
        members['__init__'] = ['def __init__(self%s) -> None: ...' %
                               ''.join(', ' + a for a in (['*'] + kwargs if kwargs else []))]
        parent = cls.get('parent')
        base = '%s._Props' % parent if parent in gir.classes else 'Any'
        body = ['    %s: %s' % (n, t) for n, t in own] or ['    ...']
        members['_Props'] = ['class _Props(%s):' % base] + body
        members['props'] = ['props: _Props']
    for field in cls.findall(CORE + 'field'):
        fname = field.get('name')
        if cls.tag == CORE + 'record' and not fname.startswith('_') and \
                field.get('private') != '1':
            members[fname] = ['%s: %s' % (fname, type_of(field))]
    for kind in ('constructor', 'function', 'method', 'virtual-method'):
        for callable_ in cls.findall(CORE + kind):
            if not introspectable(callable_):
                continue
            mname, lines = signature(callable_, kind, name)
            members[mname] = lines
    return members


def override_parts(path):
    with open(path, encoding='utf-8') as f:
        source = f.read()
    lines = source.splitlines()
    tree = ast.parse(source, path)
    classes, others = {}, []
    for node in tree.body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, 'decorator_list', [])])
        text = lines[start - 1:node.end_lineno]
        if isinstance(node, ast.ClassDef):
            members = {}
            for item in node.body:
                if isinstance(item, ast.Expr):        # a docstring or '...'
                    continue
                istart = min([item.lineno] + [d.lineno for d in
                                               getattr(item, 'decorator_list', [])])
                key = item.target.id if isinstance(item, ast.AnnAssign) else \
                    getattr(item, 'name', None) or ast.unparse(item)
                members.setdefault(key, []).extend(
                    l[4:] for l in lines[istart - 1:item.end_lineno])
            bases = [ast.unparse(b) for b in node.bases]
            if node.name.startswith('_'):         # a helper of the override's stubs
                others.extend(text + [''])
            else:
                classes[node.name] = (bases, members)
        else:
            others.extend(text)
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or \
                    node is tree.body[-1] or \
                    not isinstance(tree.body[tree.body.index(node) + 1],
                                   (ast.Import, ast.ImportFrom)):
                others.append('')
    return classes, others


def emit_class(out, name, bases, members):
    out.append('class %s(%s):' % (name, ', '.join(bases)) if bases else 'class %s:' % name)
    if not members:
        out.append('    ...')
    for lines in members.values():
        out.extend(('    ' + l) if l else '' for l in lines)
    out.append('')


def generate(gir_path, override_path):
    gir = Gir(gir_path)
    overrides, others = override_parts(override_path)
    out = ['# Type stubs of gi.repository.Gtasklet: the introspected API and the PyGObject',
           '# override. Generated by gen-stubs.py from Gtasklet-1.gir and %s; do not edit.'
           % os.path.basename(override_path)]
    out.extend(others)
    for const in gir.ns.findall(CORE + 'constant'):
        out.append('%s: %s' % (const.get('name'), type_of(const)))
    out.append('')
    for enum in gir.ns.findall(CORE + 'enumeration') + gir.ns.findall(CORE + 'bitfield'):
        name = enum.get('name')
        base = 'GObject.GFlags' if enum.tag == CORE + 'bitfield' else 'GObject.GEnum'
        members = {m.get('name').upper(): ['%s: %s' % (m.get('name').upper(), name)]
                   for m in enum.findall(CORE + 'member')}
        for func in enum.findall(CORE + 'function'):
            if introspectable(func):
                fname, lines = signature(func, 'function', name)
                members[fname] = lines
        emit_class(out, name, [base], members)
    classes = {}
    for node in gir.ns.findall(CORE + 'class') + gir.ns.findall(CORE + 'record'):
        name = node.get('name')
        if node.get(GLIB + 'is-gtype-struct-for'):
            classes[name] = ([], {})
            continue
        if not introspectable(node):
            continue
        parent = node.get('parent')
        bases = [parent if parent in gir.classes else (parent or 'GObject.GBoxed')]
        members = class_members(gir, node)
        if name in overrides:
            obases, omembers = overrides.pop(name)
            members = dict(omembers, **{k: v for k, v in members.items() if k not in omembers})
            bases = obases or bases
        classes[name] = (bases, members)
    for name, (bases, members) in classes.items():
        # A subclass's constructors (Supervisor.new) are not those of its parent (Tasklet.new).
        inherited = set()
        parent = gir.classes.get(name)
        while parent is not None and parent.get('parent') in classes:
            inherited.update(classes[parent.get('parent')][1])
            parent = gir.classes.get(parent.get('parent'))
        for member, lines in members.items():
            if member in inherited and member not in ('__init__', '_Props', 'props') and \
                    lines[0] == '@classmethod':
                lines[-1] += '  # type: ignore[override]'
        emit_class(out, name, bases, members)
    if overrides:
        raise SystemExit('%s: classes not in the GIR: %s' % (override_path, ', '.join(overrides)))
    for func in gir.ns.findall(CORE + 'function'):
        if introspectable(func):
            out.extend(signature(func, 'module', None)[1][-1:])
    return '\n'.join(out).rstrip('\n') + '\n'


def main():
    gir, override, gi_init, repository_init, outdir = sys.argv[1:]
    text = generate(gir, override)
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    os.makedirs(os.path.join(outdir, 'repository'))
    with open(os.path.join(outdir, 'py.typed'), 'w', encoding='utf-8') as f:
        f.write('partial\n')
    shutil.copyfile(gi_init, os.path.join(outdir, '__init__.pyi'))
    shutil.copyfile(repository_init, os.path.join(outdir, 'repository', '__init__.pyi'))
    with open(os.path.join(outdir, 'repository', 'Gtasklet.pyi'), 'w', encoding='utf-8') as f:
        f.write(text)


if __name__ == '__main__':
    main()
