//! Step 8, rows: one row per config, the table every host shows (the CLI's
//! "Tracked configs", the dashboard's configs table), so the hosts render
//! it and never re-derive it from `trackedConfigs`, `configChanges` and
//! `untrackedConfigs`.

use crate::plan::Plan;
use crate::track::UntrackedReason;
use crate::verdict::Change;
use serde::Serialize;
use serde_json::{Map, Value};

/// What happens to one config.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowState {
    /// Tracked, same checksum as in the Canary's status.
    Unchanged,
    /// Tracked, checksum differs from the Canary's status.
    Modified,
    /// Tracked now, not in the Canary's status.
    Added,
    /// In the Canary's status, not tracked now.
    Removed,
    /// Referenced by the pod spec but not tracked (`reason` says why).
    NotTracked,
}

/// One config of a plan.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigRow {
    /// `configmap/NAME` or `secret/NAME`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// `ConfigMap` or `Secret`.
    #[cfg_attr(test, ts(type = "'ConfigMap' | 'Secret'"))]
    pub kind: &'static str,
    pub name: String,
    pub state: RowState,
    /// The checksum Flagger computes now (`null`: not tracked now).
    pub current: Option<String>,
    /// The checksum in the Canary's `status.trackedConfigs` (`null`: not there).
    pub tracked: Option<String>,
    /// Why a `not-tracked` (or `removed`) config is not tracked.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(optional))]
    pub reason: Option<UntrackedReason>,
    /// The state in words.
    pub message: String,
}

/// The rows of a finished plan: tracked configs (by ref), then removed ones,
/// then referenced but untracked ones. `status` is the Canary's
/// `status.trackedConfigs` as written (`None` when absent). Empty for a failed plan.
pub fn config_rows(plan: &Plan, status: Option<&Map<String, Value>>) -> Vec<ConfigRow> {
    let in_status = |r: &str| status.and_then(|m| m.get(r)).and_then(Value::as_str).map(str::to_owned);
    let untracked = |r: &str| plan.untracked_configs.iter().find(|u| u.reference == r);
    let change = |r: &str| plan.config_changes.iter().find(|c| c.reference == r);
    let row = |reference: &str, state, current: Option<String>, tracked, reason, message: String| {
        let (prefix, name) = reference.split_once('/').unwrap_or(("", reference));
        ConfigRow {
            reference: reference.to_owned(),
            kind: if prefix == "secret" { "Secret" } else { "ConfigMap" },
            name: name.to_owned(),
            state,
            current,
            tracked,
            reason,
            message,
        }
    };
    let mut rows = Vec::new();
    for (r, sum) in plan.tracked_configs.iter().flatten() {
        let (state, message) = match change(r).map(|c| c.change) {
            None => (RowState::Unchanged, "same checksum as in the Canary's status".to_owned()),
            Some(Change::Modified) => {
                (RowState::Modified, "content differs from the checksum in the Canary's status".to_owned())
            }
            Some(_) if status.is_some() => (RowState::Added, "not in the Canary's status.trackedConfigs".to_owned()),
            Some(_) => (RowState::Added, "first run: the Canary has no status.trackedConfigs yet".to_owned()),
        };
        rows.push(row(r, state, Some(sum.clone()), in_status(r), None, message));
    }
    for c in plan.config_changes.iter().filter(|c| c.change == Change::Removed) {
        let u = untracked(&c.reference);
        let message =
            u.map_or_else(|| "in the Canary's status but no longer referenced".to_owned(), |u| u.message.clone());
        rows.push(row(&c.reference, RowState::Removed, None, c.tracked.clone(), u.map(|u| u.reason), message));
    }
    for u in plan.untracked_configs.iter().filter(|u| change(&u.reference).is_none()) {
        let tracked = in_status(&u.reference);
        rows.push(row(&u.reference, RowState::NotTracked, None, tracked, Some(u.reason), u.message.clone()));
    }
    rows
}

#[cfg(test)]
mod tests {
    use crate::plan::{plan_objects, Options};
    use serde_json::{json, Value};

    /// ref, state, current, tracked, reason
    type Row = (String, String, Option<String>, Option<String>, Option<String>);

    fn rows(status: Value) -> Vec<Row> {
        let cm = |n: &str, v: &str| json!({"kind": "ConfigMap", "metadata": {"name": n, "namespace": "t"}, "data": {"k": v}});
        let objects = vec![
            json!({"kind": "Canary", "metadata": {"name": "c", "namespace": "t"},
                   "spec": {"targetRef": {"kind": "Deployment", "name": "d"}}, "status": status}),
            json!({"kind": "Deployment", "metadata": {"name": "d", "namespace": "t"}, "spec": {
                "selector": {"matchLabels": {"app": "d"}},
                "template": {"metadata": {"labels": {"app": "d"}}, "spec": {
                    "volumes": [{"name": "a", "configMap": {"name": "a"}}, {"name": "b", "configMap": {"name": "b"}},
                                {"name": "n", "configMap": {"name": "new"}}, {"name": "r", "secret": {"secretName": "reg"}}],
                    "containers": [{"name": "x"}]}}}}),
            cm("a", "1"),
            cm("b", "2"),
            cm("new", "3"),
            json!({"kind": "Secret", "type": "kubernetes.io/dockerconfigjson", "metadata": {"name": "reg", "namespace": "t"}, "data": {}}),
        ];
        let plan = plan_objects(&objects, None, &Options::default()).unwrap().plans.remove(0);
        let v = serde_json::to_value(&plan.configs).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let s = |k: &str| r.get(k).and_then(Value::as_str).map(str::to_owned);
                (s("ref").unwrap(), s("state").unwrap(), s("current"), s("tracked"), s("reason"))
            })
            .collect()
    }

    #[test]
    fn one_row_per_config_with_its_state() {
        let first = rows(Value::Null);
        let a = first[0].2.clone();
        let states: Vec<_> = first.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect();
        assert_eq!(
            states,
            [
                ("configmap/a", "added"),
                ("configmap/b", "added"),
                ("configmap/new", "added"),
                ("secret/reg", "not-tracked")
            ]
        );
        assert_eq!(first[3].4.as_deref(), Some("secret-type"));
        let status = json!({"trackedConfigs": {"configmap/a": a, "configmap/b": "0000000000000000",
                                               "configmap/gone": "1111111111111111", "secret/reg": "2222222222222222"}});
        let later = rows(status);
        let got: Vec<_> = later.iter().map(|r| (r.0.as_str(), r.1.as_str(), r.3.as_deref())).collect();
        assert_eq!(
            got,
            [
                ("configmap/a", "unchanged", a.as_deref()),
                ("configmap/b", "modified", Some("0000000000000000")),
                ("configmap/new", "added", None),
                ("configmap/gone", "removed", Some("1111111111111111")),
                ("secret/reg", "removed", Some("2222222222222222")),
            ]
        );
        assert_eq!(later[4].4.as_deref(), Some("secret-type"), "a removed config says why it is not tracked");
    }
}
