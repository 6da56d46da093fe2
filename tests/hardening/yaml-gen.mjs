// A seeded generator of odd manifests (YAML and JSON), for differential
// tests of the reader against kubectl. Each case is one file holding a
// ConfigMap named c<index> whose body mixes YAML 1.1 corner cases: tricky
// scalars, quoting and escapes, block scalars, flow collections, anchors,
// aliases and merge keys, then 0-2 inserted characters (line breaks NEL,
// LS, PS and CR LF, tabs, indicators, a BOM, BEL, non-ASCII).

export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
}

const SCALARS = ['E1', 'e2', '1e400', 'yes', 'no', 'on', '~', 'null', '0x1F', '0o17', '017', '08', '1_000', '.5', '+1', '-.inf', '2001-12-14', '1:20',
  '0b101', 'true', '<<', 'a b', 'a:b', 'a: b', 'x#y', 'x #y', '"q"', "'s'", '"a\\x41\\u00e9\\N\\L\\_"', '"bad\\q"', "'it''s'", '!!str 1', '!!int "12"',
  '!!binary aGVsbG8=', '! 12', '-', '?', '%x', '@x', '`x', '[a, b]', '{a: 1}', '&a1 v', '*a1', 'abc', 'k: v', '-x', ': x', 'x:', '"multi\n  line"',
  "'multi\n\n  line'", 'plain\n  cont', '1e5', '918743607e203882', '"\\u2028"', '0.1', '-0', '+.5'];
const NOISE = ['\u2028', '\u2029', '\x85', '\t', ' ', '\n', ':', '#', '-', '?', '"', "'", '\\', '\uFEFF', '\x07', '\r\n', '\r', '%', '---', '...', '&z', '*z',
  '!', '|', '>', '[', ']', '{', '}', ',', '\xA0', '\u00e9', '😀'];

export function yamlCases(seed, n) {
  const rnd = rng(seed);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const scalar = (ind) => pick(SCALARS).replace(/\n/g, `\n${' '.repeat(ind)}`);
  const node = (depth, ind) => {
    const r = rnd();
    const pad = (k) => ' '.repeat(k);
    if (depth > 3 || r < 0.45) return ` ${scalar(ind + 2)}`;
    if (r < 0.6) {
      let out = rnd() < 0.2 ? ` &m${depth}` : '';
      for (let i = 0, k = 1 + Math.floor(rnd() * 3); i < k; i++) out += `\n${pad(ind + 2)}${pick(['k', 'a', 'E1', 'yes', '1', '"q"', '<<', 'x y'])}${i}:${node(depth + 1, ind + 2)}`;
      return out;
    }
    if (r < 0.72) {
      let out = '';
      for (let i = 0, k = 1 + Math.floor(rnd() * 3); i < k; i++) out += `\n${pad(ind + (rnd() < 0.3 ? 0 : 2))}-${node(depth + 1, ind + 2)}`;
      return out;
    }
    if (r < 0.8) return ` {${['a: 1', 'b: [x, y]', `c: ${pick(SCALARS.filter((s) => !s.includes('\n')))}`, 'd', '? e : f'].slice(0, 1 + Math.floor(rnd() * 5)).join(', ')}}`;
    if (r < 0.86) return ` [${['1', 'x', '{a: b}', 'k: v', '"s"'].slice(0, 1 + Math.floor(rnd() * 5)).join(', ')}]`;
    if (r < 0.94) {
      const i2 = ind + 2;
      return ` ${pick(['|', '>', '|-', '>+', '|2', '>-1', '|+'])}\n${pad(i2)}line one\n${pad(i2 + (rnd() < 0.3 ? 2 : 0))}line two\n${rnd() < 0.3 ? '\n' : ''}${pad(i2)}end`;
    }
    return pick([' *m1', ' *m2', ' *nope', `\n${pad(ind + 2)}<<: *m1`, ' !!map {a: 1}']);
  };
  const cases = [];
  for (let i = 0; i < n; i++) {
    let body = `x:${node(0, 0)}\ny${i}: end\n`;
    for (let j = 0, k = Math.floor(rnd() * rnd() * 3); j < k; j++) {
      const p = Math.floor(rnd() * body.length);
      body = body.slice(0, p) + pick(NOISE) + body.slice(p);
    }
    cases.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n${body}`);
  }
  return cases;
}

/** JSON manifests: odd numbers, escapes, streams, and a few broken ones. */
export function jsonCases(seed, n) {
  const rnd = rng(seed);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const VALUES = ['1', '-0', '1.0', '1e5', '1E+2', '1e400', '-1e400', '1e-400', '9007199254740993', '18446744073709551616', '"\\ud800"', '"\\udc00x"',
    '"\\ud83d\\ude00"', '"a\\/b"', '"\\u0000"', 'true', 'null', '[]', '{}', '[1, [2, {"a": "b"}]]', '"\u2028"', '01', '.5', '"\\x41"', '+1', 'NaN'];
  const cases = [];
  for (let i = 0; i < n; i++) {
    const obj = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c${i}"}, "v": ${pick(VALUES)}, "w": {"k": ${pick(VALUES)}}}`;
    cases.push(rnd() < 0.2 ? `${obj}\n{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c${i}b"}}` : obj);
  }
  return cases;
}

/**
 * Words joined by YAML 1.1's line breaks (LS, PS, NEL, CR LF, CR, LF) and
 * indentation, in every scalar style and as a key (issue 16 item 1).
 */
export function lineBreakCases(seed, n) {
  const rnd = rng(seed);
  const pick = (a) => a[Math.floor(rnd() * a.length)];
  const BREAKS = ['\u2028', '\u2029', '\x85', '\r\n', '\n', '\r', '\n\n', '\u2028\u2028', '\x85\n', '\t', ' \u2028 ', '\u2029  '];
  const WORDS = ['a', 'b c', 'd', "e'f", 'g"h', 'i\\j', '#k', ':l', '-m', 'n: o', '  p'];
  const cases = [];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => pick(WORDS));
    const text = words.reduce((s, w, j) => (j ? s + pick(BREAKS) + ' '.repeat(Math.floor(rnd() * 5)) + w : w), '');
    const v = {
      plain: () => `x: ${text}`,
      dq: () => `x: "${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
      sq: () => `x: '${text.replace(/'/g, "''")}'`,
      literal: () => `x: ${pick(['|', '|-', '|+', '|2'])}\n  ${text}`,
      folded: () => `x: ${pick(['>', '>-', '>+'])}\n  ${text}`,
      flow: () => `x: [${text}, z]`,
      key: () => `${text}: x`,
    }[pick(['plain', 'dq', 'sq', 'literal', 'folded', 'flow', 'key'])]();
    cases.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n${v}\ny: ${pick(['1', 'end'])}\n`);
  }
  return cases;
}
