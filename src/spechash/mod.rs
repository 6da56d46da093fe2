//! Flagger's spec hash (`status.lastAppliedSpec`): go-spew's `%#v` text of
//! the target's pod template (Deployment, DaemonSet) or Service spec, hashed
//! with FNV-32a, printed in decimal and passed through apimachinery's
//! `rand.SafeEncodeString`. The text depends on the Go types the release
//! links, so each Flagger release maps to a [`layout`].

pub mod chunk;
pub mod defaults;
pub mod layout;
pub mod quantity;
pub mod spew;
pub mod tape;

use serde_json::Value;
use spew::{Printer, SpewError};
use std::borrow::Cow;

/// What is hashed: `spec.template` (PodTemplateSpec) or a Service's `spec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    Template,
    Service,
}

/// The node-selector key Flagger adds to scale a DaemonSet to zero and
/// removes again before hashing.
pub const DAEMONSET_SCALE_DOWN_KEY: &str = "flagger.app/scale-to-zero";

/// The text spew would print for `value` (a PodTemplateSpec or ServiceSpec
/// as JSON) under `layout`.
pub fn spew_text(root: Root, value: &Value, layout_name: &str) -> Result<String, SpewError> {
    let catalog = layout::catalog().map_err(SpewError::Layout)?;
    let layout = catalog.layout(layout_name).map_err(SpewError::Layout)?;
    let mut p = Printer::new(layout, true, false);
    p.root(root_key(catalog, root), tape::Tape::from_value(value).root())?;
    Ok(p.out.text.unwrap_or_default())
}

/// `ComputeHash(x)` for the typed value decoded from `value`, hashed as it
/// is printed (the text is never held in memory).
pub fn hash(root: Root, value: &Value, layout_name: &str) -> Result<String, SpewError> {
    hash_node(root, tape::Tape::from_value(value).root(), layout_name)
}

/// [`hash`] of a value in a [`tape::Tape`].
pub fn hash_node(root: Root, value: tape::Node, layout_name: &str) -> Result<String, SpewError> {
    let catalog = layout::catalog().map_err(SpewError::Layout)?;
    let layout = catalog.layout(layout_name).map_err(SpewError::Layout)?;
    if !cfg!(feature = "fast-paths") {
        let mut p = Printer::new(layout, false, false);
        p.root(root_key(catalog, root), value)?;
        return Ok(encode_sum(p.out.fnv));
    }
    CHUNKS.with(|chunks| {
        let mut chunks = chunks.borrow_mut();
        let mut p = Printer::new(layout, false, false).with_chunks(&mut chunks);
        p.root(root_key(catalog, root), value)?;
        Ok(encode_sum(p.out.fnv))
    })
}

thread_local! {
    /// The constant runs of text met so far (see [`chunk`]): per thread, so
    /// per wasm instance.
    static CHUNKS: std::cell::RefCell<chunk::Chunks> = std::cell::RefCell::default();
}

fn root_key(catalog: &layout::Catalog, root: Root) -> &'static str {
    match root {
        Root::Template => catalog.root_template,
        Root::Service => catalog.root_service,
    }
}

/// `rand.SafeEncodeString(fmt.Sprint(hasher.Sum32()))`.
fn encode_sum(sum: u32) -> String {
    safe_encode(&sum.to_string())
}

/// The hash under two layouts, with the Go struct fields that one layout
/// has and the other lacks among the structs this value reaches.
pub struct LayoutComparison {
    pub from_hash: String,
    pub to_hash: String,
    /// `Type.Field`, sorted.
    pub fields_added: Vec<String>,
    pub fields_removed: Vec<String>,
}

pub fn compare_layouts(root: Root, value: &Value, from: &str, to: &str) -> Result<LayoutComparison, SpewError> {
    let catalog = layout::catalog().map_err(SpewError::Layout)?;
    let key = root_key(catalog, root);
    let (lf, lt) = (catalog.layout(from).map_err(SpewError::Layout)?, catalog.layout(to).map_err(SpewError::Layout)?);
    let t = tape::Tape::from_value(value);
    let mut pf = Printer::new(lf, false, true);
    pf.root(key, t.root())?;
    let mut pt = Printer::new(lt, false, true);
    pt.root(key, t.root())?;
    let fields = |l: &layout::Layout, id: u16| -> Vec<&'static str> {
        match l.by_id(id) {
            Some(layout::Def::Struct(fs)) => fs.iter().map(|f| f.go_name).collect(),
            _ => Vec::new(),
        }
    };
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for id in pf.visited.iter().flatten().chain(pt.visited.iter().flatten()) {
        let Some(k) = layout::key_name(*id) else { continue };
        let (a, b) = (fields(lf, *id), fields(lt, *id));
        let short = layout::display_name(k).split('.').nth(1).unwrap_or(k);
        added.extend(b.iter().filter(|f| !a.contains(f)).map(|f| format!("{short}.{f}")));
        removed.extend(a.iter().filter(|f| !b.contains(f)).map(|f| format!("{short}.{f}")));
    }
    // Sorted and deduplicated through the one sort (see `order`).
    for v in [&mut added, &mut removed] {
        crate::order::by_key(v, String::as_str);
        v.dedup();
    }
    Ok(LayoutComparison {
        from_hash: encode_sum(pf.out.fnv),
        to_hash: encode_sum(pt.out.fnv),
        fields_added: added,
        fields_removed: removed,
    })
}

pub fn fnv32a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

/// `rand.SafeEncodeString`: each byte mapped into an alphabet without vowels
/// (and without 0, 1, 3), so the result can never spell a word.
pub fn safe_encode(s: &str) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.bytes().map(|b| char::from(ALPHANUMS.get(usize::from(b) % ALPHANUMS.len()).copied().unwrap_or(b'b'))).collect()
}

/// What Flagger hashes for a target object, as a JSON value: a clone of the
/// template/spec (the input is never mutated). `manifest`: the object is as
/// written, so the API server's defaults are applied first ([`defaults`]).
/// Then, for a DaemonSet, Flagger's scale-to-zero node selector is removed
/// and a nil selector made empty, as `DaemonSetController.HasTargetChanged`
/// does on the object it read.
pub fn hashed_value(kind: &str, object: &Value, manifest: bool) -> Option<(Root, Value)> {
    hashed(kind, object, manifest).map(|(root, v)| (root, v.into_owned()))
}

/// [`hashed_value`], borrowed from `object` when nothing needs changing (a
/// server-form Deployment or Service).
pub fn hashed<'a>(kind: &str, object: &'a Value, manifest: bool) -> Option<(Root, Cow<'a, Value>)> {
    static NULL: Value = Value::Null;
    let (root, pointer) = match kind {
        "Deployment" | "DaemonSet" => (Root::Template, "/spec/template"),
        "Service" => (Root::Service, "/spec"),
        _ => return None,
    };
    let mut value = Cow::Borrowed(object.pointer(pointer).unwrap_or(&NULL));
    if manifest || kind == "DaemonSet" {
        adjust(kind, root, value.to_mut(), manifest);
    }
    Some((root, value))
}

/// What [`hashed`] changes in the hashed value of a `kind` object: the
/// server's defaults for a manifest, a DaemonSet's node selector.
pub fn adjust(kind: &str, root: Root, value: &mut Value, manifest: bool) {
    if manifest {
        apply_server_defaults(root, value);
    }
    if kind == "DaemonSet" {
        daemonset_node_selector(value);
    }
}

/// A manifest's hashed value brought to (most of) the form the API server
/// would return: see [`defaults`].
pub fn apply_server_defaults(root: Root, value: &mut Value) {
    match root {
        Root::Template => defaults::template(value),
        Root::Service => defaults::service(value),
    }
}

fn daemonset_node_selector(template: &mut Value) {
    // A missing template decodes to the zero value; anything else that is
    // not an object is left for the decoder to refuse.
    if template.is_null() {
        *template = Value::Object(Default::default());
    }
    let Some(t) = template.as_object_mut() else { return };
    let spec = t.entry("spec").or_insert_with(|| Value::Object(Default::default()));
    if spec.is_null() {
        *spec = Value::Object(Default::default());
    }
    let Some(spec) = spec.as_object_mut() else { return };
    let sel = spec.entry("nodeSelector").or_insert(Value::Null);
    if sel.is_null() {
        *sel = Value::Object(Default::default());
    }
    if let Some(m) = sel.as_object_mut() {
        m.remove(DAEMONSET_SCALE_DOWN_KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_and_safe_encode_match_go() {
        // hash/fnv New32a of "" is the offset basis; of "a" is 0xe40c292c.
        assert_eq!(fnv32a(b""), 0x811c9dc5);
        assert_eq!(fnv32a(b"a"), 0xe40c292c);
        // '0' (48) % 27 = 21 → '4'; '9' (57) % 27 = 3 → 'f'.
        assert_eq!(safe_encode("09"), "4f");
    }
}
