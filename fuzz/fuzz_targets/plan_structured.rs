#![no_main]
//! See fuzz/common/checks.rs (`plan_structured_target`) for what is checked.
#[path = "../common/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::plan_structured_target(data));
