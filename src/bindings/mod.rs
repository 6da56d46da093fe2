//! Front ends over [`crate::api`], each behind a cargo feature so the core
//! builds without them.
#[cfg(feature = "abi")]
pub mod abi;
#[cfg(feature = "abi-test-trap")]
pub mod abi_test;
#[cfg(feature = "bench")]
pub mod bench;
#[cfg(feature = "js")]
pub mod js;
