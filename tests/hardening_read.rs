//! Regression tests for the reader's fast path (src/read.rs: text without a
//! `\u` escape skips the lone-surrogate scan): the result must be exactly
//! what the full scan gives.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use canary_tracker::read::read_json;
use serde_json::{json, Value};

#[test]
fn text_without_u_escapes_reads_as_plain_json() {
    for name in ["daemonset", "podinfo-first-run", "projected-and-init", "service-target"] {
        let path = format!("{}/fuzz/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        assert!(!text.contains("\\u"));
        assert_eq!(read_json(&text).unwrap(), serde_json::from_str::<Value>(&text).unwrap(), "{name}");
    }
}

#[test]
fn u_escapes_anywhere_still_take_the_full_scan() {
    // A lone surrogate after a long run of plain text, in a key and a value.
    let pad = "x".repeat(100_000);
    let text = format!(r#"{{"{pad}":"a","k\udfff":"{pad}\ud800","ok":"\ud83d\ude00","esc":"\\ud800","ctl":"\u0001"}}"#);
    let v = read_json(&text).unwrap();
    assert_eq!(v["k\u{fffd}"], json!(format!("{pad}\u{fffd}")));
    assert_eq!(v["ok"], "😀");
    assert_eq!(v["esc"], "\\ud800");
    assert_eq!(v["ctl"], "\u{1}");
    // Surrogate-free escapes only: parsed as is.
    assert_eq!(read_json(r#"{"a":"\u0041\u00e9"}"#).unwrap(), json!({"a": "Aé"}));
}
