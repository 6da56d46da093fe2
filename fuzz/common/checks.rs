//! The properties the fuzz targets check, shared by `fuzz/fuzz_targets/*.rs`
//! (libFuzzer) and `tests/hardening_corpus.rs` (replays `fuzz/corpus/*` in a
//! plain `cargo test`). Only std, serde_json, sha2, base64 and the crate: no
//! `arbitrary`, so the test build needs no extra dependency. Inputs are
//! decoded from raw bytes by small hand-written readers, so a corpus file
//! means the same thing in both places.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use base64::Engine as _;
use canary_tracker::checksum::{ConfigKind, Escaping, GoData};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// A value planted in Secret data: no error, warning or untracked message may
/// ever contain it (in clear or as base64).
pub const SECRET_MARKER: &str = "S3CR3T-MARKER-do-not-print-7f3a";

pub fn secret_marker_b64() -> String {
    base64::engine::general_purpose::STANDARD.encode(SECRET_MARKER)
}

fn check_error(e: &Value, ctx: &str) {
    let code = e["code"].as_str().unwrap_or_else(|| panic!("{ctx}: error without a code: {e}"));
    assert!(canary_tracker::ErrorCode::ALL.iter().any(|c| c.as_str() == code), "{ctx}: unknown code {code}");
    assert!(code != "internal-error", "{ctx}: internal-error: {e}");
    assert!(e["message"].is_string(), "{ctx}: error without a message: {e}");
    if let Some(p) = e.get("path") {
        let p = p.as_str().unwrap_or_else(|| panic!("{ctx}: path not a string: {e}"));
        assert!(p.is_empty() || p.starts_with('/'), "{ctx}: path {p:?} is not a JSON pointer");
    }
}

/// A response text is JSON and exactly one of `{"plans": [...], "warnings"?}`
/// or `{"error": {...}}`, with known codes; every plan is consistent.
pub fn check_response(text: &str) -> Value {
    let v: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("response is not JSON ({e}): {text:.200}"));
    let m = v.as_object().expect("response is an object");
    if let Some(e) = m.get("error") {
        assert_eq!(m.len(), 1, "error response with other fields: {text:.300}");
        check_error(e, "request");
        return v;
    }
    assert!(m.keys().all(|k| k == "plans" || k == "warnings"), "unexpected response fields: {:?}", m.keys());
    for w in m.get("warnings").map(|w| w.as_array().expect("warnings array").as_slice()).unwrap_or(&[]) {
        assert_eq!(w["code"], "invalid-object", "top-level warning: {w}");
        assert!(w["message"].is_string());
    }
    for p in m["plans"].as_array().expect("plans array") {
        assert!(p["canary"]["name"].is_string() && p["canary"]["namespace"].is_string());
        assert!(p["flaggerVersion"].is_string());
        if p["error"].is_null() {
            assert!(p["configsChanged"].is_boolean(), "plan without error and verdict: {p}");
            assert!(
                p["primaryWorkload"].is_object() || p["services"].is_object(),
                "plan without error has neither a workload nor services: {p}"
            );
        } else {
            check_error(&p["error"], "plan");
            // A failed plan shows the error, not half-built objects.
            for f in ["trackedConfigs", "configsChanged", "primaryWorkload", "services"] {
                assert!(p[f].is_null(), "failed plan has {f}: {p}");
            }
            for f in ["configChanges", "primaryConfigs", "rewrites"] {
                assert_eq!(p[f], json!([]), "failed plan has {f}: {p}");
            }
        }
        for w in p["warnings"].as_array().expect("plan warnings") {
            assert!(w["code"].is_string() && w["message"].is_string(), "bad warning {w}");
        }
    }
    v
}

/// Messages a user sees that are not the (secret-bearing) copies themselves.
pub fn messages(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut push = |x: &Value| {
        if let Some(s) = x.get("message").and_then(Value::as_str) {
            out.push(s.to_owned());
        }
        if let Some(s) = x.get("path").and_then(Value::as_str) {
            out.push(s.to_owned());
        }
    };
    if let Some(e) = v.get("error") {
        push(e);
    }
    for w in v.get("warnings").and_then(Value::as_array).into_iter().flatten() {
        push(w);
    }
    for p in v.get("plans").and_then(Value::as_array).into_iter().flatten() {
        if !p["error"].is_null() {
            push(&p["error"]);
        }
        for k in ["warnings", "untrackedConfigs"] {
            for w in p[k].as_array().into_iter().flatten() {
                push(w);
            }
        }
    }
    out
}

pub fn assert_no_marker(v: &Value) {
    let b64 = secret_marker_b64();
    for m in messages(v) {
        assert!(!m.contains(SECRET_MARKER) && !m.contains(&b64), "a message shows Secret data: {m}");
    }
}

/// Target `plan_bytes`: arbitrary bytes through every text entry point.
pub fn plan_bytes_target(data: &[u8]) {
    let out = canary_tracker::plan_bytes(data);
    let v = check_response(&out);
    let Ok(text) = std::str::from_utf8(data) else {
        assert_eq!(v["error"]["code"], "invalid-utf8", "non-UTF-8 input: {out:.200}");
        return;
    };
    assert_eq!(canary_tracker::plan_json(text), out, "plan_json and plan_bytes differ");
    if let Ok(req) = canary_tracker::read::read_json(text) {
        assert_eq!(canary_tracker::plan_value(&req), v, "plan_value and plan_json differ");
    } else {
        assert_eq!(v["error"]["code"], "invalid-json");
    }
    let c: Value = serde_json::from_str(&canary_tracker::checksum_json(text, None)).expect("checksum_json is JSON");
    match (c.get("checksum"), c.get("error")) {
        (Some(Value::String(s)), None) => assert!(s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit())),
        (None, Some(e)) => check_error(e, "checksum"),
        _ => panic!("bad checksum response {c}"),
    }
}

/// Reads bytes one at a time; past the end it yields zeros.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, pos: 0 }
    }
    pub fn done(&self) -> bool {
        self.pos >= self.data.len()
    }
    pub fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }
    pub fn u16(&mut self) -> u16 {
        u16::from(self.u8()) << 8 | u16::from(self.u8())
    }
    pub fn pick<'b, T>(&mut self, xs: &'b [T]) -> &'b T {
        &xs[self.u8() as usize % xs.len()]
    }
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let start = self.pos.min(self.data.len());
        let end = (start + n).min(self.data.len());
        self.pos = start + n;
        &self.data[start..end]
    }
}

pub const FIXTURES: &[(&str, &str)] = &[
    ("daemonset", include_str!("../fixtures/daemonset.json")),
    ("mandatory-missing", include_str!("../fixtures/mandatory-missing.json")),
    ("optional-missing-and-disabled", include_str!("../fixtures/optional-missing-and-disabled.json")),
    ("podinfo-config-edited", include_str!("../fixtures/podinfo-config-edited.json")),
    ("podinfo-first-run", include_str!("../fixtures/podinfo-first-run.json")),
    ("podinfo-unchanged", include_str!("../fixtures/podinfo-unchanged.json")),
    ("projected-and-init", include_str!("../fixtures/projected-and-init.json")),
    ("service-target", include_str!("../fixtures/service-target.json")),
];

/// Pointers worth changing in a Kubernetes object (any kind).
const POINTERS: &[&str] = &[
    "",
    "/kind",
    "/apiVersion",
    "/metadata",
    "/metadata/name",
    "/metadata/namespace",
    "/metadata/labels",
    "/metadata/labels/app",
    "/metadata/annotations",
    "/metadata/annotations/flagger.app~1config-tracking",
    "/metadata/uid",
    "/metadata/ownerReferences",
    "/spec",
    "/spec/targetRef",
    "/spec/targetRef/kind",
    "/spec/targetRef/name",
    "/spec/targetRef/apiVersion",
    "/status",
    "/status/trackedConfigs",
    "/status/trackedConfigs/configmap~1podinfo-config-env",
    "/spec/selector",
    "/spec/selector/matchLabels",
    "/spec/selector/matchLabels/app",
    "/spec/updateStrategy/type",
    "/spec/template",
    "/spec/template/metadata/labels",
    "/spec/template/spec",
    "/spec/template/spec/volumes",
    "/spec/template/spec/volumes/0",
    "/spec/template/spec/volumes/0/configMap",
    "/spec/template/spec/volumes/0/configMap/name",
    "/spec/template/spec/volumes/0/configMap/optional",
    "/spec/template/spec/volumes/0/secret/secretName",
    "/spec/template/spec/volumes/1/projected/sources",
    "/spec/template/spec/volumes/1/projected/sources/0/secret/name",
    "/spec/template/spec/containers",
    "/spec/template/spec/containers/0",
    "/spec/template/spec/containers/0/env",
    "/spec/template/spec/containers/0/env/0/valueFrom/configMapKeyRef",
    "/spec/template/spec/containers/0/env/0/valueFrom/secretKeyRef/name",
    "/spec/template/spec/containers/0/envFrom",
    "/spec/template/spec/containers/0/envFrom/0/configMapRef/name",
    "/spec/template/spec/containers/0/envFrom/0/secretRef/optional",
    "/spec/template/spec/initContainers",
    "/spec/template/spec/imagePullSecrets",
    "/spec/ports",
    "/spec/clusterIP",
    "/data",
    "/data/key",
    "/data/token",
    "/stringData",
    "/stringData/key",
    "/binaryData",
    "/type",
];

const STRINGS: &[&str] = &[
    "",
    "a",
    "podinfo",
    "podinfo-config-env",
    "podinfo-secret-env",
    "test",
    "default",
    "Canary",
    "Deployment",
    "DaemonSet",
    "Service",
    "ConfigMap",
    "Secret",
    "StatefulSet",
    "apps/v1",
    "v1",
    "serving.knative.dev/v1",
    "flagger.app/v1beta1",
    "disabled",
    "RollingUpdate",
    "OnDelete",
    "None",
    "Opaque",
    "kubernetes.io/tls",
    "kubernetes.io/dockerconfigjson",
    "YWRtaW4=",
    "QR==",
    "YW\r\nI=",
    "not base64!",
    "<>&\u{2028}\u{2029}\u{7f}\u{8}\u{c}\"\\",
    "\u{fffd}",
    "a/b~c",
    "1.44.0",
    "0.20.3",
];

fn long_name(n: usize) -> String {
    "n".repeat(n)
}

/// A small JSON value from the bytes.
fn gen_value(b: &mut Bytes<'_>, depth: u32) -> Value {
    match b.u8() % 12 {
        0 => Value::Null,
        1 => Value::Bool(b.u8() & 1 == 1),
        2 => json!(i64::from(b.u16() as i16)),
        3 => json!(f64::from(b.u16()) / 7.0),
        4..=6 => Value::String((*b.pick(STRINGS)).to_owned()),
        7 => {
            let n = usize::from(b.u8() % 24);
            Value::String(String::from_utf8_lossy(b.take(n)).into_owned())
        }
        8 => Value::String(long_name(*b.pick(&[63usize, 245, 246, 253, 254, 300]))),
        9 if depth < 4 => Value::Array((0..b.u8() % 4).map(|_| gen_value(b, depth + 1)).collect()),
        10 if depth < 4 => {
            let mut m = Map::new();
            for _ in 0..b.u8() % 4 {
                let k = (*b.pick(&["name", "optional", "key", "configMap", "secret", "kind", "app", "type", "items"]))
                    .to_owned();
                m.insert(k, gen_value(b, depth + 1));
            }
            Value::Object(m)
        }
        _ => json!({}),
    }
}

/// Sets `pointer` in `root`, creating objects on the way; `""` replaces root.
fn set_pointer(root: &mut Value, pointer: &str, value: Value) {
    if pointer.is_empty() {
        *root = value;
        return;
    }
    let mut cur = root;
    let segs: Vec<String> = pointer[1..].split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        if let (Value::Array(a), Ok(idx)) = (&*cur, seg.parse::<usize>()) {
            if idx < a.len() {
                let Value::Array(a) = cur else { unreachable!() };
                if last {
                    a[idx] = value;
                    return;
                }
                cur = &mut a[idx];
                continue;
            }
        }
        if !cur.is_object() {
            *cur = json!({});
        }
        let Value::Object(m) = cur else { unreachable!() };
        if last {
            m.insert(seg.clone(), value);
            return;
        }
        cur = m.entry(seg.clone()).or_insert_with(|| json!({}));
    }
}

fn remove_pointer(root: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else { return };
    let last = last.replace("~1", "/").replace("~0", "~");
    match root.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.shift_remove(&last);
        }
        Some(Value::Array(a)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < a.len() {
                    a.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// Builds a request from a fixture and the mutations the bytes describe.
pub fn structured_request(data: &[u8]) -> Value {
    let mut b = Bytes::new(data);
    let (_, fixture) = *b.pick(FIXTURES);
    let mut req: Value = serde_json::from_str(fixture).expect("fixture JSON");
    let mut ops = 0;
    while !b.done() && ops < 32 {
        ops += 1;
        let op = b.u8() % 8;
        let objects = req["objects"].as_array_mut().expect("objects");
        let n = objects.len();
        match op {
            0..=2 => {
                let i = b.u8() as usize % (n + 1);
                if i == n {
                    objects.push(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "extra"}}));
                }
                let p = *b.pick(POINTERS);
                let v = gen_value(&mut b, 0);
                set_pointer(&mut objects[i], p, v);
            }
            3 => {
                let i = b.u8() as usize % n.max(1);
                let p = *b.pick(POINTERS);
                if let Some(o) = objects.get_mut(i) {
                    remove_pointer(o, p);
                }
            }
            4 => {
                if let Some(o) = objects.get(b.u8() as usize % n.max(1)).cloned() {
                    objects.push(o);
                }
            }
            5 => {
                // Plant a Secret carrying the marker, named like a referenced config.
                let name = (*b.pick(&["podinfo-secret-env", "podinfo-secret-vol", "log-sink", "app-secret", "extra"]))
                    .to_owned();
                let ns = (*b.pick(&["test", "default", "monitoring"])).to_owned();
                let mut s = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": ns},
                    "data": {"password": secret_marker_b64(), "user": secret_marker_b64()}});
                if b.u8() & 1 == 1 {
                    s["stringData"] = json!({ "extra": SECRET_MARKER });
                }
                if b.u8() & 1 == 1 {
                    s["type"] = Value::String(
                        (*b.pick(&["Opaque", "kubernetes.io/tls", "kubernetes.io/dockerconfigjson"])).to_owned(),
                    );
                }
                objects.push(s);
            }
            6 => {
                let opts = req.as_object_mut().expect("request").entry("options").or_insert_with(|| json!({}));
                match b.u8() % 6 {
                    0 => {
                        opts["flaggerVersion"] = Value::String(
                            (*b.pick(&["1.44.0", "1.37.0", "1.36.1", "1.0.0", "0.20.4", "0.20.3", "2.0.0", "x"]))
                                .to_owned(),
                        )
                    }
                    1 => opts["enableConfigTracking"] = Value::Bool(b.u8() & 1 == 1),
                    2 => opts["selectorLabels"] = json!([*b.pick(&["app", "name", "app.kubernetes.io/name", "zz"])]),
                    3 => opts["includeLabelPrefix"] = json!([*b.pick(&["*", "app", "", "kustomize"])]),
                    4 => opts["defaultNamespace"] = Value::String((*b.pick(&["default", "test", ""])).to_owned()),
                    _ => opts[*b.pick(&["flaggerVersion", "selectorLabels", "bogus"])] = gen_value(&mut b, 2),
                }
            }
            _ => {
                let f = match b.u8() % 3 {
                    0 => json!({"name": *b.pick(STRINGS)}),
                    1 => json!({"namespace": *b.pick(STRINGS), "name": *b.pick(STRINGS)}),
                    _ => gen_value(&mut b, 2),
                };
                req["canary"] = f;
            }
        }
    }
    req
}

/// Target `plan_structured`: mutated fixtures; the value and text paths
/// agree, plans are consistent and no message carries Secret data.
pub fn plan_structured_target(data: &[u8]) {
    let req = structured_request(data);
    let text = req.to_string();
    let out = canary_tracker::plan_json(&text);
    let v = check_response(&out);
    assert_eq!(canary_tracker::plan_value(&req), v, "plan_value and plan_json differ");
    assert_eq!(canary_tracker::plan_bytes(text.as_bytes()), out);
    assert_no_marker(&v);
    // Every tracked checksum is the one `checksum()` gives for that object.
    if let (Some(plans), Some(objects)) = (v["plans"].as_array(), req["objects"].as_array()) {
        let version = req.pointer("/options/flaggerVersion").and_then(Value::as_str);
        for p in plans {
            let ns = p["canary"]["namespace"].as_str().unwrap_or_default();
            for (r, sum) in p["trackedConfigs"].as_object().into_iter().flatten() {
                let (prefix, name) = r.split_once('/').expect("ref has a /");
                let kind = if prefix == "configmap" { "ConfigMap" } else { "Secret" };
                let default_ns = req.pointer("/options/defaultNamespace").and_then(Value::as_str).unwrap_or("default");
                // The last readable object with that kind/namespace/name wins
                // (unreadable ones are skipped with a warning).
                let obj = objects.iter().enumerate().rev().find_map(|(i, o)| {
                    let read = canary_tracker::objects::read_object(Some(i), o, default_ns).ok().flatten()?;
                    (read.kind == kind && read.name == name && read.namespace == ns).then_some(o)
                });
                let obj = obj.unwrap_or_else(|| panic!("{r} tracked but not in objects"));
                let mut obj = obj.clone();
                obj["metadata"]["namespace"] = Value::String(ns.into());
                assert_eq!(
                    canary_tracker::checksum(&obj, version).as_deref().ok(),
                    sum.as_str(),
                    "{r}: checksum() differs from the plan"
                );
            }
        }
    }
}

/// Go's `json.Marshal` of one string, written the obvious way from Go's
/// rules (encoding/json encode.go appendString with escapeHTML = true).
pub fn reference_string(s: &str, go122: bool, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' if go122 => out.push_str("\\b"),
            '\u{c}' if go122 => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c), // DEL and all other runes: raw
        }
    }
    out.push('"');
}

/// Characters Go's encoding or JSON treat specially, and a few ordinary
/// ones (also the property tests' alphabet, tests/checksum_raw_props.rs).
pub const GO_SPECIAL: &[char] = &[
    '<',
    '>',
    '&',
    '"',
    '\\',
    '\n',
    '\r',
    '\t',
    '\u{0}',
    '\u{1}',
    '\u{8}',
    '\u{c}',
    '\u{1f}',
    '\u{7f}',
    '\u{80}',
    '\u{2027}',
    '\u{2028}',
    '\u{2029}',
    '\u{202a}',
    '\u{e2}',
    '\u{fffd}',
    '\u{10ffff}',
    'é',
    '😀',
    ' ',
    'a',
];

/// A string from the bytes: mostly raw (lossy UTF-8), sometimes picked
/// from characters Go treats specially.
fn gen_string(b: &mut Bytes<'_>) -> String {
    let len = usize::from(b.u8() % 40);
    if b.u8() & 1 == 0 {
        return String::from_utf8_lossy(b.take(len)).into_owned();
    }
    (0..len).map(|_| *b.pick(GO_SPECIAL)).collect()
}

/// Target `checksum_diff`: the streaming Go encoder against
/// [`reference_string`], for ConfigMaps and Secrets, both escapings.
pub fn checksum_diff_target(data: &[u8]) {
    let mut b = Bytes::new(data);
    let flags = b.u8();
    let go122 = flags & 1 == 0;
    let escaping = if go122 { Escaping::Go122 } else { Escaping::Go119 };
    let secret = flags & 2 != 0;
    let nil = flags & 0x1c == 0x1c;
    let mut data = Map::new();
    let mut want_entries: BTreeMap<String, String> = BTreeMap::new();
    while !b.done() && data.len() < 64 {
        let key = gen_string(&mut b);
        let (value, want) = if secret {
            match b.u8() % 8 {
                0 => (Value::Null, "null".to_owned()),
                n => {
                    let len = usize::from(b.u8()) % 48;
                    let raw = b.take(len).to_vec();
                    let canon = base64::engine::general_purpose::STANDARD.encode(&raw);
                    // Go skips \r and \n anywhere in base64 input.
                    let text = if n == 1 && canon.len() > 2 {
                        format!("{}\r\n{}", &canon[..2], &canon[2..])
                    } else {
                        canon.clone()
                    };
                    (Value::String(text), format!("\"{canon}\""))
                }
            }
        } else if b.u8() % 16 == 0 {
            (Value::Null, "\"\"".to_owned())
        } else {
            let s = gen_string(&mut b);
            let mut w = String::new();
            reference_string(&s, go122, &mut w);
            (Value::String(s), w)
        };
        data.insert(key.clone(), value);
        want_entries.insert(key, want);
    }
    let want = go_object_text(nil, &want_entries, go122);
    // The object-level API reads data as the API server stores it: a Secret
    // `null` is empty bytes and an empty map is nil (src/objects.rs config_data).
    let stored: BTreeMap<String, String> = want_entries
        .iter()
        .map(|(k, v)| (k.clone(), if v == "null" { "\"\"".to_owned() } else { v.clone() }))
        .collect();
    let api_want = go_object_text(nil || stored.is_empty(), &stored, go122);
    let kind = if secret { ConfigKind::Secret } else { ConfigKind::ConfigMap };
    let data = Value::Object(data);
    let go = GoData::decode(kind, if nil { None } else { Some(&data) }, "/data").expect("valid data decodes");
    let got = go.marshal_to_vec(escaping);
    assert_eq!(String::from_utf8_lossy(&got), want, "marshal differs from the reference");
    let digest = Sha256::digest(want.as_bytes());
    let want_sum = hex_of(&digest[..8]);
    assert_eq!(go.checksum(escaping), want_sum);
    // The object-level API agrees (1.36.1 is built with Go < 1.22).
    let mut obj = json!({"apiVersion": "v1", "kind": kind.kind(), "metadata": {"name": "x"}});
    if !nil {
        obj["data"] = data;
    }
    let version = if go122 { "1.44.0" } else { "1.36.1" };
    let api_sum = hex_of(&Sha256::digest(api_want.as_bytes())[..8]);
    assert_eq!(canary_tracker::checksum(&obj, Some(version)).expect("checksum"), api_sum);
    let j: Value = serde_json::from_str(&canary_tracker::checksum_json(&obj.to_string(), Some(version))).expect("JSON");
    assert_eq!(j["checksum"], Value::String(api_sum));
}

/// Go's `json.Marshal` of a map whose values are already encoded (`null` when nil).
fn go_object_text(nil: bool, entries: &BTreeMap<String, String>, go122: bool) -> String {
    if nil {
        return "null".to_owned();
    }
    let mut out = String::from("{");
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        reference_string(k, go122, &mut out);
        out.push(':');
        out.push_str(v);
    }
    out.push('}');
    out
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
