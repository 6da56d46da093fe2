// JSON manifests read as kubectl reads them: a stream of values (Go's
// json.Decoder), each decoded the way the API machinery decodes an object
// (sigs.k8s.io/json: numbers to int64 or float64). Browser-safe.
//
// - A number beyond float64 (`1e400`) is an error, as kubectl's "cannot
//   unmarshal number 1e400 into Go value of type float64".
// - A `\uD800` escape not paired with a low surrogate reads as U+FFFD, as Go.
// - A repeated key is an error (see goyaml.js DUPLICATE_KEY for why).
// - A `__proto__` key is an ordinary key.
// - Nesting stops at MAX_DEPTH; every container made is reported to
//   `onContainer` with its offset and level.
// Errors never quote the input: they carry the offset of the problem.

import { DUPLICATE_KEY, MAX_DEPTH } from './goyaml.js';

export class JsonError extends Error {
  constructor(message, offset, code = 'invalid-json') {
    super(message);
    this.name = 'JsonError';
    this.code = code;
    this.offset = offset;
  }
}

const WS = (c) => c === 32 || c === 9 || c === 10 || c === 13;

class Reader {
  constructor(text, opts) {
    this.s = text;
    this.i = 0;
    this.onContainer = opts.onContainer;
  }

  fail(message, at = this.i) {
    throw new JsonError(message, at);
  }

  ws() {
    const s = this.s;
    let i = this.i;
    while (i < s.length && WS(s.charCodeAt(i))) i++;
    this.i = i;
  }

  value(depth) {
    this.ws();
    const c = this.s.charCodeAt(this.i);
    if (c === 123) return this.object(depth);
    if (c === 91) return this.array(depth);
    if (c === 34) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ]) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail(
      this.i >= this.s.length
        ? 'unexpected end of JSON input'
        : 'invalid character looking for the beginning of a value',
    );
  }

  object(depth) {
    const start = this.i;
    if (depth >= MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    this.i++;
    const obj = {};
    const seen = new Set();
    this.ws();
    if (this.s.charCodeAt(this.i) === 125) {
      this.i++;
      return this.deep(obj, depth, start);
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== 34)
        this.fail(
          this.i >= this.s.length
            ? 'unexpected end of JSON input'
            : 'invalid character looking for the beginning of an object key string',
        );
      const keyAt = this.i;
      const key = this.string();
      if (seen.has(key)) this.fail(DUPLICATE_KEY, keyAt);
      seen.add(key);
      this.ws();
      if (this.s.charCodeAt(this.i) !== 58) this.fail("invalid character after an object key: expected ':'");
      this.i++;
      const v = this.value(depth + 1);
      if (key === '__proto__')
        Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
      else obj[key] = v;
      this.ws();
      const c = this.s.charCodeAt(this.i);
      this.i++;
      if (c === 125) return this.deep(obj, depth, start);
      if (c !== 44)
        this.fail(
          Number.isNaN(c)
            ? 'unexpected end of JSON input'
            : "invalid character after an object value: expected ',' or '}'",
          this.i - 1,
        );
    }
  }

  array(depth) {
    const start = this.i;
    if (depth >= MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    this.i++;
    const arr = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 93) {
      this.i++;
      return this.deep(arr, depth, start);
    }
    for (;;) {
      arr.push(this.value(depth + 1));
      this.ws();
      const c = this.s.charCodeAt(this.i);
      this.i++;
      if (c === 93) return this.deep(arr, depth, start);
      if (c !== 44)
        this.fail(
          Number.isNaN(c)
            ? 'unexpected end of JSON input'
            : "invalid character after an array element: expected ',' or ']'",
          this.i - 1,
        );
    }
  }

  deep(container, depth, start) {
    this.onContainer?.(container, start, depth + 1);
    return container;
  }

  string() {
    const s = this.s;
    let i = this.i + 1;
    let from = i;
    let out = '';
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        out += s.slice(from, i);
        this.i = i + 1;
        return out;
      }
      if (c === 92) {
        out += s.slice(from, i);
        const [text, len] = this.escape(i);
        out += text;
        i += len;
        from = i;
        continue;
      }
      if (Number.isNaN(c)) this.fail('unexpected end of JSON input', i);
      if (c < 0x20) this.fail('invalid control character in a string', i);
      i++;
    }
  }

  /** One escape at i: [text, length]. */
  escape(i) {
    const s = this.s;
    const e = s[i + 1];
    const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[e];
    if (simple !== undefined) return [simple, 2];
    if (e !== 'u') this.fail('invalid escape in a string', i);
    const hex = (at) => (/^[0-9a-fA-F]{4}$/.test(s.slice(at, at + 4)) ? parseInt(s.slice(at, at + 4), 16) : -1);
    const u = hex(i + 2);
    if (u < 0) this.fail('invalid \\u escape in a string', i);
    if (u >= 0xd800 && u <= 0xdbff && s[i + 6] === '\\' && s[i + 7] === 'u') {
      const lo = hex(i + 8);
      if (lo >= 0xdc00 && lo <= 0xdfff) return [String.fromCharCode(u, lo), 12];
    }
    // A lone surrogate: U+FFFD, as Go's decoder makes it.
    if (u >= 0xd800 && u <= 0xdfff) return ['\ufffd', 6];
    return [String.fromCharCode(u), 6];
  }

  number() {
    const m = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (!r || r[0] === '-') this.fail('invalid number');
    const n = Number(r[0]);
    if (!Number.isFinite(n)) this.fail('number out of range: it does not fit a float64, so kubectl refuses it', this.i);
    this.i += r[0].length;
    const next = this.s.charCodeAt(this.i);
    if ((next >= 48 && next <= 57) || next === 46 || next === 101 || next === 69 || next === 45 || next === 43)
      this.fail('invalid number');
    return n;
  }
}

/**
 * Reads a stream of JSON values (`{...}{...}`, or one value), as Go's
 * json.Decoder does.
 * @param {string} text
 * @param {{onContainer?: (container: object, offset: number, level: number) => void}} [opts]
 * @returns {{value: any, offset: number}[]}
 */
export function readJsonStream(text, opts = {}) {
  const r = new Reader(text, opts);
  const out = [];
  for (;;) {
    r.ws();
    if (r.i >= text.length) return out;
    const offset = r.i;
    out.push({ value: r.value(0), offset });
  }
}
