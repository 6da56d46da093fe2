//! go-spew's `%#v` text of the typed Go value that client-go's JSON decoder
//! builds from an object, produced in one walk over the type layout and the
//! JSON value (no Go value is materialised).
//!
//! Decoder rules (apimachinery's case-sensitive JSON decoding): keys match a
//! field's JSON name exactly, others are dropped; `null` leaves the zero
//! value; `[]`/`{}` give empty non-nil slices/maps (spew prints `[]`/`map[]`,
//! not `<nil>`); a wrong JSON type or a non-integer for an integer is a
//! decode error. Printer rules (go-spew `ConfigState{SortKeys, DisableMethods}`
//! formatter with `#`): every struct field, set or not, as `Name:(type)value`;
//! the type is left out for slice elements, map keys and values and after a
//! pointer's own `(*T)`; map keys sorted by their string bytes.

use super::layout::{Def, Field, Layout, Ty};
use super::quantity::{self, QuantityError};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpewError {
    /// Go's decoder rejects the object (Flagger could not read it either).
    Decode { path: String, message: String },
    /// Decodable, but its hash cannot be reproduced exactly.
    Unsupported { path: String, reason: String },
    /// The generated layout lacks a type it references (a generator bug).
    Layout(String),
}

/// Recursion bound: the deepest real pod template is ~12 types deep.
const MAX_DEPTH: usize = 64;

/// Spew text larger than this is refused (a real pod template prints a few
/// KiB; a hostile list of empty containers prints ~1.5 KiB per 3 input bytes).
pub const MAX_TEXT: u64 = 256 * 1024 * 1024;

/// Where the text goes: into FNV-32a as it is written, so memory stays
/// constant, and into a string only when asked for (tests, debugging).
pub struct Out {
    pub fnv: u32,
    pub len: u64,
    pub text: Option<String>,
}

impl Out {
    fn push_str(&mut self, s: &str) {
        self.fnv = s.bytes().fold(self.fnv, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
        self.len += s.len() as u64;
        if let Some(t) = &mut self.text {
            t.push_str(s);
        }
    }
    fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }
}

pub struct Printer<'a> {
    layout: &'a Layout,
    pub out: Out,
    /// Reused buffer for type names.
    scratch: String,
    path: Vec<String>,
    /// Struct types the walk reached (what an upgrade's new fields can touch).
    pub visited: BTreeSet<&'static str>,
}

/// Where a value comes from: decoded JSON (matched by JSON names) or a
/// value built here for a custom decoder's result (matched by Go names).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Json,
    Go,
}

impl<'a> Printer<'a> {
    /// `keep_text`: also keep the text (`out.text`), not only its hash.
    pub fn new(layout: &'a Layout, keep_text: bool) -> Self {
        let out = Out { fnv: 0x811c_9dc5, len: 0, text: keep_text.then(String::new) };
        Printer { layout, out, scratch: String::new(), path: Vec::new(), visited: BTreeSet::new() }
    }

    /// Prints the root value of type `key` as spew prints an interface
    /// argument: with its type.
    pub fn root(&mut self, key: &'static str, v: &Value) -> Result<(), SpewError> {
        self.value(&Ty::Named(key), Some(v), false, Mode::Json)
    }

    fn decode_err(&self, message: impl Into<String>) -> SpewError {
        SpewError::Decode { path: self.pointer(), message: message.into() }
    }

    fn unsupported(&self, reason: impl Into<String>) -> SpewError {
        SpewError::Unsupported { path: self.pointer(), reason: reason.into() }
    }

    fn pointer(&self) -> String {
        self.path.iter().map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1"))).collect()
    }

    fn type_prefix(&mut self, ty: &Ty) {
        let mut s = std::mem::take(&mut self.scratch);
        s.clear();
        s.push('(');
        ty.go_string(&mut s);
        s.push(')');
        self.out.push_str(&s);
        self.scratch = s;
    }

    fn def(&mut self, key: &str) -> Result<&'static Def, SpewError> {
        let (k, d) =
            self.layout.get(key).ok_or_else(|| SpewError::Layout(format!("{}: no type {key}", self.layout.name)))?;
        if matches!(d, Def::Struct(_)) {
            self.visited.insert(k);
        }
        Ok(d)
    }

    /// `v`: `None` (absent) and `Some(Null)` both mean the zero value.
    fn value(&mut self, ty: &Ty, v: Option<&Value>, ignore_type: bool, mode: Mode) -> Result<(), SpewError> {
        if self.path.len() > MAX_DEPTH {
            return Err(self.unsupported("nesting deeper than any Kubernetes type"));
        }
        if self.out.len > MAX_TEXT {
            return Err(self.unsupported("a spec whose Go text exceeds 256 MiB"));
        }
        let v = v.filter(|v| !v.is_null());
        if let Ty::Ptr(elem) = ty {
            // formatPtr: `(*T)` (or `<*>` where types are left out), then the
            // element without its type; a nil pointer prints `<nil>`.
            match (v, ignore_type) {
                (None, true) => self.out.push_str("<nil>"),
                (None, false) => {
                    self.type_prefix(ty);
                    self.out.push_str("<nil>");
                }
                (Some(_), ignore) => {
                    if ignore {
                        self.out.push_str("<*>");
                    } else {
                        self.type_prefix(ty);
                    }
                    self.value(elem, v, true, mode)?;
                }
            }
            return Ok(());
        }
        if !ignore_type {
            self.type_prefix(ty);
        }
        match ty {
            Ty::Named(key) => self.named(key, v, mode),
            _ => self.underlying(ty, v, mode),
        }
    }

    fn named(&mut self, key: &str, v: Option<&Value>, mode: Mode) -> Result<(), SpewError> {
        if mode == Mode::Json {
            if let Some(special) = self.custom_decoded(key, v)? {
                return self.underlying_def(key, Some(&special), Mode::Go);
            }
        }
        self.underlying_def(key, v, mode)
    }

    fn underlying_def(&mut self, key: &str, v: Option<&Value>, mode: Mode) -> Result<(), SpewError> {
        match self.def(key)? {
            Def::Struct(fields) => self.structure(fields, v, mode),
            Def::Named(under) => self.underlying(under, v, mode),
        }
    }

    /// Types with their own `UnmarshalJSON`: the value they decode to,
    /// rebuilt with Go field names.
    fn custom_decoded(&self, key: &str, v: Option<&Value>) -> Result<Option<Value>, SpewError> {
        Ok(Some(match key {
            "resource.Quantity" => {
                let raw = match v {
                    None => "null".to_owned(),
                    Some(Value::String(s)) => format!("\"{s}\""),
                    Some(Value::Number(n)) => n.to_string(),
                    Some(Value::Bool(b)) => b.to_string(),
                    Some(_) => return Err(self.decode_err("quantities must be a string or a number")),
                };
                let q = quantity::from_json_token(&raw).map_err(|e| match e {
                    QuantityError::Invalid(m) => self.decode_err(m),
                    QuantityError::Unsupported(m) => self.unsupported(m),
                })?;
                let dec = q.dec.map(|d| json!({"unscaled": {"neg": d.neg, "abs": d.words}, "scale": d.scale}));
                json!({"i": {"value": q.value, "scale": q.scale}, "d": {"Dec": dec}, "s": q.s, "Format": q.format})
            }
            "intstr.IntOrString" => match v {
                None => json!({}),
                Some(Value::String(s)) => json!({"Type": 1, "StrVal": s}),
                Some(Value::Number(n)) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
                    Some(i) => json!({"Type": 0, "IntVal": i}),
                    None => return Err(self.decode_err("an int-or-string number must be an int32")),
                },
                Some(_) => return Err(self.decode_err("an int-or-string must be a string or a number")),
            },
            "metav1.Time" | "metav1.MicroTime" => {
                match v {
                    None => json!({}),
                    Some(Value::String(_)) => return Err(self.unsupported(
                        "a non-null timestamp: Flagger stores it in its process's local time zone, which spew prints",
                    )),
                    Some(_) => return Err(self.decode_err("a timestamp must be a string")),
                }
            }
            "metav1.FieldsV1" => match v {
                None => json!({}),
                Some(_) => return Err(self.unsupported("managedFields inside the hashed spec")),
            },
            _ => return Ok(None),
        }))
    }

    fn underlying(&mut self, ty: &Ty, v: Option<&Value>, mode: Mode) -> Result<(), SpewError> {
        match ty {
            Ty::Bool => match v {
                None => self.out.push_str("false"),
                Some(Value::Bool(b)) => self.out.push_str(if *b { "true" } else { "false" }),
                Some(_) => return Err(self.decode_err("expected a boolean")),
            },
            Ty::Str => match v {
                None => {}
                Some(Value::String(s)) => self.out.push_str(s),
                Some(_) => return Err(self.decode_err("expected a string")),
            },
            Ty::Int(_, bits) => {
                let n = match v {
                    None => 0,
                    Some(Value::Number(n)) => n
                        .as_i64()
                        .filter(|i| fits_signed(*i, *bits))
                        .ok_or_else(|| self.decode_err(format!("expected an integer that fits in {bits} bits")))?,
                    Some(_) => return Err(self.decode_err("expected an integer")),
                };
                self.out.push_str(&n.to_string());
            }
            Ty::Uint(_, bits) => {
                let n = match v {
                    None => 0,
                    Some(Value::Number(n)) => n
                        .as_u64()
                        .filter(|u| *bits >= 64 || *u < (1u64 << bits))
                        .ok_or_else(|| self.decode_err(format!("expected an unsigned integer of {bits} bits")))?,
                    Some(_) => return Err(self.decode_err("expected an unsigned integer")),
                };
                self.out.push_str(&n.to_string());
            }
            Ty::Float(_) => return Err(self.unsupported("a floating-point field")),
            Ty::Slice(elem) => match v {
                None => self.out.push_str("<nil>"),
                Some(Value::String(_)) if matches!(elem, Ty::Uint(_, 8)) => {
                    return Err(self.unsupported("a []byte field"))
                }
                Some(Value::Array(items)) => {
                    self.out.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.out.push(' ');
                        }
                        self.path.push(i.to_string());
                        self.value(elem, Some(item), true, mode)?;
                        self.path.pop();
                    }
                    self.out.push(']');
                }
                Some(_) => return Err(self.decode_err("expected a list")),
            },
            Ty::Map(key_ty, val_ty) => match v {
                None => self.out.push_str("<nil>"),
                Some(Value::Object(m)) => {
                    if !matches!(key_ty, Ty::Str) && !self.is_string_kind(key_ty) {
                        return Err(self.unsupported("a map whose keys are not strings"));
                    }
                    // SortKeys: Go string order is byte order, as is Rust's.
                    let names: Vec<&str> = m.keys().map(String::as_str).collect();
                    let keys: Vec<&str> =
                        crate::order::stable_order(&names).into_iter().filter_map(|i| names.get(i).copied()).collect();
                    self.out.push_str("map[");
                    for (i, k) in keys.into_iter().enumerate() {
                        if i > 0 {
                            self.out.push(' ');
                        }
                        self.out.push_str(k);
                        self.out.push(':');
                        self.path.push(k.to_owned());
                        self.value(val_ty, m.get(k), true, mode)?;
                        self.path.pop();
                    }
                    self.out.push(']');
                }
                Some(_) => return Err(self.decode_err("expected an object")),
            },
            Ty::Named(key) => return self.named(key, v, mode),
            Ty::Ptr(_) => return self.value(ty, v, true, mode),
        }
        Ok(())
    }

    fn is_string_kind(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Str => true,
            Ty::Named(k) => matches!(self.layout.get(k), Some((_, Def::Named(t))) if self.is_string_kind(t)),
            _ => false,
        }
    }

    fn structure(&mut self, fields: &[Field], v: Option<&Value>, mode: Mode) -> Result<(), SpewError> {
        let obj = match v {
            None => None,
            Some(Value::Object(m)) => Some(m),
            Some(_) => return Err(self.decode_err("expected an object")),
        };
        self.fields(fields, obj, mode, &[])
    }

    /// `shadowed`: JSON names claimed by an enclosing struct's own fields,
    /// which encoding/json gives precedence over an embedded struct's.
    fn fields(
        &mut self,
        fields: &[Field],
        obj: Option<&Map<String, Value>>,
        mode: Mode,
        shadowed: &[&str],
    ) -> Result<(), SpewError> {
        self.out.push('{');
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            self.out.push_str(f.go_name);
            self.out.push(':');
            if f.embedded && mode == Mode::Json {
                self.embedded(f, fields, obj, shadowed)?;
                continue;
            }
            let key = match mode {
                Mode::Json => f.json.filter(|k| !shadowed.contains(k)),
                Mode::Go => Some(f.go_name),
            };
            let fv = key.and_then(|k| obj.and_then(|o| o.get(k)));
            if let Some(k) = key.filter(|_| fv.is_some()) {
                self.path.push(k.to_owned());
            }
            let pushed = fv.is_some() && key.is_some();
            self.value(f.ty, fv, false, mode)?;
            if pushed {
                self.path.pop();
            }
        }
        self.out.push('}');
        Ok(())
    }

    /// An embedded (inline) struct reads its fields from the same object.
    fn embedded(
        &mut self,
        f: &Field,
        siblings: &[Field],
        obj: Option<&Map<String, Value>>,
        shadowed: &[&str],
    ) -> Result<(), SpewError> {
        let key = match f.ty {
            Ty::Named(k) => k,
            _ => return Err(self.unsupported("an embedded pointer or non-struct field")),
        };
        let inner = match self.def(key)? {
            Def::Struct(fs) => fs,
            Def::Named(_) => return Err(self.unsupported("an embedded non-struct type")),
        };
        let mut shadow: Vec<&str> = shadowed.to_vec();
        shadow.extend(siblings.iter().filter(|s| !s.embedded).filter_map(|s| s.json));
        self.type_prefix(f.ty);
        self.fields(inner, obj, Mode::Json, &shadow)
    }
}

fn fits_signed(i: i64, bits: u32) -> bool {
    bits >= 64 || (i >= -(1i64 << (bits - 1)) && i < (1i64 << (bits - 1)))
}
