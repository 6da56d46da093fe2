//! One test per row of the Flagger-version table, on both sides of its
//! boundary (see src/version.rs and the README).

mod common;
use serde_json::{json, Value};

fn plan_at(version: &str, objects: Value) -> Value {
    canary_tracker::plan_value(&json!({"objects": objects, "options": {"flaggerVersion": version}}))
}
fn first(r: &Value) -> Value {
    r["plans"][0].clone()
}

fn canary(kind: &str) -> Value {
    json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "app", "namespace": "ns", "uid": "u1"},
           "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": kind, "name": "app"}}})
}
fn workload(kind: &str, pod_spec: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": kind,
           "metadata": {"name": "app", "namespace": "ns", "labels": {"app": "web", "team": "t", "kustomize.toolkit.fluxcd.io/name": "f"}},
           "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec}}})
}
fn cm(name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "ns",
           "labels": {"team": "t", "kustomize.toolkit.fluxcd.io/name": "f"}}, "data": {"k": "v"}})
}
fn uses(names: &[&str]) -> Value {
    json!({"containers": [{"name": "c", "envFrom": names.iter().map(|n| json!({"configMapRef": {"name": n}})).collect::<Vec<_>>()}]})
}
fn tracked(p: &Value) -> Vec<String> {
    p["trackedConfigs"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default()
}

#[test]
fn service_targets_from_0_20_4_and_nothing_older() {
    let svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "app", "namespace": "ns"}, "spec": {"ports": [{"port": 80}]}});
    let mut c = canary("Service");
    c["spec"]["targetRef"]["apiVersion"] = json!("v1");
    let r = plan_at("0.20.3", json!([c.clone(), svc.clone()]));
    assert_eq!(r["error"]["code"], "unsupported-flagger-version");
    let r = plan_at("0.20.4", json!([c, svc]));
    assert_eq!(first(&r)["services"]["canary"]["metadata"]["name"], "app-canary");
}

#[test]
fn owner_reference_api_version_from_1_0_0() {
    for (v, api) in [("0.27.0", "flagger.app/v1alpha3"), ("1.0.0", "flagger.app/v1beta1")] {
        let p = first(&plan_at(v, json!([canary("Deployment"), workload("Deployment", uses(&[]))])));
        assert_eq!(p["primaryWorkload"]["metadata"]["ownerReferences"][0]["apiVersion"], api, "{v}");
    }
}

#[test]
fn projected_volumes_from_1_0_0() {
    let spec = json!({"volumes": [{"name": "p", "projected": {"sources": [{"configMap": {"name": "proj"}}]}}], "containers": []});
    let objects = json!([canary("Deployment"), workload("Deployment", spec), cm("proj")]);
    let old = first(&plan_at("0.27.0", objects.clone()));
    assert!(tracked(&old).is_empty());
    assert_eq!(common::pod_spec_refs(&old["primaryWorkload"]["spec"]["template"]["spec"]), vec!["configmap/proj"]);
    let new = first(&plan_at("1.0.0", objects));
    assert_eq!(tracked(&new), vec!["configmap/proj"]);
    assert_eq!(
        common::pod_spec_refs(&new["primaryWorkload"]["spec"]["template"]["spec"]),
        vec!["configmap/proj-primary"]
    );
}

#[test]
fn daemonsets_from_1_0_0() {
    let mut c = canary("DaemonSet");
    c["spec"]["targetRef"]["kind"] = json!("DaemonSet");
    let objects = json!([c, workload("DaemonSet", uses(&[]))]);
    assert_eq!(first(&plan_at("0.27.0", objects.clone()))["error"]["code"], "unsupported-target-kind");
    assert_eq!(first(&plan_at("1.0.0", objects))["primaryWorkload"]["kind"], "DaemonSet");
}

#[test]
fn opt_out_annotation_from_1_1_0() {
    let mut c = cm("cfg");
    c["metadata"]["annotations"] = json!({"flagger.app/config-tracking": "disabled"});
    let objects = json!([canary("Deployment"), workload("Deployment", uses(&["cfg"])), c]);
    assert_eq!(tracked(&first(&plan_at("1.0.0", objects.clone()))), vec!["configmap/cfg"]);
    let p = first(&plan_at("1.1.0", objects));
    assert!(tracked(&p).is_empty());
    assert_eq!(p["untrackedConfigs"][0]["reason"], "opt-out");
}

#[test]
fn selector_value_from_the_label_from_1_2_0() {
    let objects = json!([canary("Deployment"), workload("Deployment", uses(&[]))]);
    let sel = |v: &str| {
        first(&plan_at(v, objects.clone()))["primaryWorkload"]["spec"]["selector"]["matchLabels"]["app"].clone()
    };
    assert_eq!(sel("1.1.0"), "app-primary", "target name before 1.2.0");
    assert_eq!(sel("1.2.0"), "web-primary", "label value from 1.2.0");
}

#[test]
fn labels_copied_to_primary_configs() {
    let objects = json!([canary("Deployment"), workload("Deployment", uses(&["cfg"])), cm("cfg")]);
    let labels = |v: &str| first(&plan_at(v, objects.clone()))["primaryConfigs"][0]["metadata"]["labels"].clone();
    assert_eq!(labels("1.11.0"), json!({"kustomize.toolkit.fluxcd.io/name": "f", "team": "t"}));
    assert_eq!(labels("1.12.0"), json!({"team": "t"}));
    assert_eq!(labels("1.29.0"), json!({"team": "t"}));
    assert_eq!(labels("1.30.0"), Value::Null, "from 1.30.0 only includeLabelPrefix matches (default none)");
    let r = canary_tracker::plan_value(
        &json!({"objects": objects, "options": {"flaggerVersion": "1.30.0", "includeLabelPrefix": ["te"]}}),
    );
    assert_eq!(first(&r)["primaryConfigs"][0]["metadata"]["labels"], json!({"team": "t"}));
}

#[test]
fn missing_configs_across_releases() {
    let spec = json!({"containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "unset"}}, {"configMapRef": {"name": "explicit", "optional": false}}]}]});
    let objects = json!([canary("Deployment"), workload("Deployment", spec)]);
    let p = first(&plan_at("1.6.2", objects.clone()));
    assert!(p["error"].is_null(), "always skipped before 1.6.3");
    assert_eq!(p["untrackedConfigs"].as_array().unwrap().len(), 2);
    assert_eq!(p["warnings"][0]["code"], "config-missing-skipped");
    let p = first(&plan_at("1.6.3", objects.clone()));
    assert_eq!(p["error"]["ref"], "configmap/explicit", "explicit optional: false fails from 1.6.3");
    let with_unset_only = json!([canary("Deployment"), workload("Deployment", uses(&["unset"]))]);
    assert!(first(&plan_at("1.14.0", with_unset_only.clone()))["error"].is_null());
    assert_eq!(
        first(&plan_at("1.15.0", with_unset_only))["error"]["code"],
        "config-not-found",
        "unset optional fails from 1.15.0"
    );
}

#[test]
fn init_containers_tracked_from_1_10_rewritten_from_1_44() {
    let spec = json!({"containers": [{"name": "c"}], "initContainers": [{"name": "i", "envFrom": [{"configMapRef": {"name": "init-cfg"}}]}]});
    let objects = json!([canary("Deployment"), workload("Deployment", spec), cm("init-cfg")]);
    let refs = |p: &Value| common::pod_spec_refs(&p["primaryWorkload"]["spec"]["template"]["spec"]);
    let p = first(&plan_at("1.9.0", objects.clone()));
    assert!(tracked(&p).is_empty());
    assert_eq!(refs(&p), vec!["configmap/init-cfg"]);
    for v in ["1.10.0", "1.43.0"] {
        let p = first(&plan_at(v, objects.clone()));
        assert_eq!(tracked(&p), vec!["configmap/init-cfg"], "{v}");
        assert_eq!(p["primaryConfigs"][0]["metadata"]["name"], "init-cfg-primary", "{v}: copied");
        assert_eq!(refs(&p), vec!["configmap/init-cfg"], "{v}: not rewritten");
        assert!(p["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "init-container-not-rewritten"), "{v}");
    }
    let p = first(&plan_at("1.44.0", objects));
    assert_eq!(refs(&p), vec!["configmap/init-cfg-primary"]);
}

#[test]
fn foreign_owner_references_kept_from_1_16_0() {
    let mut existing = cm("cfg-primary");
    existing["metadata"]["ownerReferences"] =
        json!([{"apiVersion": "v1", "kind": "Other", "name": "o", "uid": "o1", "controller": true}]);
    let objects = json!([canary("Deployment"), workload("Deployment", uses(&["cfg"])), cm("cfg"), existing]);
    let owners = |v: &str| {
        first(&plan_at(v, objects.clone()))["primaryConfigs"][0]["metadata"]["ownerReferences"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(owners("1.15.0"), 1);
    assert_eq!(owners("1.16.0"), 2);
}

#[test]
fn checksum_escaping_of_backspace_and_formfeed_from_1_37_0() {
    let read = |file: &str| -> Value {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(common::data().join("vectors").join(file)).unwrap()).unwrap();
        cases.into_iter().find(|c| c["name"] == "cm-backspace-formfeed").unwrap()
    };
    let (new, old) = (read("checksum-go1.23.json"), read("checksum-go1.19.json"));
    assert_ne!(new["checksum"], old["checksum"]);
    let mut c = canary_tracker::read::read_json(new["object_json"].as_str().unwrap()).unwrap();
    c["metadata"]["namespace"] = json!("ns");
    c["metadata"]["name"] = json!("cfg");
    let objects = json!([canary("Deployment"), workload("Deployment", uses(&["cfg"])), c]);
    let sum = |v: &str| first(&plan_at(v, objects.clone()))["trackedConfigs"]["configmap/cfg"].clone();
    assert_eq!(sum("1.36.0"), old["checksum"]);
    assert_eq!(sum("1.37.0"), new["checksum"]);
}

#[test]
fn newer_than_supported_previews_the_newest_with_a_warning() {
    let p = first(&plan_at("1.50.1", json!([canary("Deployment"), workload("Deployment", uses(&[]))])));
    assert_eq!(p["flaggerVersion"], "1.50.1");
    assert!(p["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "flagger-version-newer"));
    assert!(first(&plan_at("1.44.0", json!([canary("Deployment"), workload("Deployment", uses(&[]))])))["warnings"]
        .as_array()
        .unwrap()
        .is_empty());
}
