//! What the policy reads from the cluster: Kubewarden's context-aware host
//! capabilities (waPC binding `kubewarden`, namespace `kubernetes`), behind a
//! trait so the review also runs natively against objects in memory.

use kubewarden_policy_sdk::host_capabilities::kubernetes::{
    get_resource, GetResourceRequest, ListResourcesByNamespaceRequest,
};
use kubewarden_policy_sdk::wapc_guest::host_call;
use serde_json::{Map, Value};
use std::fmt;

/// The kinds the policy reviews and reads (metadata.yml lists the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Canary,
    Deployment,
    DaemonSet,
    Service,
    ConfigMap,
    Secret,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Canary, Kind::Deployment, Kind::DaemonSet, Kind::Service, Kind::ConfigMap, Kind::Secret];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Canary => "Canary",
            Kind::Deployment => "Deployment",
            Kind::DaemonSet => "DaemonSet",
            Kind::Service => "Service",
            Kind::ConfigMap => "ConfigMap",
            Kind::Secret => "Secret",
        }
    }

    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Canary => "flagger.app/v1beta1",
            Kind::Deployment | Kind::DaemonSet => "apps/v1",
            Kind::Service | Kind::ConfigMap | Kind::Secret => "v1",
        }
    }

    fn group(self) -> &'static str {
        self.api_version().rsplit_once('/').map_or("", |(g, _)| g)
    }

    /// The kind of an admission request (`request.kind`), if the policy reviews it.
    pub fn of_request(group: &str, kind: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == kind && k.group() == group)
    }

    /// A Canary's `spec.targetRef.kind`, if the policy can read such a target.
    pub fn of_target(kind: &str) -> Option<Kind> {
        [Kind::Deployment, Kind::DaemonSet, Kind::Service].into_iter().find(|k| k.name() == kind)
    }

    pub fn is_config(self) -> bool {
        matches!(self, Kind::ConfigMap | Kind::Secret)
    }

    pub fn is_workload(self) -> bool {
        matches!(self, Kind::Deployment | Kind::DaemonSet)
    }
}

/// A host capability call that failed (not a missing object: that is `Ok(None)`).
#[derive(Debug, Clone, PartialEq)]
pub struct HostFailure {
    pub operation: &'static str,
    /// `Kind namespace/name` or `Kinds in namespace`.
    pub what: String,
    pub message: String,
}

impl fmt::Display for HostFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.operation, self.what, self.message)
    }
}

pub trait Cluster {
    /// One object of `namespace`; `None` when the cluster has none by that name.
    fn get(&mut self, kind: Kind, namespace: &str, name: &str) -> Result<Option<Value>, HostFailure>;
    /// Every object of a kind in `namespace`.
    fn list(&mut self, kind: Kind, namespace: &str) -> Result<Vec<Value>, HostFailure>;
}

/// Kubewarden's host, through the SDK's request types and operation names.
pub struct Host;

const GET: &str = "kubernetes.get_resource";
const LIST: &str = "kubernetes.list_resources_by_namespace";

impl Cluster for Host {
    fn get(&mut self, kind: Kind, namespace: &str, name: &str) -> Result<Option<Value>, HostFailure> {
        let req = GetResourceRequest {
            api_version: kind.api_version().into(),
            kind: kind.name().into(),
            name: name.into(),
            namespace: Some(namespace.into()),
            disable_cache: false,
            field_masks: None,
        };
        let what = || format!("{} {namespace}/{name}", kind.name());
        match get_resource::<Value>(&req) {
            Ok(v) => typed(v, kind).map(Some).ok_or_else(|| HostFailure {
                operation: GET,
                what: what(),
                message: "the answer is not a Kubernetes object".into(),
            }),
            // Kubewarden answers a missing object with an error, like any
            // other failure; a list by name tells the two apart.
            Err(e) => match list(kind, namespace, Some(name)) {
                Ok(items) => Ok(items.into_iter().find(|o| o.pointer("/metadata/name") == Some(&Value::from(name)))),
                Err(_) => Err(HostFailure { operation: GET, what: what(), message: e.to_string() }),
            },
        }
    }

    fn list(&mut self, kind: Kind, namespace: &str) -> Result<Vec<Value>, HostFailure> {
        list(kind, namespace, None)
    }
}

fn list(kind: Kind, namespace: &str, name: Option<&str>) -> Result<Vec<Value>, HostFailure> {
    let failure = |message: String| HostFailure {
        operation: LIST,
        what: format!("{} list in {namespace}", kind.name()),
        message,
    };
    let req = ListResourcesByNamespaceRequest {
        api_version: kind.api_version().into(),
        kind: kind.name().into(),
        namespace: namespace.into(),
        label_selector: None,
        field_selector: name.map(|n| format!("metadata.name={n}")),
        field_masks: None,
    };
    let payload = serde_json::to_vec(&req).map_err(|e| failure(e.to_string()))?;
    let raw = host_call("kubewarden", "kubernetes", "list_resources_by_namespace", &payload)
        .map_err(|e| failure(e.to_string()))?;
    // The core's reader: Go's JSON rules and its depth and size limits.
    let answer = canary_tracker::read::read_json_bytes(&raw).map_err(|e| failure(e.message))?;
    let Some(Value::Array(items)) = answer.get("items") else {
        return Err(failure("the answer has no items list".into()));
    };
    items.iter().map(|i| typed(i.clone(), kind).ok_or_else(|| failure("an item is not an object".into()))).collect()
}

/// The object with `kind` and `apiVersion` set: list items from the API
/// server carry neither, and the core classifies objects by `kind`.
fn typed(v: Value, kind: Kind) -> Option<Value> {
    let Value::Object(mut m) = v else { return None };
    fill(&mut m, "kind", kind.name());
    fill(&mut m, "apiVersion", kind.api_version());
    Some(Value::Object(m))
}

fn fill(m: &mut Map<String, Value>, key: &str, value: &str) {
    if m.get(key).is_none_or(Value::is_null) {
        m.insert(key.into(), value.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn request_kinds_need_their_group() {
        assert_eq!(Kind::of_request("apps", "Deployment"), Some(Kind::Deployment));
        assert_eq!(Kind::of_request("", "ConfigMap"), Some(Kind::ConfigMap));
        assert_eq!(Kind::of_request("flagger.app", "Canary"), Some(Kind::Canary));
        assert_eq!(Kind::of_request("extensions", "Deployment"), None);
        assert_eq!(Kind::of_request("", "Pod"), None);
        assert_eq!(Kind::of_target("Deployment"), Some(Kind::Deployment));
        assert_eq!(Kind::of_target("ConfigMap"), None);
    }

    #[test]
    fn list_items_get_their_kind() {
        let v = typed(json!({"metadata": {"name": "a"}}), Kind::Canary).unwrap();
        assert_eq!(v["kind"], "Canary");
        assert_eq!(v["apiVersion"], "flagger.app/v1beta1");
        let v = typed(json!({"kind": "Other", "apiVersion": "x/v1"}), Kind::Canary).unwrap();
        assert_eq!(v["kind"], "Other");
        assert_eq!(typed(json!([1]), Kind::Canary), None);
    }

    #[test]
    fn native_host_calls_fail_cleanly() {
        // Off wasm the SDK's stubs answer every host call with an error.
        let e = Host.list(Kind::Canary, "test").unwrap_err();
        assert_eq!(e.operation, LIST);
        assert_eq!(e.what, "Canary list in test");
        let e = Host.get(Kind::ConfigMap, "test", "cm").unwrap_err();
        assert_eq!(e.operation, GET);
        assert_eq!(e.what, "ConfigMap test/cm");
    }
}
