// Page figures for `cargo xtask bench`: page-ready time and paste → findings latency for a
// 50 KB and a 5 MB message, in headless Chromium. Prints one JSON object.
import { open, ready, nextReport, paste, corpus } from './helpers.mjs';

const BASE = process.env.ITKV_BASE_URL;
const RUNS = Number(process.env.ITKV_BENCH_RUNS || 5);

// A real ITK 2 message (SOAP + DE + CDA) grown to `size` bytes by repeating its CDA body
// components, so the validator sees realistic structure throughout.
function message(size) {
  const base = corpus('cda/cdsstkw_Nullification_POCD_EX130001UK05_01.xml');
  const open = base.indexOf('<structuredBody');
  const start = base.indexOf('>', open) + 1;
  const end = base.indexOf('</structuredBody>');
  const body = base.slice(start, end);
  const times = Math.max(0, Math.ceil((size - base.length) / body.length));
  return base.slice(0, end) + body.repeat(times) + base.slice(end);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

const readyMs = [];
for (let i = 0; i < RUNS; i++) {
  const b = await open(BASE);
  await ready(b.page);
  readyMs.push(await b.page.evaluate(() => document.querySelector('itk-validator').readyAt));
  await b.close();
}

const out = { runs: RUNS, page_ready_ms: median(readyMs), paste: [] };
const b = await open(BASE);
await ready(b.page);
for (const size of [50 * 1024, 5 * 1024 * 1024]) {
  const text = message(size);
  const ms = [];
  const worker = [];
  let findings = 0;
  for (let i = 0; i < RUNS; i++) {
    await nextReport(b.page, () => b.page.evaluate(() => { document.querySelector('itk-validator').value = ''; }));
    const report = await nextReport(b.page, async () => {
      await b.page.evaluate(() => { window.__t0 = performance.now(); });
      await paste(b.page, text);
    });
    findings = report.diagnostics.length;
    // Paste dispatched → findings rendered (the report event fires after the list is built).
    ms.push(await b.page.evaluate(() => document.querySelector('itk-validator').reportAt - window.__t0));
    worker.push(await b.page.evaluate(() => document.querySelector('itk-validator').lastMs));
  }
  out.paste.push({ bytes: text.length, median_ms: median(ms), min_ms: Math.min(...ms), worker_ms: median(worker), findings });
}
await b.close();
// Markdown for docs/performance.md, then the raw figures.
const kb = (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`);
console.log(`RUNS ${RUNS}`);
console.log(`| Page ready (navigation → wasm loaded in the worker) | ${out.page_ready_ms.toFixed(0)} ms |`);
for (const p of out.paste) console.log(`| Paste → findings listed, ${kb(p.bytes)} message (${p.findings} findings) | ${p.median_ms.toFixed(0)} ms (best ${p.min_ms.toFixed(0)} ms; validation in the worker ${p.worker_ms.toFixed(0)} ms) |`);
console.log('JSON ' + JSON.stringify(out));
