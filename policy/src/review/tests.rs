use super::*;
use serde_json::json;

fn text(r: Option<Rollout>) -> Option<(bool, String)> {
    r.map(|r| match r {
        Rollout::Analysis(t) => (true, t),
        Rollout::NoAnalysis(t) => (false, t),
    })
}

#[test]
fn the_analysis_verdict_decides() {
    let plan = |decision: &str| {
        json!({"configsChanged": true, "analysis": {"decision": decision, "phase": "Succeeded",
            "reasons": [{"code": "spec-changed", "message": "m"}, {"code": "configs-changed", "refs": ["configmap/x", "secret/y"]}],
            "message": "a new revision"}})
    };
    let (run, t) = text(next_rollout(&plan("start"))).unwrap();
    assert!(run);
    assert_eq!(t, "a new revision [spec-changed; configs-changed configmap/x, secret/y]");
    assert!(text(next_rollout(&plan("restart"))).unwrap().0);
    let (run, t) = text(next_rollout(&plan("promote-without-analysis"))).unwrap();
    assert!(!run && t.starts_with("no analysis: a new revision"));
    // The verdict decides, whatever configsChanged says.
    for d in ["initialize", "continue", "none", "rollback-noop", "suspended", "unknown"] {
        assert!(next_rollout(&plan(d)).is_none(), "{d}");
    }
    assert!(next_rollout(&json!({"configsChanged": true, "analysis": null})).is_none());
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
