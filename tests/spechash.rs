//! Flagger's spec hash against hashes made by the real Go code (Flagger's
//! `ComputeHash` compiled against each release's pinned k8s.io/api,
//! apimachinery and go-spew): every case under every layout
//! (tests/data/vectors/spechash.json, vendored from ../shared).

mod common;

use canary_tracker::read::read_json;
use canary_tracker::spechash::{self, layout, spew::SpewError, Root};
use serde_json::Value;

fn vectors() -> (Value, Vec<Value>) {
    let dir = common::data().join("vectors");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("spechash.json")).unwrap()).unwrap();
    // The exact input text, read the way the core reads requests.
    let inputs = std::fs::read_to_string(dir.join("spechash-inputs.jsonl"))
        .unwrap()
        .lines()
        .map(|l| read_json(l).unwrap())
        .collect();
    (v, inputs)
}

/// The hashed value for a vector input: a Deployment/DaemonSet, a core/v1
/// PodTemplate, `{"template": …}`, or a Service.
fn hashed(kind: &str, input: &Value) -> (Root, Value) {
    let k = input.get("kind").and_then(Value::as_str).unwrap_or_default();
    if let Some(h) = spechash::hashed_value(k, input, false) {
        return h;
    }
    assert_eq!(kind, "template", "unexpected service input shape");
    (Root::Template, input.get("template").cloned().unwrap_or(Value::Null))
}

fn first_difference(a: &str, b: &str) -> String {
    let i = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    let lo = i.saturating_sub(120);
    let cut = |s: &str| s.get(lo..(i + 80).min(s.len())).unwrap_or(s).to_owned();
    format!("at byte {i}:\n  ours: …{}\n  go:   …{}", cut(a), cut(b))
}

#[test]
fn every_case_under_every_layout() {
    let (v, inputs) = vectors();
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), inputs.len());
    let layouts = layout::catalog().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (case, input) in cases.iter().zip(&inputs) {
        let name = case["name"].as_str().unwrap();
        let (root, value) = hashed(case["kind"].as_str().unwrap(), input);
        for (layout_name, want) in case["hashes"].as_object().unwrap() {
            assert!(
                layouts.order.contains(&layout_name.as_str()),
                "vector layout {layout_name} unknown to the catalog"
            );
            checked += 1;
            let got = spechash::hash(root, &value, layout_name);
            match (want, &got) {
                (Value::String(w), Ok(g)) if w == g => {}
                (Value::Object(e), Err(SpewError::Decode { .. })) if e.contains_key("error") => {}
                _ => {
                    let mut msg = format!("{name} @ {layout_name}: want {want}, got {got:?}");
                    if let (Some(go), Ok(ours)) = (
                        case.pointer(&format!("/spew/{layout_name}")).and_then(Value::as_str),
                        spechash::spew_text(root, &value, layout_name),
                    ) {
                        msg.push('\n');
                        msg.push_str(&first_difference(&ours, go));
                    }
                    failures.push(msg);
                }
            }
        }
    }
    assert!(checked >= 1000, "only {checked} case×layout pairs");
    assert!(failures.is_empty(), "{} of {checked} differ:\n{}", failures.len(), failures.join("\n\n"));
}

/// Every Flagger release the vectors name maps to the layout they say.
#[test]
fn release_table_matches_the_vectors() {
    let (v, _) = vectors();
    let layouts = layout::catalog().unwrap();
    for r in v["releases"].as_array().unwrap() {
        let rel = r["flagger"].as_str().unwrap();
        assert_eq!(layouts.layout_for_release(rel), r["layout"].as_str(), "release {rel}");
    }
}

/// Manifest form: the API server's defaults applied to mf-podinfo give
/// srv-podinfo's Go hash under every layout.
#[test]
fn server_defaults_turn_the_podinfo_manifest_into_the_stored_object() {
    let (v, inputs) = vectors();
    let case = |n: &str| v["cases"].as_array().unwrap().iter().position(|c| c["name"] == n).unwrap();
    let (mf, srv) = (case("mf-podinfo"), case("srv-podinfo"));
    let (root, mut value) = hashed("template", &inputs[mf]);
    spechash::apply_server_defaults(root, &mut value);
    for (layout_name, want) in v["cases"][srv]["hashes"].as_object().unwrap() {
        assert_eq!(&spechash::hash(root, &value, layout_name).unwrap(), want.as_str().unwrap(), "{layout_name}");
    }
}

/// The defaults are what the server already filled in: applied to every
/// server-form case they change no hash.
#[test]
fn server_defaults_leave_server_form_unchanged() {
    let (v, inputs) = vectors();
    for (case, input) in v["cases"].as_array().unwrap().iter().zip(&inputs) {
        if case["form"] != "server" {
            continue;
        }
        let (root, value) = hashed(case["kind"].as_str().unwrap(), input);
        let kind = input.get("kind").and_then(Value::as_str).unwrap_or_default();
        let defaulted = match spechash::hashed_value(kind, input, true) {
            Some((_, d)) => d,
            None => {
                let mut d = value.clone();
                spechash::apply_server_defaults(root, &mut d);
                d
            }
        };
        for layout_name in ["api-v0.17", "api-v0.36"] {
            let a = spechash::spew_text(root, &value, layout_name).unwrap();
            let b = spechash::spew_text(root, &defaulted, layout_name).unwrap();
            assert!(a == b, "{} @ {layout_name} changed by defaults: {}", case["name"], first_difference(&b, &a));
        }
    }
}

/// The hash is taken while printing (constant memory): it equals FNV-32a of
/// the whole text for every case.
#[test]
fn streamed_hash_equals_the_hash_of_the_text() {
    let (v, inputs) = vectors();
    for (case, input) in v["cases"].as_array().unwrap().iter().zip(&inputs) {
        let (root, value) = hashed(case["kind"].as_str().unwrap(), input);
        if let Ok(text) = spechash::spew_text(root, &value, "api-v0.36") {
            let whole = spechash::safe_encode(&spechash::fnv32a(text.as_bytes()).to_string());
            assert_eq!(spechash::hash(root, &value, "api-v0.36").unwrap(), whole, "{}", case["name"]);
        }
    }
}
