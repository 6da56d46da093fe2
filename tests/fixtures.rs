//! Every tests/data/fixtures/plan scenario (vendored) and plan-local one
//! (this repository's, scripts/gen-plan-local.py) through the JSON text API.

mod common;
use common::{object_ref, pod_spec_refs, yaml_objects};
use serde_json::{json, Value};

fn plan_fixture(dir: &std::path::Path) -> Value {
    let objects = yaml_objects(&std::fs::read_to_string(dir.join("objects.yaml")).unwrap());
    let text = canary_tracker::plan_json(&json!({ "objects": objects }).to_string());
    serde_json::from_str(&text).unwrap()
}

/// The scenario folders under `tests/data/fixtures/<set>`, sorted.
fn scenarios(set: &str) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(common::data().join("fixtures").join(set))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("expected.json").exists())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_fixture_matches_expected() {
    let (shared, local) = (scenarios("plan"), scenarios("plan-local"));
    assert!(shared.len() >= 8, "found only {} shared fixtures", shared.len());
    assert!(local.len() >= 6, "found only {} local fixtures", local.len());
    let dirs: Vec<_> = shared.into_iter().chain(local).collect();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let expected: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
        let got = plan_fixture(dir);
        let plans = got["plans"].as_array().unwrap_or_else(|| panic!("{name}: {got}"));
        assert_eq!(plans.len(), expected.len(), "{name}: plan count");
        for (p, e) in plans.iter().zip(&expected) {
            let ctx = format!("{name}/{}", e["canary"]);
            assert_eq!(p["canary"]["name"], e["canary"], "{ctx}");
            assert_eq!(p["canary"]["namespace"], e["namespace"], "{ctx}");
            assert_eq!(p["target"]["kind"], e["targetKind"], "{ctx}");
            if let Some(code) = e.get("error") {
                assert_eq!(&p["error"]["code"], code, "{ctx}: error code; plan {p}");
                if let Some(r) = e.get("errorRef") {
                    assert_eq!(&p["error"]["ref"], r, "{ctx}: error ref");
                }
                assert!(p["primaryWorkload"].is_null() && p["trackedConfigs"].is_null(), "{ctx}");
                continue;
            }
            assert!(p["error"].is_null(), "{ctx}: unexpected error {}", p["error"]);
            assert_eq!(p["trackedConfigs"], e["trackedConfigs"], "{ctx}: trackedConfigs");
            assert_eq!(p["configsChanged"], e["configsChanged"], "{ctx}: configsChanged");
            if let Some(missing) = e.get("missingOptional") {
                let got: Vec<&Value> = p["untrackedConfigs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|u| u["reason"] == "optional-missing")
                    .map(|u| &u["ref"])
                    .collect();
                assert_eq!(json!(got), *missing, "{ctx}: missingOptional");
            }
            if let Some(want) = e.get("primaryConfigs") {
                let got: Vec<String> = p["primaryConfigs"].as_array().unwrap().iter().map(object_ref).collect();
                assert_eq!(json!(got), *want, "{ctx}: primaryConfigs");
            }
            if let Some(want) = e.get("primaryPodSpecRefs") {
                let spec = &p["primaryWorkload"]["spec"]["template"]["spec"];
                assert_eq!(json!(pod_spec_refs(spec)), *want, "{ctx}: primaryPodSpecRefs");
            }
            if let Some(want) = e.get("services") {
                let got =
                    json!([p["services"]["primary"]["metadata"]["name"], p["services"]["canary"]["metadata"]["name"]]);
                assert_eq!(got, *want, "{ctx}: services");
            }
        }
    }
}

#[test]
fn input_is_never_mutated() {
    for dir in scenarios("plan").into_iter().chain(scenarios("plan-local")) {
        let objects = yaml_objects(&std::fs::read_to_string(dir.join("objects.yaml")).unwrap());
        let request = json!({ "objects": objects });
        let before = request.clone();
        let response = canary_tracker::plan_value(&request);
        assert_eq!(request, before);
        // The three API levels agree.
        let text: Value = serde_json::from_str(&canary_tracker::plan_json(&request.to_string())).unwrap();
        assert_eq!(response, text, "{}", dir.display());
        let typed: canary_tracker::PlanRequest = serde_json::from_value(request.clone()).unwrap();
        assert_eq!(serde_json::to_value(canary_tracker::plan(&typed).unwrap()).unwrap(), response);
    }
}
