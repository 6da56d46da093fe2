//! Numbers in the objects are copied into the `-primary` objects as Go would
//! copy them: a float's text must read back to the same float64 (Go's
//! strconv.ParseFloat is correctly rounded), whichever API level is used.
//! Found by the plan_structured fuzz target (plan_value and plan_json differed
//! on 1755.4285714285713).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use serde_json::{json, Value};

fn request(x: Value) -> Value {
    json!({"objects": [
        {"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "app"},
         "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "app"}}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app"},
         "spec": {"selector": {"matchLabels": {"app": "app"}},
                  "template": {"metadata": {"labels": {"app": "app"}},
                               "spec": {"containers": [{"name": "a", "image": "x"}], "x": x}}}}
    ]})
}

#[test]
fn floats_survive_the_text_path_exactly() {
    for f in [
        1755.4285714285713_f64,
        0.1,
        2.2250738585072014e-308,
        9007199254740993.0,
        1.7976931348623157e308,
        5e-324,
        123456.789e-3,
    ] {
        let text = request(json!(f)).to_string();
        let out: Value = serde_json::from_str(&canary_tracker::plan_json(&text)).unwrap();
        let copied = &out["plans"][0]["primaryWorkload"]["spec"]["template"]["spec"]["x"];
        assert_eq!(copied.as_f64(), Some(f), "{f:e} became {copied}");
        assert_eq!(canary_tracker::plan_value(&request(json!(f))), out, "{f:e}: value and text levels differ");
    }
}
