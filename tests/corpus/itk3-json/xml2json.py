#!/usr/bin/env python3
"""Convert FHIR STU3 XML (one corpus file) to FHIR STU3 JSON, typed by schemas/fhir/model.txt.

Usage: xml2json.py IN.xml OUT.json

Writes the JSON twins in tests/corpus/itk3-json/. Arrays exactly for repeating elements,
numbers/booleans for those primitives, `_name` for primitive extensions/ids, narrative div as an
XHTML string. Elements the model does not know are written through as-is (so the twin keeps the
same defect), and a lower-case <bundle> keeps its name as resourceType.
"""
import json, sys, xml.etree.ElementTree as ET

FHIR = '{http://hl7.org/fhir}'
XHTML = '{http://www.w3.org/1999/xhtml}'
model, cur = {}, None
for line in open(__file__.rsplit('/', 4)[0] + '/schemas/fhir/model.txt'):
    line = line.rstrip('\n')
    if line.startswith('@'):
        cur = line[1:].split(' ')[0]; model[cur] = {}
    else:
        p = line.split(' ')
        n = p[0]; arr = n.endswith('*'); n = n.rstrip('*')
        model[cur][n] = (p[1], arr)
PRIM = {'base64Binary', 'boolean', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'integer', 'markdown',
        'oid', 'positiveInt', 'string', 'time', 'unsignedInt', 'uri', 'uuid', 'xhtml'}


def local(tag):
    return tag.split('}')[-1]


def prim_value(ty, v):
    if ty == 'boolean' and v in ('true', 'false'):
        return v == 'true'
    if ty in ('integer', 'positiveInt', 'unsignedInt'):
        try: return int(v)
        except ValueError: return v
    if ty == 'decimal':
        try: return json.loads(v)
        except ValueError: return v
    return v


def resource(el):
    out = {'resourceType': local(el.tag)}
    complex_into(el, local(el.tag), out)
    return out


def complex_into(el, ty, out):
    defs = model.get(ty, {})
    for a in ('id', 'url'):
        if a in el.attrib and el.tag != FHIR + local(el.tag) or (a in el.attrib and a == 'url'):
            out[a] = el.attrib[a]
    groups = {}
    for c in el:
        if not isinstance(c.tag, str):
            continue
        groups.setdefault(local(c.tag), []).append(c)
    for name, items in groups.items():
        t, arr = defs.get(name, (None, len(items) > 1))
        if name == 'div' and items[0].tag.startswith(XHTML):
            out['div'] = ET.tostring(items[0], encoding='unicode').replace('ns0:', '').replace(':ns0', '')
            continue
        vals, exts, any_ext = [], [], False
        for c in items:
            if t in PRIM:
                v = c.attrib.get('value')
                vals.append(prim_value(t, v) if v is not None else None)
                e = {}
                if 'id' in c.attrib: e['id'] = c.attrib['id']
                ex = [complex(x, 'Extension') for x in c if isinstance(x.tag, str) and local(x.tag) == 'extension']
                if ex: e['extension'] = ex
                exts.append(e or None); any_ext = any_ext or bool(e)
            elif t == 'Resource':
                inner = [x for x in c if isinstance(x.tag, str)]
                vals.append(resource(inner[0]) if inner else {})
            else:
                vals.append(complex(c, t))
        if t in PRIM:
            if arr:
                out[name] = vals
                if any_ext: out['_' + name] = exts
            else:
                if vals[0] is not None: out[name] = vals[0]
                if exts[0]: out['_' + name] = exts[0]
        else:
            out[name] = vals if arr else vals[0]


def complex(el, ty):
    out = {}
    if 'id' in el.attrib: out['id'] = el.attrib['id']
    if 'url' in el.attrib: out['url'] = el.attrib['url']
    if ty is None:
        if 'value' in el.attrib: out['value'] = el.attrib['value']
    complex_into(el, ty, out)
    return out


ET.register_namespace('', 'http://www.w3.org/1999/xhtml')
root = ET.parse(sys.argv[1]).getroot()
json.dump(resource(root), open(sys.argv[2], 'w'), indent=2, ensure_ascii=False)
open(sys.argv[2], 'a').write('\n')
