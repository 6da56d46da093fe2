//! Prints native µs per spec hash of the podinfo vector (a figure, not a
//! test): the bare hash of the decoded template, and the whole `specHash`
//! call as the import-free module's `call` export receives it (JSON in,
//! JSON out). `N` sets the calls; `ONLY=hash|call` runs one (for callgrind).
use canary_tracker::{api, spechash};
fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors/");
    let line =
        std::fs::read_to_string(format!("{dir}spechash-inputs.jsonl")).unwrap().lines().next().unwrap().to_owned();
    let v = canary_tracker::read::read_json(&line).unwrap();
    let (root, t) = spechash::hashed_value("Deployment", &v, false).unwrap();
    let n: u32 = std::env::var("N").ok().and_then(|s| s.parse().ok()).unwrap_or(20000);
    let only = std::env::var("ONLY").unwrap_or_default();
    if only != "call" {
        let t0 = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(spechash::hash(root, &t, "api-v0.36").unwrap());
        }
        println!("native spec hash of srv-podinfo: {:.2} µs", t0.elapsed().as_secs_f64() * 1e6 / f64::from(n));
    }
    if only != "hash" {
        let req = format!(r#"{{"fn":"specHash","object":{line},"flaggerVersion":"1.44.0"}}"#);
        let t0 = std::time::Instant::now();
        for _ in 0..n {
            std::hint::black_box(api::call_bytes(std::hint::black_box(req.as_bytes())));
        }
        println!("native specHash call of srv-podinfo: {:.2} µs", t0.elapsed().as_secs_f64() * 1e6 / f64::from(n));
    }
}
