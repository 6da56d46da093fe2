//! Native tests of the whole `validate` path: [`respond`] over a [`Fake`]
//! cluster built from the shared plan fixtures (off wasm the SDK's stubs
//! stand in for waPC). The same scenarios run through the real waPC host in
//! `host-tests/`.

#[path = "../support/mod.rs"]
pub(crate) mod support;

use super::*;
use cluster::HostFailure;
use serde_json::json;
use support::{edit, validation_request, Store, FLAGGER, USER};

/// A cluster in memory that records every read and can be made to fail.
pub(crate) struct Fake {
    pub store: Store,
    /// Fail every call of this operation ("get", "list") or of both ("all").
    pub fail: Option<&'static str>,
    pub calls: Vec<String>,
}

impl Fake {
    pub fn new(store: Store) -> Fake {
        Fake { store, fail: None, calls: Vec::new() }
    }

    fn failing(&self, op: &'static str, kind: Kind, what: String) -> Result<(), HostFailure> {
        match self.fail {
            Some(f) if f == op || f == "all" => {
                Err(HostFailure { operation: op, what: format!("{} {what}", kind.name()), message: "injected".into() })
            }
            _ => Ok(()),
        }
    }
}

impl Cluster for Fake {
    fn get(&mut self, kind: Kind, namespace: &str, name: &str) -> Result<Option<Value>, HostFailure> {
        self.calls.push(format!("get {} {namespace}/{name}", kind.name()));
        self.failing("get", kind, format!("{namespace}/{name}"))?;
        Ok(self.store.get(kind.api_version(), kind.name(), namespace, name).cloned())
    }

    fn list(&mut self, kind: Kind, namespace: &str) -> Result<Vec<Value>, HostFailure> {
        self.calls.push(format!("list {} {namespace}", kind.name()));
        self.failing("list", kind, namespace.to_owned())?;
        Ok(self.store.list(kind.api_version(), kind.name(), namespace).into_iter().cloned().collect())
    }
}

struct Outcome {
    response: ValidationResponse,
    calls: Vec<String>,
}

impl Outcome {
    fn warnings(&self) -> Vec<String> {
        self.response.warnings.clone().unwrap_or_default()
    }

    fn assert_denied(&self, parts: &[&str]) {
        assert!(!self.response.accepted, "accepted: {:?}", self.response.warnings);
        let m = self.response.message.clone().unwrap_or_default();
        for p in parts {
            assert!(m.contains(p), "{p:?} not in {m:?}");
        }
    }

    /// Accepted, with one warning holding every part (none given: no warning at all).
    fn assert_accepted(&self, parts: &[&str]) {
        assert!(self.response.accepted, "denied: {:?}", self.response.message);
        let w = self.warnings();
        if parts.is_empty() {
            assert!(w.is_empty(), "unexpected warnings {w:?}");
        } else {
            assert!(w.iter().any(|w| parts.iter().all(|p| w.contains(p))), "{parts:?} not in {w:?}");
        }
    }
}

fn send(fake: &mut Fake, request: &Value) -> Outcome {
    let response = respond(&serde_json::to_vec(request).unwrap(), fake);
    Outcome { response, calls: std::mem::take(&mut fake.calls) }
}

/// `op` on `object` (`old` from the store for UPDATE) by `user`.
fn review_as(store: &Store, op: &str, object: &Value, settings: Value, user: &str) -> Outcome {
    let old = (op == "UPDATE").then(|| store.object(object["kind"].as_str().unwrap(), name(object)));
    send(&mut Fake::new(store.clone()), &validation_request(op, object, old.as_ref(), &settings, user))
}

fn update(store: &Store, object: &Value) -> Outcome {
    review_as(store, "UPDATE", object, json!({}), USER)
}

fn create(store: &Store, object: &Value) -> Outcome {
    review_as(store, "CREATE", object, json!({}), USER)
}

fn name(o: &Value) -> &str {
    o["metadata"]["name"].as_str().unwrap()
}

fn podinfo() -> Store {
    Store::fixture("podinfo-unchanged")
}

#[test]
fn an_image_change_is_accepted_silently() {
    let s = podinfo();
    let d = edit(&s.object("Deployment", "podinfo"), "/spec/template/spec/containers/0/image", "podinfo:6.8.0".into());
    let out = update(&s, &d);
    out.assert_accepted(&[]);
    // The Canaries, then the referenced configs: never more than the plan needs.
    assert_eq!(out.calls[0], "list Canary test");
    assert!(out.calls.iter().all(|c| c.contains(" test/") || c == "list Canary test"), "{:?}", out.calls);
}

#[test]
fn a_tracked_config_edit_warns_that_an_analysis_starts() {
    let s = podinfo();
    let cm = edit(&s.object("ConfigMap", "podinfo-config-env"), "/data/PODINFO_UI_COLOR", "#ff0000".into());
    update(&s, &cm).assert_accepted(&[
        "Canary test/podinfo",
        "starts a canary analysis",
        "configmap/podinfo-config-env modified",
    ]);
    // The same data under new labels changes no checksum.
    let cm = edit(&s.object("ConfigMap", "podinfo-config-env"), "/metadata/labels", json!({"team": "x"}));
    update(&s, &cm).assert_accepted(&[]);
}

#[test]
fn a_missing_mandatory_config_is_denied_or_warned() {
    let s = podinfo();
    let d = edit(
        &s.object("Deployment", "podinfo"),
        "/spec/template/spec/containers/0/envFrom/1",
        json!({"configMapRef": {"name": "not-there"}}),
    );
    let out = update(&s, &d);
    out.assert_denied(&[
        "canary-tracker: Canary test/podinfo: Flagger would fail: config-not-found",
        "configmap/not-there",
    ]);
    let out = review_as(&s, "UPDATE", &d, json!({"mode": "warn"}), USER);
    out.assert_accepted(&["canary-tracker would deny: Canary test/podinfo", "config-not-found"]);
    // Creating the config first is fine, and so is the Deployment then.
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "not-there", "namespace": "test"}, "data": {"a": "b"}});
    create(&s, &cm).assert_accepted(&[]);
    update(&s.clone().with(cm), &d).assert_accepted(&["starts a canary analysis", "configmap/not-there added"]);
}

#[test]
fn a_failure_already_there_is_a_warning_not_a_rejection() {
    let s = Store::fixture("mandatory-missing");
    let d = edit(&s.object("Deployment", "proxy"), "/spec/template/spec/containers/0/image", "nginx:1.28".into());
    update(&s, &d)
        .assert_accepted(&["Canary edge/proxy already fails, not because of this change", "config-not-found"]);
    // The Canary itself, created now, brings the failure.
    create(&s.clone().without("Canary", "proxy"), &s.object("Canary", "proxy"))
        .assert_denied(&["Canary edge/proxy: Flagger would fail: config-not-found", "configmap/proxy-conf"]);
    // Creating the missing config fixes it.
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "proxy-conf", "namespace": "edge"}, "data": {}});
    create(&s, &cm).assert_accepted(&[]);
}

#[test]
fn target_failures_are_denied() {
    let s = podinfo();
    let c = s.object("Canary", "podinfo");
    update(&s, &edit(&c, "/spec/targetRef/name", "nope".into())).assert_denied(&["target-not-found"]);
    update(&s, &edit(&c, "/spec/targetRef/kind", "StatefulSet".into())).assert_denied(&["unsupported-target-kind"]);
    let d = edit(&s.object("Deployment", "podinfo"), "/spec/selector/matchLabels", json!({"tier": "web"}));
    update(&s, &d).assert_denied(&["no-selector-label"]);
    let ds = Store::fixture("daemonset");
    let agent = edit(&ds.object("DaemonSet", "log-agent"), "/spec/updateStrategy", json!({"type": "OnDelete"}));
    update(&ds, &agent).assert_denied(&["Canary monitoring/log-agent", "unsupported-update-strategy"]);
}

#[test]
fn a_primary_name_too_long_is_denied() {
    let long = "a".repeat(250);
    let s = podinfo();
    let c = edit(&s.object("Canary", "podinfo"), "/spec/targetRef/name", long.clone().into());
    let d = edit(&s.object("Deployment", "podinfo"), "/metadata/name", long.into());
    create(&s.with(c), &d).assert_denied(&["name-too-long"]);
}

#[test]
fn a_new_canary_initializes_without_analysis() {
    let s = podinfo();
    let c = edit(&s.object("Canary", "podinfo"), "/status", Value::Null);
    let out = create(&s.clone().without("Canary", "podinfo"), &c);
    out.assert_accepted(&[]);
    assert_eq!(out.calls.len(), 6, "the target and its five configs: {:?}", out.calls);
}

#[test]
fn untracked_config_edits_reach_the_primary_loudly() {
    let s = podinfo();
    let creds = edit(&s.object("Secret", "registry-creds"), "/data/.dockerconfigjson", "e30=".into());
    update(&s, &creds).assert_accepted(&[
        "DANGER Canary test/podinfo: secret/registry-creds is not tracked by Flagger (secret-type)",
    ]);
    let s = Store::fixture("optional-missing-and-disabled");
    let ca = edit(&s.object("ConfigMap", "org-wide-ca"), "/data/ca.crt", "new".into());
    update(&s, &ca)
        .assert_accepted(&["DANGER Canary edge/proxy: configmap/org-wide-ca is not tracked by Flagger (opt-out)"]);
    // With tracking off every config edit goes live.
    let conf = edit(&s.object("ConfigMap", "proxy-conf"), "/data/default.conf", "x".into());
    review_as(&s, "UPDATE", &conf, json!({"enableConfigTracking": false}), USER)
        .assert_accepted(&["configmap/proxy-conf is not tracked by Flagger (tracking-disabled)"]);
}

#[test]
fn binary_data_edits_are_loud_and_start_nothing() {
    let s = podinfo();
    let cm = edit(&s.object("ConfigMap", "podinfo-config-env"), "/binaryData", json!({"logo.png": "iVBORw0K"}));
    let out = update(&s, &cm);
    out.assert_accepted(&["DANGER", "binaryData of configmap/podinfo-config-env changed"]);
    assert_eq!(out.warnings().len(), 1, "{:?}", out.warnings());
}

#[test]
fn flagger_primary_copies_are_guarded_when_asked() {
    let s = podinfo();
    let primary = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}, "metadata": {
        "name": "podinfo-config-env-primary", "namespace": "test",
        "ownerReferences": [{"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "podinfo", "controller": true}]}});
    let s = s.with(primary.clone());
    let changed = edit(&primary, "/data/a", "c".into());
    let guarded = json!({"flaggerServiceAccount": FLAGGER});
    let out = review_as(&s, "UPDATE", &changed, guarded.clone(), USER);
    out.assert_denied(&[
        "ConfigMap test/podinfo-config-env-primary is the -primary copy Flagger keeps for Canary podinfo",
    ]);
    assert!(out.calls.is_empty());
    // Stripping the owner reference does not get around it (the stored object has it).
    review_as(&s, "UPDATE", &edit(&changed, "/metadata/ownerReferences", Value::Null), guarded.clone(), USER)
        .assert_denied(&["-primary copy"]);
    let out = review_as(&s, "UPDATE", &changed, guarded, FLAGGER);
    out.assert_accepted(&[]);
    assert!(out.calls.is_empty(), "Flagger's own writes are not checked: {:?}", out.calls);
    review_as(&s, "UPDATE", &changed, json!({}), USER).assert_accepted(&[]);
}

#[test]
fn host_failures_follow_the_failure_policy() {
    let s = podinfo();
    let d = edit(&s.object("Deployment", "podinfo"), "/spec/replicas", 3.into());
    for fail in ["list", "get"] {
        let old = s.object("Deployment", "podinfo");
        let mut fake = Fake { fail: Some(fail), ..Fake::new(s.clone()) };
        let r = validation_request("UPDATE", &d, Some(&old), &json!({}), USER);
        send(&mut fake, &r).assert_denied(&["could not check this change (failurePolicy fail-closed)", "injected"]);
        let r = validation_request("UPDATE", &d, Some(&old), &json!({"failurePolicy": "fail-open"}), USER);
        send(&mut fake, &r).assert_accepted(&["could not check this change (failurePolicy fail-open)", "injected"]);
        // warn mode defaults to fail-open
        let r = validation_request("UPDATE", &d, Some(&old), &json!({"mode": "warn"}), USER);
        send(&mut fake, &r).assert_accepted(&["fail-open"]);
    }
}

#[test]
fn settings_reach_the_plan() {
    let s = Store::fixture("daemonset");
    let c = edit(&s.object("Canary", "log-agent"), "/spec/analysis/interval", "2m".into());
    update(&s, &c).assert_accepted(&[]);
    // Flagger before 1.0 had no DaemonSet targets: an old Canary already fails, a new one is denied.
    let old = json!({"flaggerVersion": "0.30.0"});
    review_as(&s, "UPDATE", &c, old.clone(), USER).assert_accepted(&["already fails", "unsupported-target-kind"]);
    let without = s.clone().without("Canary", "log-agent");
    review_as(&without, "CREATE", &c, old, USER).assert_denied(&["unsupported-target-kind"]);
    // A selector label the target never had: failing before and after, so a warning.
    let s = podinfo();
    let d = edit(&s.object("Deployment", "podinfo"), "/spec/replicas", 3.into());
    review_as(&s, "UPDATE", &d, json!({"selectorLabels": ["tier"]}), USER)
        .assert_accepted(&["already fails", "no-selector-label"]);
}

#[test]
fn service_targets_are_planned() {
    let s = Store::fixture("service-target");
    let svc = edit(&s.object("Service", "backend"), "/spec/ports/0/port", 8080.into());
    let out = update(&s, &svc);
    out.assert_accepted(&[]);
    assert_eq!(out.calls, ["list Canary test"]);
    create(&s.clone().without("Service", "backend"), &s.object("Canary", "backend"))
        .assert_denied(&["target-not-found"]);
}

#[test]
fn requests_outside_the_policy_are_accepted_unread() {
    let s = podinfo();
    let d = s.object("Deployment", "podinfo");
    let mut fake = Fake::new(s.clone());
    let mut cases = vec![
        validation_request("DELETE", &d, Some(&d), &json!({}), USER),
        validation_request("CONNECT", &d, None, &json!({}), USER),
        validation_request("UPDATE", &edit(&d, "/kind", "StatefulSet".into()), Some(&d), &json!({}), USER),
        validation_request("UPDATE", &d, Some(&d), &json!({"flaggerServiceAccount": FLAGGER}), FLAGGER),
        validation_request("CREATE", &edit(&d, "/metadata/name", "".into()), None, &json!({}), USER),
    ];
    let mut status = validation_request("UPDATE", &d, Some(&d), &json!({}), USER);
    status["request"]["subResource"] = "status".into();
    cases.push(status);
    for r in cases {
        let out = send(&mut fake, &r);
        out.assert_accepted(&[]);
        assert!(out.calls.is_empty(), "{:?}", out.calls);
    }
}

#[test]
fn broken_requests_are_rejected_with_a_reason() {
    let mut fake = Fake::new(podinfo());
    let d = podinfo().object("Deployment", "podinfo");
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"not json".to_vec(), "invalid ValidationRequest: invalid-json"),
        (b"\xff\xfe".to_vec(), "invalid-utf8"),
        (b"[]".to_vec(), "not a JSON object"),
        (br#"{"settings": {}}"#.to_vec(), "request is missing"),
        (br#"{"request": {"operation": 1}}"#.to_vec(), "request: invalid type"),
        (
            serde_json::to_vec(&validation_request("CREATE", &d, None, &json!({"mode": "loud"}), USER)).unwrap(),
            "invalid settings",
        ),
    ];
    for (payload, want) in cases {
        let r = respond(&payload, &mut fake);
        assert!(!r.accepted);
        let m = r.message.unwrap();
        assert!(m.contains(want), "{want:?} not in {m:?}");
    }
    let mut r = validation_request("CREATE", &d, None, &json!({}), USER);
    r["request"]["object"] = "x".into();
    send(&mut fake, &r).assert_denied(&["request.object is not an object"]);
    // Absent or null settings and fields are defaults, as kwctl may send them.
    let mut r = validation_request("UPDATE", &d, Some(&d), &Value::Null, USER);
    r["request"]["options"] = Value::Null;
    send(&mut fake, &r).assert_accepted(&[]);
}

#[test]
fn secret_values_never_leave_the_policy() {
    let s = podinfo();
    let marker = "SECRET-MARKER-7f3a";
    let b64 = "U0VDUkVULU1BUktFUi03ZjNh"; // base64 of the marker
    let secret = s.object("Secret", "podinfo-secret-env");
    for data in [json!({"user": b64}), json!({"user": format!("{marker}!")}), json!({"user": 1})] {
        let out = update(&s, &edit(&secret, "/data", data));
        let text = serde_json::to_string(&out.response).unwrap();
        assert!(!text.contains(marker) && !text.contains(b64), "{text}");
    }
    let creds = edit(&s.object("Secret", "registry-creds"), "/stringData", json!({"x": marker}));
    let text = serde_json::to_string(&update(&s, &creds).response).unwrap();
    assert!(text.contains("DANGER") && !text.contains(marker), "{text}");
}

#[test]
fn untrusted_names_cannot_drive_the_terminal() {
    let s = podinfo();
    let c = edit(&s.object("Canary", "podinfo"), "/spec/targetRef/name", "x\u{1b}[2J\n".into());
    let out = update(&s, &c);
    out.assert_denied(&["target-not-found"]);
    assert!(!out.response.message.unwrap().chars().any(char::is_control));
}

#[test]
fn settings_are_validated() {
    let ok = check_settings(br#"{"mode": "warn", "failurePolicy": "fail-open"}"#);
    assert!(ok.valid && ok.message.is_none());
    for (payload, want) in [
        (&br#"{"mode": "audit"}"#[..], "unknown variant"),
        (br#"{"flaggerVersion": "0.1.0"}"#, "older than"),
        (br#"{"flaggerServiceAccount": "flagger"}"#, "system:serviceaccount"),
        (b"{", "settings are not JSON"),
    ] {
        let r = check_settings(payload);
        assert!(!r.valid);
        assert!(r.message.as_deref().unwrap_or("").contains(want), "{r:?}");
    }
}
