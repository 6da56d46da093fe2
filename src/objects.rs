//! Step 1, normalise: index the bag of objects by kind/namespace/name (one
//! pass, so planning is linear in the bag) and read objects as the API server
//! would store them (default namespace, Secret `stringData` merged, `type`
//! defaulted).

use crate::checksum::{type_name, ConfigKind, Escaping, GoData};
use crate::error::{pointer_segment, Error, ErrorCode, Result, Warning, WarningCode};
use base64::Engine as _;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::RefCell;

/// One indexed object of the request.
#[derive(Debug, Clone, Copy)]
pub struct Obj<'a> {
    /// Position in `objects`, for JSON paths (`None`: a lone object).
    pub index: Option<usize>,
    pub value: &'a Value,
    pub api_version: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: &'a str,
}

impl<'a> Obj<'a> {
    /// JSON pointer of this object, or of `suffix` inside it.
    pub fn path(&self, suffix: &str) -> String {
        match self.index {
            Some(i) => format!("/objects/{i}{suffix}"),
            None => suffix.to_owned(),
        }
    }
    pub fn get(&self, pointer: &str) -> Option<&'a Value> {
        self.value.pointer(pointer).filter(|v| !v.is_null())
    }
    /// An optional field that must be an object when present.
    pub fn object_at(&self, pointer: &str) -> Result<Option<&'a Map<String, Value>>> {
        match self.get(pointer) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(other) => Err(wrong_type(&self.path(pointer), "an object", other)),
        }
    }
    pub fn str_at(&self, pointer: &str) -> Result<Option<&'a str>> {
        match self.get(pointer) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong_type(&self.path(pointer), "a string", other)),
        }
    }
    /// `metadata.labels` / `annotations` and the like: a string map.
    pub fn string_map_at(&self, pointer: &str) -> Result<Vec<(&'a str, &'a str)>> {
        let Some(m) = self.object_at(pointer)? else { return Ok(Vec::new()) };
        m.iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.as_str(), s.as_str())),
                other => Err(wrong_type(&self.path(&format!("{pointer}/{}", pointer_segment(k))), "a string", other)),
            })
            .collect()
    }
    pub fn group(&self) -> &'a str {
        self.api_version.rsplit_once('/').map_or("", |(g, _)| g)
    }
    pub fn uid(&self) -> Option<&'a str> {
        self.get("/metadata/uid").and_then(Value::as_str)
    }
}

/// A JSON object with these members, in this order. `json!` would pass each
/// non-literal member through serde's `Value` serialiser: a deep copy, and a
/// second instantiation of `Value`'s `Serialize` in the wasm.
pub fn object(members: Vec<(&str, Value)>) -> Value {
    Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

pub fn wrong_type(path: &str, expected: &str, found: &Value) -> Error {
    Error::new(ErrorCode::InvalidObject, format!("expected {expected}, found {}", type_name(found))).at(path)
}

/// The kinds the planner looks up; everything else in the bag is ignored.
const INDEXED: [&str; 6] = ["Canary", "Deployment", "DaemonSet", "Service", "ConfigMap", "Secret"];

/// Objects indexed by (kind, namespace, name). Knative Services are indexed
/// apart from core Services (`knative:Service`) so they are never confused.
pub struct Bag<'a> {
    /// Key → position in `objects`.
    by_key: crate::order::Index,
    objects: Vec<Obj<'a>>,
    /// Canaries, in input order.
    pub canaries: Vec<Obj<'a>>,
    /// Objects that could not be read (no kind, no name…), skipped: the first
    /// [`crate::read::MAX_WARNINGS`], then one `warnings-omitted` for the rest.
    pub warnings: Vec<Warning>,
    /// Each config's checksum (or error), by request position, once computed:
    /// a config tracked by many Canaries is decoded and hashed once.
    sums: RefCell<Vec<Option<Box<Memo>>>>,
}

/// A config's checksum (or error) under one escaping.
type Memo = (Escaping, Result<String>);

impl<'a> Bag<'a> {
    pub fn new(objects: &'a [Value], default_namespace: &'a str) -> Bag<'a> {
        let mut bag = Bag {
            by_key: crate::order::Index::with_capacity(objects.len()),
            objects: Vec::with_capacity(objects.len()),
            canaries: Vec::new(),
            warnings: Vec::new(),
            sums: RefCell::new(Vec::new()),
        };
        let mut omitted: Option<(usize, Option<String>)> = None;
        for (index, value) in objects.iter().enumerate() {
            match read_object(Some(index), value, default_namespace) {
                Ok(Some(obj)) => {
                    let kind = if obj.kind == "Service" && obj.group() == "serving.knative.dev" {
                        "knative:Service"
                    } else {
                        obj.kind
                    };
                    if kind == "Canary" {
                        bag.canaries.push(obj);
                    }
                    // A later duplicate wins, as with `kubectl apply` of the stream.
                    bag.by_key.insert(key(kind, obj.namespace, obj.name), bag.objects.len());
                    bag.objects.push(obj);
                }
                Ok(None) => {}
                // One warning per unreadable object made a 20 MB request of a
                // million `{}` a 113 MB response: the rest are counted.
                Err(e) if bag.warnings.len() >= crate::read::MAX_WARNINGS => {
                    omitted.get_or_insert((0, e.path)).0 += 1;
                }
                Err(e) => bag.warnings.push(Warning {
                    code: WarningCode::InvalidObject,
                    message: format!("object skipped: {}", e.message),
                    reference: None,
                    path: e.path,
                }),
            }
        }
        if let Some((n, path)) = omitted {
            bag.warnings.push(Warning {
                code: WarningCode::WarningsOmitted,
                message: format!(
                    "{n} more objects could not be read and were skipped; only the first {} are listed",
                    crate::read::MAX_WARNINGS
                ),
                reference: None,
                path,
            });
        }
        bag
    }

    /// Flagger's checksum of the config `obj` (a ConfigMap or Secret of this
    /// bag), computed once per request and escaping.
    pub fn checksum(&self, obj: &Obj<'a>, kind: ConfigKind, escaping: Escaping) -> Result<String> {
        self.checksum_or(obj, escaping, || {
            let data = config_data(obj, kind)?;
            Ok(GoData::decode(kind, data.as_deref(), &obj.path("/data"))?.checksum(escaping))
        })
    }

    /// [`Bag::checksum`], computed by `compute` if it is not known yet (for a
    /// caller that has decoded the data anyway).
    pub fn checksum_or(
        &self,
        obj: &Obj<'a>,
        escaping: Escaping,
        compute: impl FnOnce() -> Result<String>,
    ) -> Result<String> {
        let Some(i) = obj.index else { return compute() };
        if let Some(Some(hit)) = self.sums.borrow().get(i) {
            if hit.0 == escaping {
                return hit.1.clone();
            }
        }
        let sum = compute();
        let mut sums = self.sums.borrow_mut();
        if sums.len() <= i {
            sums.resize_with(self.objects.len().max(i + 1), || None);
        }
        if let Some(slot) = sums.get_mut(i) {
            *slot = Some(Box::new((escaping, sum.clone())));
        }
        sum
    }

    pub fn get(&self, kind: &str, namespace: &str, name: &str) -> Option<&Obj<'a>> {
        self.objects.get(*self.by_key.get(&key(kind, namespace, name))?)
    }
}

/// NUL cannot occur in a kind, namespace or name, so keys never collide.
fn key(kind: &str, namespace: &str, name: &str) -> String {
    [kind, namespace, name].join("\0")
}

/// Reads kind/name/namespace; `Ok(None)` for kinds the planner does not use.
pub fn read_object<'a>(index: Option<usize>, value: &'a Value, default_ns: &'a str) -> Result<Option<Obj<'a>>> {
    let at = |p: &str| match index {
        Some(i) => format!("/objects/{i}{p}"),
        None => p.to_owned(),
    };
    let Value::Object(map) = value else { return Err(wrong_type(&at(""), "an object", value)) };
    let kind = match map.get("kind") {
        Some(Value::String(k)) => k.as_str(),
        None | Some(Value::Null) => {
            return Err(Error::new(ErrorCode::InvalidObject, "object has no kind").at(at("/kind")))
        }
        Some(other) => return Err(wrong_type(&at("/kind"), "a string", other)),
    };
    if !INDEXED.contains(&kind) {
        return Ok(None);
    }
    let api_version = match map.get("apiVersion") {
        Some(Value::String(s)) => s.as_str(),
        None | Some(Value::Null) => "",
        Some(other) => return Err(wrong_type(&at("/apiVersion"), "a string", other)),
    };
    let meta = match map.get("metadata") {
        Some(Value::Object(m)) => m,
        None | Some(Value::Null) => {
            return Err(Error::new(ErrorCode::InvalidObject, format!("{kind} has no metadata")).at(at("/metadata")))
        }
        Some(other) => return Err(wrong_type(&at("/metadata"), "an object", other)),
    };
    let name = match meta.get("name") {
        Some(Value::String(s)) if !s.is_empty() => s.as_str(),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            return Err(
                Error::new(ErrorCode::InvalidObject, format!("{kind} has no metadata.name")).at(at("/metadata/name"))
            )
        }
        Some(other) => return Err(wrong_type(&at("/metadata/name"), "a string", other)),
    };
    let namespace = match meta.get("namespace") {
        Some(Value::String(s)) if !s.is_empty() => s.as_str(),
        None | Some(Value::Null) | Some(Value::String(_)) => default_ns,
        Some(other) => return Err(wrong_type(&at("/metadata/namespace"), "a string", other)),
    };
    Ok(Some(Obj { index, value, api_version, kind, name, namespace }))
}

/// A ConfigMap/Secret's `data` as the API server stores it, which is what
/// Flagger reads back and hashes:
/// - a Secret's `stringData` is merged in, base64-encoded, winning over `data`;
/// - a Secret `null` value is stored as empty bytes, read back as `""`;
/// - an empty map is not stored (the field is `omitempty` and storage keeps no
///   empty map), so Flagger reads nil and hashes `null`, not `{}`.
///
/// `None` is that nil map. Borrows unless something changes.
pub fn config_data<'a>(obj: &Obj<'a>, kind: ConfigKind) -> Result<Option<Cow<'a, Value>>> {
    let data = obj.get("/data");
    let string_data = match (kind, obj.get("/stringData")) {
        (ConfigKind::Secret, Some(Value::Object(m))) => Some(m),
        (ConfigKind::Secret, Some(other)) => return Err(wrong_type(&obj.path("/stringData"), "an object", other)),
        _ => None,
    };
    let secret_nulls =
        kind == ConfigKind::Secret && matches!(data, Some(Value::Object(m)) if m.values().any(Value::is_null));
    if string_data.is_none() && !secret_nulls {
        return Ok(match data {
            Some(Value::Object(m)) if m.is_empty() => None,
            // Anything but an object is GoData's error to report, with its path.
            other => other.map(Cow::Borrowed),
        });
    }
    let mut merged = match data {
        None => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(other) => return Err(wrong_type(&obj.path("/data"), "an object", other)),
    };
    for v in merged.values_mut().filter(|v| v.is_null()) {
        *v = Value::String(String::new());
    }
    for (k, v) in string_data.into_iter().flatten() {
        let Value::String(s) = v else {
            return Err(wrong_type(&obj.path(&format!("/stringData/{}", pointer_segment(k))), "a string", v));
        };
        merged.insert(k.clone(), Value::String(base64::engine::general_purpose::STANDARD.encode(s)));
    }
    Ok((!merged.is_empty()).then(|| Cow::Owned(Value::Object(merged))))
}

/// A Secret's type, `Opaque` when unset.
pub fn secret_type<'a>(obj: &Obj<'a>) -> Result<&'a str> {
    Ok(obj.str_at("/type")?.filter(|t| !t.is_empty()).unwrap_or("Opaque"))
}
