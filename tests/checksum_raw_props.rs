//! Property: the checksum read straight from the object's bytes (the raw
//! path behind `checksum_json` / `checksum_bytes`) answers exactly as the
//! plain path (`read_json` → `Value` → `checksum`), which answers as a
//! char-by-char reference of Go's encoding — on escape-dense strings written
//! in every way JSON allows (raw, short escapes, `\uXXXX` in either case,
//! surrogate pairs, lone surrogates, `\/`), with repeated keys, nulls, odd
//! whitespace and members in any order, for ConfigMaps and Secrets and both
//! Go escapings. And the raw path does answer every plain case, so the
//! comparison is not vacuous.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

#[path = "../fuzz/common/checks.rs"]
mod checks;

use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// What the fuzz target's strings are made of, and `/` (JSON may spell it `\/`) and an E2 character
/// that is not U+2028/9.
const EXTRA: &[char] = &['/', '\u{2014}'];

fn dense_string(max: usize) -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => prop::sample::select(checks::GO_SPECIAL),
        1 => prop::sample::select(EXTRA),
        1 => any::<char>(),
        3 => Just('x')
    ];
    prop::collection::vec(ch, 0..max).prop_map(|v| v.into_iter().collect())
}

/// One way JSON may spell `c` inside a string, picked by `how`.
fn spell(c: char, how: u8, out: &mut String) {
    let u = |n: u32, upper: bool, out: &mut String| {
        out.push_str(&if upper { format!("\\u{n:04X}") } else { format!("\\u{n:04x}") })
    };
    let upper = how & 4 != 0;
    match (c, how % 4) {
        (c, 0) if (c as u32) > 0xffff => {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                u(u32::from(*unit), upper, out);
            }
        }
        (c, 0) => u(c as u32, upper, out),
        ('"', _) => out.push_str("\\\""),
        ('\\', _) => out.push_str("\\\\"),
        ('/', 1) => out.push_str("\\/"),
        ('\n', _) => out.push_str("\\n"),
        ('\r', _) => out.push_str("\\r"),
        ('\t', _) => out.push_str("\\t"),
        ('\u{8}', _) => out.push_str("\\b"),
        ('\u{c}', _) => out.push_str("\\f"),
        (c, _) if (c as u32) < 0x20 => u(c as u32, upper, out),
        (c, _) => out.push(c),
    }
}

/// `s` as a JSON string literal, each character spelt by the next of `hows`;
/// `lone` plants a lone surrogate escape (read as U+FFFD) in the middle.
fn literal(s: &str, hows: &[u8], lone: Option<u16>) -> String {
    let mut out = String::from("\"");
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if i == chars.len() / 2 {
            if let Some(l) = lone {
                out.push_str(&format!("\\u{l:04x}"));
            }
        }
        spell(*c, hows.get(i % hows.len().max(1)).copied().unwrap_or(3), &mut out);
    }
    out.push('"');
    out
}

#[derive(Debug, Clone)]
enum Val {
    Str(String),
    Null,
    /// Secret bytes, base64 spelt canonically or not (`\r\n` inside, loose trailing bits).
    Bytes(Vec<u8>, u8),
}

#[derive(Debug, Clone)]
struct Case {
    secret: bool,
    go119: bool,
    entries: Vec<(String, Val)>,
    hows: Vec<u8>,
    lone: Option<u16>,
    order: u8,
    spacing: u8,
}

fn case() -> impl Strategy<Value = Case> {
    let key =
        prop_oneof![3 => dense_string(12), 1 => prop::sample::select(vec!["a", "b", "<k>"]).prop_map(str::to_owned)];
    let val = prop_oneof![
        6 => prop_oneof![4 => dense_string(40), 1 => dense_string(400)].prop_map(Val::Str),
        1 => Just(Val::Null),
        3 => (prop::collection::vec(any::<u8>(), 0..40), any::<u8>()).prop_map(|(b, how)| Val::Bytes(b, how)),
    ];
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec((key, val), 0..8),
        prop::collection::vec(any::<u8>(), 1..16),
        prop_oneof![6 => Just(None), 1 => prop::sample::select(vec![0xd800u16, 0xdbff, 0xdc00, 0xdfff]).prop_map(Some)],
        any::<u8>(),
        any::<u8>(),
    )
        .prop_map(|(secret, go119, mut entries, hows, lone, order, spacing)| {
            if order & 4 != 0 {
                // Keys in order, as the API server writes them (the raw path's one-pass case).
                entries.sort_by(|a: &(String, Val), b| a.0.cmp(&b.0));
            }
            Case { secret, go119, entries, hows, lone, order, spacing }
        })
}

/// Base64 of `b`, canonical or spelt as Go's decoder also accepts it.
fn base64_text(b: &[u8], how: u8) -> String {
    let canon = base64::engine::general_purpose::STANDARD.encode(b);
    match how % 4 {
        1 if canon.len() > 2 => format!("{}\r\n{}", &canon[..2], &canon[2..]),
        2 if canon.ends_with("==") => {
            // Set a bit past the data in the last symbol: Go ignores it.
            let mut c = canon.into_bytes();
            let i = c.len() - 3;
            c[i] = if c[i] == b'A' { b'B' } else { c[i] };
            String::from_utf8(c).unwrap()
        }
        _ => canon,
    }
}

/// The object's JSON text, and whether the raw path should answer it.
fn text_of(c: &Case) -> (String, bool) {
    let sp = [" ", "", "\n\t", "  "][usize::from(c.spacing % 4)];
    let mut raw_ok = true;
    let mut keys = std::collections::HashSet::new();
    let mut data = String::from("{");
    for (i, (k, v)) in c.entries.iter().enumerate() {
        if i > 0 {
            data.push(',');
        }
        let key = literal(k, &c.hows, None);
        // Escaped and repeated keys are left to the Value path.
        raw_ok &= !key.contains('\\') && keys.insert(k.clone());
        data.push_str(&format!("{sp}{key}{sp}:{sp}"));
        match v {
            Val::Null => data.push_str("null"),
            Val::Str(s) if !c.secret => data.push_str(&literal(s, &c.hows, c.lone)),
            Val::Str(s) => {
                // A Secret value that is not base64: the Value path's error, never the raw path.
                data.push_str(&literal(s, &[3], None));
                raw_ok &= base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .is_ok_and(|b| base64::engine::general_purpose::STANDARD.encode(b) == *s);
            }
            Val::Bytes(b, how) => {
                let b64 = base64_text(b, *how);
                let lit = if c.secret { literal(&b64, &[3], None) } else { literal(&b64, &c.hows, c.lone) };
                raw_ok &= !c.secret || (how % 4 == 0 || b64 == base64_text(b, 0));
                data.push_str(&lit);
            }
        }
    }
    data.push('}');
    let kind = if c.secret { "Secret" } else { "ConfigMap" };
    let mut members = [
        format!("\"apiVersion\":{sp}\"v1\""),
        format!("\"kind\":{sp}\"{kind}\""),
        format!("\"metadata\":{sp}{{\"name\":\"x\",\"labels\":{{\"a\":\"<b>\"}}}}"),
        format!("\"data\":{sp}{data}"),
    ];
    members.rotate_left(usize::from(c.order % 4));
    (format!("{sp}{{{sp}{}{sp}}}{sp}", members.join(&format!(",{sp}"))), raw_ok)
}

/// Go's json.Marshal of `data` as the API server stores it (an empty map is
/// nil, a Secret `null` is empty bytes), from the reference encoder.
fn reference_sum(data: &Value, secret: bool, go122: bool) -> String {
    let digest = |text: &str| Sha256::digest(text.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect();
    if data.as_object().unwrap().is_empty() {
        return digest("null");
    }
    let mut out = String::from("{");
    let mut keys: Vec<&String> = data.as_object().unwrap().keys().collect();
    keys.sort();
    for (i, k) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        checks::reference_string(k, go122, &mut out);
        out.push(':');
        match (&data[k], secret) {
            (Value::Null, _) => out.push_str("\"\""),
            (Value::String(s), true) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(s.replace(['\r', '\n'], ""))
                    .or_else(|_| {
                        base64::engine::GeneralPurpose::new(
                            &base64::alphabet::STANDARD,
                            base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
                        )
                        .decode(s.replace(['\r', '\n'], ""))
                    })
                    .unwrap();
                out.push_str(&format!("\"{}\"", base64::engine::general_purpose::STANDARD.encode(bytes)));
            }
            (Value::String(s), false) => checks::reference_string(s, go122, &mut out),
            _ => unreachable!(),
        }
    }
    out.push('}');
    digest(&out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn raw_path_answers_as_the_value_path(c in case()) {
        let (text, raw_ok) = text_of(&c);
        let version = if c.go119 { "1.36.1" } else { "1.44.0" };
        let value = canary_tracker::read::read_json(&text);
        prop_assert!(value.is_ok(), "generated text is not JSON: {text}");
        let value = value.unwrap();
        let plain = canary_tracker::checksum(&value, Some(version));
        let want = match &plain {
            Ok(sum) => json!({ "checksum": sum }).to_string(),
            Err(e) => canary_tracker::api::error_value(e).to_string(),
        };
        prop_assert_eq!(canary_tracker::checksum_json(&text, Some(version)), want.clone(), "checksum_json: {}", text);
        prop_assert_eq!(canary_tracker::api::checksum_bytes(text.as_bytes(), Some(version)), want, "checksum_bytes: {}", text);
        let raw = canary_tracker::api::checksum_raw(text.as_bytes(), Some(version));
        if let Some(r) = &raw {
            prop_assert_eq!(Some(r), plain.as_ref().ok(), "raw answered where the Value path erred: {}", text);
        }
        if let Ok(sum) = &plain {
            prop_assert_eq!(sum, &reference_sum(&value["data"], c.secret, !c.go119), "reference: {}", text);
        }
        if raw_ok {
            prop_assert!(raw.is_some(), "the raw path deferred on a plain case: {}", text);
        }
        // Each reading of the raw path alone: in one pass into the hash (keys in order), in pieces.
        let (streamed, segmented) = canary_tracker::api::checksum_raw_each_way(text.as_bytes(), Some(version));
        for (way, sum) in [("streamed", &streamed), ("segmented", &segmented)] {
            if let Some(sum) = sum {
                prop_assert_eq!(Some(sum), plain.as_ref().ok(), "{} answered where the Value path erred: {}", way, text);
            }
        }
        if raw_ok {
            prop_assert!(segmented.is_some(), "the segmented path deferred on a plain case: {}", text);
            let sorted = c.entries.windows(2).all(|w| w[0].0.as_bytes() < w[1].0.as_bytes());
            prop_assert_eq!(streamed.is_some(), sorted, "the streamed path with keys sorted {}: {}", sorted, text);
        }
        // The same object with `data` given as its decoded strings (`checksum_strings`, as the JS
        // package sends it), which reads them without JSON: the same answer, and its own path
        // answers whenever the Value path does (so the comparison is not vacuous).
        let input = strings_input(&value, Some(version));
        prop_assert_eq!(canary_tracker::api::checksum_strings(&input), want_strings(&value, Some(version)), "strings: {}", text);
        let direct = canary_tracker::api::checksum_strings_direct(&input);
        if let Some(d) = &direct {
            prop_assert_eq!(Some(d), plain.as_ref().ok(), "strings answered where the Value path erred: {}", text);
        }
        if plain.is_ok() {
            prop_assert!(direct.is_some(), "the strings path deferred on a plain case: {}", text);
        }
    }
}

/// `checksum_strings` input for `object` (its `data` an object of strings and nulls), as js/src/abi.js writes it.
fn strings_input(object: &Value, version: Option<&str>) -> Vec<u8> {
    let mut head = object.clone();
    head["data"] = Value::Null;
    let head = head.to_string();
    let mut strings = vec![Some(head.as_str()), version];
    for (k, v) in object["data"].as_object().unwrap() {
        strings.push(Some(k));
        strings.push(v.as_str());
    }
    encode_strings(&strings)
}

fn encode_strings(strings: &[Option<&str>]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in strings {
        match s {
            Some(s) => {
                out.extend_from_slice(&u32::try_from(s.len()).unwrap().to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
        }
    }
    out
}

/// The answer for the whole object as JSON text, through `call` as the JS package asks it
/// (a version's error is at `/flaggerVersion` there).
fn want_strings(object: &Value, version: Option<&str>) -> String {
    canary_tracker::api::call_bytes(
        json!({"fn": "checksum", "object": object, "flaggerVersion": version}).to_string().as_bytes(),
    )
}

#[test]
fn strings_path_answers_as_the_json_path() {
    let cases = [
        json!({"kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"b": "<2>\u{2028}", "a": null, "é": "\u{1}"}}),
        json!({"kind": "ConfigMap", "metadata": {"name": "x"}, "data": {}}),
        json!({"kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "x"}, "binaryData": {"b": "YQ=="}}),
        json!({"kind": "Secret", "metadata": {"name": "x"}, "data": {"a": "YQ==", "b": null, "c": "Y\r\nQ=="}}),
        json!({"kind": "Secret", "metadata": {"name": "x"}, "data": {"a": "!"}}),
        json!({"kind": "Secret", "metadata": {"name": "x"}, "data": {"a": "YQ=="}, "stringData": {"b": "c"}}),
        json!({"kind": "Secret", "metadata": {"name": "x"}, "data": {"a": "YQ=="}, "stringData": 1}),
        json!({"kind": "Deployment", "metadata": {"name": "x"}, "data": {"a": "b"}}),
        json!({"kind": "ConfigMap", "metadata": {}, "data": {"a": "b"}}),
        json!({"kind": "ConfigMap", "data": {"a": "b"}}),
    ];
    for object in &cases {
        for version in [None, Some("1.36.1"), Some("0.1.0")] {
            let got = canary_tracker::api::checksum_strings(&strings_input(object, version));
            assert_eq!(got, want_strings(object, version), "{object} at {version:?}");
        }
    }
    // Malformed runs are coded errors, never a panic.
    let head = r#"{"kind":"ConfigMap","metadata":{"name":"x"},"data":null}"#;
    let code = |input: &[u8]| -> String {
        let v: Value = serde_json::from_str(&canary_tracker::api::checksum_strings(input)).unwrap();
        v["error"]["code"].as_str().unwrap_or("none").to_owned()
    };
    assert_eq!(code(&encode_strings(&[Some(head), None])), "none");
    assert_eq!(code(&[]), "invalid-request");
    assert_eq!(code(&encode_strings(&[None, None])), "invalid-request");
    assert_eq!(code(&encode_strings(&[Some(head)])), "invalid-request");
    assert_eq!(code(&encode_strings(&[Some(head), None, Some("a")])), "invalid-request");
    assert_eq!(code(&encode_strings(&[Some(head), None, None, Some("a")])), "invalid-request");
    let mut cut = encode_strings(&[Some(head), None, Some("a"), Some("bc")]);
    cut.pop();
    assert_eq!(code(&cut), "invalid-request");
    cut.extend_from_slice(b"cd");
    assert_eq!(code(&cut), "invalid-request");
    let mut bad = encode_strings(&[Some(head), None, Some("a"), Some("b")]);
    *bad.last_mut().unwrap() = 0xff;
    assert_eq!(code(&bad), "invalid-utf8");
    assert_eq!(code(&encode_strings(&[Some("{"), None])), "invalid-json");
}

#[test]
fn raw_path_defers_on_what_it_does_not_read() {
    let cm = |data: &str| format!(r#"{{"kind":"ConfigMap","metadata":{{"name":"x"}},"data":{data}}}"#);
    let defer = [
        cm(r#"{"a":"b"},"data":{"c":"d"}"#), // repeated data: Go merges
        cm(r#"{"a":"1","b":"2","a":null}"#), // repeated key: Go keeps the last
        cm("null"),
        cm(r#"{"a":1}"#),
        cm(r#"{"a\u0062":"x"}"#), // escaped key
        cm(r#"{"a":"b",}"#),
        cm(r#"{"a":"b"} x"#),
        r#"{"kind":"ConfigMap","metadata":{"name":"x"}}"#.to_owned(),
        r#"{"kind":"Secret","metadata":{"name":"x"},"data":{"a":"YQ=="},"stringData":{"b":"c"}}"#.to_owned(),
        r#"{"kind":"Secret","metadata":{"name":"x"},"data":{"a":"!"}}"#.to_owned(),
        r#"{"kind":"ConfigMap","metadata":{},"data":{"a":"b"}}"#.to_owned(),
        r#"{"d\u0061ta":{"a":"b"},"kind":"ConfigMap","metadata":{"name":"x"}}"#.to_owned(),
    ];
    for text in defer {
        assert_eq!(canary_tracker::api::checksum_raw(text.as_bytes(), None), None, "{text}");
        let plain = canary_tracker::read::read_json(&text).and_then(|v| canary_tracker::checksum(&v, None));
        let want = match plain {
            Ok(sum) => json!({ "checksum": sum }).to_string(),
            Err(e) => canary_tracker::api::error_value(&e).to_string(),
        };
        assert_eq!(canary_tracker::checksum_json(&text, None), want, "{text}");
    }
    let ok = cm(r#"{"b":"2","a":"1","c":null}"#);
    let sum = canary_tracker::api::checksum_raw(ok.as_bytes(), None).expect("plain case");
    let want = json!({"kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "1", "b": "2", "c": ""}});
    assert_eq!(sum, canary_tracker::checksum(&want, None).unwrap());
}
