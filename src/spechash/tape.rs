//! A borrowed JSON tree for the spec-hash printer: every value in one flat
//! `Vec`, strings borrowed from the input where they have no escapes, no
//! per-object hash map. Built from a `serde_json::Value` (the plan's path:
//! no clone) or parsed straight from request text (the module's `specHash`
//! path: no `Value` at all). The parser only takes the plain case — it
//! returns `None` on anything that needs the reference reader's judgement
//! (invalid JSON, a repeated key, a lone surrogate escape, a number that is
//! not a plain integer, deep nesting), and the caller then reads the text
//! with [`crate::read::read_json`] instead.

use serde_json::Value;
use std::borrow::Cow;

/// One JSON value. Numbers are held as serde_json holds them.
#[derive(Debug, Clone, PartialEq)]
pub enum J<'a> {
    Null,
    Bool(bool),
    Pos(u64),
    Neg(i64),
    Float(f64),
    Str(Cow<'a, str>),
    /// The items are `nodes[start..start + len]`.
    Arr(u32, u32),
    /// The members' values are `nodes[start..start + len]`, their keys
    /// `keys[start..start + len]`.
    Obj(u32, u32),
}

impl J<'_> {
    pub fn int(i: i64) -> Self {
        u64::try_from(i).map_or(J::Neg(i), J::Pos)
    }
}

#[derive(Debug, Default)]
pub struct Tape<'a> {
    nodes: Vec<J<'a>>,
    /// Member keys, parallel to `nodes` (empty for array items).
    keys: Vec<Cow<'a, str>>,
}

/// A value inside a tape.
#[derive(Clone, Copy)]
pub struct Node<'t> {
    tape: &'t Tape<'t>,
    i: usize,
}

impl<'t> Node<'t> {
    pub fn j(self) -> &'t J<'t> {
        self.tape.nodes.get(self.i).unwrap_or(&J::Null)
    }

    fn block(self, start: u32, len: u32) -> std::ops::Range<usize> {
        let s = start as usize;
        s..s + len as usize
    }

    /// Its position in the tape.
    pub fn index(self) -> usize {
        self.i
    }

    /// The value at `index` of the same tape.
    pub fn at(self, index: usize) -> Node<'t> {
        Node { tape: self.tape, i: index }
    }

    /// Array items (empty for anything else).
    pub fn items(self) -> impl Iterator<Item = Node<'t>> {
        let r = match self.j() {
            J::Arr(s, n) => self.block(*s, *n),
            _ => 0..0,
        };
        let tape = self.tape;
        r.map(move |i| Node { tape, i })
    }

    /// Object members in input order (empty for anything else).
    pub fn members(self) -> impl Iterator<Item = (&'t str, Node<'t>)> {
        let r = match self.j() {
            J::Obj(s, n) => self.block(*s, *n),
            _ => 0..0,
        };
        let tape = self.tape;
        r.map(move |i| (tape.keys.get(i).map_or("", |k| k.as_ref()), Node { tape, i }))
    }

    /// A member by key (a tape never holds a repeated key).
    pub fn member(self, k: &str) -> Option<Node<'t>> {
        let J::Obj(s, n) = self.j() else { return None };
        let r = self.block(*s, *n);
        let keys = self.tape.keys.get(r.clone())?;
        let at = keys.iter().position(|key| key == k)?;
        Some(Node { tape: self.tape, i: r.start + at })
    }

    /// The value as a `serde_json::Value` (a copy).
    pub fn to_value(self) -> Value {
        match self.j() {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Pos(u) => Value::from(*u),
            J::Neg(i) => Value::from(*i),
            J::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            J::Str(s) => Value::String(s.to_string()),
            J::Arr(..) => Value::Array(self.items().map(Node::to_value).collect()),
            J::Obj(..) => Value::Object(self.members().map(|(k, v)| (k.to_owned(), v.to_value())).collect()),
        }
    }

    pub fn as_str(self) -> Option<&'t str> {
        match self.j() {
            J::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'a> Tape<'a> {
    /// The root: the last value added.
    pub fn root(&self) -> Node<'_> {
        Node { tape: self, i: self.nodes.len().saturating_sub(1) }
    }

    /// One value at the end (and its key; `""` for an array item).
    fn push(&mut self, k: Cow<'a, str>, v: J<'a>) {
        self.keys.push(k);
        self.nodes.push(v);
    }

    /// The block from `start` to the end.
    fn since(&self, start: usize) -> (u32, u32) {
        (start as u32, (self.nodes.len() - start) as u32)
    }

    /// An object of `members` (their values already built, taken from the
    /// slice), to be used as a value.
    pub fn obj(&mut self, members: &mut [(&'static str, J<'a>)]) -> J<'a> {
        let start = self.nodes.len();
        for (k, v) in members.iter_mut() {
            self.push(Cow::Borrowed(*k), std::mem::replace(v, J::Null));
        }
        let (s, n) = self.since(start);
        J::Obj(s, n)
    }

    /// An array of non-negative integers.
    pub fn uints(&mut self, items: &[u64]) -> J<'a> {
        let start = self.nodes.len();
        for &u in items {
            self.push(Cow::Borrowed(""), J::Pos(u));
        }
        let (s, n) = self.since(start);
        J::Arr(s, n)
    }

    /// Makes `j` the root.
    pub fn finish(mut self, j: J<'a>) -> Self {
        self.keys.push(Cow::Borrowed(""));
        self.nodes.push(j);
        self
    }

    /// The tree of a `Value`, borrowing its strings.
    pub fn from_value(v: &'a Value) -> Self {
        let mut t = Tape::default();
        let j = t.add(v);
        t.finish(j)
    }

    fn add(&mut self, v: &'a Value) -> J<'a> {
        // Each container's block is reserved first, then filled as its
        // children (whose own blocks follow) are built.
        let fill = |t: &mut Self, start: usize, i: usize, j: J<'a>| {
            if let Some(slot) = t.nodes.get_mut(start + i) {
                *slot = j;
            }
        };
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => J::Pos(u),
                (None, Some(i)) => J::Neg(i),
                _ => J::Float(n.as_f64().unwrap_or_default()),
            },
            Value::String(s) => J::Str(Cow::Borrowed(s)),
            Value::Array(items) => {
                let start = self.nodes.len();
                for _ in items {
                    self.push(Cow::Borrowed(""), J::Null);
                }
                let (s, n) = self.since(start);
                for (i, item) in items.iter().enumerate() {
                    let j = self.add(item);
                    fill(self, s as usize, i, j);
                }
                J::Arr(s, n)
            }
            Value::Object(m) => {
                let start = self.nodes.len();
                for k in m.keys() {
                    self.push(Cow::Borrowed(k.as_str()), J::Null);
                }
                let (s, n) = self.since(start);
                for (i, item) in m.values().enumerate() {
                    let j = self.add(item);
                    fill(self, s as usize, i, j);
                }
                J::Obj(s, n)
            }
        }
    }

    /// Parses `text` when it is plain JSON (see the module docs); `None`
    /// sends the caller to the reference reader.
    pub fn parse(text: &'a str) -> Option<Self> {
        // About one value per 12 bytes of compact JSON.
        let cap = text.len() / 12;
        let t = Tape { nodes: Vec::with_capacity(cap), keys: Vec::with_capacity(cap) };
        let mut p = Parser { s: text, b: text.as_bytes(), i: 0, t, stack: Vec::with_capacity(64) };
        let j = p.value(0)?;
        p.ws();
        (p.i == p.b.len()).then(|| p.t.finish(j))
    }
}

/// Nesting past this is left to the reference reader (which stops at 128).
const MAX_NESTING: usize = 100;

struct Parser<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    t: Tape<'a>,
    /// Members of the containers being read; each block moves to the tape
    /// when its container closes, so children sit side by side.
    stack: Vec<(Cow<'a, str>, J<'a>)>,
}

impl<'a> Parser<'a> {
    #[inline(always)]
    fn ws(&mut self) {
        while matches!(self.b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    /// Skips whitespace, then takes `c` if it is next.
    #[inline(always)]
    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.b.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    fn value(&mut self, depth: usize) -> Option<J<'a>> {
        self.ws();
        let c = *self.b.get(self.i)?;
        match c {
            b'"' => self.string().map(J::Str),
            b'{' | b'[' if depth < MAX_NESTING => self.container(c == b'{', depth + 1),
            b't' => self.literal("true", J::Bool(true)),
            b'f' => self.literal("false", J::Bool(false)),
            b'n' => self.literal("null", J::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &str, j: J<'a>) -> Option<J<'a>> {
        self.b.get(self.i..)?.starts_with(word.as_bytes()).then(|| {
            self.i += word.len();
            j
        })
    }

    /// A plain integer as serde_json reads it (non-negative: u64, negative:
    /// i64); fractions, exponents, `-0` and overflow are left to it.
    fn number(&mut self) -> Option<J<'a>> {
        let neg = self.b.get(self.i) == Some(&b'-');
        self.i += usize::from(neg);
        let start = self.i;
        let mut n: u64 = 0;
        while let Some(d @ b'0'..=b'9') = self.b.get(self.i).copied() {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.i += 1;
        }
        let digits = self.i - start;
        let leading_zero = digits > 1 && self.b.get(start) == Some(&b'0');
        if digits == 0 || leading_zero || matches!(self.b.get(self.i), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        if !neg {
            return Some(J::Pos(n));
        }
        (n != 0).then_some(())?;
        // -(2^63) is the one magnitude past i64::MAX that fits.
        i64::try_from(n).map(|v| -v).ok().or((n == 1 << 63).then_some(i64::MIN)).map(J::Neg)
    }

    /// A string at `"`: borrowed when it has no escapes.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        self.i += stop(self.b.get(start..)?)?;
        match *self.b.get(self.i)? {
            b'"' => {
                let s = self.s.get(start..self.i)?;
                self.i += 1;
                return Some(Cow::Borrowed(s));
            }
            b'\\' => {}
            _ => return None,
        }
        let mut out = String::from(self.s.get(start..self.i)?);
        loop {
            let run = self.i;
            self.i += stop(self.b.get(run..)?)?;
            out.push_str(self.s.get(run..self.i)?);
            match *self.b.get(self.i)? {
                b'"' => {
                    self.i += 1;
                    return Some(Cow::Owned(out));
                }
                b'\\' => {
                    let e = *self.b.get(self.i + 1)?;
                    self.i += 2;
                    out.push(match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                _ => return None,
            }
        }
    }

    /// After `\u`: the character, with a surrogate pair joined; a lone
    /// surrogate is the reference reader's business (Go makes it U+FFFD).
    fn unicode_escape(&mut self) -> Option<char> {
        let hex4 = |p: &mut Self| -> Option<u32> {
            let mut v = 0;
            for &c in p.b.get(p.i..p.i + 4)? {
                v = v * 16 + char::from(c).to_digit(16)?;
            }
            p.i += 4;
            Some(v)
        };
        let hi = hex4(self)?;
        if !(0xD800..0xE000).contains(&hi) {
            return char::from_u32(hi);
        }
        if hi >= 0xDC00 || self.b.get(self.i..self.i + 2) != Some(b"\\u") {
            return None;
        }
        self.i += 2;
        let lo = hex4(self)?;
        if !(0xDC00..0xE000).contains(&lo) {
            return None;
        }
        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
    }

    fn container(&mut self, object: bool, depth: usize) -> Option<J<'a>> {
        self.i += 1;
        let mark = self.stack.len();
        let close = if object { b'}' } else { b']' };
        if !self.eat(close) {
            loop {
                let key = if object {
                    self.ws();
                    if self.b.get(self.i) != Some(&b'"') {
                        return None;
                    }
                    let k = self.string()?;
                    if !self.eat(b':') {
                        return None;
                    }
                    k
                } else {
                    Cow::Borrowed("")
                };
                let v = self.value(depth)?;
                self.stack.push((key, v));
                if self.eat(close) {
                    break;
                }
                if !self.eat(b',') {
                    return None;
                }
            }
        }
        let members = self.stack.get(mark..)?;
        if object && has_repeated_key(members) {
            return None;
        }
        let start = self.t.nodes.len();
        for (k, v) in self.stack.drain(mark..) {
            self.t.push(k, v);
        }
        let (s, n) = self.t.since(start);
        Some(if object { J::Obj(s, n) } else { J::Arr(s, n) })
    }
}

/// Where a string's plain run ends: the first `"`, `\\` or control
/// character, found 8 bytes at a time (each test flags a byte exactly when
/// no lower byte of the word is flagged, so the lowest flag is exact).
fn stop(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = 0;
    for chunk in b.chunks_exact(8) {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?);
        let (q, s) = (x ^ (ONES * 0x22), x ^ (ONES * 0x5c));
        let m = ((q.wrapping_sub(ONES) & !q) | (s.wrapping_sub(ONES) & !s) | (x.wrapping_sub(ONES * 0x20) & !x)) & HIGH;
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    b.get(at..)?.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).map(|p| at + p)
}

/// Go merges a repeated member into the first (see `crate::read`): the
/// reference reader does that.
fn has_repeated_key(members: &[(Cow<str>, J)]) -> bool {
    if members.len() <= 16 {
        // Length and first and last byte first: most pairs differ there.
        let mut sigs = [0u32; 16];
        for (s, (k, _)) in sigs.iter_mut().zip(members) {
            let b = |i: usize| u32::from(k.as_bytes().get(i).copied().unwrap_or_default());
            *s = (k.len() as u32) << 16 | b(0) << 8 | b(k.len().wrapping_sub(1));
        }
        for i in 1..members.len() {
            for j in 0..i {
                if sigs.get(i) == sigs.get(j) && members.get(i).map(|m| &m.0) == members.get(j).map(|m| &m.0) {
                    return true;
                }
            }
        }
        return false;
    }
    let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_ref()).collect();
    let order = crate::order::stable_order(&keys);
    order.windows(2).any(|w| matches!(w, [a, b] if keys.get(*a) == keys.get(*b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_json_is_read_as_serde_json_reads_it() {
        let text = r#" {"a": [1, -2, 18446744073709551615, -9223372036854775808, true, null],
            "b\n": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "c": {}, "d": [], "e": ""} "#;
        let t = Tape::parse(text).unwrap();
        assert_eq!(t.root().to_value(), serde_json::from_str::<Value>(text).unwrap());
        assert!(matches!(t.root().member("e").map(Node::j), Some(J::Str(Cow::Borrowed("")))));
    }

    #[test]
    fn the_stop_scan_finds_the_first_stop_at_every_offset() {
        for len in 0..20 {
            for at in 0..=len {
                for stop_byte in [b'"', b'\\', 0, 0x1f] {
                    let mut b: Vec<u8> = (0..len).map(|i| [b'a', 0x20, 0x7f, 0x80, 0xff, b'!'][i % 6]).collect();
                    let want = (at < len).then(|| {
                        b[at] = stop_byte;
                        // A later stop must not hide the first.
                        if at + 2 < len {
                            b[at + 2] = b'"';
                        }
                        at
                    });
                    assert_eq!(stop(&b), want, "{b:?}");
                }
            }
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_reference_reader() {
        for text in [
            "",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "[1 2]",
            "{} x",
            "\u{feff}{}",
            "1.0",
            "1e3",
            "-0",
            "01",
            "-",
            "18446744073709551616",
            "-9223372036854775809",
            "\"\\ud800\"",
            "\"\\udc00\\ud800\"",
            "\"\\ud800x\"",
            "\"\\x\"",
            "\"\\u12\"",
            "\"a\tb\"",
            "{\"a\":1,\"a\":2}",
            "tru",
            "nul",
        ] {
            assert!(Tape::parse(text).is_none(), "{text:?}");
        }
        let keys: Vec<String> = (0..40).map(|i| format!("\"k{}\":1", i % 39)).collect();
        assert!(Tape::parse(&format!("{{{}}}", keys.join(","))).is_none(), "a repeated key among many");
        let deep = "[".repeat(MAX_NESTING + 1) + &"]".repeat(MAX_NESTING + 1);
        assert!(Tape::parse(&deep).is_none());
        let ok = "[".repeat(MAX_NESTING) + &"]".repeat(MAX_NESTING);
        assert!(Tape::parse(&ok).is_some());
    }
}
