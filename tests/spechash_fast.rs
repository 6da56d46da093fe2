//! The import-free module's `specHash` fast path (`api::spec_hash_fast`: the
//! request read as a tape, the template hashed without a `serde_json::Value`)
//! answers byte for byte as the general path (`read_json` → `Value` →
//! `api::spec_hash`): on every spec-hash vector under every layout and form,
//! and on templates mutated at random (fields removed, nulled, retyped,
//! unknown keys added, strings spelt with escapes, repeated keys). The fast
//! path does answer the plain server-form cases, so the comparison is not
//! vacuous. And the tape reads any JSON text it accepts as `read_json` does.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use canary_tracker::api;
use canary_tracker::read::read_json;
use canary_tracker::spechash::{self, layout, spew::Printer, tape::Tape, Root};
use proptest::prelude::*;
use serde_json::{json, Value};

fn inputs() -> Vec<String> {
    let text = std::fs::read_to_string(common::data().join("vectors/spechash-inputs.jsonl")).unwrap();
    text.lines().map(str::to_owned).collect()
}

/// A Deployment or Service object text for a vector input (bare templates
/// are wrapped in a server-form Deployment).
fn object_text(line: &str) -> String {
    let v: Value = serde_json::from_str(line).unwrap();
    match v.get("kind").and_then(Value::as_str) {
        Some("Deployment" | "DaemonSet" | "Service") => line.to_owned(),
        _ => {
            let t = v.get("template").cloned().unwrap_or(v);
            json!({"apiVersion": "apps/v1", "kind": "Deployment",
                   "metadata": {"name": "x", "namespace": "n", "uid": "u"}, "spec": {"template": t}})
            .to_string()
        }
    }
}

/// The `call` request, and the same request with `fn` repeated: the tape
/// leaves a repeated key to `read_json` (which keeps the later, equal value),
/// so that one takes the general path.
fn requests(object: &str, release: Option<&str>, form: Option<&str>) -> (String, String) {
    let mut args = String::new();
    if let Some(r) = release {
        args.push_str(&format!(r#","flaggerVersion":"{r}""#));
    }
    if let Some(f) = form {
        args.push_str(&format!(r#","specForm":"{f}""#));
    }
    (
        format!(r#"{{"fn":"specHash","object":{object}{args}}}"#),
        format!(r#"{{"fn":"specHash","object":{object}{args},"fn":"specHash"}}"#),
    )
}

/// Both paths' answers; true when the fast path answered.
fn compare(object: &str, release: Option<&str>, form: Option<&str>) -> bool {
    let (fast, general) = requests(object, release, form);
    assert!(api::spec_hash_fast(general.as_bytes()).is_none(), "the repeated key must take the general path");
    let (a, b) = (api::call_bytes(fast.as_bytes()), api::call_bytes(general.as_bytes()));
    assert_eq!(a, b, "{release:?} {form:?} on {object}");
    api::spec_hash_fast(fast.as_bytes()).is_some()
}

/// One release per layout, a release before the spec hash, and the default.
fn releases() -> Vec<Option<&'static str>> {
    let c = layout::catalog().unwrap();
    let mut out: Vec<Option<&str>> = vec![None, Some("0.9.0")];
    for l in &c.order {
        out.push(c.releases.iter().find(|(_, rl)| rl == l).map(|(r, _)| *r));
    }
    out
}

#[test]
fn every_vector_answers_as_the_general_path() {
    let mut fast = 0;
    let mut pairs = 0;
    for line in inputs() {
        let object = object_text(&line);
        for release in releases() {
            for form in [None, Some("server"), Some("manifest"), Some("auto")] {
                pairs += 1;
                fast += usize::from(compare(&object, release, form));
            }
        }
    }
    // Server form is about half of the vectors (and `specForm: server` all of them).
    assert!(fast * 3 > pairs, "the fast path answered only {fast} of {pairs}");
}

#[test]
fn odd_requests_answer_as_the_general_path() {
    let dep = r#"{"kind":"Deployment","metadata":{"name":"a","uid":"u"},"spec":{"template":{"spec":{"containers":[{"name":"c"}]}}}}"#;
    let cases = [
        dep.to_owned(),
        dep.replace(r#""name":"c""#, r#""name":7"#),
        dep.replace(r#""name":"c""#, r#""name":"c","ports":[{"containerPort":1e3}]"#),
        dep.replace(r#""name":"c""#, r#""name":"c","ports":[{"containerPort":99999999999}]"#),
        dep.replace(r#""name":"c""#, r#""name":"c\ud800""#),
        dep.replace(r#""name":"c""#, r#""name":"c","resources":{"limits":{"cpu":2.5,"memory":-1}}"#),
        dep.replace(r#""name":"c""#, r#""name":"c","resources":{"limits":{"cpu":"2.5q"}}"#),
        dep.replace(r#"{"name":"c"}"#, r#"null"#),
        dep.replace(r#""template":{"#, r#""template":{"metadata":{"creationTimestamp":"2020-01-01T00:00:00Z"},"#),
        dep.replace(r#","spec":{"template""#, r#","spec":{"template":null,"x""#),
        dep.replace(r#","spec":{"template""#, r#","spec":"nope","x":{"template""#),
        dep.replace(r#""uid":"u""#, r#""uid":null"#),
        dep.replace(r#""name":"a","#, ""),
        dep.replace("Deployment", "DaemonSet"),
        dep.replace("Deployment", "ConfigMap"),
        r#"{"kind":"Service","metadata":{"name":"s","resourceVersion":"1"},"spec":{"ports":[{"port":80,"targetPort":"http"}]}}"#.to_owned(),
        r#"{"kind":"Service","metadata":{"name":"s","resourceVersion":"1"},"spec":{"ports":[{"port":80,"targetPort":8080}]}}"#.to_owned(),
        r#"{"kind":"Service","metadata":{"name":"s","resourceVersion":"1"},"spec":{"ports":[{"targetPort":true}]}}"#.to_owned(),
        "[]".to_owned(),
        "3".to_owned(),
    ];
    for object in &cases {
        for release in [None, Some("1.0.0"), Some("nope")] {
            for form in [None, Some("server")] {
                compare(object, release, form);
            }
        }
    }
    // Not specHash, or extra arguments: the general path's answers.
    for req in [r#"{"fn":"version"}"#, r#"{"fn":"specHash","object":{},"x":1}"#, r#"{"fn":"specHash","specForm":3}"#] {
        assert!(api::spec_hash_fast(req.as_bytes()).is_none(), "{req}");
    }
}

/// Past the text limit the chunked hash fails where the plain printer fails
/// (a chunk is only used when the whole run fits under the limit).
#[test]
fn the_text_limit_falls_where_it_falls_without_chunks() {
    let c = json!({"name": "c", "stdin": true});
    let len = |n: usize| {
        spechash::spew_text(Root::Template, &json!({"spec": {"containers": vec![&c; n]}}), "api-v0.36").unwrap().len()
    };
    let each = len(2) - len(1);
    let t = json!({"spec": {"containers": vec![&c; (256 << 20) / each + 10]}});
    let plain = {
        let tape = Tape::from_value(&t);
        let l = layout::catalog().unwrap().layout("api-v0.36").unwrap();
        let mut p = Printer::new(l, false, false);
        p.root(layout::catalog().unwrap().root_template, tape.root()).map(|()| p.out.fnv)
    };
    let err = plain.unwrap_err();
    assert!(format!("{err:?}").contains("256 MiB"), "{err:?}");
    for _ in 0..2 {
        assert_eq!(spechash::hash(Root::Template, &t, "api-v0.36").unwrap_err(), err);
    }
}

/// A JSON string spelt with escapes where `how` says (the same text).
fn spell_string(s: &str, how: &[u8]) -> String {
    let mut out = String::from("\"");
    for (i, c) in s.chars().enumerate() {
        let h = how.get(i % how.len().max(1)).copied().unwrap_or(0);
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || h % 5 == 0 => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            '/' if h % 5 == 1 => out.push_str("\\/"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `v` as JSON text with odd whitespace and escapes, and `fn` repeated
/// inside one object when `dup` is set.
fn write(v: &Value, how: &[u8], out: &mut String, n: &mut usize) {
    *n += 1;
    let ws = |n: usize| [" ", "", "\n\t", ""][n % 4];
    match v {
        Value::String(s) => out.push_str(&spell_string(s, &how[(*n % how.len().max(1))..])),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(ws(*n));
                write(item, how, out, n);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&spell_string(k, how));
                out.push_str(ws(*n + 1));
                out.push(':');
                write(item, how, out, n);
            }
            out.push_str(ws(*n));
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Every (path, value) of `v`, depth first.
fn paths(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Array(items) => items.iter().enumerate().for_each(|(i, x)| paths(x, format!("{at}/{i}"), out)),
        Value::Object(m) => {
            m.iter().for_each(|(k, x)| paths(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
        }
        _ => {}
    }
}

fn has_float(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_f64(),
        Value::Array(items) => items.iter().any(has_float),
        Value::Object(m) => m.values().any(has_float),
        _ => false,
    }
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-3i64..70000).prop_map(Value::from),
        Just(json!(1.5)),
        Just(json!(-0.0)),
        "[a-z0-9./:<>&é\"\\\\ \\n\u{2028}😀-]{0,12}".prop_map(Value::String),
        Just(json!("100m")),
        Just(json!("1.5Gi")),
        Just(json!({})),
        Just(json!([])),
        Just(json!({"name": "x", "unknownKey": 1})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn mutated_templates_answer_as_the_general_path(
        case in 0usize..70,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, scalar()), 1..4),
        how in prop::collection::vec(any::<u8>(), 1..8),
        release in prop::sample::select(vec![None, Some("1.0.0"), Some("1.30.0"), Some("1.44.0")]),
    ) {
        let lines = inputs();
        let mut v: Value = serde_json::from_str(&object_text(&lines[case % lines.len()])).unwrap();
        for (at, op, x) in edits {
            let mut all = Vec::new();
            paths(&v, String::new(), &mut all);
            let p = at.get(&all).clone();
            let Some((parent, last)) = p.rsplit_once('/') else { continue };
            let Some(target) = v.pointer_mut(parent) else { continue };
            match (op, target) {
                (0, Value::Object(m)) => { m.shift_remove(&last.replace("~1", "/").replace("~0", "~")); }
                (1, Value::Object(m)) => { m.insert(format!("{last}X"), x); }
                (_, t) => { if let Some(slot) = t.pointer_mut(&format!("/{last}")) { *slot = x; } }
            }
        }
        let mut text = String::new();
        write(&v, &how, &mut text, &mut 0);
        compare(&text, release, None);
        compare(&text, release, Some("server"));
        // The hash with constant runs as chunks (hashed byte by byte, then
        // by table once used 64 times) is FNV-32a of the whole text, and
        // fails where printing fails.
        let v: Value = read_json(&text).unwrap();
        if let Some((root, t)) = spechash::hashed_value("Deployment", &v, false) {
            for (l, times) in [("api-v0.17", 2), ("api-v0.36", 70)] {
                let want = spechash::spew_text(root, &t, l)
                    .map(|text| spechash::safe_encode(&spechash::fnv32a(text.as_bytes()).to_string()));
                for _ in 0..times {
                    prop_assert_eq!(&spechash::hash(root, &t, l), &want);
                }
            }
        }
    }

    #[test]
    fn the_tape_reads_what_it_accepts_as_read_json_does(
        case in 0usize..70,
        how in prop::collection::vec(any::<u8>(), 1..8),
        extra in scalar(),
    ) {
        let lines = inputs();
        let mut v: Value = serde_json::from_str(&lines[case % lines.len()]).unwrap();
        v["extra"] = extra;
        let mut text = String::new();
        write(&v, &how, &mut text, &mut 0);
        let reference = read_json(&text).unwrap();
        let tape = Tape::parse(&text);
        if let Some(t) = &tape {
            prop_assert_eq!(t.root().to_value(), reference);
        } else {
            // Only floats are left to the reference reader here.
            prop_assert!(has_float(&v), "the tape refused plain JSON: {}", text);
        }
    }
}
