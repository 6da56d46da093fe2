//! Step 6, plan: one [`Plan`] per Canary, running normalise → scan → track
//! (checksums) → verdict → primary objects. One failing Canary never spoils
//! another's plan.

use crate::analysis::{self, Analysis, Upgrade};
use crate::checksum::type_name;
use crate::error::{Error, ErrorCode, Result, Warning, WarningCode};
use crate::objects::{wrong_type, Bag, Obj};
use crate::primary::{self, Rewrite, WorkloadInput};
use crate::rows::{config_rows, ConfigRow};
use crate::scan::scan;
use crate::track::{track, MAX_NAME};
pub use crate::track::{Untracked, UntrackedReason};
use crate::verdict::{verdict, ConfigChange};
use crate::version::Behaviour;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Flagger's command-line settings that change what it does.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
#[cfg_attr(test, ts(rename = "PlanOptions"))]
pub struct Options {
    /// Namespace of objects without `metadata.namespace`.
    #[cfg_attr(test, ts(as = "Option<String>", optional))]
    pub default_namespace: String,
    /// Flagger's `-include-label-prefix` (`*` = all).
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub include_label_prefix: Vec<String>,
    /// Flagger's `-selector-labels`.
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub selector_labels: Vec<String>,
    /// Flagger's `-enable-config-tracking`.
    #[cfg_attr(test, ts(as = "Option<bool>", optional))]
    pub enable_config_tracking: bool,
    /// The Flagger release to reproduce (default: the newest supported).
    #[cfg_attr(test, ts(optional = nullable))]
    pub flagger_version: Option<String>,
    /// Also compare the spec hash under this Flagger release (the upgrade check).
    #[cfg_attr(test, ts(optional = nullable))]
    pub upgrade_to: Option<String>,
    /// `auto` (default: server form when the target carries a uid,
    /// resourceVersion or creationTimestamp), `server` or `manifest`.
    #[cfg_attr(test, ts(as = "Option<SpecForm>", optional = nullable))]
    pub spec_form: Option<String>,
    /// `false`: the `-primary` objects come without their body (configs
    /// without `data`, the workload and Services without `spec`), for a
    /// smaller response when many Canaries share large configs.
    #[cfg_attr(test, ts(as = "Option<bool>", optional))]
    pub primary_bodies: bool,
    /// A limit on the response in bytes, below the core's own (256 MiB):
    /// plans past it are `response-too-large`.
    #[cfg_attr(test, ts(as = "Option<u32>", optional = nullable))]
    pub max_response_bytes: Option<usize>,
}

/// `options.specForm` as TypeScript sees it (the core reads a string and checks it).
#[cfg(test)]
#[derive(ts_rs::TS)]
#[ts(type = "'auto' | 'server' | 'manifest'")]
pub struct SpecForm;

impl Default for Options {
    fn default() -> Self {
        Options {
            default_namespace: "default".into(),
            include_label_prefix: Vec::new(),
            selector_labels: vec!["app".into(), "name".into(), "app.kubernetes.io/name".into()],
            enable_config_tracking: true,
            flagger_version: None,
            upgrade_to: None,
            spec_form: None,
            primary_bodies: true,
            max_response_bytes: None,
        }
    }
}

impl Options {
    /// The response limit: [`crate::MAX_RESPONSE_BYTES`], or less if asked.
    pub fn response_limit(&self) -> usize {
        self.max_response_bytes.map_or(crate::MAX_RESPONSE_BYTES, |n| n.min(crate::MAX_RESPONSE_BYTES))
    }

    /// `options` of a request. Read by hand, not by serde's derive: its
    /// deserialise-from-`Value` code was ~6 KB of the wasm.
    pub fn from_value(v: &Value, path: &str) -> Result<Options> {
        let mut o = Options::default();
        const NAMES: &[&str] = &[
            "defaultNamespace",
            "includeLabelPrefix",
            "selectorLabels",
            "enableConfigTracking",
            "flaggerVersion",
            "upgradeTo",
            "specForm",
            "primaryBodies",
            "maxResponseBytes",
        ];
        read_fields(v, path, NAMES, &mut |i, v| {
            match i {
                0 => o.default_namespace = string(v)?,
                1 => o.include_label_prefix = strings(v)?,
                2 => o.selector_labels = strings(v)?,
                3 => o.enable_config_tracking = v.as_bool().ok_or("a boolean")?,
                4 => o.flagger_version = optional(v)?,
                5 => o.upgrade_to = optional(v)?,
                6 => o.spec_form = optional(v)?,
                7 => o.primary_bodies = v.as_bool().ok_or("a boolean")?,
                _ => {
                    o.max_response_bytes = match v {
                        Value::Null => None,
                        v => Some(v.as_u64().and_then(|n| usize::try_from(n).ok()).ok_or("a byte count or null")?),
                    }
                }
            }
            Ok(())
        })?;
        Ok(o)
    }
}

impl CanaryFilter {
    /// `canary` of a request (see [`Options::from_value`]).
    pub fn from_value(v: &Value, path: &str) -> Result<CanaryFilter> {
        let mut f = CanaryFilter::default();
        read_fields(v, path, &["namespace", "name"], &mut |i, v| {
            *if i == 0 { &mut f.namespace } else { &mut f.name } = optional(v)?;
            Ok(())
        })?;
        Ok(f)
    }
}

/// The members of the object `v`, each by its index in `names`; `set`
/// fails with the type it expected. An unknown member is an error.
fn read_fields(
    v: &Value,
    path: &str,
    names: &[&str],
    set: &mut dyn FnMut(usize, &Value) -> std::result::Result<(), &'static str>,
) -> Result<()> {
    let what = path.get(1..).unwrap_or_default();
    let err = |m: String| Err(Error::new(ErrorCode::InvalidRequest, format!("{what}: {m}")).at(path));
    let Value::Object(map) = v else { return err(format!("expected an object, found {}", type_name(v))) };
    for (k, v) in map {
        let Some(i) = names.iter().position(|n| n == k) else {
            return err(format!("unknown field `{k}`, expected one of `{}`", names.join("`, `")));
        };
        if let Err(expected) = set(i, v) {
            return err(format!("{k}: expected {expected}, found {}", type_name(v)));
        }
    }
    Ok(())
}

fn string(v: &Value) -> std::result::Result<String, &'static str> {
    v.as_str().map(str::to_owned).ok_or("a string")
}

fn optional(v: &Value) -> std::result::Result<Option<String>, &'static str> {
    if v.is_null() {
        Ok(None)
    } else {
        v.as_str().map(|s| Some(s.to_owned())).ok_or("a string or null")
    }
}

fn strings(v: &Value) -> std::result::Result<Vec<String>, &'static str> {
    let a = v.as_array().ok_or("an array of strings")?;
    a.iter().map(|s| s.as_str().map(str::to_owned).ok_or("an array of strings")).collect()
}

/// Which Canaries to plan; unset fields match any.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CanaryFilter {
    #[cfg_attr(test, ts(optional = nullable))]
    pub namespace: Option<String>,
    #[cfg_attr(test, ts(optional = nullable))]
    pub name: Option<String>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CanaryId {
    pub namespace: String,
    pub name: String,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetId {
    pub kind: String,
    #[serde(rename = "apiVersion", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub api_version: Option<String>,
    pub namespace: String,
    pub name: String,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Services {
    #[cfg_attr(test, ts(type = "KubeObject"))]
    pub primary: Value,
    #[cfg_attr(test, ts(type = "KubeObject"))]
    pub canary: Value,
}

/// What Flagger would do for one Canary.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub canary: CanaryId,
    pub flagger_version: String,
    pub target: Option<TargetId>,
    pub error: Option<Error>,
    /// What Flagger writes to `status.trackedConfigs` (`null`: not tracked).
    pub tracked_configs: Option<BTreeMap<String, String>>,
    /// Flagger's verdict (`null` when the plan failed).
    pub configs_changed: Option<bool>,
    pub config_changes: Vec<ConfigChange>,
    pub untracked_configs: Vec<Untracked>,
    /// One row per config (tracked, removed, not tracked): the table hosts show.
    pub configs: Vec<ConfigRow>,
    /// The `-primary` ConfigMaps/Secrets Flagger creates or updates.
    #[cfg_attr(test, ts(type = "KubeObject[]"))]
    pub primary_configs: Vec<Value>,
    /// The `-primary` Deployment/DaemonSet.
    #[cfg_attr(test, ts(type = "KubeObject | null"))]
    pub primary_workload: Option<Value>,
    pub services: Option<Services>,
    /// Every rename in `primaryWorkload`.
    pub rewrites: Vec<Rewrite>,
    pub warnings: Vec<Warning>,
    /// Will Flagger start an analysis, and why.
    pub analysis: Option<Analysis>,
    /// With `options.upgradeTo`: what the Flagger upgrade alone does.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub upgrade: Option<Upgrade>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanResponse {
    pub plans: Vec<Plan>,
    /// Objects that were skipped because they could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(test, ts(as = "Option<Vec<Warning>>", optional))]
    pub warnings: Vec<Warning>,
}

/// DNS label limit for Service names.
const MAX_SERVICE_NAME: usize = 63;

/// Plans every Canary in `objects` (or the one `filter` selects).
pub fn plan_objects(objects: &[Value], filter: Option<&CanaryFilter>, options: &Options) -> Result<PlanResponse> {
    let (beh, version_warning) = Behaviour::resolve(options.flagger_version.as_deref())?;
    if let Some(to) = options.upgrade_to.as_deref() {
        Behaviour::resolve(Some(to)).map_err(|e| e.at("/options/upgradeTo"))?;
    }
    if let Some(f) = options.spec_form.as_deref().filter(|f| !matches!(*f, "auto" | "server" | "manifest")) {
        return Err(Error::new(ErrorCode::InvalidRequest, format!("specForm {f:?} is not auto, server or manifest"))
            .at("/options/specForm"));
    }
    let bag = Bag::new(objects, &options.default_namespace);
    let selected: Vec<&Obj> = bag
        .canaries
        .iter()
        .filter(|c| {
            filter.is_none_or(|f| {
                f.namespace.as_deref().is_none_or(|n| n == c.namespace) && f.name.as_deref().is_none_or(|n| n == c.name)
            })
        })
        .collect();
    if let (Some(f), true) = (filter, selected.is_empty()) {
        return Err(Error::new(
            ErrorCode::CanaryNotFound,
            format!(
                "no Canary {}/{} in objects",
                f.namespace.as_deref().unwrap_or("*"),
                f.name.as_deref().unwrap_or("*")
            ),
        ));
    }
    // Each plan is weighed as built (bodies included: that work was done)
    // and the request refused once past the limit, before it holds more.
    let mut budget = crate::budget::Budget::new(options.response_limit());
    budget.charge_warnings(&bag.warnings)?;
    let total = selected.len();
    let mut plans: Vec<Plan> = Vec::with_capacity(total);
    for canary in selected {
        let mut plan = plan_canary(&bag, canary, &beh, options);
        plan.warnings.extend(version_warning.clone());
        budget.charge_plan(&plan, plans.len() + 1, total)?;
        if !options.primary_bodies {
            primary::omit_bodies(&mut plan);
        }
        plans.push(plan);
    }
    warn_shared_configs(&mut plans);
    Ok(PlanResponse { plans, warnings: bag.warnings })
}

/// What a successful plan adds to its Canary: everything but the identity.
struct Planned {
    tracked_configs: Option<BTreeMap<String, String>>,
    configs_changed: bool,
    config_changes: Vec<ConfigChange>,
    untracked_configs: Vec<Untracked>,
    primary_configs: Vec<Value>,
    primary_workload: Option<Value>,
    services: Option<Services>,
    rewrites: Vec<Rewrite>,
    warnings: Vec<Warning>,
}

impl Plan {
    /// The one place a [`Plan`] is built. A failed plan shows the error and
    /// the target, never half-built objects or partial findings.
    fn new(canary: CanaryId, beh: &Behaviour, target: Option<TargetId>, outcome: Result<Planned>) -> Plan {
        let flagger_version = beh.version.to_string();
        match outcome {
            Ok(p) => Plan {
                canary,
                flagger_version,
                target,
                error: None,
                tracked_configs: p.tracked_configs,
                configs_changed: Some(p.configs_changed),
                config_changes: p.config_changes,
                untracked_configs: p.untracked_configs,
                configs: Vec::new(),
                primary_configs: p.primary_configs,
                primary_workload: p.primary_workload,
                services: p.services,
                rewrites: p.rewrites,
                warnings: p.warnings,
                analysis: None,
                upgrade: None,
            },
            Err(e) => Plan {
                canary,
                flagger_version,
                target,
                error: Some(e),
                tracked_configs: None,
                configs_changed: None,
                config_changes: Vec::new(),
                untracked_configs: Vec::new(),
                configs: Vec::new(),
                primary_configs: Vec::new(),
                primary_workload: None,
                services: None,
                rewrites: Vec::new(),
                warnings: Vec::new(),
                analysis: None,
                upgrade: None,
            },
        }
    }
}

fn plan_canary(bag: &Bag, canary: &Obj, beh: &Behaviour, options: &Options) -> Plan {
    let id = CanaryId { namespace: canary.namespace.into(), name: canary.name.into() };
    let mut plan = match target_ref(canary) {
        Ok(t) => {
            let outcome = plan_target(bag, canary, &t, beh, options);
            Plan::new(id, beh, Some(t), outcome)
        }
        Err(e) => Plan::new(id, beh, None, Err(e)),
    };
    // Computed from the finished plan, failed or not.
    if plan.error.is_none() {
        let status = canary.get("/status/trackedConfigs").and_then(Value::as_object);
        plan.configs = config_rows(&plan, status);
    }
    plan.analysis = Some(analysis::analyse(bag, canary, &plan, options));
    if let Some(to) = &options.upgrade_to {
        plan.upgrade = Some(analysis::upgrade(bag, canary, &plan, options, to));
    }
    plan
}

/// The Canary's `spec.targetRef`.
fn target_ref(canary: &Obj) -> Result<TargetId> {
    let require = |p: &str| -> Result<&str> {
        canary.str_at(p)?.filter(|s| !s.is_empty()).ok_or_else(|| {
            Error::new(ErrorCode::InvalidObject, format!("Canary has no {}", &p[1..].replace('/', ".")))
                .at(canary.path(p))
        })
    };
    let kind = require("/spec/targetRef/kind")?;
    let name = require("/spec/targetRef/name")?;
    let api_version = canary.str_at("/spec/targetRef/apiVersion")?;
    Ok(TargetId {
        kind: kind.into(),
        api_version: api_version.map(Into::into),
        namespace: canary.namespace.into(),
        name: name.into(),
    })
}

/// Flagger's steps for one Canary, in its order (scheduler.go `advanceCanary`):
/// the target and its selector label (`GetMetadata`), then the primary
/// (`Initialize`: DaemonSet update strategy, configs, workload).
fn plan_target(bag: &Bag, canary: &Obj, t: &TargetId, beh: &Behaviour, options: &Options) -> Result<Planned> {
    let (kind, name) = (t.kind.as_str(), t.name.as_str());
    let unsupported =
        |why: String| Err(Error::new(ErrorCode::UnsupportedTargetKind, why).at(canary.path("/spec/targetRef")));
    let knative = t.api_version.as_deref().is_some_and(|a| a.starts_with("serving.knative.dev/"));
    match kind {
        "Service" if knative => {
            return unsupported(
                "Knative Services are handled by Flagger's Knative controller, which this preview does not reproduce"
                    .into(),
            )
        }
        "Service" if !beh.service_target => {
            return unsupported(format!("Service targets need Flagger 0.20.4 or later (previewing {})", beh.version))
        }
        "DaemonSet" if !beh.daemonset_target => {
            return unsupported(format!("DaemonSet targets need Flagger 1.0.0 or later (previewing {})", beh.version))
        }
        "Deployment" | "DaemonSet" | "Service" => {}
        other => return unsupported(format!("target kind {other:?} is not one of Deployment, DaemonSet, Service")),
    };
    let target = bag.get(kind, canary.namespace, name).ok_or_else(|| {
        Error::new(ErrorCode::TargetNotFound, format!("{kind} {}/{name} is not in objects", canary.namespace))
            .at(canary.path("/spec/targetRef"))
    })?;
    if kind == "Service" {
        plan_service(target, canary, beh)
    } else {
        plan_workload(bag, canary, target, beh, options)
    }
}

fn plan_service(target: &Obj, canary: &Obj, beh: &Behaviour) -> Result<Planned> {
    let copies = primary::service_copies(target, canary, beh)?;
    let mut warnings = copies.warnings;
    for suffix in ["primary", "canary"] {
        if target.name.len() + suffix.len() + 1 > MAX_SERVICE_NAME {
            warnings.push(Warning::new(
                WarningCode::NameTooLong,
                format!(
                    "{}-{suffix} is longer than {MAX_SERVICE_NAME} characters; the API server will reject this Service",
                    target.name
                ),
            ));
        }
    }
    Ok(Planned {
        tracked_configs: None,
        configs_changed: false,
        config_changes: Vec::new(),
        untracked_configs: Vec::new(),
        primary_configs: Vec::new(),
        primary_workload: None,
        services: Some(Services { primary: copies.primary, canary: copies.canary }),
        rewrites: Vec::new(),
        warnings,
    })
}

fn plan_workload(bag: &Bag, canary: &Obj, target: &Obj, beh: &Behaviour, options: &Options) -> Result<Planned> {
    // GetMetadata fails on the selector label before anything else is read;
    // createPrimaryDaemonSet checks the strategy before GetTargetConfigs.
    let selector = primary::selector_label(target, &options.selector_labels)?;
    primary::check_update_strategy(target)?;
    let pod_spec = match target.get("/spec/template/spec") {
        Some(v @ Value::Object(_)) => v,
        Some(other) => return Err(wrong_type(&target.path("/spec/template/spec"), "an object", other)),
        None => {
            return Err(Error::new(ErrorCode::InvalidObject, format!("{} has no spec.template.spec", target.kind))
                .at(target.path("/spec/template/spec")))
        }
    };
    let sites = scan(pod_spec, &target.path("/spec/template/spec"), beh)?;
    let tracking = track(bag, canary, &sites, beh, options)?;
    let (configs_changed, config_changes) = match &tracking.checksums {
        Some(sums) => verdict(sums, read_status(canary)?.as_ref()),
        None => (false, Vec::new()),
    };
    let mut warnings = tracking.warnings;
    if target.name.len() + "-primary".len() > MAX_NAME {
        warnings.push(Warning::new(
            WarningCode::NameTooLong,
            format!("{}-primary is longer than {MAX_NAME} characters; the API server will reject it", target.name),
        ));
    }
    let (pod_spec, mut rewrites) =
        primary::rewrite_pod_spec(pod_spec, &sites, &tracking.renamed, beh, "/spec/template/spec");
    let workload = primary::primary_workload(
        WorkloadInput {
            target,
            canary,
            beh,
            prefixes: &options.include_label_prefix,
            selector_labels: &options.selector_labels,
            selector,
            pod_spec,
        },
        &mut rewrites,
    )?;
    Ok(Planned {
        tracked_configs: tracking.checksums,
        configs_changed,
        config_changes,
        untracked_configs: tracking.untracked,
        primary_configs: tracking.primaries,
        primary_workload: Some(workload),
        services: None,
        rewrites,
        warnings,
    })
}

/// The Canary's `status.trackedConfigs` (`None` when nil).
fn read_status(canary: &Obj) -> Result<Option<BTreeMap<String, String>>> {
    let Some(map) = canary.object_at("/status/trackedConfigs")? else { return Ok(None) };
    // Inserted one by one: `collect` into a BTreeMap would sort (see `order`).
    let mut out = BTreeMap::new();
    for (k, v) in map {
        match v {
            Value::String(s) => out.insert(k.clone(), s.clone()),
            other => {
                return Err(wrong_type(
                    &canary.path(&format!("/status/trackedConfigs/{}", crate::error::pointer_segment(k))),
                    "a string",
                    other,
                ))
            }
        };
    }
    Ok(Some(out))
}

/// Configs tracked by more than one Canary get promoted by whichever wins.
/// Canaries named in a `config-shared` warning; the rest are counted.
const SHARED_NAMES: usize = 10;

fn warn_shared_configs(plans: &mut [Plan]) {
    // Namespace and ref → the Canaries tracking it (NUL occurs in neither).
    let key = |p: &Plan, r: &str| [p.canary.namespace.as_str(), r].join("\0");
    let mut index = crate::order::Index::new();
    let mut users: Vec<Vec<String>> = Vec::new();
    for p in plans.iter() {
        for r in p.tracked_configs.iter().flat_map(|t| t.keys()) {
            let i = *index.entry(key(p, r)).or_insert_with(|| {
                users.push(Vec::new());
                users.len() - 1
            });
            if let Some(u) = users.get_mut(i) {
                u.push(p.canary.name.clone());
            }
        }
    }
    for p in plans.iter_mut() {
        let refs: Vec<String> = p.tracked_configs.iter().flat_map(|t| t.keys().cloned()).collect();
        for r in refs {
            let names = index.get(&key(p, &r)).and_then(|&i| users.get(i));
            if let Some(names) = names.filter(|n| n.len() > 1) {
                // The first few names: all of them in every plan grew with the square of the Canaries.
                let listed = names.get(..SHARED_NAMES).unwrap_or(names).join(", ");
                let more = names.len().saturating_sub(SHARED_NAMES);
                let more = if more > 0 { format!(" and {more} more") } else { String::new() };
                p.warnings.push(
                    Warning::new(
                        WarningCode::ConfigShared,
                        format!(
                            "{r} is tracked by Canaries {listed}{more}: each promotion overwrites {r}-primary for all of them"
                        ),
                    )
                    .with_ref(r),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn options_read_as_serde_would_with_coded_errors() {
        let o = Options::from_value(
            &json!({"defaultNamespace": "ns", "includeLabelPrefix": ["a"], "selectorLabels": [],
                    "enableConfigTracking": false, "flaggerVersion": "1.40.0", "upgradeTo": null,
                    "specForm": "server", "primaryBodies": false, "maxResponseBytes": 1000}),
            "/options",
        )
        .unwrap();
        let want = Options {
            default_namespace: "ns".into(),
            include_label_prefix: vec!["a".into()],
            selector_labels: vec![],
            enable_config_tracking: false,
            flagger_version: Some("1.40.0".into()),
            upgrade_to: None,
            spec_form: Some("server".into()),
            primary_bodies: false,
            max_response_bytes: Some(1000),
        };
        assert_eq!(o, want);
        assert_eq!(o.response_limit(), 1000);
        assert_eq!(Options::default().response_limit(), crate::MAX_RESPONSE_BYTES);
        // Absent fields keep their defaults.
        assert_eq!(Options::from_value(&json!({}), "/options").unwrap(), Options::default());
        let err = |v: Value| Options::from_value(&v, "/options").unwrap_err();
        let e = err(json!({"bogus": 1}));
        assert_eq!((e.code, e.path.as_deref()), (ErrorCode::InvalidRequest, Some("/options")));
        assert!(e.message.starts_with("options: unknown field `bogus`, expected one of `defaultNamespace`, "), "{e:?}");
        assert_eq!(
            err(json!({"enableConfigTracking": "yes"})).message,
            "options: enableConfigTracking: expected a boolean, found a string"
        );
        assert_eq!(
            err(json!({"defaultNamespace": null})).message,
            "options: defaultNamespace: expected a string, found null"
        );
        assert_eq!(
            err(json!({"maxResponseBytes": -1})).message,
            "options: maxResponseBytes: expected a byte count or null, found a number"
        );
        assert_eq!(
            err(json!({"selectorLabels": ["app", 1]})).message,
            "options: selectorLabels: expected an array of strings, found an array"
        );
        assert_eq!(
            err(json!({"flaggerVersion": 1})).message,
            "options: flaggerVersion: expected a string or null, found a number"
        );
        assert_eq!(err(json!(["ns"])).message, "options: expected an object, found an array");
    }

    #[test]
    fn canary_filter_reads_both_fields() {
        let f = CanaryFilter::from_value(&json!({"namespace": "a", "name": null}), "/canary").unwrap();
        assert_eq!(f, CanaryFilter { namespace: Some("a".into()), name: None });
        let e = CanaryFilter::from_value(&json!({"nam": "x"}), "/canary").unwrap_err();
        assert_eq!(e.message, "canary: unknown field `nam`, expected one of `namespace`, `name`");
        assert_eq!(e.path.as_deref(), Some("/canary"));
    }
}
