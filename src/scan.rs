//! Step 2, scan: every place in a pod spec where Flagger looks for ConfigMap
//! and Secret references. The same sites drive the rewrite (step 5), so what
//! is tracked and what is renamed can never disagree.

use crate::checksum::ConfigKind;
use crate::error::{Error, ErrorCode, Result};
use crate::objects::wrong_type;
use crate::version::{Behaviour, InitContainers};
use serde_json::Value;

/// One reference to a config in the pod spec.
#[derive(Debug, Clone, PartialEq)]
pub struct RefSite<'a> {
    pub kind: ConfigKind,
    pub name: &'a str,
    /// `optional` as written: unset, `true` or `false`.
    pub optional: Option<bool>,
    /// JSON pointer of the name string, relative to the pod spec.
    pub pointer: String,
    /// In an init container (Flagger < 1.44 tracks but does not rewrite these).
    pub init: bool,
}

/// Flagger's scan order: volumes, then `containers`, then `initContainers`.
/// `base` is the pod spec's JSON pointer in the request, for errors.
pub fn scan<'a>(pod_spec: &'a Value, base: &str, beh: &Behaviour) -> Result<Vec<RefSite<'a>>> {
    let mut w = Walker { base, sites: Vec::new() };
    for (i, vol) in w.array(pod_spec, "", "volumes")?.iter().enumerate() {
        let p = format!("/volumes/{i}");
        w.one_source(vol, &p, "configMap", "secret", "volume types")?;
        w.source(vol, &p, "configMap", "name", ConfigKind::ConfigMap, false)?;
        w.source(vol, &p, "secret", "secretName", ConfigKind::Secret, false)?;
        if beh.projected_volumes {
            if let Some(projected) = w.object(vol, &p, "projected")? {
                let pp = format!("{p}/projected");
                for (j, src) in w.array(projected, &pp, "sources")?.iter().enumerate() {
                    let sp = format!("{pp}/sources/{j}");
                    w.one_source(src, &sp, "configMap", "secret", "volume types per source")?;
                    w.source(src, &sp, "configMap", "name", ConfigKind::ConfigMap, false)?;
                    w.source(src, &sp, "secret", "name", ConfigKind::Secret, false)?;
                }
            }
        }
    }
    let mut lists = vec![("containers", false)];
    if beh.init_containers != InitContainers::Ignored {
        lists.push(("initContainers", true));
    }
    for (list, init) in lists {
        for (i, c) in w.array(pod_spec, "", list)?.iter().enumerate() {
            let cp = format!("/{list}/{i}");
            for (j, env) in w.array(c, &cp, "env")?.iter().enumerate() {
                let ep = format!("{cp}/env/{j}");
                if let Some(from) = w.object(env, &ep, "valueFrom")? {
                    let fp = format!("{ep}/valueFrom");
                    w.one_source(from, &fp, "configMapKeyRef", "secretKeyRef", "fields")?;
                    w.source(from, &fp, "configMapKeyRef", "name", ConfigKind::ConfigMap, init)?;
                    w.source(from, &fp, "secretKeyRef", "name", ConfigKind::Secret, init)?;
                }
            }
            for (j, env) in w.array(c, &cp, "envFrom")?.iter().enumerate() {
                let ep = format!("{cp}/envFrom/{j}");
                w.one_source(env, &ep, "configMapRef", "secretRef", "fields")?;
                w.source(env, &ep, "configMapRef", "name", ConfigKind::ConfigMap, init)?;
                w.source(env, &ep, "secretRef", "name", ConfigKind::Secret, init)?;
            }
        }
    }
    Ok(w.sites)
}

struct Walker<'a, 'b> {
    base: &'b str,
    sites: Vec<RefSite<'a>>,
}

impl<'a> Walker<'a, '_> {
    fn field(&self, parent: &'a Value, ppath: &str, key: &str) -> Result<Option<&'a Value>> {
        match parent {
            Value::Object(m) => Ok(m.get(key).filter(|v| !v.is_null())),
            other => Err(wrong_type(&format!("{}{ppath}", self.base), "an object", other)),
        }
    }
    fn array(&self, parent: &'a Value, ppath: &str, key: &str) -> Result<&'a [Value]> {
        match self.field(parent, ppath, key)? {
            None => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(other) => Err(wrong_type(&format!("{}{ppath}/{key}", self.base), "an array", other)),
        }
    }
    fn object(&self, parent: &'a Value, ppath: &str, key: &str) -> Result<Option<&'a Value>> {
        match self.field(parent, ppath, key)? {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(v)),
            Some(other) => Err(wrong_type(&format!("{}{ppath}/{key}", self.base), "an object", other)),
        }
    }
    /// The API server rejects an entry naming both a ConfigMap and a Secret
    /// (pkg/apis/core/validation: `validateEnvVarValueFrom` and
    /// `ValidateEnvFrom` "may not have more than one field specified at a
    /// time", `validateVolumeSource` and `validateProjectionSources` "may not
    /// specify more than 1 volume type"), so Flagger never sees one. Tracking
    /// both (as Flagger's volume scan would) or one (as its env `switch`
    /// would) would describe an object that cannot exist: it is an error.
    fn one_source(&self, parent: &'a Value, ppath: &str, a: &str, b: &str, what: &str) -> Result<()> {
        if self.field(parent, ppath, a)?.is_some() && self.field(parent, ppath, b)?.is_some() {
            return Err(Error::new(
                ErrorCode::InvalidObject,
                format!("{a} and {b} in one entry: the API server rejects it (may not specify more than one of these {what})"),
            )
            .at(format!("{}{ppath}", self.base)));
        }
        Ok(())
    }
    /// Records `parent.key.name_key` (with `parent.key.optional`) if present.
    fn source(
        &mut self,
        parent: &'a Value,
        ppath: &str,
        key: &str,
        name_key: &str,
        kind: ConfigKind,
        init: bool,
    ) -> Result<()> {
        let Some(src) = self.object(parent, ppath, key)? else { return Ok(()) };
        let sp = format!("{ppath}/{key}");
        let name = match self.field(src, &sp, name_key)? {
            None => return Ok(()),
            Some(Value::String(s)) if s.is_empty() => return Ok(()),
            Some(Value::String(s)) => s.as_str(),
            Some(other) => return Err(wrong_type(&format!("{}{sp}/{name_key}", self.base), "a string", other)),
        };
        let optional = match self.field(src, &sp, "optional")? {
            None => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(other) => return Err(wrong_type(&format!("{}{sp}/optional", self.base), "a boolean", other)),
        };
        self.sites.push(RefSite { kind, name, optional, pointer: format!("{sp}/{name_key}"), init });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::{Version, NEWEST};
    use serde_json::json;

    fn spec() -> Value {
        json!({
            "volumes": [
                {"name": "a", "configMap": {"name": "cm-vol", "optional": true}},
                {"name": "b", "secret": {"secretName": "s-vol"}},
                {"name": "c", "projected": {"sources": [{"configMap": {"name": "cm-proj"}}, {"secret": {"name": "s-proj"}}, {"downwardAPI": {}}]}},
                {"name": "d", "emptyDir": {}}
            ],
            "containers": [{"name": "app", "env": [
                {"name": "X", "value": "1"},
                {"name": "Y", "valueFrom": {"configMapKeyRef": {"name": "cm-env", "key": "k", "optional": false}}},
                {"name": "Z", "valueFrom": {"secretKeyRef": {"name": "s-env", "key": "k"}}}
            ], "envFrom": [{"configMapRef": {"name": "cm-from"}}, {"secretRef": {"name": "s-from"}}]}],
            "initContainers": [{"name": "init", "envFrom": [{"configMapRef": {"name": "cm-init"}}]}]
        })
    }

    #[test]
    fn finds_every_site_in_flagger_order() {
        let s = spec();
        let sites = scan(&s, "/p", &Behaviour::for_version(NEWEST)).unwrap();
        let names: Vec<_> = sites.iter().map(|s| (s.name, s.optional, s.init)).collect();
        assert_eq!(
            names,
            vec![
                ("cm-vol", Some(true), false),
                ("s-vol", None, false),
                ("cm-proj", None, false),
                ("s-proj", None, false),
                ("cm-env", Some(false), false),
                ("s-env", None, false),
                ("cm-from", None, false),
                ("s-from", None, false),
                ("cm-init", None, true),
            ]
        );
        assert_eq!(sites[2].pointer, "/volumes/2/projected/sources/0/configMap/name");
        assert_eq!(sites[8].pointer, "/initContainers/0/envFrom/0/configMapRef/name");
    }

    #[test]
    fn old_versions_skip_projected_and_init() {
        let s = spec();
        let sites = scan(&s, "", &Behaviour::for_version(Version(0, 25, 0))).unwrap();
        assert!(sites.iter().all(|s| !s.name.contains("proj") && !s.init));
        assert_eq!(sites.len(), 6);
    }

    #[test]
    fn wrong_types_name_the_path() {
        let bad = json!({"volumes": {"name": "x"}});
        let e = scan(&bad, "/objects/1/spec/template/spec", &Behaviour::for_version(NEWEST)).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("/objects/1/spec/template/spec/volumes"));
        let bad = json!({"containers": [{"envFrom": [{"configMapRef": {"name": "x", "optional": "yes"}}]}]});
        let e = scan(&bad, "", &Behaviour::for_version(NEWEST)).unwrap_err();
        assert_eq!(e.path.as_deref(), Some("/containers/0/envFrom/0/configMapRef/optional"));
    }
}
