//! policy.wasm in the waPC host Kubewarden runs (wapc + wasmtime-provider),
//! its host-capability calls answered from fixture objects the way the
//! policy-evaluator answers them (see the crate docs). Every `validate` call
//! must answer a ValidationResponse: a guest error or a trap fails the test.

use kubewarden_host_tests::support::scenarios;
use kubewarden_host_tests::support::{
    self, assert_accepted, assert_denied, bad_inputs, edit, fixture_dirs, validation_request, Store, USER,
};
use kubewarden_host_tests::{allowed_resources, Fault, Policy};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn podinfo() -> Store {
    Store::fixture("podinfo-unchanged")
}

fn replicas_update(store: &Store, settings: Value) -> Value {
    let old = store.object("Deployment", "podinfo");
    validation_request("UPDATE", &edit(&old, "/spec/replicas", 3.into()), Some(&old), &settings, USER)
}

#[test]
fn entry_points_answer() {
    let p = Policy::new(podinfo());
    assert_eq!(p.call("protocol_version", b"").unwrap(), br#""v1""#);
    // An unknown function is a waPC error, not a trap: the instance keeps working.
    let err = p.call("mutate", b"{}").unwrap_err().to_string();
    assert!(err.contains("No handler registered for function mutate"), "{err}");
    assert_accepted(&p.validate(&replicas_update(&podinfo(), json!({}))), &[]);
}

#[test]
fn settings_are_validated() {
    let p = Policy::new(Store::default());
    let full = json!({"mode": "warn", "flaggerVersion": "1.37.0", "selectorLabels": ["app"], "includeLabelPrefix": ["team"],
        "enableConfigTracking": false, "flaggerServiceAccount": support::FLAGGER, "failurePolicy": "fail-closed"});
    for ok in [json!({}), json!(null), full] {
        assert_eq!(p.validate_settings(ok.to_string().as_bytes()), json!({"valid": true, "message": null}), "{ok}");
    }
    let cases: [(&[u8], &str); 7] = [
        (br#"{"mode": "block"}"#, "unknown variant `block`, expected `deny` or `warn`"),
        (br#"{"flaggerVersion": "0.19.0"}"#, "older than 0.20.4"),
        (br#"{"selectorLabels": []}"#, "at least one label"),
        (br#"{"flaggerServiceAccount": "flagger"}"#, "system:serviceaccount:<namespace>:<name>"),
        (br#"{"failurePolicy": "Fail"}"#, "unknown variant `Fail`"),
        (br#"{"enableConfigTracking": true, "extra": 1}"#, "unknown field `extra`"),
        (b"\xff", "settings are not JSON"),
    ];
    for (settings, want) in cases {
        let r = p.validate_settings(settings);
        assert_eq!(r["valid"], false, "{r}");
        assert!(r["message"].as_str().unwrap().contains(want), "{want:?} not in {r}");
    }
}

#[test]
fn every_scenario() {
    // One instance for all: it must keep answering across many calls.
    let p = Policy::new(Store::default());
    for s in scenarios::all() {
        p.set_store(s.store.clone());
        s.check(&p.validate(&s.request));
    }
}

/// Each plan fixture's Canaries (shared and local), created into the
/// fixture's cluster: denied with the fixture's expected error, else accepted;
/// re-applied unchanged: accepted, saying an analysis starts exactly when the
/// fixture's configs changed after a first run.
#[test]
fn plan_fixtures() {
    let p = Policy::new(Store::default());
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 14, "{dirs:?}");
    for dir in dirs {
        let fixture = dir.file_name().unwrap().to_string_lossy().into_owned();
        let store = Store::from_dir(&dir);
        let expected: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
        for e in expected {
            let name = e["canary"].as_str().unwrap();
            let canary = store.object("Canary", name);
            let who = format!("Canary {}/{name}", e["namespace"].as_str().unwrap());
            p.set_store(store.clone().without("Canary", name));
            let created = p.validate(&validation_request("CREATE", &canary, None, &json!({}), USER));
            match e["error"].as_str() {
                Some(code) => {
                    let failure = format!("{who}: Flagger would fail: {code}");
                    let reference = e["errorRef"].as_str().unwrap_or("");
                    assert_denied(&created, &[&failure, reference]);
                }
                None => assert_eq!(created["accepted"], true, "{fixture}: {created}"),
            }
            p.set_store(store.clone());
            let reapplied = p.validate(&validation_request("UPDATE", &canary, Some(&canary), &json!({}), USER));
            assert_eq!(reapplied["accepted"], true, "{fixture}: {reapplied}");
            // Flagger's first run initializes the primary: no analysis.
            let first_run = canary.pointer("/status/phase").is_none();
            let starts = support::warnings(&reapplied).iter().any(|w| w.contains("starts a canary analysis"));
            assert_eq!(starts, e["configsChanged"] == true && !first_run, "{fixture}: {reapplied}");
        }
    }
}

/// metadata.yml lists exactly what the policy reads: the host refuses any
/// other read (every test would fail), and each listed resource is read.
#[test]
fn reads_are_exactly_the_context_aware_resources() {
    let mut reads = BTreeSet::new();
    for s in scenarios::all() {
        let p = Policy::new(s.store.clone());
        p.validate(&s.request);
        reads.extend(p.reads());
    }
    assert_eq!(&reads, allowed_resources());
}

#[test]
fn a_missing_object_is_confirmed_by_a_list_by_name() {
    let s = scenarios::all().into_iter().find(|s| s.name == "missing config").unwrap();
    let p = Policy::new(s.store.clone());
    s.check(&p.validate(&s.request));
    let calls = p.take_calls();
    let get = "get_resource v1/ConfigMap test/not-there";
    let i = calls.iter().position(|c| c == get).unwrap_or_else(|| panic!("{calls:?}"));
    assert_eq!(calls[i + 1], "list_resources_by_namespace v1/ConfigMap test?metadata.name=not-there");
}

#[test]
fn host_failures_follow_the_failure_policy_and_never_trap() {
    let store = podinfo();
    let p = Policy::new(store.clone());
    let closed = "could not check this change (failurePolicy fail-closed): reading the cluster failed: kubernetes.";
    let open = "could not check this change (failurePolicy fail-open)";
    for fault in [
        Fault::Error("*"),
        Fault::Error("list_resources_by_namespace"),
        Fault::Garbage("*"),
        Fault::Garbage("list_resources_by_namespace"),
    ] {
        p.set_fault(Some(fault));
        assert_denied(&p.validate(&replicas_update(&store, json!({}))), &[closed]);
        assert_accepted(&p.validate(&replicas_update(&store, json!({"failurePolicy": "fail-open"}))), &[open]);
        assert_accepted(&p.validate(&replicas_update(&store, json!({"mode": "warn"}))), &[open]);
    }
    p.set_fault(Some(Fault::Error("*")));
    let r = p.validate(&replicas_update(&store, json!({})));
    assert_denied(
        &r,
        &["kubernetes.list_resources_by_namespace (Canary list in test)", "the API server is unreachable"],
    );
    // A failed get is retried as a list by name, which answers.
    for fault in [Fault::Error("get_resource"), Fault::Garbage("get_resource")] {
        p.set_fault(Some(fault));
        assert_accepted(&p.validate(&replicas_update(&store, json!({}))), &[]);
    }
    p.set_fault(None);
    assert_accepted(&p.validate(&replicas_update(&store, json!({}))), &[]);
}

/// Kinds the policy reviews.
const REVIEWED: [&str; 6] = ["Canary", "Deployment", "DaemonSet", "Service", "ConfigMap", "Secret"];

/// The bad-input corpus (tests/bad-inputs, see its README) through `validate`:
/// each file's bytes as the payload (rejected with a reason), and each
/// readable file's objects as the cluster and its options as the settings,
/// every reviewable object created into it.
#[test]
fn bad_input_corpus() {
    let dir = bad_inputs();
    let text = std::fs::read_to_string(dir.join("expected.json")).unwrap();
    let expected: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    let p = Policy::new(Store::default());
    let mut as_cluster = 0;
    for (file, e) in &expected {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let code = e["code"].as_str().unwrap_or("");
        let r = p.validate_bytes(&bytes);
        assert_denied(&r, &["canary-tracker: invalid ValidationRequest"]);
        if ["invalid-json", "invalid-utf8"].contains(&code) {
            assert_denied(&r, &[code]);
        }
        // As settings: invalid, but for `null` (no settings: the defaults).
        let null = String::from_utf8_lossy(&bytes).trim() == "null";
        assert_eq!(p.validate_settings(&bytes)["valid"], null, "{file}");
        if e["cli"] != "list" {
            continue;
        }
        // As kubectl would apply them: the objects into a cluster, the options as settings.
        let request: Value = serde_json::from_slice(&bytes).unwrap();
        let settings = request.get("options").cloned().unwrap_or(json!({}));
        let checked = p.validate_settings(settings.to_string().as_bytes());
        if code == "unsupported-flagger-version" {
            assert_eq!(checked["valid"], false, "{file}: {checked}");
            continue;
        }
        assert_eq!(checked["valid"], true, "{file}: {checked}");
        let objects = request["objects"].as_array().unwrap();
        let store = Store { objects: objects.iter().filter(|o| o.is_object()).cloned().collect() }.defaulted();
        for o in &store.objects {
            let (Some(kind), Some(name)) = (o["kind"].as_str(), o["metadata"]["name"].as_str()) else { continue };
            if !REVIEWED.contains(&kind) {
                continue;
            }
            p.set_store(store.clone().without(kind, name));
            let r = p.validate(&validation_request("CREATE", o, None, &settings, USER));
            if kind == "Canary" {
                as_cluster += 1;
                // A plan error, or the warning that stalls Flagger: rejected.
                if e["where"] == "plan" || code == "name-too-long" {
                    support::denied(&r, &["Flagger would fail", code]).unwrap_or_else(|m| panic!("{file}: {m}"));
                } else if e["where"] != "request" {
                    assert_eq!(r["accepted"], true, "{file}: {r}");
                }
            }
        }
    }
    assert!(as_cluster >= 30, "{as_cluster} Canaries created");
}

/// tests/bad-inputs/generated.json's big and deep cases, as admission requests.
#[test]
fn generated_bad_inputs() {
    let store = podinfo();
    let p = Policy::new(store.clone());
    let env = store.object("ConfigMap", "podinfo-config-env");
    let request = |object: &Value| validation_request("UPDATE", object, Some(&env), &json!({}), USER);
    for deep in ["[".repeat(10_000) + &"]".repeat(10_000), "{\"a\":".repeat(10_000) + "1" + &"}".repeat(10_000)] {
        let text = request(&env).to_string().replacen("\"#34577c\"", &deep, 1);
        assert_denied(&p.validate_bytes(text.as_bytes()), &["invalid ValidationRequest: invalid-json"]);
    }
    // 100 deep is read, then found to be no string (Flagger would fail on it).
    let hundred: Value = serde_json::from_str(&("[".repeat(100) + &"]".repeat(100))).unwrap();
    let r = p.validate(&request(&edit(&env, "/data/PODINFO_UI_COLOR", hundred)));
    assert_denied(&r, &["Flagger would fail: invalid-object"]);
    // The core reads 127 levels in all (its object-depth-125/126 cases inside a plan request's
    // two); a ValidationRequest takes four above a ConfigMap value.
    let nested = |n: usize| "{\"a\":".repeat(n) + "1" + &"}".repeat(n);
    for (levels, want) in
        [(123, "Flagger would fail: invalid-object"), (124, "invalid ValidationRequest: invalid-json")]
    {
        let text = request(&env).to_string().replacen("\"#34577c\"", &nested(levels), 1);
        assert_denied(&p.validate_bytes(text.as_bytes()), &[want]);
    }
    // 1e400 does not fit a float64: refused, as Go and kubectl refuse it, never read as null.
    let text = request(&env).to_string().replacen("\"#34577c\"", "1e400", 1);
    assert_denied(&p.validate_bytes(text.as_bytes()), &["invalid ValidationRequest: invalid-json"]);
    let big = edit(&env, "/data/PODINFO_UI_COLOR", "x".repeat(50_000_000).into());
    assert_accepted(
        &p.validate(&request(&big)),
        &["starts a canary analysis [configs-changed configmap/podinfo-config-env]"],
    );
    let mut too_large = vec![b' '; canary_tracker::MAX_INPUT_BYTES + 1];
    too_large[0] = b'{';
    assert_denied(&p.validate_bytes(&too_large), &["invalid ValidationRequest: input-too-large"]);
    // The instance survives all of that.
    assert_accepted(&p.validate(&replicas_update(&store, json!({}))), &[]);
}
