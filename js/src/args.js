// Command-line flags the way kubectl users type them. Browser-safe.
//
// `--flag value`, `--flag=value`, `-o json`, `-o=json`, `-ojson`, `--bool`,
// `--bool=true|false`, `--` ends the flags, `-` is a positional (stdin).
// Any problem is one short line; a flag's value is never echoed (it could be
// a token).

export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * @typedef {{type: 'string'|'boolean', short?: string, multiple?: boolean}} FlagSpec
 * @param {string[]} argv
 * @param {Record<string, FlagSpec>} spec
 * @returns {{values: Record<string, any>, positionals: string[], dashdash: string[]|null}}
 *   `dashdash`: what followed `--` (also appended to `positionals`), or null
 */
export function parseArgv(argv, spec) {
  const byShort = new Map();
  for (const [name, o] of Object.entries(spec)) if (o.short) byShort.set(o.short, name);
  const values = {};
  const positionals = [];
  let dashdash = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      dashdash = argv.slice(i + 1);
      positionals.push(...dashdash);
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    let name;
    let shown;
    let inline;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      shown = `--${name}`;
      if (!Object.hasOwn(spec, name)) name = undefined;
    } else {
      shown = arg.slice(0, 2);
      name = byShort.get(arg[1]);
      const rest = arg.slice(2);
      if (rest.startsWith('=')) inline = rest.slice(1);
      else if (rest !== '') inline = rest;
    }
    if (name === undefined) throw new UsageError(`unknown flag ${shown}`);
    const o = spec[name];
    let value;
    if (o.type === 'boolean') {
      if (inline === undefined || inline === 'true') value = true;
      else if (inline === 'false') value = false;
      else throw new UsageError(`${shown} takes no value (or =true, =false)`);
    } else if (inline !== undefined) {
      value = inline;
    } else {
      if (i + 1 >= argv.length) throw new UsageError(`${shown} needs a value`);
      value = argv[++i];
    }
    if (o.multiple) (values[name] ??= []).push(value);
    else values[name] = value;
  }
  return { values, positionals, dashdash };
}
