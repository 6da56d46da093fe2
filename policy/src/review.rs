//! The review of one change: which Canaries it concerns, the core's plans of
//! them without the change and with it, and what the difference means.
//!
//! "Without the change" is the cluster with the request's `oldObject`
//! (UPDATE) or without the object (CREATE), so a request is held responsible
//! only for the failures it brings: one already there is a warning, never a
//! rejection (fixing one problem is never blocked by another).

use crate::cluster::{Cluster, HostFailure, Kind};
use crate::settings::Settings;
use canary_tracker::checksum::ConfigKind;
use canary_tracker::scan::scan;
use canary_tracker::version::{Behaviour, NEWEST};
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::fmt;

/// The object under review.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    pub kind: Kind,
    pub namespace: &'a str,
    pub name: &'a str,
    /// The object as it will be stored.
    pub object: &'a Value,
    /// UPDATE: the object as stored now. CREATE: none.
    pub old: Option<&'a Value>,
}

#[derive(Debug, Default, PartialEq)]
pub struct Findings {
    /// What would make Flagger fail or stall a Canary: rejections in `deny` mode.
    pub failures: Vec<String>,
    pub warnings: Vec<String>,
}

/// Why a review could not be finished.
#[derive(Debug, PartialEq)]
pub enum Unchecked {
    Host(HostFailure),
    /// The core refused the plan request (not expected with validated settings).
    Core(String),
}

impl From<HostFailure> for Unchecked {
    fn from(e: HostFailure) -> Self {
        Unchecked::Host(e)
    }
}

impl fmt::Display for Unchecked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unchecked::Host(e) => write!(f, "reading the cluster failed: {e}"),
            Unchecked::Core(m) => write!(f, "planning failed: {m}"),
        }
    }
}

/// Plan warnings that mean Flagger fails or stalls the Canary (as every plan error does).
const STALLING_WARNINGS: [&str; 1] = ["name-too-long"];
/// Plan warnings not worth an admission warning (the settings' business).
const QUIET_WARNINGS: [&str; 1] = ["flagger-version-newer"];
/// Untracked reasons under which an edit reaches the primary at once.
const LIVE_REASONS: [&str; 3] = ["secret-type", "opt-out", "tracking-disabled"];

pub fn review(change: &Change, settings: &Settings, cluster: &mut dyn Cluster) -> Result<Findings, Unchecked> {
    let mut f = Findings::default();
    if let (true, Some(sa)) = (change.kind.is_config(), &settings.flagger_service_account) {
        if let Some(owner) = flagger_owner(change.object).or_else(|| change.old.and_then(flagger_owner)) {
            f.failures.push(format!(
                "{} {}/{} is the -primary copy Flagger keeps for Canary {owner}: only {sa} may change it \
                 (edit the original; Flagger copies it on promotion)",
                change.kind.name(),
                change.namespace,
                change.name
            ));
            return Ok(f);
        }
    }
    let mut world = World { cluster, change, cache: HashMap::new() };
    let names = world.concerned()?;
    if names.is_empty() {
        return Ok(f);
    }
    let options =
        serde_json::to_value(settings.options(change.namespace)).map_err(|e| Unchecked::Core(e.to_string()))?;
    let before = world.plan(&names, View::Before, &options)?;
    let after = world.plan(&names, View::After, &options)?;
    for name in &names {
        let Some(plan) = find_plan(&after, name) else { continue };
        judge(change, &format!("Canary {}/{name}", change.namespace), find_plan(&before, name), plan, &mut f);
    }
    // Objects the core could not read at all (it names them by position).
    let known = messages(&before, "/warnings");
    for w in after.pointer("/warnings").and_then(Value::as_array).into_iter().flatten() {
        let msg = str_at(w, "/message");
        if !known.contains(msg) {
            f.warnings.push(format!("canary-tracker skipped an object: {msg}"));
        }
    }
    Ok(f)
}

/// One Canary: failures the change brings, analyses it starts, edits that
/// skip the analysis, and the plan's other new warnings.
fn judge(change: &Change, who: &str, before: Option<&Value>, after: &Value, f: &mut Findings) {
    let had: BTreeSet<String> = before.map(failures).unwrap_or_default().into_iter().map(|(k, _)| k).collect();
    for (key, text) in failures(after) {
        if had.contains(&key) {
            f.warnings.push(format!("{who} already fails, not because of this change: {text}"));
        } else {
            f.failures.push(format!("{who}: Flagger would fail: {text}"));
        }
    }
    match next_rollout(after) {
        Some(Rollout::Analysis(why)) => f.warnings.push(format!("{who}: {why}")),
        Some(Rollout::NoAnalysis(why)) => f.warnings.push(format!("DANGER {who}: {why}")),
        None => {}
    }
    let live = live_edit(change, after);
    if let Some(why) = &live {
        f.warnings.push(format!("DANGER {who}: {why}"));
    }
    // A plan that failed stopped early: its warnings cannot tell which are new.
    if before.is_some_and(|b| b.get("error").is_some_and(Value::is_object)) {
        return;
    }
    let own_ref = live.and(change_ref(change));
    let seen: BTreeSet<(String, String)> =
        before.map(|b| plan_warnings(b).map(|w| (w.0.to_owned(), w.1.to_owned())).collect()).unwrap_or_default();
    for (code, reference, message) in plan_warnings(after) {
        let new = !seen.contains(&(code.to_owned(), reference.to_owned()));
        let own = own_ref.as_deref() == Some(reference);
        if new && !own && !STALLING_WARNINGS.contains(&code) && !QUIET_WARNINGS.contains(&code) {
            f.warnings.push(format!("{who}: {code}: {message}"));
        }
    }
}

/// The plan's failures as (identity, text): its error, and the warnings that stall Flagger.
fn failures(plan: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(e) = plan.get("error").filter(|e| e.is_object()) {
        out.push(failure(str_at(e, "/code"), str_at(e, "/ref"), str_at(e, "/message")));
    }
    for (code, reference, message) in plan_warnings(plan) {
        if STALLING_WARNINGS.contains(&code) {
            out.push(failure(code, reference, message));
        }
    }
    out
}

fn failure(code: &str, reference: &str, message: &str) -> (String, String) {
    // The core speaks of its request's objects; here they are the cluster's.
    let message = message.replace(" is not in objects", " does not exist");
    let text = match reference {
        "" => format!("{code}: {message}"),
        r => format!("{code} ({r}): {message}"),
    };
    (format!("{code} {reference}"), text)
}

fn plan_warnings(plan: &Value) -> impl Iterator<Item = (&str, &str, &str)> {
    let list = plan.get("warnings").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    list.iter().map(|w| (str_at(w, "/code"), str_at(w, "/ref"), str_at(w, "/message")))
}

enum Rollout {
    /// Flagger starts (or restarts) an analysis.
    Analysis(String),
    /// Flagger promotes the change to the primary with no analysis.
    NoAnalysis(String),
}

/// What Flagger does next with the Canary: the core's analysis verdict
/// (`analysis.decision`; a failed plan has none).
fn next_rollout(plan: &Value) -> Option<Rollout> {
    let a = plan.get("analysis").filter(|a| a.is_object())?;
    let reasons = a.get("reasons").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let reasons: Vec<String> = reasons.iter().map(reason).collect();
    let why = format!("{} [{}]", str_at(a, "/message"), reasons.join("; "));
    match str_at(a, "/decision") {
        "start" | "restart" => Some(Rollout::Analysis(why)),
        "promote-without-analysis" => Some(Rollout::NoAnalysis(format!("no analysis: {why}"))),
        _ => None,
    }
}

/// A reason of the analysis verdict in short: its code, and its refs if any.
fn reason(r: &Value) -> String {
    let refs: Vec<&str> =
        r.get("refs").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    match refs.as_slice() {
        [] => str_at(r, "/code").to_owned(),
        refs => format!("{} {}", str_at(r, "/code"), refs.join(", ")),
    }
}

/// A ConfigMap/Secret edit the Canary's primary gets with no analysis: the
/// config is referenced but not tracked, or only its (ignored) binaryData changed.
fn live_edit(change: &Change, plan: &Value) -> Option<String> {
    let reference = change_ref(change)?;
    let field = |o: Option<&Value>, k: &str| o.and_then(|o| o.get(k)).filter(|v| !v.is_null()).cloned();
    let changed = |k: &str| field(Some(change.object), k) != field(change.old, k);
    let mut untracked = plan.get("untrackedConfigs").and_then(Value::as_array).into_iter().flatten();
    if let Some(u) = untracked.find(|u| str_at(u, "/ref") == reference) {
        let reason = str_at(u, "/reason");
        let edited = ["data", "stringData", "binaryData"].into_iter().any(changed);
        return (LIVE_REASONS.contains(&reason) && edited).then(|| {
            format!("{reference} is not tracked by Flagger ({reason}): this edit reaches the primary workload with no canary analysis")
        });
    }
    let tracked =
        plan.pointer("/trackedConfigs").and_then(Value::as_object).is_some_and(|t| t.contains_key(&reference));
    (tracked && changed("binaryData")).then(|| {
        format!("the binaryData of {reference} changed: Flagger neither hashes nor copies binaryData, so no analysis runs and the primary never gets it")
    })
}

/// `configmap/NAME` or `secret/NAME` when the change is a config.
fn change_ref(change: &Change) -> Option<String> {
    let kind = ConfigKind::from_kind(change.kind.name())?;
    Some(format!("{}/{}", kind.prefix(), change.name))
}

/// The Canary owning a Flagger-managed object (`-primary` copies carry one).
fn flagger_owner(object: &Value) -> Option<String> {
    let owners = object.pointer("/metadata/ownerReferences")?.as_array()?;
    owners
        .iter()
        .find(|o| str_at(o, "/kind") == "Canary" && str_at(o, "/apiVersion").starts_with("flagger.app/"))
        .map(|o| str_at(o, "/name").to_owned())
}

fn str_at<'v>(v: &'v Value, pointer: &str) -> &'v str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn find_plan<'p>(response: &'p Value, canary: &str) -> Option<&'p Value> {
    response.get("plans")?.as_array()?.iter().find(|p| str_at(p, "/canary/name") == canary)
}

fn messages<'v>(v: &'v Value, pointer: &str) -> BTreeSet<&'v str> {
    v.pointer(pointer).and_then(Value::as_array).into_iter().flatten().map(|w| str_at(w, "/message")).collect()
}

/// A Canary's `spec.targetRef` kind and name.
fn target_ref(canary: &Value) -> (&str, &str) {
    (str_at(canary, "/spec/targetRef/kind"), str_at(canary, "/spec/targetRef/name"))
}

/// Every ConfigMap/Secret a workload's pod spec references, wherever any
/// Flagger release looks (the newest scans a superset of the older ones).
fn config_refs(workload: &Value) -> BTreeSet<(Kind, String)> {
    let Some(spec) = workload.pointer("/spec/template/spec") else { return BTreeSet::new() };
    // A malformed pod spec yields no refs here; the plan reports it.
    let sites = scan(spec, "", &Behaviour::for_version(NEWEST)).unwrap_or_default();
    sites
        .into_iter()
        .map(|s| (if s.kind == ConfigKind::Secret { Kind::Secret } else { Kind::ConfigMap }, s.name.to_owned()))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    /// The cluster without the change.
    Before,
    /// The cluster with the change applied.
    After,
}

/// The cluster as the review sees it: one namespace, each object read once.
struct World<'a, 'c> {
    cluster: &'c mut dyn Cluster,
    change: &'a Change<'a>,
    cache: HashMap<(Kind, String), Option<Value>>,
}

impl World<'_, '_> {
    fn read(&mut self, kind: Kind, name: &str) -> Result<Option<&Value>, HostFailure> {
        let key = (kind, name.to_owned());
        if !self.cache.contains_key(&key) {
            let v = self.cluster.get(kind, self.change.namespace, name)?;
            self.cache.insert(key.clone(), v);
        }
        Ok(self.cache.get(&key).and_then(Option::as_ref))
    }

    /// An object as `view` sees it: the change itself, or the cluster's.
    fn object(&mut self, kind: Kind, name: &str, view: View) -> Result<Option<Value>, HostFailure> {
        if kind == self.change.kind && name == self.change.name {
            return Ok(match view {
                View::After => Some(self.change.object.clone()),
                View::Before => self.change.old.cloned(),
            });
        }
        Ok(self.read(kind, name)?.cloned())
    }

    /// The Canaries the change concerns: itself, those targeting it, or those
    /// whose target's pod spec references it.
    fn concerned(&mut self) -> Result<Vec<String>, HostFailure> {
        let ch = self.change;
        if ch.kind == Kind::Canary {
            return Ok(vec![ch.name.to_owned()]);
        }
        let mut names = Vec::new();
        for canary in self.cluster.list(Kind::Canary, ch.namespace)? {
            let name = str_at(&canary, "/metadata/name").to_owned();
            let (tkind, tname) = target_ref(&canary);
            let hit = match Kind::of_target(tkind) {
                Some(k) if ch.kind.is_config() && k.is_workload() => {
                    let target = self.read(k, tname)?;
                    target.is_some_and(|t| config_refs(t).contains(&(ch.kind, ch.name.to_owned())))
                }
                Some(k) => k == ch.kind && tname == ch.name,
                None => false,
            };
            if hit && !name.is_empty() {
                self.cache.insert((Kind::Canary, name.clone()), Some(canary));
                names.push(name);
            }
        }
        Ok(names)
    }

    /// The core's plan of these Canaries with the objects Flagger reads for
    /// them (target, referenced configs) as `view` sees them.
    fn plan(&mut self, names: &[String], view: View, options: &Value) -> Result<Value, Unchecked> {
        let mut objects = Vec::new();
        let mut seen = BTreeSet::new();
        for name in names {
            let Some(canary) = self.object(Kind::Canary, name, view)? else { continue };
            let (tkind, tname) = target_ref(&canary);
            let target = Kind::of_target(tkind).map(|k| (k, tname.to_owned()));
            objects.push(canary);
            let Some((tkind, tname)) = target.filter(|t| seen.insert(t.clone())) else { continue };
            let Some(target) = self.object(tkind, &tname, view)? else { continue };
            let refs = if tkind.is_workload() { config_refs(&target) } else { BTreeSet::new() };
            objects.push(target);
            for (kind, name) in refs {
                if seen.insert((kind, name.clone())) {
                    objects.extend(self.object(kind, &name, view)?);
                }
            }
        }
        let response = canary_tracker::plan_value(&json!({ "objects": objects, "options": options }));
        match response.get("error") {
            Some(e) => Err(Unchecked::Core(format!("{}: {}", str_at(e, "/code"), str_at(e, "/message")))),
            None => Ok(response),
        }
    }
}

#[cfg(test)]
mod tests;
