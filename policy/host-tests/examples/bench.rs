//! Prints figures, asserts nothing about them: policy.wasm's size, the time
//! to compile and instantiate it, and one `validate` call's time through the
//! waPC host with host-capability calls answered from memory
//! (`cargo run -p kubewarden-host-tests --example bench`; scripts/test.sh
//! runs it after the host tests).

use kubewarden_host_tests::support::scenarios;
use kubewarden_host_tests::{policy_path, Policy};
use std::time::{Duration, Instant};

fn main() {
    let path = policy_path();
    let raw = std::fs::metadata(&path).expect("policy.wasm (policy/build.sh)").len();
    println!("bench: {} is {raw} bytes raw", path.display());

    let all = scenarios::all();
    let t = Instant::now();
    let p = Policy::new(all[0].store.clone());
    println!("bench: compile + first instance {:.1} ms", ms(t.elapsed()));
    let t = Instant::now();
    let again = Policy::new(all[0].store.clone());
    println!("bench: another instance {:.2} ms", ms(t.elapsed()));
    drop(again);

    for name in ["image change", "tracked config edit", "missing config", "new canary initializes"] {
        let s = all.iter().find(|s| s.name == name).expect(name);
        p.set_store(s.store.clone());
        p.take_calls();
        s.check(&p.validate(&s.request));
        let calls = p.take_calls().len();
        let payload = serde_json::to_vec(&s.request).unwrap();
        p.take_host_time();
        // Each call's time, and that time less this host's own callback work.
        let (mut total, mut policy): (Vec<Duration>, Vec<Duration>) = (0..200)
            .map(|_| {
                let t = Instant::now();
                p.call("validate", &payload).expect("validate");
                let d = t.elapsed();
                (d, d.saturating_sub(p.take_host_time()))
            })
            .unzip();
        total.sort();
        policy.sort();
        println!(
            "bench: validate \"{name}\" ({} bytes in, {calls} host calls): median {:.3} ms (min {:.3}); \
             without this host's callback work: median {:.3} ms (min {:.3}); 200 calls",
            payload.len(),
            ms(total[100]),
            ms(total[0]),
            ms(policy[100]),
            ms(policy[0])
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
