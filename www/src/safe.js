// Rendering untrusted content safely. Message content and rule documentation never reach
// innerHTML: text goes through textContent, and markup (CDA narrative, FHIR XHTML) is rebuilt
// element by element from an allow-list, dropping every attribute except table spans. The
// message is parsed with DOMParser as XML, which runs no script and loads nothing.

const HL7 = 'urn:hl7-org:v3';
const FHIR = 'http://hl7.org/fhir';
// Elements in the XHTML, SVG or MathML namespaces become live elements even inside an XML
// document from DOMParser (an <img onerror> there fires its handler). Before parsing, those
// namespace names are renamed to inert URNs, so every element is a plain, inert Element.
const INERT_NS = [
  ['http://www.w3.org/1999/xhtml', 'urn:itkv:inert:xhtml'],
  ['http://www.w3.org/2000/svg', 'urn:itkv:inert:svg'],
  ['http://www.w3.org/1998/Math/MathML', 'urn:itkv:inert:mathml'],
];
const XHTML = 'urn:itkv:inert:xhtml';
const MAX_DEPTH = 40;
const MAX_NODES = 20000;

export function el(tag, props, ...children) {
  const e = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v == null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children) {
    if (c == null || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// CDA narrative block elements → HTML elements we create ourselves.
const CDA_MAP = {
  paragraph: 'p', content: 'span', br: 'br', list: 'ul', item: 'li', table: 'table', thead: 'thead', tbody: 'tbody',
  tfoot: 'tfoot', tr: 'tr', th: 'th', td: 'td', caption: 'caption', sub: 'sub', sup: 'sup', footnote: 'small',
  linkHtml: 'span', renderMultiMedia: null, col: null, colgroup: null,
};
const XHTML_ALLOWED = new Set(['p', 'br', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption',
  'b', 'strong', 'i', 'em', 'u', 'span', 'div', 'pre', 'code', 'sub', 'sup', 'small', 'dl', 'dt', 'dd', 'blockquote', 'hr']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** Rebuild `src`'s children under `dst` using `mapTag(localName) → tag | null | undefined`. */
function rebuild(src, dst, mapTag, budget) {
  // Iterative walk (no recursion over document depth).
  const stack = [[src, dst, 0]];
  while (stack.length) {
    const [s, d, depth] = stack.pop();
    const kids = Array.from(s.childNodes);
    const pending = [];
    for (const k of kids) {
      if (--budget.n < 0) return;
      if (k.nodeType === 3 || k.nodeType === 4) {
        d.append(document.createTextNode(k.nodeValue));
      } else if (k.nodeType === 1) {
        const tag = mapTag(k);
        if (tag === null) continue;
        if (depth >= MAX_DEPTH) {
          d.append(document.createTextNode(k.textContent));
          continue;
        }
        let e;
        if (tag === undefined) {
          e = document.createElement('span');
        } else {
          e = document.createElement(tag);
          if (tag === 'ul' && k.getAttribute('listType') === 'ordered') e = document.createElement('ol');
          for (const a of ['colspan', 'rowspan']) {
            const v = k.getAttribute(a);
            if (v && /^\d{1,3}$/.test(v)) e.setAttribute(a, v);
          }
        }
        d.append(e);
        if (tag !== 'br' && tag !== 'hr') pending.push([k, e, depth + 1]);
      }
    }
    for (let i = pending.length - 1; i >= 0; i--) stack.push(pending[i]);
  }
}

const cdaTag = (n) => (n.namespaceURI === HL7 && n.localName in CDA_MAP ? CDA_MAP[n.localName] : undefined);
const xhtmlTag = (n) => {
  const t = n.localName.toLowerCase();
  if (n.namespaceURI !== XHTML && n.namespaceURI !== null) return undefined;
  if (t === 'script' || t === 'style' || t === 'img' || t === 'iframe' || t === 'object') return null;
  if (HEADINGS.has(t)) return 'strong';
  return XHTML_ALLOWED.has(t) ? t : undefined;
};

function childNS(node, ns, name) {
  for (const c of node.children) if (c.namespaceURI === ns && c.localName === name) return c;
  return null;
}
function childrenNS(node, ns, name) {
  return Array.from(node.children).filter((c) => c.namespaceURI === ns && c.localName === name);
}

// A namespace name spelled with character or entity references, or declared through a DTD,
// could name a live namespace that the renaming above cannot see; such documents are not
// previewed (ITK messages never need either).
const UNSAFE = /<!(DOCTYPE|ENTITY|ATTLIST)|xmlns(?::[^\s=>]+)?\s*=\s*("[^"]*&|'[^']*&)/i;
export const UNSAFE_PREVIEW = 'This document cannot be previewed safely: it uses a DTD or character references in a namespace declaration.';

function parseXml(text) {
  if (UNSAFE.test(text)) throw new Error(UNSAFE_PREVIEW);
  let inert = String(text);
  for (const [live, dead] of INERT_NS) inert = inert.split(live).join(dead);
  const doc = new DOMParser().parseFromString(inert, 'application/xml');
  // Character references can still spell a live namespace (&#120;html). Strip, synchronously
  // and before any queued event can run, every event-handler and URL attribute; elements in a
  // live namespace lose all their attributes.
  const live = new Set(INERT_NS.map((x) => x[0]));
  for (const e of doc.getElementsByTagName('*')) {
    for (const a of Array.from(e.attributes)) {
      const n = a.localName.toLowerCase();
      if (live.has(e.namespaceURI) || n.startsWith('on') || n === 'src' || n === 'href' || n === 'style') e.removeAttributeNode(a);
    }
  }
  if (doc.getElementsByTagName('parsererror').length) return null;
  return doc;
}

/** Sections of a CDA document as a DOM fragment (or null when there is nothing to show). */
function cdaPreview(doc) {
  const out = el('div', { class: 'itkv-preview-doc' });
  const title = doc.getElementsByTagNameNS(HL7, 'ClinicalDocument')[0];
  const t = title && childNS(title, HL7, 'title');
  if (t) out.append(el('h4', { class: 'nhsuk-heading-s', text: t.textContent.trim() }));
  const budget = { n: MAX_NODES };
  let count = 0;
  for (const sec of doc.getElementsByTagNameNS(HL7, 'section')) {
    const box = el('section', { class: 'itkv-preview-section' });
    const st = childNS(sec, HL7, 'title');
    box.append(el('h5', { class: 'itkv-preview-title', text: st ? st.textContent.trim() : '(untitled section)' }));
    const tx = childNS(sec, HL7, 'text');
    const body = el('div');
    if (tx) rebuild(tx, body, cdaTag, budget);
    box.append(body);
    out.append(box);
    count++;
  }
  return count ? out : null;
}

function xhtmlDiv(divText) {
  const d = parseXml(divText);
  return d ? d.documentElement : null;
}

function sectionsFromFhirXml(doc) {
  const out = [];
  for (const comp of doc.getElementsByTagNameNS(FHIR, 'Composition')) {
    const title = childNS(comp, FHIR, 'title');
    out.push({ heading: true, title: title ? title.getAttribute('value') : 'Composition' });
    const walk = [...childrenNS(comp, FHIR, 'section')];
    while (walk.length) {
      const s = walk.shift();
      const st = childNS(s, FHIR, 'title');
      const text = childNS(s, FHIR, 'text');
      const div = text && Array.from(text.children).find((c) => c.localName === 'div');
      out.push({ title: st ? st.getAttribute('value') : '(untitled section)', div });
      walk.unshift(...childrenNS(s, FHIR, 'section'));
    }
  }
  return out;
}

function sectionsFromFhirJson(obj) {
  const out = [];
  const resources = [];
  if (obj && obj.resourceType === 'Composition') resources.push(obj);
  for (const e of (obj && Array.isArray(obj.entry) ? obj.entry : [])) {
    if (e && e.resource && e.resource.resourceType === 'Composition') resources.push(e.resource);
  }
  for (const c of resources) {
    out.push({ heading: true, title: typeof c.title === 'string' ? c.title : 'Composition' });
    const walk = Array.isArray(c.section) ? [...c.section] : [];
    while (walk.length) {
      const s = walk.shift() || {};
      const div = s.text && typeof s.text.div === 'string' ? xhtmlDiv(s.text.div) : null;
      out.push({ title: typeof s.title === 'string' ? s.title : '(untitled section)', div });
      if (Array.isArray(s.section)) walk.unshift(...s.section);
    }
  }
  return out;
}

function fhirPreview(sections) {
  if (!sections.length) return null;
  const out = el('div', { class: 'itkv-preview-doc' });
  const budget = { n: MAX_NODES };
  for (const s of sections) {
    if (s.heading) {
      out.append(el('h4', { class: 'nhsuk-heading-s', text: s.title || '' }));
      continue;
    }
    const box = el('section', { class: 'itkv-preview-section' }, el('h5', { class: 'itkv-preview-title', text: s.title || '' }));
    const body = el('div');
    if (s.div) rebuild(s.div, body, xhtmlTag, budget);
    box.append(body);
    out.append(box);
  }
  return out;
}

/** A safe, human-readable preview of a clinical document given its text and layer kind. */
export function previewDocument(kind, text) {
  try {
    return previewUnchecked(kind, text);
  } catch (e) {
    return el('p', { class: 'itkv-invalid', text: e.message });
  }
}

function previewUnchecked(kind, text) {
  if (kind === 'fhir-json') {
    let obj;
    try { obj = JSON.parse(text); } catch { return null; }
    return fhirPreview(sectionsFromFhirJson(obj));
  }
  const doc = parseXml(text);
  if (!doc) return null;
  if (kind === 'nhs-cda') return cdaPreview(doc);
  if (kind === 'fhir-xml') return fhirPreview(sectionsFromFhirXml(doc));
  return null;
}

/** Rule documentation (markdown) as DOM: paragraphs, lists, code blocks and `code` spans. */
export function markdown(md) {
  const out = el('div', { class: 'itkv-doc' });
  const lines = String(md || '').split('\n');
  let i = 0;
  const inline = (text, into) => {
    const parts = text.split('`');
    parts.forEach((p, j) => {
      if (!p) return;
      const clean = j % 2 ? p : p.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/(^|\s)\*([^*]+)\*/g, '$1$2');
      into.append(j % 2 ? el('code', { text: p }) : document.createTextNode(clean));
    });
    return into;
  };
  while (i < lines.length) {
    const line = lines[i];
    if (/^\s*```/.test(line)) {
      const buf = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i])) buf.push(lines[i++]);
      i++;
      out.append(el('pre', { class: 'itkv-code' }, el('code', { text: buf.join('\n') })));
    } else if (/^\s*[-*] /.test(line)) {
      const ul = el('ul');
      while (i < lines.length && /^\s*[-*] /.test(lines[i])) ul.append(inline(lines[i++].replace(/^\s*[-*] /, ''), el('li')));
      out.append(ul);
    } else if (/^#+ /.test(line)) {
      out.append(inline(line.replace(/^#+ /, ''), el('p', { class: 'itkv-doc-heading' })));
      i++;
    } else if (!line.trim()) {
      i++;
    } else {
      const buf = [];
      while (i < lines.length && lines[i].trim() && !/^\s*(```|[-*] |#+ )/.test(lines[i])) buf.push(lines[i++].trim());
      out.append(inline(buf.join(' '), el('p')));
    }
  }
  return out;
}
