//! tests/bad-inputs/: every case file through the core's byte and text entry
//! points, checked against tests/bad-inputs/expected.json (file → code and
//! where it appears: `request` error, `plan` error, `warning`, or `ok`), plus
//! the big and deep cases of generated.json, built here at test time.
//! The same cases go through the CLI and the import-free module in
//! tests/hardening/bad-inputs.test.mjs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

#[path = "../fuzz/common/checks.rs"]
mod checks;

use serde_json::Value;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs")
}

fn manifest(name: &str) -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    serde_json::from_str::<Value>(&text).unwrap().as_object().unwrap().clone()
}

/// Checks a response against one expectation; returns a description on mismatch.
fn check(name: &str, response: &str, expect: &Value) {
    let v = checks::check_response(response);
    let code = expect["code"].as_str();
    let ctx = format!("{name}: {}", &response[..response.len().min(400)]);
    match expect["where"].as_str().unwrap() {
        "request" => assert_eq!(v["error"]["code"].as_str(), code, "{ctx}"),
        "plan" => {
            let plans = v["plans"].as_array().unwrap_or_else(|| panic!("{ctx}: no plans"));
            assert_eq!(plans.len(), 1, "{ctx}");
            assert_eq!(plans[0]["error"]["code"].as_str(), code, "{ctx}");
        }
        "warning" => {
            let plans = v["plans"].as_array().unwrap_or_else(|| panic!("{ctx}: no plans"));
            assert!(plans.iter().all(|p| p["error"].is_null()), "{ctx}: a plan failed");
            let mut codes: Vec<&str> =
                v["warnings"].as_array().into_iter().flatten().filter_map(|w| w["code"].as_str()).collect();
            for p in plans {
                codes.extend(p["warnings"].as_array().unwrap().iter().filter_map(|w| w["code"].as_str()));
            }
            assert!(codes.contains(&code.unwrap()), "{ctx}: warning {code:?} not in {codes:?}");
        }
        "ok" => {
            let plans = v["plans"].as_array().unwrap_or_else(|| panic!("{ctx}: no plans"));
            assert!(!plans.is_empty() && plans.iter().all(|p| p["error"].is_null()), "{ctx}");
        }
        other => panic!("{name}: unknown where {other}"),
    }
}

fn run(name: &str, bytes: &[u8], expect: &Value) {
    let out = canary_tracker::plan_bytes(bytes);
    check(name, &out, expect);
    if let Ok(text) = std::str::from_utf8(bytes) {
        assert_eq!(canary_tracker::plan_json(text), out, "{name}: text and byte paths differ");
    }
}

#[test]
fn every_case_file_has_an_expectation_and_gives_its_code() {
    let cases = manifest("expected.json");
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut files: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|f| !["expected.json", "generated.json", "README.md"].contains(&f.as_str()))
        .collect();
    files.sort();
    let listed: Vec<&String> = cases.keys().collect();
    assert_eq!(files.iter().collect::<Vec<_>>(), listed, "files and expected.json differ");
    for (name, expect) in &cases {
        assert!(["raw", "list"].contains(&expect["cli"].as_str().unwrap()), "{name}: cli must be raw or list");
        let bytes = std::fs::read(dir().join(name)).unwrap();
        run(name, &bytes, expect);
    }
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    let mut s = String::with_capacity(depth * (open.len() + close.len()));
    for _ in 0..depth {
        s.push_str(open);
    }
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

/// The generated cases, as in tests/hardening/bad-inputs.test.mjs.
pub fn generate(name: &str) -> Vec<u8> {
    let good = std::fs::read_to_string(dir().join("odd-but-valid-data.json")).unwrap();
    match name {
        "deep-array-10000" => format!(r#"{{"objects":{}}}"#, nested("[", "]", 10_000)).into_bytes(),
        "deep-array-100" => {
            let mut v: Value = serde_json::from_str(&good).unwrap();
            let deep: Value = serde_json::from_str(&nested("[", "]", 100)).unwrap();
            v["objects"].as_array_mut().unwrap().push(deep);
            v.to_string().into_bytes()
        }
        "deep-object-10000" => {
            let inner = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
            format!(r#"{{"objects":[{{"kind":"ConfigMap","metadata":{{"name":"a"}},"data":{{"k":{inner}}}}}]}}"#)
                .into_bytes()
        }
        // One object nested 125 levels deep (its own level included) reads;
        // 126 is over serde_json's 127 with the request's two: the CLI's
        // reader stops at the same place (js/src/parse.js MAX_OBJECT_DEPTH).
        "object-depth-125" | "object-depth-126" => {
            let depth: usize = if name.ends_with("125") { 125 } else { 126 };
            let mut v: Value = serde_json::from_str(&good).unwrap();
            v["objects"][0]["x"] = serde_json::from_str(&nested("[", "]", depth - 1)).unwrap();
            v.to_string().into_bytes()
        }
        // A number beyond float64 in a ConfigMap: Go (and kubectl) refuse it, as
        // does the CLI's reader; JSON.parse would have made it null.
        "number-1e400" => good.replacen(r#""kind""#, r#""n": 1e400, "kind""#, 1).into_bytes(),
        "big-50mb-configmap" => {
            let mut v: Value = serde_json::from_str(&good).unwrap();
            v["objects"][2]["data"]["big"] = Value::String("x".repeat(50 * 1000 * 1000));
            v.to_string().into_bytes()
        }
        "too-large-128mib" => {
            let mut s = String::from(r#"{"objects":[]}"#);
            s.push_str(&" ".repeat(canary_tracker::MAX_INPUT_BYTES + 1 - s.len()));
            s.into_bytes()
        }
        other => panic!("no generator for {other}"),
    }
}

#[test]
fn generated_big_and_deep_cases() {
    let cases = manifest("generated.json");
    for (name, expect) in &cases {
        let bytes = generate(name);
        if name == "too-large-128mib" {
            assert_eq!(bytes.len(), canary_tracker::MAX_INPUT_BYTES + 1);
        }
        run(name, &bytes, expect);
    }
}
