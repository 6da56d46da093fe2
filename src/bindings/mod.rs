//! Front ends over [`crate::api`], each behind a cargo feature so the core
//! builds without them.
#[cfg(feature = "js")]
pub mod js;
#[cfg(feature = "abi")]
pub mod abi;
