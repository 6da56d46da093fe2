//! canary-tracker: what Flagger will do to a workload, before it is applied.
//!
//! The modules read as the pipeline, one step each:
//! [`read`] (Go-compatible JSON) → [`objects`] (normalise, index) →
//! [`scan`] (config refs in the pod spec) → [`track`] (which configs
//! Flagger tracks; [`checksum`]) → [`verdict`] → [`primary`] (`-primary`
//! objects, rewrites) → [`plan`] → [`rows`] (one row per config, for hosts).
//! [`version`] holds the per-release behaviour table; [`api`] is the one
//! entry point, at typed / `Value` / text level. No wasm code lives here:
//! the front ends are thin crates of their own (`crates/abi`, `crates/wasi`).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod analysis;
pub mod api;
pub mod budget;
pub mod checksum;
pub mod error;
mod gojson;
pub mod objects;
pub mod order;
pub mod plan;
pub mod primary;
mod rawsum;
pub mod read;
pub mod rows;
pub mod scan;
pub mod spechash;
pub mod track;
#[cfg(test)]
mod ts;
pub mod verdict;
pub mod version;

pub use api::{checksum, checksum_json, plan, plan_bytes, plan_json, plan_value, version, PlanRequest};
pub use error::{Error, ErrorCode, Warning, WarningCode};
pub use plan::{CanaryFilter, Options, Plan, PlanResponse};
pub use read::{MAX_INPUT_BYTES, MAX_RESPONSE_BYTES};
