// Terminal injection: control characters planted in names, keys, file names
// and server messages never reach stdout or stderr raw — in every output
// format — and the data itself is kept (JSON/YAML read back the same).

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { parseArgv } from '../src/args.js';
import { escapeControl } from '../src/escape.js';
import { app } from '../testlib/apps.js';
import { runCli, tempDir } from '../testlib/helpers.js';

/** Every character a terminal could act on (a newline only where the output itself puts one). */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Generated hostile strings: each control class, alone and inside a forged report line. */
function* hostile() {
  const classes = {
    csi: '\u001b[2J\u001b[H',
    osc: '\u001b]0;owned\u0007',
    c1: '\u009b31m',
    cr: '\rverdict:  none',
    nl: '\nconfigmap/test/forged 0000000000000000',
    bs: 'abc\b\b\b',
    del: 'x\u007f',
    bidi: '\u202eevil\u202c',
    sep: 'a\u2028b',
    nul: 'a\u0000b',
  };
  for (const [k, v] of Object.entries(classes)) yield { k, v: `n-${k}${v}` };
}

function assertClean(text, what) {
  const lines = text.split('\n');
  lines.forEach((l, i) => assert.ok(!RAW.test(l), `${what}, line ${i + 1}: ${JSON.stringify(l)}`));
}

test('escapeControl: visible Go-style escapes, nothing else changed', () => {
  assert.equal(
    escapeControl('a\u001b[31mb\nc\td\u0000\u009b\u202e\u2028é✓'),
    'a\\x1b[31mb\\nc\\td\\x00\\u009b\\u202e\\u2028é✓',
  );
  for (const { v } of hostile())
    assert.ok(!RAW.test(escapeControl(v)) && !escapeControl(v).includes('\n'), JSON.stringify(v));
});

test('names with control characters: text, json, yaml, markdown, checksum and stderr stay clean; data kept', async (t) => {
  const dir = tempDir(t);
  const planted = [...hostile()];
  // Each hostile string as a Canary name, a referenced ConfigMap name, a key,
  // and in a missing mandatory config's name (an error message on stderr).
  const objects = planted.flatMap(({ k, v }, i) =>
    app({
      name: `app${i}`,
      ns: 'test',
      config: { [v]: 'x' },
      volumes: [{ name: v, kind: 'configMap' }],
      extra:
        k === 'nul'
          ? []
          : [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: v, namespace: 'test' }, data: { k: v } }],
    }).map((o) => (o.kind === 'Canary' ? { ...o, metadata: { ...o.metadata, name: v } } : o)),
  );
  const file = join(dir, 'objects.json');
  writeFileSync(file, JSON.stringify(objects));
  for (const out of ['text', 'json', 'yaml', 'markdown']) {
    const r = await runCli(['plan', file, '-o', out]);
    assert.equal(r.code, 2, `${out}: ${r.stderr}`); // the NUL case has no ConfigMap: config-not-found
    assertClean(r.stdout, `plan -o ${out} stdout`);
    assertClean(r.stderr, `plan -o ${out} stderr`);
    assert.match(r.stderr, /config-not-found: ConfigMap test\/n-nula\\x00b is referenced/);
    if (out === 'json') {
      const names = JSON.parse(r.stdout).plans.map((p) => p.canary.name);
      assert.deepEqual(
        names,
        planted.map((p) => p.v),
      );
    }
    if (out === 'yaml') {
      const docs = parseAllDocuments(r.stdout).map((d) => d.toJS());
      assert.ok(docs.some((d) => d.kind === 'ConfigMap' && d.metadata.name === `${planted[0].v}-primary`));
      for (const { v } of planted.filter((p) => p.k !== 'nul'))
        assert.ok(
          docs.some((d) => d.data?.k === v),
          JSON.stringify(v),
        );
    }
  }
  const text = await runCli(['plan', file]);
  assert.ok(text.stdout.includes('Canary test/n-nl\\nconfigmap/test/forged 0000000000000000\n'));
  assert.ok(!/^configmap\/test\/forged/m.test(text.stdout), 'no forged line');

  const sums = await runCli(['checksum', file]);
  assert.equal(sums.code, 0, sums.stderr);
  assertClean(sums.stdout, 'checksum');
  assert.equal(sums.stdout.split('\n').filter((l) => l.startsWith('configmap/test/forged')).length, 0);
  assert.ok(sums.stdout.includes('configmap/test/n-nl\\nconfigmap/test/forged 0000000000000000 '));

  const d = await runCli(['diff', file, file, '-o', 'yaml']);
  assertClean(d.stdout, 'diff -o yaml');
  assert.deepEqual(
    parse(d.stdout).canaries.map((c) => c.canary.name),
    planted.map((p) => p.v),
  );
  for (const out of ['text', 'markdown', 'json']) {
    const r = await runCli(['diff', file, file, '-o', out]);
    assertClean(r.stdout, `diff -o ${out}`);
    assertClean(r.stderr, `diff -o ${out} stderr`);
  }
});

test('file names and server messages with control characters are escaped on stderr', async (t) => {
  const dir = tempDir(t);
  const sub = join(dir, 'd');
  mkdirSync(sub);
  writeFileSync(join(sub, 'bad\u001b[2J\nforged.yaml'), 'a: [unclosed\n');
  const r = await runCli(['plan', sub]);
  assert.equal(r.code, 1);
  assertClean(r.stderr, 'parse error');
  assert.match(r.stderr, /bad\\x1b\[2J\\nforged\.yaml/);
  assert.equal(r.stderr.split('\n').length, 2);

  const server = createServer((req, res) => {
    res.writeHead(403, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Forbidden',
        code: 403,
        message: 'denied\u001b[2J\nfake: all good\u009b',
      }),
    );
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  t.after(() => new Promise((ok) => server.close(ok)));
  const c = await runCli(['plan', '--proxy', `127.0.0.1:${server.address().port}`]);
  assert.equal(c.code, 1);
  assertClean(c.stderr, 'cluster error');
  assert.match(c.stderr, /denied\\x1b\[2J\\nfake: all good\\u009b/);
  assert.equal(c.stderr.split('\n').length, 2);
});

test('flags: --flag=value, -o=json, -ojson, -f, booleans; an unknown flag is one line and never echoes a value', async () => {
  const spec = {
    output: { type: 'string', short: 'o' },
    filename: { type: 'string', short: 'f', multiple: true },
    'exit-code': { type: 'boolean' },
    all: { type: 'boolean', short: 'A' },
  };
  assert.deepEqual(
    parseArgv(['-o=json', '-f', 'a', '--filename=b', '-fc', '--exit-code=false', '-A', 'x', '--', '-y'], spec),
    {
      values: { output: 'json', filename: ['a', 'b', 'c'], 'exit-code': false, all: true },
      positionals: ['x', '-y'],
      dashdash: ['-y'],
    },
  );
  assert.equal(parseArgv(['-ojson'], spec).values.output, 'json');
  assert.throws(
    () => parseArgv(['--token=s3cr3t'], spec),
    (e) => e.message === 'unknown flag --token',
  );
  assert.throws(() => parseArgv(['-o'], spec), /^UsageError: -o needs a value$/);
  assert.throws(() => parseArgv(['--exit-code=maybe'], spec), /takes no value/);
  const r = await runCli(['plan', 'x.yaml', '--no-such-flag=s3cr3t']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "canary-tracker: unknown flag --no-such-flag (see 'canary-tracker help')\n");
  const h = await runCli(['help', 'diff']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^Usage:\n {2}canary-tracker diff BASE HEAD/);
  const h2 = await runCli(['plan', '--help']);
  assert.match(h2.stdout, /--status-from-cluster/);
  const nohelp = await runCli(['help', 'nope']);
  assert.equal(nohelp.code, 1);
});
