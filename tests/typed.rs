//! The objects a plan emits are valid Kubernetes objects: each one reads into
//! k8s-openapi's typed structs and writes back unchanged, so no field is
//! misspelt, mistyped or invented. (k8s-openapi is a dev-dependency only: the
//! core stays untyped to keep the wasm small and unknown fields lossless.)

mod common;
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment};
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn round_trips<T: DeserializeOwned + Serialize>(v: &Value, what: &str) {
    let typed: T = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{what}: {e}\n{v}"));
    assert_eq!(&serde_json::to_value(typed).unwrap(), v, "{what}: a field was lost or changed");
}

#[test]
fn emitted_objects_are_valid_kubernetes_objects() {
    let mut checked = 0;
    for entry in std::fs::read_dir(common::data().join("fixtures/plan")).unwrap() {
        let dir = entry.unwrap().path();
        let objects = common::yaml_objects(&std::fs::read_to_string(dir.join("objects.yaml")).unwrap());
        let r = canary_tracker::plan_value(&json!({ "objects": objects }));
        for p in r["plans"].as_array().unwrap() {
            let what = format!("{}", dir.display());
            match p["primaryWorkload"]["kind"].as_str() {
                Some("Deployment") => round_trips::<Deployment>(&p["primaryWorkload"], &what),
                Some("DaemonSet") => round_trips::<DaemonSet>(&p["primaryWorkload"], &what),
                _ => {}
            }
            for c in p["primaryConfigs"].as_array().unwrap() {
                match c["kind"].as_str() {
                    Some("ConfigMap") => round_trips::<ConfigMap>(c, &what),
                    _ => round_trips::<Secret>(c, &what),
                }
                checked += 1;
            }
            if !p["services"].is_null() {
                round_trips::<Service>(&p["services"]["primary"], &what);
                round_trips::<Service>(&p["services"]["canary"], &what);
            }
            checked += 1;
        }
    }
    assert!(checked > 10);
}
