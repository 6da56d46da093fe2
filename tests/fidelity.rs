//! Issue 16's fidelity rules, one test each, citing the Flagger source
//! (v1.44.0 unless stated; `git show TAG:PATH` in fluxcd/flagger) or the
//! Kubernetes source each follows. The property tests that would have found
//! them are in tests/fidelity_props.rs.

mod common;
use serde_json::{json, Value};

fn plan_at(version: &str, objects: Value) -> Value {
    canary_tracker::plan_value(&json!({"objects": objects, "options": {"flaggerVersion": version}}))
}
fn plan(objects: Value) -> Value {
    plan_at("1.44.0", objects)
}
fn first(r: &Value) -> Value {
    r["plans"][0].clone()
}
fn canary(kind: &str) -> Value {
    json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "app", "namespace": "ns", "uid": "new-uid"},
           "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": kind, "name": "app"}}})
}
fn workload(kind: &str, match_labels: Value, pod_spec: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "app", "namespace": "ns"},
           "spec": {"selector": {"matchLabels": match_labels}, "template": {"metadata": {"labels": {"app": "app"}}, "spec": pod_spec}}})
}
fn cm(name: &str, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "ns"}, "data": data})
}
fn secret(name: &str, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": {"name": name, "namespace": "ns"}, "data": data})
}
/// A pod spec reading a missing Secret volume first, then a missing ConfigMap.
fn missing_secret_then_configmap() -> Value {
    json!({"volumes": [{"name": "s", "secret": {"secretName": "creds"}}],
           "containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "settings"}}]}]})
}
fn error_code(p: &Value) -> &str {
    p["error"]["code"].as_str().unwrap_or("")
}
/// Go's checksum of a nil map (`null`), from the Go-generated vectors.
fn nil_checksum() -> String {
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(common::data().join("vectors/checksum-go1.23.json")).unwrap())
            .unwrap();
    cases.iter().find(|c| c["name"] == "cm-data-absent").unwrap()["checksum"].as_str().unwrap().to_owned()
}

/// Item 3. scheduler.go `advanceCanary` calls `canaryController.GetMetadata`
/// (deployment_controller.go / daemonset_controller.go: the target, then
/// `getSelectorLabel`) and returns on its error before `Initialize`, whose
/// `createPrimaryDeployment` is where `GetTargetConfigs` first looks up
/// configs. Same order in every release from 0.20.4 on.
#[test]
fn selector_label_is_checked_before_any_config() {
    for version in ["0.20.4", "1.6.3", "1.44.0"] {
        for kind in ["Deployment", "DaemonSet"] {
            if kind == "DaemonSet" && version == "0.20.4" {
                continue; // DaemonSet targets arrived in 1.0.0
            }
            let spec = json!({"containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "gone", "optional": false}}]}]});
            let p =
                first(&plan_at(version, json!([canary(kind), workload(kind, json!({"tier": "web"}), spec.clone())])));
            assert_eq!(error_code(&p), "no-selector-label", "{version} {kind}: {p}");
            // With the label, the missing config is what fails.
            let p = first(&plan_at(version, json!([canary(kind), workload(kind, json!({"app": "app"}), spec)])));
            assert_eq!(error_code(&p), if version == "0.20.4" { "" } else { "config-not-found" }, "{version} {kind}");
        }
    }
}

/// Item 4. daemonset_controller.go `createPrimaryDaemonSet` rejects the
/// update strategy before it calls `GetTargetConfigs`; `GetMetadata` (the
/// selector label) runs before both.
#[test]
fn daemonset_strategy_is_checked_before_configs_and_after_the_label() {
    let spec = json!({"containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "gone"}}]}]});
    let mut d = workload("DaemonSet", json!({"app": "app"}), spec);
    d["spec"]["updateStrategy"] = json!({"type": "OnDelete"});
    assert_eq!(error_code(&first(&plan(json!([canary("DaemonSet"), d.clone()])))), "unsupported-update-strategy");
    d["spec"]["selector"]["matchLabels"] = json!({"tier": "web"});
    assert_eq!(error_code(&first(&plan(json!([canary("DaemonSet"), d])))), "no-selector-label");
}

/// Item 5. config_tracker.go `GetTargetConfigs` looks up every name in
/// `configMapNames`, then every name in `secretNames`, returning on the first
/// missing mandatory one: a missing ConfigMap is reported before a missing
/// Secret wherever each is referenced (two loops since 1.6.3, when missing
/// configs started failing).
#[test]
fn every_configmap_is_looked_up_before_any_secret() {
    for version in ["1.6.3", "1.15.0", "1.44.0"] {
        let mut spec = missing_secret_then_configmap();
        // 1.6.3 – 1.14.x fail only on an explicit `optional: false`.
        spec["volumes"][0]["secret"]["optional"] = json!(false);
        spec["containers"][0]["envFrom"][0]["configMapRef"]["optional"] = json!(false);
        let p = first(&plan_at(
            version,
            json!([canary("Deployment"), workload("Deployment", json!({"app": "app"}), spec)]),
        ));
        assert_eq!(error_code(&p), "config-not-found", "{version}");
        assert_eq!(p["error"]["ref"], "configmap/settings", "{version}");
    }
}

/// Issue 11: a failed plan keeps no partial findings (the hand-written reset
/// forgot `untrackedConfigs`).
#[test]
fn a_failed_plan_has_no_partial_findings() {
    let spec = json!({"containers": [{"name": "c", "envFrom": [
        {"configMapRef": {"name": "maybe", "optional": true}}, {"secretRef": {"name": "creds"}}]}]});
    let p = first(&plan(json!([canary("Deployment"), workload("Deployment", json!({"app": "app"}), spec)])));
    assert_eq!(p["error"]["ref"], "secret/creds");
    assert_eq!(p["untrackedConfigs"], json!([]));
    assert_eq!(p["warnings"], json!([]));
    assert_eq!(p["target"]["name"], "app", "the target is still named");
}

/// Item 6. Flagger hashes `config.Data` / `secret.Data` as read back from the
/// API server (config_tracker.go `getRefFromConfigMap`/`getRefFromSecret`,
/// `checksum`). `data` is `omitempty` and storage keeps no empty map, so an
/// empty `data` (or a Secret with only `stringData: {}`) reads back as nil
/// and hashes as `null` (tests/data/vectors/README.md).
#[test]
fn empty_data_maps_hash_as_null() {
    let sum = nil_checksum();
    let mut string_data_only = secret("s3", Value::Null);
    string_data_only.as_object_mut().unwrap().remove("data");
    string_data_only["stringData"] = json!({});
    let spec = json!({"containers": [{"name": "c", "envFrom": [
        {"configMapRef": {"name": "c1"}}, {"secretRef": {"name": "s1"}}, {"secretRef": {"name": "s3"}}]}]});
    let tracked = json!({"configmap/c1": sum, "secret/s1": sum, "secret/s3": sum});
    let mut c = canary("Deployment");
    c["status"] = json!({ "trackedConfigs": tracked });
    let objects = json!([
        c,
        workload("Deployment", json!({"app": "app"}), spec),
        cm("c1", json!({})),
        secret("s1", json!({})),
        string_data_only
    ]);
    let p = first(&plan(objects.clone()));
    assert_eq!(p["trackedConfigs"], tracked);
    assert_eq!(p["configsChanged"], false, "a status written by Flagger matches: no analysis");
    for copy in p["primaryConfigs"].as_array().unwrap() {
        assert!(copy.get("data").is_none(), "no data in {copy}");
    }
    for o in objects.as_array().unwrap().iter().skip(2) {
        assert_eq!(canary_tracker::checksum(o, None).unwrap(), sum, "checksum() normalises too: {o}");
    }
}

/// Also decided: a Secret `data` value of `null` decodes to a nil `[]byte`,
/// which the API server stores as empty bytes and returns as `""`; Flagger
/// hashes what it reads, so `null` hashes like `""` and is copied as `""`.
#[test]
fn secret_null_values_are_stored_as_empty_bytes() {
    let with_null = secret("s", json!({"a": null, "b": "eA=="}));
    let with_empty = secret("s", json!({"a": "", "b": "eA=="}));
    assert_eq!(
        canary_tracker::checksum(&with_null, None).unwrap(),
        canary_tracker::checksum(&with_empty, None).unwrap()
    );
    let spec = json!({"containers": [{"name": "c", "envFrom": [{"secretRef": {"name": "s"}}]}]});
    let p = first(&plan(json!([canary("Deployment"), workload("Deployment", json!({"app": "app"}), spec), with_null])));
    assert_eq!(p["primaryConfigs"][0]["data"], json!({"a": "", "b": "eA=="}));
}

/// Item 7. config_tracker.go `CreatePrimaryConfigs` (from 1.16.0) keeps an
/// existing `-primary` config's owner references only if `ownerRef.Kind !=
/// CanaryKind || ownerRef.Name != cd.Name`: the uid is never compared, so a
/// recreated Canary's stale reference is dropped, while other Canaries' and
/// other owners' references stay, as non-controllers.
#[test]
fn stale_owner_references_of_a_recreated_canary_are_dropped() {
    let mut existing = cm("cfg-primary", json!({"k": "old"}));
    existing["metadata"]["ownerReferences"] = json!([
        {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "app", "uid": "old-uid", "controller": true, "blockOwnerDeletion": true},
        {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "other", "uid": "o-uid", "controller": true},
        {"apiVersion": "v1", "kind": "ConfigMap", "name": "app", "uid": "x-uid"}
    ]);
    let spec = json!({"containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "cfg"}}]}]});
    let objects = json!([
        canary("Deployment"),
        workload("Deployment", json!({"app": "app"}), spec),
        cm("cfg", json!({"k": "v"})),
        existing
    ]);
    let p = first(&plan(objects));
    let owners = &p["primaryConfigs"][0]["metadata"]["ownerReferences"];
    let summary: Vec<(String, String, bool)> = owners
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["name"].as_str().unwrap().into(), o["uid"].as_str().unwrap().into(), o["controller"] == true))
        .collect();
    assert_eq!(
        summary,
        vec![
            ("app".into(), "new-uid".into(), true),
            ("other".into(), "o-uid".into(), false),
            ("app".into(), "x-uid".into(), false)
        ]
    );
}

/// Item 8. daemonset_controller.go `createPrimaryDaemonSet`: `Type != "" &&
/// Type != RollingUpdate` fails, so an empty type passes (and the API server
/// defaults it to RollingUpdate). Same test in every release from 1.0.0.
#[test]
fn an_empty_daemonset_strategy_type_is_accepted() {
    for version in ["1.0.0", "1.44.0"] {
        let mut d = workload("DaemonSet", json!({"app": "app"}), json!({"containers": []}));
        d["spec"]["updateStrategy"] = json!({"type": ""});
        let p = first(&plan_at(version, json!([canary("DaemonSet"), d])));
        assert!(p["error"].is_null(), "{version}: {}", p["error"]);
        assert_eq!(p["primaryWorkload"]["spec"]["updateStrategy"], json!({"type": ""}));
    }
}

/// Also decided: an entry naming both a ConfigMap and a Secret cannot exist.
/// Kubernetes pkg/apis/core/validation/validation.go rejects it
/// (`validateEnvVarValueFrom` and `ValidateEnvFrom`: "may not have more than
/// one field specified at a time"; `validateVolumeSource`, projection
/// sources: "may not specify more than 1 volume type"), so Flagger (whose env
/// `switch` would track only the ConfigMap, config_tracker.go) never reads
/// one. The plan refuses it as invalid-object, at the entry.
#[test]
fn an_entry_with_both_a_configmap_and_a_secret_is_invalid() {
    let cases = [
        (
            json!({"containers": [{"name": "c", "env": [{"name": "X", "valueFrom": {
                "configMapKeyRef": {"name": "c", "key": "k"}, "secretKeyRef": {"name": "s", "key": "k"}}}]}]}),
            "/containers/0/env/0/valueFrom",
        ),
        (
            json!({"initContainers": [{"name": "i", "envFrom": [{"configMapRef": {"name": "c"}, "secretRef": {"name": "s"}}]}]}),
            "/initContainers/0/envFrom/0",
        ),
        (json!({"volumes": [{"name": "v", "configMap": {"name": "c"}, "secret": {"secretName": "s"}}]}), "/volumes/0"),
        (
            json!({"volumes": [{"name": "p", "projected": {"sources": [{"configMap": {"name": "c"}, "secret": {"name": "s"}}]}}]}),
            "/volumes/0/projected/sources/0",
        ),
    ];
    for (spec, at) in cases {
        let p = first(&plan(json!([
            canary("Deployment"),
            workload("Deployment", json!({"app": "app"}), spec),
            cm("c", json!({"k": "v"})),
            secret("s", json!({"k": "dg=="}))
        ])));
        assert_eq!(error_code(&p), "invalid-object", "{at}: {p}");
        assert_eq!(p["error"]["path"], format!("/objects/1/spec/template/spec{at}"));
    }
    // A `null` second source is no source.
    let spec = json!({"containers": [{"name": "c", "env": [{"name": "X", "valueFrom": {
        "configMapKeyRef": {"name": "c", "key": "k"}, "secretKeyRef": null}}]}]});
    let p = first(&plan(json!([
        canary("Deployment"),
        workload("Deployment", json!({"app": "app"}), spec),
        cm("c", json!({"k": "v"}))
    ])));
    assert_eq!(p["trackedConfigs"].as_object().unwrap().len(), 1);
}

fn service_canary() -> Value {
    let mut c = canary("Service");
    c["spec"]["targetRef"] = json!({"apiVersion": "v1", "kind": "Service", "name": "app"});
    c
}
/// A Service as `kubectl get -o json` returns it from Kubernetes ≥ 1.20.
fn service_from_cluster(ty: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "app", "namespace": "ns", "uid": "svc-uid", "resourceVersion": "42", "generation": 1,
                     "creationTimestamp": "2024-01-01T00:00:00Z",
                     "managedFields": [{"manager": "kubectl", "operation": "Update", "fieldsType": "FieldsV1", "fieldsV1": {}}]},
        "spec": {"type": ty, "clusterIP": "10.96.0.7", "clusterIPs": ["10.96.0.7"], "ipFamilies": ["IPv4"],
                 "ipFamilyPolicy": "SingleStack", "ports": [{"port": 80}], "selector": {"app": "app"}},
        "status": {"loadBalancer": {}}})
}
fn warning_codes(p: &Value) -> Vec<String> {
    p["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect()
}

/// Also decided, Service targets. service_controller.go `buildService`
/// deep-copies the target as read, and `createService` clears only
/// `clusterIP` (type ClusterIP) and `resourceVersion`. On create the API
/// server sets `uid`/`creationTimestamp` (rest.FillObjectMetaSystemFields),
/// resets `status` (the Service strategy's PrepareForCreate) and records
/// its own `managedFields`, so the copies leave those out. It keeps
/// `clusterIPs`, which Flagger ≥ 1.6.0 copies (built with k8s.io/api
/// v0.20.1, the first with the field) and Kubernetes then refuses
/// (ValidateServiceClusterIPsRelatedFields: "must be empty when `clusterIP`
/// is not specified", run by the allocator on create): a warning says so.
#[test]
fn service_copies_as_the_api_server_would_take_them() {
    let p = first(&plan(json!([service_canary(), service_from_cluster("ClusterIP")])));
    assert!(p["error"].is_null());
    for which in ["primary", "canary"] {
        let s = &p["services"][which];
        let meta = s["metadata"].as_object().unwrap();
        for k in ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"] {
            assert!(!meta.contains_key(k), "{which}: {k}");
        }
        assert!(s.get("status").is_none());
        assert!(s["spec"].get("clusterIP").is_none());
        assert_eq!(s["spec"]["clusterIPs"], json!(["10.96.0.7"]), "{which}: what Flagger sends");
    }
    assert_eq!(warning_codes(&p), ["service-create-rejected"]);
    // Flagger 1.5 did not know clusterIPs: its copies have none, and the create works.
    let p = first(&plan_at("1.5.0", json!([service_canary(), service_from_cluster("ClusterIP")])));
    assert!(p["services"]["primary"]["spec"].get("clusterIPs").is_none());
    assert_eq!(warning_codes(&p), Vec::<String>::new());
}

/// service_controller.go `createService` clears `clusterIP` only for type
/// ClusterIP ("Otherwise we get an error due to the IP is already
/// assigned"): a NodePort/LoadBalancer copy asks for the target's own IP,
/// which the API server's allocator refuses.
#[test]
fn non_clusterip_service_copies_reuse_the_targets_ip() {
    for ty in ["NodePort", "LoadBalancer"] {
        let p = first(&plan_at("1.5.0", json!([service_canary(), service_from_cluster(ty)])));
        assert_eq!(p["services"]["canary"]["spec"]["clusterIP"], "10.96.0.7");
        assert_eq!(warning_codes(&p), ["service-create-rejected"], "{ty}");
    }
    // From a manifest (no IP assigned yet) nothing is refused.
    let mut manifest = service_from_cluster("NodePort");
    for k in ["clusterIP", "clusterIPs"] {
        manifest["spec"].as_object_mut().unwrap().remove(k);
    }
    assert_eq!(warning_codes(&first(&plan(json!([service_canary(), manifest])))), Vec::<String>::new());
}
