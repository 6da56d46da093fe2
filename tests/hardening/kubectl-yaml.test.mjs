// The manifest reader (js/src/parse.js) against kubectl itself (issue 16
// items 1-2, issue 13 item 9): the source-derived table of tricky scalars and
// line breaks must be what kubectl reads, and thousands of generated odd
// manifests must read the same way in both, or be refused by both. The only
// differences allowed are the reader's deliberate refusals (README "Reading
// manifests"): a repeated key, keys that collide in JSON, content after
// `...`. Needs kubectl (scripts/setup.sh checks for it; KUBECTL overrides).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseObjects } from '../../js/src/parse.js';
import { DOCUMENTS, ERROR, SCALARS } from '../../js/testlib/yaml-cases.js';
import { canonical, kubectlRead, kubectlVersion } from './kubectl.mjs';
import { jsonCases, lineBreakCases, yamlCases } from './yaml-gen.mjs';

const version = kubectlVersion();
const DELIBERATE = /duplicate key|same JSON key|content follows '\.\.\.'/;

test('kubectl is there', () => {
  assert.ok(version, 'kubectl cannot be run: install it (scripts/setup.sh) or set KUBECTL');
});

const header = (i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`;

test('the scalar table (js/testlib/yaml-cases.js) is what kubectl reads', { skip: !version }, () => {
  const values = kubectlRead(SCALARS.map((r, i) => `${header(i)}v: ${r.text}\n`));
  const keyed = SCALARS.filter((r) => r.key !== undefined);
  const keys = kubectlRead(keyed.map((r, i) => `${header(i)}m: {${r.text}: k}\n`));
  SCALARS.forEach((r, i) => {
    const k = values[i];
    if (r.value === ERROR) assert.ok(k.error, `${r.text}: kubectl read ${JSON.stringify(k.objects[0]?.v)}`);
    else assert.deepEqual(k.objects[0]?.v, r.value, `${r.text}: ${k.error ?? ''}`);
  });
  keyed.forEach((r, i) => {
    const k = keys[i];
    if (r.key === ERROR) assert.ok(k.error, `key ${r.text}: kubectl read ${JSON.stringify(k.objects[0]?.m)}`);
    else assert.deepEqual(Object.keys(k.objects[0]?.m ?? {}), [r.key], `key ${r.text}: ${k.error ?? ''}`);
  });
});

test('the line-break and document table is what kubectl reads', { skip: !version }, () => {
  // The case's own keys sit beside the header's; a %YAML directive must come first.
  const file = (d, i) => (d.text.startsWith('%') ? d.text.replace('---\n', `---\n${header(i)}`) : header(i) + d.text);
  const got = kubectlRead(DOCUMENTS.map(file));
  DOCUMENTS.forEach((d, i) => {
    const k = got[i];
    if (d.want === ERROR) {
      assert.ok(k.error, `${d.name}: kubectl read ${canonical(k.objects)}`);
      return;
    }
    assert.equal(k.error, null, `${d.name}: ${k.error}`);
    const { apiVersion, kind, metadata, ...rest } = k.objects[0];
    assert.deepEqual(rest, d.want, d.name);
  });
});

function differential(cases, label) {
  const theirs = kubectlRead(cases);
  let same = 0;
  let deliberate = 0;
  let read = 0;
  const diffs = [];
  cases.forEach((c, i) => {
    let mine;
    try {
      mine = { objects: parseObjects(Buffer.from(c)).objects };
    } catch (e) {
      mine = { error: e.message };
    }
    const k = theirs[i];
    if (mine.error && DELIBERATE.test(mine.error)) {
      deliberate += 1;
      return;
    }
    if ((mine.error && k.error) || (!mine.error && !k.error && canonical(mine.objects) === canonical(k.objects))) {
      same += 1;
      if (!k.error) read += 1;
      return;
    }
    diffs.push(`${label} case ${i}: ${JSON.stringify(c)}\n  reader:  ${mine.error ?? canonical(mine.objects)}\n  kubectl: ${k.error ?? canonical(k.objects)}`);
  });
  assert.deepEqual(diffs.slice(0, 5), [], `${diffs.length} of ${cases.length} differ`);
  return { same, deliberate, read };
}

test('3,000 generated odd YAML manifests read as kubectl reads them', { skip: !version }, () => {
  const r = differential(yamlCases(20240613, 3000), 'yaml');
  // Not vacuous: most are read, and the refused ones are refused by both.
  assert.ok(r.read > 1200, `only ${r.read} read`);
  assert.ok(r.deliberate < 100, `${r.deliberate} deliberate refusals`);
});

test('1,500 generated scalars broken by LS, PS, NEL, CR LF and tabs read as kubectl reads them', { skip: !version }, () => {
  const r = differential(lineBreakCases(16, 1500), 'line breaks');
  assert.ok(r.read > 700, `only ${r.read} read`);
});

test('500 generated JSON manifests read as kubectl reads them', { skip: !version }, () => {
  const r = differential(jsonCases(7, 500), 'json');
  assert.ok(r.read > 150, `only ${r.read} read`);
});
