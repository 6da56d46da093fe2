// Types of `canary-tracker/redact` (js/src/redact.js).

export const REDACTED: '<redacted>';
/** A copy with every Secret's `data`/`stringData` values replaced by `"<redacted>"`. */
export function redact<T>(value: T): T;
