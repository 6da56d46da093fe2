//! The whole verdict: one test per scheduler rule (Flagger v1.44 unless
//! stated; `scheduler.go` is fluxcd/flagger pkg/controller/scheduler.go,
//! `spec.go` is pkg/canary/spec.go). Targets and their hashes come from
//! the Go-generated spec-hash vectors (tests/data/vectors/spechash.json).

mod common;

use serde_json::{json, Value};

/// A vector case: its input object and its Go hash per layout.
fn vector(name: &str) -> (Value, Value) {
    let dir = common::data().join("vectors");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("spechash.json")).unwrap()).unwrap();
    let i = v["cases"].as_array().unwrap().iter().position(|c| c["name"] == name).unwrap();
    let line = std::fs::read_to_string(dir.join("spechash-inputs.jsonl")).unwrap().lines().nth(i).unwrap().to_owned();
    (serde_json::from_str(&line).unwrap(), v["cases"][i]["hashes"].clone())
}

/// srv-minimal (Deployment apps/minimal, server form) and its Canary.
fn scene(status: Value, canary_spec: Value) -> (Vec<Value>, Value) {
    let (deploy, hashes) = vector("srv-minimal");
    let mut spec = json!({"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "minimal"},
                          "analysis": {"interval": "1m", "threshold": 5}});
    for (k, v) in canary_spec.as_object().unwrap() {
        spec[k] = v.clone();
    }
    let canary = json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary",
        "metadata": {"name": "minimal", "namespace": "apps"}, "spec": spec, "status": status});
    (vec![canary, deploy], hashes)
}

fn analyse(objects: &[Value], options: Value) -> Value {
    let resp = canary_tracker::plan_value(&json!({"objects": objects, "options": options}));
    assert!(resp.get("error").is_none(), "{resp}");
    resp["plans"][0].clone()
}

fn decision(p: &Value) -> &str {
    p["analysis"]["decision"].as_str().unwrap()
}

fn reasons(p: &Value) -> Vec<&str> {
    p["analysis"]["reasons"].as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap()).collect()
}

/// The settled state: what Flagger wrote after the last promotion.
fn settled(h: &str, phase: &str) -> Value {
    json!({"phase": phase, "lastAppliedSpec": h, "lastPromotedSpec": h, "trackedConfigs": {}})
}

fn bump_image(objects: &mut [Value]) {
    objects[1]["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.27.4");
}

#[test]
fn the_current_hash_is_gos_for_the_release() {
    let (objects, hashes) = scene(settled("x", "Succeeded"), json!({}));
    for (release, layout) in
        [("1.44.0", "api-v0.36"), ("1.40.0", "api-v0.31"), ("1.20.0", "api-v0.23"), ("1.0.0-rc.1", "api-v0.17")]
    {
        let p = analyse(&objects, json!({"flaggerVersion": release}));
        assert_eq!(p["analysis"]["specHash"]["current"], hashes[layout], "{release}");
        assert_eq!(p["analysis"]["specHash"]["layout"], layout);
        assert_eq!(p["analysis"]["specHash"]["exact"], true, "server form is exact");
    }
}

/// scheduler.go advanceCanary: `if cd.Spec.Suspend { … return }` before anything else.
#[test]
fn suspended_canaries_are_skipped() {
    let (mut objects, _) = scene(settled("stale", "Succeeded"), json!({"suspend": true}));
    bump_image(&mut objects);
    let p = analyse(&objects, json!({}));
    assert_eq!(decision(&p), "suspended");
}

/// scheduler.go setPhaseInitialized: phase "" / Initializing → Initialized,
/// with lastAppliedSpec synced, so shouldAdvance finds no change this run.
#[test]
fn no_status_or_initializing_only_initializes() {
    for status in [json!(null), json!({"phase": "Initializing"})] {
        let (objects, _) = scene(status, json!({}));
        let p = analyse(&objects, json!({}));
        assert_eq!(decision(&p), "initialize");
        assert_eq!(reasons(&p), ["first-run"]);
    }
}

/// spec.go hasSpecChanged: same hash as lastAppliedSpec, configs unchanged.
#[test]
fn an_unchanged_target_starts_nothing() {
    let (_, hashes) = vector("srv-minimal");
    for phase in ["Initialized", "Succeeded", "Failed"] {
        let (objects, _) = scene(settled(hashes["api-v0.36"].as_str().unwrap(), phase), json!({}));
        let p = analyse(&objects, json!({}));
        assert_eq!(decision(&p), "none", "{phase}");
    }
}

/// The example: an image bump with unchanged configs starts an
/// analysis (shouldAdvance → HasTargetChanged; checkCanaryStatus → Progressing).
/// A Failed Canary re-syncs its status in shouldAdvance, but compares with
/// the status it read, so the change still counts this run.
#[test]
fn an_image_bump_starts_an_analysis() {
    let (_, hashes) = vector("srv-minimal");
    for phase in ["Initialized", "Succeeded", "Failed"] {
        let (mut objects, _) = scene(settled(hashes["api-v0.36"].as_str().unwrap(), phase), json!({}));
        bump_image(&mut objects);
        let p = analyse(&objects, json!({}));
        assert_eq!(decision(&p), "start", "{phase}");
        assert_eq!(reasons(&p), ["spec-changed"]);
        assert_eq!(p["configsChanged"], false, "configsChanged stays the raw HasConfigChanged");
        assert_ne!(p["analysis"]["specHash"]["current"], p["analysis"]["specHash"]["lastApplied"]);
    }
}

/// spec.go hasSpecChanged: `if cd.Status.LastAppliedSpec == "" { return true }`.
#[test]
fn an_empty_last_applied_spec_counts_as_changed() {
    let (objects, _) = scene(json!({"phase": "Succeeded"}), json!({}));
    assert_eq!(decision(&analyse(&objects, json!({}))), "start");
}

/// scheduler.go shouldAdvance → HaveDependenciesChanged (config tracker).
#[test]
fn a_config_change_alone_starts_an_analysis() {
    let (_, hashes) = vector("srv-minimal");
    let (mut objects, _) = scene(settled(hashes["api-v0.36"].as_str().unwrap(), "Succeeded"), json!({}));
    objects[0]["status"]["trackedConfigs"] = json!({"configmap/app": "0000000000000000"});
    objects[1]["spec"]["template"]["spec"]["containers"][0]["envFrom"] = json!([{"configMapRef": {"name": "app"}}]);
    objects.push(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app", "namespace": "apps"}, "data": {"k": "v"}}));
    let p = analyse(&objects, json!({}));
    assert_eq!(decision(&p), "start");
    // The pod template changed too (envFrom added), so both reasons show.
    assert_eq!(reasons(&p), ["spec-changed", "configs-changed"]);
    let cfg = p["analysis"]["reasons"].as_array().unwrap().iter().find(|r| r["code"] == "configs-changed").unwrap();
    assert_eq!(cfg["refs"], json!(["configmap/app"]));
}

/// spec.go hasSpecChanged: "do not trigger a canary deployment on manual rollback".
#[test]
fn back_at_the_promoted_spec_is_a_rollback_noop() {
    let (_, hashes) = vector("srv-minimal");
    let promoted = hashes["api-v0.36"].as_str().unwrap();
    let status = json!({"phase": "Succeeded", "lastAppliedSpec": "5d8b9c7f6", "lastPromotedSpec": promoted, "trackedConfigs": {}});
    let (objects, _) = scene(status, json!({}));
    let p = analyse(&objects, json!({}));
    assert_eq!(decision(&p), "rollback-noop");
    assert_eq!(reasons(&p), ["rollback-to-promoted"]);
}

/// scheduler.go hasCanaryRevisionChanged: Progressing / WaitingPromotion.
#[test]
fn a_new_revision_during_an_analysis_restarts_it() {
    let (_, hashes) = vector("srv-minimal");
    let h = hashes["api-v0.36"].as_str().unwrap();
    for phase in ["Progressing", "WaitingPromotion"] {
        let (mut objects, _) = scene(settled(h, phase), json!({}));
        assert_eq!(decision(&analyse(&objects, json!({}))), "continue", "{phase} unchanged");
        bump_image(&mut objects);
        assert_eq!(decision(&analyse(&objects, json!({}))), "restart", "{phase} changed");
    }
}

/// scheduler.go shouldAdvance: Promoting and Finalising go on whatever
/// changed (the promoted revision is compared at the next analysis).
#[test]
fn promoting_and_finalising_continue() {
    for phase in ["Promoting", "Finalising"] {
        let (mut objects, _) = scene(settled("old", phase), json!({}));
        bump_image(&mut objects);
        assert_eq!(decision(&analyse(&objects, json!({}))), "continue", "{phase}");
    }
}

/// scheduler.go checkCanaryStatus: Waiting holds a detected revision until
/// the confirm-rollout gate opens, then goes Progressing.
#[test]
fn waiting_starts_once_the_gate_opens() {
    let (objects, _) = scene(settled("x", "Waiting"), json!({}));
    let p = analyse(&objects, json!({}));
    assert_eq!(decision(&p), "start");
    assert_eq!(reasons(&p), ["phase"]);
}

/// Terminating/Terminated (from 1.0.0-rc.3) are handled like Succeeded;
/// WaitingPromotion only exists from 1.7.0.
#[test]
fn phases_by_release() {
    let (_, hashes) = vector("srv-minimal");
    let (mut objects, _) = scene(settled(hashes["api-v0.36"].as_str().unwrap(), "Terminated"), json!({}));
    assert_eq!(decision(&analyse(&objects, json!({}))), "none");
    bump_image(&mut objects);
    assert_eq!(decision(&analyse(&objects, json!({}))), "start");
    let (objects, _) = scene(settled("x", "WaitingPromotion"), json!({}));
    assert_eq!(decision(&analyse(&objects, json!({"flaggerVersion": "1.6.0"}))), "unknown");
}

/// `spec.suspend` is honoured from 1.32.0 (PR #1431); earlier releases run
/// the Canary as usual.
#[test]
fn suspend_needs_flagger_1_32() {
    let (_, hashes) = vector("srv-minimal");
    let (mut objects, _) = scene(settled(hashes["api-v0.31"].as_str().unwrap(), "Succeeded"), json!({"suspend": true}));
    bump_image(&mut objects);
    assert_eq!(decision(&analyse(&objects, json!({"flaggerVersion": "1.31.0"}))), "start");
    assert_eq!(decision(&analyse(&objects, json!({"flaggerVersion": "1.32.0"}))), "suspended");
}

/// scheduler.go shouldSkipAnalysis and canary.go SkipAnalysis(): skipAnalysis,
/// or neither `analysis` nor `canaryAnalysis`, promotes without checks.
#[test]
fn skip_analysis_promotes_without_analysis() {
    let (_, hashes) = vector("srv-minimal");
    let h = hashes["api-v0.36"].as_str().unwrap();
    for spec in [json!({"skipAnalysis": true}), json!({"analysis": null})] {
        let (mut objects, _) = scene(settled(h, "Succeeded"), spec.clone());
        bump_image(&mut objects);
        let p = analyse(&objects, json!({}));
        assert_eq!(decision(&p), "promote-without-analysis", "{spec}");
        assert!(reasons(&p).contains(&"skip-analysis"));
    }
    // shouldSkipAnalysis runs after the restart check: a revision under way
    // is promoted, a new one during Progressing restarts first.
    let (mut objects, _) = scene(settled(h, "Progressing"), json!({"skipAnalysis": true}));
    assert_eq!(decision(&analyse(&objects, json!({}))), "promote-without-analysis");
    bump_image(&mut objects);
    assert_eq!(decision(&analyse(&objects, json!({}))), "restart");
    // Before 1.0.0-rc.1 a missing analysis section did not mean skip.
    let (mut objects, _) = scene(json!({"phase": "Succeeded", "lastAppliedSpec": "x"}), json!({"analysis": null}));
    bump_image(&mut objects);
    objects[0]["status"]["trackedConfigs"] = json!({"configmap/x": "1"});
    assert_eq!(decision(&analyse(&objects, json!({"flaggerVersion": "0.23.0"}))), "start");
}

/// advanceCanary returns on GetMetadata/Initialize errors every run.
#[test]
fn a_failing_plan_halts() {
    let (mut objects, _) = scene(settled("x", "Succeeded"), json!({}));
    objects.pop();
    let p = analyse(&objects, json!({}));
    assert_eq!(p["error"]["code"], "target-not-found");
    assert_eq!(decision(&p), "none");
    assert_eq!(reasons(&p), ["halted"]);
}

#[test]
fn an_unknown_phase_is_unknown() {
    let (objects, _) = scene(settled("x", "Exploded"), json!({}));
    assert_eq!(decision(&analyse(&objects, json!({}))), "unknown");
}

/// Before 1.0.0-rc.1 Flagger hashed differently: the spec part is unknown,
/// but a config change still decides.
#[test]
fn releases_before_the_spew_hash_are_unsupported() {
    let (objects, _) = scene(settled("x", "Succeeded"), json!({}));
    let p = analyse(&objects, json!({"flaggerVersion": "0.25.0"}));
    assert_eq!(decision(&p), "unknown");
    assert!(p["analysis"]["specHash"]["unsupported"].as_str().unwrap().contains("1.0.0-rc.1"));
}

/// A target without server-written metadata is a manifest: the hash is
/// computed but never presented as exact.
#[test]
fn manifest_form_is_not_exact() {
    let (mut objects, _) = scene(settled("x", "Succeeded"), json!({}));
    let meta = objects[1]["metadata"].as_object_mut().unwrap();
    for k in ["uid", "resourceVersion", "creationTimestamp"] {
        meta.remove(k);
    }
    let p = analyse(&objects, json!({}));
    assert_eq!(p["analysis"]["specHash"]["form"], "manifest");
    assert_eq!(p["analysis"]["specHash"]["exact"], false);
    let forced = analyse(&objects, json!({"specForm": "server"}));
    assert_eq!(forced["analysis"]["specHash"]["exact"], true);
}

/// daemonset_controller.go HasTargetChanged drops Flagger's own scale-to-zero
/// node selector before hashing.
#[test]
fn a_daemonset_scaled_to_zero_hashes_as_before() {
    for name in ["srv-daemonset-minimal", "srv-daemonset-scaled-to-zero"] {
        let (ds, hashes) = vector(name);
        let canary = json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary",
            "metadata": {"name": "c", "namespace": ds["metadata"]["namespace"]},
            "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": ds["metadata"]["name"]}},
            "status": {"phase": "Succeeded", "lastAppliedSpec": hashes["api-v0.36"]}});
        let p = analyse(&[canary, ds], json!({}));
        assert_eq!(p["analysis"]["specHash"]["current"], hashes["api-v0.36"], "{name}");
        assert_eq!(decision(&p), "none", "{name}");
    }
}

/// service_controller.go HasTargetChanged hashes the Service's spec.
#[test]
fn a_service_target_hashes_its_spec() {
    let (svc, hashes) = vector("svc-clusterip");
    let canary = json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary",
        "metadata": {"name": "c", "namespace": svc["metadata"]["namespace"]},
        "spec": {"targetRef": {"apiVersion": "v1", "kind": "Service", "name": svc["metadata"]["name"]}, "analysis": {}},
        "status": {"phase": "Succeeded", "lastAppliedSpec": "stale"}});
    let p = analyse(&[canary, svc], json!({"flaggerVersion": "1.30.0"}));
    assert_eq!(p["analysis"]["specHash"]["current"], hashes["api-v0.26"]);
    assert_eq!(decision(&p), "start");
}

/// The upgrade check, over every pair of layouts: lastAppliedSpec written by
/// the old release; the upgrade starts an analysis iff the Go hashes differ.
#[test]
fn upgrade_check_over_the_vectors() {
    let layouts = canary_tracker::spechash::layout::catalog().unwrap();
    let release_of = |layout: &str| layouts.releases.iter().rev().find(|(_, l)| *l == layout).unwrap().0.to_owned();
    let (_, hashes) = vector("srv-minimal");
    let mut seen_change = 0;
    for from in &layouts.order {
        for to in &layouts.order {
            let (objects, _) = scene(settled(hashes[from].as_str().unwrap(), "Succeeded"), json!({}));
            let (rf, rt) = (release_of(from), release_of(to));
            let p = analyse(&objects, json!({"flaggerVersion": rf, "upgradeTo": rt}));
            let u = &p["upgrade"];
            assert_eq!(u["fromHash"], hashes[from]);
            assert_eq!(u["toHash"], hashes[to]);
            let differs = hashes[from] != hashes[to];
            assert_eq!(u["startsAnalysis"], differs, "{rf} → {rt}");
            assert_eq!(decision(&p), "none", "before the upgrade nothing changes");
            if differs {
                seen_change += 1;
                assert!(u["message"].as_str().unwrap().contains("starts an analysis"));
            }
        }
    }
    assert!(seen_change > 100);
}

#[test]
fn upgrade_names_the_new_go_fields() {
    let (_, hashes) = vector("srv-minimal");
    let (objects, _) = scene(settled(hashes["api-v0.31"].as_str().unwrap(), "Succeeded"), json!({}));
    let p = analyse(&objects, json!({"flaggerVersion": "1.40.0", "upgradeTo": "1.44.0"}));
    let added: Vec<&str> =
        p["upgrade"]["fieldsAdded"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(added.contains(&"PodSpec.HostnameOverride"), "{added:?}");
    assert_eq!(p["upgrade"]["startsAnalysis"], true);
    let bad = canary_tracker::plan_value(&json!({"objects": objects, "options": {"upgradeTo": "banana"}}));
    assert_eq!(bad["error"]["code"], "unsupported-flagger-version");
    assert_eq!(bad["error"]["path"], "/options/upgradeTo");
}

/// `api::spec_hash`: the Go hash for a server-form object; a decode error
/// is `invalid-object` with the path; a manifest is never exact.
#[test]
fn the_spec_hash_api() {
    let (deploy, hashes) = vector("srv-minimal");
    let r = canary_tracker::api::spec_hash(&deploy, Some("1.20.0"), None).unwrap();
    assert_eq!(r.current.as_deref(), hashes["api-v0.23"].as_str());
    assert!(r.exact);
    let (bad, _) = vector("err-float-for-int");
    let mut d = deploy.clone();
    d["spec"]["template"] = bad["template"].clone();
    let e = canary_tracker::api::spec_hash(&d, None, None).unwrap_err();
    assert_eq!(e.code, canary_tracker::ErrorCode::InvalidObject);
    assert!(e.path.as_deref().unwrap().starts_with("/spec/template/spec/containers/0/ports/0"), "{:?}", e.path);
    let text = canary_tracker::api::spec_hash_json(&d.to_string(), None, Some("manifest"));
    assert!(text.contains("invalid-object"), "{text}");
    let m = canary_tracker::api::spec_hash(&deploy, None, Some("manifest")).unwrap();
    assert!(!m.exact);
    assert_eq!(m.current.as_deref(), hashes["api-v0.36"].as_str(), "defaults are a no-op on server form");
}
