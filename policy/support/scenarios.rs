//! Review scenarios over the shared plan fixtures, each a cluster, a
//! ValidationRequest and the answer it must get. The native tests run them
//! through `respond` over an in-memory cluster, the host tests through
//! policy.wasm in the waPC host: both must give the same answers.

use super::{accepted, denied, edit, validation_request, Store, FLAGGER, USER};
use serde_json::{json, Value};

pub enum Expect {
    /// Rejected, every part in the message.
    Denied(&'static [&'static str]),
    /// Accepted, one warning holding every part (none: no warning at all).
    Accepted(&'static [&'static str]),
}

pub struct Scenario {
    pub name: &'static str,
    pub store: Store,
    pub request: Value,
    pub expect: Expect,
}

impl Scenario {
    pub fn check(&self, response: &Value) {
        let checked = match self.expect {
            Expect::Denied(parts) => denied(response, parts),
            Expect::Accepted(parts) => accepted(response, parts),
        };
        checked.unwrap_or_else(|e| panic!("scenario {:?}: {e}", self.name));
    }
}

use Expect::{Accepted, Denied};

struct Scenarios(Vec<Scenario>);

impl Scenarios {
    /// `op` on `object`, by (settings, user); an UPDATE's old object is the store's.
    fn add(&mut self, name: &'static str, store: &Store, op: &str, object: Value, by: (Value, &str), expect: Expect) {
        let (settings, user) = by;
        let old = (op == "UPDATE").then(|| store.object(object["kind"].as_str().unwrap(), name_of(&object)));
        let request = validation_request(op, &object, old.as_ref(), &settings, user);
        self.0.push(Scenario { name, store: store.clone(), request, expect });
    }

    fn update(&mut self, name: &'static str, store: &Store, object: Value, expect: Expect) {
        self.add(name, store, "UPDATE", object, (json!({}), USER), expect);
    }

    fn create(&mut self, name: &'static str, store: &Store, object: Value, expect: Expect) {
        self.add(name, store, "CREATE", object, (json!({}), USER), expect);
    }
}

fn name_of(o: &Value) -> &str {
    o["metadata"]["name"].as_str().unwrap()
}

fn config_map(namespace: &str, name: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}, "data": {"a": "b"}})
}

pub fn all() -> Vec<Scenario> {
    let mut s = Scenarios(Vec::new());
    let podinfo = Store::fixture("podinfo-unchanged");
    let deployment = podinfo.object("Deployment", "podinfo");
    let canary = podinfo.object("Canary", "podinfo");
    let env = podinfo.object("ConfigMap", "podinfo-config-env");

    let image = edit(&deployment, "/spec/template/spec/containers/0/image", "podinfo:6.8.0".into());
    s.update("image change", &podinfo, image, Accepted(&["Canary test/podinfo", "canary analysis [spec-changed]"]));
    let replicas = edit(&deployment, "/spec/replicas", 5.into());
    s.update("replicas change", &podinfo, replicas, Accepted(&[]));
    let color = edit(&env, "/data/PODINFO_UI_COLOR", "#ff0000".into());
    let starts = &["Canary test/podinfo: ", "starts a canary analysis [configs-changed configmap/podinfo-config-env]"];
    s.update("tracked config edit", &podinfo, color.clone(), Accepted(starts));
    let progressing = podinfo.clone().with(edit(&canary, "/status/phase", "Progressing".into()));
    let restarts = &["Canary test/podinfo: ", "the analysis restarts [configs-changed configmap/podinfo-config-env]"];
    s.update("config edit during an analysis", &progressing, color.clone(), Accepted(restarts));
    let skipping = podinfo.clone().with(edit(&canary, "/spec/skipAnalysis", true.into()));
    let promoted = &["DANGER Canary test/podinfo: no analysis: ", "promoted without analysis"];
    s.update("config edit with skipAnalysis", &skipping, color, Accepted(promoted));
    s.update("config labels only", &podinfo, edit(&env, "/metadata/labels", json!({"team": "x"})), Accepted(&[]));

    let missing =
        edit(&deployment, "/spec/template/spec/containers/0/envFrom/1", json!({"configMapRef": {"name": "not-there"}}));
    let not_found =
        &["canary-tracker: Canary test/podinfo: Flagger would fail: config-not-found (configmap/not-there)"];
    s.update("missing config", &podinfo, missing.clone(), Denied(not_found));
    let warn = &["canary-tracker would deny: Canary test/podinfo", "config-not-found (configmap/not-there)"];
    s.add(
        "missing config, warn mode",
        &podinfo,
        "UPDATE",
        missing.clone(),
        (json!({"mode": "warn"}), USER),
        Accepted(warn),
    );
    s.create("the config first", &podinfo, config_map("test", "not-there"), Accepted(&[]));
    let added = &["starts a canary analysis [spec-changed; configs-changed configmap/not-there]"];
    s.update("then the reference", &podinfo.clone().with(config_map("test", "not-there")), missing, Accepted(added));

    let edge = Store::fixture("mandatory-missing");
    let proxy =
        edit(&edge.object("Deployment", "proxy"), "/spec/template/spec/containers/0/image", "nginx:1.28".into());
    let already =
        &["Canary edge/proxy already fails, not because of this change: config-not-found (configmap/proxy-conf)"];
    s.update("failure already there", &edge, proxy, Accepted(already));
    let proxy_canary = edge.object("Canary", "proxy");
    let brings = &["Canary edge/proxy: Flagger would fail: config-not-found (configmap/proxy-conf)"];
    s.create("new canary brings the failure", &edge.clone().without("Canary", "proxy"), proxy_canary, Denied(brings));
    s.create("creating the missing config fixes it", &edge, config_map("edge", "proxy-conf"), Accepted(&[]));

    let target = |k: &str, v: &str| edit(&canary, &format!("/spec/targetRef/{k}"), v.into());
    s.update("target not found", &podinfo, target("name", "nope"), Denied(&["target-not-found"]));
    s.update("unsupported target kind", &podinfo, target("kind", "StatefulSet"), Denied(&["unsupported-target-kind"]));
    let selector = edit(&deployment, "/spec/selector/matchLabels", json!({"tier": "web"}));
    s.update("no selector label", &podinfo, selector, Denied(&["no-selector-label"]));
    let ds = Store::fixture("daemonset");
    let on_delete = edit(&ds.object("DaemonSet", "log-agent"), "/spec/updateStrategy", json!({"type": "OnDelete"}));
    let strategy = &["Canary monitoring/log-agent: Flagger would fail: unsupported-update-strategy"];
    s.update("daemonset on delete", &ds, on_delete, Denied(strategy));
    let long = "a".repeat(250);
    let long_deployment = edit(&deployment, "/metadata/name", long.clone().into());
    let long_store = podinfo.clone().with(edit(&canary, "/spec/targetRef/name", long.into()));
    s.create("primary name too long", &long_store, long_deployment, Denied(&["name-too-long"]));

    let first_run = edit(&canary, "/status", Value::Null);
    s.create("new canary initializes", &podinfo.clone().without("Canary", "podinfo"), first_run, Accepted(&[]));

    let creds = edit(&podinfo.object("Secret", "registry-creds"), "/data/.dockerconfigjson", "e30=".into());
    let live = &["DANGER Canary test/podinfo: secret/registry-creds is not tracked by Flagger (secret-type): this edit reaches the primary"];
    s.update("untracked secret type", &podinfo, creds, Accepted(live));
    let opt = Store::fixture("optional-missing-and-disabled");
    let ca = edit(&opt.object("ConfigMap", "org-wide-ca"), "/data/ca.crt", "new".into());
    let opted = &["DANGER Canary edge/proxy: configmap/org-wide-ca is not tracked by Flagger (opt-out)"];
    s.update("opted out config", &opt, ca, Accepted(opted));
    let conf = edit(&opt.object("ConfigMap", "proxy-conf"), "/data/default.conf", "x".into());
    let off = &["DANGER", "configmap/proxy-conf is not tracked by Flagger (tracking-disabled)"];
    s.add("tracking disabled", &opt, "UPDATE", conf, (json!({"enableConfigTracking": false}), USER), Accepted(off));
    let binary = edit(&env, "/binaryData", json!({"logo.png": "iVBORw0K"}));
    let ignored = &["DANGER", "the binaryData of configmap/podinfo-config-env changed", "no analysis runs"];
    s.update("binary data", &podinfo, binary, Accepted(ignored));

    let primary = json!({"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}, "metadata": {
        "name": "podinfo-config-env-primary", "namespace": "test",
        "ownerReferences": [{"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "name": "podinfo", "controller": true}]}});
    let with_primary = podinfo.clone().with(primary.clone());
    let changed = edit(&primary, "/data/a", "c".into());
    let guard = json!({"flaggerServiceAccount": FLAGGER});
    let guarded = &["ConfigMap test/podinfo-config-env-primary is the -primary copy Flagger keeps for Canary podinfo"];
    s.add("primary copy edited", &with_primary, "UPDATE", changed.clone(), (guard.clone(), USER), Denied(guarded));
    let stripped = edit(&changed, "/metadata/ownerReferences", Value::Null);
    s.add(
        "primary copy stripped of its owner",
        &with_primary,
        "UPDATE",
        stripped,
        (guard.clone(), USER),
        Denied(guarded),
    );
    s.add("primary copy by flagger", &with_primary, "UPDATE", changed.clone(), (guard, FLAGGER), Accepted(&[]));
    s.update("primary copy unguarded", &with_primary, changed, Accepted(&[]));

    let interval = edit(&ds.object("Canary", "log-agent"), "/spec/analysis/interval", "2m".into());
    s.update("daemonset canary", &ds, interval.clone(), Accepted(&[]));
    let old_flagger = json!({"flaggerVersion": "0.30.0"});
    let before_1 = &["already fails", "unsupported-target-kind"];
    s.add("old flagger, old canary", &ds, "UPDATE", interval.clone(), (old_flagger.clone(), USER), Accepted(before_1));
    let without = ds.clone().without("Canary", "log-agent");
    let new_canary = &["unsupported-target-kind"];
    s.add("old flagger, new canary", &without, "CREATE", interval, (old_flagger, USER), Denied(new_canary));
    let replicas = edit(&deployment, "/spec/replicas", 3.into());
    let labels = json!({"selectorLabels": ["tier"]});
    let no_label = &["already fails", "no-selector-label"];
    s.add("selector labels setting", &podinfo, "UPDATE", replicas, (labels, USER), Accepted(no_label));

    let svc = Store::fixture("service-target");
    let port = edit(&svc.object("Service", "backend"), "/spec/ports/0/port", 8080.into());
    s.update("service target", &svc, port, Accepted(&[]));
    let backend = svc.object("Canary", "backend");
    s.create(
        "service target missing",
        &svc.clone().without("Service", "backend"),
        backend,
        Denied(&["target-not-found"]),
    );
    s.0
}
