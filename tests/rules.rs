//! One test per Flagger rule the core reproduces (v1.44 unless stated).

use serde_json::{json, Value};

fn plan_with(objects: Value, options: Value) -> Value {
    canary_tracker::plan_value(&json!({ "objects": objects, "options": options }))
}
fn plan(objects: Value) -> Value {
    plan_with(objects, json!({}))
}
fn first(resp: &Value) -> &Value {
    &resp["plans"][0]
}

fn canary(target_kind: &str, status: Option<Value>) -> Value {
    let mut c = json!({
        "apiVersion": "flagger.app/v1beta1", "kind": "Canary",
        "metadata": {"name": "app", "namespace": "ns", "uid": "c-uid"},
        "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": target_kind, "name": "app"}}
    });
    if let Some(s) = status {
        c["status"] = json!({ "trackedConfigs": s });
    }
    c
}

fn deployment(pod_spec: Value) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "app", "namespace": "ns",
            "labels": {"app": "app", "team": "core", "kustomize.toolkit.fluxcd.io/name": "x"},
            "annotations": {"note": "n", "kustomize.toolkit.fluxcd.io/checksum": "c"}},
        "spec": {
            "replicas": 0, "paused": true, "progressDeadlineSeconds": 60, "minReadySeconds": 5, "revisionHistoryLimit": 3,
            "strategy": {"type": "Recreate"},
            "selector": {"matchLabels": {"app": "app"}},
            "template": {
                "metadata": {"labels": {"app": "app", "v": "1", "kustomize.toolkit.fluxcd.io/name": "x"},
                             "annotations": {"a": "b", "helm.toolkit.fluxcd.io/x": "y"}},
                "spec": pod_spec
            }
        }
    })
}

fn cm(name: &str, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "ns"}, "data": data})
}
fn secret(name: &str, ty: &str, data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Secret", "type": ty, "metadata": {"name": name, "namespace": "ns"}, "data": data})
}
fn env_from(refs: Value) -> Value {
    json!({"containers": [{"name": "c", "image": "i", "envFrom": refs}]})
}

#[test]
fn secret_types_outside_flaggers_list_are_not_tracked() {
    let spec = env_from(
        json!([{"secretRef": {"name": "tls"}}, {"secretRef": {"name": "docker"}}, {"secretRef": {"name": "ssh"}}]),
    );
    let r = plan(json!([
        canary("Deployment", None),
        deployment(spec),
        secret("tls", "kubernetes.io/tls", json!({"tls.crt": "YQ=="})),
        secret("docker", "kubernetes.io/dockerconfigjson", json!({".dockerconfigjson": "e30="})),
        secret("ssh", "kubernetes.io/ssh-auth", json!({})),
    ]));
    let p = first(&r);
    assert_eq!(p["trackedConfigs"].as_object().unwrap().keys().collect::<Vec<_>>(), vec!["secret/ssh", "secret/tls"]);
    assert_eq!(p["untrackedConfigs"][0]["ref"], "secret/docker");
    assert_eq!(p["untrackedConfigs"][0]["reason"], "secret-type");
    let envs = &p["primaryWorkload"]["spec"]["template"]["spec"]["containers"][0]["envFrom"];
    assert_eq!(envs[0]["secretRef"]["name"], "tls-primary");
    assert_eq!(envs[1]["secretRef"]["name"], "docker", "untracked configs are not renamed");
}

#[test]
fn opt_out_annotation_shares_the_live_config() {
    let mut c = cm("shared", json!({"a": "1"}));
    c["metadata"]["annotations"] = json!({"flagger.app/config-tracking": "disabled"});
    let r = plan(json!([
        canary("Deployment", None),
        deployment(env_from(json!([{"configMapRef": {"name": "shared"}}]))),
        c
    ]));
    let p = first(&r);
    assert_eq!(p["trackedConfigs"], json!({}));
    assert_eq!(p["primaryConfigs"], json!([]));
    assert_eq!(p["untrackedConfigs"][0]["reason"], "opt-out");
    assert_eq!(p["warnings"][0]["code"], "config-tracking-opt-out");
    assert_eq!(
        p["primaryWorkload"]["spec"]["template"]["spec"]["containers"][0]["envFrom"][0]["configMapRef"]["name"],
        "shared"
    );
    assert_eq!(p["configsChanged"], false, "nothing tracked and status nil");
}

#[test]
fn missing_configs_optional_and_mandatory() {
    let spec = env_from(
        json!([{"configMapRef": {"name": "opt", "optional": true}}, {"configMapRef": {"name": "must", "optional": false}}]),
    );
    let r = plan(json!([canary("Deployment", None), deployment(spec.clone()), cm("must", json!({}))]));
    let p = first(&r);
    assert!(p["error"].is_null());
    assert_eq!(
        p["untrackedConfigs"][0],
        json!({"ref": "configmap/opt", "reason": "optional-missing", "message": p["untrackedConfigs"][0]["message"]})
    );
    assert_eq!(p["warnings"][0]["code"], "optional-config-missing");
    let r = plan(json!([canary("Deployment", None), deployment(spec)]));
    assert_eq!(first(&r)["error"]["code"], "config-not-found");
    assert_eq!(first(&r)["error"]["ref"], "configmap/must");
    assert!(first(&r)["primaryWorkload"].is_null());
}

#[test]
fn a_later_reference_overrides_optional() {
    // Volume says optional, a later env ref (unset = mandatory) wins: Flagger fails.
    let spec = json!({
        "volumes": [{"name": "v", "configMap": {"name": "x", "optional": true}}],
        "containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "x"}}]}]
    });
    assert_eq!(
        first(&plan(json!([canary("Deployment", None), deployment(spec)])))["error"]["code"],
        "config-not-found"
    );
    let spec = json!({
        "volumes": [{"name": "v", "configMap": {"name": "x"}}],
        "initContainers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "x", "optional": true}}]}]
    });
    assert!(first(&plan(json!([canary("Deployment", None), deployment(spec)])))["error"].is_null());
}

#[test]
fn primary_configs_copy_data_and_filtered_labels_only() {
    let mut c = cm("cfg", json!({"k": "v", "n": null}));
    c["metadata"]["labels"] = json!({"app": "a", "team": "t", "x.toolkit.fluxcd.io/y": "z"});
    c["metadata"]["annotations"] = json!({"a": "b"});
    c["binaryData"] = json!({"bin": "AAE="});
    let mut s = secret("sec", "kubernetes.io/basic-auth", json!({"password": "cA\r\n=="}));
    s["metadata"]["labels"] = json!({"team": "t"});
    let mut existing = cm("cfg-primary", json!({}));
    existing["metadata"]["ownerReferences"] = json!([
        {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "app", "uid": "c-uid", "controller": true},
        {"apiVersion": "v1", "kind": "Other", "name": "o", "uid": "o-uid", "controller": true}
    ]);
    let spec = env_from(json!([{"configMapRef": {"name": "cfg"}}, {"secretRef": {"name": "sec"}}]));
    let objects = json!([canary("Deployment", None), deployment(spec), c, s, existing]);
    let r = plan_with(objects.clone(), json!({"includeLabelPrefix": ["te", "x."]}));
    let p = first(&r);
    let owner = json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "app", "uid": "c-uid", "controller": true, "blockOwnerDeletion": true});
    assert_eq!(
        p["primaryConfigs"][0],
        json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "cfg-primary", "namespace": "ns", "labels": {"team": "t"},
                "ownerReferences": [owner, {"apiVersion": "v1", "kind": "Other", "name": "o", "uid": "o-uid", "controller": false}]},
            "data": {"k": "v", "n": ""}
        })
    );
    assert_eq!(
        p["primaryConfigs"][1],
        json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "sec-primary", "namespace": "ns", "labels": {"team": "t"}, "ownerReferences": [owner]},
            "type": "kubernetes.io/basic-auth",
            "data": {"password": "cA=="}
        })
    );
    assert!(p["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "config-binary-data" && w["ref"] == "configmap/cfg"));
    // Default: no labels copied at all.
    let r = plan(objects);
    assert!(first(&r)["primaryConfigs"][0]["metadata"].get("labels").is_none());
    let r = plan_with(
        json!([
            canary("Deployment", None),
            deployment(env_from(json!([{"configMapRef": {"name": "cfg"}}]))),
            cm("cfg", json!({}))
        ]),
        json!({"includeLabelPrefix": ["*"]}),
    );
    assert!(first(&r)["primaryConfigs"][0]["metadata"].get("labels").is_none(), "no labels on the source");
}

#[test]
fn primary_deployment_as_flagger_creates_it() {
    let r = plan_with(
        json!([canary("Deployment", None), deployment(json!({"containers": [{"name": "c", "image": "i"}]}))]),
        json!({"includeLabelPrefix": ["team"]}),
    );
    let w = &first(&r)["primaryWorkload"];
    assert_eq!(
        w["metadata"],
        json!({
            "name": "app-primary", "namespace": "ns",
            "labels": {"app": "app-primary", "team": "core"},
            "annotations": {"note": "n"},
            "ownerReferences": [{"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "app", "uid": "c-uid", "controller": true, "blockOwnerDeletion": true}]
        })
    );
    let spec = &w["spec"];
    assert_eq!(spec["replicas"], 1, "0 replicas become 1");
    assert_eq!(spec["progressDeadlineSeconds"], 60);
    assert_eq!(spec["minReadySeconds"], 5);
    assert_eq!(spec["revisionHistoryLimit"], 3);
    assert_eq!(spec["strategy"], json!({"type": "Recreate"}));
    assert!(spec.get("paused").is_none(), "nothing else is copied");
    assert_eq!(spec["selector"], json!({"matchLabels": {"app": "app-primary"}}));
    assert_eq!(spec["template"]["metadata"]["labels"], json!({"app": "app-primary", "v": "1"}));
    let ann = &spec["template"]["metadata"]["annotations"];
    assert_eq!(ann["a"], "b");
    assert!(ann.get("helm.toolkit.fluxcd.io/x").is_none());
    assert!(ann["flagger-id"].as_str().unwrap().contains("generated by Flagger"));
}

#[test]
fn selector_label_is_the_first_configured_one_present() {
    let mut d = deployment(json!({"containers": []}));
    d["spec"]["selector"]["matchLabels"] = json!({"app.kubernetes.io/name": "web", "name": "n"});
    let r = plan(json!([canary("Deployment", None), d.clone()]));
    assert_eq!(first(&r)["primaryWorkload"]["spec"]["selector"]["matchLabels"], json!({"name": "n-primary"}));
    d["spec"]["selector"]["matchLabels"] = json!({"other": "x"});
    let r = plan(json!([canary("Deployment", None), d.clone()]));
    assert_eq!(first(&r)["error"]["code"], "no-selector-label");
    let r = plan_with(json!([canary("Deployment", None), d]), json!({"selectorLabels": ["other"]}));
    assert_eq!(first(&r)["primaryWorkload"]["spec"]["selector"]["matchLabels"], json!({"other": "x-primary"}));
}

#[test]
fn anti_affinity_and_topology_selectors_point_at_the_primary() {
    let spec = json!({
        "containers": [{"name": "c"}],
        "topologySpreadConstraints": [{"maxSkew": 1, "labelSelector": {"matchLabels": {"app": "app", "other": "app"}}}],
        "affinity": {"podAntiAffinity": {
            "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "podAffinityTerm": {"labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["x", "app", "app"]}]}}}],
            "requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector": {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["app"]}]}}]
        }}
    });
    let r = plan(json!([canary("Deployment", None), deployment(spec)]));
    let p = first(&r);
    let s = &p["primaryWorkload"]["spec"]["template"]["spec"];
    assert_eq!(
        s["topologySpreadConstraints"][0]["labelSelector"]["matchLabels"],
        json!({"app": "app-primary", "other": "app"})
    );
    let anti = &s["affinity"]["podAntiAffinity"];
    assert_eq!(
        anti["preferredDuringSchedulingIgnoredDuringExecution"][0]["podAffinityTerm"]["labelSelector"]
            ["matchExpressions"][0]["values"],
        json!(["x", "app-primary", "app"])
    );
    assert_eq!(
        anti["requiredDuringSchedulingIgnoredDuringExecution"][0]["labelSelector"]["matchExpressions"][0]["values"],
        json!(["app"])
    );
    assert_eq!(p["rewrites"].as_array().unwrap().len(), 2);
}

#[test]
fn daemonsets_need_rolling_updates() {
    let mut d = deployment(json!({"containers": []}));
    d["kind"] = json!("DaemonSet");
    d["spec"]["updateStrategy"] = json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}});
    let r = plan(json!([canary("DaemonSet", None), d.clone()]));
    let spec = &first(&r)["primaryWorkload"]["spec"];
    assert_eq!(first(&r)["primaryWorkload"]["kind"], "DaemonSet");
    assert_eq!(spec["updateStrategy"]["rollingUpdate"]["maxUnavailable"], 1);
    assert!(spec.get("replicas").is_none() && spec.get("strategy").is_none());
    d["spec"]["updateStrategy"] = json!({"type": "OnDelete"});
    let r = plan(json!([canary("DaemonSet", None), d]));
    assert_eq!(first(&r)["error"]["code"], "unsupported-update-strategy");
}

#[test]
fn config_tracking_can_be_disabled() {
    let spec = env_from(json!([{"configMapRef": {"name": "cfg"}}]));
    let r = plan_with(
        json!([canary("Deployment", Some(json!({"configmap/cfg": "x"}))), deployment(spec), cm("cfg", json!({}))]),
        json!({"enableConfigTracking": false}),
    );
    let p = first(&r);
    assert!(p["trackedConfigs"].is_null());
    assert_eq!(p["configsChanged"], false);
    assert_eq!(p["primaryConfigs"], json!([]));
    assert_eq!(p["untrackedConfigs"][0]["reason"], "tracking-disabled");
    assert_eq!(
        p["primaryWorkload"]["spec"]["template"]["spec"]["containers"][0]["envFrom"][0]["configMapRef"]["name"],
        "cfg"
    );
}

#[test]
fn service_targets_get_two_copies() {
    let mut c = canary("Service", None);
    c["spec"]["targetRef"] = json!({"apiVersion": "v1", "kind": "Service", "name": "app"});
    c["spec"]["service"] = json!({"port": 80, "trafficDistribution": "PreferClose"});
    let svc = json!({"apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "app", "namespace": "ns", "uid": "u", "resourceVersion": "1", "creationTimestamp": "t", "managedFields": [],
                     "labels": {"app": "app"}, "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}", "keep": "me"}},
        "spec": {"type": "ClusterIP", "clusterIP": "10.0.0.1", "ports": [{"port": 80}], "selector": {"app": "app"}},
        "status": {"loadBalancer": {}}});
    let r = plan(json!([c, svc]));
    let p = first(&r);
    assert!(p["trackedConfigs"].is_null());
    assert_eq!(p["configsChanged"], false);
    for (which, name) in [("primary", "app-primary"), ("canary", "app-canary")] {
        let s = &p["services"][which];
        assert_eq!(
            s["metadata"],
            json!({"name": name, "namespace": "ns", "labels": {"app": "app"}, "annotations": {"keep": "me"},
            "ownerReferences": [{"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "app", "uid": "c-uid", "controller": true, "blockOwnerDeletion": true}]})
        );
        assert_eq!(
            s["spec"],
            json!({"type": "ClusterIP", "ports": [{"port": 80}], "selector": {"app": "app"}, "trafficDistribution": "PreferClose"})
        );
        assert!(s.get("status").is_none());
    }
}

#[test]
fn unsupported_and_missing_targets() {
    let mut k = canary("Service", None);
    k["spec"]["targetRef"]["apiVersion"] = json!("serving.knative.dev/v1");
    assert_eq!(first(&plan(json!([k])))["error"]["code"], "unsupported-target-kind");
    assert_eq!(first(&plan(json!([canary("StatefulSet", None)])))["error"]["code"], "unsupported-target-kind");
    assert_eq!(first(&plan(json!([canary("Deployment", None)])))["error"]["code"], "target-not-found");
    let mut no_kind = canary("Deployment", None);
    no_kind["spec"]["targetRef"].as_object_mut().unwrap().remove("kind");
    let r = plan(json!([no_kind]));
    let e = &first(&r)["error"];
    assert_eq!(e["code"], "invalid-object");
    assert_eq!(e["path"], "/objects/0/spec/targetRef/kind");
}

#[test]
fn verdict_and_changes_against_status() {
    let spec = env_from(json!([{"configMapRef": {"name": "a"}}, {"configMapRef": {"name": "b"}}]));
    let objects = |status: Value| {
        json!([
            canary("Deployment", Some(status)),
            deployment(spec.clone()),
            cm("a", json!({"k": "1"})),
            cm("b", json!({}))
        ])
    };
    let r = plan(objects(json!({})));
    let sums = first(&r)["trackedConfigs"].clone();
    assert_eq!(first(&r)["configsChanged"], true);
    let r = plan(objects(sums.clone()));
    assert_eq!(first(&r)["configsChanged"], false);
    assert_eq!(first(&r)["configChanges"], json!([]));
    let r = plan(objects(json!({"configmap/a": "0000000000000000", "secret/gone": "1111111111111111"})));
    let p = first(&r);
    assert_eq!(p["configsChanged"], true);
    assert_eq!(
        p["configChanges"],
        json!([
            {"ref": "configmap/a", "change": "modified", "tracked": "0000000000000000", "current": sums["configmap/a"]},
            {"ref": "configmap/b", "change": "added", "tracked": null, "current": sums["configmap/b"]},
            {"ref": "secret/gone", "change": "removed", "tracked": "1111111111111111", "current": null},
        ])
    );
}

#[test]
fn warnings_flagger_never_gives() {
    let long = "x".repeat(250);
    let spec = env_from(json!([{"configMapRef": {"name": "shared"}}, {"configMapRef": {"name": long}}]));
    let mut c2 = canary("Deployment", None);
    c2["metadata"]["name"] = json!("other");
    c2["spec"]["targetRef"]["name"] = json!("other");
    let mut d2 = deployment(env_from(json!([{"configMapRef": {"name": "shared"}}])));
    d2["metadata"]["name"] = json!("other");
    let r = plan(json!([
        canary("Deployment", None),
        deployment(spec),
        c2,
        d2,
        cm("shared", json!({})),
        cm(&long, json!({}))
    ]));
    let codes = |p: &Value| {
        p["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
    };
    assert!(codes(&r["plans"][0]).contains(&"config-shared".to_owned()));
    assert!(codes(&r["plans"][0]).contains(&"name-too-long".to_owned()));
    assert!(codes(&r["plans"][1]).contains(&"config-shared".to_owned()));
}

#[test]
fn request_errors_are_coded_with_paths() {
    let e = |text: &str| -> Value {
        serde_json::from_str::<Value>(&canary_tracker::plan_json(text)).unwrap()["error"].clone()
    };
    assert_eq!(e("not json")["code"], "invalid-json");
    assert_eq!(e("[]")["code"], "invalid-request");
    assert_eq!(e(r#"{"objects": 3}"#)["path"], "/objects");
    assert_eq!(e(r#"{"objects": [], "options": {"enableConfigTracking": "yes"}}"#)["path"], "/options");
    assert_eq!(e(r#"{"objects": [], "options": {"bogus": 1}}"#)["code"], "invalid-request");
    assert_eq!(e(r#"{"objects": [], "bogus": 1}"#)["code"], "invalid-request");
    assert_eq!(e(r#"{"objects": [], "canary": {"name": "nope"}}"#)["code"], "canary-not-found");
    assert_eq!(e(r#"{"objects": [], "options": {"flaggerVersion": "0.1.0"}}"#)["code"], "unsupported-flagger-version");
}

#[test]
fn one_bad_object_spoils_nothing_else() {
    let mut bad = deployment(json!({"volumes": {"not": "an array"}}));
    bad["metadata"]["name"] = json!("bad");
    let mut bad_canary = canary("Deployment", None);
    bad_canary["metadata"]["name"] = json!("bad");
    bad_canary["spec"]["targetRef"]["name"] = json!("bad");
    let r = plan(
        json!([42, {"metadata": {}}, bad_canary, bad, canary("Deployment", None), deployment(json!({"containers": []}))]),
    );
    assert_eq!(r["warnings"][0]["path"], "/objects/0");
    assert_eq!(r["warnings"][1]["path"], "/objects/1/kind");
    assert_eq!(r["plans"][0]["error"]["path"], "/objects/3/spec/template/spec/volumes");
    assert!(r["plans"][1]["error"].is_null());
}

#[test]
fn default_namespace_and_filter() {
    let mut c = canary("Deployment", None);
    c["metadata"].as_object_mut().unwrap().remove("namespace");
    let mut d = deployment(json!({"containers": []}));
    d["metadata"].as_object_mut().unwrap().remove("namespace");
    let r = canary_tracker::plan_value(
        &json!({"objects": [c, d], "options": {"defaultNamespace": "prod"}, "canary": {"namespace": "prod", "name": "app"}}),
    );
    assert_eq!(r["plans"][0]["canary"], json!({"namespace": "prod", "name": "app"}));
    assert_eq!(r["plans"][0]["primaryWorkload"]["metadata"]["namespace"], "prod");
}
