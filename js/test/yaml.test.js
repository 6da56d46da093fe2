// The manifest reader against kubectl's rules: the table of tricky scalars
// and line breaks (js/testlib/yaml-cases.js, derived from go-yaml v2 and
// sigs.k8s.io/yaml, checked against kubectl itself by
// tests/hardening/kubectl-yaml.test.mjs), and the decisions of README
// "Reading manifests".

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError, parseObjects } from '../src/parse.js';
import { DOCUMENTS, ERROR, SCALARS } from '../testlib/yaml-cases.js';

const read = (text) => parseObjects(text, { file: 't.yaml' }).objects;
const fails = (fn, re) => assert.throws(fn, (e) => e instanceof ParseError && (!re || re.test(e.message)));

for (const row of SCALARS) {
  test(`scalar ${JSON.stringify(row.text)} reads as kubectl reads it (${row.why})`, () => {
    if (row.value === ERROR) fails(() => read(`v: ${row.text}\n`));
    else assert.deepEqual(read(`v: ${row.text}\n`)[0].v, row.value);
    if (row.key === undefined) return;
    if (row.key === ERROR) fails(() => read(`m: {${row.text}: k}\n`));
    else assert.deepEqual(Object.keys(read(`m: {${row.text}: k}\n`)[0].m), [row.key]);
  });
}

for (const d of DOCUMENTS) {
  test(`document: ${d.name}`, () => {
    if (d.want === ERROR) fails(() => read(d.text));
    else assert.deepEqual(read(d.text), [d.want]);
  });
}

test('the issue 16 example: E1, e2 and E5 are strings, no key disappears', () => {
  assert.deepEqual(read('kind: ConfigMap\ndata: {E1: first, e2: second, level: E5}\n')[0].data, {
    E1: 'first',
    e2: 'second',
    level: 'E5',
  });
  assert.equal(read('status: {lastAppliedSpec: 918743607e203882}\n')[0].status.lastAppliedSpec, '918743607e203882');
});

test('a repeated key is refused in YAML and JSON, naming its line and never the key', () => {
  fails(() => read('kind: ConfigMap\ndata:\n  sekrit: a\n  sekrit: b\n'), /^t\.yaml:4:3 \(document 1\): duplicate key/);
  fails(
    () => parseObjects('{"kind": "ConfigMap", "data": {"a": "x"}, "data": {"b": "y"}}', { file: 'd.json' }),
    /^d\.json:1:43: duplicate key/,
  );
  // Keys that differ in YAML but not in JSON (int 1 and string "1").
  fails(() => read('m: {1: a, "1": b}\n'), /same JSON key/);
  // A merge is not a repetition.
  assert.deepEqual(read('b: &b {x: 1}\nm: {<<: *b, x: 2}\n')[0].m, { x: 2 });
});

test('JSON: a number beyond float64 is refused; a lone surrogate escape reads as U+FFFD; streams of objects', () => {
  fails(
    () => parseObjects('{"kind": "ConfigMap", "n": 1e400}', { file: 'n.json' }),
    /^n\.json:1:28: number out of range/,
  );
  assert.equal(parseObjects('{"k": "a\\ud800b"}').objects[0].k, 'a\ufffdb');
  assert.equal(parseObjects('{"k": "\\ud83d\\ude00"}').objects[0].k, '😀');
  assert.deepEqual(parseObjects('{"a": 1}\n{"b": 2} {"c": 3}').objects, [{ a: 1 }, { b: 2 }, { c: 3 }]);
  assert.deepEqual(
    parseObjects('{"a": 1}\n{"b": 2}').origins.map((o) => [o.document, o.line]),
    [
      [1, 1],
      [2, 2],
    ],
  );
  // kubectl reads a file that starts with "{" as JSON only.
  fails(() => parseObjects('{"a": 1}\n---\nb: 2\n'));
  fails(() => parseObjects('{kind: ConfigMap}\n'));
});

test('YAML .inf and .nan values are refused, not read as null', () => {
  fails(() => read('kind: ConfigMap\ndata: {a: .inf}\n'), /JSON has no NaN or infinity/);
  fails(() => read('x: [.nan]\n'));
});

test('bytes are decoded as kubectl decodes a file: BOM dropped, UTF-16 read, invalid UTF-8 byte by byte to U+FFFD', () => {
  const doc = (s) => Buffer.concat([Buffer.from('k: "'), Buffer.from(s, 'latin1'), Buffer.from('"\n')]);
  assert.equal(parseObjects(doc('a\xffb')).objects[0].k, 'a\ufffdb');
  // A truncated sequence is one U+FFFD per byte (Go), not one per sequence (WHATWG).
  assert.equal(parseObjects(doc('\xe2\x82A')).objects[0].k, '\ufffd\ufffdA');
  assert.equal(parseObjects(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a: 1\n')])).objects[0].a, 1);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: é\n', 'utf16le')]);
  assert.equal(parseObjects(utf16).objects[0].a, 'é');
  fails(() => parseObjects(Buffer.from('a: "x\0y"\n')), /control characters are not allowed/);
});

test('documents are cut as kubectl cuts them: at lines starting with ---, which may carry only a comment', () => {
  assert.deepEqual(
    read('a: 1\n--- # two\nb: 2\n---\n\n---\n~\n').map((o) => Object.keys(o)[0]),
    ['a', 'b'],
  );
  fails(() => read('a: 1\n--- !tag\nb: 2\n'), /^t\.yaml:2:1: invalid document separator/);
  fails(() => read('a: 1\n--- {b: 2}\n'), /invalid document separator/);
  // Content after "..." in the same document is refused (kubectl would drop it silently).
  fails(() => read('a: 1\n...\nb: 2\n'), /content follows '\.\.\.'/);
  assert.deepEqual(read('a: 1\n...\n# only a comment\n'), [{ a: 1 }]);
});

test('Lists are expanded breadth first, nested ones too, as kubectl flattens them', () => {
  const text = JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { kind: 'A', metadata: { name: 'a' } },
      { kind: 'List', items: [{ kind: 'B' }, { kind: 'List', items: [{ kind: 'C' }] }] },
      { kind: 'D' },
    ],
  });
  const { objects, origins } = parseObjects(text);
  assert.deepEqual(
    objects.map((o) => o.kind),
    ['A', 'D', 'B', 'C'],
  );
  assert.deepEqual(
    origins.map((o) => o.item),
    [1, 3, '2.1', '2.2.1'],
  );
  // Items with neither kind nor apiVersion get the List's (a REST ConfigMapList).
  const [cm] = parseObjects(
    '{"apiVersion": "v1", "kind": "ConfigMapList", "items": [{"metadata": {"name": "x"}}]}',
  ).objects;
  assert.deepEqual([cm.apiVersion, cm.kind], ['v1', 'ConfigMap']);
  // An item with a kind keeps it and gets no apiVersion.
  assert.equal(
    parseObjects('{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Secret"}]}').objects[0].apiVersion,
    undefined,
  );
  fails(() => read('kind: List\nitems: [1]\n'), /list item 1: expected a Kubernetes object/);
  fails(() => read('kind: List\nitems: x\n'), /items is not a list/);
});

test('a List of 150,000 items is read (no spread of the items onto the stack)', () => {
  const items = Array.from({ length: 150_000 }, (_, i) => ({ kind: 'ConfigMap', metadata: { name: `c${i}` } }));
  const r = parseObjects(JSON.stringify({ kind: 'List', items }));
  assert.equal(r.objects.length, 150_000);
  assert.equal(r.origins.at(-1).item, 150_000);
});

test('a __proto__ key is an ordinary key, in YAML and JSON, in a List item too', () => {
  for (const text of [
    '{"kind": "X", "__proto__": {"polluted": 1}}',
    'kind: X\n__proto__: {polluted: 1}\n',
    '{"kind": "List", "items": [{"__proto__": {"polluted": 1}}]}',
  ]) {
    const [o] = parseObjects(text).objects;
    assert.equal(Object.getPrototypeOf(o), Object.prototype, text);
    assert.equal(o.polluted, undefined, text);
    assert.deepEqual(Object.getOwnPropertyDescriptor(o, '__proto__').value, { polluted: 1 }, text);
  }
});

test('nesting: 125 levels inside one object is read, 126 is refused at the container that is too deep', () => {
  const nest = (n) => `{"kind": "X", "a": ${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`;
  assert.equal(parseObjects(nest(125)).objects.length, 1);
  fails(
    () => parseObjects(nest(126), { file: 'deep.json' }),
    /^deep\.json:1:144 \(document 1\): nested deeper than 125 levels/,
  );
  // A List item counts from the item.
  assert.equal(parseObjects(`{"kind": "List", "items": [${nest(125)}]}`).objects.length, 1);
  fails(() => read(`a: ${'['.repeat(126)}${']'.repeat(126)}\n`), /nested deeper than 125 levels/);
  // Far deeper input stops early, without a stack overflow.
  fails(() => parseObjects(`{"a": ${'['.repeat(100_000)}`), /nested deeper than 1000 levels/);
  fails(() => read(`a: ${'['.repeat(100_000)}`), /nested deeper than|exceeded max depth/);
});
