// <itk-validator>: the whole validator UI as one custom element (shadow DOM), used by the page
// itself and by any site that embeds it with one script tag:
//
//   <script src="itk-validator.js"></script>
//   <itk-validator sample="itk2-cda" height="24rem"></itk-validator>
//
// Attributes: message (initial text), sample (a sample id), height (editor height, CSS length),
// readonly. The wasm runs in a Web Worker started from a Blob (the worker source is bundled
// here), fetched once from pkg/ beside this script, or taken from window.ITKV_WASM_BASE64 in the
// single offline file. After that nothing touches the network: samples are bundled, exports are
// made locally as Blob downloads.

import { EditorState, Compartment } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { syntaxHighlighting, HighlightStyle, bracketMatching } from '@codemirror/language';
import { tags as t } from '@lezer/highlight';
import { xml } from '@codemirror/lang-xml';
import { json } from '@codemirror/lang-json';
import { setDiagnostics, lintGutter } from '@codemirror/lint';
import { searchKeymap } from '@codemirror/search';
import workerSource from './worker.txt';
import nhsukCss from './nhsuk.css';
import elementCss from './element.css';
import { SAMPLES } from './samples.js';
import { el, previewDocument, markdown } from './safe.js';

const SCRIPT_SRC = (document.currentScript && document.currentScript.src) || document.baseURI;

const FORMAT_INFO = {
  json: { label: 'JSON', ext: 'json', mime: 'application/json' },
  sarif: { label: 'SARIF 2.1.0', ext: 'sarif', mime: 'application/sarif+json' },
  junit: { label: 'JUnit XML', ext: 'junit.xml', mime: 'application/xml' },
  'operation-outcome': { label: 'FHIR OperationOutcome', ext: 'operationoutcome.json', mime: 'application/fhir+json' },
  html: { label: 'HTML report', ext: 'html', mime: 'text/html' },
  text: { label: 'Plain text', ext: 'txt', mime: 'text/plain' },
};
const SEVERITIES = [
  ['error', 'Errors', 'nhsuk-tag--red'],
  ['warning', 'Warnings', 'nhsuk-tag--orange'],
  ['info', 'Information', 'nhsuk-tag--blue'],
];
const KIND_LABEL = {
  'soap-1.1': 'SOAP 1.1 envelope', 'soap-1.2': 'SOAP 1.2 envelope', 'distribution-envelope': 'Distribution Envelope',
  payload: 'Payload', 'nhs-cda': 'NHS CDA document', 'fhir-xml': 'FHIR (XML)', 'fhir-json': 'FHIR (JSON)',
  'infrastructure-response': 'Infrastructure acknowledgement', 'business-response': 'Business acknowledgement',
  'soap-fault': 'SOAP fault', hl7v3: 'HL7 v3', hl7v2: 'HL7 v2', encrypted: 'Encrypted payload', other: 'Other',
};

// Colours chosen for at least 4.5:1 contrast on white (WCAG 2.2 AA).
const highlight = HighlightStyle.define([
  { tag: [t.tagName, t.keyword], color: '#005eb8' },
  { tag: [t.attributeName, t.propertyName], color: '#7c2855' },
  { tag: [t.attributeValue, t.string], color: '#00703c' },
  { tag: [t.comment], color: '#4c6272', fontStyle: 'italic' },
  { tag: [t.number, t.bool, t.null], color: '#8a2a00' },
  { tag: [t.processingInstruction, t.documentMeta], color: '#4c6272' },
  { tag: [t.invalid], color: '#d5281b' },
]);

let sharedSheet = null;
function styleSheets() {
  if (sharedSheet === null) {
    try {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(nhsukCss + '\n' + elementCss);
    } catch {
      sharedSheet = false;
    }
  }
  return sharedSheet;
}

function sessionGet(key) {
  try { return JSON.parse(sessionStorage.getItem(key) || 'null'); } catch { return null; }
}
function sessionSet(key, v) {
  try { sessionStorage.setItem(key, JSON.stringify(v)); } catch { /* storage blocked: keep in memory */ }
}

function wasmSupported() {
  try {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.validate !== 'function') return false;
    // The smallest module using bulk memory (memory.fill): the feature our build relies on.
    const bulk = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1, 10, 13, 1, 11, 0, 65, 0, 65, 0, 65, 0, 252, 11, 0, 11]);
    return WebAssembly.validate(bulk);
  } catch {
    return false;
  }
}

let uid = 0;

class ItkValidator extends HTMLElement {
  static get observedAttributes() { return ['message', 'sample', 'height', 'readonly']; }

  constructor() {
    super();
    this.n = ++uid;
    this.report = null;
    this.rules = new Map();
    this.formats = [];
    this.pending = new Map();
    this.seq = 0;
    this.timer = 0;
    this.hiddenCodes = new Set(sessionGet('itkv-hidden') || []);
    this.filters = { error: true, warning: true, info: true, family: '' };
    this.ready = false;
    this.readyWaiters = [];
    this.root = this.attachShadow({ mode: 'open' });
  }

  connectedCallback() {
    if (this.view) return;
    // The page itself styles its header and footer with the same NHS.UK sheet, so it is
    // shipped once (in this script) rather than also as a separate stylesheet.
    const sheet = styleSheets();
    if (this.hasAttribute('page-styles') && sheet && !document.adoptedStyleSheets.includes(sheet)) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    }
    this.render();
    this.startWorker();
    const msg = this.getAttribute('message');
    const sample = this.getAttribute('sample');
    if (msg) this.setText(msg, false);
    else if (sample) this.loadSample(sample);
  }

  disconnectedCallback() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
  }

  attributeChangedCallback(name, _old, value) {
    if (!this.view) return;
    if (name === 'message' && value != null) this.setText(value, false);
    if (name === 'sample' && value) this.loadSample(value);
    if (name === 'height') this.applyHeight();
    if (name === 'readonly') this.$('bar').hidden = this.hasAttribute('readonly');
    if (name === 'readonly') this.view.dispatch({ effects: this.readOnlyConf.reconfigure(EditorState.readOnly.of(this.hasAttribute('readonly'))) });
  }

  id_(s) { return `itkv${this.n}-${s}`; }
  $(s) { return this.root.getElementById(this.id_(s)); }

  render() {
    const sheet = styleSheets();
    if (sheet) this.root.adoptedStyleSheets = [sheet];
    else this.root.append(el('style', { text: nhsukCss + '\n' + elementCss }));
    const id = (s) => this.id_(s);
    const sampleSelect = el('select', { class: 'nhsuk-select', id: id('sample') },
      el('option', { value: '', text: 'Choose a sample' }),
      ...SAMPLES.map((s) => el('option', { value: s.id, text: s.title })));
    sampleSelect.addEventListener('change', () => { if (sampleSelect.value) this.loadSample(sampleSelect.value); });
    const file = el('input', { type: 'file', id: id('file'), class: 'itkv-visually-hidden', tabindex: '-1', 'aria-hidden': 'true', accept: '.xml,.json,.txt,.hl7,application/xml,text/xml,application/json,text/plain' });
    file.addEventListener('change', () => { if (file.files && file.files[0]) this.readFile(file.files[0]); file.value = ''; });

    const severityBoxes = SEVERITIES.map(([sev, label]) => {
      const box = el('input', { class: 'nhsuk-checkboxes__input', type: 'checkbox', id: id('sev-' + sev), checked: true });
      box.checked = true;
      box.addEventListener('change', () => { this.filters[sev] = box.checked; this.renderFindings(); });
      return el('div', { class: 'nhsuk-checkboxes__item' }, box, el('label', { class: 'nhsuk-label nhsuk-checkboxes__label', for: id('sev-' + sev), text: label }));
    });
    const family = el('select', { class: 'nhsuk-select', id: id('family') }, el('option', { value: '', text: 'All families' }));
    family.addEventListener('change', () => { this.filters.family = family.value; this.renderFindings(); });

    const timeBox = el('input', { class: 'nhsuk-checkboxes__input', type: 'checkbox', id: id('time-checks') });
    timeBox.addEventListener('change', () => { this.timeChecks = timeBox.checked; this.validateNow(); });
    const timeChecks = el('div', { class: 'nhsuk-checkboxes nhsuk-checkboxes--small itkv-inline' },
      el('div', { class: 'nhsuk-checkboxes__item' }, timeBox,
        el('label', { class: 'nhsuk-label nhsuk-checkboxes__label', for: id('time-checks'), text: 'Check timestamps against the current time' })));

    const ruleInput = el('input', { class: 'nhsuk-input nhsuk-input--width-10', id: id('rule-code'), type: 'text', spellcheck: 'false', autocomplete: 'off' });
    const ruleForm = el('form', { class: 'itkv-rule-form', novalidate: true },
      el('div', { class: 'nhsuk-form-group' },
        el('label', { class: 'nhsuk-label', for: id('rule-code'), text: 'Rule code, for example DE003' }),
        ruleInput,
        el('button', { class: 'nhsuk-button nhsuk-button--secondary itkv-inline-button', type: 'submit', text: 'Explain' })));
    ruleForm.addEventListener('submit', (e) => { e.preventDefault(); this.explain(ruleInput.value); });

    const details = (key, title, ...body) => el('details', { class: 'nhsuk-details itkv-panel', id: id(key) },
      el('summary', { class: 'nhsuk-details__summary' }, el('span', { class: 'nhsuk-details__summary-text', text: title })),
      el('div', { class: 'nhsuk-details__text' }, ...body));

    const preview = details('preview-panel', 'Document preview',
      el('p', { class: 'nhsuk-hint', text: 'The clinical document\u2019s sections, rebuilt as plain text and simple tables. Nothing from the message runs or loads.' }),
      el('div', { id: id('preview'), class: 'itkv-preview' }));
    preview.addEventListener('toggle', () => { if (preview.open) this.renderPreview(); });

    const ui = el('div', { class: 'itkv', part: 'root' },
      el('div', { class: 'itkv-error nhsuk-error-summary', id: id('fatal'), role: 'alert', tabindex: '-1', hidden: true }),
      el('div', { class: 'itkv-bar', id: id('bar'), hidden: this.hasAttribute('readonly') },
        el('div', { class: 'nhsuk-form-group itkv-inline' }, el('label', { class: 'nhsuk-label', for: id('sample'), text: 'Sample message' }), sampleSelect),
        el('div', { class: 'itkv-inline itkv-actions' },
          el('button', { class: 'nhsuk-button nhsuk-button--secondary', type: 'button', id: id('open'), text: 'Open a file', onclick: () => file.click() }),
          file,
          el('button', { class: 'nhsuk-button', type: 'button', id: id('validate'), text: 'Validate', onclick: () => this.validateNow() })),
        timeChecks),
      el('p', { class: 'itkv-status', id: id('status'), role: 'status', 'aria-live': 'polite', text: 'Starting the validator\u2026' }),
      el('div', { class: 'itkv-grid' },
        el('section', { class: 'itkv-editor-pane', 'aria-labelledby': id('editor-h') },
          el('h2', { class: 'nhsuk-heading-s', id: id('editor-h'), text: 'Message' }),
          el('p', { class: 'nhsuk-hint', id: id('editor-hint'), text: this.hasAttribute('readonly') ? 'An example message (read-only). It is checked on this computer.' : 'Paste or type a message, drop a file here, or open one. It is checked on this computer and never sent anywhere.' }),
          el('div', { class: 'itkv-editor', id: id('editor') })),
        el('section', { class: 'itkv-results', 'aria-labelledby': id('findings-h') },
          el('h2', { class: 'nhsuk-heading-s', id: id('findings-h'), text: 'Findings' }),
          el('p', { class: 'itkv-summary', id: id('summary'), text: 'No message yet.' }),
          el('fieldset', { class: 'nhsuk-fieldset itkv-filters' },
            el('legend', { class: 'nhsuk-fieldset__legend nhsuk-fieldset__legend--s', text: 'Show' }),
            el('div', { class: 'nhsuk-checkboxes nhsuk-checkboxes--small itkv-sev' }, ...severityBoxes),
            el('div', { class: 'nhsuk-form-group itkv-inline' }, el('label', { class: 'nhsuk-label', for: id('family'), text: 'Rule family' }), family)),
          el('div', { id: id('hidden'), class: 'itkv-hidden-codes', hidden: true }),
          el('div', { id: id('findings'), class: 'itkv-findings' }))),
      details('rule-panel', 'Explain a rule', ruleForm, el('div', { id: id('rule'), class: 'itkv-rule', 'aria-live': 'polite' })),
      details('structure', 'Message structure',
        el('p', { class: 'nhsuk-hint', text: 'The layers found in the message, outermost first. Decoded (base64 or gzip) payloads can be viewed read-only.' }),
        el('div', { id: id('layers'), class: 'itkv-layers' }),
        el('div', { id: id('layer-view'), class: 'itkv-layer-view', hidden: true })),
      preview,
      details('export', 'Download the report',
        el('p', { class: 'nhsuk-hint', text: 'The report is made on this computer and saved as a file; nothing is uploaded.' }),
        el('div', { id: id('exports'), class: 'itkv-exports' })));
    this.root.append(ui);

    this.readOnlyConf = new Compartment();
    this.langConf = new Compartment();
    this.heightConf = new Compartment();
    const self = this;
    this.view = new EditorView({
      root: this.root,
      parent: this.$('editor'),
      state: EditorState.create({
        doc: '',
        extensions: [
          lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(), bracketMatching(),
          lintGutter(),
          syntaxHighlighting(highlight),
          keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap]),
          this.langConf.of(xml()),
          this.readOnlyConf.of(EditorState.readOnly.of(this.hasAttribute('readonly'))),
          this.heightConf.of([]),
          // An explicit tabindex: the editor is the keyboard way into its scrolling region.
          EditorView.contentAttributes.of({ 'aria-label': 'Message to validate', 'aria-describedby': id('editor-hint'), tabindex: '0' }),
          // Paste and drop are checked at once; typing waits for a pause (debounced).
          EditorView.updateListener.of((u) => {
            // setText validates by itself.
            if (!u.docChanged || u.transactions.some((tr) => tr.isUserEvent('set'))) return;
            const pasted = u.transactions.some((tr) => tr.isUserEvent('input.paste'));
            // A paste over the whole text is a new message: it is no longer the opened file.
            const sel = u.startState.selection.main;
            if (pasted && sel.from === 0 && sel.to === u.startState.doc.length) self.fileName = null;
            if (pasted || u.transactions.some((tr) => tr.isUserEvent('input.drop'))) self.validateNow();
            else self.scheduleValidate();
          }),
          EditorView.domEventHandlers({
            drop(e) { return self.onDrop(e); },
            dragover(e) { if (e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files')) { e.preventDefault(); return true; } return false; },
          }),
        ],
      }),
    });
    this.applyHeight();
    this.root.addEventListener('click', (e) => this.onClick(e));
  }

  applyHeight() {
    const h = this.getAttribute('height') || '30rem';
    const safe = /^[0-9.]+(px|rem|em|vh|%)$/.test(h) ? h : '30rem';
    this.view.dispatch({ effects: this.heightConf.reconfigure(EditorView.theme({ '&': { height: safe }, '.cm-scroller': { overflow: 'auto' } })) });
  }

  // ----- worker -----

  startWorker() {
    if (!wasmSupported()) {
      this.fatal('WebAssembly is blocked or not supported in this browser, so the validator cannot run here. Use a current version of Microsoft Edge, Google Chrome, Firefox or Safari, or ask your IT team to allow WebAssembly.');
      return;
    }
    let wasm;
    try {
      if (window.ITKV_WASM_BASE64) {
        const bin = atob(window.ITKV_WASM_BASE64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        wasm = bytes.buffer;
      } else {
        wasm = new URL(this.getAttribute('wasm-url') || 'pkg/itk_validator_bg.wasm', SCRIPT_SRC).href;
      }
      const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
      this.worker = new Worker(url);
      URL.revokeObjectURL(url);
    } catch (e) {
      this.fatal('The validator could not start a background worker (' + String(e && e.message || e) + '). Your browser or its security policy may block Web Workers.');
      return;
    }
    this.worker.onmessage = (ev) => this.onWorker(ev.data);
    this.worker.onerror = (ev) => this.fatal('The validator stopped unexpectedly: ' + (ev.message || 'unknown error'));
    this.worker.postMessage({ type: 'init', wasm }, typeof wasm === 'string' ? [] : [wasm]);
  }

  onWorker(m) {
    if (m.type === 'ready') {
      this.ready = true;
      this.readyAt = performance.now();
      this.version = m.version;
      for (const r of m.rules) this.rules.set(r.code, r);
      this.formats = m.formats;
      this.fillFamilies();
      this.renderExports();
      this.setStatus(`Validator ${m.version} ready: ${this.rules.size} rules.`);
      this.readyWaiters.splice(0).forEach((f) => f());
      this.dispatchEvent(new CustomEvent('itkv-ready', { bubbles: true, composed: true }));
      if (this.view.state.doc.length) this.validateNow();
      return;
    }
    if (m.type === 'fatal') {
      this.fatal('WebAssembly is blocked or not supported in this browser, so the validator cannot run here (' + m.message + '). Use a current version of Microsoft Edge, Google Chrome, Firefox or Safari, or ask your IT team to allow WebAssembly.');
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.type === 'error') p.reject(new Error(m.message));
    else p.resolve({ result: m.result, ms: m.ms });
  }

  call(msg) {
    if (!this.worker) return Promise.reject(new Error('the validator is not running'));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  whenReady() {
    return this.ready ? Promise.resolve() : new Promise((r) => this.readyWaiters.push(r));
  }

  fatal(text) {
    const box = this.$('fatal');
    box.replaceChildren(
      el('h2', { class: 'nhsuk-error-summary__title', text: 'The validator cannot run in this browser' }),
      el('div', { class: 'nhsuk-error-summary__body' }, el('p', { text })));
    box.hidden = false;
    this.setStatus('The validator is not available.');
    this.dispatchEvent(new CustomEvent('itkv-fatal', { bubbles: true, composed: true, detail: text }));
  }

  setStatus(text) { this.$('status').textContent = text; }

  // ----- input -----

  /** Replace the editor text (paste of a whole message, sample, file). */
  setText(text, focus = true) {
    const trimmed = text.trimStart();
    this.view.dispatch({
      changes: { from: 0, to: this.view.state.doc.length, insert: text },
      effects: this.langConf.reconfigure(trimmed.startsWith('{') || trimmed.startsWith('[') ? json() : xml()),
      selection: { anchor: 0 },
      scrollIntoView: true,
      userEvent: 'set',
    });
    if (focus) this.view.focus();
    this.validateNow();
  }

  get value() { return this.view ? this.view.state.doc.toString() : ''; }
  set value(text) { this.setText(String(text), false); }

  loadSample(sampleId) {
    const s = SAMPLES.find((x) => x.id === sampleId);
    if (!s) return;
    this.fileName = s.id + '.xml';
    this.setText(s.text, false);
    const sel = this.$('sample');
    if (sel) sel.value = s.id;
  }

  readFile(f) {
    this.fileName = f.name;
    this.setStatus(`Reading ${f.name}\u2026`);
    f.text().then((text) => this.setText(text), (e) => this.setStatus(`Could not read ${f.name}: ${e.message}`));
  }

  onDrop(e) {
    const files = e.dataTransfer && e.dataTransfer.files;
    if (!files || !files.length) return false;
    e.preventDefault();
    if (this.hasAttribute('readonly')) return true;
    this.readFile(files[0]);
    return true;
  }

  scheduleValidate() {
    clearTimeout(this.timer);
    // Typing in a multi-megabyte message waits a little longer before re-checking.
    const delay = this.view.state.doc.length > 1_000_000 ? 800 : 300;
    this.timer = setTimeout(() => this.validateNow(), delay);
  }

  options() {
    // Time checks are off by default: pasted messages are usually old.
    return { name: this.fileName || '(pasted)', now: new Date().toISOString(), timeChecks: !!this.timeChecks };
  }

  async validateNow() {
    clearTimeout(this.timer);
    await this.whenReady();
    // One request at a time: typing into a 10 MB message must not queue up a validation per
    // pause. Changes made meanwhile are validated as soon as the current run finishes.
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    const text = this.value;
    this.setStatus('Checking\u2026');
    this.dataset.state = 'validating';
    try {
      const { result, ms } = await this.call({ type: 'validate', text, options: this.options() });
      if (!this.again) {
        this.report = result;
        this.reportText = text;
        this.lastMs = ms;
        this.applyReport();
      }
    } catch (e) {
      this.setStatus('Validation failed: ' + e.message);
    } finally {
      this.inFlight = false;
      if (this.again) {
        this.again = false;
        this.validateNow();
      }
    }
  }

  // ----- results -----

  visible(f) {
    return this.filters[f.severity] && !this.hiddenCodes.has(f.code) && (!this.filters.family || this.familyOf(f.code) === this.filters.family);
  }

  familyOf(code) {
    const r = this.rules.get(code);
    return r ? r.family : code.replace(/\d+$/, '');
  }

  applyReport() {
    const r = this.report;
    const s = r.summary;
    const verdict = r.valid ? 'Valid' : 'Not valid';
    const summary = `${verdict}: ${s.errors} ${s.errors === 1 ? 'error' : 'errors'}, ${s.warnings} ${s.warnings === 1 ? 'warning' : 'warnings'}, ${s.infos} information.`;
    const extra = s.suppressed_by_cap ? ` ${s.suppressed_by_cap} more not listed.` : '';
    this.$('summary').replaceChildren(el('strong', { class: r.valid ? 'itkv-valid' : 'itkv-invalid', text: verdict }), document.createTextNode(summary.slice(verdict.length) + extra));
    this.setStatus(`Checked in ${Math.max(1, Math.round(this.lastMs))} ms. ${summary}`);
    const doc = this.view.state.doc;
    const diags = [];
    for (const f of r.diagnostics) {
      if (this.hiddenCodes.has(f.code)) continue;
      const from = this.pos(f.line, f.utf16_column);
      let to = this.pos(f.end_line, f.end_utf16_column);
      if (to <= from) to = Math.min(doc.length, from + 1);
      diags.push({ from, to, severity: f.severity, source: f.code, message: `${f.code}: ${f.message}` });
    }
    this.view.dispatch(setDiagnostics(this.view.state, diags));
    this.renderFindings();
    this.renderLayers();
    const pv = this.$('preview-panel');
    if (pv.open) this.renderPreview();
    this.dataset.state = 'done';
    this.reportAt = performance.now();
    this.dispatchEvent(new CustomEvent('itkv-report', { bubbles: true, composed: true, detail: r }));
  }

  /** Editor offset of a 1-based line and UTF-16 column, clamped into the document. */
  pos(line, col) {
    const doc = this.view.state.doc;
    if (!line || line < 1) return 0;
    if (line > doc.lines) return doc.length;
    const l = doc.line(line);
    return Math.min(l.to, l.from + Math.max(0, (col || 1) - 1));
  }

  renderFindings() {
    const box = this.$('findings');
    const r = this.report;
    if (!r) return;
    const hiddenBox = this.$('hidden');
    if (this.hiddenCodes.size) {
      hiddenBox.hidden = false;
      hiddenBox.replaceChildren(
        el('p', {}, 'Hidden for this session: ', ...[...this.hiddenCodes].flatMap((c, i) => [i ? ', ' : '', el('code', { text: c })])),
        el('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary nhsuk-button--small itkv-small', 'data-unhide': '1', text: 'Show hidden findings' }));
    } else {
      hiddenBox.hidden = true;
      hiddenBox.replaceChildren();
    }
    const groups = new Map();
    let shown = 0;
    r.diagnostics.forEach((f, i) => {
      if (!this.visible(f)) return;
      shown++;
      if (!groups.has(f.layer)) groups.set(f.layer, []);
      groups.get(f.layer).push([f, i]);
    });
    const out = [];
    for (const [layer, items] of [...groups.entries()].sort((a, b) => a[0] - b[0])) {
      const L = r.layers[layer];
      const kind = L ? KIND_LABEL[L.kind] || L.kind : '';
      const title = !L ? 'Message' : L.label && L.label !== kind ? `${kind}: ${L.label}` : kind;
      out.push(el('section', { class: 'itkv-group' },
        el('h3', { class: 'itkv-group-title', text: `${title} (${items.length})` }),
        el('ul', { class: 'itkv-list' }, ...items.map(([f, i]) => this.findingItem(f, i)))));
    }
    if (!shown) out.push(el('p', { class: 'itkv-none', text: r.diagnostics.length ? 'No findings match the filters.' : 'No findings: nothing to fix.' }));
    box.replaceChildren(...out);
  }

  findingItem(f, i) {
    const sev = SEVERITIES.find((s) => s[0] === f.severity) || SEVERITIES[2];
    return el('li', { class: `itkv-finding itkv-sev-${f.severity}`, 'data-code': f.code },
      el('div', { class: 'itkv-finding-head' },
        el('strong', { class: `nhsuk-tag ${sev[2]} itkv-tag`, text: f.severity }),
        el('button', { type: 'button', class: 'itkv-jump', 'data-jump': String(i) },
          el('span', { class: 'itkv-visually-hidden', text: 'Go to line and column ' }),
          el('span', { class: 'itkv-pos', text: `${f.line}:${f.column}` }), ' ',
          el('code', { class: 'itkv-code-name', text: f.code }), ' ',
          el('span', { class: 'itkv-msg', text: f.message }))),
      f.help ? el('p', { class: 'itkv-help' }, el('span', { class: 'itkv-label', text: 'Fix: ' }), f.help) : null,
      f.path ? el('p', { class: 'itkv-path' }, el('span', { class: 'itkv-label', text: 'Where: ' }), el('code', { text: f.path })) : null,
      el('div', { class: 'itkv-finding-actions' },
        el('button', { type: 'button', class: 'itkv-link', 'data-explain': f.code, text: `Explain ${f.code}` }),
        el('button', { type: 'button', class: 'itkv-link', 'data-hide': f.code, text: `Hide ${f.code} for this session` })));
  }

  jumpTo(f) {
    const from = this.pos(f.line, f.utf16_column);
    let to = this.pos(f.end_line, f.end_utf16_column);
    if (to < from) to = from;
    // Cursor (head) at the start of the finding, its extent selected.
    this.view.dispatch({ selection: { anchor: to, head: from }, effects: EditorView.scrollIntoView(from, { y: 'center' }) });
    this.view.focus();
  }

  onClick(e) {
    const b = e.target.closest && e.target.closest('button');
    if (!b) return;
    const d = b.dataset;
    if (d.jump != null && this.report) {
      const f = this.report.diagnostics[Number(d.jump)];
      if (f) this.jumpTo(f);
    } else if (d.explain) {
      this.explain(d.explain);
    } else if (d.hide) {
      this.hiddenCodes.add(d.hide);
      sessionSet('itkv-hidden', [...this.hiddenCodes]);
      this.applyReport();
      this.setStatus(`${d.hide} is hidden for this session.`);
    } else if (d.unhide) {
      this.hiddenCodes.clear();
      sessionSet('itkv-hidden', []);
      this.applyReport();
    } else if (d.layer != null && this.report) {
      const L = this.report.layers[Number(d.layer)];
      if (L) this.jumpTo({ line: L.line, utf16_column: L.column, end_line: L.line, end_utf16_column: L.column });
    } else if (d.layerText != null) {
      this.showLayerText(Number(d.layerText));
    } else if (d.format) {
      this.exportReport(d.format);
    }
  }

  // ----- rule panel -----

  explain(code) {
    const c = String(code || '').trim().toUpperCase();
    const out = this.$('rule');
    const r = this.rules.get(c);
    const panel = this.$('rule-panel');
    panel.open = true;
    this.root.getElementById(this.id_('rule-code')).value = c;
    if (!r) {
      out.replaceChildren(el('p', { class: 'itkv-invalid', text: c ? `There is no rule ${c}.` : 'Enter a rule code.' }));
      return;
    }
    const sev = SEVERITIES.find((s) => s[0] === r.severity) || SEVERITIES[2];
    out.replaceChildren(
      el('h3', { class: 'nhsuk-heading-s itkv-rule-title', tabindex: '-1' }, el('code', { text: r.code }), ` ${r.title}`),
      el('dl', { class: 'nhsuk-summary-list itkv-rule-facts' },
        ...[['Severity', el('strong', { class: `nhsuk-tag ${sev[2]} itkv-tag`, text: r.severity })], ['Family', r.family], ['Layer', r.layer], ['Specification', r.spec], ['How to fix', r.help]]
          .map(([k, v]) => el('div', { class: 'nhsuk-summary-list__row' }, el('dt', { class: 'nhsuk-summary-list__key', text: k }), el('dd', { class: 'nhsuk-summary-list__value' }, v)))),
      markdown(r.doc));
    out.querySelector('h3').focus();
  }

  fillFamilies() {
    const sel = this.$('family');
    const fams = [...new Set([...this.rules.values()].map((r) => r.family))];
    sel.replaceChildren(el('option', { value: '', text: 'All families' }), ...fams.map((f) => el('option', { value: f, text: f })));
  }

  // ----- structure and preview -----

  renderLayers() {
    const r = this.report;
    const box = this.$('layers');
    const kids = new Map();
    r.layers.forEach((L) => {
      const p = L.parent == null ? -1 : L.parent;
      if (!kids.has(p)) kids.set(p, []);
      kids.get(p).push(L);
    });
    const top = el('ul', { class: 'itkv-tree' });
    // Iterative build: (parent index, list element to fill).
    const stack = [[-1, top]];
    while (stack.length) {
      const [p, ul] = stack.pop();
      for (const L of kids.get(p) || []) {
        const facts = (L.facts || []).map(([k, v]) => el('li', {}, el('span', { class: 'itkv-label', text: k + ': ' }), v));
        const kind = KIND_LABEL[L.kind] || L.kind;
        const li = el('li', {},
          el('button', { type: 'button', class: 'itkv-link', 'data-layer': String(L.index), text: L.label && L.label !== kind ? `${kind}: ${L.label}` : kind }),
          ` line ${L.line}`,
          L.decoded ? el('span', { class: 'nhsuk-tag nhsuk-tag--grey itkv-tag', text: `decoded: ${L.decoded}` }) : null,
          ' ',
          el('button', { type: 'button', class: 'itkv-link', 'data-layer-text': String(L.index), text: L.decoded ? 'View decoded content' : 'View content' }),
          facts.length ? el('ul', { class: 'itkv-facts' }, ...facts) : null);
        ul.append(li);
        if (kids.has(L.index)) {
          const sub = el('ul', { class: 'itkv-tree' });
          li.append(sub);
          stack.push([L.index, sub]);
        }
      }
    }
    box.replaceChildren(r.layers.length ? top : el('p', { text: 'No layers: the message could not be read.' }));
  }

  async showLayerText(index) {
    const view = this.$('layer-view');
    const L = this.report && this.report.layers[index];
    if (!L) return;
    const { result } = await this.call({ type: 'layer', text: this.reportText, index });
    const text = result == null ? '' : String(result);
    const LIMIT = 1_000_000;
    view.hidden = false;
    view.replaceChildren(
      el('h3', { class: 'nhsuk-heading-xs', text: `${KIND_LABEL[L.kind] || L.kind}: ${L.label}${L.decoded ? ' (decoded)' : ''}` }),
      el('pre', { class: 'itkv-layer-text', tabindex: '0', 'aria-label': 'Layer content, read-only', text: text.length > LIMIT ? text.slice(0, LIMIT) + '\n\u2026 (truncated)' : text }));
  }

  async renderPreview() {
    const box = this.$('preview');
    const r = this.report;
    if (!r) { box.replaceChildren(el('p', { text: 'Validate a message first.' })); return; }
    const L = r.layers.find((x) => x.kind === 'nhs-cda' || x.kind === 'fhir-xml' || x.kind === 'fhir-json');
    if (!L) { box.replaceChildren(el('p', { text: 'There is no CDA document or FHIR Composition in this message.' })); return; }
    const { result } = await this.call({ type: 'layer', text: this.reportText, index: L.index });
    const frag = result ? previewDocument(L.kind, result) : null;
    box.replaceChildren(frag || el('p', { text: 'This document has no narrative sections to preview.' }));
  }

  // ----- exports -----

  renderExports() {
    const box = this.$('exports');
    const order = ['json', 'sarif', 'junit', 'operation-outcome', 'html', 'text'];
    const fmts = order.filter((f) => this.formats.includes(f));
    box.replaceChildren(...fmts.map((f) => el('button', { type: 'button', class: 'nhsuk-button nhsuk-button--secondary itkv-export', 'data-format': f, text: `Download ${FORMAT_INFO[f].label}` })));
  }

  async exportReport(format) {
    await this.whenReady();
    const info = FORMAT_INFO[format] || { ext: format, mime: 'application/octet-stream' };
    const opts = { ...this.options(), suppress: [...this.hiddenCodes] };
    try {
      const { result } = await this.call({ type: 'render', text: this.value, format, options: opts });
      const blob = new Blob([result], { type: info.mime });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      const base = (this.fileName || 'message').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_.-]+/g, '_') || 'message';
      a.download = `${base}.itk-report.${info.ext}`;
      this.root.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
      this.setStatus(`Saved ${a.download}.`);
    } catch (e) {
      this.setStatus('Could not make the report: ' + e.message);
    }
  }
}

if (!customElements.get('itk-validator')) customElements.define('itk-validator', ItkValidator);
