// Objects as the user sees them: Secret values replaced by their byte
// length (the package's redact does the masking), then rendered as YAML.
// Runs in the worker, so no Secret value ever reaches the page.

import { REDACTED, redact } from 'canary-tracker/redact';
import { stringify } from 'yaml';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const utf8 = new TextEncoder();

/** Decoded length of base64 text (a Secret's `data` value). */
function base64Bytes(s) {
  const t = s.replace(/\s+/g, '');
  const pad = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((t.length * 3) / 4) - pad);
}

function masked(value, field) {
  if (typeof value !== 'string') return REDACTED;
  const n = field === 'data' ? base64Bytes(value) : utf8.encode(value).length;
  return `<redacted, ${n} byte${n === 1 ? '' : 's'}>`;
}

/** A display copy of `obj` (any depth) with no Secret value in it. */
export function safe(obj) {
  const out = redact(obj);
  walk(obj, out);
  return out;
}

function walk(src, out) {
  if (Array.isArray(src)) return src.forEach((s, i) => walk(s, out[i]));
  if (src === null || typeof src !== 'object') return;
  if (src.kind === 'Secret') {
    for (const field of ['data', 'stringData']) {
      const d = src[field];
      if (d && typeof d === 'object' && !Array.isArray(d)) {
        for (const k of Object.keys(d)) out[field][k] = masked(d[k], field);
      }
    }
    // `kubectl apply` keeps the whole Secret, values included, in this annotation.
    const ann = out.metadata?.annotations;
    if (ann && typeof ann === 'object' && LAST_APPLIED in ann) ann[LAST_APPLIED] = REDACTED;
    return;
  }
  for (const [k, v] of Object.entries(src)) walk(v, out[k]);
}

/** YAML text of an object that is already safe to show. */
export function yaml(obj) {
  return stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false });
}
