// The validation worker: owns the wasm module so that validating a 10 MB message never
// freezes the page. Started from a Blob by element.js, so it imports nothing at run time: the
// wasm arrives in the init message as bytes (single file) or as a same-origin URL.
import init, { validate, rules, version, render_report, formats, layer_text } from './itk_validator_glue.js';

self.onmessage = async (ev) => {
  const m = ev.data || {};
  if (m.type === 'init') {
    try {
      await init({ module_or_path: m.wasm });
      self.postMessage({ type: 'ready', version: version(), rules: rules(), formats: formats() });
    } catch (e) {
      self.postMessage({ type: 'fatal', message: String((e && e.message) || e) });
    }
    return;
  }
  try {
    let result;
    const t0 = performance.now();
    if (m.type === 'validate') result = validate(m.text, m.options || {});
    else if (m.type === 'render') result = render_report(m.text, m.format, m.options || {});
    else if (m.type === 'layer') result = layer_text(m.text, m.index);
    else throw new Error('unknown request ' + m.type);
    self.postMessage({ type: 'result', id: m.id, result, ms: performance.now() - t0 });
  } catch (e) {
    self.postMessage({ type: 'error', id: m.id, message: String((e && e.message) || e) });
  }
};
