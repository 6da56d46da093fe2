//! Golden checksums produced by real Go `encoding/json` (see tests/data/vectors).

mod common;
use canary_tracker::checksum::{ConfigKind, Escaping, GoData};
use canary_tracker::read::read_json;
use serde_json::Value;

fn run(file: &str, escaping: Escaping, version: &str) {
    let text = std::fs::read_to_string(common::data().join("vectors").join(file)).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), 55);
    let mut checked = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let object = read_json(case["object_json"].as_str().unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let kind = ConfigKind::from_kind(case["kind"].as_str().unwrap()).unwrap();
        // Go's view, without normalisation: decode `data` exactly as Flagger's informer would.
        let decoded = GoData::decode(kind, object.get("data"), "/data");
        // The public API normalises first (stringData merged) — the one documented difference.
        let api = canary_tracker::checksum(&object, Some(version));
        match (case.get("checksum").and_then(Value::as_str), case.get("error").and_then(Value::as_str)) {
            (Some(want), None) => {
                let d = decoded.unwrap_or_else(|e| panic!("{name}: Go accepted, we erred: {e}"));
                let marshaled = case["marshaled"].as_str().unwrap();
                assert_eq!(
                    String::from_utf8(d.marshal_to_vec(escaping)).unwrap(),
                    marshaled,
                    "{name}: marshaled bytes"
                );
                assert_eq!(d.checksum(escaping), want, "{name}");
                if name == "secret-stringdata-ignored" {
                    assert_ne!(api.unwrap(), want, "{name}: normalised stringData must count");
                } else {
                    assert_eq!(api.unwrap(), want, "{name}: public API");
                }
            }
            (None, Some(_)) => {
                assert!(decoded.is_err(), "{name}: Go errors, we accepted");
                assert!(api.is_err(), "{name}: public API accepted");
            }
            _ => panic!("{name}: case has neither checksum nor error"),
        }
        checked += 1;
    }
    assert_eq!(checked, 55);
}

#[test]
fn go_1_23_vectors() {
    run("checksum-go1.23.json", Escaping::Go122, "1.44.0");
}

#[test]
fn go_1_19_vectors() {
    run("checksum-go1.19.json", Escaping::Go119, "1.36.0");
}

#[test]
fn stringdata_is_merged_before_checksumming() {
    let with = serde_json::json!({"kind": "Secret", "metadata": {"name": "s"}, "data": {"a": "eA=="}, "stringData": {"a": "y", "b": "z"}});
    let without = serde_json::json!({"kind": "Secret", "metadata": {"name": "s"}, "data": {"a": "eQ==", "b": "eg=="}});
    assert_eq!(canary_tracker::checksum(&with, None).unwrap(), canary_tracker::checksum(&without, None).unwrap());
}
