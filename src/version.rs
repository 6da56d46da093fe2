//! What differs between Flagger releases, in one table. Each row names the
//! first release with the newer behaviour; [`Behaviour::for_version`] is the
//! only place that compares versions.

use crate::checksum::Escaping;
use crate::error::{Error, ErrorCode, Result, Warning, WarningCode};

/// A Flagger release, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// Accepts `1.44.0`, `v1.44.0`, `1.44` (patch 0) and ignores a
    /// `-pre`/`+build` suffix.
    pub fn parse(s: &str) -> Option<Version> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let core = s.split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u32>().ok());
        let v = Version(parts.next()??, parts.next()??, parts.next().unwrap_or(Some(0))?);
        parts.next().is_none().then_some(v)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The newest Flagger release whose behaviour this crate reproduces.
pub const NEWEST: Version = Version(1, 44, 0);
/// The oldest: Canary-on-Service arrived in 0.20.4 (Nov 2019).
pub const OLDEST: Version = Version(0, 20, 4);

/// Newest first: every release at which what a plan shows changes, from
/// [`Behaviour::for_version`]'s table and the scheduler rules of
/// `crate::analysis` (suspend 1.32.0, WaitingPromotion 1.7.0). Hosts offer
/// these (the dashboard's picker); a test checks the table against it.
pub const RELEASES: &[Version] = &[
    NEWEST,
    Version(1, 37, 0),
    Version(1, 32, 0),
    Version(1, 30, 0),
    Version(1, 16, 0),
    Version(1, 15, 0),
    Version(1, 12, 0),
    Version(1, 10, 0),
    Version(1, 7, 0),
    Version(1, 6, 3),
    Version(1, 6, 0),
    Version(1, 2, 0),
    Version(1, 1, 0),
    Version(1, 0, 0),
    OLDEST,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelPolicy {
    /// Every label copied (< 1.12.0).
    All,
    /// Every label but `toolkit.fluxcd.io` ones (1.12.0 – 1.29.x: the
    /// empty default prefix matched every label).
    AllButToolkit,
    /// Only `includeLabelPrefix` matches, never toolkit ones (≥ 1.30.0).
    IncludePrefix,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingConfig {
    /// Always skipped, only logged (< 1.6.3).
    AlwaysSkip,
    /// Fails only with an explicit `optional: false` (1.6.3 – 1.14.x).
    FailIfExplicitlyMandatory,
    /// Fails unless `optional: true` (≥ 1.15.0).
    FailUnlessOptional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitContainers {
    /// Not scanned at all (< 1.10.0).
    Ignored,
    /// Scanned, tracked and copied, but their refs are not rewritten (1.10.0 – 1.43.x).
    TrackedNotRewritten,
    /// Tracked, copied and rewritten (≥ 1.44.0).
    Rewritten,
}

/// Flagger's behaviour switches for one release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behaviour {
    pub version: Version,
    pub service_target: bool,
    pub owner_api_version: &'static str,
    pub projected_volumes: bool,
    pub daemonset_target: bool,
    pub opt_out_annotation: bool,
    pub selector_value_from_label: bool,
    pub labels: LabelPolicy,
    pub missing_config: MissingConfig,
    pub init_containers: InitContainers,
    pub keep_foreign_owner_refs: bool,
    /// Service targets: `spec.clusterIPs` is copied into the `-primary`/`-canary`
    /// Services (built with Kubernetes ≥ 1.20 types, k8s.io/api v0.20.1).
    pub service_cluster_ips: bool,
    pub escaping: Escaping,
}

const fn v(a: u32, b: u32, c: u32) -> Version {
    Version(a, b, c)
}

impl Behaviour {
    /// The table (see the README, "Flagger versions").
    pub fn for_version(ver: Version) -> Behaviour {
        let from = |first: Version| ver >= first;
        Behaviour {
            version: ver,
            service_target: from(v(0, 20, 4)),
            owner_api_version: if from(v(1, 0, 0)) { "flagger.app/v1beta1" } else { "flagger.app/v1alpha3" },
            projected_volumes: from(v(1, 0, 0)),
            daemonset_target: from(v(1, 0, 0)),
            opt_out_annotation: from(v(1, 1, 0)),
            selector_value_from_label: from(v(1, 2, 0)),
            labels: if from(v(1, 30, 0)) {
                LabelPolicy::IncludePrefix
            } else if from(v(1, 12, 0)) {
                LabelPolicy::AllButToolkit
            } else {
                LabelPolicy::All
            },
            missing_config: if from(v(1, 15, 0)) {
                MissingConfig::FailUnlessOptional
            } else if from(v(1, 6, 3)) {
                MissingConfig::FailIfExplicitlyMandatory
            } else {
                MissingConfig::AlwaysSkip
            },
            init_containers: if from(v(1, 44, 0)) {
                InitContainers::Rewritten
            } else if from(v(1, 10, 0)) {
                InitContainers::TrackedNotRewritten
            } else {
                InitContainers::Ignored
            },
            keep_foreign_owner_refs: from(v(1, 16, 0)),
            service_cluster_ips: from(v(1, 6, 0)),
            escaping: if from(v(1, 37, 0)) { Escaping::Go122 } else { Escaping::Go119 },
        }
    }

    /// Resolves the request's `flaggerVersion`: default [`NEWEST`]; older than
    /// [`OLDEST`] or unparsable is an error (there is no behaviour to show);
    /// newer than [`NEWEST`] previews [`NEWEST`] with a warning, since later
    /// releases most likely behave like the newest one known.
    pub fn resolve(requested: Option<&str>) -> Result<(Behaviour, Option<Warning>)> {
        let Some(text) = requested else { return Ok((Behaviour::for_version(NEWEST), None)) };
        let ver = Version::parse(text).ok_or_else(|| {
            Error::new(
                ErrorCode::UnsupportedFlaggerVersion,
                format!("flaggerVersion {text:?} is not a version like 1.44.0"),
            )
            .at("/options/flaggerVersion")
        })?;
        if ver < OLDEST {
            return Err(Error::new(
                ErrorCode::UnsupportedFlaggerVersion,
                format!("Flagger {ver} is older than {OLDEST}, the oldest release this preview reproduces"),
            )
            .at("/options/flaggerVersion"));
        }
        if ver > NEWEST {
            let w = Warning::new(
                WarningCode::FlaggerVersionNewer,
                format!("Flagger {ver} is newer than {NEWEST}; showing {NEWEST} behaviour"),
            );
            return Ok((Behaviour { version: ver, ..Behaviour::for_version(NEWEST) }, Some(w)));
        }
        Ok((Behaviour::for_version(ver), None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions() {
        assert_eq!(Version::parse("1.44.0"), Some(Version(1, 44, 0)));
        assert_eq!(Version::parse("v1.6.3"), Some(Version(1, 6, 3)));
        assert_eq!(Version::parse("1.44"), Some(Version(1, 44, 0)));
        assert_eq!(Version::parse("1.44.0-rc.1"), Some(Version(1, 44, 0)));
        assert_eq!(Version::parse("1.44.0.1"), None);
        assert_eq!(Version::parse("one"), None);
        assert_eq!(Version::parse(""), None);
    }

    /// Every release behaves like the newest entry of [`RELEASES`] at or
    /// below it: the list names every change of the table.
    #[test]
    fn releases_name_every_change_of_the_table() {
        assert!(RELEASES.windows(2).all(|w| w[0] > w[1]), "newest first, no repeats");
        let same =
            |a: Version, b: Version| Behaviour { version: a, ..Behaviour::for_version(b) } == Behaviour::for_version(a);
        for major in 0..=1 {
            for minor in 0..=50 {
                for patch in 0..=6 {
                    let v = Version(major, minor, patch);
                    if v < OLDEST || v > NEWEST {
                        continue;
                    }
                    let Some(&base) = RELEASES.iter().find(|r| **r <= v) else { panic!("{v} below OLDEST") };
                    assert!(same(v, base), "{v} does not behave like {base}: add its release to RELEASES");
                }
            }
        }
    }

    #[test]
    fn resolves_bounds() {
        assert_eq!(Behaviour::resolve(None).unwrap().0.version, NEWEST);
        let e = Behaviour::resolve(Some("0.20.3")).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnsupportedFlaggerVersion);
        assert_eq!(Behaviour::resolve(Some("x")).unwrap_err().code, ErrorCode::UnsupportedFlaggerVersion);
        let (b, w) = Behaviour::resolve(Some("1.45.0")).unwrap();
        assert_eq!(b.init_containers, InitContainers::Rewritten);
        assert_eq!(w.unwrap().code, WarningCode::FlaggerVersionNewer);
    }
}
