// Type-checked by test/types.test.js (tsc --noEmit): how a user would call
// the package. Never run.
import {
  type CanaryTrackerError,
  checksum,
  fetchObjects,
  init,
  loadObjects,
  type Plan,
  type PlanJsonResponse,
  type PlanRequest,
  type PlanResponse,
  parseObjects,
  plan,
  planJson,
  redact,
  textReport,
} from 'canary-tracker';

export async function example(text: string): Promise<string> {
  await init();
  const { objects } = parseObjects(text, { file: 'app.yaml' });
  const request: PlanRequest = {
    objects,
    canary: { namespace: 'test', name: 'podinfo' },
    options: {
      defaultNamespace: 'test',
      includeLabelPrefix: ['app.kubernetes.io'],
      enableConfigTracking: true,
      flaggerVersion: '1.44.0',
    },
  };
  let response: PlanResponse;
  try {
    response = plan(request);
  } catch (e) {
    const err = e as CanaryTrackerError;
    return `${err.code}: ${err.message} ${err.path ?? ''}`;
  }
  const first: Plan | undefined = response.plans[0];
  if (first?.error) return first.error.code;
  const changed: boolean | null = first?.configsChanged ?? null;
  for (const c of first?.configChanges ?? []) {
    const kind: 'added' | 'removed' | 'modified' = c.change;
    void kind;
  }
  const sums: Record<string, string> = first?.trackedConfigs ?? {};
  const name: string | undefined = first?.primaryWorkload?.metadata?.name;
  const parsed = JSON.parse(planJson(JSON.stringify(request))) as PlanJsonResponse;
  if ('error' in parsed) return parsed.error.message;
  const sum: string = checksum({ kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }, '1.44.0');
  const fromCluster = await fetchObjects({ proxy: 'http://127.0.0.1:8001', namespace: 'test' });
  const fromFiles = await loadObjects(['manifests/', '-']);
  return `${changed} ${Object.keys(sums).length} ${name} ${sum} ${fromCluster.length} ${fromFiles.files.join()} ${textReport(redact(response))}`;
}
