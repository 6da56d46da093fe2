//! canary-tracker as a Kubewarden validating policy (a waPC guest).
//!
//! On CREATE/UPDATE of a Canary, Deployment, DaemonSet, Service, ConfigMap or
//! Secret it reads the Canaries concerned and what they reference through
//! Kubewarden's host capabilities ([`cluster`]), plans them with the core
//! without and with the change ([`review`]), and rejects (mode `deny`) or
//! warns (mode `warn`) about what would make Flagger fail, and warns about
//! analyses the change starts and edits that reach the primary with none.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic))]

pub mod cluster;
pub mod review;
pub mod settings;
pub mod text;

use cluster::{Cluster, Host, Kind};
use kubewarden_policy_sdk::request::KubernetesAdmissionRequest;
use kubewarden_policy_sdk::response::ValidationResponse;
use kubewarden_policy_sdk::settings::SettingsValidationResponse;
use kubewarden_policy_sdk::wapc_guest::{register_function, CallResult};
use review::{review, Change};
use serde_json::Value;
use settings::{FailurePolicy, Mode, Settings};

#[no_mangle]
pub extern "C" fn wapc_init() {
    register_function("validate", validate);
    register_function("validate_settings", validate_settings);
    register_function("protocol_version", kubewarden_policy_sdk::protocol_version_guest);
}

/// waPC `validate`: a `ValidationRequest` in, a `ValidationResponse` out,
/// always (bad input is a rejection that says why, never a guest error).
fn validate(payload: &[u8]) -> CallResult {
    Ok(serde_json::to_vec(&respond(payload, &mut Host))?)
}

/// waPC `validate_settings`: always a `SettingsValidationResponse`.
fn validate_settings(payload: &[u8]) -> CallResult {
    Ok(serde_json::to_vec(&check_settings(payload))?)
}

pub fn check_settings(payload: &[u8]) -> SettingsValidationResponse {
    let checked = canary_tracker::read::read_json_bytes(payload)
        .map_err(|e| format!("settings are not JSON: {}", e.message))
        .and_then(|v| Settings::from_value(Some(v)))
        .and_then(|s| s.validate());
    match checked {
        Ok(()) => SettingsValidationResponse { valid: true, message: None },
        Err(m) => SettingsValidationResponse { valid: false, message: Some(text::clean(&m, text::MAX_MESSAGE)) },
    }
}

/// The whole `validate` call over any [`Cluster`].
pub fn respond(payload: &[u8], cluster: &mut dyn Cluster) -> ValidationResponse {
    let (settings, request) = match read_request(payload) {
        Ok(r) => r,
        Err(m) => return reject(format!("canary-tracker: invalid ValidationRequest: {m}"), vec![]),
    };
    let Some(change) = change_of(&request, &settings) else { return accept(vec![]) };
    let change = match change {
        Ok(c) => c,
        Err(m) => return reject(format!("canary-tracker: invalid admission request: {m}"), vec![]),
    };
    match review(&change, &settings, cluster) {
        Ok(f) if f.failures.is_empty() => accept(f.warnings),
        Ok(f) => match settings.mode {
            Mode::Deny => reject(format!("canary-tracker: {}", f.failures.join("; ")), f.warnings),
            Mode::Warn => {
                let mut w: Vec<String> = f.failures.iter().map(|m| format!("canary-tracker would deny: {m}")).collect();
                w.extend(f.warnings);
                accept(w)
            }
        },
        Err(e) => match settings.failure_policy() {
            FailurePolicy::FailClosed => {
                reject(format!("canary-tracker could not check this change (failurePolicy fail-closed): {e}"), vec![])
            }
            FailurePolicy::FailOpen => {
                accept(vec![format!("canary-tracker could not check this change (failurePolicy fail-open): {e}")])
            }
        },
    }
}

/// Settings and admission request from the payload, read with the core's
/// JSON reader (Go's rules, bounded depth and size).
fn read_request(payload: &[u8]) -> Result<(Settings, KubernetesAdmissionRequest), String> {
    let v =
        canary_tracker::read::read_json_bytes(payload).map_err(|e| format!("{}: {}", e.code.as_str(), e.message))?;
    let Value::Object(mut map) = v else { return Err("not a JSON object".into()) };
    let settings = Settings::from_value(map.remove("settings"))?;
    let Some(Value::Object(mut request)) = map.remove("request") else {
        return Err("request is missing or not an object".into());
    };
    // Absent and null fields alike take the SDK's defaults.
    request.retain(|_, v| !v.is_null());
    let request = serde_json::from_value(Value::Object(request)).map_err(|e| format!("request: {e}"))?;
    Ok((settings, request))
}

/// The change under review, or `None` when the policy has nothing to say:
/// another operation or kind, a subresource, or Flagger's own write.
fn change_of<'r>(r: &'r KubernetesAdmissionRequest, s: &Settings) -> Option<Result<Change<'r>, String>> {
    let kind = Kind::of_request(&r.kind.group, &r.kind.kind)?;
    if !["CREATE", "UPDATE"].contains(&r.operation.as_str()) || !r.sub_resource.is_empty() {
        return None;
    }
    if s.is_flagger(&r.user_info.username) {
        return None;
    }
    if !r.object.is_object() {
        return Some(Err("request.object is not an object".into()));
    }
    let meta = |k: &str| r.object.pointer(&format!("/metadata/{k}")).and_then(Value::as_str).filter(|s| !s.is_empty());
    let name = meta("name").unwrap_or(&r.name);
    // A name the API server generates later cannot be referenced yet.
    if name.is_empty() {
        return None;
    }
    let namespace = meta("namespace").or(Some(r.namespace.as_str()).filter(|s| !s.is_empty())).unwrap_or("default");
    let old = Some(&r.old_object).filter(|o| r.operation == "UPDATE" && o.is_object());
    Some(Ok(Change { kind, namespace, name, object: &r.object, old }))
}

fn accept(warnings: Vec<String>) -> ValidationResponse {
    response(true, None, warnings)
}

fn reject(message: String, warnings: Vec<String>) -> ValidationResponse {
    response(false, Some(text::clean(&message, text::MAX_MESSAGE)), warnings)
}

fn response(accepted: bool, message: Option<String>, warnings: Vec<String>) -> ValidationResponse {
    ValidationResponse {
        accepted,
        message,
        code: None,
        mutated_object: None,
        audit_annotations: None,
        warnings: text::warnings(warnings),
    }
}

#[cfg(test)]
mod tests;
