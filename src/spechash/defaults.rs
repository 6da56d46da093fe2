//! Manifest form → (most of) server form, before hashing: the API server
//! fills in defaults, stores objects as protobuf (empty lists and maps come
//! back absent) and returns quantities in canonical form, and Flagger hashes
//! what it reads back. This applies Kubernetes' `SetDefaults_*` for what a
//! pod template and a Service spec reach (k8s.io/kubernetes
//! pkg/apis/core/v1/defaults.go and the generated declarative defaults),
//! so a manifest usually hashes like the stored object. It stays an
//! approximation (server-allocated Service IPs and ports, defaults that vary
//! by Kubernetes version such as hostPort under hostNetwork before 1.28), so
//! the hash is never presented as exact.

use super::quantity::{self, Quantity};
use serde_json::{json, Map, Value};

/// Applies the template defaults to a PodTemplateSpec value.
pub fn template(t: &mut Value) {
    if let Some(spec) = t.get_mut("spec").filter(|s| s.is_object()) {
        pod_spec(spec);
    }
    drop_empty(t);
}

/// Applies `SetDefaults_Service` to a ServiceSpec value.
pub fn service(spec: &mut Value) {
    let Some(s) = spec.as_object_mut() else { return };
    set_if_absent(s, "sessionAffinity", Value::from("None"));
    if s.get("sessionAffinity").and_then(Value::as_str) == Some("None") {
        s.remove("sessionAffinityConfig");
    }
    set_if_absent(s, "type", Value::from("ClusterIP"));
    let ty = s.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
    for p in array_mut(s, "ports") {
        let Some(p) = p.as_object_mut() else { continue };
        set_if_absent(p, "protocol", Value::from("TCP"));
        let unset = match p.get("targetPort") {
            None | Some(Value::Null) => true,
            Some(Value::Number(n)) => n.as_i64() == Some(0),
            Some(Value::String(s)) => s.is_empty(),
            _ => false,
        };
        if unset {
            if let Some(port) = p.get("port").cloned() {
                p.insert("targetPort".into(), port);
            }
        }
    }
    let external_ips = s.get("externalIPs").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
    if matches!(ty.as_str(), "NodePort" | "LoadBalancer") || (ty == "ClusterIP" && external_ips) {
        set_if_absent(s, "externalTrafficPolicy", Value::from("Cluster"));
    }
    if matches!(ty.as_str(), "NodePort" | "LoadBalancer" | "ClusterIP") {
        set_if_absent(s, "internalTrafficPolicy", Value::from("Cluster"));
    }
    if ty == "LoadBalancer" {
        set_if_absent(s, "allocateLoadBalancerNodePorts", Value::Bool(true));
    }
    drop_empty(spec);
}

fn set_if_absent(m: &mut Map<String, Value>, k: &str, v: Value) {
    let empty = match m.get(k) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        _ => false,
    };
    if empty {
        m.insert(k.to_owned(), v);
    }
}

fn array_mut<'a>(m: &'a mut Map<String, Value>, k: &str) -> impl Iterator<Item = &'a mut Value> {
    m.get_mut(k).and_then(Value::as_array_mut).into_iter().flatten()
}

fn object_mut<'a>(v: &'a mut Value, k: &str) -> Option<&'a mut Map<String, Value>> {
    v.get_mut(k).and_then(Value::as_object_mut)
}

fn pod_spec(spec: &mut Value) {
    let Some(s) = spec.as_object_mut() else { return };
    set_if_absent(s, "dnsPolicy", Value::from("ClusterFirst"));
    set_if_absent(s, "restartPolicy", Value::from("Always"));
    if s.get("securityContext").is_none_or(Value::is_null) {
        s.insert("securityContext".into(), json!({}));
    }
    if s.get("terminationGracePeriodSeconds").is_none_or(Value::is_null) {
        s.insert("terminationGracePeriodSeconds".into(), Value::from(30));
    }
    set_if_absent(s, "schedulerName", Value::from("default-scheduler"));
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        for c in array_mut(s, list) {
            container(c);
        }
    }
    for v in array_mut(s, "volumes") {
        volume(v);
    }
    if let Some(o) = s.get_mut("overhead") {
        resource_list(o);
    }
}

/// `parsers.ParseImageName`: the tag is `latest` when the reference names
/// neither a tag nor a digest.
fn image_tag(image: &str) -> Option<&str> {
    let (name, digest) = match image.split_once('@') {
        Some((n, _)) => (n, true),
        None => (image, false),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    match last.rsplit_once(':') {
        Some((_, tag)) => Some(tag),
        None if digest => None,
        None => Some("latest"),
    }
}

fn container(c: &mut Value) {
    let Some(m) = c.as_object_mut() else { return };
    if m.get("imagePullPolicy").and_then(Value::as_str).is_none_or(str::is_empty) {
        let image = m.get("image").and_then(Value::as_str).unwrap_or_default();
        let policy = if image_tag(image) == Some("latest") { "Always" } else { "IfNotPresent" };
        m.insert("imagePullPolicy".into(), Value::from(policy));
    }
    set_if_absent(m, "terminationMessagePath", Value::from("/dev/termination-log"));
    set_if_absent(m, "terminationMessagePolicy", Value::from("File"));
    for p in array_mut(m, "ports") {
        if let Some(p) = p.as_object_mut() {
            set_if_absent(p, "protocol", Value::from("TCP"));
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = object_mut(c, probe) {
            for (k, d) in
                [("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)]
            {
                set_if_absent(p, k, Value::from(d));
            }
            handler(p);
        }
    }
    if let Some(l) = object_mut(c, "lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = l.get_mut(hook).and_then(Value::as_object_mut) {
                handler(h);
            }
        }
    }
    let Some(m) = c.as_object_mut() else { return };
    for e in array_mut(m, "env") {
        if let Some(f) = e.pointer_mut("/valueFrom/fieldRef").and_then(Value::as_object_mut) {
            set_if_absent(f, "apiVersion", Value::from("v1"));
        }
        if let Some(f) = e.pointer_mut("/valueFrom/resourceFieldRef").and_then(Value::as_object_mut) {
            // A zero Quantity is not omitempty: the server returns "0".
            if f.get("divisor").is_none_or(Value::is_null) {
                f.insert("divisor".into(), Value::from("0"));
            }
        }
    }
    if let Some(r) = object_mut(c, "resources") {
        for k in ["limits", "requests"] {
            if let Some(l) = r.get_mut(k) {
                resource_list(l);
            }
        }
    }
}

/// HTTPGetAction path "/" and scheme HTTP; GRPCAction service "".
fn handler(h: &mut Map<String, Value>) {
    if let Some(g) = h.get_mut("httpGet").and_then(Value::as_object_mut) {
        set_if_absent(g, "path", Value::from("/"));
        set_if_absent(g, "scheme", Value::from("HTTP"));
    }
    if let Some(g) = h.get_mut("grpc").and_then(Value::as_object_mut) {
        if g.get("service").is_none_or(Value::is_null) {
            g.insert("service".into(), Value::from(""));
        }
    }
}

fn volume(v: &mut Value) {
    let Some(m) = v.as_object_mut() else { return };
    // A volume with no source is an emptyDir.
    if m.keys().all(|k| k == "name") {
        m.insert("emptyDir".into(), json!({}));
    }
    for (src, mode) in [
        ("secret", "defaultMode"),
        ("configMap", "defaultMode"),
        ("downwardAPI", "defaultMode"),
        ("projected", "defaultMode"),
    ] {
        if let Some(s) = m.get_mut(src).and_then(Value::as_object_mut) {
            if s.get(mode).is_none_or(Value::is_null) {
                s.insert(mode.into(), Value::from(420));
            }
        }
    }
    for item in
        m.get_mut("downwardAPI").and_then(|d| d.get_mut("items")).and_then(Value::as_array_mut).into_iter().flatten()
    {
        field_ref(item);
    }
    let sources = m.get_mut("projected").and_then(|p| p.get_mut("sources")).and_then(Value::as_array_mut);
    for s in sources.into_iter().flatten() {
        if let Some(t) = s.get_mut("serviceAccountToken").and_then(Value::as_object_mut) {
            if t.get("expirationSeconds").is_none_or(Value::is_null) {
                t.insert("expirationSeconds".into(), Value::from(3600));
            }
        }
        for item in s.pointer_mut("/downwardAPI/items").and_then(Value::as_array_mut).into_iter().flatten() {
            field_ref(item);
        }
    }
    if let Some(h) = m.get_mut("hostPath").and_then(Value::as_object_mut) {
        if h.get("type").is_none_or(Value::is_null) {
            h.insert("type".into(), Value::from(""));
        }
    }
    if let Some(spec) =
        m.get_mut("ephemeral").and_then(|e| e.pointer_mut("/volumeClaimTemplate/spec")).and_then(Value::as_object_mut)
    {
        if spec.get("volumeMode").is_none_or(Value::is_null) {
            spec.insert("volumeMode".into(), Value::from("Filesystem"));
        }
    }
    if let Some(size) = m.get_mut("emptyDir").and_then(|e| e.get_mut("sizeLimit")) {
        canonical_quantity(size, false);
    }
}

fn field_ref(item: &mut Value) {
    if let Some(f) = item.get_mut("fieldRef").and_then(Value::as_object_mut) {
        set_if_absent(f, "apiVersion", Value::from("v1"));
    }
}

/// `SetDefaults_ResourceList`: each value rounded up to milli precision,
/// then returned in canonical form.
fn resource_list(l: &mut Value) {
    for (_, q) in l.as_object_mut().into_iter().flatten() {
        canonical_quantity(q, true);
    }
}

/// Rewrites a quantity as the server returns it. Values the reproduction
/// cannot canonicalise (inf.Dec forms, invalid ones) are left as written.
fn canonical_quantity(v: &mut Value, round_to_milli: bool) {
    let raw = match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Number(n) => n.to_string(),
        _ => return,
    };
    let Ok(mut q) = quantity::from_json_token(&raw) else { return };
    if q.dec.is_some() {
        return;
    }
    if round_to_milli && q.scale < -3 {
        // RoundUp(-3) of the int64 form: towards +inf, as inf.RoundUp does
        // for the magnitude.
        let div = 10i64.pow((-3 - q.scale) as u32);
        let (quot, rem) = (q.value / div, q.value % div);
        q.value = if rem != 0 { quot + q.value.signum() } else { quot };
        q.scale = -3;
        q.s.clear();
    }
    if let Some(s) = canonical_string(&q) {
        *v = Value::String(s);
    }
}

/// `Quantity.String()` for the int64 form.
fn canonical_string(q: &Quantity) -> Option<String> {
    if !q.s.is_empty() {
        return Some(q.s.clone());
    }
    if q.value == 0 {
        return Some("0".into());
    }
    let mut format = q.format;
    if format == "BinarySI" {
        let whole = (q.scale >= 0).then(|| q.value.checked_mul(10i64.checked_pow(q.scale as u32)?)).flatten();
        match whole {
            Some(w) if !(-1024 < w && w < 1024) => return Some(base1024(w)),
            _ => format = "DecimalSI",
        }
    }
    // removeInt64Factors(value, 10), then an exponent that is a multiple of 3.
    let (mut amount, mut exp) = (q.value, q.scale);
    while amount % 10 == 0 {
        amount /= 10;
        exp += 1;
    }
    match exp.rem_euclid(3) {
        1 => {
            amount = amount.checked_mul(10)?;
            exp -= 1;
        }
        2 => {
            amount = amount.checked_mul(100)?;
            exp -= 2;
        }
        _ => {}
    }
    let suffix = if format == "DecimalExponent" {
        if exp == 0 {
            String::new()
        } else {
            format!("e{exp}")
        }
    } else {
        match exp {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return None,
        }
        .to_owned()
    };
    Some(format!("{amount}{suffix}"))
}

/// `AsCanonicalBase1024Bytes`: the largest power of 1024 that divides.
fn base1024(mut w: i64) -> String {
    let mut exp = 0;
    while w % 1024 == 0 && exp < 6 {
        w /= 1024;
        exp += 1;
    }
    let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"].get(exp).copied().unwrap_or("");
    format!("{w}{suffix}")
}

/// Protobuf storage: an empty list or map comes back absent. (An empty
/// object that is a struct, such as `securityContext: {}`, is kept: it
/// decodes to a non-nil pointer. Maps and structs are told apart by name.)
fn drop_empty(v: &mut Value) {
    const MAPS: [&str; 8] =
        ["labels", "annotations", "nodeSelector", "limits", "requests", "overhead", "selector", "matchLabels"];
    match v {
        Value::Object(m) => {
            m.retain(|k, x| match x {
                Value::Array(a) => !a.is_empty(),
                Value::Object(o) if MAPS.contains(&k.as_str()) => !o.is_empty(),
                _ => true,
            });
            for x in m.values_mut() {
                drop_empty(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(drop_empty),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_quantities() {
        for (input, want) in [
            ("2000m", "2"),
            ("100m", "100m"),
            ("0.5", "500m"),
            ("1000", "1k"),
            ("1024Mi", "1Gi"),
            ("64Mi", "64Mi"),
            ("1e3", "1e3"),
            ("0.1", "100m"),
            ("1.5", "1500m"),
        ] {
            let mut v = json!(input);
            canonical_quantity(&mut v, false);
            assert_eq!(v, json!(want), "{input}");
        }
        let mut v = json!("1.0001");
        canonical_quantity(&mut v, true);
        assert_eq!(v, json!("1001m"), "rounded up to milli");
    }

    #[test]
    fn image_tags() {
        assert_eq!(image_tag("nginx"), Some("latest"));
        assert_eq!(image_tag("nginx:1.2"), Some("1.2"));
        assert_eq!(image_tag("registry:5000/nginx"), Some("latest"));
        assert_eq!(image_tag("nginx@sha256:abc"), None);
    }
}
