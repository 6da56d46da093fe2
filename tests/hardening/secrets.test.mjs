// Secret hygiene: every shared fixture, with marker values planted in every
// Secret (data, stringData, and a broken-base64 variant that makes the plan
// fail), through every output path reachable here — the CLI's text, json and
// yaml reports and its stderr, the CLI's checksum command, the core's error,
// warning and untracked messages (via the import-free module) and the
// module's error JSON. No marker may appear anywhere without --show-secrets;
// with it, the planted value must appear (so the check can fail).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { AbiHost } from '../../js/src/abi.js';
import { ABI_WASM, SHARED, YAML, cli } from './common.mjs';

const MARKER = 'S3CR3T-HYGIENE-MARKER-7f3a9c';
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const tmp = mkdtempSync(path.join(tmpdir(), 'canary-secrets-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const FIXTURES = path.join(SHARED, 'fixtures/plan');
const fixtures = readdirSync(FIXTURES).sort();

/** The fixture's objects with markers planted; `broken` makes one Secret's base64 invalid. */
function planted(name, { broken = false } = {}) {
  const text = readFileSync(path.join(FIXTURES, name, 'objects.yaml'), 'utf8');
  const objects = YAML.parseAllDocuments(text).map((d) => d.toJSON()).filter((o) => o != null);
  const values = [];
  let n = 0;
  let secrets = 0;
  for (const o of objects) {
    if (o.kind !== 'Secret') continue;
    secrets += 1;
    for (const k of Object.keys(o.data ?? {})) {
      const v = `${MARKER}-${n++}`;
      values.push(v, b64(v));
      o.data[k] = b64(v);
    }
    const v = `${MARKER}-${n++}`;
    values.push(v, b64(v));
    o.stringData = { planted: v };
  }
  if (broken) {
    const s = objects.find((o) => o.kind === 'Secret');
    if (s) s.data = { ...s.data, broken: `${MARKER}!!==` }; // '-' and '!' are not base64
  }
  return { objects, values, secrets };
}

function assertClean(text, ctx) {
  assert.ok(!text.includes(MARKER), `${ctx}: shows a planted Secret value: ${excerpt(text, MARKER)}`);
  assert.ok(!text.includes(b64(MARKER).slice(0, 24)), `${ctx}: shows a planted Secret value (base64): ${excerpt(text, b64(MARKER).slice(0, 24))}`);
}
const excerpt = (t, m) => t.slice(Math.max(0, t.indexOf(m) - 80), t.indexOf(m) + 80);

/** Messages of a core response that are meant for people (not the -primary copies). */
function messages(v) {
  const out = [];
  const push = (x) => out.push(JSON.stringify({ m: x?.message, p: x?.path, r: x?.ref }));
  if (v.error) push(v.error);
  for (const w of v.warnings ?? []) push(w);
  for (const p of v.plans ?? []) {
    if (p.error) push(p.error);
    for (const w of p.warnings) push(w);
    for (const u of p.untrackedConfigs) push(u);
  }
  return out.join('\n');
}

const host = AbiHost.load(readFileSync(ABI_WASM));

for (const name of fixtures) {
  describe(name, () => {
    for (const broken of [false, true]) {
      const { objects, values, secrets } = planted(name, { broken });
      const label = broken ? 'broken base64' : 'valid';
      const file = path.join(tmp, `${name}${broken ? '-broken' : ''}.yaml`);
      writeFileSync(file, objects.map((o) => YAML.stringify(o)).join('---\n'));

      test(`${label}: core messages and the module's responses`, () => {
        const v = host.plan({ objects });
        assertClean(messages(v), 'core messages');
        if (broken && secrets) {
          // The broken Secret fails the plan only where it is referenced; its checksum always fails.
          const c = host.checksum(objects.find((o) => o.kind === 'Secret'));
          assert.equal(c.error?.code, 'invalid-base64');
          assertClean(JSON.stringify(c), 'module checksum error');
        }
        // An error response as a whole (request cut inside a Secret value).
        const text = JSON.stringify({ objects });
        const cut = text.indexOf(MARKER) + 5;
        if (cut > 5) {
          const e = host.plan(text.slice(0, cut));
          assert.equal(e.error.code, 'invalid-json');
          assertClean(JSON.stringify(e), 'module invalid-json error');
        }
        assert.equal(host.restarts, 0);
      });

      for (const output of ['text', 'json', 'yaml']) {
        test(`${label}: CLI plan -o ${output}`, () => {
          const r = cli(['plan', file, '-o', output]);
          assert.ok([0, 2].includes(r.status), `exit ${r.status}: ${r.stderr}`);
          assertClean(r.stdout, `stdout (-o ${output})`);
          assertClean(r.stderr, `stderr (-o ${output})`);
        });
      }

      test(`${label}: CLI checksum`, () => {
        const r = cli(['checksum', file]);
        assert.ok([0, 1].includes(r.status), `exit ${r.status}: ${r.stderr}`);
        assertClean(r.stdout, 'checksum stdout');
        assertClean(r.stderr, 'checksum stderr');
        if (broken && secrets) assert.match(r.stderr, /invalid-base64/);
      });

      if (!broken && secrets) {
        test('control: --show-secrets -o json does show the planted values', () => {
          const r = cli(['plan', file, '-o', 'json', '--show-secrets']);
          const tracked = JSON.parse(r.stdout).plans.some((p) => p.primaryConfigs.some((c) => c.kind === 'Secret'));
          if (tracked) assert.ok(values.some((v) => r.stdout.includes(v)), 'no planted value in --show-secrets output');
          else assert.ok(!r.stdout.includes(MARKER));
        });
      }
    }
  });
}

test('at least one fixture tracks a Secret (the control above is not vacuous)', () => {
  const tracked = fixtures.filter((name) => {
    const v = host.plan({ objects: planted(name).objects });
    return v.plans.some((p) => p.primaryConfigs.some((c) => c.kind === 'Secret'));
  });
  assert.ok(tracked.length >= 2, `only ${tracked}`);
});
