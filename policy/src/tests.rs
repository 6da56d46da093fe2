//! Native tests of the whole `validate` path: [`respond`] over a [`Fake`]
//! cluster built from the shared plan fixtures (off wasm the SDK's stubs
//! stand in for waPC). `support::scenarios` also runs through the real waPC
//! host in `host-tests/`.

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

/// The response as JSON, and the reads it took.
fn send(fake: &mut Fake, request: &Value) -> (Value, Vec<String>) {
    let response = serde_json::to_value(respond(&serde_json::to_vec(request).unwrap(), fake)).unwrap();
    (response, std::mem::take(&mut fake.calls))
}

fn podinfo() -> Store {
    Store::fixture("podinfo-unchanged")
}

fn update(store: &Store, object: &Value, settings: Value, user: &str) -> (Value, Vec<String>) {
    let old = store.object(object["kind"].as_str().unwrap(), object["metadata"]["name"].as_str().unwrap());
    send(&mut Fake::new(store.clone()), &validation_request("UPDATE", object, Some(&old), &settings, user))
}

#[test]
fn every_scenario() {
    let all = support::scenarios::all();
    assert!(all.len() >= 25, "{} scenarios", all.len());
    for s in all {
        let (response, _) = send(&mut Fake::new(s.store.clone()), &s.request);
        s.check(&response);
    }
}

#[test]
fn reads_are_only_what_the_plan_needs() {
    let s = podinfo();
    let d = edit(&s.object("Deployment", "podinfo"), "/spec/replicas", 3.into());
    let (_, calls) = update(&s, &d, json!({}), USER);
    let configs =
        ["ConfigMap test/podinfo-config-env", "ConfigMap test/podinfo-config-vol", "Secret test/podinfo-secret-env"];
    let mut want = vec!["list Canary test".to_owned()];
    want.extend(
        configs
            .iter()
            .chain(&["Secret test/podinfo-secret-vol", "Secret test/registry-creds"])
            .map(|c| format!("get {c}")),
    );
    assert_eq!(calls, want);
    // An unrelated config: the Canaries and their targets only.
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "other", "namespace": "test"}});
    let (response, calls) = send(&mut Fake::new(s.clone()), &validation_request("CREATE", &cm, None, &json!({}), USER));
    support::assert_accepted(&response, &[]);
    assert_eq!(calls, ["list Canary test", "get Deployment test/podinfo"]);
}

#[test]
fn flaggers_own_writes_and_guarded_copies_need_no_reads() {
    let primary = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "p", "namespace": "test",
        "ownerReferences": [{"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "podinfo"}]}});
    let s = podinfo().with(primary.clone());
    let guard = json!({"flaggerServiceAccount": FLAGGER});
    for user in [USER, FLAGGER] {
        let (_, calls) = update(&s, &primary, guard.clone(), user);
        assert!(calls.is_empty(), "{user}: {calls:?}");
    }
}

#[test]
fn host_failures_follow_the_failure_policy() {
    let s = podinfo();
    let old = s.object("Deployment", "podinfo");
    let d = edit(&old, "/spec/replicas", 3.into());
    for fail in ["list", "get"] {
        let mut fake = Fake { fail: Some(fail), ..Fake::new(s.clone()) };
        let mut with =
            |settings: Value| send(&mut fake, &validation_request("UPDATE", &d, Some(&old), &settings, USER)).0;
        let closed =
            &["could not check this change (failurePolicy fail-closed): reading the cluster failed", "injected"];
        support::assert_denied(&with(json!({})), closed);
        let open = &["could not check this change (failurePolicy fail-open)", "injected"];
        support::assert_accepted(&with(json!({"failurePolicy": "fail-open"})), open);
        support::assert_accepted(&with(json!({"mode": "warn"})), &["fail-open"]);
        support::assert_denied(&with(json!({"mode": "warn", "failurePolicy": "fail-closed"})), &["fail-closed"]);
    }
}

#[test]
fn requests_outside_the_policy_are_accepted_unread() {
    let d = podinfo().object("Deployment", "podinfo");
    let mut fake = Fake::new(podinfo());
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
        let (response, calls) = send(&mut fake, &r);
        support::assert_accepted(&response, &[]);
        assert!(calls.is_empty(), "{calls:?}");
    }
}

#[test]
fn broken_requests_are_rejected_with_a_reason() {
    let mut fake = Fake::new(podinfo());
    let d = podinfo().object("Deployment", "podinfo");
    let bad_settings = serde_json::to_vec(&validation_request("CREATE", &d, None, &json!({"mode": "loud"}), USER));
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"not json".to_vec(), "invalid ValidationRequest: invalid-json"),
        (b"\xff\xfe".to_vec(), "invalid-utf8"),
        (b"[]".to_vec(), "not a JSON object"),
        (br#"{"settings": {}}"#.to_vec(), "request is missing"),
        (br#"{"request": {"operation": 1}}"#.to_vec(), "request: invalid type"),
        (bad_settings.unwrap(), "invalid settings"),
    ];
    for (payload, want) in cases {
        let response = serde_json::to_value(respond(&payload, &mut fake)).unwrap();
        support::assert_denied(&response, &[want]);
    }
    let mut r = validation_request("CREATE", &d, None, &json!({}), USER);
    r["request"]["object"] = "x".into();
    support::assert_denied(&send(&mut fake, &r).0, &["request.object is not an object"]);
    // Absent or null settings and fields are defaults, as kwctl may send them.
    let mut r = validation_request("UPDATE", &d, Some(&d), &Value::Null, USER);
    r["request"]["options"] = Value::Null;
    support::assert_accepted(&send(&mut fake, &r).0, &[]);
}

#[test]
fn binary_data_edits_warn_once() {
    let s = podinfo();
    let cm = edit(&s.object("ConfigMap", "podinfo-config-env"), "/binaryData", json!({"logo.png": "iVBORw0K"}));
    let (response, _) = update(&s, &cm, json!({}), USER);
    assert_eq!(support::warnings(&response).len(), 1, "{response}");
}

#[test]
fn secret_values_never_leave_the_policy() {
    let s = podinfo();
    let marker = "SECRET-MARKER-7f3a";
    let b64 = "U0VDUkVULU1BUktFUi03ZjNh"; // base64 of the marker
    let secret = s.object("Secret", "podinfo-secret-env");
    for data in [json!({"user": b64}), json!({"user": format!("{marker}!")}), json!({"user": 1})] {
        let text = update(&s, &edit(&secret, "/data", data), json!({}), USER).0.to_string();
        assert!(!text.contains(marker) && !text.contains(b64), "{text}");
    }
    let creds = edit(&s.object("Secret", "registry-creds"), "/stringData", json!({"x": marker}));
    let text = update(&s, &creds, json!({}), USER).0.to_string();
    assert!(text.contains("DANGER") && !text.contains(marker), "{text}");
}

#[test]
fn untrusted_names_cannot_drive_the_terminal() {
    let s = podinfo();
    let c = edit(&s.object("Canary", "podinfo"), "/spec/targetRef/name", "x\u{1b}[2J\n".into());
    let (response, _) = update(&s, &c, json!({}), USER);
    support::assert_denied(&response, &["target-not-found"]);
    assert!(!response["message"].as_str().unwrap().chars().any(char::is_control));
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
