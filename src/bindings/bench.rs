//! Bench-only export for the wasm-bindgen build (feature `bench`, never in a
//! shipped build): the same build's bare SHA-256, so js/bench/run.js can
//! compare `checksum()` against hashing alone over the same bytes.

use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;

/// Hex SHA-256 of `bytes` (copied in from a `Uint8Array`, as `checksum`'s text is).
#[wasm_bindgen(js_name = sha256Hex)]
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
