// Types of `canary-tracker/escape` (js/src/escape.js): text that puts no raw control character on a terminal.

/** `s` with control characters (and line breaks) as visible Go-style escapes. */
export function escapeControl(s: unknown): string;
/** True if `s` holds a character `escapeControl` would escape. */
export function hasControl(s: unknown): boolean;
/** True if `s` holds a character JSON.stringify and the `yaml` library write raw. */
export function hasRawInData(s: unknown): boolean;
/** Serialised JSON or YAML with such characters escaped. */
export function escapeRawInData(text: string): string;
