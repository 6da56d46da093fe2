// Secret values out of anything shown to a user. Browser-safe.

export const REDACTED = '<redacted>';

/**
 * A copy of `value` in which every object of `kind: Secret` has each
 * `data`/`stringData` value replaced by `"<redacted>"` (keys are kept: they
 * are names, not values). Anything else is copied as is; the input is never
 * changed.
 * @template T
 * @param {T} value
 * @returns {T}
 */
export function redact(value) {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const secret = value.kind === 'Secret';
  const out = {};
  // defineProperty, not `out[k] =`: a `__proto__` key must stay a key.
  const set = (k, v) =>
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  for (const [k, v] of Object.entries(value)) {
    if (secret && (k === 'data' || k === 'stringData') && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      set(k, Object.fromEntries(Object.keys(v).map((key) => [key, REDACTED])));
    } else if (secret && (k === 'data' || k === 'stringData') && v != null) {
      set(k, REDACTED); // malformed, still a value
    } else {
      set(k, redact(v));
    }
  }
  return /** @type {T} */ (out);
}
