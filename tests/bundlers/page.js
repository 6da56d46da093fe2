// The browser script both bundles run (esbuild-app/, vite-app/): plan one Canary with the package and
// write the result into the DOM for bundlers.test.mjs to read. Importable from Node too (OBJECTS).
export const OBJECTS = [
  { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'web', namespace: 'shop' }, spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', envFrom: [{ configMapRef: { name: 'web-env' } }] }] } },
    },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-env', namespace: 'shop' }, data: { MODE: 'canary <&>' } },
];

/** What the page shows: the tracked checksums of the plan and the ConfigMap's own checksum. */
export function answer({ plan, checksum }) {
  return { tracked: plan({ objects: OBJECTS }).plans[0].trackedConfigs, sum: checksum(OBJECTS[2]) };
}

/** In the page: the answer (or the error) as `<body data-result>`. */
export function report(api) {
  let result;
  try {
    result = answer(api);
  } catch (e) {
    result = { error: String(e) };
  }
  document.body.dataset.result = JSON.stringify(result);
}
