//! Step 6, plan: one [`Plan`] per Canary, running normalise → scan →
//! checksum → verdict → primary objects. One failing Canary never spoils
//! another's plan.

use crate::analysis::{self, Analysis, Upgrade};
use crate::checksum::{ConfigKind, GoData};
use crate::error::{Error, ErrorCode, Result, Warning};
use crate::objects::{config_data, secret_type, wrong_type, Bag, Obj};
use crate::primary::{self, Rewrite, WorkloadInput};
use crate::scan::{scan, RefSite};
use crate::verdict::{verdict, ConfigChange};
use crate::version::{Behaviour, InitContainers, MissingConfig};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Flagger's command-line settings that change what it does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Options {
    /// Namespace of objects without `metadata.namespace`.
    pub default_namespace: String,
    /// Flagger's `-include-label-prefix` (`*` = all).
    pub include_label_prefix: Vec<String>,
    /// Flagger's `-selector-labels`.
    pub selector_labels: Vec<String>,
    /// Flagger's `-enable-config-tracking`.
    pub enable_config_tracking: bool,
    /// The Flagger release to reproduce (default: the newest supported).
    pub flagger_version: Option<String>,
    /// Also compare the spec hash under this Flagger release (the upgrade check).
    pub upgrade_to: Option<String>,
    /// `auto` (default: server form when the target carries a uid,
    /// resourceVersion or creationTimestamp), `server` or `manifest`.
    pub spec_form: Option<String>,
}

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
        }
    }
}

/// Which Canaries to plan; unset fields match any.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CanaryFilter {
    pub namespace: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CanaryId {
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetId {
    pub kind: String,
    #[serde(rename = "apiVersion", skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    pub namespace: String,
    pub name: String,
}

/// Why a referenced config is not tracked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Untracked {
    #[serde(rename = "ref")]
    pub reference: String,
    /// `secret-type` | `opt-out` | `optional-missing` | `missing-skipped` | `tracking-disabled`
    pub reason: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Services {
    pub primary: Value,
    pub canary: Value,
}

/// What Flagger would do for one Canary.
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
    pub primary_configs: Vec<Value>,
    pub primary_workload: Option<Value>,
    pub services: Option<Services>,
    /// Every rename in `primaryWorkload`.
    pub rewrites: Vec<Rewrite>,
    pub warnings: Vec<Warning>,
    /// Will Flagger start an analysis, and why.
    pub analysis: Option<Analysis>,
    /// With `options.upgradeTo`: what the Flagger upgrade alone does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<Upgrade>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanResponse {
    pub plans: Vec<Plan>,
    /// Objects that were skipped because they could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

const TRACKED_SECRET_TYPES: [&str; 4] =
    ["Opaque", "kubernetes.io/basic-auth", "kubernetes.io/ssh-auth", "kubernetes.io/tls"];
const OPT_OUT: &str = "flagger.app/config-tracking";
/// DNS subdomain / DNS label limits for object names.
const MAX_NAME: usize = 253;
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
    let mut plans: Vec<Plan> = selected
        .into_iter()
        .map(|canary| {
            let mut plan = plan_canary(&bag, canary, &beh, options);
            plan.warnings.extend(version_warning.clone());
            plan
        })
        .collect();
    warn_shared_configs(&mut plans);
    Ok(PlanResponse { plans, warnings: bag.warnings })
}

fn plan_canary(bag: &Bag, canary: &Obj, beh: &Behaviour, options: &Options) -> Plan {
    let mut plan = Plan {
        canary: CanaryId { namespace: canary.namespace.into(), name: canary.name.into() },
        flagger_version: beh.version.to_string(),
        target: None,
        error: None,
        tracked_configs: None,
        configs_changed: None,
        config_changes: Vec::new(),
        untracked_configs: Vec::new(),
        primary_configs: Vec::new(),
        primary_workload: None,
        services: None,
        rewrites: Vec::new(),
        warnings: Vec::new(),
        analysis: None,
        upgrade: None,
    };
    if let Err(e) = fill_plan(&mut plan, bag, canary, beh, options) {
        // A failed plan shows the error, not half-built objects.
        plan.tracked_configs = None;
        plan.configs_changed = None;
        plan.config_changes.clear();
        plan.primary_configs.clear();
        plan.primary_workload = None;
        plan.services = None;
        plan.rewrites.clear();
        plan.error = Some(e);
    }
    plan.analysis = Some(analysis::analyse(bag, canary, &plan, options));
    if let Some(to) = &options.upgrade_to {
        plan.upgrade = Some(analysis::upgrade(bag, canary, &plan, options, to));
    }
    plan
}

fn fill_plan(plan: &mut Plan, bag: &Bag, canary: &Obj, beh: &Behaviour, options: &Options) -> Result<()> {
    let require = |p: &str| -> Result<&str> {
        canary.str_at(p)?.filter(|s| !s.is_empty()).ok_or_else(|| {
            Error::new(ErrorCode::InvalidObject, format!("Canary has no {}", &p[1..].replace('/', ".")))
                .at(canary.path(p))
        })
    };
    let kind = require("/spec/targetRef/kind")?;
    let name = require("/spec/targetRef/name")?;
    let api_version = canary.str_at("/spec/targetRef/apiVersion")?;
    plan.target = Some(TargetId {
        kind: kind.into(),
        api_version: api_version.map(Into::into),
        namespace: canary.namespace.into(),
        name: name.into(),
    });
    let unsupported =
        |why: String| Err(Error::new(ErrorCode::UnsupportedTargetKind, why).at(canary.path("/spec/targetRef")));
    let knative = api_version.is_some_and(|a| a.starts_with("serving.knative.dev/"));
    let lookup_kind = match kind {
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
        "Deployment" | "DaemonSet" | "Service" => kind,
        other => return unsupported(format!("target kind {other:?} is not one of Deployment, DaemonSet, Service")),
    };
    let target = bag.get(lookup_kind, canary.namespace, name).ok_or_else(|| {
        Error::new(ErrorCode::TargetNotFound, format!("{kind} {}/{name} is not in objects", canary.namespace))
            .at(canary.path("/spec/targetRef"))
    })?;

    if kind == "Service" {
        let (primary, canary_svc, headless) = primary::service_copies(target, canary, beh)?;
        if headless {
            plan.warnings.push(Warning::new(
                "headless-service-ip-dropped",
                "the target is headless (clusterIP: None); Flagger drops clusterIP from the copies, so they are not headless",
            ));
        }
        for suffix in ["primary", "canary"] {
            if name.len() + suffix.len() + 1 > MAX_SERVICE_NAME {
                plan.warnings.push(Warning::new(
                    "name-too-long",
                    format!("{name}-{suffix} is longer than {MAX_SERVICE_NAME} characters; the API server will reject this Service"),
                ));
            }
        }
        plan.services = Some(Services { primary, canary: canary_svc });
        plan.configs_changed = Some(false);
        return Ok(());
    }

    let pod_spec = match target.get("/spec/template/spec") {
        Some(v @ Value::Object(_)) => v,
        Some(other) => return Err(wrong_type(&target.path("/spec/template/spec"), "an object", other)),
        None => {
            return Err(Error::new(ErrorCode::InvalidObject, format!("{kind} has no spec.template.spec"))
                .at(target.path("/spec/template/spec")))
        }
    };
    let sites = scan(pod_spec, &target.path("/spec/template/spec"), beh)?;

    let mut tracked_set: HashSet<(ConfigKind, &str)> = HashSet::new();
    if options.enable_config_tracking {
        let mut tracked = BTreeMap::new();
        let mut primaries = Vec::new();
        for (kind, name, optional) in distinct_refs(&sites) {
            let r = format!("{}/{name}", kind.prefix());
            let Some(obj) = bag.get(kind.kind(), canary.namespace, name) else {
                let mandatory = match beh.missing_config {
                    MissingConfig::FailUnlessOptional => optional != Some(true),
                    MissingConfig::FailIfExplicitlyMandatory => optional == Some(false),
                    MissingConfig::AlwaysSkip => false,
                };
                if mandatory {
                    return Err(Error::new(
                        ErrorCode::ConfigNotFound,
                        format!(
                            "{} {}/{name} is referenced by the pod spec but is not in objects",
                            kind.kind(),
                            canary.namespace
                        ),
                    )
                    .with_ref(r));
                }
                let (reason, message) = if optional == Some(true) {
                    ("optional-missing", format!("{r} is optional and absent: skipped"))
                } else {
                    ("missing-skipped", format!("{r} is absent; Flagger {} skips it without failing", beh.version))
                };
                let code = if optional == Some(true) { "optional-config-missing" } else { "config-missing-skipped" };
                plan.warnings.push(Warning::new(code, message.clone()).with_ref(r.clone()));
                plan.untracked_configs.push(Untracked { reference: r, reason, message });
                continue;
            };
            if kind == ConfigKind::Secret {
                let ty = secret_type(obj)?;
                if !TRACKED_SECRET_TYPES.contains(&ty) {
                    plan.untracked_configs.push(Untracked {
                        reference: r,
                        reason: "secret-type",
                        message: format!(
                            "Secrets of type {ty} are not tracked by Flagger; the primary uses the original"
                        ),
                    });
                    continue;
                }
            }
            if beh.opt_out_annotation {
                let opt = obj.str_at(&format!("/metadata/annotations/{}", OPT_OUT.replace('/', "~1")))?;
                if opt.is_some_and(|a| a.starts_with("disable")) {
                    let message = format!("{r} opts out ({OPT_OUT}): not copied; the primary shares the live object, so edits reach it without analysis");
                    plan.warnings.push(Warning::new("config-tracking-opt-out", message.clone()).with_ref(r.clone()));
                    plan.untracked_configs.push(Untracked { reference: r, reason: "opt-out", message });
                    continue;
                }
            }
            let data_value = config_data(obj, kind)?;
            let data = GoData::decode(kind, data_value.as_deref(), &obj.path("/data"))?;
            tracked.insert(r.clone(), data.checksum(beh.escaping));
            if kind == ConfigKind::ConfigMap
                && obj.get("/binaryData").is_some_and(|b| b.as_object().is_some_and(|m| !m.is_empty()))
            {
                plan.warnings.push(Warning::new(
                    "config-binary-data",
                    format!("{r} has binaryData: Flagger ignores it, so changes to it start no analysis, and the primary copy has none"),
                ).with_ref(r.clone()));
            }
            if name.len() + "-primary".len() > MAX_NAME {
                plan.warnings.push(
                    Warning::new(
                        "name-too-long",
                        format!("{r}-primary is longer than {MAX_NAME} characters; the API server will reject it"),
                    )
                    .with_ref(r.clone()),
                );
            }
            let existing = bag.get(kind.kind(), canary.namespace, &format!("{name}-primary")).copied();
            primaries.push((
                r,
                primary::primary_config(
                    obj,
                    kind,
                    &data,
                    existing.as_ref(),
                    canary,
                    beh,
                    &options.include_label_prefix,
                )?,
            ));
            tracked_set.insert((kind, name));
        }
        let status = read_status(canary)?;
        let (changed, changes) = verdict(&tracked, status.as_ref());
        primaries.sort_by(|a, b| a.0.cmp(&b.0));
        plan.primary_configs = primaries.into_iter().map(|(_, v)| v).collect();
        plan.tracked_configs = Some(tracked);
        plan.configs_changed = Some(changed);
        plan.config_changes = changes;
        if beh.init_containers == InitContainers::TrackedNotRewritten {
            for s in sites.iter().filter(|s| s.init && tracked_set.contains(&(s.kind, s.name))) {
                plan.warnings.push(Warning::new(
                    "init-container-not-rewritten",
                    format!("Flagger {} tracks {}/{} for init containers but does not rewrite their reference: the primary's init containers keep reading the original", beh.version, s.kind.prefix(), s.name),
                ).with_ref(format!("{}/{}", s.kind.prefix(), s.name)).at(format!("/spec/template/spec{}", s.pointer)));
            }
        }
    } else {
        plan.configs_changed = Some(false);
        for (kind, name, _) in distinct_refs(&sites) {
            plan.untracked_configs.push(Untracked {
                reference: format!("{}/{name}", kind.prefix()),
                reason: "tracking-disabled",
                message: "config tracking is disabled (-enable-config-tracking=false)".into(),
            });
        }
    }

    if target.name.len() + "-primary".len() > MAX_NAME {
        plan.warnings.push(Warning::new(
            "name-too-long",
            format!("{}-primary is longer than {MAX_NAME} characters; the API server will reject it", target.name),
        ));
    }
    let (pod_spec, mut rewrites) =
        primary::rewrite_pod_spec(pod_spec, &sites, &tracked_set, beh, "/spec/template/spec");
    let workload = primary::primary_workload(
        WorkloadInput {
            target,
            canary,
            beh,
            prefixes: &options.include_label_prefix,
            selector_labels: &options.selector_labels,
            pod_spec,
        },
        &mut rewrites,
    )?;
    plan.primary_workload = Some(workload);
    plan.rewrites = rewrites;
    Ok(())
}

/// Each config once, in first-seen order; a later reference's `optional`
/// overwrites an earlier one's (Flagger keeps a map keyed by name).
fn distinct_refs<'a>(sites: &[RefSite<'a>]) -> Vec<(ConfigKind, &'a str, Option<bool>)> {
    let mut seen: HashMap<(ConfigKind, &str), usize> = HashMap::new();
    let mut out: Vec<(ConfigKind, &str, Option<bool>)> = Vec::new();
    for s in sites {
        match seen.get(&(s.kind, s.name)) {
            Some(&i) => {
                if let Some(r) = out.get_mut(i) {
                    r.2 = s.optional;
                }
            }
            None => {
                seen.insert((s.kind, s.name), out.len());
                out.push((s.kind, s.name, s.optional));
            }
        }
    }
    out
}

/// The Canary's `status.trackedConfigs` (`None` when nil).
fn read_status(canary: &Obj) -> Result<Option<BTreeMap<String, String>>> {
    let Some(map) = canary.object_at("/status/trackedConfigs")? else { return Ok(None) };
    map.iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            other => Err(wrong_type(
                &canary.path(&format!("/status/trackedConfigs/{}", crate::error::pointer_segment(k))),
                "a string",
                other,
            )),
        })
        .collect::<Result<_>>()
        .map(Some)
}

/// Configs tracked by more than one Canary get promoted by whichever wins.
fn warn_shared_configs(plans: &mut [Plan]) {
    let mut users: HashMap<(String, String), Vec<String>> = HashMap::new();
    for p in plans.iter() {
        for r in p.tracked_configs.iter().flat_map(|t| t.keys()) {
            users.entry((p.canary.namespace.clone(), r.clone())).or_default().push(p.canary.name.clone());
        }
    }
    for p in plans.iter_mut() {
        let refs: Vec<String> = p.tracked_configs.iter().flat_map(|t| t.keys().cloned()).collect();
        for r in refs {
            if let Some(names) = users.get(&(p.canary.namespace.clone(), r.clone())).filter(|n| n.len() > 1) {
                p.warnings.push(
                    Warning::new(
                        "config-shared",
                        format!(
                            "{r} is tracked by Canaries {}: each promotion overwrites {r}-primary for all of them",
                            names.join(", ")
                        ),
                    )
                    .with_ref(r),
                );
            }
        }
    }
}
