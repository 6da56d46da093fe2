// Running the user's git and kubectl (Node only). Output is bounded, errors
// are one line, and nothing here goes through a shell.

import { spawn } from 'node:child_process';

/** The most a child's stdout may print (the core's request limit). */
export const MAX_OUTPUT_BYTES = 128 * 1024 * 1024;

export class ToolError extends Error {
  /** @param {string} message @param {{code?: string}} [info] */
  constructor(message, info = {}) {
    super(message);
    this.name = 'ToolError';
    this.code = info.code ?? 'tool-error';
  }
}

/**
 * Runs `cmd args…` and collects its output.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{cwd?: string, input?: string|Buffer, maxBytes?: number, env?: NodeJS.ProcessEnv}} [opts]
 * @returns {Promise<{code: number|null, stdout: Buffer, stderr: string}>}
 */
export function run(cmd, args, opts = {}) {
  const max = opts.maxBytes ?? MAX_OUTPUT_BYTES;
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      reject(notFound(cmd, e));
      return;
    }
    const chunks = [];
    let size = 0;
    let stderr = '';
    let tooLarge = false;
    child.stdout.on('data', (d) => {
      size += d.length;
      if (size > max) {
        tooLarge = true;
        child.kill('SIGKILL');
      } else chunks.push(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    child.on('error', (e) => reject(notFound(cmd, e)));
    child.on('close', (code) => {
      if (tooLarge)
        reject(new ToolError(`${cmd} ${args[0]} printed more than ${max} bytes`, { code: 'input-too-large' }));
      else resolve({ code, stdout: Buffer.concat(chunks), stderr });
    });
    child.stdin.on('error', () => {}); // a child that exits early closes its stdin
    child.stdin.end(opts.input);
  });
}

function notFound(cmd, e) {
  if (e?.code === 'ENOENT') return new ToolError(`${cmd} not found on PATH`, { code: 'tool-not-found' });
  return new ToolError(`cannot run ${cmd} (${e?.code ?? e?.message ?? e})`);
}

/** The first non-empty line of a tool's stderr, without its `error: ` prefix. */
export function firstLine(stderr) {
  const line =
    String(stderr)
      .split('\n')
      .find((l) => l.trim() !== '') ?? '';
  return line.replace(/^(error|fatal): /, '').trim();
}
