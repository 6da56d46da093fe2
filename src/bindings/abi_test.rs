//! Test-only export for the import-free module (feature `abi-test-trap`,
//! never in a shipped build): `trap()` panics, which under the release
//! profile's `panic = "abort"` is a wasm trap. tests/hardening.sh builds a
//! separate module with it to check that a host drops a trapped instance,
//! starts a fresh one and reports `internal-error`.

/// Always traps.
#[cfg_attr(all(target_family = "wasm", not(feature = "js")), no_mangle)]
#[allow(clippy::panic)]
pub extern "C" fn trap() -> u32 {
    panic!("abi-test-trap: forced trap")
}
