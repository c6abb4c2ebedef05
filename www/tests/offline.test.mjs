// The single offline file over file://, the embedding example, and browsers without WebAssembly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BASE, DIST, corpus, open, ready, nextReport, paste, listedFindings, axe, shot, inShadow } from './helpers.mjs';

const BROKEN = 'itk2/cdsstkw_neg111_ER_INVXML_GeneralPractitionerRecipient_Primary.xml';

test('the single file works from file:// with no network request at all', async () => {
  const url = pathToFileURL(join(DIST, 'itk-validator.html')).href;
  const b = await open(url);
  try {
    await ready(b.page);
    const report = await nextReport(b.page, () => paste(b.page, corpus(BROKEN)));
    assert.equal(report.valid, false);
    const listed = await listedFindings(b.page);
    assert.ok(listed.some((f) => f.code === 'XML002' && f.pos === '28:5'));
    // Only the file itself (and blob: for the worker); nothing over the network.
    const network = b.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(network, []);
    // The CSP forbids network access even if script tried.
    const blocked = await b.page.evaluate(() => fetch('http://127.0.0.1:9/x').then(() => 'fetched', (e) => 'blocked: ' + e.message));
    assert.match(blocked, /^blocked/);
    await shot(b.page, 'single-file');
    assert.deepEqual(await axe(b.page), []);
    assert.deepEqual(b.errors.filter((e) => !/Content Security Policy|127\.0\.0\.1:9/.test(e)), []);
  } finally {
    await b.close();
  }
});

test('the embedding example shows working <itk-validator> elements', async () => {
  const b = await open(new URL('embed-example.html', BASE).href);
  try {
    await ready(b.page, '#embedded');
    await ready(b.page, '#inline');
    await b.page.waitForFunction(() => document.querySelector('#embedded').report && document.querySelector('#inline').report);
    const sample = await b.page.evaluate(() => document.querySelector('#embedded').report);
    assert.ok(sample.layers.some((l) => l.kind === 'distribution-envelope'));
    const inline = await b.page.evaluate(() => document.querySelector('#inline').report);
    assert.ok(inline.diagnostics.some((d) => d.code === 'XML003'), JSON.stringify(inline.diagnostics));
    // Read-only: typing does not change the text.
    const before = await b.page.evaluate(() => document.querySelector('#inline').value);
    await inShadow(b.page, '.cm-content', '#inline').click();
    await b.page.keyboard.type('xyz');
    assert.equal(await b.page.evaluate(() => document.querySelector('#inline').value), before);
    assert.equal(await inShadow(b.page, 'select[id$="sample"]', '#inline').isVisible(), false);
    // Height attribute applies to the editor.
    const h = await inShadow(b.page, '.cm-editor', '#inline').evaluate((e) => e.getBoundingClientRect().height);
    assert.ok(Math.abs(h - 128) < 2, `height ${h}`);
    await shot(b.page, 'embed-example');
    assert.deepEqual(await axe(b.page), []);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.close();
  }
});

test('a clear message when WebAssembly is unavailable', async () => {
  // As on a desktop where policy removes WebAssembly.
  const b = await open(BASE, { initScript: () => { delete globalThis.WebAssembly; } });
  try {
    const alert = inShadow(b.page, '[role=alert]');
    await alert.waitFor({ state: 'visible' });
    assert.match(await alert.textContent(), /WebAssembly is blocked or not supported/);
    await shot(b.page, 'no-webassembly');
    assert.deepEqual(await axe(b.page), []);
  } finally {
    await b.close();
  }
});
