//! Step 7, analysis: will Flagger start a canary analysis? The scheduler's
//! decision for the Canary's phase (`pkg/controller/scheduler.go`
//! `advanceCanary`, `shouldAdvance`, `checkCanaryStatus`,
//! `hasCanaryRevisionChanged`, `shouldSkipAnalysis`), from the target's spec
//! hash (`pkg/canary/spec.go` `hasSpecChanged`) and the config tracker's
//! verdict (`HasConfigChanged`, already in the plan).

use crate::objects::{Bag, Obj};
use crate::plan::{Options, Plan};
use crate::spechash::{self, layout, spew::SpewError, Root};
use crate::version::Version;
use serde::Serialize;
use serde_json::Value;

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// No status yet (or Initializing): Flagger creates the primary and
    /// records the hashes; no analysis.
    Initialize,
    /// A new revision: the Canary goes to Progressing.
    Start,
    /// A new revision during Progressing/WaitingPromotion: the analysis
    /// starts over.
    Restart,
    /// An analysis or promotion is under way and goes on.
    Continue,
    /// Nothing changed: nothing happens.
    None,
    /// A new revision with `skipAnalysis` (or no analysis section): promoted
    /// straight away.
    PromoteWithoutAnalysis,
    /// The target is back at the last promoted spec: Flagger does not start
    /// an analysis for a manual rollback.
    RollbackNoop,
    /// `spec.suspend`: Flagger skips the Canary.
    Suspended,
    /// Cannot be told (the reasons say why).
    Unknown,
}

impl Decision {
    /// Flagger will run (or finish) a rollout of a new revision now.
    pub fn rolls_out(self) -> bool {
        matches!(self, Decision::Start | Decision::Restart | Decision::PromoteWithoutAnalysis)
    }
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReasonCode {
    /// The spec hash differs from `status.lastAppliedSpec`.
    SpecChanged,
    /// `HasConfigChanged`: tracked configs differ from `status.trackedConfigs`.
    ConfigsChanged,
    /// No status yet: Flagger's first sight of the Canary.
    FirstRun,
    /// The spec hash equals `status.lastPromotedSpec`.
    RollbackToPromoted,
    /// The phase alone decides (an analysis is under way).
    Phase,
    /// `spec.suspend: true`.
    Suspended,
    /// `spec.skipAnalysis: true`, or no `analysis` section.
    SkipAnalysis,
    /// The plan failed: Flagger stops at the same error every run.
    Halted,
    /// The spec hash cannot be computed exactly.
    SpecHashUnsupported,
    /// The phase is not one this release's scheduler knows.
    UnknownPhase,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(test, ts(as = "Option<Vec<String>>", optional))]
    pub refs: Vec<String>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Form {
    /// As the API server returns it: defaults filled in. The hash is Flagger's.
    Server,
    /// As written in a manifest: the server would add defaults first, so the
    /// hash is only comparable with hashes of manifests.
    Manifest,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SpecHash {
    pub current: Option<String>,
    pub last_applied: Option<String>,
    pub last_promoted: Option<String>,
    /// `current` is what Flagger computes (server form, supported release).
    pub exact: bool,
    pub form: Form,
    /// The Go type layout of the release (`api-v0.36`), when it hashes with spew.
    pub layout: Option<String>,
    pub unsupported: Option<String>,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Analysis {
    pub decision: Decision,
    /// `status.phase` as read ("" when none).
    pub phase: String,
    pub reasons: Vec<Reason>,
    pub message: String,
    pub spec_hash: SpecHash,
}

/// The result of `options.upgradeTo`: does upgrading Flagger alone change
/// this Canary's spec hash (and so start an analysis)?
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Upgrade {
    pub from: String,
    pub to: String,
    pub starts_analysis: Option<bool>,
    pub from_hash: Option<String>,
    pub to_hash: Option<String>,
    pub fields_added: Vec<String>,
    pub fields_removed: Vec<String>,
    pub message: String,
}

/// The spew layout a Flagger release links: the exact release if known,
/// else the newest known release before it. `None` before 1.0.0-rc.1,
/// whose releases hashed differently.
pub fn layout_for(release: &str) -> Option<&'static str> {
    let catalog = layout::catalog().ok()?;
    let wanted = release.trim().trim_start_matches('v');
    if let Some(l) = catalog.layout_for_release(wanted) {
        return Some(l);
    }
    let ver = Version::parse(wanted)?;
    catalog
        .releases
        .iter()
        .filter(|(r, _)| !r.contains('-'))
        .filter_map(|(r, l)| Some((Version::parse(r)?, *l)))
        .filter(|(v, _)| *v <= ver)
        .max_by_key(|(v, _)| *v)
        .map(|(_, l)| l)
        // Newer than every known release: the newest layout.
        .or_else(|| (ver >= crate::version::NEWEST).then(|| catalog.order.last().copied()).flatten())
}

/// `specHash(object)`: Flagger's spec hash of one Deployment, DaemonSet or
/// Service under a release, with the form it was read in. `hash` is `None`
/// (and `unsupported` says why) when it cannot be reproduced exactly.
pub fn spec_hash_of(obj: &Obj, release: &str, options: &Options) -> crate::error::Result<SpecHash> {
    // Without a tape there is always an answer.
    spec_hash_from(obj, release, options, None)
        .unwrap_or_else(|| Err(crate::error::Error::new(crate::error::ErrorCode::InternalError, "no spec hash")))
}

/// [`spec_hash_of`], with `read`: the hashed value (`spec.template` or a
/// Service's `spec`) already read into a tape, `obj` carrying only what
/// identifies it (the import-free module's `specHash` reads no `Value` of
/// the template). `None` when the tape cannot be used — not a Deployment,
/// DaemonSet or Service, or the hash fails — and the caller asks again with
/// the whole object.
pub fn spec_hash_from(
    obj: &Obj,
    release: &str,
    options: &Options,
    read: Option<spechash::tape::Node>,
) -> Option<crate::error::Result<SpecHash>> {
    use crate::error::{Error, ErrorCode};
    let form = detect_form(obj, options);
    let layout = layout_for(release);
    let mut out = SpecHash {
        current: None,
        last_applied: None,
        last_promoted: None,
        exact: false,
        form,
        layout: layout.map(str::to_owned),
        unsupported: None,
    };
    let Some(l) = layout else {
        out.unsupported = Some(format!("Flagger {release} predates the go-spew + FNV-32a spec hash (1.0.0-rc.1)"));
        return Some(Ok(out));
    };
    let hash = match read {
        Some(node) => {
            let root = match obj.kind {
                "Deployment" | "DaemonSet" => Root::Template,
                "Service" => Root::Service,
                _ => return None,
            };
            if form == Form::Server && obj.kind != "DaemonSet" {
                spechash::hash_node(root, node, l).ok()?
            } else {
                // Defaults (or the DaemonSet's selector) change the value: a
                // `Value` of the hashed part alone.
                let mut value = node.to_value();
                spechash::adjust(obj.kind, root, &mut value, form == Form::Manifest);
                spechash::hash(root, &value, l).ok()?
            }
        }
        None => {
            let Some((root, value)) = spechash::hashed(obj.kind, obj.value, form == Form::Manifest) else {
                return Some(Err(Error::new(
                    ErrorCode::InvalidObject,
                    format!("expected a Deployment, DaemonSet or Service, found {}", obj.kind),
                )
                .at("/kind")));
            };
            match spechash::hash(root, &value, l) {
                Ok(h) => h,
                Err(SpewError::Decode { path, message }) => {
                    let base = if root == Root::Service { "/spec" } else { "/spec/template" };
                    return Some(Err(Error::new(
                        ErrorCode::InvalidObject,
                        format!("Flagger cannot decode this object: {message}"),
                    )
                    .at(format!("{base}{path}"))));
                }
                Err(e) => {
                    out.unsupported = Some(describe(&e, obj));
                    return Some(Ok(out));
                }
            }
        }
    };
    out.current = Some(hash);
    out.exact = form == Form::Server;
    Some(Ok(out))
}

/// Server form: the object carries what only the API server writes.
fn detect_form(target: &Obj, options: &Options) -> Form {
    match options.spec_form.as_deref() {
        Some("server") => Form::Server,
        Some("manifest") => Form::Manifest,
        _ => {
            let server = ["/metadata/uid", "/metadata/resourceVersion", "/metadata/creationTimestamp"]
                .iter()
                .any(|p| target.get(p).is_some_and(|v| !v.is_null()));
            if server {
                Form::Server
            } else {
                Form::Manifest
            }
        }
    }
}

fn status_str<'a>(canary: &Obj<'a>, p: &str) -> Option<&'a str> {
    canary.get(p).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// `Canary.SkipAnalysis()`: true with `spec.skipAnalysis`, or (from
/// 1.0.0-rc.1) when the Canary has neither `analysis` nor `canaryAnalysis`.
fn skips_analysis(canary: &Obj, r: Version) -> bool {
    let set = |p: &str| canary.get(p).is_some_and(|v| !v.is_null());
    canary.get("/spec/skipAnalysis").and_then(Value::as_bool) == Some(true)
        || (r >= Version(1, 0, 0) && !set("/spec/analysis") && !set("/spec/canaryAnalysis"))
}

fn reason(code: ReasonCode, message: impl Into<String>) -> Reason {
    Reason { code, message: message.into(), refs: Vec::new() }
}

/// The hash of the target under `layout`, or why there is none.
fn target_hash(target: &Obj, kind: &str, layout: &str, form: Form) -> Result<String, String> {
    let (root, value) = spechash::hashed(kind, target.value, form == Form::Manifest)
        .ok_or_else(|| format!("{kind} targets are not hashed"))?;
    spechash::hash(root, &value, layout).map_err(|e| describe(&e, target))
}

fn describe(e: &SpewError, target: &Obj) -> String {
    match e {
        SpewError::Decode { path, message } => {
            format!("Flagger could not decode the target at {}{path}: {message}", target.path("/spec"))
        }
        SpewError::Unsupported { path, reason } => format!("{reason} (at {}{path})", target.path("/spec")),
        SpewError::Layout(m) => format!("internal: {m}"),
    }
}

pub fn analyse(bag: &Bag, canary: &Obj, plan: &Plan, options: &Options) -> Analysis {
    let phase = status_str(canary, "/status/phase").unwrap_or_default().to_owned();
    let release = options.flagger_version.clone().unwrap_or_else(|| plan.flagger_version.clone());
    let layout = layout_for(&release);
    let target = plan.target.as_ref().and_then(|t| {
        let kind = if matches!(t.kind.as_str(), "Deployment" | "DaemonSet" | "Service") { t.kind.as_str() } else { "" };
        bag.get(kind, &t.namespace, &t.name).map(|o| (o, t.kind.as_str()))
    });
    let form = target.map_or(Form::Manifest, |(t, _)| detect_form(t, options));
    let mut spec_hash = SpecHash {
        current: None,
        last_applied: status_str(canary, "/status/lastAppliedSpec").map(str::to_owned),
        last_promoted: status_str(canary, "/status/lastPromotedSpec").map(str::to_owned),
        exact: false,
        form,
        layout: layout.map(str::to_owned),
        unsupported: None,
    };
    match (target, layout) {
        (Some((t, kind)), Some(l)) => match target_hash(t, kind, l, form) {
            Ok(h) => {
                spec_hash.current = Some(h);
                spec_hash.exact = form == Form::Server;
            }
            Err(why) => spec_hash.unsupported = Some(why),
        },
        (_, None) => {
            spec_hash.unsupported = Some(format!(
                "Flagger {release} predates the go-spew + FNV-32a spec hash (1.0.0-rc.1); its hash is not reproduced"
            ))
        }
        (None, _) => {}
    }
    let mut a = Analysis { decision: Decision::Unknown, phase, reasons: Vec::new(), message: String::new(), spec_hash };
    let ver = Version::parse(&release).unwrap_or(crate::version::NEWEST);
    decide(&mut a, canary, plan, ver);
    a
}

/// The scheduler, one run of `advanceCanary`, in its order, for the
/// selected release (boundaries: docs/flagger-decision-by-release.md).
/// Confirm-rollout/promotion gates are webhooks and are not modelled: a
/// closed gate holds a `start` in Waiting.
fn decide(a: &mut Analysis, canary: &Obj, plan: &Plan, release: Version) {
    let (decision, message) = decide_inner(a, canary, plan, release);
    a.decision = decision;
    a.message = message;
}

fn decide_inner(a: &mut Analysis, canary: &Obj, plan: &Plan, r: Version) -> (Decision, String) {
    // scheduler.go advanceCanary: `if cd.Spec.Suspend` first, from 1.32.0.
    if r >= Version(1, 32, 0) && canary.get("/spec/suspend").and_then(Value::as_bool) == Some(true) {
        a.reasons.push(reason(ReasonCode::Suspended, "spec.suspend is true: Flagger skips this Canary every run"));
        return (Decision::Suspended, "suspended: Flagger does nothing until spec.suspend is false".into());
    }
    if let Some(e) = &plan.error {
        a.reasons.push(reason(
            ReasonCode::Halted,
            format!("the plan fails with {}: Flagger stops there every run", e.code.as_str()),
        ));
        return (Decision::None, format!("Flagger halts on {}: no analysis until it is fixed", e.code.as_str()));
    }
    let phase = a.phase.clone();
    let running = matches!(phase.as_str(), "Progressing" | "Promoting" | "Finalising")
        || (phase == "WaitingPromotion" && r >= Version(1, 7, 0));
    let stable = matches!(phase.as_str(), "Initialized" | "Succeeded" | "Failed")
        || (matches!(phase.as_str(), "Terminating" | "Terminated") && r >= Version(1, 0, 0));
    match phase.as_str() {
        "" | "Initializing" => {
            a.reasons.push(reason(
                ReasonCode::FirstRun,
                "no status yet: Flagger creates the primary and records the current spec and configs",
            ));
            return (Decision::Initialize, "first run: Flagger initializes the primary; no analysis".into());
        }
        "Waiting" => {
            a.reasons.push(reason(
                ReasonCode::Phase,
                "phase Waiting: a new revision waits for its confirm-rollout gate; the analysis starts when it opens",
            ));
            return (Decision::Start, "Waiting: the analysis starts once the confirm-rollout gate opens".into());
        }
        _ if running || stable => {}
        other => {
            a.reasons.push(reason(
                ReasonCode::UnknownPhase,
                format!("phase {other:?} is not one Flagger {r}'s scheduler acts on"),
            ));
            return (Decision::Unknown, format!("unknown phase {other:?}"));
        }
    }

    // shouldAdvance / hasCanaryRevisionChanged: HasTargetChanged (spec.go
    // hasSpecChanged), then HaveDependenciesChanged.
    let spec_changed: Option<bool> = match (&a.spec_hash.last_applied, &a.spec_hash.current) {
        (None, _) => {
            a.reasons.push(reason(
                ReasonCode::SpecChanged,
                "status.lastAppliedSpec is empty: Flagger counts the spec as changed",
            ));
            Some(true)
        }
        (Some(_), None) => None,
        (Some(applied), Some(now)) => {
            if a.spec_hash.last_promoted.as_deref() == Some(now.as_str()) {
                if applied != now {
                    a.reasons.push(reason(
                        ReasonCode::RollbackToPromoted,
                        format!("the spec hash {now} equals status.lastPromotedSpec: a rollback to the promoted spec starts no analysis"),
                    ));
                }
                Some(false)
            } else if applied != now {
                let approx =
                    if a.spec_hash.exact { "" } else { " (manifest form: the server's defaults were applied here)" };
                a.reasons.push(reason(
                    ReasonCode::SpecChanged,
                    format!("the spec hash is {now}, status.lastAppliedSpec is {applied}{approx}"),
                ));
                Some(true)
            } else {
                Some(false)
            }
        }
    };
    let configs_changed = plan.configs_changed == Some(true);
    if configs_changed {
        let refs: Vec<String> = plan.config_changes.iter().map(|c| c.reference.clone()).collect();
        a.reasons.push(Reason {
            code: ReasonCode::ConfigsChanged,
            message: format!("tracked configs changed: {}", refs.join(", ")),
            refs,
        });
    }
    let changed = match spec_changed {
        Some(s) => s || configs_changed,
        // The hash is unknown: a config change alone still decides.
        None if configs_changed => true,
        None => {
            let why = a.spec_hash.unsupported.clone().unwrap_or_else(|| "the spec hash is unknown".into());
            a.reasons.push(reason(ReasonCode::SpecHashUnsupported, why));
            return (Decision::Unknown, "cannot tell whether the spec changed".into());
        }
    };
    let skip = skips_analysis(canary, r);
    if running {
        if changed && matches!(phase.as_str(), "Progressing" | "WaitingPromotion") {
            return (Decision::Restart, format!("a new revision during {phase}: the analysis restarts"));
        }
        if skip {
            a.reasons.push(reason(
                ReasonCode::SkipAnalysis,
                "skipAnalysis (or no analysis section): the revision under way is promoted without checks",
            ));
            return (Decision::PromoteWithoutAnalysis, format!("{phase}: promoted without analysis"));
        }
        a.reasons.push(reason(ReasonCode::Phase, format!("phase {phase}: the rollout under way goes on")));
        return (Decision::Continue, format!("{phase}: the rollout continues"));
    }
    if changed {
        if skip {
            a.reasons.push(reason(
                ReasonCode::SkipAnalysis,
                "skipAnalysis (or no analysis section): the new revision is promoted without checks",
            ));
            return (Decision::PromoteWithoutAnalysis, "a new revision is promoted without analysis".into());
        }
        return (Decision::Start, "a new revision: Flagger starts a canary analysis".into());
    }
    if a.reasons.iter().any(|r| r.code == ReasonCode::RollbackToPromoted) {
        return (Decision::RollbackNoop, "back at the promoted spec: no analysis".into());
    }
    (Decision::None, "no change: no analysis".into())
}

/// `options.upgradeTo`: the hash under the current release and under the
/// upgrade, and whether the status Flagger wrote would then look stale.
pub fn upgrade(bag: &Bag, canary: &Obj, plan: &Plan, options: &Options, to: &str) -> Upgrade {
    let from = options.flagger_version.clone().unwrap_or_else(|| plan.flagger_version.clone());
    let mut u = Upgrade {
        from: from.clone(),
        to: to.to_owned(),
        starts_analysis: None,
        from_hash: None,
        to_hash: None,
        fields_added: Vec::new(),
        fields_removed: Vec::new(),
        message: String::new(),
    };
    let target =
        plan.target.as_ref().and_then(|t| bag.get(&t.kind, &t.namespace, &t.name).map(|o| (o, t.kind.as_str())));
    let (Some((t, kind)), Some(lf), Some(lt)) = (target, layout_for(&from), layout_for(to)) else {
        u.message = match (layout_for(&from), layout_for(to)) {
            (None, _) | (_, None) => "a release before 1.0.0-rc.1 hashes differently: not reproduced".into(),
            _ => "no target to hash".into(),
        };
        return u;
    };
    let Some((root, value)) = spechash::hashed(kind, t.value, detect_form(t, options) == Form::Manifest) else {
        u.message = format!("{kind} targets are not hashed");
        return u;
    };
    match spechash::compare_layouts(root, &value, lf, lt) {
        Ok(c) => {
            let status = status_str(canary, "/status/lastAppliedSpec");
            let differs = c.from_hash != c.to_hash;
            // With a status, the upgrade alone starts an analysis when the
            // status was written by `from` (it equals from's hash).
            u.starts_analysis = Some(match status {
                Some(s) => s == c.from_hash && differs,
                None => differs,
            });
            u.message = if differs {
                format!(
                    "upgrading Flagger {from} → {to} {} an analysis of this Canary: its spec hash changes {} → {}",
                    if u.starts_analysis == Some(true) { "starts" } else { "would start" },
                    c.from_hash,
                    c.to_hash
                )
            } else {
                format!("upgrading Flagger {from} → {to} keeps this Canary's spec hash ({})", c.from_hash)
            };
            if root == Root::Service && kind == "Service" {
                u.message.push_str(" (Service spec)");
            }
            u.from_hash = Some(c.from_hash);
            u.to_hash = Some(c.to_hash);
            u.fields_added = c.fields_added;
            u.fields_removed = c.fields_removed;
        }
        Err(e) => u.message = describe(&e, t),
    }
    u
}
