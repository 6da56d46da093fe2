//! Coded errors and warnings. Messages never carry a Secret value: they name
//! the object, the key and the JSON path, never the data.

use serde::Serialize;
use std::fmt;

/// Every failure the core reports, as a stable kebab-case code.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorCode {
    /// The request text is not JSON (or nests deeper than the parser allows).
    InvalidJson,
    /// The request bytes are not UTF-8.
    InvalidUtf8,
    /// The request is above [`crate::MAX_INPUT_BYTES`].
    InputTooLarge,
    /// The request is JSON but not a plan request (`objects` not an array, …).
    InvalidRequest,
    /// An object the plan needs has a field of the wrong type; `path` says where.
    InvalidObject,
    /// A Secret `data` value is not valid standard base64 (Go's decoder rejects it).
    InvalidBase64,
    /// The `canary` filter matched no Canary in `objects`.
    CanaryNotFound,
    /// The Canary's `spec.targetRef` names an object that is not in `objects`.
    TargetNotFound,
    /// A mandatory ConfigMap/Secret referenced by the pod spec is not in `objects`.
    ConfigNotFound,
    /// `spec.targetRef.kind` is not one this Flagger version handles.
    UnsupportedTargetKind,
    /// None of `selectorLabels` is in the target's `spec.selector.matchLabels`.
    NoSelectorLabel,
    /// A DaemonSet whose `updateStrategy.type` is not RollingUpdate.
    UnsupportedUpdateStrategy,
    /// `flaggerVersion` is not a version, or older than the oldest supported.
    UnsupportedFlaggerVersion,
    /// The plans would be larger than [`crate::MAX_RESPONSE_BYTES`] (or the
    /// request's `options.maxResponseBytes`): refused before they are built.
    ResponseTooLarge,
    /// A bug or a trap in a host; never expected.
    InternalError,
}

impl ErrorCode {
    /// Every code, in declaration order (the fuzz checks read it).
    pub const ALL: [ErrorCode; 15] = [
        ErrorCode::InvalidJson,
        ErrorCode::InvalidUtf8,
        ErrorCode::InputTooLarge,
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidObject,
        ErrorCode::InvalidBase64,
        ErrorCode::CanaryNotFound,
        ErrorCode::TargetNotFound,
        ErrorCode::ConfigNotFound,
        ErrorCode::UnsupportedTargetKind,
        ErrorCode::NoSelectorLabel,
        ErrorCode::UnsupportedUpdateStrategy,
        ErrorCode::UnsupportedFlaggerVersion,
        ErrorCode::ResponseTooLarge,
        ErrorCode::InternalError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid-json",
            ErrorCode::InvalidUtf8 => "invalid-utf8",
            ErrorCode::InputTooLarge => "input-too-large",
            ErrorCode::InvalidRequest => "invalid-request",
            ErrorCode::InvalidObject => "invalid-object",
            ErrorCode::InvalidBase64 => "invalid-base64",
            ErrorCode::CanaryNotFound => "canary-not-found",
            ErrorCode::TargetNotFound => "target-not-found",
            ErrorCode::ConfigNotFound => "config-not-found",
            ErrorCode::UnsupportedTargetKind => "unsupported-target-kind",
            ErrorCode::NoSelectorLabel => "no-selector-label",
            ErrorCode::UnsupportedUpdateStrategy => "unsupported-update-strategy",
            ErrorCode::UnsupportedFlaggerVersion => "unsupported-flagger-version",
            ErrorCode::ResponseTooLarge => "response-too-large",
            ErrorCode::InternalError => "internal-error",
        }
    }
}

/// A coded error: `{"code", "message", "path"?, "ref"?}`.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, ts(rename = "CoreError"))]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    /// JSON pointer into the request, where there is one (`/objects/3/spec`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub path: Option<String>,
    /// The config involved, as `configmap/NAME` or `secret/NAME`.
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub reference: Option<String>,
}

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), path: None, reference: None }
    }
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
    pub fn with_ref(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)?;
        if let Some(p) = &self.path {
            write!(f, " (at {p})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every warning the core gives, as a stable kebab-case code.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningCode {
    /// A request object could not be read and was skipped (top-level `warnings` only).
    InvalidObject,
    /// An `optional: true` config is absent: Flagger skips it.
    OptionalConfigMissing,
    /// An absent config that this release skips without failing (< 1.15.0).
    ConfigMissingSkipped,
    /// A ConfigMap's `binaryData` is neither hashed nor copied.
    ConfigBinaryData,
    /// One config is tracked by several Canaries.
    ConfigShared,
    /// A `-primary`/`-canary` name the API server will reject.
    NameTooLong,
    /// A config opts out with `flagger.app/config-tracking: disabled`.
    ConfigTrackingOptOut,
    /// Flagger 1.10 – 1.43 tracks init containers' configs but does not rewrite their references.
    InitContainerNotRewritten,
    /// A headless Service target's copies are not headless.
    HeadlessServiceIpDropped,
    /// The API server will reject Flagger's create of a Service target's copies.
    ServiceCreateRejected,
    /// The requested release is newer than the newest this crate knows.
    FlaggerVersionNewer,
    /// Past the first [`crate::read::MAX_WARNINGS`] top-level warnings, one
    /// of these counts the rest, which are not listed.
    WarningsOmitted,
}

impl WarningCode {
    /// Every code, in declaration order.
    pub const ALL: [WarningCode; 12] = [
        WarningCode::InvalidObject,
        WarningCode::OptionalConfigMissing,
        WarningCode::ConfigMissingSkipped,
        WarningCode::ConfigBinaryData,
        WarningCode::ConfigShared,
        WarningCode::NameTooLong,
        WarningCode::ConfigTrackingOptOut,
        WarningCode::InitContainerNotRewritten,
        WarningCode::HeadlessServiceIpDropped,
        WarningCode::ServiceCreateRejected,
        WarningCode::FlaggerVersionNewer,
        WarningCode::WarningsOmitted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::InvalidObject => "invalid-object",
            WarningCode::OptionalConfigMissing => "optional-config-missing",
            WarningCode::ConfigMissingSkipped => "config-missing-skipped",
            WarningCode::ConfigBinaryData => "config-binary-data",
            WarningCode::ConfigShared => "config-shared",
            WarningCode::NameTooLong => "name-too-long",
            WarningCode::ConfigTrackingOptOut => "config-tracking-opt-out",
            WarningCode::InitContainerNotRewritten => "init-container-not-rewritten",
            WarningCode::HeadlessServiceIpDropped => "headless-service-ip-dropped",
            WarningCode::ServiceCreateRejected => "service-create-rejected",
            WarningCode::FlaggerVersionNewer => "flagger-version-newer",
            WarningCode::WarningsOmitted => "warnings-omitted",
        }
    }
}

/// Something Flagger does silently that the user should know about.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub code: WarningCode,
    pub message: String,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub path: Option<String>,
}

impl Warning {
    pub fn new(code: WarningCode, message: impl Into<String>) -> Self {
        Warning { code, message: message.into(), reference: None, path: None }
    }
    pub fn with_ref(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

/// Escapes one JSON-pointer segment (`~` → `~0`, `/` → `~1`).
pub fn pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_codes_serialise_as_their_wire_names() {
        for code in WarningCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
