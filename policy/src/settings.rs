//! The policy's settings, checked once by `validate_settings` when Kubewarden
//! loads the policy, then read again on every `validate` call.

use canary_tracker::version::Behaviour;
use canary_tracker::Options;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a finding that makes Flagger fail does to the request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Reject the request.
    #[default]
    Deny,
    /// Accept it with an admission warning (kubectl prints it).
    Warn,
}

/// What to do when the cluster cannot be read (a host capability failed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailurePolicy {
    /// Accept the request unchecked, with a warning saying so.
    FailOpen,
    /// Reject the request, saying why.
    FailClosed,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    pub mode: Mode,
    /// The Flagger release to reproduce (default: the newest the core knows).
    pub flagger_version: Option<String>,
    /// Flagger's `-selector-labels` (default `app,name,app.kubernetes.io/name`).
    pub selector_labels: Option<Vec<String>>,
    /// Flagger's `-include-label-prefix`.
    pub include_label_prefix: Vec<String>,
    /// Flagger's `-enable-config-tracking` (default true).
    pub enable_config_tracking: Option<bool>,
    /// Flagger's user, `system:serviceaccount:<namespace>:<name>`. When set,
    /// its own writes are never checked, and anyone else's edit of a
    /// Flagger-managed `-primary` ConfigMap/Secret is a finding.
    pub flagger_service_account: Option<String>,
    /// Default: `fail-closed` in `deny` mode, `fail-open` in `warn` mode.
    pub failure_policy: Option<FailurePolicy>,
}

impl Settings {
    /// Reads settings as Kubewarden passes them (`null` or absent: defaults).
    pub fn from_value(v: Option<Value>) -> Result<Settings, String> {
        match v {
            None | Some(Value::Null) => Ok(Settings::default()),
            // serde would also read a struct from an array, by position
            Some(v) if !v.is_object() => Err("invalid settings: not a JSON object".into()),
            Some(v) => Settings::deserialize(v).map_err(|e| format!("invalid settings: {e}")),
        }
    }

    /// Every check `validate_settings` makes, with a message naming the setting.
    pub fn validate(&self) -> Result<(), String> {
        if let Some(labels) = &self.selector_labels {
            if labels.is_empty() {
                return Err("selectorLabels must list at least one label (Flagger's default: app, name, \
                            app.kubernetes.io/name)"
                    .into());
            }
            if labels.iter().any(|l| l.is_empty()) {
                return Err("selectorLabels holds an empty label".into());
            }
        }
        if self.include_label_prefix.iter().any(|p| p.is_empty()) {
            return Err("includeLabelPrefix holds an empty prefix".into());
        }
        if let Some(sa) = &self.flagger_service_account {
            if parse_service_account(sa).is_none() {
                return Err(format!(
                    "flaggerServiceAccount {} is not system:serviceaccount:<namespace>:<name>",
                    crate::text::quote(sa)
                ));
            }
        }
        Behaviour::resolve(self.flagger_version.as_deref()).map(|_| ()).map_err(|e| e.message)
    }

    pub fn failure_policy(&self) -> FailurePolicy {
        self.failure_policy.unwrap_or(match self.mode {
            Mode::Deny => FailurePolicy::FailClosed,
            Mode::Warn => FailurePolicy::FailOpen,
        })
    }

    /// The core's plan options for objects of `namespace`.
    pub fn options(&self, namespace: &str) -> Options {
        let mut o = Options {
            default_namespace: namespace.to_owned(),
            include_label_prefix: self.include_label_prefix.clone(),
            flagger_version: self.flagger_version.clone(),
            ..Options::default()
        };
        if let Some(labels) = &self.selector_labels {
            o.selector_labels = labels.clone();
        }
        if let Some(on) = self.enable_config_tracking {
            o.enable_config_tracking = on;
        }
        o
    }

    pub fn is_flagger(&self, username: &str) -> bool {
        self.flagger_service_account.as_deref() == Some(username)
    }
}

/// `system:serviceaccount:<namespace>:<name>`, both DNS labels/subdomains.
fn parse_service_account(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix("system:serviceaccount:")?;
    let (ns, name) = rest.split_once(':')?;
    let dns = |x: &str, max: usize| {
        !x.is_empty()
            && x.len() <= max
            && x.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
            && !x.starts_with(['-', '.'])
            && !x.ends_with(['-', '.'])
    };
    (dns(ns, 63) && !ns.contains('.') && dns(name, 253)).then_some((ns, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(v: Value) -> Result<(), String> {
        Settings::from_value(Some(v))?.validate()
    }

    #[test]
    fn defaults_are_valid() {
        assert_eq!(Settings::from_value(None).unwrap(), Settings::default());
        assert_eq!(Settings::from_value(Some(Value::Null)).unwrap(), Settings::default());
        check(json!({})).unwrap();
        let s = Settings::default();
        assert_eq!(s.mode, Mode::Deny);
        assert_eq!(s.failure_policy(), FailurePolicy::FailClosed);
        assert_eq!(s.options("test"), Options { default_namespace: "test".into(), ..Options::default() });
    }

    #[test]
    fn every_setting_is_read() {
        let s = Settings::from_value(Some(json!({
            "mode": "warn", "flaggerVersion": "1.20.0", "selectorLabels": ["app"], "includeLabelPrefix": ["team"],
            "enableConfigTracking": false, "flaggerServiceAccount": "system:serviceaccount:flagger-system:flagger",
            "failurePolicy": "fail-closed"
        })))
        .unwrap();
        s.validate().unwrap();
        assert_eq!(s.mode, Mode::Warn);
        assert_eq!(s.failure_policy(), FailurePolicy::FailClosed);
        let o = s.options("ns");
        assert_eq!(o.selector_labels, ["app"]);
        assert_eq!(o.include_label_prefix, ["team"]);
        assert!(!o.enable_config_tracking);
        assert_eq!(o.flagger_version.as_deref(), Some("1.20.0"));
        assert!(s.is_flagger("system:serviceaccount:flagger-system:flagger"));
        assert!(!s.is_flagger("system:serviceaccount:flagger-system:other"));
        assert_eq!(Settings { mode: Mode::Warn, ..Settings::default() }.failure_policy(), FailurePolicy::FailOpen);
    }

    #[test]
    fn invalid_settings_are_named() {
        let cases = [
            (json!({"mode": "audit"}), "unknown variant"),
            (json!({"mode": 1}), "invalid type"),
            (json!({"flaggerVersion": "1.x"}), "not a version"),
            (json!({"flaggerVersion": "0.19.0"}), "older than"),
            (json!({"selectorLabels": []}), "at least one label"),
            (json!({"selectorLabels": ["app", ""]}), "empty label"),
            (json!({"includeLabelPrefix": [""]}), "empty prefix"),
            (json!({"flaggerServiceAccount": "flagger"}), "system:serviceaccount"),
            (json!({"flaggerServiceAccount": "system:serviceaccount:Flagger:flagger"}), "system:serviceaccount"),
            (json!({"flaggerServiceAccount": "system:serviceaccount:ns:"}), "system:serviceaccount"),
            (json!({"failurePolicy": "ignore"}), "unknown variant"),
            (json!({"enableConfigTracking": "yes"}), "invalid type"),
            (json!({"selectorLabel": ["app"]}), "unknown field"),
            (json!(["deny"]), "not a JSON object"),
            (json!("deny"), "not a JSON object"),
        ];
        for (v, want) in cases {
            let err = check(v.clone()).unwrap_err();
            assert!(err.contains(want), "{v}: {err}");
        }
    }

    #[test]
    fn newer_flagger_is_accepted() {
        check(json!({"flaggerVersion": "9.0.0"})).unwrap();
    }

    #[test]
    fn service_account_names() {
        assert_eq!(parse_service_account("system:serviceaccount:a:b.c-d"), Some(("a", "b.c-d")));
        assert_eq!(parse_service_account("system:serviceaccount:a.b:c"), None);
        assert_eq!(parse_service_account("system:serviceaccount:a:b:c"), None);
        assert_eq!(parse_service_account("system:serviceaccount:-a:b"), None);
    }
}
