#!/usr/bin/env node
// Browser benchmark of the dashboard (prints figures; asserts nothing about
// time). Uploads a generated 5,000-object file (bench/generate.js: 1,000
// Canaries in 20 namespaces, each a Deployment, two ConfigMaps and a Secret)
// through the file picker of www/dist in headless Chromium and measures:
//   first_plan_ms   file chosen → the first Canary's plan painted
//   all_planned_ms  file chosen → every Canary planned (progress gone)
//   longest_task_ms longest main-thread task in that window (CDP trace, RunTask, wall time)
//   longest_task_cpu_ms  the same task's thread CPU time (tdur): without the
//                   time the renderer waited for a core on a busy machine
//   longtasks       PerformanceObserver longtask entries (> 50 ms) in it, and the longest
//   select_ms       click on the 901st Canary → its plan painted
//   node bench/dashboard.js [--canaries 1000] [--namespaces 20] [--runs 3] [--dist DIR]
// Needs `npm run build` (www/dist) and /usr/bin/chromium. --dist measures
// another build (e.g. an older dashboard, for a ratio under the same load);
// a page without a progress bar counts as planned when its first plan shows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, staticServer } from '../test/helpers.js';
import { generate } from './generate.js';

const argv = process.argv.slice(2);
const arg = (k, d) => (argv.includes(k) ? Number(argv[argv.indexOf(k) + 1]) : d);
const canaries = arg('--canaries', 1000);
const namespaces = arg('--namespaces', 20);
const runs = arg('--runs', 3);
const dist = argv.includes('--dist') ? argv[argv.indexOf('--dist') + 1] : undefined;

/** In the page before its scripts: timestamps of the upload and the first painted plan, and long tasks. */
function instrument() {
  const t = (window.__bench = { longtasks: [] });
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) t.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener(
    'change',
    (e) => {
      if (e.target.id !== 'file-input') return;
      t.upload = performance.now();
      console.timeStamp('ct-upload');
    },
    true,
  );
  new MutationObserver(() => {
    if (t.upload != null && t.firstPlan == null && document.querySelector('article.plan')) {
      t.firstPlan = -1;
      requestAnimationFrame(() => {
        t.firstPlan = performance.now();
      });
    }
  }).observe(document, { childList: true, subtree: true });
}

/** The longest RunTask on the page's main thread between the two marks, from a Chrome trace: wall and CPU ms. */
function longestTask(trace) {
  const events = JSON.parse(trace.toString('utf8')).traceEvents;
  const main = new Set(
    events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const mark = (m) => events.find((e) => e.name === 'TimeStamp' && e.args?.data?.message === m)?.ts;
  const from = mark('ct-upload');
  const to = mark('ct-done');
  let wall = 0;
  let cpu = 0;
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'RunTask' || !main.has(`${e.pid}:${e.tid}`)) continue;
    if (e.ts + e.dur < from || e.ts > to) continue;
    wall = Math.max(wall, e.dur / 1000);
    cpu = Math.max(cpu, (e.tdur ?? e.dur) / 1000);
  }
  return { wall, cpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (x) => x.toFixed(0);

const { text } = await generate({ canaries, namespaces });
const buffer = Buffer.from(text);
// A file on disk, as a user picks it (a buffer would be decoded by Playwright's script on the main thread).
const dir = await mkdtemp(join(tmpdir(), 'ct-bench-'));
const file = join(dir, 'upload.yaml');
await writeFile(file, buffer);
const browser = await launch();
const server = await staticServer(dist);
const rows = [];
try {
  for (let run = 1; run <= runs; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(instrument);
    await page.goto(server.url);
    await page.locator('#drop').waitFor();
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
    await page.setInputFiles('#file-input', file);
    await page.waitForFunction(() => window.__bench.firstPlan > 0, null, { timeout: 120000 });
    if (await page.locator('#progress').count())
      await page.locator('#progress').waitFor({ state: 'hidden', timeout: 120000 });
    const allPlanned = await page.evaluate(() => performance.now() - window.__bench.upload);
    const count = (await page.locator('#list-count').count())
      ? await page.locator('#list-count').textContent()
      : String(await page.locator('button.canary').count());
    await page.waitForTimeout(300);
    await page.evaluate(() => console.timeStamp('ct-done'));
    const trace = await browser.stopTracing();
    if (process.env.BENCH_TRACE) await writeFile(`${process.env.BENCH_TRACE}-${run}.json`, trace);
    const b = await page.evaluate(() => window.__bench);
    const task = longestTask(trace);
    const inWindow = b.longtasks.filter((l) => l.start + l.duration >= b.upload);
    // Select the 901st Canary through the filter and time its plan to the frame that paints it.
    const id = `team-${String(900 % namespaces).padStart(2, '0')}/app-0900`;
    if (await page.locator('#filter').count()) await page.fill('#filter', 'app-0900');
    const button = page.locator(`button.canary[data-canary="${id}"]`);
    await button.waitFor();
    const selectMs = await page.evaluate(async (id) => {
      const t0 = performance.now();
      document.querySelector(`button.canary[data-canary="${id}"]`).click();
      while (!document.querySelector(`article.plan[data-canary="${id}"]`)) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    }, id);
    const row = {
      run,
      first_plan_ms: b.firstPlan - b.upload,
      all_planned_ms: allPlanned,
      longest_task_ms: task.wall,
      longest_task_cpu_ms: task.cpu,
      longtasks: inWindow.length,
      longest_longtask_ms: Math.max(0, ...inWindow.map((l) => l.duration)),
      select_ms: selectMs,
      canaries_listed: Number(count.replace(/\D/g, '')),
    };
    rows.push(row);
    process.stdout.write(
      `run=${run} ${Object.entries(row)
        .slice(1)
        .map(([k, v]) => `${k}=${typeof v === 'number' ? f(v) : v}`)
        .join(' ')}\n`,
    );
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
const keys = [
  'first_plan_ms',
  'all_planned_ms',
  'longest_task_ms',
  'longest_task_cpu_ms',
  'longest_longtask_ms',
  'select_ms',
];
process.stdout.write(
  `median upload_bytes=${buffer.length} objects=${canaries * 5} canaries=${canaries} ${keys.map((k) => `${k}=${f(median(rows.map((r) => r[k])))}`).join(' ')}\n`,
);
