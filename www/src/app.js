// The dashboard: files or a cluster in, one plan per Canary out. Parsing,
// the cluster client and Secret masking are js/src's; planning is the wasm.
import { init, plan as runPlan } from '../../js/src/browser.js';
import { parseObjects } from '../../js/src/parse.js';
import { ClusterError, fetchObjects, restClient, restPath } from '../../js/src/cluster.js';
import { locate } from '../../js/src/report.js';
import { fill, h, message } from './dom.js';
import { errorBox, planView, verdictClass, verdictText } from './view.js';

const VERSIONS = ['1.44.0', '1.43.0', '1.37.0', '1.36.0', '1.30.0', '1.16.0', '1.15.0', '1.12.0', '1.10.0', '1.6.3', '1.2.0', '1.1.0', '1.0.0', '0.20.4'];
const CANARIES = { group: 'flagger.app', version: 'v1beta1', resource: 'canaries' };
const $ = (id) => document.getElementById(id);
const key = (c) => `${c.namespace}/${c.name}`;

const state = {
  mode: 'files',
  version: VERSIONS[0],
  files: [], // {name, objects, origins, error}
  fileResult: null, // {plans, objects, origins}
  cluster: { base: '', canaries: [], bags: new Map(), plans: new Map() },
  selected: { files: null, cluster: null },
};
const wasm = init(new URL('./canary_tracker_bg.wasm', import.meta.url));

// ---- planning ----

async function planFor(objects, canary) {
  await wasm;
  return runPlan({ objects, canary, options: { flaggerVersion: state.version } });
}

const describeError = (e) => (e && typeof e === 'object' && 'message' in e ? e : { message: String(e) });

// ---- file mode ----

async function addFiles(list) {
  for (const file of list) {
    let rec;
    try {
      const { objects, origins } = parseObjects(await file.text(), { file: file.name });
      rec = { name: file.name, objects, origins };
    } catch (e) {
      rec = { name: file.name, objects: [], origins: [], error: describeError(e) };
    }
    const i = state.files.findIndex((f) => f.name === file.name);
    if (i >= 0) state.files[i] = rec;
    else state.files.push(rec);
  }
  await replanFiles();
}

function renderFiles() {
  fill($('file-list'), state.files.map((f) => {
    const remove = h('button', { type: 'button', class: 'small ghost', 'aria-label': `Remove ${f.name}` }, '×');
    remove.addEventListener('click', () => {
      state.files = state.files.filter((x) => x !== f);
      replanFiles();
    });
    return h('li', { class: f.error ? 'bad' : null, 'data-file': f.name },
      h('span', { class: 'fname' }, f.name), ' ',
      h('span', { class: 'muted' }, f.error ? 'not read' : `${f.objects.length} object${f.objects.length === 1 ? '' : 's'}`), remove,
      f.error ? h('div', { class: 'msg error file-error', role: 'alert' },
        f.error.line != null ? h('strong', null, `Line ${f.error.line}${f.error.col ? `, column ${f.error.col}` : ''}: `) : null,
        f.error.detail ?? f.error.message) : null);
  }));
}

async function replanFiles() {
  renderFiles();
  const ok = state.files.filter((f) => !f.error);
  const objects = ok.flatMap((f) => f.objects);
  const origins = ok.flatMap((f) => f.origins);
  message($('file-error'));
  state.fileResult = null;
  if (objects.length) {
    try {
      const res = await planFor(objects);
      state.fileResult = { ...res, objects, origins };
      const where = fileWhere(origins);
      $('file-error').className = 'msg warn';
      message($('file-error'),
        res.plans.length ? null : h('p', null, 'No Canary (flagger.app/v1beta1) in these files: add the file that holds it.'),
        res.warnings?.length ? [h('strong', null, 'Skipped objects:'),
          h('ul', null, res.warnings.map((w) => h('li', null, w.message, where(w.path) ? ` (${where(w.path)})` : '')))] : null);
    } catch (e) {
      $('file-error').className = 'msg error';
      message($('file-error'), h('strong', null, `${e.code ?? 'error'}: `), describeError(e).message);
    }
  }
  if (state.mode === 'files') show();
}

const fileWhere = (origins) => (path) => locate(path, origins) ?? null;

// ---- cluster mode ----

// Origins the page's Content-Security-Policy (connect-src) lets it reach.
const allowed = (url) => url.origin === location.origin || (url.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(url.hostname));

async function clusterProblem(e, base) {
  let url;
  try {
    url = new URL(base);
  } catch {
    return `${JSON.stringify(base)} is not a URL: enter the proxy's address, e.g. http://127.0.0.1:8001`;
  }
  const cross = url.origin !== location.origin;
  if (!allowed(url)) {
    return `The browser blocked the request to ${url.origin}: this page's Content-Security-Policy lets it reach only its own origin and proxies on http://127.0.0.1 or http://localhost.`;
  }
  if (e instanceof ClusterError && e.status === 403) {
    return `${e.message}. The proxy refused the request (403 Forbidden): kubectl proxy rejects hosts and paths outside its --accept-hosts/--accept-paths, and the cluster may deny your user this request (RBAC).`;
  }
  if (e instanceof ClusterError && e.status === 404) {
    return `${e.message}. Is Flagger installed (the flagger.app/v1beta1 Canary API), and is ${base} a kubectl proxy?`;
  }
  if (e instanceof ClusterError && e.code === 'cluster-unreachable') {
    // An opaque (no-cors) request succeeds when the proxy is up: then CORS is what blocked the real one.
    const up = cross && (await fetch(`${base}/version`, { mode: 'no-cors', credentials: 'omit' }).then(() => true, () => false));
    return up
      ? `The proxy at ${base} answered, but the browser blocked reading it (CORS): kubectl proxy sends no CORS headers, so a page on ${location.origin} cannot use it. Serve this page from the proxy itself: kubectl proxy --www=www/dist --www-prefix=/ui/, then open /ui/ on the proxy.`
      : `Cannot reach ${base}: is kubectl proxy running there?`;
  }
  return describeError(e).message;
}

async function listCanaries(quiet = false) {
  const base = $('proxy-url').value.trim().replace(/\/+$/, '');
  const c = (state.cluster = { base, canaries: [], bags: new Map(), plans: new Map(), error: null });
  state.selected.cluster = null;
  message($('cluster-error'));
  if (!quiet) status('Listing Canaries…');
  try {
    const list = await restClient(base).get(restPath(CANARIES));
    c.canaries = (list.items ?? []).map((i) => ({ namespace: i?.metadata?.namespace ?? 'default', name: String(i?.metadata?.name ?? '') }));
    if (!c.canaries.length) message($('cluster-error'), 'No Canaries in this cluster.');
    if (quiet) switchMode('cluster');
  } catch (e) {
    if (quiet) return;
    message($('cluster-error'), await clusterProblem(e, base));
  }
  if (state.mode === 'cluster') {
    if (c.canaries.length) await selectCluster(c.canaries[0]);
    else show();
  }
}

async function selectCluster(canary) {
  const c = state.cluster;
  state.selected.cluster = key(canary);
  show();
  try {
    if (!c.bags.has(key(canary))) {
      status(`Fetching ${key(canary)}…`);
      c.bags.set(key(canary), await fetchObjects({ proxy: c.base, namespace: canary.namespace, canary: canary.name }));
    }
    await replanCluster(canary);
  } catch (e) {
    c.plans.set(key(canary), { error: await clusterProblem(e, c.base) });
  }
  show();
}

async function replanCluster(canary) {
  const objects = state.cluster.bags.get(key(canary));
  if (!objects) return;
  try {
    const res = await planFor(objects, canary);
    state.cluster.plans.set(key(canary), { plan: res.plans[0], objects });
  } catch (e) {
    state.cluster.plans.set(key(canary), { error: `${e.code ?? 'error'}: ${describeError(e).message}` });
  }
}

// ---- output ----

function status(text) {
  fill($('status'), text ?? '');
}

function canaryItem(id, plan, selected, onclick) {
  return h('li', null, h('button', { type: 'button', class: 'canary', 'aria-current': selected ? 'true' : null, 'data-canary': id, onclick },
    h('span', { class: 'cname' }, id),
    plan ? h('span', { class: `dot ${verdictClass(plan)}`, title: verdictText(plan) }, plan.error ? 'error' : plan.configsChanged ? 'analysis' : 'no change') : null));
}

function show() {
  status('');
  const result = $('result');
  if (state.mode === 'files') {
    const r = state.fileResult;
    const plans = r?.plans ?? [];
    let sel = plans.find((p) => key(p.canary) === state.selected.files) ?? plans[0];
    state.selected.files = sel ? key(sel.canary) : null;
    fill($('canaries'), plans.map((p) => canaryItem(key(p.canary), p, p === sel, () => {
      state.selected.files = key(p.canary);
      show();
    })));
    $('canaries-title').hidden = !plans.length;
    if (sel) fill(result, planView(sel, { objects: r.objects, where: fileWhere(r.origins) }));
    else fill(result, h('div', { class: 'empty' }, h('h2', null, 'Preview what Flagger does with your configs'),
      h('p', null, 'Drop the Canary, its Deployment, DaemonSet or Service, and the ConfigMaps and Secrets it uses — or a whole ', h('code', null, 'kubectl get -A -o yaml'), ' dump. Or switch to Cluster to read them through kubectl proxy.')));
    return;
  }
  const c = state.cluster;
  fill($('canaries'), c.canaries.map((can) => canaryItem(key(can), c.plans.get(key(can))?.plan, key(can) === state.selected.cluster, () => selectCluster(can))));
  $('canaries-title').hidden = !c.canaries.length;
  const got = state.selected.cluster && c.plans.get(state.selected.cluster);
  if (got?.plan) {
    fill(result, planView(got.plan, { objects: got.objects, where: clusterWhere(got.objects) }));
  } else if (got?.error) {
    fill(result, errorBox({ message: got.error }));
  } else if (!state.selected.cluster) {
    fill(result, h('div', { class: 'empty' }, h('h2', null, 'Cluster'), h('p', null, 'List the Canaries through kubectl proxy, then pick one.')));
  }
}

function clusterWhere(objects) {
  return (path) => {
    const m = /^\/objects\/(\d+)/.exec(path ?? '');
    const o = m && objects[Number(m[1])];
    return o ? `${o.kind} ${o.metadata?.namespace ?? 'default'}/${o.metadata?.name} (from the cluster)` : null;
  };
}

function switchMode(mode) {
  state.mode = mode;
  for (const m of ['files', 'cluster']) {
    $(`tab-${m}`).setAttribute('aria-selected', String(m === mode));
    $(`panel-${m}`).hidden = m !== mode;
  }
  show();
}

// ---- wiring ----

function start() {
  const select = $('version');
  fill(select, VERSIONS.map((v) => h('option', { value: v }, v)));
  select.value = state.version;
  select.addEventListener('change', async () => {
    state.version = select.value;
    await replanFiles();
    for (const can of state.cluster.canaries) if (state.cluster.bags.has(key(can))) await replanCluster(can);
    show();
  });
  $('tab-files').addEventListener('click', () => switchMode('files'));
  $('tab-cluster').addEventListener('click', () => switchMode('cluster'));

  const input = $('file-input');
  input.addEventListener('change', async () => {
    await addFiles([...input.files]);
    input.value = '';
  });
  const drop = $('drop');
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  document.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) drop.classList.remove('over');
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer?.files?.length) {
      switchMode('files');
      addFiles([...e.dataTransfer.files]);
    }
  });

  $('cluster-form').addEventListener('submit', (e) => {
    e.preventDefault();
    switchMode('cluster');
    listCanaries();
  });

  const here = /^https?:$/.test(location.protocol);
  $('proxy-url').value = here ? location.origin : 'http://127.0.0.1:8001';
  wasm.catch((e) => message($('file-error'), `The planner (WebAssembly) did not load: ${describeError(e).message}`));
  show();
  // Served by kubectl proxy: the API is on this origin, so open in cluster mode.
  if (here) listCanaries(true);
}

// The page never goes blank: unexpected failures become a message.
window.addEventListener('error', (e) => status(`Unexpected error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => status(`Unexpected error: ${describeError(e.reason).message}`));
start();
