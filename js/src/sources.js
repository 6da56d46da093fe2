// Where manifests come from (Node only): files, directories, stdin, a git
// revision of the current repository, or the work tree as git sees it; with
// `kubectl kustomize` when asked. Also the input warnings every report shows:
// duplicate objects and kustomize directories read as plain files.

import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { expandPath, loadObjects, readStream } from './files.js';
import { exportTree, filesAt, readManifestsAt, resolveRevision, workTreeFiles } from './git.js';
import { kustomize } from './kube.js';
import { ParseError, parseObjects } from './parse.js';

const KUSTOMIZATION = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * One side of a comparison, or the input of `plan`.
 * @typedef {{type: 'paths', paths: string[]}
 *   | {type: 'git', rev: string, commit: string, paths: string[]}
 *   | {type: 'worktree', paths: string[]}} Source
 */

/**
 * What a `diff` argument names: an existing path (or `-`) is a path;
 * otherwise a git revision of the repository around the current directory.
 * @param {string} arg
 * @param {string[]} paths the paths to read at a revision (default: `.`)
 * @returns {Promise<Source>}
 */
export async function resolveSource(arg, paths) {
  if (arg === '-' || existsSync(arg)) {
    if (paths.length)
      throw new ParseError(`paths after the revisions apply to git revisions only, and ${arg} is a file or directory`, {
        file: arg,
        code: 'invalid-input',
      });
    return { type: 'paths', paths: [arg] };
  }
  const commit = await resolveRevision(arg);
  if (!commit)
    throw new ParseError('neither a file, a directory, - (stdin), nor a git revision of the current repository', {
      file: arg,
      code: 'invalid-input',
    });
  return { type: 'git', rev: arg, commit, paths: paths.length ? paths : ['.'] };
}

/** A short name for a source, for reports. */
export function sourceLabel(src) {
  if (src.type === 'git') return `${src.rev}:${src.paths.join(',')}`;
  if (src.type === 'worktree') return `work tree:${src.paths.join(',')}`;
  return src.paths.join(', ');
}

/**
 * Reads a source's objects.
 * @param {Source} src
 * @param {{kustomize?: boolean, stdin?: AsyncIterable<Buffer|string>}} [opts]
 * @returns {Promise<{objects: object[], origins: import('./parse.js').Origin[], files: string[],
 *   warnings: {code: string, message: string}[]}>}
 */
export async function loadSource(src, opts = {}) {
  if (src.type === 'git') return loadGit(src, opts);
  const acc = collector();
  for (const arg of src.paths) {
    if (arg === '-') {
      acc.add(await loadObjects(['-'], { stdin: opts.stdin }));
      continue;
    }
    const isDir = statSync(arg, { throwIfNoEntry: false })?.isDirectory() ?? false;
    // The work tree as git sees it: tracked or untracked-but-not-ignored
    // files (never node_modules), less those deleted on disk.
    const files =
      src.type === 'worktree'
        ? (await workTreeFiles([arg])).filter((f) => existsSync(f))
        : isDir
          ? await expandPath(arg)
          : [arg];
    if (isDir && kustomizeCheck(arg, arg, files, acc.warnings, opts.kustomize)) {
      const file = `kubectl kustomize ${arg}`;
      acc.add({ ...parseObjects(await kustomize(arg), { file }), files: [file] });
      continue;
    }
    acc.add(await loadObjects(files, { stdin: opts.stdin }));
  }
  return acc.result();
}

function collector() {
  const r = { objects: [], origins: [], files: [], warnings: [] };
  return {
    warnings: r.warnings,
    /** @param {{objects: object[], origins: any[], files: string[]}} part */
    add(part) {
      // One by one: spreading 120,000+ items as arguments overflows the stack (issue 13 item 4).
      for (const o of part.objects) r.objects.push(o);
      for (const o of part.origins) r.origins.push(o);
      for (const f of part.files) r.files.push(f);
    },
    result: () => r,
  };
}

async function loadGit(src, opts) {
  const acc = collector();
  const listed = await filesAt(src.commit, src.paths);
  const kustomized = [];
  const plain = [];
  for (const arg of src.paths) {
    const root = posix.normalize(arg).replace(/\/+$/, '');
    const under = listed.filter((p) => root === '.' || p === root || p.startsWith(`${root}/`));
    if (kustomizeCheck(`${src.rev}:${arg}`, arg, under, acc.warnings, opts.kustomize)) kustomized.push(arg);
    else plain.push(arg);
  }
  if (kustomized.length) {
    // kustomize reads files, and overlays reach outside the named directory:
    // the whole tree at the revision goes to a private temporary directory.
    const dir = mkdtempSync(join(tmpdir(), 'canary-tracker-git-'));
    try {
      const prefix = await exportTree(src.commit, dir);
      for (const arg of kustomized) {
        const file = `kubectl kustomize ${src.rev}:${arg}`;
        acc.add({ ...parseObjects(await kustomize(join(dir, prefix, arg)), { file }), files: [file] });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (plain.length) {
    for (const { path, text } of await readManifestsAt(src.commit, plain)) {
      const file = `${src.rev}:${path}`;
      acc.add({ ...parseObjects(text, { file }), files: [file] });
    }
  }
  return acc.result();
}

/**
 * Kustomizations under an argument. With `build`, true when the named
 * directory itself holds one (the caller then builds it). Otherwise each is
 * a warning with the hint, and false: the files are read as they are.
 * @param {string} shown the argument as reports name it
 * @param {string} arg the path it names (relative to the current directory)
 * @param {string[]} files every file under it (same form as `arg`)
 */
function kustomizeCheck(shown, arg, files, warnings, build) {
  const root = posix.normalize(arg).replace(/\/+$/, '') || '.';
  const dirs = [...new Set(files.filter((f) => KUSTOMIZATION.has(basename(f))).map((f) => posix.dirname(f)))];
  if (dirs.length === 0) return false;
  if (build && dirs.includes(root)) return true;
  const where = dirs.slice(0, 3).join(', ') + (dirs.length > 3 ? ` and ${dirs.length - 3} more` : '');
  const hint = build
    ? `--kustomize builds a named directory that holds a kustomization: name ${dirs.length > 1 ? 'one of them' : 'it'}`
    : `pipe \`kubectl kustomize ${dirs[0]}\` into \`canary-tracker … -\`, or add --kustomize`;
  warnings.push({
    code: 'kustomization',
    message: `${shown} holds a kustomization (${where}): its files are read as plain manifests, without patches, overlays or generators; ${hint}`,
  });
  return false;
}

/**
 * Objects defined more than once (same kind, namespace and name) in one
 * input, naming both places. The core uses the later one, as `kubectl
 * apply` of the stream would.
 * @param {any[]} objects
 * @param {import('./parse.js').Origin[]} origins
 * @param {string} defaultNamespace
 */
export function duplicateWarnings(objects, origins, defaultNamespace) {
  const seen = new Map();
  const out = [];
  objects.forEach((o, i) => {
    const name = o?.metadata?.name;
    if (typeof o?.kind !== 'string' || typeof name !== 'string') return;
    const ns = typeof o.metadata.namespace === 'string' ? o.metadata.namespace : defaultNamespace;
    const group = typeof o.apiVersion === 'string' && o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
    const key = [group, o.kind, ns, name].join('\0');
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    out.push({
      code: 'duplicate-object',
      message: `${o.kind} ${ns}/${name} is defined twice: ${place(origins[first])} and ${place(origins[i])}; the later one is used, as kubectl apply would leave it`,
    });
    seen.set(key, i);
  });
  return out;
}

/** `file:line` (and the list item) of an origin. */
export function place(o) {
  if (!o) return '?';
  return `${o.file}:${o.line}${o.item != null ? ` (item ${o.item})` : ''}`;
}

export { readStream };
