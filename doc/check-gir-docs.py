#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Checks what `gi-docgen check` does not: virtual methods, class structures and versions.

`gi-docgen check` (the doc-check test) reports undocumented functions, methods, properties,
signals, enum members and their parameters. The reference also shows virtual methods, the
class structure's members and a "since" line, so this reports, from the GIR:

- a virtual method, or one of its parameters or its non-void return value, without docs;
- a record (class structures included) or one of its public non-callback fields without docs
  (callback fields are documented through their virtual method: g-ir-scanner never writes a
  doc for them);
- a public symbol without a `Since:` version.

Prints TAP; exits non-zero on any finding.
"""

import sys
import xml.etree.ElementTree as ET

CORE = '{http://www.gtk.org/introspection/core/1.0}'
GLIB = '{http://www.gtk.org/introspection/glib/1.0}'

VERSIONED = {
    CORE + 'class', CORE + 'record', CORE + 'enumeration', CORE + 'bitfield',
    CORE + 'callback', CORE + 'function', CORE + 'method', CORE + 'constructor',
    CORE + 'virtual-method', CORE + 'property', GLIB + 'signal', CORE + 'function-macro',
    CORE + 'constant',
}


def has_doc(el):
    return el.find(CORE + 'doc') is not None


def check_callable(path, el, findings):
    if not has_doc(el):
        findings.append(f'{path} is not documented')
    params = el.find(CORE + 'parameters')
    if params is not None:
        for p in params:
            if p.tag in (CORE + 'parameter', CORE + 'instance-parameter') and not has_doc(p):
                findings.append(f'parameter {p.get("name")} of {path} is not documented')
    ret = el.find(CORE + 'return-value')
    if ret is not None:
        t = ret.find(CORE + 'type')
        if not (t is not None and t.get('name') == 'none') and not has_doc(ret):
            findings.append(f'return value of {path} is not documented')


def main(gir):
    ns = ET.parse(gir).getroot().find(CORE + 'namespace')
    name = ns.get('name')
    findings = []

    for cls in ns.findall(CORE + 'class') + ns.findall(CORE + 'interface'):
        for vf in cls.findall(CORE + 'virtual-method'):
            check_callable(f'vfunc {name}.{cls.get("name")}.{vf.get("name")}', vf, findings)

    for rec in ns.findall(CORE + 'record'):
        path = f'{name}.{rec.get("name")}'
        if rec.get('introspectable') == '0':
            continue
        if not has_doc(rec):
            findings.append(f'record {path} is not documented')
        for field in rec.findall(CORE + 'field'):
            if field.get('private') == '1' or field.find(CORE + 'callback') is not None:
                continue
            if not has_doc(field):
                findings.append(f'field {path}.{field.get("name")} is not documented')

    def walk(el, path):
        for child in el:
            if child.tag in VERSIONED:
                cpath = f'{path}.{child.get("name")}'
                # Callback fields of a class structure carry no version of their own.
                if child.get('version') is None and el.tag != CORE + 'field' \
                        and child.get('introspectable') != '0':
                    findings.append(f'{cpath} has no Since: version')
                walk(child, cpath)
            elif child.tag == CORE + 'field':
                walk(child, path)

    walk(ns, name)

    print(f'1..{max(len(findings), 1)}')
    if not findings:
        print('ok 1 - every virtual method, class structure and symbol is documented and versioned')
        return 0
    for n, f in enumerate(findings, 1):
        print(f'not ok {n} - {f}')
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
