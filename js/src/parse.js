// Bytes or text → Kubernetes objects, read as `kubectl apply -f` reads a
// file (k8s.io/cli-runtime's FileVisitor/StreamVisitor, apimachinery's
// YAMLOrJSONDecoder, FlattenListVisitor). Browser-safe: no node: imports.
//
// 1. Bytes are decoded as kubectl's x/text transform does: a UTF-8 BOM is
//    dropped, a UTF-16 BOM switches to UTF-16, and each byte that is not
//    valid UTF-8 becomes U+FFFD.
// 2. Text whose first non-space character is `{` is a stream of JSON values
//    (gojson.js); anything else is YAML, cut into documents at lines
//    starting with `---` (apimachinery's YAMLReader) and each read with
//    go-yaml v2 and sigs.k8s.io/yaml's rules (goyaml.js). A JSON array of
//    objects (`[...]`, which kubectl refuses) is accepted too.
// 3. An object with `items` is a List: its items are expanded, nested Lists
//    too, in kubectl's (breadth-first) order; items with neither `kind` nor
//    `apiVersion` get the List's.
// Error messages never quote the input: they name the file, the document,
// the line and the column, so a Secret value is never echoed.

import { readJsonStream } from './gojson.js';
import { goString, readDocument } from './goyaml.js';

/** Largest input read, in bytes: the core's request limit (MAX_INPUT_BYTES). */
export const MAX_INPUT_BYTES = 128 * 1024 * 1024;
/** Deepest nesting inside one object the core reads: serde_json stops at 127 levels, two are the request's. */
export const MAX_OBJECT_DEPTH = 125;

export class ParseError extends Error {
  /**
   * @param {string} message what is wrong (never a piece of the input)
   * @param {{file?: string, document?: number, line?: number, col?: number, code?: string}} where
   */
  constructor(message, where = {}) {
    const at = [where.file ?? '<input>'];
    if (where.line != null) at.push(String(where.line), String(where.col ?? 1));
    const doc = where.document != null ? ` (document ${where.document})` : '';
    super(`${at.join(':')}${doc}: ${message}`);
    this.name = 'ParseError';
    this.code = where.code ?? 'invalid-yaml';
    this.file = where.file;
    this.document = where.document;
    this.line = where.line;
    this.col = where.col;
    this.detail = message;
  }
}

/**
 * Where one object came from. `item` numbers a List item (`2.3` for item 3
 * of a List that is item 2).
 * @typedef {{file: string, document: number, line: number, item?: number | string}} Origin
 */

/**
 * Bytes → text as kubectl decodes a file (golang.org/x/text's
 * BOMOverride(UTF8 decoder)).
 * @param {Uint8Array} b
 */
export function decodeText(b) {
  if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder('utf-16be').decode(b.subarray(2));
  if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder('utf-16le').decode(b.subarray(2));
  const body = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    return goString(body); // U+FFFD per invalid byte, as Go (TextDecoder would merge some)
  }
}

/**
 * Parses one file's content into Kubernetes objects.
 * @param {string | Uint8Array} input bytes (decoded as kubectl does) or text
 * @param {{file?: string}} [opts]
 * @returns {{objects: object[], origins: Origin[]}}
 */
export function parseObjects(input, opts = {}) {
  const file = opts.file ?? '<input>';
  let text;
  if (typeof input === 'string') text = input.replace(/^\uFEFF/, '').toWellFormed();
  else if (input instanceof Uint8Array) text = decodeText(input);
  else throw new ParseError('input is not text', { file, code: 'invalid-input' });
  if (text.length > MAX_INPUT_BYTES) {
    throw new ParseError(`input-too-large: the input is over ${MAX_INPUT_BYTES} bytes (128 MiB), the request limit`, {
      file,
      code: 'input-too-large',
    });
  }
  const out = { objects: [], origins: [] };
  const lines = new LineIndex(text);
  const where = (offset, document, code) => ({ file, document, ...lines.at(offset), code });
  // Positions of list items (level 3) and of containers too deep for the core.
  const positions = new Map(); // not a WeakMap: it lives for this call only, and a Map is cheaper
  let deep = false;
  const onContainer = (container, offset, level) => {
    if (level <= 3 || level > MAX_OBJECT_DEPTH) positions.set(container, offset);
    if (level > MAX_OBJECT_DEPTH) deep = true;
  };

  const first = NOT_SPACE.exec(text)?.[0];
  const docs = [];
  if (first === '{' || first === '[') {
    let values;
    try {
      values = readJsonStream(text, { onContainer });
    } catch (e) {
      throw new ParseError(e.message, where(e.offset ?? 0, undefined, e.code));
    }
    if (first === '[') {
      // A JSON array of objects: each element is a document.
      if (values.length > 1)
        throw new ParseError(
          'more than one JSON value after a top-level array',
          where(values[1].offset, undefined, 'invalid-json'),
        );
      const [{ value }] = values;
      value.forEach((v, i) =>
        docs.push({ value: v, document: i + 1, offset: positions.get(v) ?? values[0].offset, code: 'invalid-json' }),
      );
    } else {
      values.forEach(({ value, offset }, i) => docs.push({ value, document: i + 1, offset, code: 'invalid-json' }));
    }
  } else {
    for (const chunk of yamlChunks(text, file, lines)) {
      let r;
      try {
        r = readDocument(chunk.text, { onContainer });
      } catch (e) {
        if (!e.offset && e.offset !== 0) throw e;
        throw new ParseError(e.message, where(chunk.offset + e.offset, chunk.document, e.code));
      }
      if (!r.empty)
        docs.push({ value: r.value, document: chunk.document, offset: chunk.offset + r.offset, code: 'invalid-yaml' });
    }
  }

  for (const d of docs) {
    if (d.value === null) continue; // an empty document, as kubectl skips it
    const at = { file, document: d.document, line: lines.lineOf(d.offset) };
    for (const { object, item } of expand(d.value, at, positions)) {
      if (deep) checkDepth(object, positions, (offset) => where(offset, d.document, d.code));
      out.objects.push(object);
      const line = item != null && positions.has(object) ? lines.lineOf(positions.get(object)) : at.line;
      out.origins.push(
        item == null ? { file, document: d.document, line } : { file, document: d.document, line, item },
      );
    }
  }
  return out;
}

/**
 * The documents of a YAML stream as kubectl cuts them (apimachinery's
 * YAMLReader): lines are split at "\n" ("\r\n" becomes "\n"), a line
 * starting with `---` ends a document and may carry only a comment after
 * it, and each document's text ends with "\n".
 */
function* yamlChunks(text, file, lines) {
  const norm = text.includes('\r\n') ? text.replace(/\r\n/g, '\n') : text;
  if (norm !== text) lines.reset(norm);
  // Documents are numbered as YAML counts them: a `---` opens the next one,
  // unless nothing but comments comes before the first.
  let separators = 0;
  let meaningful = false;
  let firstIsSeparator = false;
  let start = 0;
  let pos = 0;
  while (pos < norm.length) {
    let end = norm.indexOf('\n', pos);
    if (end < 0) end = norm.length;
    if (norm.startsWith('---', pos)) {
      const rest = norm.slice(pos + 3, end).replace(TRIM, '');
      if (rest !== '' && rest[0] !== '#') {
        throw new ParseError('invalid document separator: only a comment may follow ---', {
          file,
          ...lines.at(pos),
          code: 'invalid-yaml',
        });
      }
      if (!meaningful) firstIsSeparator = true;
      meaningful = true;
      if (pos > start)
        yield { text: norm.slice(start, pos), offset: start, document: separators + (firstIsSeparator ? 0 : 1) };
      separators += 1;
      start = end + 1;
    } else if (!meaningful && !COMMENT_ONLY.test(norm.slice(pos, end))) {
      meaningful = true;
    }
    pos = end + 1;
  }
  if (start < norm.length) {
    const tail = norm.slice(start);
    yield {
      text: tail.endsWith('\n') ? tail : `${tail}\n`,
      offset: start,
      document: separators + (firstIsSeparator ? 0 : 1),
    };
  }
}

/** Offset → 1-based line (and column, in characters), for offsets mostly read front to back. */
class LineIndex {
  constructor(text) {
    this.reset(text);
  }

  reset(text) {
    this.text = text;
    this.line = 1;
    this.lineStart = 0;
    this.nextBreak = text.indexOf('\n');
  }

  lineOf(offset) {
    if (offset < this.lineStart) this.reset(this.text);
    while (this.nextBreak >= 0 && this.nextBreak < offset) {
      this.line += 1;
      this.lineStart = this.nextBreak + 1;
      this.nextBreak = this.text.indexOf('\n', this.lineStart);
    }
    return this.line;
  }

  at(offset) {
    const line = this.lineOf(offset);
    return { line, col: [...this.text.slice(this.lineStart, offset)].length + 1 };
  }
}

/** Go's unicode.IsSpace, which strings.TrimSpace and kubectl's JSON sniffing use. */
const SPACE = '\\t\\n\\v\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const NOT_SPACE = new RegExp(`[^${SPACE}]`);
const TRIM = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');
const COMMENT_ONLY = new RegExp(`^[${SPACE}]*(#.*)?$`);

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A document's objects: itself, or the items of a List, breadth first as
 * kubectl's FlattenListVisitor takes them. A document with an `items` key
 * is a List (apimachinery's unstructured decoder); inside a List, an item
 * is a List when its `items` is an array.
 */
function expand(value, where, positions) {
  if (!isObject(value)) {
    throw new ParseError(`expected a Kubernetes object, found ${describe(value)}`, {
      ...where,
      code: 'invalid-object',
    });
  }
  const out = [];
  const queue = [{ object: value, item: undefined }];
  for (let q = 0; q < queue.length; q++) {
    const { object, item } = queue[q];
    const top = q === 0;
    const isList = top ? Object.hasOwn(object, 'items') : Array.isArray(object.items);
    if (!isList) {
      out.push({ object, item });
      continue;
    }
    const items = object.items ?? [];
    if (!Array.isArray(items)) throw new ParseError('items is not a list', { ...where, code: 'invalid-object' });
    // Items of the List itself get its kind and apiVersion when they have neither (apimachinery's decodeToList).
    const kind = top && typeof object.kind === 'string' ? object.kind.replace(/List$/, '') : undefined;
    const apiVersion = top && typeof object.apiVersion === 'string' ? object.apiVersion : undefined;
    items.forEach((it, i) => {
      const label = item == null ? i + 1 : `${item}.${i + 1}`;
      if (!isObject(it)) {
        throw new ParseError(`list item ${label}: expected a Kubernetes object, found ${describe(it)}`, {
          ...where,
          code: 'invalid-object',
        });
      }
      const filled = top ? fillKind(it, kind, apiVersion) : it;
      if (filled !== it && positions.has(it)) positions.set(filled, positions.get(it));
      queue.push({ object: filled, item: label });
    });
  }
  return out;
}

/**
 * A List item with neither `kind` nor `apiVersion` gets the List's (the
 * REST API's `ConfigMapList` items carry neither). Never changes `item`; a
 * `__proto__` key stays an ordinary key.
 */
export function fillKind(item, kind, apiVersion) {
  if (item.kind !== undefined || item.apiVersion !== undefined || (!kind && !apiVersion)) return item;
  return { ...(apiVersion ? { apiVersion } : {}), ...(kind ? { kind } : {}), ...item };
}

/** Refuses an object nested deeper than the core reads, pointing at the first container too deep. */
function checkDepth(object, positions, where) {
  const stack = [[object, 1]];
  while (stack.length) {
    const [v, level] = stack.pop();
    if (level > MAX_OBJECT_DEPTH) {
      throw new ParseError(
        `nested deeper than ${MAX_OBJECT_DEPTH} levels inside one object (the most the plan reads)`,
        where(positions.get(v) ?? 0),
      );
    }
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, level + 1]);
    }
  }
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}
