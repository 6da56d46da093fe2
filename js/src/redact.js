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
  for (const [k, v] of Object.entries(value)) {
    if (secret && (k === 'data' || k === 'stringData') && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.keys(v).map((key) => [key, REDACTED]));
    } else if (secret && (k === 'data' || k === 'stringData') && v != null) {
      out[k] = REDACTED; // malformed, still a value
    } else {
      out[k] = redact(v);
    }
  }
  return /** @type {T} */ (out);
}
