// Loading objects: YAML streams, JSON, Lists, directories, stdin, errors.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { expandPath, loadObjects } from '../src/files.js';
import { ParseError, parseObjects } from '../src/parse.js';
import { FIXTURES, runCli, tempDir } from '../testlib/helpers.js';

const cm = (name, ns) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(ns ? { namespace: ns } : {}) },
  data: { k: name },
});

test('multi-document YAML: every object in order, empty and comment-only documents skipped', () => {
  const text =
    '---\n# nothing\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\nkind: Secret\nmetadata:\n  name: b\n...\n';
  const { objects, origins } = parseObjects(text, { file: 'x.yaml' });
  assert.deepEqual(
    objects.map((o) => `${o.kind}/${o.metadata.name}`),
    ['ConfigMap/a', 'Secret/b'],
  );
  assert.deepEqual(
    origins.map((o) => [o.file, o.document, o.line]),
    [
      ['x.yaml', 2, 4],
      ['x.yaml', 4, 9],
    ],
  );
});

test('YAML 1.1 scalars as kubectl reads them; timestamps stay strings; merge keys work', () => {
  const text =
    'kind: ConfigMap\nmetadata: {name: a}\nx: yes\no: 0755\nz: 2024-01-02\nw: 1:20\nbase: &b {p: 1}\nm:\n  <<: *b\n  q: 2\non: 1\n';
  const [o] = parseObjects(text).objects;
  assert.equal(o.x, true);
  assert.equal(o.o, 493);
  assert.equal(o.true, 1); // the key `on` is a boolean too, as in go-yaml v2
  assert.equal(o.z, '2024-01-02');
  assert.equal(o.w, '1:20');
  assert.deepEqual(o.m, { p: 1, q: 2 });
});

test('kind: List and REST lists are expanded; list items get kind and apiVersion', () => {
  const list = { apiVersion: 'v1', kind: 'List', items: [cm('a'), cm('b')] };
  assert.deepEqual(
    parseObjects(JSON.stringify(list)).objects.map((o) => o.metadata.name),
    ['a', 'b'],
  );
  const rest = {
    apiVersion: 'v1',
    kind: 'ConfigMapList',
    metadata: {},
    items: [{ metadata: { name: 'c' }, data: {} }],
  };
  const [o] = parseObjects(JSON.stringify(rest)).objects;
  assert.equal(o.kind, 'ConfigMap');
  assert.equal(o.apiVersion, 'v1');
  const bare = { items: [cm('d')] };
  assert.equal(parseObjects(JSON.stringify(bare)).objects[0].metadata.name, 'd');
  const yamlList = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: e}\n';
  const r = parseObjects(yamlList, { file: 'l.yaml' });
  assert.equal(r.objects[0].kind, 'Secret');
  assert.equal(r.origins[0].item, 1);
});

test('JSON: an object or an array of objects', () => {
  assert.equal(parseObjects(JSON.stringify(cm('a'))).objects.length, 1);
  assert.equal(parseObjects(JSON.stringify([cm('a'), cm('b')])).objects.length, 2);
});

test('a YAML syntax error names the file, the document and the line, and quotes nothing', () => {
  const text = 'kind: ConfigMap\nmetadata: {name: a}\n---\nkind: ConfigMap\ndata:\n  a: [1,\n  b: "sekrit\n';
  assert.throws(
    () => parseObjects(text, { file: 'bad.yaml' }),
    (e) => {
      assert.ok(e instanceof ParseError);
      assert.equal(e.file, 'bad.yaml');
      assert.equal(e.document, 2);
      assert.ok(e.line >= 6 && e.line <= 8, `line ${e.line}`);
      assert.match(e.message, /^bad\.yaml:\d+:\d+ \(document 2\): /);
      assert.ok(!e.message.includes('sekrit'));
      return true;
    },
  );
});

test('broken JSON is reported with a line, without quoting the input', () => {
  assert.throws(
    () => parseObjects('{\n  "kind": "Secret",\n  "data": {"k": "c2Vrcml0"\n', { file: 'b.json' }),
    (e) => e instanceof ParseError && e.file === 'b.json' && e.line >= 2 && !e.message.includes('c2Vrcml0'),
  );
});

test('a document that is not an object is an error naming the document', () => {
  assert.throws(
    () => parseObjects('kind: ConfigMap\n---\n- a\n- b\n', { file: 's.yaml' }),
    /s\.yaml:3:1 \(document 2\): expected a Kubernetes object, found a list/,
  );
  assert.throws(
    () => parseObjects('just text\n', { file: 't.yaml' }),
    /t\.yaml:1:1 \(document 1\): expected a Kubernetes object, found a string/,
  );
});

test('duplicate keys are an error (README "Reading manifests" says why)', () => {
  assert.throws(
    () => parseObjects('kind: ConfigMap\nkind: Secret\n', { file: 'd.yaml' }),
    /d\.yaml:2:1 \(document 1\)/,
  );
});

test('directories are searched recursively for *.yaml, *.yml and *.json, in sorted order', async (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, 'sub/deeper'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'b.yaml'), JSON.stringify(cm('b')));
  writeFileSync(join(dir, 'a.yml'), JSON.stringify(cm('a')));
  writeFileSync(join(dir, 'sub/c.json'), JSON.stringify(cm('c')));
  writeFileSync(join(dir, 'sub/deeper/d.YAML'), JSON.stringify(cm('d')));
  writeFileSync(join(dir, 'README.md'), 'not: a manifest');
  writeFileSync(join(dir, '.git/e.yaml'), JSON.stringify(cm('e')));
  assert.deepEqual(
    (await expandPath(dir)).map((p) => p.slice(dir.length + 1)),
    ['a.yml', 'b.yaml', 'sub/c.json', 'sub/deeper/d.YAML'],
  );
  const { objects, files } = await loadObjects([dir]);
  assert.deepEqual(
    objects.map((o) => o.metadata.name),
    ['a', 'b', 'c', 'd'],
  );
  assert.equal(files.length, 4);
});

test('a file named on the command line is read whatever its extension', async (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'manifest.txt'), 'kind: ConfigMap\nmetadata: {name: x}\n');
  const { objects } = await loadObjects([join(dir, 'manifest.txt')]);
  assert.equal(objects[0].metadata.name, 'x');
});

test('a missing file is an error naming it', async () => {
  await assert.rejects(loadObjects(['/no/such/file.yaml']), /\/no\/such\/file\.yaml: no such file or directory/);
});

test('- reads stdin, once', async () => {
  const stdin = Readable.from([Buffer.from('kind: ConfigMap\nmetadata: {name: s}\n')]);
  const { objects, origins } = await loadObjects(['-'], { stdin });
  assert.equal(objects[0].metadata.name, 's');
  assert.equal(origins[0].file, '<stdin>');
  await assert.rejects(loadObjects(['-', '-'], { stdin: Readable.from([]) }), /more than once/);
});

test('the CLI reads stdin and files together', async () => {
  const dir = join(FIXTURES, 'podinfo-first-run');
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(join(dir, 'objects.yaml'), 'utf8');
  const [canary, ...rest] = text.split(/^---$/m);
  const r = await runCli(['plan', '-', '-o', 'json'], { input: `${canary}\n---\n${rest.join('---')}` });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).plans[0].canary.name, 'podinfo');
});

test('the CLI reports a bad YAML file on one stderr line with file, document and line, exit 1', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, 'kind: ConfigMap\n---\nkind: Secret\nmetadata:\n  name: x\n   bad: indent\n');
  const r = await runCli(['plan', file]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(
    r.stderr,
    new RegExp(`^canary-tracker: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:[56]:\\d+ \\(document 2\\): .+\\n$`),
  );
});
