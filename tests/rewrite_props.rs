//! Property: the primary's pod spec differs from the target's only in config
//! names, each `NAME` → `NAME-primary`, exactly at the reported rewrites, and
//! every reference to a tracked config is rewritten. Unknown fields survive.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

const NAMES: [&str; 4] = ["alpha", "beta", "gamma", "delta"];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES.to_vec()).prop_map(str::to_owned)
}
fn optional() -> impl Strategy<Value = Option<bool>> {
    prop_oneof![Just(None), Just(Some(true)), Just(Some(false))]
}
/// Arbitrary JSON for fields this crate does not know.
fn unknown() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z<>&\\-]{0,8}".prop_map(Value::from)
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
fn with_extra(mut v: Value, extra: Option<Value>) -> Value {
    if let (Value::Object(m), Some(x)) = (&mut v, extra) {
        m.insert("futureField".into(), x);
    }
    v
}
fn source(name_key: &'static str) -> impl Strategy<Value = Value> {
    (name(), optional(), prop::option::of(unknown())).prop_map(move |(n, o, x)| {
        let mut m = Map::new();
        m.insert(name_key.into(), n.into());
        if let Some(o) = o {
            m.insert("optional".into(), o.into());
        }
        with_extra(Value::Object(m), x)
    })
}
fn volume() -> impl Strategy<Value = Value> {
    prop_oneof![
        source("name").prop_map(|s| json!({"name": "v", "configMap": s})),
        source("secretName").prop_map(|s| json!({"name": "v", "secret": s})),
        prop::collection::vec(
            prop_oneof![
                source("name").prop_map(|s| json!({"configMap": s})),
                source("name").prop_map(|s| json!({"secret": s}))
            ],
            0..3
        )
        .prop_map(|srcs| json!({"name": "p", "projected": {"sources": srcs, "defaultMode": 420}})),
        unknown().prop_map(|x| json!({"name": "e", "emptyDir": {}, "futureVolume": x})),
    ]
}
fn container() -> impl Strategy<Value = Value> {
    let env = prop_oneof![
        Just(json!({"name": "PLAIN", "value": "alpha"})),
        source("name").prop_map(|s| json!({"name": "E", "valueFrom": {"configMapKeyRef": s}})),
        source("name").prop_map(|s| json!({"name": "E", "valueFrom": {"secretKeyRef": s}})),
    ];
    let env_from = prop_oneof![
        source("name").prop_map(|s| json!({"configMapRef": s})),
        source("name").prop_map(|s| json!({"secretRef": s, "prefix": "P_"}))
    ];
    (prop::collection::vec(env, 0..3), prop::collection::vec(env_from, 0..3), prop::option::of(unknown()))
        .prop_map(|(e, f, x)| with_extra(json!({"name": "c", "image": "alpha", "env": e, "envFrom": f}), x))
}
fn pod_spec() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(volume(), 0..4),
        prop::collection::vec(container(), 0..3),
        prop::collection::vec(container(), 0..2),
        prop::option::of(unknown()),
    )
        .prop_map(|(v, c, i, x)| {
            with_extra(json!({"volumes": v, "containers": c, "initContainers": i, "serviceAccountName": "alpha"}), x)
        })
}

/// JSON pointers where `a` and `b` differ (a structural difference is reported at its parent).
fn diff(a: &Value, b: &Value, path: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() && x.keys().eq(y.keys()) => {
            for (k, v) in x {
                diff(v, &y[k], format!("{path}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                diff(v, w, format!("{path}/{i}"), out);
            }
        }
        _ if a == b => {}
        _ => out.push(path),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn rewrite_changes_only_names(spec in pod_spec(), opted_out in prop::collection::vec(any::<bool>(), 4), secrets in prop::collection::vec(any::<bool>(), 4)) {
        let mut objects = vec![
            json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "app", "namespace": "ns"}, "spec": {"targetRef": {"kind": "Deployment", "name": "app"}}}),
            json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app", "namespace": "ns"},
                   "spec": {"selector": {"matchLabels": {"app": "app"}}, "template": {"metadata": {"labels": {"app": "app"}}, "spec": spec.clone()}}}),
        ];
        // Each name exists as a ConfigMap and (some) as a Secret; some opt out of tracking.
        for (i, n) in NAMES.iter().enumerate() {
            let ann = if opted_out[i] { json!({"flagger.app/config-tracking": "disabled"}) } else { json!({}) };
            objects.push(json!({"kind": "ConfigMap", "metadata": {"name": n, "namespace": "ns", "annotations": ann}, "data": {"k": n}}));
            if secrets[i] {
                objects.push(json!({"kind": "Secret", "metadata": {"name": n, "namespace": "ns"}, "data": {"k": "YQ=="}}));
            }
        }
        let request = json!({"objects": objects});
        let before = request.clone();
        let response = canary_tracker::plan_value(&request);
        prop_assert_eq!(&request, &before, "input mutated");
        let plan = &response["plans"][0];
        if !plan["error"].is_null() {
            // Only a mandatory reference to a Secret that is absent may fail.
            prop_assert_eq!(&plan["error"]["code"], "config-not-found");
            return Ok(());
        }
        let primary = &plan["primaryWorkload"]["spec"]["template"]["spec"];
        let mut changed = Vec::new();
        diff(&spec, primary, "/spec/template/spec".into(), &mut changed);
        let rewrites = plan["rewrites"].as_array().unwrap();
        let mut rewritten: Vec<String> = rewrites.iter().map(|r| r["path"].as_str().unwrap().to_owned()).collect();
        changed.sort();
        rewritten.sort();
        prop_assert_eq!(&changed, &rewritten);
        for r in rewrites {
            let path = r["path"].as_str().unwrap();
            let rel = path.strip_prefix("/spec/template/spec").unwrap();
            prop_assert_eq!(spec.pointer(rel).unwrap(), &r["from"]);
            prop_assert_eq!(plan["primaryWorkload"].pointer(path).unwrap(), &r["to"]);
            prop_assert_eq!(format!("{}-primary", r["from"].as_str().unwrap()), r["to"].as_str().unwrap());
        }
        // Every reference to a tracked config was rewritten; nothing else was.
        let tracked = plan["trackedConfigs"].as_object().unwrap();
        for r in canary_tracker::scan::scan(&spec, "", &canary_tracker::version::Behaviour::for_version(canary_tracker::version::NEWEST)).unwrap() {
            let key = format!("{}/{}", r.kind.prefix(), r.name);
            let path = format!("/spec/template/spec{}", r.pointer);
            prop_assert_eq!(tracked.contains_key(&key), rewritten.contains(&path), "{}", path);
        }
    }
}
