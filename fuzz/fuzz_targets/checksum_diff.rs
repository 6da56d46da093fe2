#![no_main]
//! See fuzz/common/checks.rs (`checksum_diff_target`) for what is checked.
#[path = "../common/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::checksum_diff_target(data));
