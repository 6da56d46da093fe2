//! Step 4, verdict: Flagger's `HasConfigChanged` against the Canary's
//! `status.trackedConfigs`, plus the per-ref reasons Flagger does not give.

use serde::Serialize;
use std::collections::BTreeMap;

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Tracked now, not in the Canary's status.
    Added,
    /// In the Canary's status, not tracked now.
    Removed,
    /// Both, with different checksums.
    Modified,
}

#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigChange {
    #[serde(rename = "ref")]
    pub reference: String,
    pub change: Change,
    pub tracked: Option<String>,
    pub current: Option<String>,
}

/// `current` is what Flagger computes now; `status` is `None` when the
/// Canary's `status.trackedConfigs` is nil (never written).
pub fn verdict(
    current: &BTreeMap<String, String>,
    status: Option<&BTreeMap<String, String>>,
) -> (bool, Vec<ConfigChange>) {
    let empty = BTreeMap::new();
    let tracked = status.unwrap_or(&empty);
    let mut changes = Vec::new();
    for (r, sum) in current {
        match tracked.get(r) {
            Some(t) if t == sum => {}
            t => changes.push(ConfigChange {
                reference: r.clone(),
                change: if t.is_some() { Change::Modified } else { Change::Added },
                tracked: t.cloned(),
                current: Some(sum.clone()),
            }),
        }
    }
    for (r, t) in tracked {
        if !current.contains_key(r) {
            changes.push(ConfigChange {
                reference: r.clone(),
                change: Change::Removed,
                tracked: Some(t.clone()),
                current: None,
            });
        }
    }
    crate::order::by_key(&mut changes, |c| c.reference.as_str());
    // Flagger's rules, in its order.
    let changed = match status {
        None => !current.is_empty(),
        Some(t) if t.len() != current.len() => true,
        Some(t) => current.iter().any(|(r, sum)| t.get(r) != Some(sum)),
    };
    (changed, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn flagger_rules() {
        assert!(!verdict(&m(&[]), None).0);
        assert!(verdict(&m(&[("configmap/a", "1")]), None).0);
        assert!(!verdict(&m(&[("configmap/a", "1")]), Some(&m(&[("configmap/a", "1")]))).0);
        assert!(verdict(&m(&[("configmap/a", "1")]), Some(&m(&[("configmap/a", "2")]))).0);
        assert!(verdict(&m(&[]), Some(&m(&[("configmap/a", "2")]))).0);
        assert!(!verdict(&m(&[]), Some(&m(&[]))).0);
    }

    #[test]
    fn changes_say_why_sorted_by_ref() {
        let (changed, c) = verdict(
            &m(&[("secret/s", "1"), ("configmap/b", "2")]),
            Some(&m(&[("configmap/b", "3"), ("configmap/a", "4")])),
        );
        assert!(changed);
        let got: Vec<_> = c.iter().map(|c| (c.reference.as_str(), c.change)).collect();
        assert_eq!(
            got,
            vec![("configmap/a", Change::Removed), ("configmap/b", Change::Modified), ("secret/s", Change::Added)]
        );
    }
}
