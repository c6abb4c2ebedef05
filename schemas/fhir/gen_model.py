#!/usr/bin/env python3
"""Extract the FHIR STU3 element model from fhir.schema.json into model.txt.

Usage: gen_model.py path/to/fhir.schema.json > model.txt

model.txt is what src/fhir/model.rs embeds: for every resource and complex type, each element
with its type and whether it repeats (a JSON array). It is the base model the element view needs
to give XML and JSON the same shape (which elements repeat, which are primitives of which type)
and is far smaller than the schema (descriptions dropped).

Format:  `@Name` starts a type (`@Name R` for a resource); then one line per element:
`name[*] type[ =code1|code2...]` (* = repeats; `=` lists the codes of an enumerated code).
"""
import json, sys

PRIMS = ['base64Binary', 'boolean', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'integer',
         'markdown', 'oid', 'positiveInt', 'string', 'time', 'unsignedInt', 'uri', 'uuid', 'xhtml']

s = json.load(open(sys.argv[1]))
d = s['definitions']
resources = {r['$ref'].split('/')[-1] for r in d['ResourceList']['oneOf']}
pattern_to_prim = {}
for p in PRIMS:
    pat = d[p].get('pattern')
    if pat:
        pattern_to_prim[(d[p].get('type'), pat)] = p


def inline_type(name, pv):
    if 'enum' in pv:
        return 'code'
    t, pat = pv.get('type'), pv.get('pattern')
    if t == 'boolean':
        return 'boolean'
    # choice elements carry the type in the name suffix: valueDateTime, effectiveInstant ...
    best = None
    for p in PRIMS:
        suf = p[0].upper() + p[1:]
        if name.endswith(suf) and (best is None or len(suf) > len(best)):
            best = p
    if best and (pat is None or pattern_to_prim.get((t, pat)) in (None, best)):
        return best
    if pat and (t, pat) in pattern_to_prim:
        return pattern_to_prim[(t, pat)]
    return 'string'


def ref_name(r):
    n = r.split('/')[-1]
    return 'Resource' if n == 'ResourceList' else n


out = []
for name in sorted(d):
    v = d[name]
    props = v.get('properties')
    if not props:
        continue
    out.append('@' + name + (' R' if name in resources else ''))
    for p, pv in props.items():
        if p.startswith('_') or p == 'resourceType':
            continue
        arr = pv.get('type') == 'array'
        it = pv.get('items', pv) if arr else pv
        if '$ref' in it:
            t = ref_name(it['$ref'])
        else:
            t = inline_type(p, it)
        line = p + ('*' if arr else '') + ' ' + t
        if 'enum' in it:
            line += ' =' + '|'.join(it['enum'])
        out.append(line)
print('\n'.join(out))
