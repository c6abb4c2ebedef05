#!/usr/bin/env python3
"""Build schemas/xsd-bundle.bin: the XSD files the validator compiles, deduplicated and deflated.

Maintenance script, not part of the build: it reads a checkout of the DMS schema packs
(UECIT/cdss-tkw TKW/contrib/DMS_Schema, given as the first argument) and writes the bundle and
schemas/SOURCES.md. Only the include/import closure of the pack roots below is taken, so the
packs' examples, vocabularies and HTML never enter the repo. Identical files (the packs ship many
copies of the same data-type and template schemas) are stored once. Comments, xs:annotation
elements and whitespace between tags are removed first: they carry no validation semantics and
are 40 % of the compressed size (the originals are at the paths listed in SOURCES.md).

Bundle format (zlib-compressed): records, each a header line then bytes.
  F <path> <len>\n<len bytes>      a file
  A <path> <target path>\n         same content as an earlier file
"""
import hashlib, os, re, sys, zlib

# Pack roots: (pack id, root schema path relative to DMS_Schema). Keep in sync with
# src/schema/pack_defs.rs (build.rs compiles the packs from the bundle).
ROOTS = [
    ("de", "ITK_Core/Schemas/distributionEnvelope-v2-0.xsd"),
    ("inf", "ITK_Core/Schemas/GenericInfrastructureResponse-v1-0.xsd"),
    ("mcci", "BusinessAcknowledgement/Schemas/MCCI_MT020000GB02.xsd"),
    ("cda", "GenericCDA/Schemas/POCD_MT000002UK01.xsd"),
]
TEMPLATE_PACKS = "NHS111 Ambulance Discharge Emergency OutOfHours Outpatients NonCodedCDA Nullification ChildScreening TransferOfCare Telehealth HPEN HSCI HSCI_ITKService".split()

def closure(base, root):
    seen, stack = [], [root]
    while stack:
        rel = os.path.normpath(stack.pop())
        if rel in seen:
            continue
        f = os.path.join(base, rel)
        if not os.path.exists(f):
            print("missing", rel, file=sys.stderr)
            continue
        seen.append(rel)
        t = open(f, encoding="utf-8", errors="replace").read()
        for m in re.finditer(r'<(?:xs:|xsd:)?(?:include|import|redefine)\b[^>]*schemaLocation="([^"]+)"', t):
            stack.append(os.path.join(os.path.dirname(rel), m.group(1)))
    return seen

def minify(data):
    t = data.decode("utf-8")
    t = re.sub(r"<!--.*?-->", "", t, flags=re.S)
    t = re.sub(r"<(xs|xsd):annotation\b.*?</\1:annotation>", "", t, flags=re.S)
    t = re.sub(r">\s+<", "><", t)
    return t.encode("utf-8")


def main():
    base = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    roots = list(ROOTS)
    # A message type in several packs is pinned to the last pack listed (HSCI_ITKService carries
    # the current HSCI revisions with their GB02 patient template).
    tpl = {}
    for p in TEMPLATE_PACKS:
        for f in sorted(os.listdir(os.path.join(base, p, "Schemas"))):
            if f.startswith("POCD_MT") and f[:17] not in ("POCD_MT000002UK01", "POCD_MT000001UK04"):
                tpl[f[:-4]] = f"{p}/Schemas/{f}"
    roots += sorted(tpl.items())
    files = []
    for _, r in roots:
        for f in closure(base, r):
            if f not in files:
                files.append(f)
    files.sort()
    out, by_hash, uniq = bytearray(), {}, 0
    for f in files:
        data = minify(open(os.path.join(base, f), "rb").read())
        h = hashlib.sha1(data).hexdigest()
        if h in by_hash:
            out += f"A {f} {by_hash[h]}\n".encode()
        else:
            by_hash[h] = f
            uniq += len(data)
            out += f"F {f} {len(data)}\n".encode() + data
    blob = zlib.compress(bytes(out), 9)
    open(os.path.join(here, "xsd-bundle.bin"), "wb").write(blob)
    with open(os.path.join(here, "SOURCES.md"), "w") as s:
        s.write("# Schemas\n\n")
        s.write("`xsd-bundle.bin` holds the XML Schema files the validator compiles (src/schema), zlib-compressed,\n"
                "identical files stored once, with comments, `xs:annotation`s and whitespace between tags removed\n"
                "(no validation semantics). `bundle.py` builds it; it reads only the files listed below.\n\n")
        s.write("Origin: UECIT/cdss-tkw `TKW/contrib/DMS_Schema/<path>` at commit db007a4b13e2df6563e608d15ebee6f805320720\n"
                "(the full TKW distribution; listed in the project's schema manifest MANIFEST-itk2.tsv as\n"
                "`schemas/tkw_DMS_Schema/<path>`). Licence: none stated in that repository (TKW ITK configuration\n"
                "distribution; TKW code itself Apache-2.0 per TKW-x); the DMS schema content is NHS Digital / Crown copyright,\n"
                "published for implementers of the NHS Interoperability Toolkit.\n\n")
        s.write(f"{len(files)} paths, {len(by_hash)} distinct files, {uniq} bytes uncompressed, {len(blob)} bytes in the bundle.\n\n")
        s.write("## Pack roots\n\n| pack | root schema |\n|---|---|\n")
        for k, r in roots:
            s.write(f"| {k} | {r} |\n")
        s.write("\n## Files (paths relative to TKW/contrib/DMS_Schema)\n\n```\n")
        for f in files:
            s.write(f + "\n")
        s.write("```\n")
    print(len(files), "paths", len(by_hash), "distinct", uniq, "bytes ->", len(blob))

main()
