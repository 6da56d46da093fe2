// The dashboard's page. Files or a cluster in, one plan per Canary out. All
// reading, parsing, fetching and planning happens in a worker (worker.js,
// one per mode); this thread keeps the state of the page and renders.
import { Cancelled, Session } from './client.js';
import { fill, h, message } from './dom.js';
import { allowedOrigin, checkUpload } from './limits.js';
import { CanaryList } from './list.js';
import { bytes, decisionInfo, facetCounts, filterItems, terms } from './model.js';
import { errorBox, planView } from './view.js';

const WORKER = new URL('./worker.js', import.meta.url);
const MAX_WARNINGS = 50;
const $ = (id) => document.getElementById(id);
const num = (n) => Number(n ?? 0).toLocaleString('en');

function newMode() {
  return {
    session: new Session(WORKER),
    items: [], // list entries (model.summary), in order
    views: new Map(), // key → view model, for plans already drawn
    selected: null,
    query: { text: '', decisions: new Set(), namespaces: new Set() },
    busy: null, // {id} of the running operation shown with progress
    progress: {},
    queue: [], // operations waiting for the running one
  };
}
const modes = {
  files: Object.assign(newMode(), { files: [], warnings: [], error: null }),
  cluster: Object.assign(newMode(), { base: '' }),
};
let mode = 'files';
/** The plan options the pickers set: Flagger's release, and one to check an upgrade to. */
const options = { flaggerVersion: undefined, upgradeTo: null }; // undefined: the core's newest, until the picker is filled
let list;
const cur = () => modes[mode];

const describe = (e) => (e && typeof e === 'object' && 'message' in e ? e : { message: String(e) });
/** Untrusted text on one line: control characters become spaces, and it is cut at 600 characters. */
const oneLine = (s) => {
  const t = String(s)
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .trim();
  return t.length > 600 ? `${t.slice(0, 600)}…` : t;
};

// ---- the list, the filter and the facets ----

let refreshTimer = 0;
let refreshedAt = 0;
/**
 * Redraws the list and facets of the current mode: now, or (the default) on
 * the next frame but at most every 250 ms, so results arriving in pieces do
 * not keep the main thread busy.
 */
function refresh(now = false) {
  if (!now) {
    if (!refreshTimer) {
      const wait = Math.max(0, refreshedAt + 250 - performance.now());
      refreshTimer = setTimeout(() => requestAnimationFrame(() => refresh(true)), wait);
    }
    return;
  }
  clearTimeout(refreshTimer);
  refreshTimer = 0;
  refreshedAt = performance.now();
  const m = cur();
  const q = { terms: terms(m.query.text), decisions: m.query.decisions, namespaces: m.query.namespaces };
  const shown = filterItems(m.items, q);
  list.setItems(shown);
  list.setSelected(m.selected);
  const counts = facetCounts(m.items, q);
  facets($('facet-decision'), 'decision', counts.decisions, m.query.decisions);
  facets($('facet-namespace'), 'namespace', counts.namespaces, m.query.namespaces);
  $('list-count').textContent =
    shown.length === m.items.length ? num(m.items.length) : `${num(shown.length)} of ${num(m.items.length)}`;
  $('finder').hidden = $('canaries').hidden = m.items.length === 0;
  if (!m.items.length) m.selected = null;
  else if (!m.items.some((i) => i.key === m.selected)) select(shown[0]?.key ?? m.items[0].key);
}

const facetButtons = new WeakMap(); // facet group → Map(value → button)
/** Updates a facet group in place: one toggle button per value, with its count. */
function facets(el, name, counts, chosen) {
  let buttons = facetButtons.get(el);
  if (!buttons) {
    facetButtons.set(el, (buttons = new Map()));
    fill(el, h('span', { class: 'facet-name' }, name === 'decision' ? 'Decision' : 'Namespace'));
  }
  const keep = new Set();
  let prev = el.firstChild;
  for (const [value, n] of counts) {
    keep.add(value);
    let b = buttons.get(value);
    if (!b) {
      b = h(
        'button',
        {
          type: 'button',
          class: `facet${name === 'decision' ? ` ${decisionInfo(value).cls}` : ''}`,
          'data-facet': name,
          'data-value': value,
          onclick: () => {
            // The group is shared by both modes: toggle in the current one's query.
            const set = cur().query[name === 'decision' ? 'decisions' : 'namespaces'];
            if (set.has(value)) set.delete(value);
            else set.add(value);
            refresh(true);
          },
        },
        name === 'decision' ? decisionInfo(value).label : value,
        ' ',
        h('span', { class: 'count' }),
      );
      buttons.set(value, b);
    }
    const count = b.lastChild;
    if (count.textContent !== num(n)) count.textContent = num(n);
    b.setAttribute('aria-pressed', String(chosen.has(value)));
    if (prev.nextSibling !== b) prev.after(b);
    prev = b;
  }
  for (const [value, b] of buttons) {
    if (!keep.has(value)) {
      b.remove();
      buttons.delete(value);
    }
  }
}

// ---- the selected plan ----

function select(key, reveal = false) {
  const m = cur();
  m.selected = key;
  list.setSelected(key);
  if (reveal) list.reveal(key);
  showSelected();
}

/**
 * Draws a plan and keeps its head in view: the page scrolls only when the
 * reader had scrolled the plan area away.
 */
function drawPlan(vm) {
  fill($('result'), planView(vm));
  // After the frame that draws it (layout is then done, so reading it costs nothing).
  requestAnimationFrame(() =>
    setTimeout(() => {
      const top = $('result').getBoundingClientRect().top;
      if (top < 0 || top > innerHeight - 120) scrollBy(0, top);
    }),
  );
}

async function showSelected() {
  const m = cur();
  const key = m.selected;
  const here = mode;
  const stale = () => mode !== here || m.selected !== key;
  if (!key) return empty();
  const cached = m.views.get(key);
  if (cached) return drawPlan(cached);
  const item = m.items.find((i) => i.key === key);
  const wait = setTimeout(
    () =>
      !stale() &&
      fill(
        $('result'),
        h('p', { class: 'muted', role: 'status' }, `Preparing ${item ? `${item.namespace}/${item.name}` : key}…`),
      ),
    150,
  );
  try {
    if (here === 'cluster' && item?.decision === 'pending') await planCluster([key], false);
    const r = await m.session.request('view', { mode: here, key }).done;
    if (stale()) return;
    if (r.view) {
      m.views.set(key, r.view);
      drawPlan(r.view);
    } else if (r.error) {
      fill($('result'), errorBox({ message: await clusterProblem(r.error, m.base) }));
    } else {
      fill($('result'), h('p', { class: 'muted' }, 'Not planned: select it again to plan it.'));
    }
  } catch (e) {
    if (!stale() && !(e instanceof Cancelled)) fill($('result'), errorBox(describe(e)));
  } finally {
    clearTimeout(wait);
  }
}

function empty() {
  fill(
    $('result'),
    mode === 'files'
      ? h(
          'div',
          { class: 'empty' },
          h('h2', null, 'Preview what Flagger does with your configs'),
          h(
            'p',
            null,
            'Drop the Canary, its Deployment, DaemonSet or Service, and the ConfigMaps and Secrets it uses — or a whole ',
            h('code', null, 'kubectl get -A -o yaml'),
            ' dump. Or switch to Cluster to read them through kubectl proxy.',
          ),
        )
      : h(
          'div',
          { class: 'empty' },
          h('h2', null, 'Cluster'),
          h('p', null, 'List the Canaries through kubectl proxy, then pick one.'),
        ),
  );
}

// ---- operations with progress ----

function showProgress() {
  const m = cur();
  const box = $('progress');
  box.hidden = !m.busy;
  if (!m.busy) return;
  const p = m.progress;
  const parts = [];
  if (p.filesTotal)
    parts.push(`files read: ${num(p.filesRead)}/${num(p.filesTotal)}${p.bytes ? ` (${bytes(p.bytes)})` : ''}`);
  if (p.phase === 'read' || p.phase === 'parse') parts.push(`${p.phase === 'read' ? 'reading' : 'parsing'} ${p.file}`);
  if (p.objects != null) parts.push(`objects parsed: ${num(p.objects)}`);
  if (p.canaries != null) parts.push(`Canaries planned: ${num(p.planned)}/${num(p.canaries)}`);
  if (p.phase === 'list') parts.push('listing Canaries');
  $('progress-text').textContent = m.busy.cancelling ? 'Cancelling…' : parts.join(' · ') || 'Starting…';
  $('cancel').disabled = !!m.busy.cancelling;
  const bar = $('progress-bar');
  if (p.canaries) {
    bar.max = p.canaries;
    bar.value = p.planned ?? 0;
  } else bar.removeAttribute('value');
}

/**
 * Runs one operation of mode `m` with progress and cancel; operations of a
 * mode run one at a time, in order. `onStart` runs when it starts (to keep
 * what a cancel restores).
 */
function operation(m, op, payload, { onPlans, onStart } = {}) {
  return new Promise((resolve, reject) => {
    const start = () => {
      onStart?.();
      m.progress = {};
      const req = m.session.request(op, payload, {
        onProgress: (p) => {
          Object.assign(m.progress, p);
          if (m === cur()) showProgress();
        },
        onPlans,
      });
      m.busy = { id: req.id };
      if (m === cur()) showProgress();
      req.done.then(resolve, reject).finally(() => {
        m.busy = null;
        if (m === cur()) showProgress();
        m.queue.shift()?.start();
      });
    };
    if (m.busy) m.queue.push({ start, reject });
    else start();
  });
}

/** Cancels the running operation of `m` and those waiting behind it. */
async function cancel(m = cur()) {
  if (!m.busy) return;
  for (const waiting of m.queue.splice(0)) waiting.reject(new Cancelled(false));
  m.busy.cancelling = true;
  if (m === cur()) showProgress();
  await m.session.cancel(m.busy.id);
}

// ---- file mode ----

/**
 * Reads, parses and plans: `add` files (File objects) and/or `remove` names.
 * `restoring`: the message to show once the kept files are read again.
 */
async function loadFiles({ add = [], remove = [] }, restoring = null) {
  const m = modes.files;
  let before;
  try {
    const r = await operation(
      m,
      'files',
      { add: add.map((file) => ({ name: file.name, file })), remove, options },
      {
        onStart: () => (before = { items: m.items, views: m.views }),
        onPlans: (msg) => {
          if (msg.reset) {
            m.items = msg.items;
            m.views = new Map();
          } else m.items = m.items.concat(msg.items);
          if (mode === 'files') refresh();
        },
      },
    );
    const refused = m.files.filter((f) => f.refused && !r.files.some((g) => g.name === f.name));
    const fileOf = (name) => add.find((a) => a.name === name) ?? m.files.find((g) => g.name === name)?.file;
    m.files = [...r.files.map((f) => ({ ...f, file: fileOf(f.name) })), ...refused];
    m.items = r.items;
    m.views = new Map();
    m.warnings = r.warnings;
    m.error = restoring;
  } catch (e) {
    if (before) Object.assign(m, before);
    m.files = m.files.filter((f) => !f.pending).map((f) => ({ ...f, replacing: false }));
    const cancelled = { cancelled: true, message: 'Cancelled: the files are as they were.' };
    // A worker terminated by a cancel, or dropped after the planner trapped, lost what it held.
    const lost = e.hard || e.fatal;
    if (!lost) m.error = e instanceof Cancelled ? cancelled : describe(e);
    else if (restoring) {
      // It failed again while reading the kept files: nothing is loaded now.
      m.files = m.files.filter((f) => f.refused);
      Object.assign(m, {
        items: [],
        views: new Map(),
        warnings: [],
        error: e.fatal ? describe(e) : { cancelled: true, message: 'Cancelled: no files are loaded.' },
      });
    } else {
      // Read the kept files again in a fresh worker.
      m.error = { cancelled: true, message: 'Reading the earlier files again…' };
      const kept = m.files.filter((f) => !f.refused && f.file).map((f) => f.file);
      m.files = m.files.map((f) => (kept.includes(f.file) ? { ...f, replacing: true } : f));
      renderFiles();
      if (kept.length) return loadFiles({ add: kept }, e.fatal ? describe(e) : cancelled);
      m.error = e.fatal ? describe(e) : cancelled;
    }
  }
  renderFiles();
  if (mode === 'files') {
    refresh(true);
    if (m.items.length) showSelected();
    else empty();
  }
}

function addFiles(list) {
  const m = modes.files;
  const names = new Set(list.map((f) => f.name));
  const kept = m.files.filter((f) => !f.refused && !f.pending && !names.has(f.name)).reduce((n, f) => n + f.size, 0);
  const verdicts = checkUpload(list, kept);
  const loaded = new Set(m.files.filter((f) => !f.refused && !f.pending).map((f) => f.name));
  // New names wait as "reading…"; a refused file replaces whatever had its name.
  m.files = m.files
    .filter((f) => !names.has(f.name) || (loaded.has(f.name) && verdicts[list.findIndex((g) => g.name === f.name)].ok))
    .map((f) => (names.has(f.name) ? { ...f, replacing: true } : f));
  list.forEach((f, i) => {
    if (!verdicts[i].ok)
      m.files.push({
        name: f.name,
        size: f.size,
        count: 0,
        refused: true,
        error: { code: verdicts[i].code, message: verdicts[i].message },
      });
    else if (!loaded.has(f.name)) m.files.push({ name: f.name, size: f.size, count: 0, pending: true });
  });
  m.error = null;
  renderFiles();
  const ok = list.filter((_, i) => verdicts[i].ok);
  const remove = list.filter((f, i) => !verdicts[i].ok && loaded.has(f.name)).map((f) => f.name);
  if (ok.length || remove.length) loadFiles({ add: ok, remove });
}

function removeFile(f) {
  const m = modes.files;
  m.files = m.files.filter((x) => x !== f);
  renderFiles();
  if (!f.refused && !f.pending) loadFiles({ remove: [f.name] });
}

function renderFiles() {
  const m = modes.files;
  fill(
    $('file-list'),
    m.files.map((f) =>
      h(
        'li',
        { class: f.error ? 'bad' : null, 'data-file': f.name },
        h('span', { class: 'fname' }, f.name),
        ' ',
        h(
          'span',
          { class: 'muted' },
          f.pending || f.replacing
            ? 'reading…'
            : f.error
              ? 'not read'
              : `${num(f.count)} object${f.count === 1 ? '' : 's'}`,
        ),
        h(
          'button',
          { type: 'button', class: 'small ghost', 'aria-label': `Remove ${f.name}`, onclick: () => removeFile(f) },
          '×',
        ),
        f.error
          ? h(
              'div',
              { class: 'msg error file-error', role: 'alert' },
              f.error.line != null
                ? h('strong', null, `Line ${f.error.line}${f.error.col ? `, column ${f.error.col}` : ''}: `)
                : null,
              f.error.detail ?? f.error.message,
            )
          : null,
      ),
    ),
  );
  const box = $('file-error');
  if (m.error) {
    box.className = m.error.cancelled ? 'msg' : 'msg error';
    return message(box, m.error.code ? h('strong', null, `${m.error.code}: `) : null, m.error.message);
  }
  const loaded = m.files.some((f) => !f.refused && !f.error && f.count);
  const w = m.warnings;
  box.className = 'msg warn';
  message(
    box,
    loaded && !m.items.length
      ? h('p', null, 'No Canary (flagger.app/v1beta1) in these files: add the file that holds it.')
      : null,
    w.length
      ? [
          h('strong', null, 'Skipped objects:'),
          h(
            'ul',
            null,
            w.slice(0, MAX_WARNINGS).map((x) => h('li', null, x.message, x.where ? ` (${x.where})` : '')),
            w.length > MAX_WARNINGS ? h('li', null, `… and ${num(w.length - MAX_WARNINGS)} more`) : null,
          ),
        ]
      : null,
  );
}

// ---- cluster mode ----

const allowed = (url) => allowedOrigin(url, location.origin);

/** What went wrong talking to the proxy, in words; `e` is a plain error from the worker. */
async function clusterProblem(e, base) {
  let url;
  try {
    url = new URL(base);
  } catch {
    return `${JSON.stringify(oneLine(base))} is not a URL: enter the proxy's address, e.g. http://127.0.0.1:8001`;
  }
  const msg = oneLine(e.message);
  const cross = url.origin !== location.origin;
  if (url.username || url.password)
    return 'Remove the user name and password from the proxy URL: kubectl proxy needs none, and the browser refuses them.';
  if (!allowed(url)) {
    return `The browser blocked the request to ${url.origin}: this page's Content-Security-Policy lets it reach only its own origin and proxies on http://127.0.0.1 or http://localhost.`;
  }
  if (e.status === 403) {
    return `${msg}. The proxy refused the request (403 Forbidden): kubectl proxy rejects hosts and paths outside its --accept-hosts/--accept-paths, and the cluster may deny your user this request (RBAC).`;
  }
  if (e.status === 404)
    return `${msg}. Is Flagger installed (the flagger.app/v1beta1 Canary API), and is ${url.origin} a kubectl proxy?`;
  if (e.code === 'cluster-unreachable') {
    // An opaque (no-cors) request succeeds when the proxy is up: then CORS is what blocked the real one.
    const up =
      cross &&
      (await fetch(`${url.origin}/version`, { mode: 'no-cors', credentials: 'omit' }).then(
        () => true,
        () => false,
      ));
    return up
      ? `The proxy at ${url.origin} answered, but the browser blocked reading it (CORS): kubectl proxy sends no CORS headers, so a page on ${location.origin} cannot use it. Serve this page from the proxy itself: kubectl proxy --www=www/dist --www-prefix=/ui/, then open /ui/ on the proxy.`
      : `Cannot reach ${url.origin}: is kubectl proxy running there?`;
  }
  return msg;
}

/** The proxy URL field as a base URL (origin and path, no query), or a problem. */
function proxyBase() {
  const raw = $('proxy-url').value.trim();
  try {
    const url = new URL(raw);
    if (url.username || url.password || !allowed(url)) return { url, problem: true };
    return { base: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
  } catch {
    return { raw, problem: true };
  }
}

async function listCanaries(quiet = false) {
  const m = modes.cluster;
  if (m.busy) await cancel(m);
  const { base, url, raw, problem } = proxyBase();
  message($('cluster-error'));
  if (problem) {
    if (!quiet) message($('cluster-error'), await clusterProblem({ message: '' }, url ? url.href : raw));
    return;
  }
  Object.assign(m, { base, items: [], views: new Map(), selected: null });
  $('cluster-actions').hidden = true;
  if (mode === 'cluster') refresh(true);
  try {
    const r = await operation(m, 'list', { base });
    m.items = r.items;
    if (!m.items.length) message($('cluster-error'), 'No Canaries in this cluster.');
    $('cluster-actions').hidden = !m.items.length;
    if (quiet) switchMode('cluster');
  } catch (e) {
    // Opened on a plain static server: its 404 (or nothing there) is no news. Anything else is the proxy's.
    const notAProxy = e.status === 404 || e.code === 'cluster-unreachable' || e.code === 'cluster-bad-response';
    if (!(e instanceof Cancelled) && !(quiet && notAProxy)) {
      message($('cluster-error'), await clusterProblem(e, base));
      if (quiet) switchMode('cluster');
    }
  }
  if (mode === 'cluster') {
    refresh(true);
    if (!m.items.length) empty();
  }
}

/** Fetches and plans `keys`; `withProgress` shows it (and lets it be cancelled). */
async function planCluster(keys, withProgress = true) {
  const m = modes.cluster;
  const onPlans = (msg) => {
    const upd = new Map(msg.items.map((i) => [i.key, i]));
    m.items = m.items.map((i) => upd.get(i.key) ?? i);
    for (const k of upd.keys()) m.views.delete(k);
    if (mode === 'cluster') refresh();
  };
  const payload = { keys, options };
  try {
    const r = withProgress
      ? await operation(m, 'plan', payload, { onPlans })
      : await m.session.request('plan', payload, { onPlans }).done;
    onPlans(r);
    if (mode === 'cluster') refresh(true);
  } catch (e) {
    if (!(e instanceof Cancelled)) message($('cluster-error'), await clusterProblem(e, m.base));
  }
}

// ---- wiring ----

function switchMode(next) {
  mode = next;
  for (const m of ['files', 'cluster']) {
    $(`tab-${m}`).setAttribute('aria-selected', String(m === mode));
    $(`panel-${m}`).hidden = m !== mode;
  }
  $('filter').value = cur().query.text;
  showProgress();
  refresh(true);
  if (cur().selected) showSelected();
  else empty();
}

async function replan() {
  const f = modes.files;
  if (f.files.some((x) => !x.refused && !x.error)) {
    const before = f.items;
    try {
      const r = await operation(
        f,
        'replan',
        { mode: 'files', options },
        {
          onPlans: (msg) => {
            f.items = msg.reset ? msg.items : f.items.concat(msg.items);
            f.views = new Map();
            if (mode === 'files') refresh();
          },
        },
      );
      f.items = r.items;
      f.warnings = r.warnings;
    } catch (e) {
      f.items = before;
      if (!(e instanceof Cancelled)) f.error = describe(e);
    }
    f.views = new Map();
    renderFiles();
  }
  const c = modes.cluster;
  if (c.items.some((i) => i.decision !== 'pending')) {
    try {
      const r = await operation(c, 'replan', { mode: 'cluster', options });
      const upd = new Map(r.items.map((i) => [i.key, i]));
      c.items = c.items.map((i) => upd.get(i.key) ?? i);
    } catch (e) {
      if (!(e instanceof Cancelled)) message($('cluster-error'), describe(e).message);
    }
    c.views = new Map();
  }
  refresh(true);
  showSelected();
}

function start() {
  // Clickjacking guard: kubectl proxy sends no X-Frame-Options or CSP header, so refuse to run in a frame.
  if (window.top !== window.self) {
    $('framed').hidden = false;
    return;
  }
  document.documentElement.classList.add('unframed');
  list = new CanaryList($('canaries'), (key) => select(key));
  const picker = $('version');
  const upgrade = $('upgrade');
  // The releases come from the core (the worker's wasm): each one where what the plan shows changes.
  modes.files.session.request('versions').done.then(({ newest, releases }) => {
    const choices = () => releases.map((v) => h('option', { value: v }, v));
    fill(picker, choices());
    picker.value = options.flaggerVersion ?? newest;
    fill(upgrade, h('option', { value: '' }, '—'), choices());
  });
  picker.addEventListener('change', () => {
    options.flaggerVersion = picker.value;
    replan();
  });
  upgrade.addEventListener('change', () => {
    options.upgradeTo = upgrade.value || null;
    replan();
  });
  $('tab-files').addEventListener('click', () => switchMode('files'));
  $('tab-cluster').addEventListener('click', () => switchMode('cluster'));
  $('cancel').addEventListener('click', () => cancel());
  $('filter').addEventListener('input', () => {
    cur().query.text = $('filter').value;
    refresh(true);
  });
  $('filter').addEventListener('keydown', (e) => {
    // Enter or ArrowDown from the filter: go to the first match.
    if (e.key !== 'Enter' && e.key !== 'ArrowDown') return;
    const first = $('canaries').querySelector('button.canary');
    if (!first) return;
    e.preventDefault();
    if (e.key === 'Enter') select(first.dataset.key, true);
    first.focus();
  });

  const input = $('file-input');
  input.addEventListener('change', () => {
    addFiles([...input.files]);
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
  $('plan-all').addEventListener('click', () =>
    planCluster(
      modes.cluster.items.filter((i) => i.decision === 'pending' || i.decision === 'unread').map((i) => i.key),
    ),
  );

  const here = /^https?:$/.test(location.protocol);
  $('proxy-url').value = here ? location.origin : 'http://127.0.0.1:8001';
  switchMode('files');
  // Served by kubectl proxy: the API is on this origin, so open in cluster mode.
  if (here) listCanaries(true);
}

// The page never goes blank: unexpected failures become a message.
window.addEventListener('error', (e) => fill($('status'), `Unexpected error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) =>
  fill($('status'), `Unexpected error: ${describe(e.reason).message}`),
);
start();
