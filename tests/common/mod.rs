//! Test helpers: the vendored test data, YAML fixtures, ref listing.
#![allow(dead_code)]

use serde_json::Value;
use std::path::PathBuf;

/// `tests/data`: everything the tests read, vendored into the repository
/// (`scripts/sync-shared.sh`). The one place Rust harnesses resolve it.
pub fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// A multi-document YAML stream as JSON objects.
pub fn yaml_objects(text: &str) -> Vec<Value> {
    use serde::Deserialize;
    serde_yaml::Deserializer::from_str(text)
        .map(|doc| serde_json::to_value(serde_yaml::Value::deserialize(doc).unwrap()).unwrap())
        .filter(|v| !v.is_null())
        .collect()
}

/// Every ConfigMap/Secret name a pod spec references, as `configmap/x`, sorted, unique.
pub fn pod_spec_refs(spec: &Value) -> Vec<String> {
    let mut out = std::collections::BTreeSet::new();
    let arr = |v: &Value, k: &str| v.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
    let mut add = |prefix: &str, v: Option<&Value>| {
        if let Some(n) = v.and_then(Value::as_str) {
            out.insert(format!("{prefix}/{n}"));
        }
    };
    for vol in arr(spec, "volumes") {
        add("configmap", vol.pointer("/configMap/name"));
        add("secret", vol.pointer("/secret/secretName"));
        for src in vol.pointer("/projected/sources").and_then(Value::as_array).cloned().unwrap_or_default() {
            add("configmap", src.pointer("/configMap/name"));
            add("secret", src.pointer("/secret/name"));
        }
    }
    for list in ["containers", "initContainers"] {
        for c in arr(spec, list) {
            for e in arr(&c, "env") {
                add("configmap", e.pointer("/valueFrom/configMapKeyRef/name"));
                add("secret", e.pointer("/valueFrom/secretKeyRef/name"));
            }
            for e in arr(&c, "envFrom") {
                add("configmap", e.pointer("/configMapRef/name"));
                add("secret", e.pointer("/secretRef/name"));
            }
        }
    }
    out.into_iter().collect()
}

/// `configmap/NAME` for a ConfigMap/Secret object.
pub fn object_ref(o: &Value) -> String {
    format!("{}/{}", o["kind"].as_str().unwrap().to_lowercase(), o["metadata"]["name"].as_str().unwrap())
}
