//! Flagger's config checksum: `hex(sha256(json.Marshal(data))[:8])`, where
//! `data` is `ConfigMap.data` (`map[string]string`) or `Secret.data`
//! (`map[string][]byte`). The Go encoding is streamed straight into the hasher
//! (no second copy of the data is built), so checksumming costs little more
//! than hashing. The string kernels are in [`crate::gojson`].

use crate::error::{pointer_segment, Error, ErrorCode, Result};
use crate::gojson::{HashSink, Out};
use base64::Engine as _;
use serde_json::{Map, Value};

/// The two Go `encoding/json` string escapings Flagger has shipped with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escaping {
    /// Go ≥ 1.22 (Flagger ≥ 1.37): `\b` and `\f` short escapes.
    Go122,
    /// Go < 1.22: `\u0008` and `\u000c`.
    Go119,
}

/// Which Go type `data` is decoded into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConfigKind {
    ConfigMap,
    Secret,
}

impl ConfigKind {
    /// The prefix Flagger uses in `status.trackedConfigs` keys.
    pub fn prefix(self) -> &'static str {
        match self {
            ConfigKind::ConfigMap => "configmap",
            ConfigKind::Secret => "secret",
        }
    }
    pub fn kind(self) -> &'static str {
        match self {
            ConfigKind::ConfigMap => "ConfigMap",
            ConfigKind::Secret => "Secret",
        }
    }
    pub fn from_kind(kind: &str) -> Option<Self> {
        match kind {
            "ConfigMap" => Some(ConfigKind::ConfigMap),
            "Secret" => Some(ConfigKind::Secret),
            _ => None,
        }
    }
}

/// One `data` value as Go holds it after decoding.
enum GoValue<'a> {
    /// A ConfigMap string (a JSON `null` decodes to `""`).
    Str(&'a str),
    /// Secret bytes, already canonical standard base64: the input text is reused.
    Base64(&'a str),
    /// Secret bytes re-encoded canonically (input had `\r`/`\n` or odd pad bits).
    Owned(String),
    /// A Secret `null`: a nil `[]byte`, marshalled as `null`.
    Null,
    /// A ConfigMap string already in Go's encoding (quotes excluded), in
    /// pieces: what `crate::rawsum` gives when it reads the request bytes.
    Encoded(&'a [&'a [u8]]),
}

/// One `data` entry read straight from the request bytes (`crate::rawsum`).
pub(crate) enum RawValue<'a> {
    /// A string: its decoded text when that is the source (no `\` escape),
    /// and its Go encoding in pieces.
    Str {
        decoded: Option<&'a str>,
        encoded: &'a [&'a [u8]],
    },
    Null,
}

/// `data` decoded as Go would: sorted by key bytes (Go sorts map keys so).
/// `None` is a nil map (absent or `null`), marshalled as `null`.
pub struct GoData<'a> {
    entries: Option<Vec<(&'a str, GoValue<'a>)>>,
}

impl<'a> GoData<'a> {
    /// Decodes `data` (a JSON value) the way Go's `json.Unmarshal` would into
    /// the ConfigMap/Secret struct, or errors where Go errors. `path` is the
    /// JSON pointer of `data`, for error messages.
    pub fn decode(kind: ConfigKind, data: Option<&'a Value>, path: &str) -> Result<Self> {
        let map = match data {
            None | Some(Value::Null) => return Ok(GoData { entries: None }),
            Some(Value::Object(m)) => m,
            Some(other) => {
                return Err(Error::new(
                    ErrorCode::InvalidObject,
                    format!("{} data must be an object, found {}", kind.kind(), type_name(other)),
                )
                .at(path))
            }
        };
        let mut entries = Vec::with_capacity(map.len());
        for (key, value) in map {
            let v = match (kind, value) {
                (ConfigKind::ConfigMap, Value::String(s)) => GoValue::Str(s),
                (ConfigKind::ConfigMap, Value::Null) => GoValue::Str(""),
                (ConfigKind::Secret, Value::Null) => GoValue::Null,
                (ConfigKind::Secret, Value::String(s)) => {
                    decode_base64(s).map_err(|e| e.at(format!("{path}/{}", pointer_segment(key))))?
                }
                (_, other) => {
                    return Err(Error::new(
                        ErrorCode::InvalidObject,
                        format!("{} data[{key:?}] must be a string, found {}", kind.kind(), type_name(other)),
                    )
                    .at(format!("{path}/{}", pointer_segment(key))))
                }
            };
            entries.push((key.as_str(), v));
        }
        // Keys are unique, so the core's one (stable) sort gives Go's order.
        crate::order::by_key(&mut entries, |e| e.0);
        Ok(GoData { entries: Some(entries) })
    }

    /// `data` from entries read straight from the request bytes, in source
    /// order, as the API server stores it (see `crate::objects::config_data`:
    /// an empty map is nil, a Secret `null` is empty bytes). `None` when an
    /// entry needs the `Value` path (a Secret value with escapes, or one
    /// that errors) or a key is repeated (rare; Go's map keeps the last), so
    /// that the answer, errors included, is always the `Value` path's.
    pub(crate) fn from_raw(kind: ConfigKind, raw: Vec<(&'a str, RawValue<'a>)>) -> Option<Self> {
        if raw.is_empty() {
            return Some(GoData { entries: None });
        }
        let mut entries = Vec::with_capacity(raw.len());
        for (key, value) in raw {
            let v = match (kind, value) {
                (ConfigKind::ConfigMap, RawValue::Str { encoded, .. }) => GoValue::Encoded(encoded),
                (_, RawValue::Null) => GoValue::Str(""),
                (ConfigKind::Secret, RawValue::Str { decoded, .. }) => decode_base64(decoded?).ok()?,
            };
            entries.push((key, v));
        }
        Self::sorted(entries)
    }

    /// `data` from its decoded strings (`None`: a JSON `null`), in any order,
    /// as [`GoData::from_raw`] reads them: `None` (take the `Value` path) for
    /// a Secret value that needs more than the canonical check, or a repeated key.
    pub(crate) fn from_strings(kind: ConfigKind, strings: Vec<(&'a str, Option<&'a str>)>) -> Option<Self> {
        if strings.is_empty() {
            return Some(GoData { entries: None });
        }
        let mut entries = Vec::with_capacity(strings.len());
        for (key, value) in strings {
            let v = match (kind, value) {
                (ConfigKind::ConfigMap, Some(s)) => GoValue::Str(s),
                (_, None) => GoValue::Str(""),
                (ConfigKind::Secret, Some(s)) => decode_base64(s).ok()?,
            };
            entries.push((key, v));
        }
        Self::sorted(entries)
    }

    /// Sorted by key; `None` when a key repeats (Go's map keeps the last: the `Value` path's call).
    fn sorted(mut entries: Vec<(&'a str, GoValue<'a>)>) -> Option<Self> {
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        if entries.windows(2).any(|w| w.first().map(|e| e.0) == w.get(1).map(|e| e.0)) {
            return None;
        }
        Some(GoData { entries: Some(entries) })
    }

    /// The 16-hex-digit checksum Flagger writes to `status.trackedConfigs`.
    pub fn checksum(&self, escaping: Escaping) -> String {
        let mut sink = HashSink::new();
        self.marshal(escaping, &mut sink);
        hex::encode(sink.finish().get(..8).unwrap_or_default())
    }

    /// Go's `json.Marshal` bytes (for tests and inspection).
    pub fn marshal_to_vec(&self, escaping: Escaping) -> Vec<u8> {
        let mut out = Vec::new();
        self.marshal(escaping, &mut out);
        out
    }

    fn marshal(&self, escaping: Escaping, out: &mut impl Out) {
        let Some(entries) = &self.entries else {
            out.put(b"null");
            return;
        };
        out.put(b"{");
        for (i, (key, value)) in entries.iter().enumerate() {
            if i > 0 {
                out.put(b",");
            }
            out.put_str(key, escaping);
            out.put(b":");
            match value {
                GoValue::Str(s) => out.put_str(s, escaping),
                GoValue::Base64(s) => {
                    out.put(b"\"");
                    out.put(s.as_bytes());
                    out.put(b"\"");
                }
                GoValue::Owned(s) => {
                    out.put(b"\"");
                    out.put(s.as_bytes());
                    out.put(b"\"");
                }
                GoValue::Encoded(pieces) => {
                    out.put(b"\"");
                    for p in pieces.iter() {
                        out.put(p);
                    }
                    out.put(b"\"");
                }
                GoValue::Null => out.put(b"null"),
            }
        }
        out.put(b"}");
    }

    /// The `data` Flagger writes to a `-primary` copy: what it decoded, as the
    /// API server would store it (ConfigMap nulls become `""`, Secret base64
    /// canonical). `None` when empty or nil (Go's `omitempty`).
    pub fn to_value(&self) -> Option<Value> {
        let entries = self.entries.as_ref().filter(|e| !e.is_empty())?;
        let mut map = Map::with_capacity(entries.len());
        for (key, value) in entries {
            let v = match value {
                GoValue::Str(s) | GoValue::Base64(s) => Value::String((*s).to_owned()),
                GoValue::Owned(s) => Value::String(s.clone()),
                // Not on any hot path (only the checksum reads raw bytes): Go's
                // encoding is JSON, so reading it back is exact.
                GoValue::Encoded(pieces) => {
                    let mut text = vec![b'"'];
                    pieces.iter().for_each(|p| text.extend_from_slice(p));
                    text.push(b'"');
                    crate::read::read_json_bytes(&text).unwrap_or(Value::Null)
                }
                GoValue::Null => Value::Null,
            };
            map.insert((*key).to_owned(), v);
        }
        Some(Value::Object(map))
    }

    /// Key names and decoded byte lengths, for displays that must not show values.
    pub fn is_nil(&self) -> bool {
        self.entries.is_none()
    }
}

/// Go's `base64.StdEncoding.Decode` as `encoding/json` uses it for `[]byte`:
/// padding required, `\r`/`\n` skipped anywhere, non-zero trailing bits
/// accepted. Returns the canonical re-encoding Go would marshal.
fn decode_base64(s: &str) -> Result<GoValue<'_>> {
    if cfg!(feature = "fast-paths") && is_canonical_base64(s.as_bytes()) {
        // Decoding and re-encoding would give `s` back: skip both (the last line's check, sooner).
        return Ok(GoValue::Base64(s));
    }
    const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireCanonical),
    );
    let has_newlines = s.bytes().any(|b| b == b'\r' || b == b'\n');
    let cleaned: std::borrow::Cow<'_, str> =
        if has_newlines { s.chars().filter(|c| *c != '\r' && *c != '\n').collect::<String>().into() } else { s.into() };
    let bytes = ENGINE.decode(cleaned.as_bytes()).map_err(|e| {
        // The error names a byte offset only: never the (secret) data itself.
        let offset = match e {
            base64::DecodeError::InvalidByte(i, _) | base64::DecodeError::InvalidLastSymbol(i, _) => i,
            base64::DecodeError::InvalidLength(i) => i,
            base64::DecodeError::InvalidPadding => cleaned.len(),
        };
        Error::new(ErrorCode::InvalidBase64, format!("Secret data is not valid padded standard base64 (byte {offset})"))
    })?;
    let canonical = base64::engine::general_purpose::STANDARD.encode(&bytes);
    Ok(if !has_newlines && canonical == s { GoValue::Base64(s) } else { GoValue::Owned(canonical) })
}

/// Whether `s` is exactly what Go's `base64.StdEncoding` writes for some
/// bytes: alphabet only, padded to a multiple of 4, and no bits set past the
/// data in the last symbol. Decoding such text and re-encoding it gives it back.
pub(crate) fn is_canonical_base64(s: &[u8]) -> bool {
    // Const-evaluated: an out-of-range index here fails the build, never a run.
    #[allow(clippy::indexing_slicing)]
    const fn table() -> [u8; 256] {
        // 0x80 marks a byte outside the alphabet; otherwise the symbol's value.
        let mut t = [0x80u8; 256];
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut i = 0;
        while i < 64 {
            t[alphabet[i] as usize] = i as u8;
            i += 1;
        }
        t
    }
    static VALUE: [u8; 256] = table();
    let value = |b: u8| VALUE.get(usize::from(b)).copied().unwrap_or(0x80);
    if s.len() % 4 != 0 {
        return false;
    }
    let (body, last) = match s {
        [body @ .., a, b'=', b'='] => (body, value(*a) & 0x8f), // 4 bits past the data
        [body @ .., a, b'='] => (body, value(*a) & 0x83),       // 2 bits past the data
        _ => (s, 0),
    };
    let blocks = body.chunks_exact(8);
    let tail = blocks.remainder();
    last == 0
        && blocks.into_iter().all(|b| <[u8; 8]>::try_from(b).is_ok_and(|b| alphabet8(u64::from_le_bytes(b))))
        && tail.iter().fold(0u8, |acc, &b| acc | value(b)) & 0x80 == 0
}

/// Whether all 8 bytes of `x` are in the base64 alphabet (`A-Z a-z 0-9 + /`),
/// by SWAR arithmetic: about four times the table lookup's speed in wasm.
#[inline(always)]
fn alphabet8(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if x & HIGH != 0 {
        return false;
    }
    // Each byte 0x80 + b: subtracting `lo` (< 0x80) never borrows from the next byte, and
    // leaves the high bit set exactly when b >= lo.
    let h = x | HIGH;
    let at_least = |lo: u64| h.wrapping_sub(lo * ONES) & HIGH;
    let upper = at_least(0x41) & !at_least(0x5b);
    let lower = at_least(0x61) & !at_least(0x7b);
    let digit = at_least(0x30) & !at_least(0x3a);
    // `+` (0x2b) and `/` (0x2f) differ in bit 2 only.
    let y = (x ^ (ONES * 0x2b)) & (ONES * 0xfb);
    let sign = !(((y & LOW7) + LOW7) | y) & HIGH;
    upper | lower | digit | sign == HIGH
}

pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn marshal(kind: ConfigKind, data: Value, esc: Escaping) -> String {
        let d = GoData::decode(kind, Some(&data), "/data").unwrap();
        String::from_utf8(d.marshal_to_vec(esc)).unwrap()
    }

    #[test]
    fn escapes_like_go() {
        let m = marshal(ConfigMap, json!({"k": "<a>&\u{2028}\u{2029}\u{7f}\u{1}\u{8}\u{c}\n\"\\é😀"}), Escaping::Go122);
        assert_eq!(m, "{\"k\":\"\\u003ca\\u003e\\u0026\\u2028\\u2029\u{7f}\\u0001\\b\\f\\n\\\"\\\\é😀\"}");
        let m = marshal(ConfigMap, json!({"k": "\u{8}\u{c}"}), Escaping::Go119);
        assert_eq!(m, "{\"k\":\"\\u0008\\u000c\"}");
    }
    use ConfigKind::*;

    #[test]
    fn nil_empty_and_null_values() {
        assert_eq!(GoData::decode(ConfigMap, None, "").unwrap().marshal_to_vec(Escaping::Go122), b"null");
        assert_eq!(marshal(ConfigMap, json!({}), Escaping::Go122), "{}");
        assert_eq!(marshal(ConfigMap, json!({"a": null}), Escaping::Go122), "{\"a\":\"\"}");
        assert_eq!(marshal(Secret, json!({"a": null, "b": ""}), Escaping::Go122), "{\"a\":null,\"b\":\"\"}");
    }

    #[test]
    fn secret_base64_is_reencoded_canonically() {
        assert_eq!(
            marshal(Secret, json!({"a": "QR==", "b": "YW\r\nI="}), Escaping::Go122),
            "{\"a\":\"QQ==\",\"b\":\"YWI=\"}"
        );
        for bad in ["YWI", "YW I=", "YW-_", "QQ==QQ=="] {
            let e = GoData::decode(Secret, Some(&json!({ "k": bad })), "/data").err().unwrap();
            assert_eq!(e.code, ErrorCode::InvalidBase64, "{bad}");
            assert_eq!(e.path.as_deref(), Some("/data/k"));
            assert!(!e.message.contains(bad));
        }
    }

    #[test]
    fn base64_alphabet_by_blocks_is_the_table() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut block = *b"AAAAAAAA";
                block[at] = b;
                assert_eq!(alphabet8(u64::from_le_bytes(block)), alphabet.contains(&b), "{b:#x} at {at}");
            }
        }
        let long = base64::engine::general_purpose::STANDARD.encode((0..=255u8).cycle().take(1000).collect::<Vec<_>>());
        assert!(is_canonical_base64(long.as_bytes()));
        for bad in [b'-', b'_', b'=', b'\n', b' ', 0x80, 0xff] {
            for at in [0, 7, 8, 500, long.len() - 5] {
                let mut b = long.clone().into_bytes();
                b[at] = bad;
                assert!(!is_canonical_base64(&b), "{bad:#x} at {at}");
            }
        }
    }

    #[test]
    fn wrong_types_are_coded() {
        let e = GoData::decode(ConfigMap, Some(&json!({"a/b": 1})), "/objects/0/data").err().unwrap();
        assert_eq!(e.code, ErrorCode::InvalidObject);
        assert_eq!(e.path.as_deref(), Some("/objects/0/data/a~1b"));
        let e = GoData::decode(Secret, Some(&json!([])), "/d").err().unwrap();
        assert_eq!(e.code, ErrorCode::InvalidObject);
    }
}
