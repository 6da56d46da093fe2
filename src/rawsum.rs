//! Flagger's checksum of one ConfigMap/Secret straight from its JSON text:
//! the `data` member is never built as a `serde_json::Value`. One pass over
//! `data` validates each string and re-encodes it Go-style, keeping the
//! source bytes wherever Go writes the same ones (most of the text, and
//! escapes such as `\n` or `\"`); the hash then reads those runs in place.
//! The rest of the object (kind, metadata, …) is read as usual, from a copy
//! of the text with `data`'s value replaced by `null`.
//!
//! Anything unusual — `data` absent, null, repeated or not an object of
//! strings and nulls, a key with escapes, a Secret with `stringData` or with
//! values that need decoding, any error — gives `None`, and the caller takes
//! the `Value` path, so answers and errors are always that path's.

use crate::checksum::{ConfigKind, Escaping, GoData, RawValue};
use crate::gojson::{scan_json_string, Buf, Seg};
use crate::objects::read_object;
use crate::read::read_json;
use crate::version::Behaviour;

/// The checksum, or `None` to take the `Value` path.
pub(crate) fn checksum(text: &str, flagger_version: Option<&str>) -> Option<String> {
    let (beh, _) = Behaviour::resolve(flagger_version).ok()?;
    let src = text.as_bytes();
    let (mut segs, mut side) = (Vec::new(), Buf::with_capacity(src.len() / 2));
    let data = split(src, beh.escaping, &mut segs, &mut side)?;
    let rest = [text.get(..data.start)?, "null", text.get(data.end..)?].concat();
    let object = read_json(&rest).ok()?;
    let obj = read_object(None, &object, "default").ok()??;
    let kind = ConfigKind::from_kind(obj.kind)?;
    if kind == ConfigKind::Secret && obj.get("/stringData").is_some() {
        return None;
    }
    let pieces: Vec<&[u8]> = segs
        .iter()
        .map(|s| match *s {
            Seg::Src(a, b) => src.get(a..b),
            Seg::Side(a, b) => side.get(a..b),
        })
        .collect::<Option<_>>()?;
    let mut raw = Vec::with_capacity(data.entries.len());
    for e in &data.entries {
        let value = match e.value {
            Value::Null => RawValue::Null,
            Value::Str { segs: (a, b), decoded } => {
                RawValue::Str { decoded: decoded.and_then(|(a, b)| text.get(a..b)), encoded: pieces.get(a..b)? }
            }
        };
        raw.push((text.get(e.key.0..e.key.1)?, value));
    }
    Some(GoData::from_raw(kind, raw)?.checksum(beh.escaping))
}

/// One `data` member, by positions in the source.
struct Entry {
    /// The key's text (it has no escapes, so this is also its decoded text).
    key: (usize, usize),
    value: Value,
}

enum Value {
    /// `segs` indexes the scan's segments; `decoded` is the string's text
    /// when it had no escapes.
    Str {
        segs: (usize, usize),
        decoded: Option<(usize, usize)>,
    },
    Null,
}

/// The `data` object: its span in the source and its members.
struct Data {
    start: usize,
    end: usize,
    entries: Vec<Entry>,
}

fn ws(src: &[u8], mut i: usize) -> usize {
    while matches!(src.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Walks the top-level object and scans its one `data` member.
/// Other members are only skipped (`read_json` validates them later), so
/// this walk needs to be right on valid JSON only.
fn split(src: &[u8], escaping: Escaping, segs: &mut Vec<Seg>, side: &mut Buf) -> Option<Data> {
    let mut i = ws(src, 0);
    if src.get(i) != Some(&b'{') {
        return None;
    }
    let mut data = None;
    i = ws(src, i + 1);
    loop {
        if src.get(i) != Some(&b'"') {
            return None;
        }
        // A key with escapes could spell `data`: leave it to the Value path.
        let key_end = i + 1 + src.get(i + 1..)?.iter().position(|&b| b == b'"' || b == b'\\')?;
        if src.get(key_end) != Some(&b'"') {
            return None;
        }
        let key = src.get(i + 1..key_end)?;
        i = ws(src, key_end + 1);
        if src.get(i) != Some(&b':') {
            return None;
        }
        i = ws(src, i + 1);
        if key == b"data" {
            if data.is_some() || src.get(i) != Some(&b'{') {
                return None;
            }
            let (end, entries) = scan_data(src, i, escaping, segs, side)?;
            data = Some(Data { start: i, end, entries });
            i = end;
        } else {
            i = skip_value(src, i)?;
        }
        i = ws(src, i);
        match src.get(i) {
            Some(b',') => i = ws(src, i + 1),
            Some(b'}') => return data,
            _ => return None,
        }
    }
}

/// The index after the value at `i` (right for valid JSON).
fn skip_value(src: &[u8], mut i: usize) -> Option<usize> {
    match *src.get(i)? {
        b'"' => skip_string(src, i + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                match *src.get(i)? {
                    b'"' => {
                        i = skip_string(src, i + 1)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            while !matches!(src.get(i), None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')) {
                i += 1;
            }
            Some(i)
        }
    }
}

/// The index after the closing quote of the string whose body starts at `i`.
fn skip_string(src: &[u8], mut i: usize) -> Option<usize> {
    loop {
        i += src.get(i..)?.iter().position(|&b| b == b'"' || b == b'\\')?;
        if src.get(i) == Some(&b'"') {
            return Some(i + 1);
        }
        i += 2;
    }
}

/// Scans the `data` object at `src[at]` (`{`): string or null values only.
/// Returns the index after its `}` and its members in source order.
fn scan_data(
    src: &[u8],
    at: usize,
    escaping: Escaping,
    segs: &mut Vec<Seg>,
    side: &mut Buf,
) -> Option<(usize, Vec<Entry>)> {
    let mut entries = Vec::new();
    let mut i = ws(src, at + 1);
    if src.get(i) == Some(&b'}') {
        return Some((i + 1, entries));
    }
    loop {
        if src.get(i) != Some(&b'"') {
            return None;
        }
        // Keys are validated by the same scan; their encoding is not kept
        // (the marshal encodes keys from their decoded text).
        let (s0, side0) = (segs.len(), side.len());
        let key = scan_json_string(src, i + 1, escaping, segs, side)?;
        if key.escaped {
            return None;
        }
        segs.truncate(s0);
        side.truncate(side0);
        let key_span = (i + 1, key.end);
        i = ws(src, key.end + 1);
        if src.get(i) != Some(&b':') {
            return None;
        }
        i = ws(src, i + 1);
        let value = match src.get(i) {
            Some(b'"') => {
                let s0 = segs.len();
                let v = scan_json_string(src, i + 1, escaping, segs, side)?;
                let decoded = (!v.escaped).then_some((i + 1, v.end));
                i = v.end + 1;
                Value::Str { segs: (s0, segs.len()), decoded }
            }
            Some(b'n') if src.get(i..i + 4) == Some(b"null") => {
                i += 4;
                Value::Null
            }
            _ => return None,
        };
        entries.push(Entry { key: key_span, value });
        i = ws(src, i);
        match src.get(i) {
            Some(b',') => i = ws(src, i + 1),
            Some(b'}') => return Some((i + 1, entries)),
            _ => return None,
        }
    }
}
