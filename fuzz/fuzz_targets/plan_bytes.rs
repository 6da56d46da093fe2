#![no_main]
//! See fuzz/common/checks.rs (`plan_bytes_target`) for what is checked.
#[path = "../common/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::plan_bytes_target(data));
