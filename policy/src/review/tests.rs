use super::*;
use serde_json::json;

fn canary(phase: &str) -> Value {
    json!({"kind": "Canary", "metadata": {"name": "c"}, "status": {"phase": phase}})
}

fn text(r: Option<Rollout>) -> Option<(bool, String)> {
    r.map(|r| match r {
        Rollout::Analysis(t) => (true, t),
        Rollout::NoAnalysis(t) => (false, t),
    })
}

#[test]
fn the_analysis_verdict_decides_when_the_plan_has_one() {
    let plan = |decision: &str| {
        json!({"configsChanged": false, "analysis": {"decision": decision, "phase": "Succeeded",
            "reasons": [{"code": "spec-changed", "message": "m"}, {"code": "configs-changed", "refs": ["configmap/x"]}],
            "message": "the pod template changed"}})
    };
    let c = canary("Succeeded");
    let (run, t) = text(next_rollout(&plan("start"), &c)).unwrap();
    assert!(run);
    assert_eq!(t, "this change starts a canary analysis: the pod template changed [spec-changed, configs-changed]");
    let (run, t) = text(next_rollout(&plan("restart"), &c)).unwrap();
    assert!(run && t.starts_with("this change restarts a canary analysis"));
    let (run, t) = text(next_rollout(&plan("promote-without-analysis"), &c)).unwrap();
    assert!(!run && t.starts_with("this change reaches the primary with no analysis"));
    for d in ["initialize", "continue", "none", "rollback-noop", "suspended", "unknown"] {
        assert!(next_rollout(&plan(d), &c).is_none(), "{d}");
    }
    // The verdict wins over configsChanged.
    let mut p = plan("none");
    p["configsChanged"] = true.into();
    assert!(next_rollout(&p, &c).is_none());
}

#[test]
fn without_the_verdict_configs_changed_decides() {
    let plan = json!({"configsChanged": true, "configChanges": [{"ref": "configmap/a", "change": "modified"}, {"ref": "secret/b", "change": "added"}]});
    let (run, t) = text(next_rollout(&plan, &canary("Succeeded"))).unwrap();
    assert!(run);
    assert_eq!(
        t,
        "this change starts a canary analysis: tracked configs changed (configmap/a modified, secret/b added)"
    );
    assert!(next_rollout(&plan, &canary("")).is_none(), "first run: Flagger initializes");
    assert!(next_rollout(&plan, &canary("Initializing")).is_none());
    let mut skip = canary("Succeeded");
    skip["spec"] = json!({"skipAnalysis": true});
    let (run, t) = text(next_rollout(&plan, &skip)).unwrap();
    assert!(!run && t.contains("skipAnalysis"));
    assert!(next_rollout(&json!({"configsChanged": false}), &canary("Succeeded")).is_none());
    assert!(next_rollout(&json!({"configsChanged": null, "error": {}}), &canary("Succeeded")).is_none());
}

#[test]
fn failures_are_the_error_and_stalling_warnings() {
    let plan = json!({
        "error": {"code": "config-not-found", "ref": "configmap/a", "message": "configmap/a is missing"},
        "warnings": [{"code": "name-too-long", "ref": "", "message": "too long"}, {"code": "config-shared", "ref": "configmap/b", "message": "shared"}]
    });
    assert_eq!(
        failures(&plan),
        [
            (
                "config-not-found configmap/a".to_owned(),
                "config-not-found (configmap/a): configmap/a is missing".to_owned()
            ),
            ("name-too-long ".to_owned(), "name-too-long: too long".to_owned())
        ]
    );
    assert!(failures(&json!({"error": null, "warnings": []})).is_empty());
}

#[test]
fn owners_mark_flagger_copies() {
    let owned = |kind: &str, api: &str| json!({"metadata": {"ownerReferences": [{"kind": kind, "apiVersion": api, "name": "podinfo"}]}});
    assert_eq!(flagger_owner(&owned("Canary", "flagger.app/v1beta1")).as_deref(), Some("podinfo"));
    assert_eq!(flagger_owner(&owned("Canary", "other.io/v1")), None);
    assert_eq!(flagger_owner(&owned("Deployment", "apps/v1")), None);
    assert_eq!(flagger_owner(&json!({"metadata": {"ownerReferences": "x"}})), None);
}

#[test]
fn config_refs_cover_every_site() {
    let d = json!({"spec": {"template": {"spec": {
        "volumes": [{"configMap": {"name": "a"}}, {"projected": {"sources": [{"secret": {"name": "b"}}]}}],
        "initContainers": [{"envFrom": [{"configMapRef": {"name": "c"}}]}],
        "containers": [{"env": [{"valueFrom": {"secretKeyRef": {"name": "d", "key": "k"}}}]}]}}}});
    let refs: Vec<(Kind, String)> = config_refs(&d).into_iter().collect();
    let want = [(Kind::ConfigMap, "a"), (Kind::ConfigMap, "c"), (Kind::Secret, "b"), (Kind::Secret, "d")];
    assert_eq!(refs, want.map(|(k, n)| (k, n.to_owned())));
    assert!(config_refs(&json!({"spec": {"template": {"spec": {"containers": "x"}}}})).is_empty());
    assert!(config_refs(&json!({})).is_empty());
}
