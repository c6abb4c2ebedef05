#!/usr/bin/env python3
"""Compile the ITK3 conformance resources into schemas/fhir/profiles.txt.

Usage: gen_profiles.py DIR > profiles.txt
  DIR = a copy of the fhir-stu3 conformance folder (StructureDefinition/, ValueSet/, CodeSystem/,
        MessageDefinition/ and ITK-MessageDefinition-Fullset-1.0.1-26092019.zip); see SOURCES.md.

The 23 MB of StructureDefinition snapshots shrink to the constraints the validator checks
(src/fhir/profile.rs): per profile only the elements that constrain something -- min >= 1,
max 0, max 1 on a repeating element, fixed/pattern primitives, required bindings to value sets
we can expand, slices with how to recognise them (extension url, identifier system, coding
pattern), choice-type restrictions -- plus their ancestors. Value sets are expanded from the
included CodeSystems; MessageDefinitions contribute their event and utilised profiles.

Lines (tab-separated):
  P url type name                      a profile
  E id min max [k=v ...]               an element (keys: f fixed, q pattern, k coding pattern
                                       system#code, b binding, x extension profile, d slice
                                       predicate, t allowed types of a choice)
  V url system#code ...                an expanded value set
  M url event profile ...              a MessageDefinition
"""
import glob, io, os, sys, zipfile, xml.etree.ElementTree as ET

F = '{http://hl7.org/fhir}'
D = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
arrays = set()
cur = None
for line in open(os.path.join(here, 'model.txt')):
    line = line.rstrip('\n')
    if line.startswith('@'):
        cur = line[1:].split(' ')[0]
    else:
        n = line.split(' ')[0]
        if n.endswith('*'):
            arrays.add(cur + '.' + n[:-1])


def load_all():
    docs = []
    z = zipfile.ZipFile(os.path.join(D, 'ITK-MessageDefinition-Fullset-1.0.1-26092019.zip'))
    for n in sorted(z.namelist()):
        if n.endswith('.xml'):
            try:
                docs.append(('zip', ET.parse(io.BytesIO(z.read(n))).getroot()))
            except ET.ParseError:
                pass
    for sub in ('StructureDefinition', 'ValueSet', 'CodeSystem', 'MessageDefinition'):
        for p in sorted(glob.glob(os.path.join(D, sub, '*.xml'))):
            try:
                docs.append(('dir', ET.parse(p).getroot()))
            except ET.ParseError:
                pass
    return docs


def v(el, name):
    c = el.find(F + name)
    return c.get('value') if c is not None else None


sds, vss, css, mds = {}, {}, {}, {}
for origin, r in load_all():
    kind = r.tag.replace(F, '')
    url = v(r, 'url')
    if not url:
        continue
    # The standalone copies ([A] develop) are newer than the 2019 full set: they win.
    target = {'StructureDefinition': sds, 'ValueSet': vss, 'CodeSystem': css, 'MessageDefinition': mds}.get(kind)
    if target is not None and (url not in target or origin == 'dir'):
        target[url] = r


def cs_codes(url):
    cs = css.get(url)
    if cs is None:
        return None
    out, stack = [], list(cs.findall(F + 'concept'))
    while stack:
        c = stack.pop()
        out.append(v(c, 'code'))
        stack.extend(c.findall(F + 'concept'))
    return out


def expand(url):
    vs = vss.get(url)
    if vs is None:
        return None
    comp = vs.find(F + 'compose')
    if comp is None or comp.find(F + 'exclude') is not None:
        return None
    out = []
    for inc in comp.findall(F + 'include'):
        sysu = v(inc, 'system')
        if inc.find(F + 'filter') is not None or inc.find(F + 'valueSet') is not None or not sysu:
            return None
        concepts = inc.findall(F + 'concept')
        codes = [v(c, 'code') for c in concepts] if concepts else cs_codes(sysu)
        if codes is None:
            return None
        out += [sysu + '#' + c for c in codes if c]
    return out


PRIMS = ['base64Binary', 'boolean', 'code', 'date', 'dateTime', 'decimal', 'id', 'instant', 'integer', 'markdown',
         'oid', 'positiveInt', 'string', 'time', 'unsignedInt', 'uri', 'uuid']
needed_vs = set()
lines = []


def base_path(path):
    # Composition.section.entry -> ('Composition_Section', 'entry') is not knowable here; use
    # the type-level path for the array test, which the model keys by the element's own type.
    return path


model = {}
cur = None
for line in open(os.path.join(here, 'model.txt')):
    line = line.rstrip('\n')
    if line.startswith('@'):
        cur = line[1:].split(' ')[0]; model[cur] = {}
    else:
        p = line.split(' ')
        model[cur][p[0].rstrip('*')] = (p[1], p[0].endswith('*'))


def repeats(path):
    steps = path.split('.')
    ty = steps[0]
    for i, st in enumerate(steps[1:]):
        e = model.get(ty if ty in model else 'Element', {}).get(st)
        if e is None:
            return False
        if i == len(steps) - 2:
            return e[1]
        ty = e[0]
    return False


def esc(s):
    return s.replace('\t', ' ').replace('\n', ' ')


for url in sorted(sds):
    sd = sds[url]
    snap = sd.find(F + 'snapshot')
    ty = v(sd, 'type') or ''
    if snap is None:
        continue
    elems = snap.findall(F + 'element')
    rows = {}
    order = []
    for e in elems:
        eid = e.get('id') or v(e, 'path')
        if not eid:
            continue
        order.append(eid)
        mn, mx = v(e, 'min') or '0', v(e, 'max') or '*'
        flags = []
        keep = False
        for c in e:
            tag = c.tag.replace(F, '')
            if tag.startswith('fixed') and c.get('value') is not None:
                flags.append('f=' + esc(c.get('value'))); keep = True
            elif tag.startswith('pattern') and c.get('value') is not None:
                flags.append('q=' + esc(c.get('value'))); keep = True
            elif tag in ('patternCodeableConcept', 'patternCoding', 'fixedCodeableConcept', 'fixedCoding'):
                cd = c.find(F + 'coding') if 'Concept' in tag else c
                if cd is not None and v(cd, 'code'):
                    flags.append('k=' + esc((v(cd, 'system') or '') + '#' + v(cd, 'code'))); keep = True
            elif tag == 'binding' and v(c, 'strength') == 'required':
                ref = c.find(F + 'valueSetReference')
                vsu = v(ref, 'reference') if ref is not None else v(c, 'valueSetUri')
                if vsu and expand(vsu):
                    flags.append('b=' + vsu); needed_vs.add(vsu); keep = True
        types = [t for t in e.findall(F + 'type')]
        codes = [v(t, 'code') for t in types]
        if eid.endswith('[x]') and 0 < len(codes) < 30:
            flags.append('t=' + ','.join(c for c in codes if c)); keep = True
        prof = [v(t, 'profile') for t in types if v(t, 'profile')]
        if v(e, 'sliceName'):
            keep = True
            if prof and codes and codes[0] == 'Extension':
                flags.append('x=' + prof[0])
        # max 1 on an element that repeats in the base
        path = v(e, 'path') or ''
        if mx == '0' or (int(mn) >= 1 and '.' in eid) or (mx == '1' and repeats(path)):
            keep = True
        rows[eid] = [mn, mx, flags, keep]
    # slice predicates: from the slicing discriminator of the sliced element
    slicing = {}
    for e in elems:
        s = e.find(F + 'slicing')
        if s is not None:
            ds = [v(d, 'path') for d in s.findall(F + 'discriminator')]
            slicing[e.get('id')] = ds
    for eid in order:
        last = eid.rsplit('.', 1)[-1]
        if ':' not in last:
            continue
        base_id = eid[:len(eid) - len(last)] + last.split(':')[0]
        ds = slicing.get(base_id, [])
        pred = None
        if ds == ['url']:
            xs = [f for f in rows[eid][2] if f.startswith('x=')]
            fx = rows.get(eid + '.url', [None, None, []])[2]
            fu = [f[2:] for f in fx if f.startswith('f=')]
            if fu:
                pred = 'url=' + fu[0]
            elif xs:
                pred = 'url=' + xs[0][2:]
        elif len(ds) == 1 and ds[0] not in (None, '$this'):
            child = rows.get(eid + '.' + ds[0])
            if child:
                fv = [f[2:] for f in child[2] if f[:2] in ('f=', 'q=')]
                if fv:
                    pred = ds[0] + '=' + fv[0]
            if pred is None:
                # patternCodeableConcept / patternCoding on the discriminator element
                for e in elems:
                    if e.get('id') == eid + '.' + ds[0]:
                        for c in e:
                            tag = c.tag.replace(F, '')
                            if tag in ('patternCodeableConcept', 'patternCoding', 'fixedCodeableConcept', 'fixedCoding'):
                                cd = c.find(F + 'coding') if 'Concept' in tag else c
                                if cd is not None and v(cd, 'code'):
                                    pred = ds[0] + '~' + (v(cd, 'system') or '') + '#' + v(cd, 'code')
        if pred:
            rows[eid][2].append('d=' + esc(pred))
    kept = set(k for k, r in rows.items() if r[3])
    # drop what sits under a max-0 element, then add ancestors of what is kept
    zero = [k for k in kept if rows[k][1] == '0']
    kept = set(k for k in kept if not any(k.startswith(z + '.') or k.startswith(z + ':') for z in zero))
    for k in list(kept):
        parts = k.split('.')
        for i in range(1, len(parts)):
            a = '.'.join(parts[:i])
            if a in rows:
                kept.add(a)
    lines.append('P\t%s\t%s\t%s' % (url, ty, v(sd, 'name') or ''))
    for eid in order:
        if eid in kept:
            mn, mx, flags, _ = rows[eid]
            lines.append('\t'.join(['E', eid, mn, mx] + flags))

for url in sorted(needed_vs):
    lines.append('V\t%s\t%s' % (url, ' '.join(expand(url))))

for url in sorted(mds):
    md = mds[url]
    ev = md.find(F + 'event')
    code = v(ev, 'code') if ev is not None else ''
    profs = []
    for ext in md.iter(F + 'extension'):
        if ext.get('url') == 'utilisedAsset':
            t = [x for x in ext.findall(F + 'extension') if x.get('url') == 'type']
            r = [x for x in ext.findall(F + 'extension') if x.get('url') == 'reference']
            if t and r and v(t[0], 'valueCode') == 'StructureDefinition':
                rv = r[0].find(F + 'valueReference')
                if rv is not None and v(rv, 'reference'):
                    profs.append(v(rv, 'reference'))
    lines.append('\t'.join(['M', url, code or ''] + sorted(set(profs))))

print('\n'.join(lines))
