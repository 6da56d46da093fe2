// Terminal-safe text. Browser-safe.
//
// Names, messages and file names come from the input: an object named
// "\x1b[2J..." or "a\nchecksum ..." must not repaint the terminal or forge a
// line. Like kubectl and git, every control character of untrusted text is
// written as a visible escape (Go's strconv.Quote spelling: \n, \x1b,
// \u009b, \u202e) — C0, DEL, C1, the Unicode line/paragraph separators and the
// bidirectional overrides that reorder what a reader sees ("Trojan Source").

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// What may stay raw in JSON/YAML text (their own escapes cover C0 already).
const RAW_IN_DATA = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED = { '\u0007': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\u000b': '\\v', '\f': '\\f', '\r': '\\r' };

const hex = (c, width) => c.charCodeAt(0).toString(16).padStart(width, '0');

/** One control character as a visible escape. */
function escapeChar(c) {
  if (NAMED[c]) return NAMED[c];
  const code = c.charCodeAt(0);
  return code < 0x80 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
}

/** `s` with every control character written as a visible escape. */
export function escapeControl(s) {
  return String(s).replace(CONTROL, escapeChar);
}

/** True if `s` holds a character `escapeControl` would escape. */
export function hasControl(s) {
  return new RegExp(CONTROL.source).test(String(s));
}

/** True if `s` holds a character JSON.stringify and the `yaml` library write raw. */
export function hasRawInData(s) {
  return new RegExp(RAW_IN_DATA.source).test(s);
}

/**
 * Serialised JSON, or YAML whose strings holding such characters were given
 * double-quoted style, with DEL, C1, the separators and bidi controls as
 * `\uXXXX`. In JSON these can only occur inside strings, in that YAML only
 * inside double-quoted scalars, where `\uXXXX` is a valid escape: the text
 * keeps its value.
 */
export function escapeRawInData(text) {
  return text.replace(RAW_IN_DATA, (c) => `\\u${hex(c, 4)}`);
}
