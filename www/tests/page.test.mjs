// The served page (dist/ over http), driven in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, RESULTS, corpus, open, ready, nextReport, paste, drop, listedFindings, axe, shot, inShadow } from './helpers.mjs';

// A TKW negative template: the itk:header start tag is not closed (MANIFEST: ER_INVXML).
const BROKEN = 'itk2/cdsstkw_neg111_ER_INVXML_GeneralPractitionerRecipient_Primary.xml';
const VALID = 'itk2/cdsstkw_GeneralPractitionerRecipient_Prim.xml';

let b;
before(async () => {
  b = await open(BASE);
  await ready(b.page);
});
after(async () => { if (b) await b.close(); });

async function noViolations(state) {
  const v = await axe(b.page);
  assert.deepEqual(v, [], `axe violations in state "${state}":\n${JSON.stringify(v, null, 2)}`);
}

test('the page loads the validator and is accessible when empty', async () => {
  const status = await inShadow(b.page, '.itkv-status').textContent();
  assert.match(status, /ready: \d+ rules/);
  await shot(b.page, 'page-ready');
  await noViolations('ready');
});

test('pasting a corpus message lists the expected findings, with no network request', async () => {
  const before = b.requests.length;
  const report = await nextReport(b.page, () => paste(b.page, corpus(BROKEN)));
  assert.equal(b.requests.length, before, `requests while validating: ${b.requests.slice(before).join(', ')}`);
  assert.equal(report.valid, false);
  const listed = await listedFindings(b.page);
  // The mismatched end tag of the unclosed itk:header, where the CLI reports it.
  assert.ok(listed.some((f) => f.code === 'XML002' && f.pos === '28:5'), JSON.stringify(listed));
  assert.ok(listed.some((f) => f.code === 'DOC003' && f.pos === '5:18'));
  const summary = await inShadow(b.page, '.itkv-summary').textContent();
  assert.match(summary, /Not valid: \d+ errors?/);
  // Inline markers in the editor gutter.
  await shot(b.page, 'page-pasted-findings');
  await noViolations('findings');
});

test('selecting a finding moves the editor to its line', async () => {
  await inShadow(b.page, '.itkv-finding[data-code="XML002"] .itkv-jump').first().click();
  const where = await b.page.evaluate(() => {
    const v = document.querySelector('itk-validator').view;
    const head = v.state.selection.main.head;
    const line = v.state.doc.lineAt(head);
    return { line: line.number, col: head - line.from + 1, focused: v.hasFocus };
  });
  assert.deepEqual(where, { line: 28, col: 5, focused: true });
  // Gutter marker and inline underline for the finding, now in view.
  await inShadow(b.page, '.cm-lint-marker-error').first().waitFor();
  await inShadow(b.page, '.cm-lintRange-error').first().waitFor();
});

test('the rule panel explains a code', async () => {
  await inShadow(b.page, '.itkv-finding[data-code="XML002"] [data-explain]').first().click();
  const panel = inShadow(b.page, '.itkv-rule');
  await panel.locator('h3').waitFor();
  const text = await panel.textContent();
  assert.match(text, /XML002/);
  assert.match(text, /Mismatched end tag/);
  assert.match(text, /How to fix/);
  // Typing a code works too.
  await inShadow(b.page, 'input[id$="rule-code"]').fill('doc003');
  await inShadow(b.page, '.itkv-rule-form button').click();
  assert.match(await panel.textContent(), /DOC003.*placeholder/s);
  await shot(b.page, 'page-rule-panel');
  await noViolations('rule panel');
});

test('filters by severity and family, and hiding a code for the session', async () => {
  const all = await listedFindings(b.page);
  assert.ok(all.some((f) => f.severity === 'error') && all.some((f) => f.severity === 'warning'));
  await inShadow(b.page, 'input[id$="sev-error"]').uncheck();
  let now = await listedFindings(b.page);
  assert.ok(now.length > 0 && now.every((f) => f.severity !== 'error'), JSON.stringify(now));
  await inShadow(b.page, 'input[id$="sev-error"]').check();
  await inShadow(b.page, 'select[id$="family"]').selectOption('XML');
  now = await listedFindings(b.page);
  assert.ok(now.length > 0 && now.every((f) => f.code.startsWith('XML')));
  await inShadow(b.page, 'select[id$="family"]').selectOption('');
  await inShadow(b.page, '[data-hide="DOC003"]').first().click();
  now = await listedFindings(b.page);
  assert.ok(now.every((f) => f.code !== 'DOC003') && now.some((f) => f.code === 'XML002'));
  assert.match(await inShadow(b.page, '.itkv-hidden-codes').textContent(), /DOC003/);
  await shot(b.page, 'page-filtered');
  await noViolations('filtered');
  await inShadow(b.page, '[data-unhide]').click();
  now = await listedFindings(b.page);
  assert.ok(now.some((f) => f.code === 'DOC003'));
});

test('every export downloads a file that parses and carries the findings', async () => {
  await inShadow(b.page, 'details[id$="export"] summary').click();
  const buttons = await inShadow(b.page, '.itkv-export').evaluateAll((bs) => bs.map((x) => x.dataset.format));
  assert.ok(buttons.includes('json'), JSON.stringify(buttons));
  for (const format of buttons) {
    const [dl] = await Promise.all([b.page.waitForEvent('download'), inShadow(b.page, `.itkv-export[data-format="${format}"]`).click()]);
    const path = join(RESULTS, `export-${dl.suggestedFilename()}`);
    await dl.saveAs(path);
    const body = readFileSync(path, 'utf8');
    assert.ok(body.includes('XML002'), `${format} export lacks XML002`);
    if (format === 'json') {
      const j = JSON.parse(body);
      assert.equal(j.files[0].valid, false);
      assert.ok(j.files[0].diagnostics.some((d) => d.code === 'XML002' && d.line === 28));
    } else if (format === 'sarif') {
      const j = JSON.parse(body);
      assert.equal(j.version, '2.1.0');
      assert.ok(j.runs[0].results.some((r) => r.ruleId === 'XML002'));
    } else if (format === 'operation-outcome') {
      const j = JSON.parse(body);
      assert.equal(j.resourceType, 'OperationOutcome');
      assert.ok(j.issue.length > 0);
    } else if (format === 'junit') {
      assert.match(body, /^<\?xml[^>]*\?>\s*<testsuites?[\s>]/);
      assert.match(body, /<failure/);
    } else if (format === 'html') {
      assert.match(body, /<html/i);
      assert.doesNotMatch(body, /<script/i);
    }
  }
  await noViolations('export panel');
});

test('typing re-validates after a pause (in the worker)', async () => {
  await inShadow(b.page, '.cm-content').click();
  await b.page.keyboard.press('Control+A');
  const report = await nextReport(b.page, () => b.page.keyboard.insertText('<a>\n  <b></a>'));
  const f = report.diagnostics.find((d) => d.code === 'XML002');
  assert.ok(f, JSON.stringify(report.diagnostics));
  assert.deepEqual([f.line, f.column], [2, 8]);
  const listed = await listedFindings(b.page);
  assert.ok(listed.some((x) => x.code === 'XML002' && x.pos === '2:8'));
});

test('time checks are off until switched on', async () => {
  const msg = corpus(VALID).replace('__TIMESTAMP__', '2020-01-01T00:00:00Z').replace('__EXPIRES__', '2020-01-01T00:05:00Z');
  let report = await nextReport(b.page, () => b.page.evaluate((t) => { document.querySelector('itk-validator').value = t; }, msg));
  assert.ok(!report.diagnostics.some((d) => d.code === 'WSS010'));
  report = await nextReport(b.page, () => inShadow(b.page, 'input[id$="time-checks"]').check());
  const f = report.diagnostics.find((d) => d.code === 'WSS010');
  assert.ok(f, JSON.stringify(report.diagnostics.map((d) => d.code)));
  assert.equal(f.line, 14);
  report = await nextReport(b.page, () => inShadow(b.page, 'input[id$="time-checks"]').uncheck());
  assert.ok(!report.diagnostics.some((d) => d.code === 'WSS010'));
});

test('drag and drop of a file replaces the message and validates it', async () => {
  const report = await nextReport(b.page, () => drop(b.page, corpus(VALID), 'gp.xml'));
  assert.equal(report.valid, true, JSON.stringify(report.diagnostics.filter((d) => d.severity === 'error')));
  assert.equal(report.path, 'gp.xml');
  const text = await b.page.evaluate(() => document.querySelector('itk-validator').value);
  assert.equal(text, corpus(VALID));
});

test('opening a file with the file picker validates it', async () => {
  const path = join(RESULTS, 'to-open.xml');
  writeFileSync(path, corpus(BROKEN));
  const report = await nextReport(b.page, () => inShadow(b.page, 'input[type=file]').setInputFiles(path));
  assert.equal(report.path, 'to-open.xml');
  assert.ok(report.diagnostics.some((d) => d.code === 'XML002' && d.line === 28));
});

test('layer tree shows decoded payloads and the document preview is plain text', async () => {
  const report = await nextReport(b.page, () => inShadow(b.page, 'select[id$="sample"]').selectOption('itk2-base64'));
  const decoded = report.layers.find((l) => l.decoded);
  assert.ok(decoded, JSON.stringify(report.layers));
  await inShadow(b.page, 'details[id$="structure"] summary').click();
  await inShadow(b.page, `[data-layer-text="${decoded.index}"]`).click();
  const pre = inShadow(b.page, '.itkv-layer-text');
  await pre.waitFor();
  assert.match(await pre.textContent(), /^<\?xml[\s\S]*<ClinicalDocument/);
  await inShadow(b.page, 'details[id$="preview-panel"] summary').click();
  const preview = inShadow(b.page, '.itkv-preview-section').first();
  await preview.waitFor();
  assert.ok((await inShadow(b.page, '.itkv-preview-section').count()) >= 1);
  await shot(b.page, 'page-structure-preview');
  await noViolations('structure and preview');
});

test('a message containing script and markup renders inert', async () => {
  const hostile = `<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:h="http://www.w3.org/1999/xhtml">
  <title>&lt;img src=x onerror="window.__pwned=1"&gt;</title>
  <component><structuredBody><component><section>
    <title>Plan <script>window.__pwned=2</script></title>
    <text><paragraph>Take <content styleCode="Bold">two</content> <h:script>window.__pwned=3</h:script><h:img src="x" onerror="window.__pwned=4"/><h:iframe src="https://example.org/"/></paragraph>
    <table><tbody><tr><td onclick="window.__pwned=5">cell</td></tr></tbody></table>
    <s:svg xmlns:s="http://www.w3.org/2000/svg" onload="window.__pwned=9"><s:script>window.__pwned=10</s:script></s:svg></text>
  </section></component></structuredBody></component>
  <__MESSAGEID__ onload="window.__pwned=6"/><b>&lt;/script&gt;<script>window.__pwned=7</script></b>
</ClinicalDocument>`;
  const before = b.requests.length;
  await nextReport(b.page, () => paste(b.page, hostile));
  await inShadow(b.page, 'details[id$="preview-panel"] summary').evaluate((s) => { if (!s.parentElement.open) s.click(); });
  await b.page.waitForFunction(() => /Take two/.test(document.querySelector('itk-validator').shadowRoot.querySelector('.itkv-preview').textContent));
  const state = await b.page.evaluate(() => {
    const root = document.querySelector('itk-validator').shadowRoot;
    const live = root.querySelectorAll('script, img, iframe, object, embed, [onerror], [onclick], [onload], [src]');
    return { pwned: window.__pwned || null, live: live.length, preview: root.querySelector('.itkv-preview').textContent };
  });
  assert.deepEqual({ pwned: state.pwned, live: state.live }, { pwned: null, live: 0 });
  assert.match(state.preview, /Take two/);
  assert.match(state.preview, /window.__pwned=2/); // shown as text, not run
  // A namespace spelled with a character reference is refused, not parsed into live elements.
  const sneaky = hostile.replace('xmlns:h="http://www.w3.org/1999/xhtml"', 'xmlns:h="http://www.w3.org/1999/&#120;html"');
  await nextReport(b.page, () => b.page.evaluate((t) => { document.querySelector('itk-validator').value = t; }, sneaky));
  await b.page.waitForFunction(() => /cannot be previewed safely/.test(document.querySelector('itk-validator').shadowRoot.querySelector('.itkv-preview').textContent));
  const refused = await b.page.evaluate(() => [window.__pwned || null, document.querySelector('itk-validator').shadowRoot.querySelector('.itkv-preview').textContent]);
  assert.equal(refused[0], null);
  assert.match(refused[1], /cannot be previewed safely/);
  assert.equal(b.requests.length, before, `requests: ${b.requests.slice(before).join(', ')}`);
  await shot(b.page, 'page-hostile-inert');
  await noViolations('hostile message');
});

test('no console errors, and over the whole session only the page, its script and the wasm were fetched', () => {
  assert.deepEqual(b.errors, []);
  const network = [...new Set(b.requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:')).map((u) => new URL(u).pathname))].sort();
  assert.deepEqual(network, ['/', '/itk-validator.js', '/pkg/itk_validator_bg.wasm']);
});
