//! Golden checksums produced by real Go `encoding/json` (see tests/data/vectors).

mod common;
use canary_tracker::checksum::{ConfigKind, Escaping, GoData};
use canary_tracker::read::read_json;
use serde_json::Value;

fn run(file: &str, escaping: Escaping, version: &str) {
    let text = std::fs::read_to_string(common::data().join("vectors").join(file)).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), 55);
    // Go's checksum of a nil map, from the vectors themselves.
    let nil_checksum = cases.iter().find(|c| c["name"] == "cm-data-absent").unwrap()["checksum"].clone();
    let nil_checksum = nil_checksum.as_str().unwrap().to_owned();
    let (mut checked, mut raw) = (0, 0);
    let mut changed_by_storage = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let object = read_json(case["object_json"].as_str().unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let kind = ConfigKind::from_kind(case["kind"].as_str().unwrap()).unwrap();
        // Go's view, without normalisation: decode `data` exactly as Flagger's informer would.
        let decoded = GoData::decode(kind, object.get("data"), "/data");
        // The public API normalises first (stringData merged) — the one documented difference.
        let api = canary_tracker::checksum(&object, Some(version));
        // The text and bytes levels read `data` straight from the bytes when they can
        // (canary_tracker::checksum_raw); whichever path they take, they answer as the Value level.
        let json_text = case["object_json"].as_str().unwrap();
        let want_text = match &api {
            Ok(sum) => serde_json::json!({ "checksum": sum }).to_string(),
            Err(e) => canary_tracker::api::error_value(e).to_string(),
        };
        assert_eq!(canary_tracker::checksum_json(json_text, Some(version)), want_text, "{name}: checksum_json");
        assert_eq!(
            canary_tracker::api::checksum_bytes(json_text.as_bytes(), Some(version)),
            want_text,
            "{name}: bytes"
        );
        raw += usize::from(canary_tracker::api::checksum_raw(json_text.as_bytes(), Some(version)).is_some());
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
                match stored_expectation(&object, kind, &nil_checksum, escaping) {
                    _ if name == "secret-stringdata-ignored" => {
                        assert_ne!(api.unwrap(), want, "{name}: normalised stringData must count")
                    }
                    Some(stored) => {
                        changed_by_storage.push(name);
                        // vectors/README.md: Flagger reads the object as stored, not as sent.
                        assert_ne!(stored, want, "{name}: storage changes this case");
                        assert_eq!(api.unwrap(), stored, "{name}: public API normalises as stored");
                    }
                    None => assert_eq!(api.unwrap(), want, "{name}: public API"),
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
    assert_eq!(
        changed_by_storage,
        ["cm-data-empty-object", "secret-data-empty-object", "secret-empty-and-null-values"]
    );
    // Most vectors are plain objects of strings: the raw path must have answered them.
    assert!(raw >= 30, "{file}: the raw path answered only {raw} vectors");
}

/// What Flagger hashes when the API server's storage changed the object
/// (`None`: it did not): an empty `data` map is stored as none (the `null`
/// checksum), and a Secret `null` value as empty bytes.
fn stored_expectation(object: &Value, kind: ConfigKind, nil_checksum: &str, escaping: Escaping) -> Option<String> {
    let data = object.get("data")?.as_object()?;
    if data.is_empty() {
        return Some(nil_checksum.to_owned());
    }
    if kind == ConfigKind::Secret && data.values().any(Value::is_null) {
        let stored: serde_json::Map<String, Value> = data
            .iter()
            .map(|(k, v)| (k.clone(), if v.is_null() { Value::String(String::new()) } else { v.clone() }))
            .collect();
        let stored = Value::Object(stored);
        return Some(GoData::decode(kind, Some(&stored), "/data").unwrap().checksum(escaping));
    }
    None
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
