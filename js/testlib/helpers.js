// Shared test helpers: paths, running the CLI as a child process, and the
// fixture summary of tests/data/fixtures/README.md.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configRefs } from '../src/wasm-node.js';

export const JS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(JS_DIR, '..');

import { FIXTURES, LOCAL_FIXTURES, TEST_DATA as SHARED } from './paths.js';

export { FIXTURES, LOCAL_FIXTURES, SHARED };
export const CLI = join(JS_DIR, 'cli.js');
export const EXAMPLES = join(REPO, 'examples');

/**
 * Runs `node js/cli.js ...args` and collects its output.
 * @returns {Promise<{code: number, stdout: string, stderr: string}>}
 */
export function runCli(args, { input, cwd = REPO, env } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(t) {
  const dir = mkdtempSync(join(tmpdir(), 'canary-tracker-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every config reference in a pod spec, `configmap/NAME` | `secret/NAME`, sorted, unique. */
export function podSpecRefs(podSpec) {
  return configRefs(podSpec)
    .map((r) => r.ref)
    .sort();
}

/** One plan in the shape of the shared fixtures' expected.json entries. */
export function summarise(plan) {
  const base = { canary: plan.canary.name, namespace: plan.canary.namespace, targetKind: plan.target?.kind };
  if (plan.error) {
    const out = { ...base, error: plan.error.code };
    if (plan.error.ref) out.errorRef = plan.error.ref;
    return out;
  }
  if (plan.services) {
    return {
      ...base,
      configsChanged: plan.configsChanged,
      services: [plan.services.primary.metadata.name, plan.services.canary.metadata.name],
      trackedConfigs: plan.trackedConfigs,
    };
  }
  return {
    ...base,
    configsChanged: plan.configsChanged,
    missingOptional: plan.untrackedConfigs.filter((u) => u.reason === 'optional-missing').map((u) => u.ref),
    primaryConfigs: plan.primaryConfigs.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`),
    primaryPodSpecRefs: podSpecRefs(plan.primaryWorkload.spec.template.spec),
    trackedConfigs: plan.trackedConfigs,
  };
}
