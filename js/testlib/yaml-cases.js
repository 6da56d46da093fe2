// How kubectl reads tricky YAML, derived from the sources it runs:
//   GY  = go-yaml v2 (github.com/go-yaml/yaml, branch v2 at 7649d4548cb5, = v2.4.0,
//         the base of go.yaml.in/yaml/v2 that sigs.k8s.io/yaml uses)
//   SY  = sigs.k8s.io/yaml yaml.go (github.com/kubernetes-sigs/yaml at aadfabb7d369)
// Each row cites the lines it follows. js/test/yaml.test.js checks the
// reader against this table; tests/hardening/kubectl-yaml.test.mjs checks
// the table itself against the real kubectl.
//
// `value`: what `v: TEXT` reads as (ERROR: the document is refused).
// `key`: the JSON key `{TEXT: k}` becomes (ERROR: refused); absent when the
// text cannot be a flow key as written.

export const ERROR = Symbol('error');

const cite = {
  str: 'GY resolve.go:116-196: no resolve hint for the first byte, or no rule matched: a string',
  bool: 'GY resolve.go:37-42 resolveMapList: YAML 1.1 booleans; SY yaml.go:240-245 bool keys "true"/"false"',
  null: 'GY resolve.go:43 null spellings; SY yaml.go:246-248 a null key is "unsupported map key"',
  int: 'GY resolve.go:150-157 ParseInt(plain, 0, 64) after removing "_" (0x, 0o, 0b, leading-0 octal); SY yaml.go:220 strconv.Itoa',
  uint: 'GY resolve.go:159-162 ParseUint; SY yaml.go:246-248 a uint64 key is "unsupported map key"',
  float: "GY resolve.go:163-167 yamlStyleFloat then ParseFloat; SY yaml.go:230-236 keys as FormatFloat(f, 'g', -1, 32)",
  floatRange: 'GY resolve.go:163-167 ParseFloat fails (out of range): falls through to a string at :196',
  dot: 'GY resolve.go:132-137 a leading "." tries ParseFloat(in) (Go float syntax, "_" between digits)',
  special:
    'GY resolve.go:44-47 .inf/.nan are floats; SY yaml.go:174 json.Marshal refuses NaN and ±Inf as values; SY yaml.go:230-236 keys ".inf"/"-.inf"/".nan"',
  timestamp: 'GY resolve.go:143-148 + decode.go:474-480 a timestamp into interface{} stays its text',
  octalFloat: 'GY resolve.go:151 ParseInt("08", 0) fails (octal), :163 yamlStyleFloat matches, ParseFloat gives 8',
  merge: 'GY resolve.go:48 "<<" as a value resolves to the merge tag, kept as the string "<<" (decode.go:482)',
  tag: 'GY resolve.go:76-83 resolvableTag, :91-110 a tag the value does not fit fails; decode.go:416-425 !!binary is base64-decoded',
  quoted: 'GY decode.go:414 a quoted scalar (not implicit) is a string',
};

/** @type {{text: string, value: any, key?: any, why: string}[]} */
export const SCALARS = [
  { text: 'E1', value: 'E1', key: 'E1', why: cite.str },
  { text: 'e2', value: 'e2', key: 'e2', why: cite.str },
  { text: 'E5', value: 'E5', key: 'E5', why: cite.str },
  { text: '1e400', value: '1e400', key: '1e400', why: cite.floatRange },
  { text: '918743607e203882', value: '918743607e203882', key: '918743607e203882', why: cite.floatRange },
  { text: '1e5', value: 100000, key: '100000', why: cite.float },
  { text: '1e6', value: 1000000, key: '1e+06', why: cite.float },
  { text: '3.14159265358979', value: 3.14159265358979, key: '3.1415927', why: cite.float },
  { text: '1e300', value: 1e300, key: '.inf', why: `${cite.float} (1e300 overflows float32)` },
  { text: '0.1e-3', value: 0.0001, key: '0.0001', why: cite.float },
  { text: '1.', value: 1, key: '1', why: cite.float },
  { text: '+.5', value: 0.5, key: '0.5', why: cite.float },
  { text: '.5', value: 0.5, key: '0.5', why: cite.dot },
  { text: '.5_5', value: 0.55, key: '0.55', why: cite.dot },
  { text: '._5', value: '._5', key: '._5', why: cite.dot },
  { text: '.', value: '.', key: '.', why: cite.dot },
  { text: 'yes', value: true, key: 'true', why: cite.bool },
  { text: 'no', value: false, key: 'false', why: cite.bool },
  { text: 'on', value: true, key: 'true', why: cite.bool },
  { text: 'off', value: false, key: 'false', why: cite.bool },
  { text: 'y', value: true, key: 'true', why: cite.bool },
  { text: 'n', value: false, key: 'false', why: cite.bool },
  { text: 'Y', value: true, key: 'true', why: cite.bool },
  { text: 'NO', value: false, key: 'false', why: cite.bool },
  { text: 'True', value: true, key: 'true', why: cite.bool },
  { text: 'tRue', value: 'tRue', key: 'tRue', why: cite.str },
  { text: '~', value: null, key: ERROR, why: cite.null },
  { text: 'null', value: null, key: ERROR, why: cite.null },
  { text: 'Null', value: null, key: ERROR, why: cite.null },
  { text: 'NULL', value: null, key: ERROR, why: cite.null },
  { text: '0x1F', value: 31, key: '31', why: cite.int },
  { text: '-0x1F', value: -31, key: '-31', why: cite.int },
  { text: '0o17', value: 15, key: '15', why: cite.int },
  { text: '017', value: 15, key: '15', why: cite.int },
  { text: '0b101', value: 5, key: '5', why: cite.int },
  { text: '-0b101', value: -5, key: '-5', why: cite.int },
  { text: '1_000', value: 1000, key: '1000', why: cite.int },
  { text: '1__0', value: 10, key: '10', why: cite.int },
  { text: '+1', value: 1, key: '1', why: cite.int },
  { text: '-0', value: 0, key: '0', why: cite.int },
  { text: '0x', value: '0x', key: '0x', why: `${cite.int}: "0x" alone is not a number` },
  { text: '0b', value: '0b', key: '0b', why: `${cite.int}: "0b" alone is not a number` },
  { text: '08', value: 8, key: '8', why: cite.octalFloat },
  { text: '09', value: 9, key: '9', why: cite.octalFloat },
  {
    text: '9223372036854775807',
    value: 9223372036854775807,
    key: '9223372036854775807',
    why: `${cite.int} (the value loses precision in JavaScript; the key is exact)`,
  },
  { text: '9223372036854775808', value: 9223372036854775808, key: ERROR, why: cite.uint },
  {
    text: '18446744073709551616',
    value: 18446744073709551616,
    key: '1.8446744e+19',
    why: `${cite.float} (beyond uint64)`,
  },
  { text: '.inf', value: ERROR, key: '.inf', why: cite.special },
  { text: '+.inf', value: ERROR, key: '.inf', why: cite.special },
  { text: '-.inf', value: ERROR, key: '-.inf', why: cite.special },
  { text: '.NaN', value: ERROR, key: '.nan', why: cite.special },
  { text: '-.nan', value: '-.nan', key: '-.nan', why: `${cite.str} (only ".nan", ".NaN", ".NAN" are NaN)` },
  { text: '2001-12-14', value: '2001-12-14', key: '2001-12-14', why: cite.timestamp },
  { text: '2001-12-14t21:59:43.10-05:00', value: '2001-12-14t21:59:43.10-05:00', why: cite.timestamp },
  { text: '1:20', value: '1:20', why: `${cite.str} (go-yaml has no sexagesimal numbers)` },
  { text: '<<', value: '<<', why: cite.merge },
  { text: '"yes"', value: 'yes', key: 'yes', why: cite.quoted },
  { text: "'017'", value: '017', key: '017', why: cite.quoted },
  { text: '!!str 1', value: '1', key: '1', why: cite.tag },
  { text: '!!int "12"', value: 12, key: '12', why: cite.tag },
  { text: '!!int abc', value: ERROR, key: ERROR, why: cite.tag },
  {
    text: '!!float 3',
    value: 3,
    key: '3',
    why: `${cite.tag}; an !!int under !!float becomes a float64 (resolve.go:95-105)`,
  },
  {
    text: '!!float 18446744073709551615',
    value: ERROR,
    why: `${cite.tag}; a uint64 is not converted (resolve.go:95-105 handles int and int64 only)`,
  },
  { text: '!!bool yes', value: true, key: 'true', why: cite.tag },
  { text: '!!null ""', value: null, key: ERROR, why: cite.tag },
  { text: '!!binary aGVsbG8=', value: 'hello', key: 'hello', why: cite.tag },
  {
    text: '!!binary /w==',
    value: '\ufffd',
    key: '\ufffd',
    why: `${cite.tag}; json.Marshal writes an invalid UTF-8 byte as U+FFFD`,
  },
  { text: '!!binary a', value: ERROR, why: `${cite.tag}: "!!binary value contains invalid base64 data"` },
  {
    text: '!foo bar',
    value: 'bar',
    key: 'bar',
    why: `${cite.tag}: an unknown tag is not resolvable, the text stays a string`,
  },
  {
    text: '! 12',
    value: '12',
    key: '12',
    why: `${cite.tag}: the non-specific tag "!" keeps the text (parserc.go plain_implicit, resolve.go:76-83)`,
  },
];

const LS = '\u2028';
const PS = '\u2029';
const NEL = '\x85';

/**
 * Whole documents (issue 16 item 1: YAML 1.1's extra line breaks). `want`
 * is the object kubectl reads, or ERROR.
 * @type {{name: string, text: string, want: any, why: string}[]}
 */
export const DOCUMENTS = [
  {
    name: 'NEL in a double-quoted scalar folds to a space',
    text: `a: "x${NEL}y"\n`,
    want: { a: 'x y' },
    why: 'GY scannerc.go:553-555 read_line turns NEL into "\\n"; :2531-2543 a single "\\n" break folds to " "',
  },
  {
    name: 'LS in a single-quoted scalar is kept, the indentation after it dropped',
    text: `b: 'c${LS}    d'\n`,
    want: { b: `c${LS}d` },
    why: 'GY scannerc.go:557-559 read_line keeps LS/PS; :2531-2543 only a "\\n" break folds, others are kept; leading blanks are skipped',
  },
  {
    name: 'PS in a double-quoted scalar is kept',
    text: `c: "e${PS}f"\n`,
    want: { c: `e${PS}f` },
    why: 'GY scannerc.go:557-559, :2531-2543',
  },
  {
    name: 'LS in a plain scalar continues it, kept',
    text: `d: e${LS}  f\n`,
    want: { d: `e${LS}f` },
    why: 'GY scannerc.go:2616-2630 plain scalar folding: a non-"\\n" leading break is kept',
  },
  {
    name: 'LS in a block mapping starts a new line: a new key',
    text: `e: g${LS}h: 1\n`,
    want: { e: 'g', h: 1 },
    why: 'GY yamlprivateh.go:102-109 is_break (CR, LF, NEL, LS, PS) ends the line; the next key starts at column 0',
  },
  {
    name: 'PS inside a literal block scalar is a line break, kept',
    text: `f: |\n  i${PS}  j\n`,
    want: { f: `i${PS}j\n` },
    why: 'GY scannerc.go:2198-2230 block scalar: the break is read_line (PS kept), the next line is indented content',
  },
  {
    name: 'NEL ends a comment',
    text: `g: 1 # note${NEL}h: 2\n`,
    want: { g: 1, h: 2 },
    why: 'GY scannerc.go:1471-1489 a comment runs to is_breakz; NEL is a break',
  },
  {
    name: 'CR LF in a double-quoted scalar folds like LF',
    text: 'i: "x\r\n  y"\r\n',
    want: { i: 'x y' },
    why: 'GY scannerc.go:543-548 read_line: CR LF is one "\\n"',
  },
  {
    name: 'a tab where indentation is expected in a block scalar is refused',
    text: 'j: |\n\tk\n',
    want: ERROR,
    why: 'GY scannerc.go:2281-2284 "found a tab character where an indentation space is expected"',
  },
  {
    name: 'a key longer than 1024 characters is refused',
    text: `${'k'.repeat(1025)}: v\n`,
    want: ERROR,
    why: 'GY scannerc.go:835-841 a simple key ends within 1024 characters ("could not find expected \':\'")',
  },
  {
    name: 'a key of exactly 1024 characters is read',
    text: `${'k'.repeat(1024)}: v\n`,
    want: { ['k'.repeat(1024)]: 'v' },
    why: 'GY scannerc.go:835 (index+1024 < mark.index fails only past 1024)',
  },
  {
    name: '%YAML 1.2 is refused',
    text: '%YAML 1.2\n---\na: 1\n',
    want: ERROR,
    why: 'GY parserc.go:1032-1035 "found incompatible YAML document" for any %YAML version but 1.1',
  },
  {
    name: 'a merge key merges in order: a later key overrides, the merged value overrides an earlier key',
    text: 'base: &b {p: 1, q: 2}\nm:\n  p: 0\n  <<: *b\n  q: 3\n',
    want: { base: { p: 1, q: 2 }, m: { p: 1, q: 3 } },
    why: 'GY decode.go:660-680 mapping: merges and keys are set in document order (SetMapIndex overwrites, :690)',
  },
  {
    name: 'in a merge list the earlier map wins',
    text: 'a: &a {k: 1}\nb: &b {k: 2, l: 2}\nm:\n  <<: [*a, *b]\n',
    want: { a: { k: 1 }, b: { k: 2, l: 2 }, m: { k: 1, l: 2 } },
    why: 'GY decode.go:796-808 a merge sequence is merged last to first',
  },
  {
    name: 'BEL is refused',
    text: 'a: "x\x07y"\n',
    want: ERROR,
    why: 'GY readerc.go:346-358 only printable characters: "control characters are not allowed"',
  },
  {
    name: 'DEL is refused',
    text: 'a: x\x7Fy\n',
    want: ERROR,
    why: 'GY readerc.go:346-358',
  },
  {
    name: 'an unknown escape is refused',
    text: 'a: "\\q"\n',
    want: ERROR,
    why: 'GY scannerc.go:2425-2428 "found unknown escape character"',
  },
  {
    name: 'an escaped single quote in double quotes is read',
    text: `a: "it\\'s"\n`,
    want: { a: "it's" },
    why: "GY scannerc.go:2401-2402 \\' is an escape in go-yaml",
  },
];
