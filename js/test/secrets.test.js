// No Secret value leaves the CLI unless --show-secrets: a unique marker is
// planted in every Secret of every shared fixture (base64 in `data`, plain in
// `stringData`) and looked for in every output and error stream.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { parseObjects } from '../src/parse.js';
import { FIXTURES, runCli, tempDir } from '../testlib/helpers.js';

const MARKER = 'ct-marker-9e1b7c';
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

/** Rewrites every Secret so each value holds a unique marker; returns the values planted. */
function plant(objects, fixture) {
  const planted = [];
  for (const o of objects) {
    if (o.kind !== 'Secret') continue;
    const name = o.metadata.name;
    o.data = Object.fromEntries(
      Object.keys(o.data ?? { key: '' }).map((k) => {
        const v = `${MARKER}-${fixture}-${name}-data-${k}`;
        planted.push(v);
        return [k, b64(v)];
      }),
    );
    const v = `${MARKER}-${fixture}-${name}-stringData`;
    planted.push(v);
    o.stringData = { 'extra.txt': v };
  }
  return planted;
}

function assertClean(streams, planted, label) {
  for (const [which, text] of Object.entries(streams)) {
    assert.ok(!text.includes(MARKER), `${label}: marker in ${which}`);
    for (const v of planted) assert.ok(!text.includes(b64(v)), `${label}: base64 of a Secret value in ${which}`);
  }
}

const fixtures = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
let shownSomewhere = 0;

for (const fixture of fixtures) {
  test(`secret values of ${fixture} never reach the output without --show-secrets`, async (t) => {
    const dir = tempDir(t);
    const { objects } = parseObjects(readFileSync(join(FIXTURES, fixture, 'objects.yaml'), 'utf8'));
    const planted = plant(objects, fixture);
    assert.ok(planted.length > 0 || !objects.some((o) => o.kind === 'Secret'));
    const file = join(dir, 'objects.yaml');
    writeFileSync(file, objects.map((o) => `---\n${stringify(o)}`).join(''));

    for (const output of ['text', 'json', 'yaml']) {
      const r = await runCli(['plan', file, '-o', output]);
      assert.ok([0, 2].includes(r.code), `${output}: exit ${r.code}: ${r.stderr}`);
      if (output !== 'yaml') assert.ok(r.stdout.length > 0);
      assertClean({ stdout: r.stdout, stderr: r.stderr }, planted, `${fixture} -o ${output}`);
    }
    const withExit = await runCli(['plan', file, '--exit-code']);
    assertClean({ stdout: withExit.stdout, stderr: withExit.stderr }, planted, `${fixture} --exit-code`);
    const sums = await runCli(['checksum', file]);
    const hasConfigs = objects.some((o) => o.kind === 'ConfigMap' || o.kind === 'Secret');
    assert.equal(sums.code, hasConfigs ? 0 : 1, sums.stderr);
    assertClean({ stdout: sums.stdout, stderr: sums.stderr }, planted, `${fixture} checksum`);

    // With --show-secrets the tracked Secrets' primary copies carry the values.
    const shown = await runCli(['plan', file, '-o', 'json', '--show-secrets']);
    const response = JSON.parse(shown.stdout);
    const primarySecrets = response.plans.flatMap((p) => p.primaryConfigs).filter((o) => o.kind === 'Secret');
    for (const s of primarySecrets) {
      const values = Object.values(s.data);
      assert.ok(values.length > 0);
      for (const v of values)
        assert.ok(Buffer.from(v, 'base64').toString('utf8').startsWith(MARKER), `${s.metadata.name}: ${v}`);
      assert.ok(
        values.includes(b64(`${MARKER}-${fixture}-${s.metadata.name.replace(/-primary$/, '')}-stringData`)),
        'stringData merged into data',
      );
      shownSomewhere += 1;
    }
    const redacted = JSON.parse((await runCli(['plan', file, '-o', 'json'])).stdout);
    const redactedSecrets = redacted.plans.flatMap((p) => p.primaryConfigs).filter((o) => o.kind === 'Secret');
    assert.equal(redactedSecrets.length, primarySecrets.length);
    for (const s of redactedSecrets) for (const v of Object.values(s.data)) assert.equal(v, '<redacted>');
  });
}

test('--show-secrets was exercised on at least one tracked Secret', () => {
  // Runs after the fixture tests (node:test runs top-level tests in order).
  assert.ok(shownSomewhere >= 3, `only ${shownSomewhere} primary Secrets seen`);
});

test('a Secret value that is not base64 is not echoed in the error', async (t) => {
  const dir = tempDir(t);
  const { objects } = parseObjects(readFileSync(join(FIXTURES, 'podinfo-first-run', 'objects.yaml'), 'utf8'));
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'podinfo-secret-env');
  secret.data.password = `${MARKER}-not*base64!`;
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, objects.map((o) => `---\n${stringify(o)}`).join(''));
  for (const output of ['text', 'json', 'yaml']) {
    const r = await runCli(['plan', file, '-o', output]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /invalid-base64/);
    assert.ok(!r.stdout.includes(MARKER) && !r.stderr.includes(MARKER), r.stderr);
  }
  const c = await runCli(['checksum', file]);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /secret\/test\/podinfo-secret-env.*invalid-base64/);
  assert.ok(!c.stderr.includes(MARKER) && !c.stdout.includes(MARKER));
});

test('a YAML syntax error inside a Secret is reported without the line it is on', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'broken.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: s',
      'stringData:',
      `  password: "${MARKER}`,
      '  other: x',
      '',
    ].join('\n'),
  );
  for (const args of [
    ['plan', file],
    ['plan', file, '-o', 'json'],
    ['checksum', file],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(file), r.stderr);
    assert.ok(!r.stderr.includes(MARKER) && !r.stdout.includes(MARKER), r.stderr);
  }
});

test('a Secret value of the wrong type is not echoed in the error', async (t) => {
  const dir = tempDir(t);
  const text = readFileSync(join(FIXTURES, 'podinfo-first-run', 'objects.yaml'), 'utf8').replace(
    '  user: YWRtaW4=',
    '  user: 987654321123',
  );
  assert.ok(text.includes('987654321123'));
  const file = join(dir, 'num.yaml');
  writeFileSync(file, text);
  for (const args of [
    ['plan', file],
    ['plan', file, '-o', 'json'],
    ['checksum', file],
  ]) {
    const r = await runCli(args);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /invalid-object: .*found a number/);
    assert.match(r.stderr, /data\/user/);
    assert.ok(!r.stderr.includes('987654321123') && !r.stdout.includes('987654321123'), r.stderr);
  }
});
