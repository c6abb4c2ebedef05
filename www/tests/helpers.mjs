// Shared helpers for the browser tests (node --test). Chromium is Debian's (never downloaded);
// playwright-core drives it. `cargo xtask test` sets ITKV_BASE_URL (the served dist/),
// ITKV_DIST (the dist/ directory) and ITKV_RESULTS (where screenshots go).
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BASE = process.env.ITKV_BASE_URL || 'http://127.0.0.1:8080/';
export const DIST = process.env.ITKV_DIST || join(ROOT, 'dist');
export const RESULTS = process.env.ITKV_RESULTS || join(ROOT, 'test-results');
mkdirSync(RESULTS, { recursive: true });

export const corpus = (p) => readFileSync(join(ROOT, 'tests', 'corpus', p), 'utf8');
const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** A fresh browser (own user-data-dir) and page; `requests` records every request made. */
export async function open(url, { extraArgs = [], viewport = { width: 1400, height: 1000 }, initScript = null } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'itkv-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport,
    acceptDownloads: true,
  });
  if (initScript) await context.addInitScript(initScript);
  const page = context.pages()[0] || (await context.newPage());
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`${m.text()} @ ${JSON.stringify(m.location())}`); });
  await page.goto(url);
  return { context, page, requests, errors, close: () => context.close() };
}

/** Wait until the (first, or `sel`) validator has loaded its wasm. */
export async function ready(page, sel = 'itk-validator') {
  await page.waitForFunction((s) => { const e = document.querySelector(s); return e && e.ready; }, sel, { timeout: 30000 });
}

/** Run `action` and resolve with the next report of the validator. */
export async function nextReport(page, action, sel = 'itk-validator') {
  const p = page.evaluate((s) => new Promise((resolve) => {
    document.querySelector(s).addEventListener('itkv-report', (e) => resolve(e.detail), { once: true });
  }), sel);
  await action();
  return p;
}

/** Paste text into the editor the way a browser does (a paste event with clipboard data). */
export async function paste(page, text, sel = 'itk-validator') {
  await page.evaluate(([s, t]) => {
    const content = document.querySelector(s).shadowRoot.querySelector('.cm-content');
    content.focus();
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    content.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, [sel, text]);
}

export async function drop(page, text, name, sel = 'itk-validator') {
  await page.evaluate(([s, t, n]) => {
    const content = document.querySelector(s).shadowRoot.querySelector('.cm-content');
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: 'application/xml' }));
    content.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true, clientX: 50, clientY: 50 }));
  }, [sel, text, name]);
}

/** Findings as listed on the page: [{code, pos, text}] (only the visible ones). */
export async function listedFindings(page, sel = 'itk-validator') {
  return page.evaluate((s) => [...document.querySelector(s).shadowRoot.querySelectorAll('.itkv-finding')].map((li) => ({
    code: li.dataset.code,
    pos: li.querySelector('.itkv-pos').textContent,
    severity: li.querySelector('.itkv-tag').textContent,
    text: li.textContent,
  })), sel);
}

/** axe-core against WCAG 2.2 A/AA; returns the violations (empty = pass). */
export async function axe(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary) }));
  });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
}

export const inShadow = (page, css, sel = 'itk-validator') => page.locator(sel).locator(css);
