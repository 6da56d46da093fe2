//! Response amplification (issue 13 item 3): small requests that asked for
//! huge answers. Through the core's text entry point; the same generated
//! requests go through the import-free module and the WASI command, with
//! time and memory bounds, in tests/hardening/amplification.test.mjs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use canary_tracker::{plan_json, MAX_RESPONSE_BYTES};
use serde_json::{json, Value};

/// `n` Canaries on one Deployment that mounts one ConfigMap of `config_bytes`
/// (js: tests/hardening/amplification.mjs `sharedConfig`).
fn shared_config(n: usize, config_bytes: usize, options: Value) -> String {
    let mut objects = vec![
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app", "namespace": "ns"},
            "spec": {"selector": {"matchLabels": {"app": "app"}}, "template": {"metadata": {"labels": {"app": "app"}},
                "spec": {"containers": [{"name": "c", "image": "i"}], "volumes": [{"name": "v", "configMap": {"name": "big"}}]}}}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big", "namespace": "ns"},
            "data": {"big": "x".repeat(config_bytes)}}),
    ];
    for i in 0..n {
        objects.push(json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary",
            "metadata": {"name": format!("c{i}"), "namespace": "ns"},
            "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "app"}}}));
    }
    json!({ "objects": objects, "options": options }).to_string()
}

/// `n` objects the bag cannot read (no kind): one warning each, once.
fn unreadable(n: usize) -> String {
    let mut s = String::with_capacity(n * 20 + 16);
    s.push_str(r#"{"objects":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(r#"{"apiVersion":"v1"}"#);
    }
    s.push_str("]}");
    s
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn canaries_sharing_a_large_config_are_refused_before_the_copies_pile_up() {
    // 1,000 × a 2 MB copy would be 2 GB: refused once past the limit.
    let text = plan_json(&shared_config(1000, 2 << 20, json!({})));
    assert!(text.len() < 1000, "{}", &text[..text.len().min(300)]);
    let v = parse(&text);
    assert_eq!(v["error"]["code"], "response-too-large", "{v}");
    assert_eq!(v["error"]["path"], "/options");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(msg.contains(&format!("larger than {MAX_RESPONSE_BYTES} bytes")) && msg.contains("primaryBodies"), "{msg}");
    // Refused at the Canary that crossed the limit, not after all 1,000.
    let at: usize = msg.split("at Canary ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!((100..=140).contains(&at), "{msg}");
}

#[test]
fn without_bodies_every_canary_is_planned_and_the_config_hashed_once() {
    let text = plan_json(&shared_config(1000, 2 << 20, json!({"primaryBodies": false})));
    assert!(text.len() < 4 << 20, "{} bytes", text.len());
    let v = parse(&text);
    let plans = v["plans"].as_array().unwrap_or_else(|| panic!("{}", &text[..300]));
    assert_eq!(plans.len(), 1000);
    let sum = &plans[0]["trackedConfigs"]["configmap/big"];
    assert!(sum.is_string());
    for p in plans {
        assert_eq!(p["error"], Value::Null);
        assert_eq!(&p["trackedConfigs"]["configmap/big"], sum);
        // The copies are there, named and owned, without their bodies.
        let copy = &p["primaryConfigs"][0];
        assert_eq!(copy["metadata"]["name"], "big-primary");
        assert_eq!(copy["metadata"]["ownerReferences"][0]["name"], p["canary"]["name"]);
        assert!(copy.get("data").is_none());
        assert_eq!(p["primaryWorkload"]["metadata"]["name"], "app-primary");
        assert!(p["primaryWorkload"].get("spec").is_none());
        assert!(!p["rewrites"].as_array().unwrap().is_empty());
    }
    // The shared-config warning names ten Canaries and counts the rest.
    let shared = plans[999]["warnings"].as_array().unwrap().iter().find(|w| w["code"] == "config-shared").unwrap();
    let msg = shared["message"].as_str().unwrap();
    assert!(msg.contains("c0, c1,") && msg.contains("c9 and 990 more:") && !msg.contains("c10"), "{msg}");
}

#[test]
fn the_same_plans_with_and_without_bodies_but_for_the_bodies() {
    let with = parse(&plan_json(&shared_config(3, 1000, json!({}))));
    let mut without = parse(&plan_json(&shared_config(3, 1000, json!({"primaryBodies": false}))));
    let mut with = with;
    for v in [&mut with, &mut without] {
        for p in v["plans"].as_array_mut().unwrap() {
            p["primaryConfigs"][0].as_object_mut().unwrap().remove("data");
            p["primaryWorkload"].as_object_mut().unwrap().remove("spec");
        }
    }
    assert_eq!(with, without);
}

#[test]
fn a_request_may_ask_for_a_smaller_limit() {
    let request = shared_config(20, 10_000, json!({"maxResponseBytes": 50_000}));
    assert_eq!(parse(&plan_json(&request))["error"]["code"], "response-too-large");
    let request = shared_config(20, 10_000, json!({"maxResponseBytes": 5_000_000}));
    assert_eq!(parse(&plan_json(&request))["plans"].as_array().unwrap().len(), 20);
    // A limit above the core's own is the core's own.
    let request = shared_config(1, 10, json!({"maxResponseBytes": u64::MAX}));
    assert_eq!(parse(&plan_json(&request))["plans"].as_array().unwrap().len(), 1);
}

#[test]
fn the_limit_is_exact() {
    // Escape-dense data (each control character written as \u00XX): a limit
    // one byte short of the answer is refused with no partial answer, the
    // answer's own size is not.
    let config = "\u{1}".repeat(20_000);
    let mut request: Value = parse(&shared_config(1, 0, json!({})));
    request["objects"][1]["data"]["big"] = Value::String(config);
    let full = plan_json(&request.to_string());
    assert!(parse(&full)["plans"].is_array());
    request["options"] = json!({"maxResponseBytes": full.len() - 1});
    let v = parse(&plan_json(&request.to_string()));
    assert_eq!(v["error"]["code"], "response-too-large", "{v}");
    request["options"] = json!({"maxResponseBytes": full.len()});
    assert_eq!(plan_json(&request.to_string()), full);
}

#[test]
fn unreadable_objects_are_warned_about_a_hundred_times_then_counted() {
    let text = plan_json(&unreadable(1_000_000));
    assert!(text.len() < 40_000, "{} bytes", text.len());
    let v = parse(&text);
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 101);
    assert!(warnings[..100].iter().all(|w| w["code"] == "invalid-object"));
    assert_eq!(warnings[0]["path"], "/objects/0/kind");
    assert_eq!(warnings[100]["code"], "warnings-omitted");
    assert_eq!(warnings[100]["path"], "/objects/100/kind");
    assert!(
        warnings[100]["message"].as_str().unwrap().starts_with("999900 more objects could not be read"),
        "{}",
        warnings[100]
    );
    // Up to the limit, every warning is listed.
    let v = parse(&plan_json(&unreadable(100)));
    assert_eq!(v["warnings"].as_array().unwrap().len(), 100);
}
