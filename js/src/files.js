// Files, directories and stdin → Kubernetes objects (Node only).

import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ParseError, parseObjects } from './parse.js';

const MANIFEST = /\.(ya?ml|json)$/i;

/** Reads all of a stream (stdin) as UTF-8 text. */
export async function readStream(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Lists the files an argument stands for: the file itself (any extension:
 * it was named), or every `*.yaml|*.yml|*.json` under a directory,
 * recursively, in sorted order. Hidden entries (`.git`) are skipped.
 * @param {string} path
 * @returns {Promise<string[]>}
 */
export async function expandPath(path) {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new ParseError(e.code === 'ENOENT' ? 'no such file or directory' : `cannot read (${e.code ?? e.message})`, {
      file: path,
      code: 'invalid-input',
    });
  }
  if (!st.isDirectory()) return [path];
  const out = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(path, e.name);
    if (e.isDirectory()) out.push(...(await expandPath(p)));
    else if (MANIFEST.test(e.name) && (e.isFile() || e.isSymbolicLink())) out.push(p);
  }
  return out;
}

/**
 * Loads objects from files, directories and `-` (stdin), in argument order.
 * @param {string[]} paths
 * @param {{stdin?: AsyncIterable<Buffer|string>}} [opts]
 * @returns {Promise<{objects: object[], origins: import('./parse.js').Origin[], files: string[]}>}
 */
export async function loadObjects(paths, opts = {}) {
  const objects = [];
  const origins = [];
  const files = [];
  let stdinUsed = false;
  for (const arg of paths) {
    if (arg === '-') {
      if (stdinUsed) throw new ParseError('stdin (-) given more than once', { file: '-', code: 'invalid-input' });
      stdinUsed = true;
      const text = await readStream(opts.stdin ?? process.stdin);
      push(parseObjects(text, { file: '<stdin>' }));
      files.push('<stdin>');
      continue;
    }
    for (const file of await expandPath(arg)) {
      let text;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new ParseError(`cannot read (${e.code ?? e.message})`, { file, code: 'invalid-input' });
      }
      push(parseObjects(text, { file }));
      files.push(file);
    }
  }
  return { objects, origins, files };

  function push(r) {
    objects.push(...r.objects);
    origins.push(...r.origins);
  }
}
