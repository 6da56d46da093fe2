//! Step 3, track: which referenced ConfigMaps/Secrets Flagger tracks, their
//! checksums and `-primary` copies, and why the others are not tracked. This
//! is Flagger's `GetTargetConfigs` + `CreatePrimaryConfigs`
//! (pkg/canary/config_tracker.go), every tracking rule in one place.

use crate::checksum::{ConfigKind, GoData};
use crate::error::{Error, ErrorCode, Result, Warning, WarningCode};
use crate::objects::{config_data, secret_type, Bag, Obj};
use crate::order::Index;
use crate::plan::Options;
use crate::primary;
use crate::scan::RefSite;
use crate::version::{Behaviour, InitContainers, MissingConfig};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Why a referenced config is not tracked.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UntrackedReason {
    /// A Secret type outside Flagger's list (registry credentials, tokens…).
    SecretType,
    /// `flagger.app/config-tracking: disabled` on the config.
    OptOut,
    /// `optional: true` and absent.
    OptionalMissing,
    /// Absent, and this release skips it without failing.
    MissingSkipped,
    /// `-enable-config-tracking=false`.
    TrackingDisabled,
}

impl UntrackedReason {
    /// Every reason, in declaration order.
    pub const ALL: [UntrackedReason; 5] = [
        UntrackedReason::SecretType,
        UntrackedReason::OptOut,
        UntrackedReason::OptionalMissing,
        UntrackedReason::MissingSkipped,
        UntrackedReason::TrackingDisabled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UntrackedReason::SecretType => "secret-type",
            UntrackedReason::OptOut => "opt-out",
            UntrackedReason::OptionalMissing => "optional-missing",
            UntrackedReason::MissingSkipped => "missing-skipped",
            UntrackedReason::TrackingDisabled => "tracking-disabled",
        }
    }
}

/// A referenced config that is not tracked, and why.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, ts(rename = "UntrackedConfig"))]
pub struct Untracked {
    #[serde(rename = "ref")]
    pub reference: String,
    pub reason: UntrackedReason,
    pub message: String,
}

/// What tracking found for one pod spec.
#[derive(Debug, Default)]
pub struct Tracking {
    /// What Flagger writes to `status.trackedConfigs`; `None` when tracking is off.
    pub checksums: Option<BTreeMap<String, String>>,
    /// The `-primary` copies, sorted by ref.
    pub primaries: Vec<Value>,
    /// ConfigMaps first, then Secrets (Flagger's order), each in pod-spec order.
    pub untracked: Vec<Untracked>,
    pub warnings: Vec<Warning>,
    /// The configs whose references the primary workload renames, by
    /// [`ref_of`] (→ 0: a set).
    pub renamed: Index,
}

/// Secret types Flagger tracks (`getRefFromSecret`); every other type is left alone.
const TRACKED_SECRET_TYPES: [&str; 4] =
    ["Opaque", "kubernetes.io/basic-auth", "kubernetes.io/ssh-auth", "kubernetes.io/tls"];
const OPT_OUT: &str = "flagger.app/config-tracking";
/// DNS subdomain limit for object names.
pub const MAX_NAME: usize = 253;

/// Tracks the configs `sites` reference, as Flagger does for `canary`.
pub fn track<'a>(
    bag: &Bag<'a>,
    canary: &Obj<'a>,
    sites: &[RefSite<'a>],
    beh: &Behaviour,
    options: &Options,
) -> Result<Tracking> {
    let refs = distinct_refs(sites);
    if !options.enable_config_tracking {
        let untracked = refs
            .into_iter()
            .map(|(kind, name, _)| Untracked {
                reference: ref_of(kind, name),
                reason: UntrackedReason::TrackingDisabled,
                message: "config tracking is disabled (-enable-config-tracking=false)".into(),
            })
            .collect();
        return Ok(Tracking { untracked, ..Tracking::default() });
    }
    let mut t = Tracking { checksums: Some(BTreeMap::new()), ..Tracking::default() };
    let mut primaries = Vec::new();
    for (kind, name, optional) in refs {
        let r = ref_of(kind, name);
        let Some(obj) = bag.get(kind.kind(), canary.namespace, name) else {
            missing(&mut t, kind, name, r, optional, canary, beh)?;
            continue;
        };
        if let Some(reason) = not_tracked(obj, kind, &r, beh)? {
            if reason.reason == UntrackedReason::OptOut {
                t.warnings
                    .push(Warning::new(WarningCode::ConfigTrackingOptOut, reason.message.clone()).with_ref(r.clone()));
            }
            t.untracked.push(reason);
            continue;
        }
        // Decoded and hashed once per request however many Canaries track it;
        // the copy's data is decoded per copy (it is one), and only if shown.
        let data_value = if options.primary_bodies { Some(config_data(obj, kind)?) } else { None };
        let data = match &data_value {
            Some(d) => Some(GoData::decode(kind, d.as_deref(), &obj.path("/data"))?),
            None => None,
        };
        let sum = match &data {
            Some(d) => bag.checksum_or(obj, beh.escaping, || Ok(d.checksum(beh.escaping)))?,
            None => bag.checksum(obj, kind, beh.escaping)?,
        };
        if let Some(sums) = t.checksums.as_mut() {
            sums.insert(r.clone(), sum);
        }
        if kind == ConfigKind::ConfigMap
            && obj.get("/binaryData").is_some_and(|b| b.as_object().is_some_and(|m| !m.is_empty()))
        {
            t.warnings.push(Warning::new(
                WarningCode::ConfigBinaryData,
                format!("{r} has binaryData: Flagger ignores it, so changes to it start no analysis, and the primary copy has none"),
            ).with_ref(r.clone()));
        }
        if name.len() + "-primary".len() > MAX_NAME {
            t.warnings.push(
                Warning::new(
                    WarningCode::NameTooLong,
                    format!("{r}-primary is longer than {MAX_NAME} characters; the API server will reject it"),
                )
                .with_ref(r.clone()),
            );
        }
        let existing = bag.get(kind.kind(), canary.namespace, &format!("{name}-primary")).copied();
        let copy = primary::primary_config(
            obj,
            kind,
            data.as_ref(),
            existing.as_ref(),
            canary,
            beh,
            &options.include_label_prefix,
        )?;
        t.renamed.insert(r.clone(), 0);
        primaries.push((r, copy));
    }
    crate::order::by_key(&mut primaries, |p| p.0.as_str());
    t.primaries = primaries.into_iter().map(|(_, v)| v).collect();
    if beh.init_containers == InitContainers::TrackedNotRewritten {
        for s in sites.iter().filter(|s| s.init && t.renamed.contains_key(&ref_of(s.kind, s.name))) {
            let r = ref_of(s.kind, s.name);
            t.warnings.push(Warning::new(
                WarningCode::InitContainerNotRewritten,
                format!("Flagger {} tracks {r} for init containers but does not rewrite their reference: the primary's init containers keep reading the original", beh.version),
            ).with_ref(r).at(format!("/spec/template/spec{}", s.pointer)));
        }
    }
    Ok(t)
}

/// An absent config: Flagger fails on a mandatory one (by release), else skips it.
fn missing(
    t: &mut Tracking,
    kind: ConfigKind,
    name: &str,
    r: String,
    optional: Option<bool>,
    canary: &Obj,
    beh: &Behaviour,
) -> Result<()> {
    // config_tracker.go fieldIsMandatory (≥ 1.15.0: unset is mandatory);
    // 1.6.3 – 1.14.x failed on an explicit `optional: false` only.
    let mandatory = match beh.missing_config {
        MissingConfig::FailUnlessOptional => optional != Some(true),
        MissingConfig::FailIfExplicitlyMandatory => optional == Some(false),
        MissingConfig::AlwaysSkip => false,
    };
    if mandatory {
        return Err(Error::new(
            ErrorCode::ConfigNotFound,
            format!("{} {}/{name} is referenced by the pod spec but is not in objects", kind.kind(), canary.namespace),
        )
        .with_ref(r));
    }
    let (reason, code, message) = if optional == Some(true) {
        (
            UntrackedReason::OptionalMissing,
            WarningCode::OptionalConfigMissing,
            format!("{r} is optional and absent: skipped"),
        )
    } else {
        (
            UntrackedReason::MissingSkipped,
            WarningCode::ConfigMissingSkipped,
            format!("{r} is absent; Flagger {} skips it without failing", beh.version),
        )
    };
    t.warnings.push(Warning::new(code, message.clone()).with_ref(r.clone()));
    t.untracked.push(Untracked { reference: r, reason, message });
    Ok(())
}

/// Why Flagger leaves a present config alone, if it does: a Secret type it
/// does not track (`getRefFromSecret`), or the opt-out annotation (≥ 1.1.0).
fn not_tracked(obj: &Obj, kind: ConfigKind, r: &str, beh: &Behaviour) -> Result<Option<Untracked>> {
    if kind == ConfigKind::Secret {
        let ty = secret_type(obj)?;
        if !TRACKED_SECRET_TYPES.contains(&ty) {
            return Ok(Some(Untracked {
                reference: r.to_owned(),
                reason: UntrackedReason::SecretType,
                message: format!("Secrets of type {ty} are not tracked by Flagger; the primary uses the original"),
            }));
        }
    }
    if beh.opt_out_annotation {
        let opt = obj.str_at(&format!("/metadata/annotations/{}", OPT_OUT.replace('/', "~1")))?;
        if opt.is_some_and(|a| a.starts_with("disable")) {
            return Ok(Some(Untracked {
                reference: r.to_owned(),
                reason: UntrackedReason::OptOut,
                message: format!("{r} opts out ({OPT_OUT}): not copied; the primary shares the live object, so edits reach it without analysis"),
            }));
        }
    }
    Ok(None)
}

/// A config's reference as the plan names it: `configmap/NAME`, `secret/NAME`.
pub fn ref_of(kind: ConfigKind, name: &str) -> String {
    format!("{}/{name}", kind.prefix())
}

/// Each config once, in Flagger's order: every ConfigMap, then every Secret
/// (`GetTargetConfigs` loops over `configMapNames`, then `secretNames`; so a
/// missing mandatory ConfigMap is reported before a missing Secret). Within a
/// kind Flagger iterates a Go map, in random order; first-seen order stands in
/// for it. A later reference's `optional` overwrites an earlier one's (the
/// maps are keyed by name).
pub fn distinct_refs<'a>(sites: &[RefSite<'a>]) -> Vec<(ConfigKind, &'a str, Option<bool>)> {
    let mut seen = Index::new();
    let mut out: Vec<(ConfigKind, &str, Option<bool>)> = Vec::new();
    for s in sites {
        let r = ref_of(s.kind, s.name);
        match seen.get(&r) {
            Some(&i) => {
                if let Some(r) = out.get_mut(i) {
                    r.2 = s.optional;
                }
            }
            None => {
                seen.insert(r, out.len());
                out.push((s.kind, s.name, s.optional));
            }
        }
    }
    // Stable: keeps first-seen order within each kind.
    crate::order::by_key(&mut out, |r| r.0.prefix());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(kind: ConfigKind, name: &str, optional: Option<bool>) -> RefSite<'_> {
        RefSite { kind, name, optional, pointer: String::new(), init: false }
    }

    #[test]
    fn configmaps_before_secrets_last_optional_wins() {
        let sites = [
            site(ConfigKind::Secret, "s1", None),
            site(ConfigKind::ConfigMap, "c1", Some(true)),
            site(ConfigKind::Secret, "s0", None),
            site(ConfigKind::ConfigMap, "c0", None),
            site(ConfigKind::ConfigMap, "c1", None),
        ];
        assert_eq!(
            distinct_refs(&sites),
            vec![
                (ConfigKind::ConfigMap, "c1", None),
                (ConfigKind::ConfigMap, "c0", None),
                (ConfigKind::Secret, "s1", None),
                (ConfigKind::Secret, "s0", None),
            ]
        );
    }

    #[test]
    fn reasons_serialise_as_their_wire_names() {
        for r in UntrackedReason::ALL {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
    }
}
