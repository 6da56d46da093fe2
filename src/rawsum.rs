//! Flagger's checksum of one ConfigMap/Secret straight from its JSON text:
//! the `data` member is never built as a `serde_json::Value`. When `data`'s
//! keys come in order (as the API server and kubectl write them), one pass
//! validates each string and writes its Go encoding straight into the hash
//! ([`streamed`]); otherwise the pass keeps each string's encoding in
//! pieces — source runs where Go writes the same bytes, re-encoded pieces
//! apart — and the marshal hashes them in key order ([`segmented`]). The
//! rest of the object (kind, metadata, …) is read as usual, from a copy of
//! the text with `data`'s value replaced by `null`.
//!
//! Anything unusual — `data` absent, null, repeated or not an object of
//! strings and nulls, a key with escapes, a Secret with `stringData` or with
//! values that need decoding, any error — gives `None`, and the caller takes
//! the `Value` path, so answers and errors are always that path's.

use crate::checksum::{is_canonical_base64, ConfigKind, Escaping, GoData, RawValue};
use crate::gojson::{scan_json_string, Buf, HashSink, Out, Seg};
use crate::objects::read_object;
use crate::read::read_json;
use crate::version::Behaviour;

/// The checksum, or `None` to take the `Value` path.
pub(crate) fn checksum(text: &str, flagger_version: Option<&str>) -> Option<String> {
    let (beh, _) = Behaviour::resolve(flagger_version).ok()?;
    streamed(text, beh.escaping).or_else(|| segmented(text, beh.escaping))
}

/// The two ways [`checksum`] reads `data`, apart: ([`streamed`], [`segmented`]), for tests.
pub(crate) fn checksum_each_way(text: &str, flagger_version: Option<&str>) -> (Option<String>, Option<String>) {
    match Behaviour::resolve(flagger_version) {
        Ok((beh, _)) => (streamed(text, beh.escaping), segmented(text, beh.escaping)),
        Err(_) => (None, None),
    }
}

/// The kind of the object whose `data` spans `start..end` in `text`, read
/// from the rest of it; `None` for a Secret with `stringData` (the `Value`
/// path merges it) or anything unusual.
fn kind_of_rest(text: &str, start: usize, end: usize) -> Option<ConfigKind> {
    let rest = [text.get(..start)?, "null", text.get(end..)?].concat();
    let object = read_json(&rest).ok()?;
    let obj = read_object(None, &object, "default").ok()??;
    let kind = ConfigKind::from_kind(obj.kind)?;
    (kind == ConfigKind::ConfigMap || obj.get("/stringData").is_none()).then_some(kind)
}

/// The common case in one pass: `data`'s keys in order and no repeats (as
/// the API server and kubectl write them), so Go's encoding goes straight
/// into the hash as `data` is read, as a ConfigMap's. A Secret hashes the
/// same when every value is canonical base64 written without escapes (Go
/// decodes and re-encodes it to the same text); else `None` and the caller
/// reads `data` again in pieces ([`segmented`]).
fn streamed(text: &str, escaping: Escaping) -> Option<String> {
    let src = text.as_bytes();
    let mut sink = HashSink::new();
    let (start, end, values) = split(src, |src, at| stream_data(src, at, escaping, &mut sink))?;
    if kind_of_rest(text, start, end)? == ConfigKind::Secret
        && !values.iter().flatten().all(|&(a, b, escaped)| !escaped && src.get(a..b).is_some_and(is_canonical_base64))
    {
        return None;
    }
    Some(hex::encode(sink.finish().get(..8).unwrap_or_default()))
}

/// Hashes the `data` object at `src[at]` (`{`) as Go marshals a ConfigMap's
/// data, as it reads it: `None` unless its keys have no escapes and come in
/// strictly increasing order and its values are strings or nulls. Returns
/// the index after its `}` and each value's body span and whether it had
/// escapes (`None` for a null).
#[allow(clippy::type_complexity)]
fn stream_data(
    src: &[u8],
    at: usize,
    escaping: Escaping,
    sink: &mut HashSink,
) -> Option<(usize, Vec<Option<(usize, usize, bool)>>)> {
    let mut values = Vec::new();
    let mut i = ws(src, at + 1);
    if src.get(i) == Some(&b'}') {
        // An empty map is nil, as the API server stores it.
        sink.put(b"null");
        return Some((i + 1, values));
    }
    sink.put(b"{");
    let mut last: Option<&[u8]> = None;
    loop {
        if src.get(i) != Some(&b'"') {
            return None;
        }
        if !values.is_empty() {
            sink.put(b",");
        }
        let key = sink.put_json_str(src, i + 1, escaping)?;
        let text = src.get(i + 1..key.end)?;
        if key.escaped || last.is_some_and(|l| l >= text) {
            return None;
        }
        last = Some(text);
        i = ws(src, key.end + 1);
        if src.get(i) != Some(&b':') {
            return None;
        }
        sink.put(b":");
        i = ws(src, i + 1);
        match src.get(i) {
            Some(b'"') => {
                let v = sink.put_json_str(src, i + 1, escaping)?;
                values.push(Some((i + 1, v.end, v.escaped)));
                i = v.end + 1;
            }
            Some(b'n') if src.get(i..i + 4) == Some(b"null") => {
                // A null reads as "" (a ConfigMap's empty string, a Secret's empty bytes).
                sink.put(b"\"\"");
                values.push(None);
                i += 4;
            }
            _ => return None,
        }
        i = ws(src, i);
        match src.get(i) {
            Some(b',') => i = ws(src, i + 1),
            Some(b'}') => {
                sink.put(b"}");
                return Some((i + 1, values));
            }
            _ => return None,
        }
    }
}

/// `data` read in pieces, in any order: Go's encoding of each string kept
/// as source runs and re-encoded pieces, then marshalled as [`GoData`] does.
fn segmented(text: &str, escaping: Escaping) -> Option<String> {
    let src = text.as_bytes();
    let (mut segs, mut side) = (Vec::new(), Buf::with_capacity(src.len() / 2));
    let (start, end, entries) = split(src, |src, at| scan_data(src, at, escaping, &mut segs, &mut side))?;
    let kind = kind_of_rest(text, start, end)?;
    let pieces: Vec<&[u8]> = segs
        .iter()
        .map(|s| match *s {
            Seg::Src(a, b) => src.get(a..b),
            Seg::Side(a, b) => side.get(a..b),
        })
        .collect::<Option<_>>()?;
    let mut raw = Vec::with_capacity(entries.len());
    for e in &entries {
        let value = match e.value {
            Value::Null => RawValue::Null,
            Value::Str { segs: (a, b), decoded } => {
                RawValue::Str { decoded: decoded.and_then(|(a, b)| text.get(a..b)), encoded: pieces.get(a..b)? }
            }
        };
        raw.push((text.get(e.key.0..e.key.1)?, value));
    }
    Some(GoData::from_raw(kind, raw)?.checksum(escaping))
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

fn ws(src: &[u8], mut i: usize) -> usize {
    while matches!(src.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Walks the top-level object and reads its one `data` member with
/// `read_data` (given the source and the index of its `{`; it returns the
/// index after the `}`). Other members are only skipped (`read_json`
/// validates them later), so this walk needs to be right on valid JSON
/// only. `data`'s span and what `read_data` made of it.
fn split<T>(src: &[u8], mut read_data: impl FnMut(&[u8], usize) -> Option<(usize, T)>) -> Option<(usize, usize, T)> {
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
            let (end, read) = read_data(src, i)?;
            data = Some((i, end, read));
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
