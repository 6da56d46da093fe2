// Text → Kubernetes objects. Browser-safe: no node: imports.
//
// Accepts what a user would feed kubectl: a multi-document YAML stream, a
// JSON object or array, a `kind: List` (or `{"items": [...]}` as `kubectl get
// -o json` / the REST API return). YAML is read with YAML 1.1 scalars, as
// kubectl's go-yaml does (`yes`/`on` are booleans, `0755` is octal), with
// merge keys, but timestamps, sexagesimals and !!binary stay strings, so no
// object ever holds a value JSON cannot carry.
//
// Error messages never quote the input: they name the file, the document and
// the line, so a Secret value is never echoed.

import { LineCounter, parseAllDocuments } from 'yaml';

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

const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
]);

const YAML_OPTIONS = {
  version: '1.1',
  merge: true,
  prettyErrors: false,
  uniqueKeys: true,
  // Sexagesimal (`1:20`) and timestamp scalars stay strings, like go-yaml v2.
  customTags: (tags) => tags.filter((t) => !DROPPED_TAGS.has(t.tag) && t.format !== 'TIME'),
};

/**
 * Where one object came from.
 * @typedef {{file: string, document: number, line: number, item?: number}} Origin
 */

/**
 * Parses one file's text into Kubernetes objects.
 * @param {string} text
 * @param {{file?: string}} [opts]
 * @returns {{objects: object[], origins: Origin[]}}
 */
export function parseObjects(text, opts = {}) {
  const file = opts.file ?? '<input>';
  if (typeof text !== 'string') throw new ParseError('input is not text', { file, code: 'invalid-input' });
  const objects = [];
  const origins = [];
  const add = (value, document, line) => {
    for (const { object, item } of expand(value, { file, document, line })) {
      objects.push(object);
      origins.push(item == null ? { file, document, line } : { file, document, line, item });
    }
  };

  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // Plain JSON first (fast, exact); on failure the YAML reader below
    // (a JSON superset) finds the line. JSON.parse's own message quotes
    // the input, so it is never shown.
    let value;
    let ok = false;
    try {
      value = JSON.parse(trimmed);
      ok = true;
    } catch {
      /* fall through to YAML for a positioned error */
    }
    if (ok) {
      const list = Array.isArray(value) ? value : [value];
      list.forEach((v, i) => add(v, Array.isArray(value) ? i + 1 : 1, 1));
      return { objects, origins };
    }
  }

  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  // parseAllDocuments returns an EmptyStream (array-like) for empty input.
  let index = 0;
  for (const doc of docs) {
    index += 1;
    const err = doc.errors[0];
    if (err) {
      const { line, col } = lineCounter.linePos(err.pos?.[0] ?? 0);
      throw new ParseError(firstLine(err.message), { file, document: index, line, col, code: 'invalid-yaml' });
    }
    const startLine = doc.contents ? lineCounter.linePos(doc.contents.range?.[0] ?? 0).line : 1;
    let value;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      throw new ParseError(firstLine(e.message), { file, document: index, line: startLine, code: 'invalid-yaml' });
    }
    if (value == null) continue; // empty or comment-only document
    add(value, index, startLine);
  }
  return { objects, origins };
}

function firstLine(message) {
  // The yaml library's messages name the problem and the position; keep the
  // first line only so no source excerpt can follow.
  return String(message).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * A document's objects: itself, or the items of a list. List items from the
 * REST API (`ConfigMapList`) have no `kind`/`apiVersion`: filled in.
 */
function* expand(value, where) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ParseError(`expected a Kubernetes object, found ${describe(value)}`, { ...where, code: 'invalid-object' });
  }
  const kind = typeof value.kind === 'string' ? value.kind : undefined;
  const isList = Array.isArray(value.items) && (kind === undefined || kind.endsWith('List'));
  if (!isList) {
    yield { object: value };
    return;
  }
  const itemKind = kind && kind !== 'List' ? kind.slice(0, -'List'.length) : undefined;
  let i = 0;
  for (const item of value.items) {
    i += 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new ParseError(`list item ${i}: expected a Kubernetes object, found ${describe(item)}`, { ...where, code: 'invalid-object' });
    }
    yield { object: fillKind(item, itemKind, value.apiVersion), item: i };
  }
}

/** Adds `kind`/`apiVersion` to a list item that lacks them. */
export function fillKind(item, kind, apiVersion) {
  if ((item.kind || !kind) && (item.apiVersion || !apiVersion)) return item;
  const out = {};
  if (!item.apiVersion && apiVersion) out.apiVersion = apiVersion;
  if (!item.kind && kind) out.kind = kind;
  return Object.assign(out, item);
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}
