// Files, directories and stdin → Kubernetes objects (Node only).
//
// Reading is bounded: no input is read past MAX_INPUT_BYTES (128 MiB, the
// core's request limit), whatever it is (`plan - < /dev/zero`, a named
// FIFO, a huge file); all inputs together are bounded the same way. Past
// the limit the error is `input-too-large`.

import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeText, MAX_INPUT_BYTES, ParseError, parseObjects } from './parse.js';

const MANIFEST = /\.(ya?ml|json)$/i;

const tooLarge = (file, limit) =>
  new ParseError(`input-too-large: more than ${limit} bytes (128 MiB, the request limit) to read`, {
    file,
    code: 'input-too-large',
  });

/** An OS error as words (never the raw `EACCES: ...` text). */
function osError(e) {
  const words = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'no such file or directory',
    ENOTDIR: 'not a directory',
    EISDIR: 'is a directory',
    ELOOP: 'too many levels of symbolic links',
    EMFILE: 'too many open files',
  }[e?.code];
  return words ?? `cannot read (${e?.code ?? 'error'})`;
}

/**
 * Reads a stream (stdin, a FIFO) to its end as bytes, stopping with
 * `input-too-large` past `limit` bytes.
 * @param {AsyncIterable<Uint8Array|string>} stream
 * @param {{limit?: number, file?: string}} [opts]
 * @returns {Promise<Buffer>}
 */
export async function readBytes(stream, opts = {}) {
  const limit = opts.limit ?? MAX_INPUT_BYTES;
  const chunks = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += b.length;
    if (total > limit) {
      stream.destroy?.();
      throw tooLarge(opts.file ?? '<stdin>', limit);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks, total);
}

/** Reads all of a stream (stdin) as text, decoded as kubectl decodes a file; bounded as {@link readBytes}. */
export async function readStream(stream, opts = {}) {
  return decodeText(await readBytes(stream, opts));
}

/**
 * Lists the files an argument stands for: the file itself (any extension and
 * any kind, a FIFO too: it was named), or every regular `*.yaml|*.yml|*.json`
 * file under a directory, recursively, in sorted order. Hidden entries
 * (`.git`), symbolic links to directories and anything that is not a
 * regular file (a FIFO, a socket, a device) are skipped.
 * @param {string} path
 * @returns {Promise<string[]>}
 */
export async function expandPath(path) {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new ParseError(osError(e), { file: path, code: 'invalid-input' });
  }
  if (!st.isDirectory()) return [path];
  const out = [];
  await walk(path, out);
  return out;
}

async function walk(dir, out) {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new ParseError(`cannot read directory: ${osError(e)}`, { file: dir, code: 'invalid-input' });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      await walk(p, out);
    } else if (MANIFEST.test(e.name) && e.isFile()) {
      out.push(p);
    } else if (MANIFEST.test(e.name) && e.isSymbolicLink()) {
      let st;
      try {
        st = await stat(p);
      } catch (err) {
        throw new ParseError(`cannot read: ${osError(err)}`, { file: p, code: 'invalid-input' });
      }
      if (st.isFile()) out.push(p); // a link to a FIFO or a directory is skipped, never opened
    }
  }
}

/** Reads one named file as bytes, at most `limit` of them. */
async function readFileBounded(file, limit) {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw new ParseError(osError(e), { file, code: 'invalid-input' });
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new ParseError('is a directory', { file, code: 'invalid-input' });
    if (st.isFile()) {
      if (st.size > limit) throw tooLarge(file, limit);
      const b = await fh.readFile();
      if (b.length > limit) throw tooLarge(file, limit); // grew while read
      return b;
    }
    // A FIFO or a device (e.g. `<(kustomize build)`): read as a stream, bounded.
    return await readBytes(fh.createReadStream({ autoClose: false }), { limit, file });
  } catch (e) {
    if (e instanceof ParseError) throw e;
    throw new ParseError(osError(e), { file, code: 'invalid-input' });
  } finally {
    await fh.close().catch(() => {});
  }
}

/**
 * Loads objects from files, directories and `-` (stdin), in argument order.
 * @param {string[]} paths
 * @param {{stdin?: AsyncIterable<Buffer|string>, limit?: number}} [opts]
 *   `limit`: bytes to read at most, over all inputs (default MAX_INPUT_BYTES)
 * @returns {Promise<{objects: object[], origins: import('./parse.js').Origin[], files: string[]}>}
 */
export async function loadObjects(paths, opts = {}) {
  const objects = [];
  const origins = [];
  const files = [];
  let left = opts.limit ?? MAX_INPUT_BYTES;
  let stdinUsed = false;
  const add = (bytes, file) => {
    left -= bytes.length;
    const r = parseObjects(bytes, { file });
    // One by one: a spread of 100,000+ items overflows the stack.
    for (const o of r.objects) objects.push(o);
    for (const o of r.origins) origins.push(o);
    files.push(file);
  };
  for (const arg of paths) {
    if (arg === '-') {
      if (stdinUsed) throw new ParseError('stdin (-) given more than once', { file: '-', code: 'invalid-input' });
      stdinUsed = true;
      add(await readBytes(opts.stdin ?? process.stdin, { limit: left, file: '<stdin>' }), '<stdin>');
      continue;
    }
    for (const file of await expandPath(arg)) add(await readFileBounded(file, left), file);
  }
  return { objects, origins, files };
}
