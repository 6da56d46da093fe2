//! Replays the committed fuzz corpus (fuzz/corpus/<target>/*) through the
//! same checks the libFuzzer targets run (fuzz/common/checks.rs), so CI
//! re-checks every seed and every past crash input without fuzzing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

#[path = "../fuzz/common/checks.rs"]
mod checks;

use serde::Deserialize;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn replay(target: &str, f: fn(&[u8])) {
    let dir = root().join("fuzz/corpus").join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        if let Err(e) = std::panic::catch_unwind(|| f(&bytes)) {
            panic!("{} failed: {:?}", path.display(), e.downcast_ref::<String>());
        }
        n += 1;
    }
    assert!(n >= 10, "{target}: only {n} corpus files");
}

#[test]
fn corpus_plan_bytes() {
    replay("plan_bytes", checks::plan_bytes_target);
}

/// The bad-input cases are plan_bytes seeds too (fuzz/run.sh does not copy
/// them into the corpus, so they are replayed from tests/bad-inputs here).
#[test]
fn bad_inputs_through_the_plan_bytes_checks() {
    let dir = root().join("tests/bad-inputs");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e != "md")
            && !path.ends_with("expected.json")
            && !path.ends_with("generated.json")
        {
            checks::plan_bytes_target(&std::fs::read(&path).unwrap());
            n += 1;
        }
    }
    assert!(n >= 40, "{n} bad inputs");
}

#[test]
fn corpus_plan_structured() {
    replay("plan_structured", checks::plan_structured_target);
}

#[test]
fn corpus_checksum_diff() {
    replay("checksum_diff", checks::checksum_diff_target);
}

/// fuzz/fixtures/*.json are tests/data/fixtures/plan/*/objects.yaml as JSON.
#[test]
fn fuzz_fixtures_match_the_shared_fixtures() {
    let shared = root().join("tests/data/fixtures/plan");
    for (name, json) in checks::FIXTURES {
        let yaml = std::fs::read_to_string(shared.join(name).join("objects.yaml")).unwrap();
        let docs: Vec<serde_json::Value> = serde_yaml::Deserializer::from_str(&yaml)
            .map(|d| serde_json::Value::deserialize(d).unwrap())
            .filter(|v| !v.is_null())
            .collect();
        let want: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(want["objects"], serde_json::Value::Array(docs), "{name}");
    }
    let count = std::fs::read_dir(&shared).unwrap().filter(|e| e.as_ref().unwrap().path().is_dir()).count();
    assert_eq!(count, checks::FIXTURES.len(), "a shared fixture is missing from fuzz/fixtures");
}

/// The reference encoder itself, on Go's own output for a few strings
/// (from tests/data/vectors, produced by real Go).
#[test]
fn reference_encoder_matches_go_vectors() {
    for (file, go122) in [("checksum-go1.23.json", true), ("checksum-go1.19.json", false)] {
        let text = std::fs::read_to_string(root().join("tests/data/vectors").join(file)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let cases = v.as_array().or_else(|| v["cases"].as_array()).expect("a list of cases");
        let mut checked = 0;
        for c in cases {
            let (Some(marshaled), Some("ConfigMap")) = (c["marshaled"].as_str(), c["kind"].as_str()) else { continue };
            let Some(data) = c["object"]["data"].as_object() else { continue };
            if data.values().any(|v| !v.is_string()) {
                continue;
            }
            let mut keys: Vec<&String> = data.keys().collect();
            keys.sort();
            let mut out = String::from("{");
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                checks::reference_string(k, go122, &mut out);
                out.push(':');
                checks::reference_string(data[*k].as_str().unwrap(), go122, &mut out);
            }
            out.push('}');
            assert_eq!(out, marshaled, "{file} {}", c["name"]);
            checked += 1;
        }
        assert!(checked >= 3, "{file}: only {checked} vectors checked");
    }
}
