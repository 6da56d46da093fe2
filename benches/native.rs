//! Native speed of the checksum and plan paths, for js/bench/run.js's table
//! (`cargo run --release --example bench-native -- [--quick] [--corpus DIR]
//! [--checksum-only | --plan-only] [--sizes 10,100] [--phases N]
//! [--profile-bytes FILE]`; release settings, so opt-level "z" but for sha2).
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
    let args: Vec<String> = std::env::args().collect();
    let secs = if args.iter().any(|a| a == "--quick") { 0.3 } else { 1.0 };
    let corpus = args
        .iter()
        .position(|a| a == "--corpus")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-corpus"), Into::into);

    // --profile-bytes FILE: checksum_bytes of FILE in a loop for 3 s (for perf record).
    if let Some(file) = args.iter().position(|a| a == "--profile-bytes").and_then(|i| args.get(i + 1)) {
        let Ok(bytes) = std::fs::read(file) else { return eprintln!("cannot read {file}") };
        let us = us_per_op(3.0, || _ = black_box(canary_tracker::api::checksum_bytes(black_box(&bytes), None)));
        return println!("checksum_bytes us_per_op={us:.2}");
    }
    // --phases N: where one plan_json of N Canaries goes (read, plan, serialise, drop).
    if let Some(n) = args.iter().position(|a| a == "--phases").and_then(|i| args.get(i + 1)?.parse::<usize>().ok()) {
        return phases(n);
    }
    // --plan-only: just the plan figures (for profiling with perf).
    if !args.iter().any(|a| a == "--plan-only") {
        // The generated 1 MiB ConfigMap (as js/bench/lib.js configMap builds it).
        let object = config_map(1 << 20);
        let text = object.to_string();
        let go = GoData::decode(ConfigKind::ConfigMap, object.get("data"), "/data")
            .map(|d| d.marshal_to_vec(Escaping::Go122));
        let Ok(marshalled) = go else { return eprintln!("could not decode the ConfigMap") };
        let mb = marshalled.len() as f64;
        let line = |name: &str, us: f64| println!("{name} MBps={:.1} us_per_op={us:.2}", mb / us);
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
        println!("native_checksum={}", canary_tracker::checksum(&object, None).unwrap_or_default());
        println!("marshalled_bytes={}", marshalled.len());
        corpus_figures(&corpus, secs);
    }
    if args.iter().any(|a| a == "--checksum-only") {
        return;
    }
    // One plan_json call over js/bench/lib.js's bag, per size (--sizes a,b,c to pick).
    let sizes: Vec<usize> = args
        .iter()
        .position(|a| a == "--sizes")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| vec![10, 100, 1000, 10_000], |s| s.split(',').filter_map(|n| n.parse().ok()).collect());
    for n in sizes {
        let text = bag(n).to_string();
        let us = us_per_op(secs, || _ = black_box(canary_tracker::plan_json(black_box(&text))));
        println!("native_plan_json_{n} ms={:.2} us_per_canary={:.1}", us / 1000.0, us / n as f64);
    }
}

/// Per file of the bench corpus (js/bench/corpus.js writes it): the checksum
/// from the bytes (`checksum_bytes`), through a `Value` (`read_json` then
/// `checksum`), and bare SHA-256 of the marshalled bytes. Names use `_` for `-`.
fn corpus_figures(dir: &std::path::Path, secs: f64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return eprintln!("no corpus at {} (node js/bench/corpus.js writes it)", dir.display());
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "json")) {
        let (Ok(bytes), Some(stem)) = (std::fs::read(file), file.file_stem().and_then(|s| s.to_str())) else {
            continue;
        };
        let stem = stem.replace('-', "_");
        let Ok(object) = canary_tracker::read::read_json_bytes(&bytes) else { continue };
        let kind = if object["kind"] == "Secret" { ConfigKind::Secret } else { ConfigKind::ConfigMap };
        let Ok(marshalled) =
            GoData::decode(kind, object.get("data"), "/data").map(|d| d.marshal_to_vec(Escaping::Go122))
        else {
            continue;
        };
        let mb = marshalled.len() as f64;
        let line = |name: &str, us: f64| println!("{name}_{stem} MBps={:.1} us_per_op={us:.2}", mb / us);
        line(
            "native_checksum_bytes",
            us_per_op(secs, || _ = black_box(canary_tracker::api::checksum_bytes(black_box(&bytes), None))),
        );
        line(
            "native_checksum_value",
            us_per_op(secs, || {
                _ = black_box(
                    canary_tracker::read::read_json_bytes(black_box(&bytes))
                        .and_then(|v| canary_tracker::checksum(&v, None)),
                )
            }),
        );
        line("native_sha256", us_per_op(secs, || _ = black_box(Sha256::digest(black_box(&marshalled)))));
    }
}

/// This thread's CPU time (Linux `schedstat`; wall time elsewhere): on a
/// shared machine, waiting for a core is not the code's time.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or_else(|| START.with(|t| t.elapsed().as_secs_f64() * 1e3), |ns| ns / 1e6)
}
thread_local! {
    static START: Instant = Instant::now();
}

/// CPU milliseconds of each step of one `plan_json` over the bag of `n` Canaries.
fn phases(n: usize) {
    let text = bag(n).to_string();
    for _ in 0..2 {
        let t = cpu_ms();
        let Ok(request) = canary_tracker::read::read_json(&text) else { return eprintln!("bad bag") };
        let read = cpu_ms() - t;
        let t = cpu_ms();
        let objects = request["objects"].as_array().map(Vec::as_slice).unwrap_or_default();
        let Ok(response) = canary_tracker::plan::plan_objects(objects, None, &canary_tracker::Options::default())
        else {
            return eprintln!("plan failed");
        };
        let plan = cpu_ms() - t;
        let t = cpu_ms();
        let out = serde_json::to_string(&response).unwrap_or_default();
        let ser = cpu_ms() - t;
        let t = cpu_ms();
        drop((request, response));
        let dropped = cpu_ms() - t;
        println!(
            "phases_{n} read_ms={read:.1} plan_ms={plan:.1} serialise_ms={ser:.1} drop_ms={dropped:.1} request_MB={:.1} response_MB={:.1}",
            text.len() as f64 / 1e6,
            out.len() as f64 / 1e6
        );
    }
}
