//! Native speed of the checksum path, for js/bench/run.js's table (`cargo
//! bench --bench native`; uses the crate's bench profile = release settings).
//! Prints figures, asserts nothing about time. The 1 MiB ConfigMap is built
//! exactly as js/bench/lib.js `configMap(1 << 20)` builds it, so the
//! checksum printed here is comparable with the wasm one.
//! Lines: `NAME MBps=<x> us_per_op=<y>`, MB = 10^6 bytes of Go's json.Marshal
//! output (the bytes hashed); `native_plan_json_N ms=<x> us_per_canary=<y>`
//! for one plan over N Canaries of js/bench/lib.js's bag.

use canary_tracker::checksum::{ConfigKind, Escaping, GoData};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::hint::black_box;
use std::time::Instant;

fn config_map(bytes: usize) -> Value {
    let mut data = Map::new();
    let (chunk, mut left, mut i) = (16 * 1024, bytes, 0);
    while left > 0 {
        let n = chunk.min(left);
        let text = "lorem ipsum dolor sit amet, ".repeat(n.div_ceil(28));
        data.insert(format!("key-{i:05}"), Value::String(format!("{}<a&b>\n", &text[..n - 8])));
        left -= n;
        i += 1;
    }
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big", "namespace": "bench"}, "data": data})
}

/// Mean µs per call of `f` over about `secs` seconds.
fn us_per_op(secs: f64, mut f: impl FnMut()) -> f64 {
    f();
    let (start, mut n) = (Instant::now(), 0u32);
    while n < 3 || start.elapsed().as_secs_f64() < secs {
        f();
        n += 1;
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

/// The bag js/bench/lib.js `bag(n)` builds: per Canary a Deployment and
/// 2 ConfigMaps + 2 Secrets of about 2 KB, all referenced.
fn bag(n: usize) -> Value {
    use base64::Engine as _;
    let filler = |seed: &str, len: usize| {
        let mut s = format!("{seed}:");
        let pad = "abcdefghij0123456789";
        while s.len() < len {
            s.push_str(&pad[..pad.len().min(len - s.len())]);
        }
        s
    };
    let mut objects = Vec::with_capacity(n * 6);
    for i in 0..n {
        let app = format!("app-{i}");
        objects.push(json!({"apiVersion": "flagger.app/v1beta1", "kind": "Canary", "metadata": {"name": app, "namespace": "bench"},
            "spec": {"targetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": app}, "service": {"port": 80}}}));
        objects.push(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": app, "namespace": "bench", "labels": {"app": app}},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": app}}, "template": {"metadata": {"labels": {"app": app}}, "spec": {
                "containers": [{"name": "app", "image": "example/app:1.0",
                    "envFrom": [{"configMapRef": {"name": format!("{app}-cm-1")}}],
                    "env": [{"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": format!("{app}-secret-1"), "key": "key0"}}}],
                    "volumeMounts": [{"name": "config", "mountPath": "/etc/config"}, {"name": "creds", "mountPath": "/etc/creds"}]}],
                "volumes": [{"name": "config", "configMap": {"name": format!("{app}-cm-0")}},
                            {"name": "creds", "secret": {"secretName": format!("{app}-secret-0")}}]}}}}));
        for j in 0..2 {
            let data: Map<String, Value> =
                (0..8).map(|k| (format!("key{k}"), Value::String(filler(&format!("{app}/{j}/{k}"), 250)))).collect();
            objects.push(json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": format!("{app}-cm-{j}"), "namespace": "bench"}, "data": data}));
        }
        for j in 0..2 {
            let data: Map<String, Value> = (0..8)
                .map(|k| {
                    (
                        format!("key{k}"),
                        Value::String(
                            base64::engine::general_purpose::STANDARD.encode(filler(&format!("{app}/s{j}/{k}"), 186)),
                        ),
                    )
                })
                .collect();
            objects.push(json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": format!("{app}-secret-{j}"), "namespace": "bench"}, "type": "Opaque", "data": data}));
        }
    }
    json!({ "objects": objects })
}

fn main() {
    let secs = if std::env::args().any(|a| a == "--quick") { 0.3 } else { 1.0 };
    let object = config_map(1 << 20);
    let text = object.to_string();
    let go =
        GoData::decode(ConfigKind::ConfigMap, object.get("data"), "/data").map(|d| d.marshal_to_vec(Escaping::Go122));
    let Ok(marshalled) = go else { return eprintln!("could not decode the ConfigMap") };
    let mb = marshalled.len() as f64;
    let line = |name: &str, us: f64| println!("{name} MBps={:.1} us_per_op={us:.2}", mb / us);

    // --plan-only: just the plan figures (for profiling with perf).
    if !std::env::args().any(|a| a == "--plan-only") {
        line(
            "native_checksum_json",
            us_per_op(secs, || _ = black_box(canary_tracker::checksum_json(black_box(&text), None))),
        );
        line("native_read_json", us_per_op(secs, || _ = black_box(canary_tracker::read::read_json(black_box(&text)))));
        line("native_serde_value", us_per_op(secs, || _ = black_box(serde_json::from_str::<Value>(black_box(&text)))));
        line(
            "native_checksum_value",
            us_per_op(secs, || _ = black_box(canary_tracker::checksum(black_box(&object), None))),
        );
        line("native_sha256", us_per_op(secs, || _ = black_box(Sha256::digest(black_box(&marshalled)))));
    }
    // One plan_json call over js/bench/lib.js's bag, per size.
    for n in [10usize, 100, 1000, 10_000] {
        let text = bag(n).to_string();
        let us = us_per_op(secs, || _ = black_box(canary_tracker::plan_json(black_box(&text))));
        println!("native_plan_json_{n} ms={:.2} us_per_canary={:.1}", us / 1000.0, us / n as f64);
    }
    println!("native_checksum={}", canary_tracker::checksum(&object, None).unwrap_or_default());
    println!("marshalled_bytes={}", marshalled.len());
}
