//! Test and bench builds of the import-free module, never shipped: the
//! module's own source (included, so the exports and code are the same) plus
//! * `trap() -> u32`: panics, which under the release profile's
//!   `panic = "abort"` is a wasm trap. tests/hardening.sh checks that a host
//!   drops a trapped instance, starts a fresh one and reports `internal-error`;
//! * `bench_sha256(ptr, len) -> u64`: bare SHA-256 of the bytes (the digest's
//!   first 8 bytes, big-endian, so the call allocates nothing), for benches
//!   comparing `checksum` with hashing alone in one build.

#[path = "../../abi/src/lib.rs"]
mod abi;
pub use abi::*;

use sha2::{Digest, Sha256};

/// Always traps.
#[cfg_attr(target_family = "wasm", no_mangle)]
#[allow(clippy::panic)]
pub extern "C" fn trap() -> u32 {
    panic!("abi-test: forced trap")
}

/// SHA-256 of `ptr..ptr+len` (a buffer from `alloc`).
///
/// # Safety
/// `ptr..ptr+len` must be readable memory.
#[cfg_attr(target_family = "wasm", no_mangle)]
pub unsafe extern "C" fn bench_sha256(ptr: *const u8, len: u32) -> u64 {
    let bytes = if ptr.is_null() || len == 0 {
        &[][..]
    } else {
        // SAFETY: forwarded from the caller.
        unsafe { std::slice::from_raw_parts(ptr, len as usize) }
    };
    Sha256::digest(bytes).iter().take(8).fold(0, |acc, &b| (acc << 8) | u64::from(b))
}
