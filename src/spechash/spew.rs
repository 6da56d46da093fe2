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

use super::chunk::{Chunk, Chunks, RunId};
use super::layout::{Catalog, Def, Field, Key, Layout, Ty};
use super::quantity::{self, QuantityError};
use super::tape::{Node, Tape, J};
use std::borrow::Cow;
use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpewError {
    /// Go's decoder rejects the object (Flagger could not read it either).
    Decode { path: String, message: String },
    /// Decodable, but its hash cannot be reproduced exactly.
    Unsupported { path: String, reason: String },
    /// The generated layout lacks a type it references (a generator bug).
    Layout(String),
}

impl SpewError {
    /// Errors carry their JSON pointer, built as they unwind (no path is
    /// kept while printing).
    fn within(mut self, segment: &str) -> SpewError {
        if let SpewError::Decode { path, .. } | SpewError::Unsupported { path, .. } = &mut self {
            *path = format!("/{}{path}", segment.replace('~', "~0").replace('/', "~1"));
        }
        self
    }
}

fn decode_err(message: impl Into<String>) -> SpewError {
    SpewError::Decode { path: String::new(), message: message.into() }
}

fn unsupported(reason: impl Into<String>) -> SpewError {
    SpewError::Unsupported { path: String::new(), reason: reason.into() }
}

/// No cached `(type)` text: work it out.
const NO_ID: u16 = u16::MAX;

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
    #[inline(always)]
    fn push_str(&mut self, s: &str) {
        let mut h = self.fnv;
        for &b in s.as_bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
        self.fnv = h;
        self.len += s.len() as u64;
        if let Some(t) = &mut self.text {
            t.push_str(s);
        }
    }
}

impl std::fmt::Write for Out {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

pub struct Printer<'a> {
    layout: &'a Layout,
    prefixes: &'static [String],
    pub out: Out,
    depth: usize,
    /// Struct types the walk reached, when asked for (what an upgrade's new
    /// fields can touch).
    /// Key ids, in the order first reached.
    pub visited: Option<Vec<u16>>,
    /// Constant runs of text hashed as chunks (see [`super::chunk`]).
    chunks: Option<(&'a mut Chunks, &'static Catalog)>,
    /// The deepest `depth` a value was printed at.
    deepest: usize,
    /// The fields the structs being printed set: (field, member's node).
    set: Vec<(u16, u32)>,
}

/// Where a value comes from: decoded JSON (matched by JSON names) or a
/// value built here for a custom decoder's result (matched by Go names).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Json,
    Go,
}

impl<'a> Printer<'a> {
    /// `keep_text`: also keep the text (`out.text`), not only its hash;
    /// `track`: record the struct types reached in `visited`.
    pub fn new(layout: &'a Layout, keep_text: bool, track: bool) -> Self {
        let out = Out { fnv: 0x811c_9dc5, len: 0, text: keep_text.then(String::new) };
        Printer {
            layout,
            prefixes: super::layout::type_prefixes(),
            out,
            depth: 0,
            visited: track.then(Vec::new),
            chunks: None,
            deepest: 0,
            set: Vec::new(),
        }
    }

    /// Hashes constant runs through `chunks` (only when the text is not
    /// kept and no types are tracked: a chunk's text is not walked).
    pub fn with_chunks(mut self, chunks: &'a mut Chunks) -> Self {
        if self.out.text.is_none() && self.visited.is_none() {
            self.chunks = super::layout::catalog().ok().map(|c| (chunks, c));
        }
        self
    }

    /// Prints the root value of type `key` as spew prints an interface
    /// argument: with its type.
    pub fn root(&mut self, key: &'static str, v: Node) -> Result<(), SpewError> {
        let id = super::layout::key_id(key).ok_or_else(|| SpewError::Layout(format!("no type {key}")))?;
        let name = super::layout::display_name(key);
        let ty = Ty::Named(Key { name, id, custom: 0 });
        self.value(&ty, NO_ID, Some(v), false, Mode::Json)
    }

    fn def(&mut self, key: Key) -> Result<&'static Def, SpewError> {
        let d = self
            .layout
            .by_id(key.id)
            .ok_or_else(|| SpewError::Layout(format!("{}: no type {}", self.layout.name, key.name)))?;
        if let (Some(v), Def::Struct(_)) = (&mut self.visited, d) {
            if !v.contains(&key.id) {
                v.push(key.id);
            }
        }
        Ok(d)
    }

    /// `(type)`: cached by type id (`NO_ID`: worked out here).
    fn type_prefix(&mut self, ty: &Ty, ty_id: u16) {
        match self.prefixes.get(usize::from(ty_id)) {
            Some(p) => self.out.push_str(p),
            None => {
                self.out.push_str("(");
                ty.go_string(&mut |s| self.out.push_str(s));
                self.out.push_str(")");
            }
        }
    }

    /// `v`: `None` (absent) and `Some(Null)` both mean the zero value.
    /// `ty_id`: `ty`'s id for the cached `(type)` text, or `NO_ID`.
    fn value(&mut self, ty: &Ty, ty_id: u16, v: Option<Node>, ignore_type: bool, mode: Mode) -> Result<(), SpewError> {
        if self.depth > MAX_DEPTH {
            return Err(unsupported("nesting deeper than any Kubernetes type"));
        }
        self.deepest = self.deepest.max(self.depth);
        if self.out.len > MAX_TEXT {
            return Err(unsupported("a spec whose Go text exceeds 256 MiB"));
        }
        let v = v.filter(|v| *v.j() != J::Null);
        if let Ty::Ptr(elem) = ty {
            // formatPtr: `(*T)` (or `<*>` where types are left out), then the
            // element without its type; a nil pointer prints `<nil>`.
            if ignore_type {
                self.out.push_str(if v.is_some() { "<*>" } else { "<nil>" });
            } else {
                self.type_prefix(ty, ty_id);
                if v.is_none() {
                    self.out.push_str("<nil>");
                }
            }
            if v.is_some() {
                self.depth += 1;
                let r = self.value(elem, NO_ID, v, true, mode);
                self.depth -= 1;
                r?;
            }
            return Ok(());
        }
        if !ignore_type {
            self.type_prefix(ty, ty_id);
        }
        self.depth += 1;
        let r = match ty {
            Ty::Named(key) => self.named(*key, v, mode),
            _ => self.underlying(ty, v, mode),
        };
        self.depth -= 1;
        r
    }

    fn named(&mut self, key: Key, v: Option<Node>, mode: Mode) -> Result<(), SpewError> {
        if mode == Mode::Json && key.custom != 0 {
            // A custom decoder's zero value is the zero struct (no value to build).
            if v.is_none() && key.custom != 1 {
                return self.underlying_def(key, None, Mode::Go);
            }
            let special = self.custom_decoded(key.custom, v)?;
            return self.underlying_def(key, Some(special.root()), Mode::Go);
        }
        self.underlying_def(key, v, mode)
    }

    fn underlying_def(&mut self, key: Key, v: Option<Node>, mode: Mode) -> Result<(), SpewError> {
        match self.def(key)? {
            Def::Struct(fields) => self.structure(fields, v, mode),
            Def::Named(under) => self.underlying(under, v, mode),
        }
    }

    /// Types with their own `UnmarshalJSON`: the value they decode to,
    /// built with Go field names.
    fn custom_decoded(&self, custom: u8, v: Option<Node>) -> Result<Tape<'static>, SpewError> {
        let mut t = Tape::default();
        let root =
            match custom {
                // resource.Quantity
                1 => {
                    let raw = match v.map(|v| v.j()) {
                        None => "null".to_owned(),
                        Some(J::Str(s)) => format!("\"{s}\""),
                        // As serde_json prints the number (as the reference read it).
                        Some(J::Pos(n)) => serde_json::Number::from(*n).to_string(),
                        Some(J::Neg(n)) => serde_json::Number::from(*n).to_string(),
                        Some(J::Float(f)) => {
                            serde_json::Number::from_f64(*f).map_or_else(|| "null".into(), |n| n.to_string())
                        }
                        Some(J::Bool(b)) => b.to_string(),
                        Some(_) => return Err(decode_err("quantities must be a string or a number")),
                    };
                    let q = quantity::from_json_token(&raw).map_err(|e| match e {
                        QuantityError::Invalid(m) => decode_err(m),
                        QuantityError::Unsupported(m) => unsupported(m),
                    })?;
                    let dec = match q.dec {
                        None => J::Null,
                        Some(d) => {
                            let abs = t.uints(&d.words);
                            let unscaled = t.obj(&mut [("neg", J::Bool(d.neg)), ("abs", abs)]);
                            t.obj(&mut [("unscaled", unscaled), ("scale", J::int(d.scale.into()))])
                        }
                    };
                    let i = t.obj(&mut [("value", J::int(q.value)), ("scale", J::int(q.scale.into()))]);
                    let d = t.obj(&mut [("Dec", dec)]);
                    t.obj(&mut [
                        ("i", i),
                        ("d", d),
                        ("s", J::Str(Cow::Owned(q.s))),
                        ("Format", J::Str(Cow::Borrowed(q.format))),
                    ])
                }
                // intstr.IntOrString
                2 => match v.map(|v| v.j()) {
                    None => t.obj(&mut []),
                    Some(J::Str(s)) => t.obj(&mut [("Type", J::Pos(1)), ("StrVal", J::Str(Cow::Owned(s.to_string())))]),
                    Some(J::Pos(n)) if i32::try_from(*n).is_ok() => {
                        t.obj(&mut [("Type", J::Pos(0)), ("IntVal", J::Pos(*n))])
                    }
                    Some(J::Neg(n)) if i32::try_from(*n).is_ok() => {
                        t.obj(&mut [("Type", J::Pos(0)), ("IntVal", J::Neg(*n))])
                    }
                    Some(J::Pos(_) | J::Neg(_) | J::Float(_)) => {
                        return Err(decode_err("an int-or-string number must be an int32"))
                    }
                    Some(_) => return Err(decode_err("an int-or-string must be a string or a number")),
                },
                // metav1.Time, metav1.MicroTime
                3 => match v {
                    None => t.obj(&mut []),
                    Some(v) if matches!(v.j(), J::Str(_)) => return Err(unsupported(
                        "a non-null timestamp: Flagger stores it in its process's local time zone, which spew prints",
                    )),
                    Some(_) => return Err(decode_err("a timestamp must be a string")),
                },
                // metav1.FieldsV1
                _ => match v {
                    None => t.obj(&mut []),
                    Some(_) => return Err(unsupported("managedFields inside the hashed spec")),
                },
            };
        Ok(t.finish(root))
    }

    fn underlying(&mut self, ty: &Ty, v: Option<Node>, mode: Mode) -> Result<(), SpewError> {
        match ty {
            Ty::Bool => match v.map(|v| v.j()) {
                None => self.out.push_str("false"),
                Some(J::Bool(b)) => self.out.push_str(if *b { "true" } else { "false" }),
                Some(_) => return Err(decode_err("expected a boolean")),
            },
            Ty::Str => match v.map(|v| v.j()) {
                None => {}
                Some(J::Str(s)) => self.out.push_str(s),
                Some(_) => return Err(decode_err("expected a string")),
            },
            Ty::Int(_, bits) => {
                let n = match v.map(|v| v.j()) {
                    None => 0,
                    Some(J::Pos(_) | J::Neg(_) | J::Float(_)) => v
                        .and_then(as_i64)
                        .filter(|i| fits_signed(*i, *bits))
                        .ok_or_else(|| decode_err(format!("expected an integer that fits in {bits} bits")))?,
                    Some(_) => return Err(decode_err("expected an integer")),
                };
                let _ = write!(self.out, "{n}");
            }
            Ty::Uint(_, bits) => {
                let n = match v.map(|v| v.j()) {
                    None => 0,
                    Some(J::Pos(_) | J::Neg(_) | J::Float(_)) => v
                        .and_then(as_u64)
                        .filter(|u| *bits >= 64 || *u < (1u64 << bits))
                        .ok_or_else(|| decode_err(format!("expected an unsigned integer of {bits} bits")))?,
                    Some(_) => return Err(decode_err("expected an unsigned integer")),
                };
                let _ = write!(self.out, "{n}");
            }
            Ty::Float(_) => return Err(unsupported("a floating-point field")),
            Ty::Slice(elem) => match v.map(|v| (v, v.j())) {
                None => self.out.push_str("<nil>"),
                Some((_, J::Str(_))) if matches!(elem, Ty::Uint(_, 8)) => return Err(unsupported("a []byte field")),
                Some((items, J::Arr(..))) => {
                    self.out.push_str("[");
                    for (i, item) in items.items().enumerate() {
                        if i > 0 {
                            self.out.push_str(" ");
                        }
                        self.value(elem, NO_ID, Some(item), true, mode).map_err(|e| e.within(&i.to_string()))?;
                    }
                    self.out.push_str("]");
                }
                Some(_) => return Err(decode_err("expected a list")),
            },
            Ty::Map(key_ty, val_ty) => match v.map(|v| (v, v.j())) {
                None => self.out.push_str("<nil>"),
                Some((m, J::Obj(..))) => {
                    if !self.is_string_kind(key_ty) {
                        return Err(unsupported("a map whose keys are not strings"));
                    }
                    // SortKeys: Go string order is byte order, as is Rust's.
                    let (names, values): (Vec<&str>, Vec<Node>) = m.members().unzip();
                    self.out.push_str("map[");
                    for (n, i) in crate::order::stable_order(&names).into_iter().enumerate() {
                        let (Some(k), Some(v)) = (names.get(i).copied(), values.get(i).copied()) else { continue };
                        if n > 0 {
                            self.out.push_str(" ");
                        }
                        self.out.push_str(k);
                        self.out.push_str(":");
                        self.value(val_ty, NO_ID, Some(v), true, mode).map_err(|e| e.within(k))?;
                    }
                    self.out.push_str("]");
                }
                Some(_) => return Err(decode_err("expected an object")),
            },
            Ty::Named(key) => return self.named(*key, v, mode),
            Ty::Ptr(_) => return self.value(ty, NO_ID, v, true, mode),
        }
        Ok(())
    }

    fn is_string_kind(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Str => true,
            Ty::Named(k) => matches!(self.layout.by_id(k.id), Some(Def::Named(t)) if self.is_string_kind(t)),
            _ => false,
        }
    }

    fn structure(&mut self, fields: &[Field], v: Option<Node>, mode: Mode) -> Result<(), SpewError> {
        let obj = match v {
            Some(o) if !matches!(o.j(), J::Obj(..)) => return Err(decode_err("expected an object")),
            o => o,
        };
        self.fields(fields, obj, mode, &[])
    }

    /// `shadowed`: JSON names claimed by an enclosing struct's own fields,
    /// which encoding/json gives precedence over an embedded struct's.
    fn fields(&mut self, fields: &[Field], obj: Option<Node>, mode: Mode, shadowed: &[&str]) -> Result<(), SpewError> {
        let mark = self.set.len();
        if mode == Mode::Json && !fields.iter().any(|f| f.embedded) {
            if let Some(offset) = self.set_fields(fields, obj, shadowed) {
                let r = self.fields_in_runs(fields, offset, obj, mark, shadowed);
                self.set.truncate(mark);
                return r;
            }
        }
        self.out.push_str("{");
        for (i, f) in fields.iter().enumerate() {
            self.field_name(i, f);
            if f.embedded && mode == Mode::Json {
                self.embedded(f, fields, obj, shadowed)?;
                continue;
            }
            let key = match mode {
                Mode::Json => f.json.filter(|k| !shadowed.contains(k)),
                Mode::Go => Some(f.go_name),
            };
            let fv = key.and_then(|k| obj.and_then(|o| o.member(k)));
            self.value(f.ty, f.ty_id, fv, false, mode).map_err(|e| e.within(key.unwrap_or_default()))?;
        }
        self.out.push_str("}");
        Ok(())
    }

    /// [`Self::fields`] of a struct without embedded fields, as constant
    /// runs (each from after a set field's value to the next set field's
    /// `Name:(type)`, or to the closing brace) and the set values between.
    fn fields_in_runs(
        &mut self,
        fields: &[Field],
        offset: usize,
        obj: Option<Node>,
        mark: usize,
        shadowed: &[&str],
    ) -> Result<(), SpewError> {
        let mut from = 0;
        for j in mark.. {
            let (Some(&(i, at)), Some(o)) = (self.set.get(j), obj) else { break };
            let (i, v) = (usize::from(i), o.at(at as usize));
            let Some(f) = fields.get(i) else { break };
            self.run(fields, offset, from, i, shadowed)?;
            // The value after its `(type)`, as `value` prints it.
            let r = match f.ty {
                Ty::Ptr(elem) => {
                    self.depth += 1;
                    let r = self.value(elem, NO_ID, Some(v), true, Mode::Json);
                    self.depth -= 1;
                    r
                }
                _ => self.value(f.ty, f.ty_id, Some(v), true, Mode::Json),
            };
            r.map_err(|e| e.within(f.json.unwrap_or_default()))?;
            from = i + 1;
        }
        self.run(fields, offset, from, fields.len(), shadowed)
    }

    /// The fields `obj` sets (not null, not shadowed) onto `set`, in field
    /// order; the struct's offset, or `None` without chunks. Each member's
    /// field is looked for from the field after the last one found: the API
    /// server writes members in field order, so this is one pass. (No
    /// struct has two fields with one JSON name: a layout test.)
    /// Without `fast-paths` (no chunks) `None` always, so no chunk code is built in.
    fn set_fields(&mut self, fields: &[Field], obj: Option<Node>, shadowed: &[&str]) -> Option<usize> {
        if !cfg!(feature = "fast-paths") {
            return None;
        }
        let (_, catalog) = self.chunks.as_ref()?;
        let offset = catalog.field_offset(fields).filter(|_| !fields.is_empty())?;
        let mark = self.set.len();
        let n = fields.len();
        let mut next = 0;
        for (k, v) in obj.into_iter().flat_map(Node::members) {
            if *v.j() == J::Null || shadowed.contains(&k) {
                continue;
            }
            // Plain loops: iterator adapters are not inlined at opt-level "z".
            let mut i = next;
            for _ in 0..n {
                if i >= n {
                    i = 0;
                }
                if fields.get(i).and_then(|f| f.json) == Some(k) {
                    self.set.push((u16::try_from(i).ok()?, v.index() as u32));
                    next = i + 1;
                    break;
                }
                i += 1;
            }
        }
        let set = self.set.get_mut(mark..)?;
        for j in 1..set.len() {
            let mut k = j;
            while k > 0 && set.get(k - 1).map(|x| x.0) > set.get(k).map(|x| x.0) {
                set.swap(k - 1, k);
                k -= 1;
            }
        }
        Some(offset)
    }

    /// The constant text from field `from` (left out, as all up to `to`)
    /// to field `to`'s `Name:(type)` (or the closing brace): one chunk
    /// when it can be, else printed.
    fn run(
        &mut self,
        fields: &[Field],
        offset: usize,
        from: usize,
        to: usize,
        shadowed: &[&str],
    ) -> Result<(), SpewError> {
        let n = fields.len();
        if let Some((chunks, catalog)) = &mut self.chunks {
            let id = RunId {
                layout: self.layout.index,
                offset,
                from: u16::try_from(from).unwrap_or(u16::MAX),
                to: u16::try_from(to).unwrap_or(u16::MAX),
            };
            let layout = self.layout;
            let made = chunks.get(id, n, catalog.field_count(), || run_text(layout, fields, from, to));
            if let Some(held) = made {
                let len = held.chunk.text.len() as u64;
                // Used only where printing the run could not fail: not too deep, not past the text limit.
                if self.depth + held.chunk.deepest <= MAX_DEPTH && self.out.len + len <= MAX_TEXT {
                    self.out.fnv = held.hash(self.out.fnv);
                    self.out.len += len;
                    return Ok(());
                }
            }
        }
        if from == 0 {
            self.out.push_str("{");
        }
        for (i, f) in fields.iter().enumerate().take(to).skip(from) {
            self.field_name(i, f);
            let key = f.json.filter(|k| !shadowed.contains(k));
            self.value(f.ty, f.ty_id, None, false, Mode::Json).map_err(|e| e.within(key.unwrap_or_default()))?;
        }
        match fields.get(to) {
            Some(f) => {
                self.field_name(to, f);
                self.type_prefix(f.ty, f.ty_id);
            }
            None => self.out.push_str("}"),
        }
        Ok(())
    }

    /// `Name:` of field `i`, after a space from the second field on.
    fn field_name(&mut self, i: usize, f: &Field) {
        if i > 0 {
            self.out.push_str(" ");
        }
        self.out.push_str(f.go_name);
        self.out.push_str(":");
    }

    /// An embedded (inline) struct reads its fields from the same object.
    fn embedded(
        &mut self,
        f: &Field,
        siblings: &[Field],
        obj: Option<Node>,
        shadowed: &[&str],
    ) -> Result<(), SpewError> {
        let key = match f.ty {
            Ty::Named(k) => *k,
            _ => return Err(unsupported("an embedded pointer or non-struct field")),
        };
        let inner = match self.def(key)? {
            Def::Struct(fs) => fs,
            Def::Named(_) => return Err(unsupported("an embedded non-struct type")),
        };
        let mut shadow: Vec<&str> = shadowed.to_vec();
        shadow.extend(siblings.iter().filter(|s| !s.embedded).filter_map(|s| s.json));
        self.type_prefix(f.ty, f.ty_id);
        self.fields(inner, obj, Mode::Json, &shadow)
    }
}

fn as_i64(v: Node) -> Option<i64> {
    match v.j() {
        J::Pos(u) => i64::try_from(*u).ok(),
        J::Neg(i) => Some(*i),
        _ => None,
    }
}

fn as_u64(v: Node) -> Option<u64> {
    match v.j() {
        J::Pos(u) => Some(*u),
        _ => None,
    }
}

fn fits_signed(i: i64, bits: u32) -> bool {
    bits >= 64 || (i >= -(1i64 << (bits - 1)) && i < (1i64 << (bits - 1)))
}

/// A run's text (see `Printer::run`), printed on its own; `None` when
/// printing it fails (the printer then prints the run and meets the error).
fn run_text(layout: &Layout, fields: &[Field], from: usize, to: usize) -> Option<Chunk> {
    let mut p = Printer::new(layout, true, false);
    p.run(fields, 0, from, to, &[]).ok()?;
    Some(Chunk::new(p.out.text?, p.deepest))
}
