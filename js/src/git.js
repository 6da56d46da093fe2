// Manifests at a git revision of the current repository (Node only), read
// with `git ls-tree` and `git cat-file --batch`: the work tree is never
// checked out or touched.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { firstLine, run, ToolError } from './proc.js';

const MANIFEST = /\.(ya?ml|json)$/i;

function gitCommand() {
  return process.env.GIT || 'git';
}

/**
 * The commit `rev` names in the repository around `cwd`, or null when it
 * names none (or `cwd` is not in a repository).
 * @param {string} rev
 * @param {string} [cwd]
 */
export async function resolveRevision(rev, cwd = process.cwd()) {
  if (typeof rev !== 'string' || rev === '' || rev.startsWith('-')) return null;
  let r;
  try {
    r = await run(gitCommand(), ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], {
      cwd,
      maxBytes: 4096,
    });
  } catch (e) {
    if (e.code === 'tool-not-found') return null;
    throw e;
  }
  return r.code === 0 ? r.stdout.toString('utf8').trim() : null;
}

/**
 * The blobs under `paths` at `commit`: paths are relative to `cwd`, as git
 * takes them; entries are sorted by path.
 * @returns {Promise<{mode: string, sha: string, path: string}[]>}
 */
async function lsTree(commit, paths, cwd, { full = false } = {}) {
  const args = ['ls-tree', '-r', '-z', ...(full ? ['--full-tree'] : []), commit, '--', ...paths];
  const r = await run(gitCommand(), args, { cwd });
  if (r.code !== 0)
    throw new ToolError(`git ls-tree ${commit}: ${firstLine(r.stderr) || `exit ${r.code}`}`, { code: 'git-failed' });
  const out = [];
  for (const rec of r.stdout.toString('utf8').split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, sha] = rec.slice(0, tab).split(' ');
    if (type === 'blob') out.push({ mode, sha, path: rec.slice(tab + 1) });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The contents of blobs, through one `git cat-file --batch`.
 * @param {string[]} shas
 * @returns {Promise<Buffer[]>}
 */
async function catBlobs(shas, cwd) {
  if (shas.length === 0) return [];
  const r = await run(gitCommand(), ['cat-file', '--batch'], { cwd, input: shas.map((s) => `${s}\n`).join('') });
  const blobs = r.code === 0 ? splitBatch(r.stdout) : null;
  if (!blobs || blobs.length !== shas.length)
    throw new ToolError(`git cat-file: ${firstLine(r.stderr) || `exit ${r.code}`}`, { code: 'git-failed' });
  return blobs;
}

/** `<sha> blob <size>\n<bytes>\n`…, as `cat-file --batch` prints; null if malformed. */
function splitBatch(buf) {
  const blobs = [];
  let at = 0;
  while (at < buf.length) {
    const nl = buf.indexOf(10, at);
    if (nl < 0) return null;
    const size = Number(buf.subarray(at, nl).toString('utf8').split(' ')[2]);
    if (!Number.isSafeInteger(size) || nl + 1 + size >= buf.length + 1) return null;
    blobs.push(buf.subarray(nl + 1, nl + 1 + size));
    at = nl + 1 + size + 1;
  }
  return blobs;
}

/**
 * Whether a listed file under the argument `arg` is read, as the directory
 * walk picks files: `*.yaml|*.yml|*.json` with no hidden entry below `arg`;
 * a path that names a file is taken whatever its name.
 */
export function picks(arg, path) {
  const prefix = posix.normalize(arg).replace(/\/+$/, '');
  if (path === prefix) return true;
  const below = prefix === '.' || prefix === '' ? path : path.slice(prefix.length + 1);
  return MANIFEST.test(path) && !below.split('/').some((c) => c.startsWith('.'));
}

/**
 * The manifest files under `paths` at `commit`, as the directory walk of the
 * work tree would pick them: `*.yaml|*.yml|*.json`, hidden entries below a
 * named path skipped; a path that names a file is taken whatever its name.
 * Symbolic links and submodules are skipped (they have no content here).
 * @param {string} commit
 * @param {string[]} paths relative to `cwd`
 * @returns {Promise<{path: string, text: string}[]>}
 */
export async function readManifestsAt(commit, paths, cwd = process.cwd()) {
  const picked = [];
  const seen = new Set();
  for (const arg of paths) {
    for (const e of await lsTree(commit, [arg], cwd)) {
      if (seen.has(e.path) || (e.mode !== '100644' && e.mode !== '100755') || !picks(arg, e.path)) continue;
      seen.add(e.path);
      picked.push(e);
    }
  }
  const blobs = await catBlobs(
    picked.map((e) => e.sha),
    cwd,
  );
  return picked.map((e, i) => ({ path: e.path, text: blobs[i].toString('utf8') }));
}

/**
 * Every regular file under `paths` at `commit` (any name), relative to `cwd`.
 */
export async function filesAt(commit, paths, cwd = process.cwd()) {
  return (await lsTree(commit, paths, cwd))
    .filter((e) => e.mode === '100644' || e.mode === '100755')
    .map((e) => e.path);
}

/**
 * Writes the whole tree at `commit` into `dir` (regular files only), for
 * tools that must read files (kustomize, whose overlays reach outside the
 * named directory). Returns where `cwd` is in the tree (`--show-prefix`:
 * `sub/dir/` or ``), to map paths relative to `cwd` into `dir`.
 */
export async function exportTree(commit, dir, cwd = process.cwd()) {
  const prefix = await run(gitCommand(), ['rev-parse', '--show-prefix'], { cwd, maxBytes: 4096 });
  if (prefix.code !== 0) throw new ToolError(`git rev-parse: ${firstLine(prefix.stderr)}`, { code: 'git-failed' });
  const entries = (await lsTree(commit, [], cwd, { full: true })).filter(
    (e) => e.mode === '100644' || e.mode === '100755',
  );
  const blobs = await catBlobs(
    entries.map((e) => e.sha),
    cwd,
  );
  entries.forEach((e, i) => {
    const file = join(dir, e.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, blobs[i]);
  });
  return prefix.stdout.toString('utf8').trim();
}

/**
 * The files of the work tree under `paths` that git knows (tracked, or
 * untracked and not ignored), so `.gitignore`d trees (node_modules) are
 * never read. Paths relative to `cwd`.
 */
export async function workTreeFiles(paths, cwd = process.cwd()) {
  const r = await run(gitCommand(), ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...paths], {
    cwd,
  });
  if (r.code !== 0)
    throw new ToolError(`git ls-files: ${firstLine(r.stderr) || `exit ${r.code}`}`, { code: 'git-failed' });
  return [...new Set(r.stdout.toString('utf8').split('\0').filter(Boolean))]
    .sort()
    .filter((p) => paths.some((a) => picks(a, p)));
}
