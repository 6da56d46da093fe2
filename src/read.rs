//! Reading request text the way Go's `encoding/json` reads it, so that odd
//! but legal input gives Flagger's checksum rather than a different one:
//! lone UTF-16 surrogate escapes become U+FFFD, and a repeated object member
//! merges into the earlier one when both are objects (Go decodes into the
//! existing map/struct), else the later one wins.

use crate::error::{Error, ErrorCode, Result};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// Largest request accepted, in bytes (128 MiB). Larger inputs get
/// `input-too-large` instead of exhausting a wasm instance's memory.
pub const MAX_INPUT_BYTES: usize = 128 * 1024 * 1024;

/// Largest plan response, in bytes (256 MiB): plans that would be larger are
/// `response-too-large`, refused as they are built (see `crate::budget`), so
/// a small request whose Canaries share a large config or target cannot
/// exhaust a wasm instance's memory. A request may ask for less
/// (`options.maxResponseBytes`), or for smaller plans (`options.primaryBodies`).
pub const MAX_RESPONSE_BYTES: usize = 256 * 1024 * 1024;

/// Top-level warnings listed one by one (objects that could not be read);
/// past these, one `warnings-omitted` warning counts the rest.
pub const MAX_WARNINGS: usize = 100;

/// Bytes → JSON value; invalid UTF-8 is refused (Go would substitute U+FFFD
/// byte by byte, which a lossy conversion would not match exactly).
pub fn read_json_bytes(bytes: &[u8]) -> Result<Value> {
    check_size(bytes.len())?;
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::new(ErrorCode::InvalidUtf8, format!("request is not UTF-8 (byte {})", e.valid_up_to())))?;
    read_json(text)
}

pub fn read_json(text: &str) -> Result<Value> {
    check_size(text.len())?;
    let text = replace_lone_surrogates(text);
    let mut de = serde_json::Deserializer::from_str(&text);
    let value = GoSeed
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| Error::new(ErrorCode::InvalidJson, format!("request is not valid JSON: {e}")))?;
    Ok(value)
}

fn check_size(len: usize) -> Result<()> {
    if len > MAX_INPUT_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("request is {len} bytes; the limit is {MAX_INPUT_BYTES}"),
        ));
    }
    Ok(())
}

/// Rewrites `\uD8xx` escapes that are not half of a valid pair to `\ufffd`,
/// as Go's decoder does. Borrows when there is nothing to change.
fn replace_lone_surrogates(text: &str) -> Cow<'_, str> {
    // A lone surrogate can only be spelled as a `\uD800`–`\uDFFF` escape (a
    // `&str` holds none), so text without one is returned after a fast scan:
    // the byte loop below cost ~70% of reading a 1 MiB ConfigMap, and Go's
    // own output (`\u003c` for every `<`) has `\u` escapes everywhere.
    if cfg!(feature = "fast-paths") && !may_have_surrogate_escape(text.as_bytes()) {
        return Cow::Borrowed(text);
    }
    let b = text.as_bytes();
    let hex = |i: usize| -> Option<u16> {
        let s = b.get(i..i + 4)?;
        u16::from_str_radix(std::str::from_utf8(s).ok()?, 16).ok()
    };
    let escape_at = |i: usize| -> Option<u16> {
        (b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u')).then(|| hex(i + 2)).flatten()
    };
    let mut out: Option<String> = None;
    let (mut i, mut copied, mut in_string) = (0, 0, false);
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                in_string = !in_string;
                i += 1;
            }
            b'\\' if in_string => match escape_at(i) {
                Some(hi @ 0xD800..=0xDBFF) if matches!(escape_at(i + 6), Some(0xDC00..=0xDFFF)) => {
                    let _ = hi;
                    i += 12;
                }
                Some(0xD800..=0xDFFF) => {
                    let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
                    o.push_str(text.get(copied..i).unwrap_or_default());
                    o.push_str("\\ufffd");
                    i += 6;
                    copied = i;
                }
                _ => i += 2,
            },
            _ => i += 1,
        }
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(text.get(copied..).unwrap_or_default());
            Cow::Owned(o)
        }
    }
}

/// Whether `b` has a `\u` followed by `d`/`D` and one of `8`–`f`: the
/// start of a surrogate escape (or a literal `\\ud8…`, which the exact
/// loop then sorts out). Backslashes are found 8 bytes at a time.
fn may_have_surrogate_escape(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let at = |i: usize| {
        b.get(i + 1) == Some(&b'u')
            && matches!(b.get(i + 2), Some(b'd' | b'D'))
            && matches!(b.get(i + 3), Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F'))
    };
    let mut base = 0;
    for chunk in b.chunks_exact(8) {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or_default()) ^ (ONES * u64::from(b'\\'));
        // High bit of each byte of `x` that is zero: a backslash.
        let mut m = !(((x & LOW7) + LOW7) | x) & !LOW7;
        while m != 0 {
            if at(base + (m.trailing_zeros() / 8) as usize) {
                return true;
            }
            m &= m - 1;
        }
        base += 8;
    }
    (base..b.len()).any(|i| b.get(i) == Some(&b'\\') && at(i))
}

/// Deserializes a `Value`, merging repeated object members Go-style.
struct GoSeed;

impl<'de> DeserializeSeed<'de> for GoSeed {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(GoVisitor)
    }
}

struct GoVisitor;

impl<'de> Visitor<'de> for GoVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::new();
        while let Some(e) = seq.next_element_seed(GoSeed)? {
            v.push(e);
        }
        Ok(Value::Array(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(GoSeed)?;
            merge_member(&mut m, k, v);
        }
        Ok(Value::Object(m))
    }
}

fn merge_member(m: &mut Map<String, Value>, k: String, v: Value) {
    match (m.get_mut(&k), v) {
        (Some(Value::Object(old)), Value::Object(new)) => {
            for (k2, v2) in new {
                merge_member(old, k2, v2);
            }
        }
        (_, v) => {
            m.insert(k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_surrogate_prescan_finds_every_candidate() {
        for (text, want) in [
            (r#"{"a":"\u003c\u0026 plain"}"#, false),
            (r#"{"a":"\ud800"}"#, true),
            (r#"{"a":"\uDFFF"}"#, true),
            (r#"{"a":"\\ud800"}"#, true), // a literal backslash: the exact loop leaves it
            (r#"{"a":"\ud7ff\ue000"}"#, false),
            (r#"\ud8"#, true), // at the very end, in no 8-byte block
        ] {
            assert_eq!(may_have_surrogate_escape(text.as_bytes()), want, "{text}");
        }
        // At every offset against a block boundary.
        for pad in 0..16 {
            let text = format!("{}\\udbff", "x".repeat(pad));
            assert!(may_have_surrogate_escape(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_char() {
        let v = read_json(r#"{"a":"x\ud800y","b":"\udc00","c":"\ud83d\ude00","d":"\\ud800","e":"\ud800\ud83d\ude00"}"#)
            .unwrap();
        assert_eq!(v["a"], "x\u{fffd}y");
        assert_eq!(v["b"], "\u{fffd}");
        assert_eq!(v["c"], "😀");
        assert_eq!(v["d"], "\\ud800");
        assert_eq!(v["e"], "\u{fffd}😀");
    }

    #[test]
    fn duplicate_members_merge_like_go() {
        let v = read_json(r#"{"data":{"a":"1","b":"2"},"x":1,"data":{"b":"3"},"x":2}"#).unwrap();
        assert_eq!(v, serde_json::json!({"data": {"a": "1", "b": "3"}, "x": 2}));
    }

    #[test]
    fn errors_are_coded_not_panics() {
        assert_eq!(read_json("{").unwrap_err().code, ErrorCode::InvalidJson);
        assert_eq!(read_json("{} x").unwrap_err().code, ErrorCode::InvalidJson);
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert_eq!(read_json(&deep).unwrap_err().code, ErrorCode::InvalidJson);
        assert_eq!(read_json_bytes(b"\"\xff\"").unwrap_err().code, ErrorCode::InvalidUtf8);
    }
}
