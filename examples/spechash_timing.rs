//! Prints native µs per spec hash of the podinfo vector (a figure, not a test).
use canary_tracker::spechash;
fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors/");
    let line =
        std::fs::read_to_string(format!("{dir}spechash-inputs.jsonl")).unwrap().lines().next().unwrap().to_owned();
    let v = canary_tracker::read::read_json(&line).unwrap();
    let (root, t) = spechash::hashed_value("Deployment", &v, false).unwrap();
    let n: u32 = std::env::var("N").ok().and_then(|s| s.parse().ok()).unwrap_or(20000);
    let t0 = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(spechash::hash(root, &t, "api-v0.36").unwrap());
    }
    println!("native spec hash of srv-podinfo: {:.2} µs", t0.elapsed().as_secs_f64() * 1e6 / f64::from(n));
}
