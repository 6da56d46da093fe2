// Parse errors never show input text (issue 13 item 1). A generator plants a
// marker in every scalar position of broken YAML and JSON documents — a
// Secret value starting with an indicator (* & ! | > % @ `), a bad escape, an
// unterminated quote, a key, an anchor, an alias, a tag, a directive, a
// document separator, a List item — then breaks each one more ways (cut
// short at every offset around the marker, a breaking character inserted,
// an indicator put in front). Every error, from the parse API and from the
// CLI's stderr, must name a place and hold no 4 characters of the marker.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { ParseError, parseObjects } from '../../js/src/parse.js';
import { cliAsync } from './common.mjs';

const MARKER = 'QZXVKJWQ';
const WINDOWS = Array.from({ length: MARKER.length - 3 }, (_, i) => MARKER.slice(i, i + 4));
const leaks = (text) => WINDOWS.filter((w) => text.includes(w));

const head = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n';
const json = (v) => `{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": ${v}}`;

/** Broken documents, each with the marker `m` in some scalar position. */
const TEMPLATES = [
  (m) => `${head}  password: *${m}\n`,
  (m) => `${head}  password: &${m}\n  other: *${m}x\n`,
  (m) => `${head}  password: |${m}\n`,
  (m) => `${head}  password: >${m}\n`,
  (m) => `${head}  password: !${m}! x\n`,
  (m) => `${head}  password: !<${m}\n`,
  (m) => `${head}  password: %${m}\n`,
  (m) => `${head}  password: @${m}\n`,
  (m) => `${head}  password: \`${m}\n`,
  (m) => `${head}  password: "${m}\\q${m}"\n`,
  (m) => `${head}  password: "${m}\\x${m}"\n`,
  (m) => `${head}  password: "\\u${m}"\n`,
  (m) => `${head}  password: "${m}\n`,
  (m) => `${head}  password: '${m}\n`,
  (m) => `${head}  password: ${m}: x\n`,
  (m) => `${head}  password: ${m}\n bad: indent\n`,
  (m) => `${head}  ${m}: a\n  ${m}: b\n`,
  (m) => `${head}  password: [${m}\n`,
  (m) => `${head}  password: {${m}\n`,
  (m) => `${head}  password: {${m}: x, ${m}: y}\n`,
  (m) => `${head}  ${m}\n  other: x\n`,
  (m) => `${head}  password:\t${m}\n\tother: x\n`,
  (m) => `${head}  password: ${m}\x07\n`,
  (m) => `${head}  password: !!int ${m}\n`,
  (m) => `${head}  password: !!binary ${m}!\n`,
  (m) => `${head}  password: !!null ${m}\n`,
  (m) => `${head}  ${m}: .inf\n`,
  (m) => `${head}  password: &a [${m}, *a]\n`,
  (m) => `${head}  password: ${'['.repeat(130)}${m}${']'.repeat(130)}\n`,
  (m) => `${head}  <<: ${m}\n`,
  (m) => `${head}  {${m}: x}: y\n`,
  (m) => `${head}  ? ${m}\n  : [${m}\n`,
  (m) => `${head}  password: |\n    ${m}\n   ${m}\n`,
  (m) => `${head}  password: ${m}\n--- ${m}\n`,
  (m) => `${head}  password: ${m}\n...\n${m}: x\n`,
  (m) => `%TAG !${m}! x\n%TAG !${m}! y\n---\n${head}`,
  (m) => `%YAML ${m}\n---\n${head}`,
  (m) => `%${m} x\n---\n${head}`,
  (m) => `kind: List\nitems:\n- ${m}\n`,
  (m) => `kind: List\nitems: ${m}\n`,
  (m) => `${m}\n`,
  (m) => `- ${m}\n`,
  (m) => json(`{"password": "${m}`),
  (m) => json(`{"password": ${m}}`),
  (m) => json(`{"password": "${m}\\q"}`),
  (m) => json(`{"password": "\\u${m}"}`),
  (m) => json(`{"${m}": 1e400}`),
  (m) => json(`{"${m}": "a", "${m}": "b"}`),
  (m) => json(`{"password": "${m}\x01"}`),
  (m) => `${json(`{"password": "${m}"}`)} ${m}`,
  (m) => `[${json(`{"password": "${m}"}`)}, "${m}"]`,
  (m) => `{"kind": "Secret", "data": {"password": "${m}"}, ${m}}`,
];

const BREAKERS = ['\t', '\x07', '\0', ':', '"', "'", '{', ']', '\u2028', '#', '-', '\\', '\uFEFF', '\n '];
const INDICATORS = [...'*&!|>%@`"\'{[-?:#,'];

/** Every broken variant of every template. */
function variants() {
  const out = [];
  TEMPLATES.forEach((t, ti) => {
    const base = t(MARKER);
    out.push({ t: ti, text: base });
    const at = base.indexOf(MARKER);
    for (let cut = at + 1; cut <= at + MARKER.length + 3; cut++) out.push({ t: ti, text: base.slice(0, cut) });
    for (const b of BREAKERS) {
      for (const p of [at, at + 4, at + MARKER.length]) out.push({ t: ti, text: base.slice(0, p) + b + base.slice(p) });
    }
    for (const ind of INDICATORS) out.push({ t: ti, text: t(ind + MARKER) });
  });
  return out;
}

// Each template does put the marker in the text (so the checks can fail).
const leaksIfQuoted = (t) => leaks(t(MARKER)).length === WINDOWS.length;

const tmp = mkdtempSync(path.join(tmpdir(), 'canary-parse-errors-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the parse API: no error message holds any 4 characters of a planted value', () => {
  const all = variants();
  let errors = 0;
  const failures = [];
  for (const { t, text } of all) {
    for (const input of [text, Buffer.from(text)]) {
      try {
        parseObjects(input, { file: 'in.yaml' });
      } catch (e) {
        errors += 1;
        if (!(e instanceof ParseError)) failures.push(`template ${t}: not a ParseError: ${e?.name}`);
        else if (!/^in\.yaml(:\d+:\d+)?( \(document \d+\))?: /.test(e.message)) failures.push(`template ${t}: no place in ${JSON.stringify(e.message)}`);
        const l = leaks(e.message);
        if (l.length) failures.push(`template ${t}: ${JSON.stringify(text)} → ${JSON.stringify(e.message)}`);
      }
    }
  }
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} bad messages`);
  // Not vacuous: nearly every variant is broken.
  assert.ok(errors > all.length * 2 * 0.8, `only ${errors} of ${all.length * 2} variants failed to parse`);
  assert.ok(TEMPLATES.every((t) => leaksIfQuoted(t)), 'a template does not contain the marker');
});

test('the CLI: one stderr line, exit 1, no 4 characters of a planted value, for every template', async () => {
  const files = TEMPLATES.map((t, i) => {
    const f = path.join(tmp, `t${i}.${t(MARKER).trimStart().startsWith('{') || t(MARKER).startsWith('[') ? 'json' : 'yaml'}`);
    writeFileSync(f, t(MARKER));
    return f;
  });
  const results = await cliAsync(files.map((f) => ['plan', f]));
  results.forEach((r, i) => {
    assert.equal(r.status, 1, `template ${i}: exit ${r.status}, ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').length, 2, `template ${i}: ${r.stderr}`);
    assert.deepEqual(leaks(r.stderr), [], `template ${i}: ${r.stderr}`);
  });
});
