//! Test support shared by the policy's native tests and the waPC host tests
//! (each includes this file by path): the cluster the tests stand up from the
//! plan fixtures, and the `ValidationRequest`s Kubewarden would send.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

#[path = "../../tests/common/mod.rs"]
mod common;
pub mod scenarios;

use serde_json::{json, Value};
use std::path::PathBuf;

pub use common::yaml_objects;

/// A user who is not Flagger.
pub const USER: &str = "kubernetes-admin";
/// Flagger's service account, as the tests configure it.
pub const FLAGGER: &str = "system:serviceaccount:flagger-system:flagger";

/// The repository's `tests/data` (the vendored shared fixtures).
pub fn data() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().map(|d| d.join("tests/data")).find(|d| d.join("fixtures/plan").is_dir()).expect("tests/data")
}

/// `tests/bad-inputs` (its README says what each file must give).
pub fn bad_inputs() -> PathBuf {
    data().parent().unwrap().join("bad-inputs")
}

/// Every plan fixture's folder: the shared ones (`fixtures/plan`) and this
/// repository's (`fixtures/plan-local`), as every fixture harness reads them.
pub fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = ["plan", "plan-local"]
        .iter()
        .flat_map(|f| std::fs::read_dir(data().join("fixtures").join(f)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The objects of a cluster, answering reads as the API server would.
#[derive(Debug, Clone, Default)]
pub struct Store {
    pub objects: Vec<Value>,
}

fn namespace(o: &Value) -> &str {
    o.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or("default")
}

fn name(o: &Value) -> &str {
    o.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("")
}

impl Store {
    /// A shared plan fixture (`tests/data/fixtures/plan/NAME`) as a cluster holds it.
    pub fn fixture(fixture: &str) -> Store {
        Store::from_dir(&data().join("fixtures/plan").join(fixture))
    }

    /// A fixture folder's `objects.yaml` as a cluster holds it: namespaces set,
    /// and each Canary past its first run carrying the spec hashes Flagger
    /// records on promotion (the fixtures predate them), so that only a
    /// change of the target's pod template starts an analysis.
    pub fn from_dir(dir: &std::path::Path) -> Store {
        let text = std::fs::read_to_string(dir.join("objects.yaml")).unwrap();
        let mut store = Store { objects: yaml_objects(&text) }.defaulted();
        let plans = canary_tracker::plan_value(&json!({ "objects": store.objects }));
        for plan in plans["plans"].as_array().into_iter().flatten() {
            let Some(hash) = plan.pointer("/analysis/specHash/current").and_then(Value::as_str) else { continue };
            let (ns, name) = (&plan["canary"]["namespace"], &plan["canary"]["name"]);
            for c in store.objects.iter_mut().filter(|o| o["kind"] == "Canary" && &o["metadata"]["name"] == name) {
                if &c["metadata"]["namespace"] == ns && c.pointer("/status/phase").is_some() {
                    c["status"]["lastAppliedSpec"] = hash.into();
                    c["status"]["lastPromotedSpec"] = hash.into();
                }
            }
        }
        store
    }

    /// Every object's namespace set (`default` when it has none), as stored.
    pub fn defaulted(mut self) -> Store {
        for o in self.objects.iter_mut().filter(|o| o["metadata"].is_object()) {
            let ns = namespace(o).to_owned();
            o["metadata"]["namespace"] = ns.into();
        }
        self
    }

    /// The store with `object` added, or replacing the one of its kind and name.
    pub fn with(mut self, object: Value) -> Store {
        let key = |o: &Value| (o["kind"].clone(), namespace(o).to_owned(), name(o).to_owned());
        self.objects.retain(|o| key(o) != key(&object));
        self.objects.push(object);
        self
    }

    pub fn without(mut self, kind: &str, object: &str) -> Store {
        self.objects.retain(|o| !(o["kind"] == kind && name(o) == object));
        self
    }

    /// The one object of `kind` named `object` (a test's starting point).
    pub fn object(&self, kind: &str, object: &str) -> Value {
        self.objects.iter().find(|o| o["kind"] == kind && name(o) == object).cloned().expect(object)
    }

    pub fn get(&self, api_version: &str, kind: &str, ns: &str, object: &str) -> Option<&Value> {
        self.list(api_version, kind, ns).into_iter().find(|o| name(o) == object)
    }

    pub fn list(&self, api_version: &str, kind: &str, ns: &str) -> Vec<&Value> {
        self.objects
            .iter()
            .filter(|o| o["apiVersion"] == api_version && o["kind"] == kind && namespace(o) == ns)
            .collect()
    }
}

/// `object` with the value at a JSON pointer replaced (`null` removes it;
/// an array index one past the end appends).
pub fn edit(object: &Value, pointer: &str, value: Value) -> Value {
    let mut out = object.clone();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let slot = out.pointer_mut(parent).unwrap_or_else(|| panic!("{pointer}"));
    match (slot, value) {
        (Value::Object(m), Value::Null) => {
            m.remove(key);
        }
        (Value::Object(m), v) => {
            m.insert(key.to_owned(), v);
        }
        (Value::Array(a), v) => match key.parse::<usize>().unwrap() {
            i if i == a.len() => a.push(v),
            i => a[i] = v,
        },
        _ => panic!("{pointer}"),
    }
    out
}

/// The `ValidationRequest` Kubewarden's evaluator sends for an admission
/// request (`{"request", "settings"}`), the request as the API server
/// writes it (camelCase, `oldObject` only on UPDATE).
pub fn validation_request(op: &str, object: &Value, old: Option<&Value>, settings: &Value, user: &str) -> Value {
    let api_version = object["apiVersion"].as_str().unwrap_or("v1");
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    let kind = object["kind"].as_str().unwrap_or("");
    let lower = kind.to_lowercase();
    let resource = match lower.strip_suffix('y') {
        Some(stem) => format!("{stem}ies"),
        None => format!("{lower}s"),
    };
    let gvk = json!({"group": group, "version": version, "kind": kind});
    let gvr = json!({"group": group, "version": version, "resource": resource});
    let options_kind = if op == "UPDATE" { "UpdateOptions" } else { "CreateOptions" };
    let mut request = json!({
        "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
        "kind": gvk, "resource": gvr, "requestKind": gvk, "requestResource": gvr,
        "name": name(object), "namespace": namespace(object), "operation": op,
        "userInfo": {"username": user, "uid": "1", "groups": ["system:authenticated"]},
        "object": object, "dryRun": false,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": options_kind},
    });
    if let Some(old) = old {
        request["oldObject"] = old.clone();
    }
    json!({ "request": request, "settings": settings })
}

/// A ValidationResponse's warnings.
pub fn warnings(response: &Value) -> Vec<String> {
    serde_json::from_value(response["warnings"].clone()).unwrap_or_default()
}

/// Rejected, with every part in the message.
pub fn denied(response: &Value, parts: &[&str]) -> Result<(), String> {
    if response["accepted"] != false {
        return Err(format!("accepted: {response}"));
    }
    let m = response["message"].as_str().unwrap_or("");
    match parts.iter().find(|p| !m.contains(*p)) {
        Some(p) => Err(format!("{p:?} not in {m:?}")),
        None => Ok(()),
    }
}

/// Accepted, with one warning holding every part (no parts: no warning at all).
pub fn accepted(response: &Value, parts: &[&str]) -> Result<(), String> {
    if response["accepted"] != true {
        return Err(format!("denied: {response}"));
    }
    let w = warnings(response);
    let ok = if parts.is_empty() { w.is_empty() } else { w.iter().any(|w| parts.iter().all(|p| w.contains(p))) };
    if ok {
        Ok(())
    } else {
        Err(format!("{parts:?} not in warnings {w:?}"))
    }
}

pub fn assert_denied(response: &Value, parts: &[&str]) {
    denied(response, parts).unwrap_or_else(|e| panic!("{e}"));
}

pub fn assert_accepted(response: &Value, parts: &[&str]) {
    accepted(response, parts).unwrap_or_else(|e| panic!("{e}"));
}
