// YAML read exactly as kubectl reads one document: go-yaml v2's scanner and
// parser (a port of libyaml), its decoder into Go values, then
// sigs.k8s.io/yaml's conversion of those values to JSON. Browser-safe.
//
// Ported from go-yaml v2 (github.com/go-yaml/yaml, branch v2 = v2.4.0, the
// base of go.yaml.in/yaml/v2 v2.4.2 that sigs.k8s.io/yaml v1.4+ and so
// kubectl use): scannerc.go, parserc.go, decode.go, resolve.go; and from
// sigs.k8s.io/yaml yaml.go (yamlToJSONTarget, convertToJSONableObject).
// Function names follow the Go ones so the two can be read side by side.
//
// Differences, each deliberate:
// - Errors never quote the input (go-yaml's do: anchor names, tags,
//   `cannot decode !!str \`xyz\``); they carry the offset of the problem.
// - A key repeated in one mapping is an error: kubectl keeps the last one,
//   kustomize refuses it, the API server merges a raw JSON body, so no single
//   answer is right (README "Reading manifests").
// - Two keys that differ in Go but become the same JSON key (`1` and "1")
//   are an error: sigs.k8s.io/yaml keeps one of them at random.
// - Integers beyond ±2^53 lose precision (JavaScript numbers); their key
//   spellings are exact.
// - The expanded document is bounded in bytes (aliases of a large anchor):
//   go-yaml bounds alias expansion by node count only.

/** A YAML syntax or decoding error; `offset` is where, in UTF-16 units of the text given. */
export class YamlError extends Error {
  constructor(message, mark, code = 'invalid-yaml') {
    super(message);
    this.name = 'YamlError';
    this.code = code;
    this.offset = mark?.pos ?? 0;
  }
}

// ---------------------------------------------------------------------------
// Characters (yamlprivateh.go). The text is a JS string; `z` (end of input)
// is the NUL padding appended after the reader check, which refuses every
// NUL inside the text (readerc.go), so NUL can only mean the end.

const LF = 10;
const CR = 13;
const TAB = 9;
const SP = 32;
const NEL = 0x85;
const LS = 0x2028;
const PS = 0x2029;

const isBreakC = (c) => c === CR || c === LF || c === NEL || c === LS || c === PS;
const isBlankC = (c) => c === SP || c === TAB;
const isBlankzC = (c) => c === SP || c === TAB || c === 0 || isBreakC(c);
const isBreakzC = (c) => c === 0 || isBreakC(c);
const isAlphaC = (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
const isDigitC = (c) => c >= 48 && c <= 57;
const isHexC = (c) => isDigitC(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const asHex = (c) => (c >= 97 ? c - 87 : c >= 65 ? c - 55 : c - 48);

/**
 * readerc.go refuses every character outside YAML 1.1's printable set
 * ("control characters are not allowed"): C0 controls but TAB/LF/CR, DEL,
 * C1 controls but NEL, U+FFFE/U+FFFF, and (in a JS string) lone surrogates.
 */
// eslint-disable-next-line no-control-regex
const NOT_PRINTABLE =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Token and event types (yamlh.go).
const T = {
  STREAM_START: 1,
  STREAM_END: 2,
  VERSION_DIRECTIVE: 3,
  TAG_DIRECTIVE: 4,
  DOCUMENT_START: 5,
  DOCUMENT_END: 6,
  BLOCK_SEQUENCE_START: 7,
  BLOCK_MAPPING_START: 8,
  BLOCK_END: 9,
  FLOW_SEQUENCE_START: 10,
  FLOW_SEQUENCE_END: 11,
  FLOW_MAPPING_START: 12,
  FLOW_MAPPING_END: 13,
  BLOCK_ENTRY: 14,
  FLOW_ENTRY: 15,
  KEY: 16,
  VALUE: 17,
  ALIAS: 18,
  ANCHOR: 19,
  TAG: 20,
  SCALAR: 21,
};
const E = {
  STREAM_START: 1,
  STREAM_END: 2,
  DOCUMENT_START: 3,
  DOCUMENT_END: 4,
  ALIAS: 5,
  SCALAR: 6,
  SEQUENCE_START: 7,
  SEQUENCE_END: 8,
  MAPPING_START: 9,
  MAPPING_END: 10,
};
const STYLE = { PLAIN: 1, SINGLE: 2, DOUBLE: 3, LITERAL: 4, FOLDED: 5 };

// ---------------------------------------------------------------------------
// Scanner (scannerc.go).

class Scanner {
  constructor(text) {
    this.src = `${text}\0\0\0\0`;
    // The reader drops a leading BOM (readerc.go's determine_encoding);
    // anywhere else U+FEFF is content.
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.index = 0; // characters (code points), as go-yaml's mark.index
    this.line = 0;
    this.column = 0;
    this.tokens = [];
    this.head = 0;
    this.tokensParsed = 0;
    this.tokenAvailable = false;
    this.streamStartProduced = false;
    this.streamEndProduced = false;
    this.indent = -1;
    this.indents = [];
    this.simpleKeyAllowed = false;
    this.simpleKeys = [];
    this.simpleKeysByTok = new Map();
    this.flowLevel = 0;
  }

  c(off = 0) {
    return this.src.charCodeAt(this.pos + off);
  }

  mark() {
    return { index: this.index, line: this.line, column: this.column, pos: this.pos };
  }

  fail(context, contextMark, problem) {
    throw new YamlError(problem, this.mark());
  }

  // Width of the character at pos in UTF-16 units.
  width() {
    const c = this.src.charCodeAt(this.pos);
    return c >= 0xd800 && c <= 0xdbff ? 2 : 1;
  }

  skip() {
    this.index++;
    this.column++;
    this.pos += this.width();
  }

  skipLine() {
    const c = this.c();
    if (c === CR && this.c(1) === LF) {
      this.index += 2;
      this.column = 0;
      this.line++;
      this.pos += 2;
    } else if (isBreakC(c)) {
      this.index++;
      this.column = 0;
      this.line++;
      this.pos += 1;
    }
  }

  /** The character at pos, consumed (`read` in Go). */
  read() {
    const w = this.width();
    const s = this.src.slice(this.pos, this.pos + w);
    this.pos += w;
    this.index++;
    this.column++;
    return s;
  }

  /** A line break, consumed, as it reads in a scalar: CR LF, CR, LF and NEL are "\n"; LS and PS stay. */
  readLine() {
    const c = this.c();
    let s;
    if (c === CR && this.c(1) === LF) {
      s = '\n';
      this.pos += 2;
      this.index++;
    } else if (c === CR || c === LF || c === NEL) {
      s = '\n';
      this.pos += 1;
    } else if (c === LS || c === PS) {
      s = String.fromCharCode(c);
      this.pos += 1;
    } else {
      return '';
    }
    this.index++;
    this.column = 0;
    this.line++;
    return s;
  }

  // Token queue ------------------------------------------------------------

  insertToken(pos, token) {
    if (this.head > 4096 && this.head * 2 > this.tokens.length) {
      this.tokens = this.tokens.slice(this.head);
      this.head = 0;
    }
    if (pos < 0) this.tokens.push(token);
    else this.tokens.splice(this.head + pos, 0, token);
  }

  peekToken() {
    if (!this.tokenAvailable) this.fetchMoreTokens();
    return this.tokens[this.head];
  }

  skipToken() {
    this.tokenAvailable = false;
    this.tokensParsed++;
    this.streamEndProduced = this.tokens[this.head].type === T.STREAM_END;
    this.head++;
  }

  fetchMoreTokens() {
    for (;;) {
      if (this.head !== this.tokens.length) {
        const idx = this.simpleKeysByTok.get(this.tokensParsed);
        if (idx === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[idx])) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  fetchNextToken() {
    if (!this.streamStartProduced) return this.fetchStreamStart();
    this.scanToNextToken();
    this.unrollIndent(this.column);
    const c = this.c();
    if (c === 0) return this.fetchStreamEnd();
    if (this.column === 0 && c === 37 /* % */) return this.fetchDirective();
    if (this.column === 0 && c === 45 && this.c(1) === 45 && this.c(2) === 45 && isBlankzC(this.c(3)))
      return this.fetchDocumentIndicator(T.DOCUMENT_START);
    if (this.column === 0 && c === 46 && this.c(1) === 46 && this.c(2) === 46 && isBlankzC(this.c(3)))
      return this.fetchDocumentIndicator(T.DOCUMENT_END);
    if (c === 91 /* [ */) return this.fetchFlowCollectionStart(T.FLOW_SEQUENCE_START);
    if (c === 123 /* { */) return this.fetchFlowCollectionStart(T.FLOW_MAPPING_START);
    if (c === 93 /* ] */) return this.fetchFlowCollectionEnd(T.FLOW_SEQUENCE_END);
    if (c === 125 /* } */) return this.fetchFlowCollectionEnd(T.FLOW_MAPPING_END);
    if (c === 44 /* , */) return this.fetchFlowEntry();
    if (c === 45 /* - */ && isBlankzC(this.c(1))) return this.fetchBlockEntry();
    if (c === 63 /* ? */ && (this.flowLevel > 0 || isBlankzC(this.c(1)))) return this.fetchKey();
    if (c === 58 /* : */ && (this.flowLevel > 0 || isBlankzC(this.c(1)))) return this.fetchValue();
    if (c === 42 /* * */) return this.fetchPossibleKey(() => this.scanAnchor(T.ALIAS));
    if (c === 38 /* & */) return this.fetchPossibleKey(() => this.scanAnchor(T.ANCHOR));
    if (c === 33 /* ! */) return this.fetchPossibleKey(() => this.scanTag());
    if (c === 124 /* | */ && this.flowLevel === 0) return this.fetchBlockScalar(true);
    if (c === 62 /* > */ && this.flowLevel === 0) return this.fetchBlockScalar(false);
    if (c === 39 /* ' */) return this.fetchPossibleKey(() => this.scanFlowScalar(true));
    if (c === 34 /* " */) return this.fetchPossibleKey(() => this.scanFlowScalar(false));
    // A plain scalar may start with any non-blank character but the
    // indicators; '-', '?' and ':' may start one when followed by a non-blank
    // ('?' and ':' only in the block context).
    const indicator = '-?:,[]{}#&*!|>\'"%@`'.includes(String.fromCharCode(c));
    if (
      !(isBlankzC(c) || indicator) ||
      (c === 45 && !isBlankC(this.c(1))) ||
      (this.flowLevel === 0 && (c === 63 || c === 58) && !isBlankzC(this.c(1)))
    ) {
      return this.fetchPossibleKey(() => this.scanPlainScalar());
    }
    return this.fail('while scanning for the next token', this.mark(), 'found character that cannot start any token');
  }

  simpleKeyIsValid(sk) {
    if (!sk.possible) return false;
    // A simple key is restricted to one line and 1024 characters.
    if (sk.mark.line < this.line || sk.mark.index + 1024 < this.index) {
      if (sk.required) throw new YamlError("could not find expected ':'", sk.mark);
      sk.possible = false;
      return false;
    }
    return true;
  }

  saveSimpleKey() {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (this.simpleKeyAllowed) {
      const sk = {
        possible: true,
        required,
        tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
        mark: this.mark(),
      };
      this.removeSimpleKey();
      this.simpleKeys[this.simpleKeys.length - 1] = sk;
      this.simpleKeysByTok.set(sk.tokenNumber, this.simpleKeys.length - 1);
    }
  }

  removeSimpleKey() {
    const i = this.simpleKeys.length - 1;
    const sk = this.simpleKeys[i];
    if (sk.possible) {
      if (sk.required) throw new YamlError("could not find expected ':'", sk.mark);
      sk.possible = false;
      this.simpleKeysByTok.delete(sk.tokenNumber);
    }
  }

  increaseFlowLevel() {
    this.simpleKeys.push({
      possible: false,
      required: false,
      tokenNumber: this.tokensParsed + (this.tokens.length - this.head),
      mark: this.mark(),
    });
    this.flowLevel++;
    if (this.flowLevel > 10000) throw new YamlError('exceeded max depth of 10000', this.mark());
  }

  decreaseFlowLevel() {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const last = this.simpleKeys.pop();
      this.simpleKeysByTok.delete(last.tokenNumber);
    }
  }

  rollIndent(column, number, type, mark) {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > 10000) throw new YamlError('exceeded max depth of 10000', this.mark());
      const token = { type, start: mark, end: mark };
      this.insertToken(number > -1 ? number - this.tokensParsed : -1, token);
    }
  }

  unrollIndent(column) {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      const m = this.mark();
      this.insertToken(-1, { type: T.BLOCK_END, start: m, end: m });
      this.indent = this.indents.pop();
    }
  }

  fetchStreamStart() {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: this.mark() });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    const m = this.mark();
    this.insertToken(-1, { type: T.STREAM_START, start: m, end: m });
  }

  fetchStreamEnd() {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const m = this.mark();
    this.insertToken(-1, { type: T.STREAM_END, start: m, end: m });
  }

  fetchDirective() {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  fetchDocumentIndicator(type) {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const start = this.mark();
    this.skip();
    this.skip();
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  /** Consumes a one-character indicator as a token of `type`. */
  indicator(type) {
    const start = this.mark();
    this.skip();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  /** `-`, `?` or a complex `:` in the block context: only where a key may start; may open a collection. */
  blockIndicator(problem, collection) {
    if (this.flowLevel !== 0) return;
    if (!this.simpleKeyAllowed) this.fail('', this.mark(), problem);
    this.rollIndent(this.column, -1, collection, this.mark());
  }

  fetchFlowCollectionStart(type) {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.indicator(type);
  }

  fetchFlowCollectionEnd(type) {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.indicator(type);
  }

  fetchFlowEntry() {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.indicator(T.FLOW_ENTRY);
  }

  fetchBlockEntry() {
    this.blockIndicator('block sequence entries are not allowed in this context', T.BLOCK_SEQUENCE_START);
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.indicator(T.BLOCK_ENTRY);
  }

  fetchKey() {
    this.blockIndicator('mapping keys are not allowed in this context', T.BLOCK_MAPPING_START);
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.indicator(T.KEY);
  }

  fetchValue() {
    const sk = this.simpleKeys[this.simpleKeys.length - 1];
    if (this.simpleKeyIsValid(sk)) {
      this.insertToken(sk.tokenNumber - this.tokensParsed, { type: T.KEY, start: sk.mark, end: sk.mark });
      this.rollIndent(sk.mark.column, sk.tokenNumber, T.BLOCK_MAPPING_START, sk.mark);
      sk.possible = false;
      this.simpleKeysByTok.delete(sk.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      this.blockIndicator('mapping values are not allowed in this context', T.BLOCK_MAPPING_START);
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.indicator(T.VALUE);
  }

  /** An anchor, alias, tag, or flow or plain scalar: it may start a simple key, and none may follow it. */
  fetchPossibleKey(scan) {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, scan());
  }

  fetchBlockScalar(literal) {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar(literal));
  }

  scanToNextToken() {
    for (;;) {
      // Tabs are allowed in the flow context, and in the block context but
      // not at the start of a line or after '-', '?' or ':'.
      while (this.c() === SP || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.c() === TAB)) this.skip();
      if (this.c() === 35 /* # */) {
        while (!isBreakzC(this.c())) this.skip();
      }
      if (isBreakC(this.c())) {
        this.skipLine();
        if (this.flowLevel === 0) this.simpleKeyAllowed = true;
      } else {
        break;
      }
    }
  }

  scanDirective() {
    const start = this.mark();
    this.skip();
    const name = this.scanDirectiveName(start);
    let token;
    if (name === 'YAML') {
      const [major, minor] = this.scanVersionDirectiveValue(start);
      token = { type: T.VERSION_DIRECTIVE, start, end: this.mark(), major, minor };
    } else if (name === 'TAG') {
      const [handle, prefix] = this.scanTagDirectiveValue(start);
      token = { type: T.TAG_DIRECTIVE, start, end: this.mark(), value: handle, prefix };
    } else {
      this.fail('while scanning a directive', start, 'found unknown directive name');
    }
    while (isBlankC(this.c())) this.skip();
    if (this.c() === 35) {
      while (!isBreakzC(this.c())) this.skip();
    }
    if (!isBreakzC(this.c()))
      this.fail('while scanning a directive', start, 'did not find expected comment or line break');
    if (isBreakC(this.c())) this.skipLine();
    return token;
  }

  scanDirectiveName(start) {
    let s = '';
    while (isAlphaC(this.c())) s += this.read();
    if (s === '') this.fail('while scanning a directive', start, 'could not find expected directive name');
    if (!isBlankzC(this.c()))
      this.fail('while scanning a directive', start, 'found unexpected non-alphabetical character');
    return s;
  }

  scanVersionDirectiveValue(start) {
    while (isBlankC(this.c())) this.skip();
    const major = this.scanVersionDirectiveNumber(start);
    if (this.c() !== 46)
      this.fail('while scanning a %YAML directive', start, "did not find expected digit or '.' character");
    this.skip();
    return [major, this.scanVersionDirectiveNumber(start)];
  }

  scanVersionDirectiveNumber(start) {
    let value = 0;
    let length = 0;
    while (isDigitC(this.c())) {
      length++;
      if (length > 2) this.fail('while scanning a %YAML directive', start, 'found extremely long version number');
      value = value * 10 + (this.c() - 48);
      this.skip();
    }
    if (length === 0) this.fail('while scanning a %YAML directive', start, 'did not find expected version number');
    return value;
  }

  scanTagDirectiveValue(start) {
    while (isBlankC(this.c())) this.skip();
    const handle = this.scanTagHandle(true, start);
    if (!isBlankC(this.c())) this.fail('while scanning a %TAG directive', start, 'did not find expected whitespace');
    while (isBlankC(this.c())) this.skip();
    const prefix = this.scanTagUri(true, '', start);
    if (!isBlankzC(this.c()))
      this.fail('while scanning a %TAG directive', start, 'did not find expected whitespace or line break');
    return [handle, prefix];
  }

  scanAnchor(type) {
    const start = this.mark();
    this.skip();
    let s = '';
    while (isAlphaC(this.c())) s += this.read();
    const end = this.mark();
    const c = this.c();
    if (
      s === '' ||
      !(isBlankzC(c) || c === 63 || c === 58 || c === 44 || c === 93 || c === 125 || c === 37 || c === 64 || c === 96)
    ) {
      this.fail(
        type === T.ANCHOR ? 'while scanning an anchor' : 'while scanning an alias',
        start,
        'did not find expected alphabetic or numeric character',
      );
    }
    return { type, start, end, value: s };
  }

  scanTag() {
    const start = this.mark();
    let handle;
    let suffix;
    if (this.c(1) === 60 /* < */) {
      this.skip();
      this.skip();
      handle = '';
      suffix = this.scanTagUri(false, '', start);
      if (this.c() !== 62) this.fail('while scanning a tag', start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle[0] === '!' && handle.length > 1 && handle[handle.length - 1] === '!') {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        if (suffix === '') [handle, suffix] = [suffix, handle];
      }
    }
    if (!isBlankzC(this.c()))
      this.fail('while scanning a tag', start, 'did not find expected whitespace or line break');
    return { type: T.TAG, start, end: this.mark(), value: handle, suffix };
  }

  scanTagHandle(directive, start) {
    if (this.c() !== 33) this.fail('while parsing a tag', start, "did not find expected '!'");
    let s = this.read();
    while (isAlphaC(this.c())) s += this.read();
    if (this.c() === 33) s += this.read();
    else if (directive && s !== '!') this.fail('while parsing a %TAG directive', start, "did not find expected '!'");
    return s;
  }

  scanTagUri(directive, head, start) {
    let s = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    for (;;) {
      const c = this.c();
      if (!(isAlphaC(c) || ";/?:@&=+$,.!~*'()[]%".includes(String.fromCharCode(c)))) break;
      if (c === 37) s += this.scanUriEscapes(directive, start);
      else s += this.read();
      hasTag = true;
    }
    if (!hasTag) this.fail('while parsing a tag', start, 'did not find expected tag URI');
    return s;
  }

  scanUriEscapes(directive, start) {
    const bytes = [];
    let w = 1024;
    while (w > 0) {
      if (!(this.c() === 37 && isHexC(this.c(1)) && isHexC(this.c(2))))
        this.fail('while parsing a tag', start, 'did not find URI escaped octet');
      const octet = (asHex(this.c(1)) << 4) + asHex(this.c(2));
      if (w === 1024) {
        w =
          octet < 0x80
            ? 1
            : (octet & 0xe0) === 0xc0
              ? 2
              : (octet & 0xf0) === 0xe0
                ? 3
                : (octet & 0xf8) === 0xf0
                  ? 4
                  : 0;
        if (w === 0) this.fail('while parsing a tag', start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) {
        this.fail('while parsing a tag', start, 'found an incorrect trailing UTF-8 octet');
      }
      bytes.push(octet);
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
    return goString(Uint8Array.from(bytes));
  }

  scanBlockScalar(literal) {
    const start = this.mark();
    this.skip();
    let chomping = 0;
    let increment = 0;
    let c = this.c();
    if (c === 43 || c === 45) {
      chomping = c === 43 ? 1 : -1;
      this.skip();
      if (isDigitC(this.c())) {
        if (this.c() === 48)
          this.fail('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
        increment = this.c() - 48;
        this.skip();
      }
    } else if (isDigitC(c)) {
      if (c === 48) this.fail('while scanning a block scalar', start, 'found an indentation indicator equal to 0');
      increment = c - 48;
      this.skip();
      c = this.c();
      if (c === 43 || c === 45) {
        chomping = c === 43 ? 1 : -1;
        this.skip();
      }
    }
    while (isBlankC(this.c())) this.skip();
    if (this.c() === 35) {
      while (!isBreakzC(this.c())) this.skip();
    }
    if (!isBreakzC(this.c()))
      this.fail('while scanning a block scalar', start, 'did not find expected comment or line break');
    if (isBreakC(this.c())) this.skipLine();

    const st = { indent: 0, breaks: '', end: this.mark() };
    if (increment > 0) st.indent = this.indent >= 0 ? this.indent + increment : increment;
    let s = '';
    let leadingBreak = '';
    this.scanBlockScalarBreaks(st, start);
    let leadingBlank = false;
    let trailingBlank = false;
    while (this.column === st.indent && this.c() !== 0) {
      trailingBlank = isBlankC(this.c());
      if (!literal && !leadingBlank && !trailingBlank && leadingBreak.length > 0 && leadingBreak[0] === '\n') {
        if (st.breaks.length === 0) s += ' ';
      } else {
        s += leadingBreak;
      }
      leadingBreak = '';
      s += st.breaks;
      st.breaks = '';
      leadingBlank = isBlankC(this.c());
      const from = this.pos;
      while (!isBreakzC(this.c())) this.skip();
      s += this.src.slice(from, this.pos);
      leadingBreak = this.readLine();
      this.scanBlockScalarBreaks(st, start);
    }
    if (chomping !== -1) s += leadingBreak;
    if (chomping === 1) s += st.breaks;
    return { type: T.SCALAR, start, end: st.end, value: s, style: literal ? STYLE.LITERAL : STYLE.FOLDED };
  }

  scanBlockScalarBreaks(st, start) {
    st.end = this.mark();
    let maxIndent = 0;
    for (;;) {
      while ((st.indent === 0 || this.column < st.indent) && this.c() === SP) this.skip();
      if (this.column > maxIndent) maxIndent = this.column;
      if ((st.indent === 0 || this.column < st.indent) && this.c() === TAB) {
        this.fail(
          'while scanning a block scalar',
          start,
          'found a tab character where an indentation space is expected',
        );
      }
      if (!isBreakC(this.c())) break;
      st.breaks += this.readLine();
      st.end = this.mark();
    }
    if (st.indent === 0) {
      st.indent = maxIndent;
      if (st.indent < this.indent + 1) st.indent = this.indent + 1;
      if (st.indent < 1) st.indent = 1;
    }
  }

  scanFlowScalar(single) {
    const start = this.mark();
    this.skip();
    let s = '';
    const gap = newGap();
    for (;;) {
      if (this.atDocumentIndicator())
        this.fail('while scanning a quoted scalar', start, 'found unexpected document indicator');
      if (this.c() === 0) this.fail('while scanning a quoted scalar', start, 'found unexpected end of stream');
      gap.leadingBlanks = false;
      while (!isBlankzC(this.c())) {
        const c = this.c();
        if (single && c === 39 && this.c(1) === 39) {
          s += "'";
          this.skip();
          this.skip();
        } else if (single && c === 39) {
          break;
        } else if (!single && c === 34) {
          break;
        } else if (!single && c === 92 && isBreakC(this.c(1))) {
          this.skip();
          this.skipLine();
          gap.leadingBlanks = true;
          break;
        } else if (!single && c === 92) {
          let codeLength = 0;
          const e = this.c(1);
          const simple = ESCAPES.get(e);
          if (simple !== undefined) s += simple;
          else if (e === 120) codeLength = 2;
          else if (e === 117) codeLength = 4;
          else if (e === 85) codeLength = 8;
          else this.fail('while parsing a quoted scalar', start, 'found unknown escape character');
          this.skip();
          this.skip();
          if (codeLength > 0) {
            let value = 0;
            for (let k = 0; k < codeLength; k++) {
              if (!isHexC(this.c(k)))
                this.fail('while parsing a quoted scalar', start, 'did not find expected hexdecimal number');
              value = value * 16 + asHex(this.c(k));
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
              this.fail('while parsing a quoted scalar', start, 'found invalid Unicode character escape code');
            }
            s += String.fromCodePoint(value);
            for (let k = 0; k < codeLength; k++) this.skip();
          }
        } else {
          // A run of ordinary characters at once.
          const from = this.pos;
          do this.skip();
          while (!isBlankzC(this.c()) && this.c() !== 39 && this.c() !== 34 && this.c() !== 92);
          s += this.src.slice(from, this.pos);
        }
      }
      const c = this.c();
      if (single ? c === 39 : c === 34) break;
      this.scanGap(gap);
      s += folded(gap);
    }
    this.skip();
    return { type: T.SCALAR, start, end: this.mark(), value: s, style: single ? STYLE.SINGLE : STYLE.DOUBLE };
  }

  /** `---` or `...` at the start of a line, followed by a blank or the end. */
  atDocumentIndicator() {
    const c = this.c();
    return this.column === 0 && (c === 45 || c === 46) && this.c(1) === c && this.c(2) === c && isBlankzC(this.c(3));
  }

  /**
   * The blanks and line breaks between two runs of a flow or plain scalar,
   * collected into `gap` for folding; `onBlank` checks each blank first.
   */
  scanGap(gap, onBlank) {
    while (isBlankC(this.c()) || isBreakC(this.c())) {
      if (isBlankC(this.c())) {
        onBlank?.();
        if (!gap.leadingBlanks) gap.whitespaces += this.read();
        else this.skip();
      } else if (!gap.leadingBlanks) {
        gap.whitespaces = '';
        gap.leadingBreak = this.readLine();
        gap.leadingBlanks = true;
      } else {
        gap.trailingBreaks += this.readLine();
      }
    }
  }

  /** Where a plain scalar stops: ': ' (or ':' at the end), and in the flow context ',?[]{}'. */
  plainStop() {
    const c = this.c();
    return (
      (c === 58 && isBlankzC(this.c(1))) ||
      (this.flowLevel > 0 && (c === 44 || c === 63 || c === 91 || c === 93 || c === 123 || c === 125))
    );
  }

  scanPlainScalar() {
    let s = '';
    const gap = newGap();
    const indent = this.indent + 1;
    const start = this.mark();
    let end = this.mark();
    for (;;) {
      if (this.atDocumentIndicator()) break;
      if (this.c() === 35) break;
      while (!isBlankzC(this.c())) {
        if (this.plainStop()) break;
        if (gap.leadingBlanks || gap.whitespaces.length > 0) {
          s += folded(gap);
          gap.leadingBlanks = false;
        }
        // A run of characters at once (go-yaml reads them one by one).
        const from = this.pos;
        do this.skip();
        while (!isBlankzC(this.c()) && !this.plainStop());
        s += this.src.slice(from, this.pos);
        end = this.mark();
      }
      if (!(isBlankC(this.c()) || isBreakC(this.c()))) break;
      this.scanGap(gap, () => {
        if (gap.leadingBlanks && this.column < indent && this.c() === TAB) {
          this.fail('while scanning a plain scalar', start, 'found a tab character that violates indentation');
        }
      });
      if (this.flowLevel === 0 && this.column < indent) break;
    }
    if (gap.leadingBlanks) this.simpleKeyAllowed = true;
    return { type: T.SCALAR, start, end, value: s, style: STYLE.PLAIN };
  }
}

const newGap = () => ({ leadingBlanks: false, leadingBreak: '', trailingBreaks: '', whitespaces: '' });

/**
 * A gap as it reads, emptied: blanks on one line are kept; across lines a
 * single "\n" break folds to a space and more "\n" breaks stay as they are,
 * while an LS or PS break is kept with what follows it (scannerc.go:2531-2543).
 */
function folded(gap) {
  let out;
  if (!gap.leadingBlanks) out = gap.whitespaces;
  else if (gap.leadingBreak[0] === '\n') out = gap.trailingBreaks === '' ? ' ' : gap.trailingBreaks;
  else out = gap.leadingBreak + gap.trailingBreaks;
  gap.leadingBreak = '';
  gap.trailingBreaks = '';
  gap.whitespaces = '';
  return out;
}

const ESCAPES = new Map([
  [48, '\0'],
  [97, '\x07'],
  [98, '\b'],
  [116, '\t'],
  [9, '\t'],
  [110, '\n'],
  [118, '\v'],
  [102, '\f'],
  [114, '\r'],
  [101, '\x1b'],
  [32, ' '],
  [34, '"'],
  [39, "'"],
  [92, '\\'],
  [78, '\x85'],
  [95, '\xa0'],
  [76, '\u2028'],
  [80, '\u2029'],
]);

// ---------------------------------------------------------------------------
// Parser (parserc.go): tokens → events.

const S = {
  STREAM_START: 0,
  IMPLICIT_DOCUMENT_START: 1,
  DOCUMENT_START: 2,
  DOCUMENT_CONTENT: 3,
  DOCUMENT_END: 4,
  BLOCK_NODE: 5,
  BLOCK_NODE_OR_INDENTLESS_SEQUENCE: 6,
  FLOW_NODE: 7,
  BLOCK_SEQUENCE_FIRST_ENTRY: 8,
  BLOCK_SEQUENCE_ENTRY: 9,
  INDENTLESS_SEQUENCE_ENTRY: 10,
  BLOCK_MAPPING_FIRST_KEY: 11,
  BLOCK_MAPPING_KEY: 12,
  BLOCK_MAPPING_VALUE: 13,
  FLOW_SEQUENCE_FIRST_ENTRY: 14,
  FLOW_SEQUENCE_ENTRY: 15,
  FLOW_SEQUENCE_ENTRY_MAPPING_KEY: 16,
  FLOW_SEQUENCE_ENTRY_MAPPING_VALUE: 17,
  FLOW_SEQUENCE_ENTRY_MAPPING_END: 18,
  FLOW_MAPPING_FIRST_KEY: 19,
  FLOW_MAPPING_KEY: 20,
  FLOW_MAPPING_VALUE: 21,
  FLOW_MAPPING_EMPTY_VALUE: 22,
  END: 23,
};

const DEFAULT_TAG_DIRECTIVES = [
  { handle: '!', prefix: '!' },
  { handle: '!!', prefix: 'tag:yaml.org,2002:' },
];

class Parser {
  constructor(text) {
    this.scanner = new Scanner(text);
    this.state = S.STREAM_START;
    this.states = [];
    this.marks = [];
    this.tagDirectives = [];
  }

  peek() {
    return this.scanner.peekToken();
  }

  skip() {
    this.scanner.skipToken();
  }

  popState() {
    this.state = this.states.pop();
  }

  /** The next event, or null after the stream ends. */
  parse() {
    if (this.scanner.streamEndProduced || this.state === S.END) return null;
    switch (this.state) {
      case S.STREAM_START:
        return this.parseStreamStart();
      case S.IMPLICIT_DOCUMENT_START:
        return this.parseDocumentStart(true);
      case S.DOCUMENT_START:
        return this.parseDocumentStart(false);
      case S.DOCUMENT_CONTENT:
        return this.parseDocumentContent();
      case S.DOCUMENT_END:
        return this.parseDocumentEnd();
      case S.BLOCK_NODE:
        return this.parseNode(true, false);
      case S.BLOCK_NODE_OR_INDENTLESS_SEQUENCE:
        return this.parseNode(true, true);
      case S.FLOW_NODE:
        return this.parseNode(false, false);
      case S.BLOCK_SEQUENCE_FIRST_ENTRY:
        return this.parseBlockSequenceEntry(true);
      case S.BLOCK_SEQUENCE_ENTRY:
        return this.parseBlockSequenceEntry(false);
      case S.INDENTLESS_SEQUENCE_ENTRY:
        return this.parseIndentlessSequenceEntry();
      case S.BLOCK_MAPPING_FIRST_KEY:
        return this.parseBlockMappingKey(true);
      case S.BLOCK_MAPPING_KEY:
        return this.parseBlockMappingKey(false);
      case S.BLOCK_MAPPING_VALUE:
        return this.parseBlockMappingValue();
      case S.FLOW_SEQUENCE_FIRST_ENTRY:
        return this.parseFlowSequenceEntry(true);
      case S.FLOW_SEQUENCE_ENTRY:
        return this.parseFlowSequenceEntry(false);
      case S.FLOW_SEQUENCE_ENTRY_MAPPING_KEY:
        return this.parseFlowSequenceEntryMappingKey();
      case S.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE:
        return this.parseFlowSequenceEntryMappingValue();
      case S.FLOW_SEQUENCE_ENTRY_MAPPING_END:
        return this.parseFlowSequenceEntryMappingEnd();
      case S.FLOW_MAPPING_FIRST_KEY:
        return this.parseFlowMappingKey(true);
      case S.FLOW_MAPPING_KEY:
        return this.parseFlowMappingKey(false);
      case S.FLOW_MAPPING_VALUE:
        return this.parseFlowMappingValue(false);
      case S.FLOW_MAPPING_EMPTY_VALUE:
        return this.parseFlowMappingValue(true);
      default:
        throw new Error('invalid parser state');
    }
  }

  parseStreamStart() {
    const token = this.peek();
    if (token.type !== T.STREAM_START) throw new YamlError('did not find expected <stream-start>', token.start);
    this.state = S.IMPLICIT_DOCUMENT_START;
    this.skip();
    return { type: E.STREAM_START, start: token.start };
  }

  parseDocumentStart(implicit) {
    let token = this.peek();
    if (!implicit) {
      while (token.type === T.DOCUMENT_END) {
        this.skip();
        token = this.peek();
      }
    }
    if (
      implicit &&
      token.type !== T.VERSION_DIRECTIVE &&
      token.type !== T.TAG_DIRECTIVE &&
      token.type !== T.DOCUMENT_START &&
      token.type !== T.STREAM_END
    ) {
      this.processDirectives();
      this.states.push(S.DOCUMENT_END);
      this.state = S.BLOCK_NODE;
      return { type: E.DOCUMENT_START, start: token.start, implicit: true };
    }
    if (token.type !== T.STREAM_END) {
      const start = token.start;
      this.processDirectives();
      token = this.peek();
      if (token.type !== T.DOCUMENT_START) throw new YamlError('did not find expected <document start>', token.start);
      this.states.push(S.DOCUMENT_END);
      this.state = S.DOCUMENT_CONTENT;
      this.skip();
      return { type: E.DOCUMENT_START, start, implicit: false };
    }
    this.state = S.END;
    this.skip();
    return { type: E.STREAM_END, start: token.start };
  }

  parseDocumentContent() {
    const token = this.peek();
    const t = token.type;
    if (
      t === T.VERSION_DIRECTIVE ||
      t === T.TAG_DIRECTIVE ||
      t === T.DOCUMENT_START ||
      t === T.DOCUMENT_END ||
      t === T.STREAM_END
    ) {
      this.popState();
      return emptyScalar(token.start);
    }
    return this.parseNode(true, false);
  }

  parseDocumentEnd() {
    const token = this.peek();
    let implicit = true;
    if (token.type === T.DOCUMENT_END) {
      this.skip();
      implicit = false;
    }
    this.tagDirectives = [];
    this.state = S.DOCUMENT_START;
    return { type: E.DOCUMENT_END, start: token.start, implicit };
  }

  parseNode(block, indentlessSequence) {
    let token = this.peek();
    if (token.type === T.ALIAS) {
      this.popState();
      this.skip();
      return { type: E.ALIAS, start: token.start, anchor: token.value };
    }
    let start = token.start;
    let tagToken = false;
    let tagHandle = '';
    let tagSuffix = '';
    let tagMark = null;
    let anchor = '';
    if (token.type === T.ANCHOR) {
      anchor = token.value;
      start = token.start;
      this.skip();
      token = this.peek();
      if (token.type === T.TAG) {
        tagToken = true;
        tagHandle = token.value;
        tagSuffix = token.suffix;
        tagMark = token.start;
        this.skip();
        token = this.peek();
      }
    } else if (token.type === T.TAG) {
      tagToken = true;
      tagHandle = token.value;
      tagSuffix = token.suffix;
      start = token.start;
      tagMark = token.start;
      this.skip();
      token = this.peek();
      if (token.type === T.ANCHOR) {
        anchor = token.value;
        this.skip();
        token = this.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      if (tagHandle === '') {
        tag = tagSuffix;
      } else {
        const d = this.tagDirectives.find((x) => x.handle === tagHandle);
        if (d) tag = d.prefix + tagSuffix;
        if (tag === '') throw new YamlError('found undefined tag handle', tagMark);
      }
    }
    const implicit = tag === '';
    if (indentlessSequence && token.type === T.BLOCK_ENTRY) {
      this.state = S.INDENTLESS_SEQUENCE_ENTRY;
      return { type: E.SEQUENCE_START, start, anchor, tag, implicit };
    }
    if (token.type === T.SCALAR) {
      let plainImplicit = false;
      if ((tag === '' && token.style === STYLE.PLAIN) || tag === '!') plainImplicit = true;
      this.popState();
      this.skip();
      return { type: E.SCALAR, start, anchor, tag, value: token.value, implicit: plainImplicit, style: token.style };
    }
    if (token.type === T.FLOW_SEQUENCE_START) {
      this.state = S.FLOW_SEQUENCE_FIRST_ENTRY;
      return { type: E.SEQUENCE_START, start, anchor, tag, implicit };
    }
    if (token.type === T.FLOW_MAPPING_START) {
      this.state = S.FLOW_MAPPING_FIRST_KEY;
      return { type: E.MAPPING_START, start, anchor, tag, implicit };
    }
    if (block && token.type === T.BLOCK_SEQUENCE_START) {
      this.state = S.BLOCK_SEQUENCE_FIRST_ENTRY;
      return { type: E.SEQUENCE_START, start, anchor, tag, implicit };
    }
    if (block && token.type === T.BLOCK_MAPPING_START) {
      this.state = S.BLOCK_MAPPING_FIRST_KEY;
      return { type: E.MAPPING_START, start, anchor, tag, implicit };
    }
    if (anchor !== '' || tag !== '') {
      this.popState();
      return { type: E.SCALAR, start, anchor, tag, value: '', implicit, style: STYLE.PLAIN };
    }
    throw new YamlError('did not find expected node content', token.start);
  }

  parseBlockSequenceEntry(first) {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    const token = this.peek();
    if (token.type === T.BLOCK_ENTRY)
      return this.entry(token, [T.BLOCK_ENTRY, T.BLOCK_END], S.BLOCK_SEQUENCE_ENTRY, false);
    if (token.type === T.BLOCK_END) return this.endCollection(token, E.SEQUENCE_END);
    throw new YamlError("did not find expected '-' indicator", token.start);
  }

  /**
   * After an indicator token (`-`, `?`, `:`) in the block context: the node
   * that follows, or an empty scalar when the next token is one of `ends`.
   */
  entry(indicator, ends, next, indentless) {
    this.skip();
    if (!ends.includes(this.peek().type)) {
      this.states.push(next);
      return this.parseNode(true, indentless);
    }
    this.state = next;
    return emptyScalar(indicator.end);
  }

  endCollection(token, type) {
    this.popState();
    this.marks.pop();
    this.skip();
    return { type, start: token.start };
  }

  parseIndentlessSequenceEntry() {
    const token = this.peek();
    if (token.type === T.BLOCK_ENTRY)
      return this.entry(token, [T.BLOCK_ENTRY, T.KEY, T.VALUE, T.BLOCK_END], S.INDENTLESS_SEQUENCE_ENTRY, false);
    this.popState();
    return { type: E.SEQUENCE_END, start: token.start };
  }

  parseBlockMappingKey(first) {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    const token = this.peek();
    if (token.type === T.KEY) return this.entry(token, [T.KEY, T.VALUE, T.BLOCK_END], S.BLOCK_MAPPING_VALUE, true);
    if (token.type === T.BLOCK_END) return this.endCollection(token, E.MAPPING_END);
    throw new YamlError('did not find expected key', token.start);
  }

  parseBlockMappingValue() {
    const token = this.peek();
    if (token.type === T.VALUE) return this.entry(token, [T.KEY, T.VALUE, T.BLOCK_END], S.BLOCK_MAPPING_KEY, true);
    this.state = S.BLOCK_MAPPING_KEY;
    return emptyScalar(token.start);
  }

  /**
   * The token that starts a flow collection's next entry: after the opening
   * bracket, or after the ',' that must separate entries; or the closing one.
   */
  flowNext(first, end, problem) {
    if (first) {
      this.marks.push(this.peek().start);
      this.skip();
    }
    const token = this.peek();
    if (first || token.type === end) return token;
    if (token.type !== T.FLOW_ENTRY) throw new YamlError(problem, token.start);
    this.skip();
    return this.peek();
  }

  parseFlowSequenceEntry(first) {
    const token = this.flowNext(first, T.FLOW_SEQUENCE_END, "did not find expected ',' or ']'");
    if (token.type !== T.FLOW_SEQUENCE_END) {
      if (token.type === T.KEY) {
        this.state = S.FLOW_SEQUENCE_ENTRY_MAPPING_KEY;
        this.skip();
        return { type: E.MAPPING_START, start: token.start, anchor: '', tag: '', implicit: true };
      }
      if (token.type !== T.FLOW_SEQUENCE_END) {
        this.states.push(S.FLOW_SEQUENCE_ENTRY);
        return this.parseNode(false, false);
      }
    }
    return this.endCollection(token, E.SEQUENCE_END);
  }

  parseFlowSequenceEntryMappingKey() {
    const token = this.peek();
    if (token.type !== T.VALUE && token.type !== T.FLOW_ENTRY && token.type !== T.FLOW_SEQUENCE_END) {
      this.states.push(S.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE);
      return this.parseNode(false, false);
    }
    const mark = token.end;
    this.skip();
    this.state = S.FLOW_SEQUENCE_ENTRY_MAPPING_VALUE;
    return emptyScalar(mark);
  }

  /**
   * After a ':' in a flow collection: the value, or an empty scalar when the
   * entry ends there (marked at `emptyMark`, else at the token that ends it).
   */
  flowValue(ends, next, emptyMark) {
    this.skip();
    const token = this.peek();
    if (!ends.includes(token.type)) {
      this.states.push(next);
      return this.parseNode(false, false);
    }
    this.state = next;
    return emptyScalar(emptyMark ?? token.start);
  }

  parseFlowSequenceEntryMappingValue() {
    const token = this.peek();
    // Go shadows `token` here: an empty value is marked at the ':'.
    if (token.type === T.VALUE)
      return this.flowValue([T.FLOW_ENTRY, T.FLOW_SEQUENCE_END], S.FLOW_SEQUENCE_ENTRY_MAPPING_END, token.start);
    this.state = S.FLOW_SEQUENCE_ENTRY_MAPPING_END;
    return emptyScalar(token.start);
  }

  parseFlowSequenceEntryMappingEnd() {
    const token = this.peek();
    this.state = S.FLOW_SEQUENCE_ENTRY;
    return { type: E.MAPPING_END, start: token.start };
  }

  parseFlowMappingKey(first) {
    let token = this.flowNext(first, T.FLOW_MAPPING_END, "did not find expected ',' or '}'");
    if (token.type !== T.FLOW_MAPPING_END) {
      if (token.type === T.KEY) {
        this.skip();
        token = this.peek();
        if (token.type !== T.VALUE && token.type !== T.FLOW_ENTRY && token.type !== T.FLOW_MAPPING_END) {
          this.states.push(S.FLOW_MAPPING_VALUE);
          return this.parseNode(false, false);
        }
        this.state = S.FLOW_MAPPING_VALUE;
        return emptyScalar(token.start);
      }
      if (token.type !== T.FLOW_MAPPING_END) {
        this.states.push(S.FLOW_MAPPING_EMPTY_VALUE);
        return this.parseNode(false, false);
      }
    }
    return this.endCollection(token, E.MAPPING_END);
  }

  parseFlowMappingValue(empty) {
    const token = this.peek();
    if (!empty && token.type === T.VALUE) return this.flowValue([T.FLOW_ENTRY, T.FLOW_MAPPING_END], S.FLOW_MAPPING_KEY);
    this.state = S.FLOW_MAPPING_KEY;
    return emptyScalar(token.start);
  }

  processDirectives() {
    let version = false;
    let token = this.peek();
    while (token.type === T.VERSION_DIRECTIVE || token.type === T.TAG_DIRECTIVE) {
      if (token.type === T.VERSION_DIRECTIVE) {
        if (version) throw new YamlError('found duplicate %YAML directive', token.start);
        // go-yaml reads YAML 1.1 only: any other %YAML version is refused.
        if (token.major !== 1 || token.minor !== 1)
          throw new YamlError('found incompatible YAML document', token.start);
        version = true;
      } else {
        this.appendTagDirective({ handle: token.value, prefix: token.prefix }, false, token.start);
      }
      this.skip();
      token = this.peek();
    }
    for (const d of DEFAULT_TAG_DIRECTIVES) this.appendTagDirective(d, true, token.start);
  }

  appendTagDirective(value, allowDuplicates, mark) {
    if (this.tagDirectives.some((d) => d.handle === value.handle)) {
      if (allowDuplicates) return;
      throw new YamlError('found duplicate %TAG directive', mark);
    }
    this.tagDirectives.push({ ...value });
  }
}

function emptyScalar(mark) {
  return { type: E.SCALAR, start: mark, anchor: '', tag: '', value: '', implicit: true, style: STYLE.PLAIN };
}

// ---------------------------------------------------------------------------
// Composer (decode.go's parser): events → a node tree, iteratively.

const N = { DOC: 1, MAP: 2, SEQ: 3, SCALAR: 4, ALIAS: 5 };

/**
 * Parses the first document of `text` as go-yaml's Unmarshal does.
 * @returns {{root: object|null, rest: boolean}} root null for an empty stream;
 *   `rest` when another document follows (go-yaml's Unmarshal ignores it)
 */
function composeFirst(text) {
  const p = new Parser(text);
  let ev = p.parse();
  if (ev.type !== E.STREAM_START) throw new YamlError('did not find expected <stream-start>', ev.start);
  ev = p.parse();
  if (ev.type === E.STREAM_END) return { root: null, rest: false };
  const doc = { kind: N.DOC, pos: ev.start.pos, children: [], anchors: new Map() };
  const stack = [doc];
  for (;;) {
    ev = p.parse();
    let node;
    switch (ev.type) {
      case E.SCALAR:
        node = { kind: N.SCALAR, pos: ev.start.pos, tag: ev.tag, value: ev.value, implicit: ev.implicit };
        if (ev.anchor) doc.anchors.set(ev.anchor, node);
        break;
      case E.ALIAS: {
        const target = doc.anchors.get(ev.anchor);
        if (!target) throw new YamlError('unknown anchor referenced', ev.start);
        node = { kind: N.ALIAS, pos: ev.start.pos, alias: target };
        break;
      }
      case E.SEQUENCE_START:
      case E.MAPPING_START: {
        const n = { kind: ev.type === E.MAPPING_START ? N.MAP : N.SEQ, pos: ev.start.pos, tag: ev.tag, children: [] };
        if (ev.anchor) doc.anchors.set(ev.anchor, n);
        stack.push(n);
        continue;
      }
      case E.SEQUENCE_END:
      case E.MAPPING_END:
        node = stack.pop();
        break;
      case E.DOCUMENT_END: {
        // go-yaml's Unmarshal stops here; whatever follows is refused (see readDocument).
        const after = p.scanner.mark();
        let next;
        try {
          next = p.parse();
        } catch {
          return { root: doc, rest: true, restMark: after };
        }
        return { root: doc, rest: next !== null && next.type !== E.STREAM_END, restMark: next?.start ?? after };
      }
      default:
        throw new YamlError('unexpected event', ev.start);
    }
    stack[stack.length - 1].children.push(node);
  }
}

// ---------------------------------------------------------------------------
// resolve.go: a plain scalar's type.

const STR = 'tag:yaml.org,2002:str';
const BOOL = 'tag:yaml.org,2002:bool';
const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';
const NULL = 'tag:yaml.org,2002:null';
const TIMESTAMP = 'tag:yaml.org,2002:timestamp';
const BINARY = 'tag:yaml.org,2002:binary';
const MERGE = 'tag:yaml.org,2002:merge';

// resolveMapList (resolve.go `init`).
const RESOLVE_MAP = new Map();
for (const [v, tag, list] of [
  [true, BOOL, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']],
  [false, BOOL, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']],
  [null, NULL, ['', '~', 'null', 'Null', 'NULL']],
  [NaN, FLOAT, ['.nan', '.NaN', '.NAN']],
  [Infinity, FLOAT, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']],
  [-Infinity, FLOAT, ['-.inf', '-.Inf', '-.INF']],
  ['<<', MERGE, ['<<']],
]) {
  for (const s of list) RESOLVE_MAP.set(s, { tag, value: v });
}

// resolveTable: the first byte's hint. Non-ASCII first characters have none.
function hintOf(s) {
  if (s === '') return 'N';
  const c = s.charCodeAt(0);
  if (c === 43 || c === 45) return 'S';
  if (isDigitC(c)) return 'D';
  if ('yYnNtTfFoO~'.includes(s[0])) return 'M';
  if (c === 46) return '.';
  return '';
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
// strconv.ParseFloat's syntax for a string starting with '.': Go float
// literal digits, an underscore only between two digits.
const DOT_FLOAT = /^\.[0-9](_?[0-9])*([eE][-+]?[0-9](_?[0-9])*)?$/;

const MAX_U64 = (1n << 64n) - 1n;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

/** strconv.ParseUint(s, base, 64) with base 0 (prefixes 0x, 0o, 0b, 0) or 2; null on error. */
function parseUint(s, base) {
  if (s === '') return null;
  let b = base;
  let digits = s;
  if (b === 0) {
    b = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1].toLowerCase() : '';
      if (p === 'b') [b, digits] = [2, s.slice(2)];
      else if (p === 'o') [b, digits] = [8, s.slice(2)];
      else if (p === 'x') [b, digits] = [16, s.slice(2)];
      else [b, digits] = [8, s.slice(1)];
    }
  }
  let n = 0n;
  const B = BigInt(b);
  for (const ch of digits) {
    const c = ch.toLowerCase().charCodeAt(0);
    let d;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 122) d = c - 87;
    else return null;
    if (d >= b) return null;
    n = n * B + BigInt(d);
    if (n > MAX_U64) return null;
  }
  return n;
}

/** strconv.ParseInt(s, base, 64); null on error. */
function parseInt64(s, base) {
  if (s === '') return null;
  let neg = false;
  let rest = s;
  if (s[0] === '+') rest = s.slice(1);
  else if (s[0] === '-') [neg, rest] = [true, s.slice(1)];
  const u = parseUint(rest, base);
  if (u === null) return null;
  const v = neg ? -u : u;
  return v < MIN_I64 || v > MAX_I64 ? null : v;
}

/** strconv.ParseFloat(s, 64) for the strings go-yaml gives it; null on error (syntax or out of range). */
function parseFloat64(s, dotForm) {
  if (dotForm ? !DOT_FLOAT.test(s) : !YAML_STYLE_FLOAT.test(s)) return null;
  const f = Number(s.replace(/_/g, ''));
  return Number.isFinite(f) ? f : null;
}

/**
 * resolve(tag, in) of resolve.go. Returns {tag, kind, value}: kind is one of
 * 'str', 'bool', 'int', 'uint', 'float', 'null', 'timestamp', 'merge' or
 * 'binary'; ints are BigInt. Throws for a tag the value does not fit.
 */
function resolve(tag, s, mark) {
  const resolvable =
    tag === '' || tag === STR || tag === BOOL || tag === INT || tag === FLOAT || tag === NULL || tag === TIMESTAMP;
  if (!resolvable) return { tag, kind: tag === BINARY ? 'binary' : 'str', value: s };
  const out = resolveInner(tag, s);
  if (tag === '' || tag === out.tag || tag === STR) return out;
  // An !!int read under !!float becomes a float64 (not a uint64: decode.go converts int and int64 only).
  if (tag === FLOAT && out.kind === 'int') return { tag: FLOAT, kind: 'float', value: Number(out.value) };
  throw new YamlError(`cannot decode a ${shortTag(out.tag)} scalar as ${shortTag(tag)}`, mark);
}

function resolveInner(tag, s) {
  const hint = hintOf(s);
  if (hint !== '' && tag !== STR) {
    const item = RESOLVE_MAP.get(s);
    if (item) return { tag: item.tag, kind: item.tag === MERGE ? 'merge' : kindOf(item.tag), value: item.value };
    if (hint === '.') {
      const f = parseFloat64(s, true);
      if (f !== null) return { tag: FLOAT, kind: 'float', value: f };
    } else if (hint === 'D' || hint === 'S') {
      if ((tag === '' || tag === TIMESTAMP) && parseTimestamp(s))
        return { tag: TIMESTAMP, kind: 'timestamp', value: s };
      const plain = s.replace(/_/g, '');
      const i = parseInt64(plain, 0);
      if (i !== null) return { tag: INT, kind: 'int', value: i };
      const u = parseUint(plain, 0);
      if (u !== null) return { tag: INT, kind: 'uint', value: u };
      const f = parseFloat64(plain, false);
      if (f !== null) return { tag: FLOAT, kind: 'float', value: f };
      if (plain.startsWith('0b')) {
        const bi = parseInt64(plain.slice(2), 2);
        if (bi !== null) return { tag: INT, kind: 'int', value: bi };
        const bu = parseUint(plain.slice(2), 2);
        if (bu !== null) return { tag: INT, kind: 'uint', value: bu };
      } else if (plain.startsWith('-0b')) {
        const bi = parseInt64(`-${plain.slice(3)}`, 2);
        if (bi !== null) return { tag: INT, kind: 'int', value: bi };
      }
    }
  }
  return { tag: STR, kind: 'str', value: s };
}

function kindOf(tag) {
  return { [BOOL]: 'bool', [NULL]: 'null', [FLOAT]: 'float', [INT]: 'int' }[tag] ?? 'str';
}

function shortTag(tag) {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice(18)}` : 'tagged';
}

// parseTimestamp (resolve.go) with the four time.Parse layouts it tries:
// "2006-1-2T15:4:5.999999999Z07:00", the same with 't', "2006-1-2 15:4:5.999999999", "2006-1-2".
const TS_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})/;
function parseTimestamp(s) {
  const m = TS_DATE.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return false;
  const days = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  if (day < 1 || day > days[month - 1]) return false;
  let rest = s.slice(m[0].length);
  if (rest === '') return true;
  // time.Parse: a space in the layout matches one or more spaces.
  const sep = /^(T|t| +)/.exec(rest);
  if (!sep) return false;
  const zoned = sep[1] !== ' ' && sep[1][0] !== ' ';
  rest = rest.slice(sep[1].length);
  const t = /^(\d{1,2}):(\d{1,2}):(\d{1,2})([.,]\d+)?/.exec(rest);
  if (!t || Number(t[1]) > 23 || Number(t[2]) > 59 || Number(t[3]) > 59) return false;
  rest = rest.slice(t[0].length);
  if (!zoned) return rest === '';
  if (rest === 'Z') return true;
  const z = /^[+-](\d\d):(\d\d)$/.exec(rest);
  return z !== null && Number(z[1]) <= 24 && Number(z[2]) <= 60;
}

// ---------------------------------------------------------------------------
// Decoder (decode.go, into interface{}) and sigs.k8s.io/yaml's conversion to
// JSON, in one pass.

/** Largest expansion accepted (the core's request limit, MAX_INPUT_BYTES). */
export const MAX_EXPANDED_BYTES = 128 * 1024 * 1024;
/** Nesting beyond which the reader stops (the core stops at 127 anyway). */
export const MAX_DEPTH = 1000;

// decode.go's alias-ratio guard ("document contains excessive aliasing").
const ALIAS_RATIO_RANGE_LOW = 400000;
const ALIAS_RATIO_RANGE_HIGH = 4000000;
function allowedAliasRatio(decodeCount) {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

class Decoder {
  constructor(opts) {
    this.decodeCount = 0;
    this.aliasCount = 0;
    this.aliasDepth = 0;
    this.activeAliases = new Set();
    this.bytes = 0;
    this.maxBytes = opts.maxBytes ?? MAX_EXPANDED_BYTES;
    this.onContainer = opts.onContainer;
  }

  count(n) {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (
      this.aliasCount > 100 &&
      this.decodeCount > 1000 &&
      this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)
    ) {
      throw new YamlError('document contains excessive aliasing', this.aliasDepth > 0 ? this.aliasAt : n);
    }
  }

  grow(n, mark) {
    this.bytes += n;
    if (this.bytes > this.maxBytes) {
      throw new YamlError(
        `input-too-large: aliases and merge keys expand the document past ${this.maxBytes} bytes, the request limit`,
        this.aliasDepth > 0 ? this.aliasAt : mark,
        'input-too-large',
      );
    }
  }

  /** decoder.unmarshal into an interface{}: a Go value {kind, value}. */
  unmarshal(n, depth) {
    this.count(n);
    if (n.kind === N.DOC)
      return n.children.length === 1 ? this.unmarshal(n.children[0], depth) : { kind: 'null', value: null };
    if (n.kind === N.ALIAS) return this.alias(n, depth);
    if (n.kind === N.SCALAR) return this.scalar(n);
    if (depth >= MAX_DEPTH) throw new YamlError(`nested deeper than ${MAX_DEPTH} levels`, n);
    if (n.kind === N.SEQ) {
      const arr = [];
      this.grow(2, n);
      for (const child of n.children) {
        arr.push(toJSON(this.unmarshal(child, depth + 1), child));
        this.grow(1, child);
      }
      this.onContainer?.(arr, n.pos, depth + 1);
      return { kind: 'seq', value: arr };
    }
    const map = new Map();
    this.mapping(n, map, depth);
    const obj = this.toObject(map, n);
    this.onContainer?.(obj, n.pos, depth + 1);
    return { kind: 'map', value: obj };
  }

  alias(n, depth) {
    if (this.activeAliases.has(n)) throw new YamlError('anchor value contains itself', n);
    this.activeAliases.add(n);
    if (this.aliasDepth++ === 0) this.aliasAt = n; // errors inside an expansion point at its alias
    const v = this.unmarshal(n.alias, depth);
    this.aliasDepth--;
    this.activeAliases.delete(n);
    return v;
  }

  scalar(n) {
    let r;
    if (n.tag === '' && !n.implicit) r = { tag: STR, kind: 'str', value: n.value };
    else r = resolve(n.tag, n.value, n);
    if (r.kind === 'binary') {
      const bytes = decodeBase64(r.value);
      if (bytes === null) throw new YamlError('!!binary value contains invalid base64 data', n);
      r = { tag: BINARY, kind: 'str', value: goString(bytes) };
    } else if (r.kind === 'timestamp' || r.kind === 'merge') {
      // Into an interface{}, a timestamp is kept as its text (decode.go), and `<<` as a value is "<<".
      r = { tag: STR, kind: 'str', value: n.value };
    }
    this.grow(r.kind === 'str' ? r.value.length + 2 : 8, n);
    return r;
  }

  /** decoder.mapping into a Go map (a Map from key identity to {key, value, node}). */
  mapping(n, map, depth) {
    const own = new Set();
    const kids = n.children;
    for (let i = 0; i < kids.length; i += 2) {
      const k = kids[i];
      const v = kids[i + 1];
      if (k.kind === N.SCALAR && k.value === '<<' && (k.implicit || k.tag === MERGE)) {
        this.merge(v, map, depth);
        continue;
      }
      const key = this.unmarshal(k, depth + 1);
      if (key.kind === 'map' || key.kind === 'seq') throw new YamlError('invalid map key: a mapping or a sequence', k);
      const id = keyIdentity(key);
      if (own.has(id)) throw new YamlError(DUPLICATE_KEY, k);
      own.add(id);
      const value = this.unmarshal(v, depth + 1);
      map.set(id, { key, value, node: k, vnode: v });
    }
  }

  merge(n, map, depth) {
    const wantMap = () => new YamlError('map merge requires map or sequence of maps as the value', n);
    if (n.kind === N.MAP) {
      this.count(n);
      this.mapping(n, map, depth);
    } else if (n.kind === N.ALIAS) {
      if (n.alias.kind !== N.MAP) throw wantMap();
      this.mergeAlias(n, map, depth);
    } else if (n.kind === N.SEQ) {
      // Earlier maps take precedence: go-yaml merges them last.
      for (let i = n.children.length - 1; i >= 0; i--) {
        const m = n.children[i];
        if (m.kind === N.ALIAS) {
          if (m.alias.kind !== N.MAP) throw wantMap();
          this.mergeAlias(m, map, depth);
        } else if (m.kind === N.MAP) {
          this.count(m);
          this.mapping(m, map, depth);
        } else {
          throw wantMap();
        }
      }
    } else {
      throw wantMap();
    }
  }

  mergeAlias(n, map, depth) {
    this.count(n);
    if (this.activeAliases.has(n)) throw new YamlError('anchor value contains itself', n);
    this.activeAliases.add(n);
    if (this.aliasDepth++ === 0) this.aliasAt = n;
    this.count(n.alias);
    this.mapping(n.alias, map, depth);
    this.aliasDepth--;
    this.activeAliases.delete(n);
  }

  /** convertToJSONableObject for a map: keys to strings, values to JSON. */
  toObject(map, n) {
    const obj = {};
    const seen = new Set();
    this.grow(2, n);
    for (const { key, value, node, vnode } of map.values()) {
      const k = keyString(key, node);
      if (seen.has(k))
        throw new YamlError(
          'two keys of this mapping become the same JSON key (e.g. 1 and "1"): kubectl would keep one of them at random',
          node,
        );
      seen.add(k);
      this.grow(k.length + 4, node);
      const v = toJSON(value, vnode);
      if (k === '__proto__')
        Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
      else obj[k] = v;
    }
    return obj;
  }
}

export const DUPLICATE_KEY =
  'duplicate key: kubectl keeps the last one, kustomize refuses it and the API server merges a raw JSON body, so it is refused';

function keyIdentity(key) {
  switch (key.kind) {
    case 'str':
      return `s${key.value}`;
    case 'int':
      return `i${key.value}`;
    case 'uint':
      return `u${key.value}`;
    case 'bool':
      return `b${key.value}`;
    case 'null':
      return 'n';
    case 'float':
      return Number.isNaN(key.value) ? `nan${Math.random()}` : `f${key.value === 0 ? 0 : key.value}`;
    default:
      return `?${key.value}`;
  }
}

/** sigs.k8s.io/yaml: a Go map key as a JSON key. */
function keyString(key, node) {
  switch (key.kind) {
    case 'str':
      return key.value;
    case 'int':
      return key.value.toString();
    case 'bool':
      return key.value ? 'true' : 'false';
    case 'float':
      return formatFloat32Key(key.value);
    default:
      // null and uint64 keys: "unsupported map key of type".
      throw new YamlError(`unsupported map key of type ${key.kind === 'uint' ? 'uint64' : key.kind}`, node);
  }
}

/** A Go value as JSON (json.Marshal then kubectl's decode): NaN and ±Inf fail. */
function toJSON(v, node) {
  switch (v.kind) {
    case 'str':
    case 'bool':
    case 'null':
    case 'map':
    case 'seq':
      return v.value;
    case 'int':
    case 'uint':
      return Number(v.value);
    case 'float':
      if (!Number.isFinite(v.value))
        throw new YamlError('unsupported value: JSON has no NaN or infinity (.nan, .inf)', node);
      return v.value;
    default:
      return v.value;
  }
}

/** strconv.FormatFloat(f, 'g', -1, 32), then sigs.k8s.io/yaml's .inf/.nan spellings. */
export function formatFloat32Key(f) {
  const x = Math.fround(f);
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  // Shortest digits that read back as the same float32.
  let digits;
  let exp;
  for (let p = 1; p <= 9; p++) {
    const e = x.toExponential(p - 1);
    if (Math.fround(Number(e)) === x) {
      const [mant, ex] = e.split('e');
      digits = mant.replace('-', '').replace('.', '');
      exp = Number(ex);
      break;
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  const neg = x < 0 ? '-' : '';
  // %e when the exponent is < -4 or >= 6 (the shortest form's rule in strconv's 'g').
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${neg}${m}e${exp < 0 ? '-' : '+'}${es}`;
  }
  if (exp < 0) return `${neg}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${neg}${digits}${'0'.repeat(exp + 1 - digits.length)}`;
  return `${neg}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** base64.StdEncoding.DecodeString: padded, '\r' and '\n' ignored; null when invalid. */
function decodeBase64(s) {
  const t = s.replace(/[\r\n]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return null;
  try {
    const bin = atob(t);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/**
 * Bytes as a Go string reaches JSON: each byte that does not start a valid
 * UTF-8 sequence becomes U+FFFD (utf8.DecodeRune's rule, also x/text's).
 * @param {Uint8Array} b
 */
export function goString(b) {
  let out = '';
  let i = 0;
  let chunk = [];
  const flush = () => {
    if (chunk.length) out += String.fromCodePoint(...chunk);
    chunk = [];
  };
  while (i < b.length) {
    const c = b[i];
    let cp = -1;
    let w = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c <= 0xdf && i + 1 < b.length && (b[i + 1] & 0xc0) === 0x80)
      [cp, w] = [((c & 0x1f) << 6) | (b[i + 1] & 0x3f), 2];
    else if (c >= 0xe0 && c <= 0xef && i + 2 < b.length) {
      const lo = c === 0xe0 ? 0xa0 : 0x80;
      const hi = c === 0xed ? 0x9f : 0xbf;
      if (b[i + 1] >= lo && b[i + 1] <= hi && (b[i + 2] & 0xc0) === 0x80)
        [cp, w] = [((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f), 3];
    } else if (c >= 0xf0 && c <= 0xf4 && i + 3 < b.length) {
      const lo = c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xf4 ? 0x8f : 0xbf;
      if (b[i + 1] >= lo && b[i + 1] <= hi && (b[i + 2] & 0xc0) === 0x80 && (b[i + 3] & 0xc0) === 0x80) {
        [cp, w] = [((c & 0x07) << 18) | ((b[i + 1] & 0x3f) << 12) | ((b[i + 2] & 0x3f) << 6) | (b[i + 3] & 0x3f), 4];
      }
    }
    chunk.push(cp < 0 ? 0xfffd : cp);
    if (chunk.length >= 8192) flush();
    i += w;
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------

/**
 * One YAML document as kubectl reads it (go-yaml v2 Unmarshal of the text
 * between two `---` lines, then sigs.k8s.io/yaml's JSON conversion).
 * @param {string} text one chunk (lines between separators, each ending in "\n")
 * @param {{maxBytes?: number, onContainer?: (container: object, offset: number, level: number) => void}} [opts]
 *   `onContainer` sees every array and object made, with its offset and
 *   nesting level (1 for the document's own).
 * @returns {{value: any, offset: number, empty: boolean}} `empty` for a
 *   stream with no document; `offset` of the content
 */
export function readDocument(text, opts = {}) {
  const bad = NOT_PRINTABLE.exec(text);
  if (bad) throw new YamlError('control characters are not allowed', { pos: bad.index });
  const { root, rest, restMark } = composeFirst(text);
  if (!root) return { value: null, offset: 0, empty: true };
  if (rest) {
    throw new YamlError(
      "content follows '...' without a '---' line: kubectl would ignore it, so it is refused",
      restMark,
    );
  }
  const content = root.children[0];
  const v = new Decoder(opts).unmarshal(root, 0);
  return { value: toJSON(v, content), offset: content.pos, empty: false };
}
