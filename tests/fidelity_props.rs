//! Properties that would have found issue 16's disagreements: random bags
//! planned by the crate and judged against a small model written from
//! Flagger's source (see tests/fidelity.rs for the rules and citations).

use base64::Engine as _;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

const NAMES: [&str; 3] = ["a", "b", "c"];
const VERSIONS: [&str; 4] = ["1.6.3", "1.15.0", "1.16.0", "1.44.0"];

fn plan_at(version: &str, objects: Value) -> Value {
    canary_tracker::plan_value(&json!({"objects": objects, "options": {"flaggerVersion": version}}))["plans"][0].clone()
}
fn canary(kind: &str) -> Value {
    json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": "app", "namespace": "ns", "uid": "new-uid"},
           "spec": {"targetRef": {"apiVersion": if kind == "Service" { "v1" } else { "apps/v1" }, "kind": kind, "name": "app"}}})
}
fn version_at_least(v: &str, min: (u32, u32, u32)) -> bool {
    let p: Vec<u32> = v.split('.').map(|x| x.parse().unwrap()).collect();
    (p[0], p[1], p[2]) >= min
}

/// Where a generated reference sits; Flagger scans volumes, then env, then envFrom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Site {
    Volume,
    Env,
    EnvFrom,
}

#[derive(Debug, Clone)]
struct Ref {
    secret: bool,
    name: &'static str,
    optional: Option<bool>,
    site: Site,
}

fn a_ref() -> impl Strategy<Value = Ref> {
    (
        any::<bool>(),
        prop::sample::select(NAMES.to_vec()),
        prop_oneof![Just(None), Just(Some(true)), Just(Some(false))],
        prop_oneof![Just(Site::Volume), Just(Site::Env), Just(Site::EnvFrom)],
    )
        .prop_map(|(secret, name, optional, site)| Ref { secret, name, optional, site })
}

fn pod_spec(refs: &[Ref]) -> Value {
    let (mut volumes, mut env, mut env_from) = (Vec::new(), Vec::new(), Vec::new());
    for (i, r) in refs.iter().enumerate() {
        let mut src = Map::new();
        if let Some(o) = r.optional {
            src.insert("optional".into(), o.into());
        }
        match r.site {
            Site::Volume => {
                src.insert(if r.secret { "secretName" } else { "name" }.into(), r.name.into());
                volumes.push(json!({"name": format!("v{i}"), if r.secret { "secret" } else { "configMap" }: src}));
            }
            Site::Env => {
                src.insert("name".into(), r.name.into());
                src.insert("key".into(), "k".into());
                let key = if r.secret { "secretKeyRef" } else { "configMapKeyRef" };
                env.push(json!({"name": format!("E{i}"), "valueFrom": {key: src}}));
            }
            Site::EnvFrom => {
                src.insert("name".into(), r.name.into());
                env_from.push(json!({if r.secret { "secretRef" } else { "configMapRef" }: src}));
            }
        }
    }
    json!({"volumes": volumes, "containers": [{"name": "c", "env": env, "envFrom": env_from}]})
}

fn config(secret: bool, name: &str) -> Value {
    if secret {
        json!({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": {"name": name, "namespace": "ns"}, "data": {"k": "dg=="}})
    } else {
        json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "ns"}, "data": {"k": "v"}})
    }
}

/// The error Flagger reports, from its source: `GetMetadata` (selector label),
/// then the DaemonSet strategy, then `GetTargetConfigs` (every ConfigMap,
/// then every Secret; the last reference's `optional` counts).
fn expected_error(
    version: &str,
    daemonset: bool,
    has_label: bool,
    strategy: Option<&str>,
    refs: &[Ref],
    present: &dyn Fn(bool, &str) -> bool,
) -> Option<(String, Option<String>)> {
    if !has_label {
        return Some(("no-selector-label".into(), None));
    }
    if daemonset && strategy.is_some_and(|s| !s.is_empty() && s != "RollingUpdate") {
        return Some(("unsupported-update-strategy".into(), None));
    }
    let mut in_scan_order = refs.to_vec();
    in_scan_order.sort_by_key(|r| r.site);
    let mut distinct: Vec<(bool, &str, Option<bool>)> = Vec::new();
    for r in &in_scan_order {
        match distinct.iter_mut().find(|d| d.0 == r.secret && d.1 == r.name) {
            Some(d) => d.2 = r.optional,
            None => distinct.push((r.secret, r.name, r.optional)),
        }
    }
    for secret in [false, true] {
        for (_, name, optional) in distinct.iter().filter(|d| d.0 == secret) {
            let mandatory =
                if version_at_least(version, (1, 15, 0)) { *optional != Some(true) } else { *optional == Some(false) };
            if mandatory && !present(secret, name) {
                let r = format!("{}/{name}", if secret { "secret" } else { "configmap" });
                return Some(("config-not-found".into(), Some(r)));
            }
        }
    }
    None
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Issue 16 items 3, 4, 5 and 8: which error a random workload gets.
    #[test]
    fn error_precedence_follows_flagger(
        version in prop::sample::select(VERSIONS.to_vec()),
        daemonset in any::<bool>(),
        has_label in any::<bool>(),
        strategy in prop_oneof![Just(None), Just(Some("")), Just(Some("RollingUpdate")), Just(Some("OnDelete"))],
        refs in prop::collection::vec(a_ref(), 0..7),
        present_bits in any::<u8>(),
    ) {
        let present = |secret: bool, name: &str| {
            let i = NAMES.iter().position(|n| *n == name).unwrap() + if secret { 3 } else { 0 };
            present_bits & (1 << i) != 0
        };
        let kind = if daemonset { "DaemonSet" } else { "Deployment" };
        let labels = if has_label { json!({"app": "app"}) } else { json!({"tier": "x"}) };
        let mut target = json!({"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "app", "namespace": "ns"},
            "spec": {"selector": {"matchLabels": labels}, "template": {"spec": pod_spec(&refs)}}});
        if let Some(s) = strategy {
            target["spec"][if daemonset { "updateStrategy" } else { "strategy" }] = json!({"type": s});
        }
        let mut objects = vec![canary(kind), target];
        for secret in [false, true] {
            for name in NAMES {
                if present(secret, name) {
                    objects.push(config(secret, name));
                }
            }
        }
        let p = plan_at(version, Value::Array(objects));
        let want = expected_error(version, daemonset, has_label, strategy, &refs, &present);
        let got = p["error"].as_object().map(|e| (e["code"].as_str().unwrap().to_owned(), e.get("ref").and_then(Value::as_str).map(str::to_owned)));
        prop_assert_eq!(got, want, "plan: {}", p);
    }
}

/// Go's `json.Marshal` of `map[string]string`/`map[string][]byte` (as base64
/// text) whose keys and values need no escaping; `None` is a nil map.
fn go_marshal(entries: Option<&std::collections::BTreeMap<String, String>>) -> String {
    let Some(entries) = entries else { return "null".into() };
    let body: Vec<String> = entries.iter().map(|(k, v)| format!("\"{k}\":\"{v}\"")).collect();
    format!("{{{}}}", body.join(","))
}
fn sum(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Issue 16 item 6 and the Secret `null` rule: the checksum is that of
    /// `data` as the API server stores it (stringData merged, `null` bytes
    /// empty, an empty map nil), through `checksum()` and through a plan.
    #[test]
    fn checksums_hash_data_as_stored(
        secret in any::<bool>(),
        data in prop::option::of(prop::collection::btree_map("[a-z]{1,3}", prop::option::of(prop::collection::vec(any::<u8>(), 0..6)), 0..3)),
        string_data in prop::option::of(prop::collection::btree_map("[a-z]{1,3}", "[a-z]{0,4}", 0..3)),
    ) {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let mut obj = json!({"apiVersion": "v1", "kind": if secret { "Secret" } else { "ConfigMap" },
                             "metadata": {"name": "cfg", "namespace": "ns"}});
        let mut stored = std::collections::BTreeMap::new();
        if let Some(d) = &data {
            let mut m = Map::new();
            for (k, v) in d {
                // ConfigMap values are text; a `null` reads as "" for both kinds.
                let text = v.as_ref().map(|b| if secret { b64(b) } else { b.iter().map(|x| char::from(b'a' + x % 26)).collect() });
                m.insert(k.clone(), text.clone().map_or(Value::Null, Value::String));
                stored.insert(k.clone(), text.unwrap_or_default());
            }
            obj["data"] = Value::Object(m);
        }
        if secret {
            if let Some(sd) = &string_data {
                obj["stringData"] = json!(sd);
                for (k, v) in sd {
                    stored.insert(k.clone(), b64(v.as_bytes()));
                }
            }
        }
        let want = sum(&go_marshal((!stored.is_empty()).then_some(&stored)));
        prop_assert_eq!(canary_tracker::checksum(&obj, None).unwrap(), want.clone(), "object {}", obj);
        let (r, spec) = if secret {
            ("secret/cfg", json!({"containers": [{"name": "c", "envFrom": [{"secretRef": {"name": "cfg"}}]}]}))
        } else {
            ("configmap/cfg", json!({"containers": [{"name": "c", "envFrom": [{"configMapRef": {"name": "cfg"}}]}]}))
        };
        let target = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app", "namespace": "ns"},
            "spec": {"selector": {"matchLabels": {"app": "app"}}, "template": {"spec": spec}}});
        let p = plan_at("1.44.0", json!([canary("Deployment"), target, obj]));
        prop_assert_eq!(&p["trackedConfigs"][r], &json!(want));
        let copied = p["primaryConfigs"][0].get("data").cloned();
        prop_assert_eq!(copied, (!stored.is_empty()).then(|| json!(stored)));
    }

    /// Issue 16 item 7: the owner references of an existing `-primary` copy.
    #[test]
    fn owner_references_of_existing_copies(
        version in prop::sample::select(VERSIONS.to_vec()),
        refs in prop::collection::vec((prop::sample::select(vec!["Canary", "ConfigMap"]), prop::sample::select(vec!["app", "other"]),
                                       prop::sample::select(vec!["new-uid", "old-uid", "x"]), any::<bool>()), 0..5),
    ) {
        let owners: Vec<Value> = refs.iter().map(|(k, n, u, c)| json!({"apiVersion": "v1", "kind": k, "name": n, "uid": u, "controller": c})).collect();
        let mut existing = config(false, "cfg-primary");
        existing["metadata"]["ownerReferences"] = json!(owners);
        let target = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app", "namespace": "ns"},
            "spec": {"selector": {"matchLabels": {"app": "app"}}, "template": {"spec": pod_spec(&[Ref { secret: false, name: "cfg", optional: None, site: Site::EnvFrom }])}}});
        let p = plan_at(version, json!([canary("Deployment"), target, config(false, "cfg"), existing]));
        let got: Vec<(String, String, bool)> = p["primaryConfigs"][0]["metadata"]["ownerReferences"].as_array().unwrap().iter()
            .map(|o| (o["kind"].as_str().unwrap().into(), o["uid"].as_str().unwrap().into(), o["controller"] == true)).collect();
        let mut want = vec![("Canary".to_owned(), "new-uid".to_owned(), true)];
        if version_at_least(version, (1, 16, 0)) {
            want.extend(refs.iter().filter(|(k, n, _, _)| !(*k == "Canary" && *n == "app")).map(|(k, _, u, _)| (k.to_string(), u.to_string(), false)));
        }
        prop_assert_eq!(got, want);
    }

    /// Also decided: env/envFrom entries naming both a ConfigMap and a Secret
    /// are refused at the first such entry, in scan order; others are tracked.
    #[test]
    fn entries_with_two_sources_are_refused(entries in prop::collection::vec((any::<bool>(), any::<bool>(), any::<bool>()), 0..5)) {
        // (envFrom?, has ConfigMap, has Secret); an entry with neither is a plain value.
        let (mut env, mut env_from) = (Vec::new(), Vec::new());
        for (i, (from, c, s)) in entries.iter().enumerate() {
            let mut e = Map::new();
            if *c { e.insert((if *from { "configMapRef" } else { "configMapKeyRef" }).into(), json!({"name": "a", "key": "k"})); }
            if *s { e.insert((if *from { "secretRef" } else { "secretKeyRef" }).into(), json!({"name": "a", "key": "k"})); }
            if *from { env_from.push(Value::Object(e)); } else { env.push(json!({"name": format!("E{i}"), "valueFrom": e})); }
        }
        let target = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app", "namespace": "ns"},
            "spec": {"selector": {"matchLabels": {"app": "app"}}, "template": {"spec": {"containers": [{"name": "c", "env": env, "envFrom": env_from}]}}}});
        let p = plan_at("1.44.0", json!([canary("Deployment"), target, config(false, "a"), config(true, "a")]));
        let (mut e_i, mut f_i, mut first_bad) = (0, 0, None::<String>);
        let mut bad_env = None;
        for (from, c, s) in &entries {
            let at = if *from { f_i += 1; format!("/envFrom/{}", f_i - 1) } else { e_i += 1; format!("/env/{}/valueFrom", e_i - 1) };
            if *c && *s {
                if *from { first_bad.get_or_insert(at); } else { bad_env.get_or_insert(at); }
            }
        }
        // env is scanned before envFrom within a container.
        let want = bad_env.or(first_bad).map(|at| format!("/objects/1/spec/template/spec/containers/0{at}"));
        prop_assert_eq!(p["error"]["path"].as_str().map(str::to_owned), want.clone(), "plan {}", p);
        if want.is_some() {
            prop_assert_eq!(&p["error"]["code"], "invalid-object");
        }
    }

    /// Also decided, Service targets: what the copies keep, and when the API
    /// server refuses Flagger's create.
    #[test]
    fn service_copies_follow_flagger_and_the_api_server(
        version in prop::sample::select(vec!["1.5.0", "1.6.0", "1.44.0"]),
        ty in prop::sample::select(vec!["", "ClusterIP", "NodePort", "LoadBalancer"]),
        cluster_ip in prop::sample::select(vec!["", "None", "10.0.0.9"]),
        cluster_ips in prop::option::of(prop::sample::select(vec![vec![], vec!["None"], vec!["10.0.0.9"]])),
        server_fields in any::<bool>(),
    ) {
        let mut svc = json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "app", "namespace": "ns"},
                             "spec": {"ports": [{"port": 80}]}});
        if !ty.is_empty() { svc["spec"]["type"] = json!(ty); }
        if !cluster_ip.is_empty() { svc["spec"]["clusterIP"] = json!(cluster_ip); }
        if let Some(ips) = &cluster_ips { svc["spec"]["clusterIPs"] = json!(ips); }
        if server_fields {
            svc["metadata"]["uid"] = json!("u");
            svc["metadata"]["managedFields"] = json!([{"manager": "m"}]);
            svc["status"] = json!({"loadBalancer": {}});
        }
        let p = plan_at(version, json!([canary("Service"), svc]));
        let cluster_type = ty.is_empty() || ty == "ClusterIP";
        let new_types = version_at_least(version, (1, 6, 0));
        let rejected = (cluster_type && new_types && cluster_ips.as_ref().is_some_and(|v| !v.is_empty()))
            || (!cluster_type && !cluster_ip.is_empty() && cluster_ip != "None");
        let codes: Vec<&str> = p["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
        prop_assert_eq!(codes.contains(&"service-create-rejected"), rejected, "plan {}", p);
        prop_assert_eq!(codes.contains(&"headless-service-ip-dropped"), cluster_type && cluster_ip == "None" && !rejected);
        for which in ["primary", "canary"] {
            let copy = &p["services"][which];
            prop_assert!(copy.get("status").is_none() && copy["metadata"].get("uid").is_none() && copy["metadata"].get("managedFields").is_none());
            prop_assert_eq!(copy["spec"].get("clusterIP").is_some(), !cluster_type && !cluster_ip.is_empty());
            prop_assert_eq!(copy["spec"].get("clusterIPs").is_some(), new_types && cluster_ips.is_some());
        }
    }
}
