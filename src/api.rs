//! The one API every front end calls, at three levels (as cedar-policy's
//! `ffi` does): typed Rust, `serde_json::Value`, and JSON text. Errors at the
//! value/text levels are `{"error": {"code", "message", "path"?}}`, never panics.

use crate::analysis::SpecHash;
use crate::checksum::{type_name, ConfigKind, GoData};
use crate::error::{Error, ErrorCode, Result};
use crate::objects::{config_data, read_object};
use crate::plan::{plan_objects, CanaryFilter, Options, PlanResponse};
use crate::read::{read_json, read_json_bytes};
use crate::scan::scan;
use crate::spechash::tape::{Node, Tape, J};
use crate::version::{Behaviour, NEWEST, OLDEST, RELEASES};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// A whole plan request (typed level).
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanRequest {
    /// Any Kubernetes objects (Canaries, targets, ConfigMaps, Secrets; other kinds are ignored).
    #[cfg_attr(test, ts(type = "unknown[] | null", optional))]
    pub objects: Vec<Value>,
    /// Plan only the matching Canary.
    #[cfg_attr(test, ts(optional = nullable))]
    pub canary: Option<CanaryFilter>,
    #[cfg_attr(test, ts(as = "Option<Options>", optional = nullable))]
    pub options: Options,
}

/// Typed level.
pub fn plan(request: &PlanRequest) -> Result<PlanResponse> {
    plan_objects(&request.objects, request.canary.as_ref(), &request.options)
}

/// Value level: `{"plans": [...]}` or `{"error": {...}}`. Reads the request
/// in place: `objects` is borrowed, never copied or changed.
pub fn plan_value(request: &Value) -> Value {
    to_value_or_error(plan_borrowed(request))
}

/// Text level (what the wasm modules call).
pub fn plan_json(text: &str) -> String {
    plan_text(read_json(text), text.len())
}

/// Raw bytes (the import-free ABI): invalid UTF-8 is a coded error.
pub fn plan_bytes(bytes: &[u8]) -> String {
    plan_text(read_json_bytes(bytes), bytes.len())
}

/// The plans as text, within the request's response limit; `size` (the
/// request's) sizes the buffer: plans are usually about as large.
fn plan_text(request: Result<Value>, size: usize) -> String {
    request
        .and_then(|v| {
            let (response, limit) = plan_request(&v)?;
            to_text_within(&response, limit, size)
        })
        .unwrap_or_else(|e| envelope(&e))
}

fn plan_borrowed(request: &Value) -> Result<PlanResponse> {
    plan_request(request).map(|(response, _)| response)
}

/// The plans and the response limit the request set.
fn plan_request(request: &Value) -> Result<(PlanResponse, usize)> {
    let Value::Object(map) = request else {
        return Err(Error::new(ErrorCode::InvalidRequest, "the request must be a JSON object").at(""));
    };
    if let Some(k) = map.keys().find(|k| !["objects", "canary", "options"].contains(&k.as_str())) {
        return Err(Error::new(ErrorCode::InvalidRequest, format!("unknown request field {k:?}")).at(format!("/{k}")));
    }
    let objects = match map.get("objects") {
        Some(Value::Array(a)) => a.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => return Err(Error::new(ErrorCode::InvalidRequest, "objects must be an array").at("/objects")),
    };
    let filter = match map.get("canary") {
        None | Some(Value::Null) => None,
        Some(v) => Some(CanaryFilter::from_value(v, "/canary")?),
    };
    let options = match map.get("options") {
        None | Some(Value::Null) => Options::default(),
        Some(v) => Options::from_value(v, "/options")?,
    };
    Ok((plan_objects(objects, filter.as_ref(), &options)?, options.response_limit()))
}

/// Flagger's checksum of one ConfigMap/Secret object (normalised first, so
/// Secret `stringData` counts). `flagger_version` picks the Go escaping.
pub fn checksum(object: &Value, flagger_version: Option<&str>) -> Result<String> {
    let (beh, _) = Behaviour::resolve(flagger_version)?;
    let obj = read_object(None, object, "default")?
        .ok_or_else(|| Error::new(ErrorCode::InvalidObject, "expected a ConfigMap or Secret").at("/kind"))?;
    let kind = ConfigKind::from_kind(obj.kind).ok_or_else(|| {
        Error::new(ErrorCode::InvalidObject, format!("expected a ConfigMap or Secret, found {}", obj.kind)).at("/kind")
    })?;
    let data = config_data(&obj, kind)?;
    Ok(GoData::decode(kind, data.as_deref(), "/data")?.checksum(beh.escaping))
}

/// Text level of [`checksum`]: the object's JSON text in,
/// `{"checksum": "…"}` or `{"error": {...}}` out.
pub fn checksum_json(object_text: &str, flagger_version: Option<&str>) -> String {
    if let Some(sum) = checksum_raw_if_fast(object_text.as_bytes(), flagger_version) {
        return to_text_or_error(Ok(Checksum { checksum: sum }));
    }
    to_text_or_error(
        read_json(object_text).and_then(|v| checksum(&v, flagger_version)).map(|c| Checksum { checksum: c }),
    )
}

/// Raw bytes of [`checksum_json`] (the import-free ABI): invalid UTF-8 is a coded error.
pub fn checksum_bytes(object_bytes: &[u8], flagger_version: Option<&str>) -> String {
    if let Some(sum) = checksum_raw_if_fast(object_bytes, flagger_version) {
        return to_text_or_error(Ok(Checksum { checksum: sum }));
    }
    to_text_or_error(
        read_json_bytes(object_bytes).and_then(|v| checksum(&v, flagger_version)).map(|c| Checksum { checksum: c }),
    )
}

/// [`checksum`] of an object whose `data` comes as strings rather than JSON
/// (the import-free module's `checksum_strings` export: a JS host writes
/// them with `TextEncoder.encodeInto`, so `data` is never written out as
/// JSON text nor read back). `input` is a run of strings, each a `u32`
/// little-endian byte length and its UTF-8 bytes, or the length `0xFFFFFFFF`
/// alone for `null`: the object's JSON text with `data` set to `null`, the
/// Flagger version (or `null` for the newest), then `data`'s keys and values
/// in turn (a value may be `null`). Same answers and errors as [`checksum_json`]
/// on the whole object; a malformed run is `invalid-request`.
pub fn checksum_strings(input: &[u8]) -> String {
    to_text_or_error(checksum_of_strings(input).map(|checksum| Checksum { checksum }))
}

/// The object's text, the version and `data`'s entries of a `checksum_strings` input.
type Strings<'a> = (&'a str, Option<&'a str>, Vec<(&'a str, Option<&'a str>)>);

fn read_strings(input: &[u8]) -> Result<Strings<'_>> {
    if input.len() > crate::read::MAX_INPUT_BYTES {
        return Err(Error::new(
            ErrorCode::InputTooLarge,
            format!("request is {} bytes; the limit is {}", input.len(), crate::read::MAX_INPUT_BYTES),
        ));
    }
    let malformed = |what: &str| Error::new(ErrorCode::InvalidRequest, format!("checksum_strings: {what}")).at("");
    let mut strings = Vec::new();
    let mut rest = input;
    while let Some((len, tail)) = rest.split_first_chunk::<4>() {
        let len = u32::from_le_bytes(*len);
        if len == u32::MAX {
            strings.push(None);
            rest = tail;
            continue;
        }
        let (s, tail) = tail.split_at_checked(len as usize).ok_or_else(|| malformed("a string runs past the end"))?;
        let s = std::str::from_utf8(s)
            .map_err(|e| Error::new(ErrorCode::InvalidUtf8, format!("a string is not UTF-8 ({e})")).at(""))?;
        strings.push(Some(s));
        rest = tail;
    }
    if !rest.is_empty() {
        return Err(malformed("trailing bytes"));
    }
    let [Some(head), version, data @ ..] = strings.as_slice() else {
        return Err(malformed("expected the object's text and the version first"));
    };
    if data.len() % 2 != 0 {
        return Err(malformed("a key without a value"));
    }
    let entries = data
        .chunks_exact(2)
        .map(|kv| match kv {
            [Some(k), v] => Ok((*k, *v)),
            _ => Err(malformed("a null key")),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((head, *version, entries))
}

fn checksum_of_strings(input: &[u8]) -> Result<String> {
    let (head, version, entries) = read_strings(input)?;
    let (beh, _) = Behaviour::resolve(version).map_err(|e| e.at("/flaggerVersion"))?;
    let mut object = read_json(head)?;
    if let Some(sum) = checksum_of_decoded(&object, beh.escaping, &entries) {
        return Ok(sum);
    }
    // Anything unusual: the whole object as a `Value`, so answers and errors are `checksum`'s.
    if let Value::Object(m) = &mut object {
        let data = entries.iter().map(|&(k, v)| (k.to_owned(), v.map_or(Value::Null, |s| Value::String(s.to_owned()))));
        m.insert("data".to_owned(), Value::Object(data.collect()));
    }
    checksum(&object, version)
}

/// The checksum [`checksum_strings`] computes from `data`'s strings as they
/// are; `None` when it defers to the `Value` path (anything unusual, every
/// error). Exposed for tests that compare the two paths.
#[doc(hidden)]
pub fn checksum_strings_direct(input: &[u8]) -> Option<String> {
    let (head, version, entries) = read_strings(input).ok()?;
    let (beh, _) = Behaviour::resolve(version).ok()?;
    checksum_of_decoded(&read_json(head).ok()?, beh.escaping, &entries)
}

/// The checksum from `data`'s decoded strings, or `None` to take the `Value` path.
fn checksum_of_decoded(
    object: &Value,
    escaping: crate::checksum::Escaping,
    entries: &[(&str, Option<&str>)],
) -> Option<String> {
    let obj = read_object(None, object, "default").ok()??;
    let kind = ConfigKind::from_kind(obj.kind)?;
    if object.get("data") != Some(&Value::Null) || (kind == ConfigKind::Secret && obj.get("/stringData").is_some()) {
        return None;
    }
    Some(GoData::from_strings(kind, entries.to_vec())?.checksum(escaping))
}

/// [`checksum_raw`] in builds with the `fast-paths` feature; else `None`
/// (the `Value` path answers, the same way).
fn checksum_raw_if_fast(object_bytes: &[u8], flagger_version: Option<&str>) -> Option<String> {
    if !cfg!(feature = "fast-paths") {
        return None;
    }
    checksum_raw(object_bytes, flagger_version)
}

/// The checksum [`checksum_json`] and [`checksum_bytes`] compute straight
/// from the object's bytes, without building `data` as a `Value`; `None`
/// when that path defers to the `Value` path (anything unusual, every
/// error). Exposed for tests and benchmarks that compare the two paths.
#[doc(hidden)]
pub fn checksum_raw(object_bytes: &[u8], flagger_version: Option<&str>) -> Option<String> {
    if object_bytes.len() > crate::read::MAX_INPUT_BYTES {
        return None;
    }
    crate::rawsum::checksum(std::str::from_utf8(object_bytes).ok()?, flagger_version)
}

/// [`checksum_raw`]'s two readings of `data` apart: in one pass straight
/// into the hash (keys in order), and in pieces (any order); each `None`
/// where it defers. For tests comparing them with the `Value` path.
#[doc(hidden)]
pub fn checksum_raw_each_way(object_bytes: &[u8], flagger_version: Option<&str>) -> (Option<String>, Option<String>) {
    match std::str::from_utf8(object_bytes) {
        Ok(text) if object_bytes.len() <= crate::read::MAX_INPUT_BYTES => {
            crate::rawsum::checksum_each_way(text, flagger_version)
        }
        _ => (None, None),
    }
}

/// The text-level answers are serialised straight to text (serde_json's
/// `Value` serialiser and `json!` with non-literal values would instantiate
/// every `Serialize` impl a second time in the wasm).
#[derive(Serialize)]
struct Checksum {
    checksum: String,
}

#[derive(Serialize)]
struct Refs {
    refs: Vec<ConfigRef>,
}

#[derive(Serialize)]
struct VersionAnswer {
    version: &'static str,
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: &'a Error,
}

/// Flagger's spec hash (`status.lastAppliedSpec`) of one Deployment,
/// DaemonSet or Service object under `flagger_version` (default: newest):
/// `{current, exact, form, layout, unsupported}`. `spec_form`: `auto`,
/// `server` or `manifest` (see [`crate::plan::Options::spec_form`]).
pub fn spec_hash(object: &Value, flagger_version: Option<&str>, spec_form: Option<&str>) -> Result<SpecHash> {
    let (beh, _) = Behaviour::resolve(flagger_version)?;
    let options = Options { spec_form: spec_form.map(str::to_owned), ..Options::default() };
    let obj = read_object(None, object, "default")?.ok_or_else(|| {
        Error::new(ErrorCode::InvalidObject, "expected a Deployment, DaemonSet or Service").at("/kind")
    })?;
    let release = flagger_version.map_or_else(|| beh.version.to_string(), str::to_owned);
    crate::analysis::spec_hash_of(&obj, &release, &options)
}

/// Text level of [`spec_hash`]: the object's JSON text in, the result or
/// `{"error": {...}}` out.
pub fn spec_hash_json(object_text: &str, flagger_version: Option<&str>, spec_form: Option<&str>) -> String {
    to_text_or_error(read_json(object_text).and_then(|v| spec_hash(&v, flagger_version, spec_form)))
}

/// One config a pod spec references, as a host should fetch it.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, ts(rename = "PodSpecRef"))]
pub struct ConfigRef {
    /// `configmap/NAME` or `secret/NAME`, as in `status.trackedConfigs`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// `ConfigMap` or `Secret`.
    #[cfg_attr(test, ts(type = "'ConfigMap' | 'Secret'"))]
    pub kind: &'static str,
    pub name: String,
}

/// Every ConfigMap/Secret that `flagger_version` (default: newest) scans in
/// `pod_spec`, each once, in Flagger's scan order: what a host fetches before
/// planning (the CLI and dashboard in cluster mode), from the same scan the plan uses.
pub fn config_refs(pod_spec: &Value, flagger_version: Option<&str>) -> Result<Vec<ConfigRef>> {
    let (beh, _) = Behaviour::resolve(flagger_version)?;
    let mut out: Vec<ConfigRef> = Vec::new();
    for site in scan(pod_spec, "/podSpec", &beh)? {
        let reference = format!("{}/{}", site.kind.prefix(), site.name);
        if !out.iter().any(|r| r.reference == reference) {
            out.push(ConfigRef { reference, kind: site.kind.kind(), name: site.name.to_owned() });
        }
    }
    Ok(out)
}

/// The Flagger releases this preview reproduces.
#[cfg_attr(test, derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlaggerVersions {
    /// The default and newest release.
    pub newest: String,
    /// The oldest release; older ones are `unsupported-flagger-version`.
    pub oldest: String,
    /// Newest first: every release at which what the plan shows changes (a
    /// release between two of them behaves like the older one).
    pub releases: Vec<String>,
}

pub fn flagger_versions() -> FlaggerVersions {
    FlaggerVersions {
        newest: NEWEST.to_string(),
        oldest: OLDEST.to_string(),
        releases: RELEASES.iter().map(ToString::to_string).collect(),
    }
}

/// Every function above behind one JSON door, for hosts that pass one buffer
/// (the import-free module's `call` export). The request names the function
/// in `fn`; the other fields are its arguments:
///
/// | request | answer |
/// |---|---|
/// | `{"fn": "checksum", "object": {…}, "flaggerVersion"?: "1.44.0"}` | `{"checksum": "…"}` |
/// | `{"fn": "specHash", "object": {…}, "flaggerVersion"?, "specForm"?}` | `{"current", "exact", "form", …}` |
/// | `{"fn": "configRefs", "podSpec": {…}, "flaggerVersion"?: "…"}` | `{"refs": [{"ref", "kind", "name"}]}` |
/// | `{"fn": "flaggerVersions"}` | `{"newest", "oldest", "releases"}` |
/// | `{"fn": "version"}` | `{"version": "…"}` |
///
/// Failures are `{"error": {…}}` as everywhere (`invalid-request` for an
/// unknown function or argument).
pub fn call_bytes(bytes: &[u8]) -> String {
    if cfg!(feature = "fast-paths") {
        if let Some(answer) = spec_hash_fast(bytes) {
            return answer;
        }
    }
    read_json_bytes(bytes).and_then(|v| call_text(&v)).unwrap_or_else(|e| envelope(&e))
}

/// `{"fn": "specHash", …}` without a `Value` of the template: the request
/// read as a [`Tape`], the object's identity as a small `Value` (kind,
/// apiVersion and the metadata fields that `read_object` and the form
/// detection read), the template (or Service spec) hashed from the tape.
/// `None` for anything else — another function, JSON the tape leaves to the
/// reference reader, not a Deployment, DaemonSet or Service, any error —
/// which the general path answers, the same way (`tests/spechash_fast.rs`
/// compares the two).
#[doc(hidden)]
pub fn spec_hash_fast(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok().filter(|t| t.len() <= crate::MAX_INPUT_BYTES)?;
    let tape = Tape::parse(text)?;
    let (mut function, mut object, mut release, mut form) = (None, None, None, None);
    for (k, v) in tape.root().members() {
        let slot = match k {
            "fn" => &mut function,
            "object" => &mut object,
            "flaggerVersion" => &mut release,
            "specForm" => &mut form,
            _ => return None,
        };
        *slot = Some(v);
    }
    // A string argument that may be absent or null.
    fn string(v: Option<Node<'_>>) -> Option<Option<&str>> {
        match v.map(Node::j) {
            None | Some(J::Null) => Some(None),
            Some(J::Str(s)) => Some(Some(s.as_ref())),
            Some(_) => None,
        }
    }
    let (release, form) = (string(release)?, string(form)?);
    if string(function)? != Some("specHash") {
        return None;
    }
    let object = object?;
    let mut shell = serde_json::Map::new();
    for k in ["kind", "apiVersion", "metadata"] {
        let Some(v) = object.member(k) else { continue };
        let v = match v.j() {
            J::Obj(..) if k == "metadata" => Value::Object(
                ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"]
                    .into_iter()
                    .filter_map(|f| Some((f.to_owned(), v.member(f)?.to_value())))
                    .collect(),
            ),
            _ => v.to_value(),
        };
        shell.insert(k.to_owned(), v);
    }
    let shell = Value::Object(shell);
    let (beh, _) = Behaviour::resolve(release).ok()?;
    let options = Options { spec_form: form.map(str::to_owned), ..Options::default() };
    let obj = read_object(None, &shell, "default").ok()??;
    let spec = object.member("spec");
    let hashed = match obj.kind {
        "Deployment" | "DaemonSet" => spec?.member("template")?,
        _ => spec?,
    };
    let release = release.map_or_else(|| beh.version.to_string(), str::to_owned);
    let answer = crate::analysis::spec_hash_from(&obj, &release, &options, Some(hashed))?.ok()?;
    to_text(&answer).ok()
}

fn call_text(request: &Value) -> Result<String> {
    let Value::Object(map) = request else {
        return Err(Error::new(ErrorCode::InvalidRequest, "the call must be a JSON object").at(""));
    };
    let name = match map.get("fn") {
        Some(Value::String(s)) => s.as_str(),
        _ => return Err(Error::new(ErrorCode::InvalidRequest, "fn must name a function").at("/fn")),
    };
    let args: &[&str] = match name {
        "checksum" => &["object", "flaggerVersion"],
        "specHash" => &["object", "flaggerVersion", "specForm"],
        "configRefs" => &["podSpec", "flaggerVersion"],
        "flaggerVersions" | "version" => &[],
        other => {
            return Err(Error::new(ErrorCode::InvalidRequest, format!("unknown function {other:?}")).at("/fn"));
        }
    };
    if let Some(k) = map.keys().find(|k| *k != "fn" && !args.contains(&k.as_str())) {
        return Err(
            Error::new(ErrorCode::InvalidRequest, format!("{name} takes no argument {k:?}")).at(format!("/{k}"))
        );
    }
    let release = optional_string(map.get("flaggerVersion"), "/flaggerVersion")?;
    let release = release.as_deref();
    Behaviour::resolve(release).map_err(|e| e.at("/flaggerVersion"))?;
    let arg = |k: &str| map.get(k).unwrap_or(&Value::Null);
    match name {
        // Paths in a checksum error are within the object, as from `checksum`.
        "checksum" => to_text(&Checksum { checksum: checksum(arg("object"), release)? }),
        "specHash" => {
            let form = optional_string(map.get("specForm"), "/specForm")?;
            to_text(&spec_hash(arg("object"), release, form.as_deref())?)
        }
        "configRefs" => to_text(&Refs { refs: config_refs(arg("podSpec"), release)? }),
        "flaggerVersions" => to_text(&flagger_versions()),
        _ => to_text(&VersionAnswer { version: version() }),
    }
}

/// A string argument that may be absent or null.
fn optional_string(v: Option<&Value>, path: &str) -> Result<Option<String>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("{}: expected a string or null, found {}", path.get(1..).unwrap_or_default(), type_name(other)),
        )
        .at(path)),
    }
}

/// The crate version.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The error envelope every non-typed level returns.
pub fn error_value(e: &Error) -> Value {
    json!({ "error": e })
}

fn to_value_or_error<T: Serialize>(r: Result<T>) -> Value {
    match r.and_then(|v| serde_json::to_value(v).map_err(internal)) {
        Ok(v) => v,
        Err(e) => error_value(&e),
    }
}

fn to_text_or_error<T: Serialize>(r: Result<T>) -> String {
    r.and_then(|v| to_text(&v)).unwrap_or_else(|e| envelope(&e))
}

fn to_text<T: Serialize + ?Sized>(v: &T) -> Result<String> {
    to_text_within(v, crate::MAX_RESPONSE_BYTES, 128)
}

/// Compact JSON text of `v`, or `response-too-large` past `limit` bytes
/// (one writer type for every answer: one copy of the serializer code).
fn to_text_within<T: Serialize + ?Sized>(v: &T, limit: usize, capacity: usize) -> Result<String> {
    let mut w = crate::budget::Bounded::new(limit, capacity);
    match serde_json::to_writer(&mut w, v) {
        Ok(()) => String::from_utf8(w.out).map_err(|_| internal_text(&"the text is not UTF-8")),
        Err(e) if e.is_io() => Err(crate::budget::too_large(limit, None)),
        Err(e) => Err(internal(e)),
    }
}

fn internal_text(e: &dyn std::fmt::Display) -> Error {
    Error::new(ErrorCode::InternalError, format!("could not serialise the response: {e}"))
}

/// The error envelope as text (what [`error_value`] prints).
fn envelope(e: &Error) -> String {
    to_text(&Envelope { error: e }).unwrap_or_else(|_| {
        r#"{"error":{"code":"internal-error","message":"could not serialise an error"}}"#.to_owned()
    })
}

fn internal(e: serde_json::Error) -> Error {
    internal_text(&e)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text answers, serialised straight to text, say what the `Value`
    /// level says.
    #[test]
    fn text_answers_match_the_value_level() {
        let e = Error::new(ErrorCode::InvalidObject, "bad \"thing\"").at("/objects/0").with_ref("configmap/x");
        assert_eq!(envelope(&e), error_value(&e).to_string());
        let cm = json!({"kind": "ConfigMap", "metadata": {"name": "a"}, "data": {"k": "v"}});
        let text: Value = serde_json::from_str(&checksum_json(&cm.to_string(), None)).unwrap();
        assert_eq!(text, json!({ "checksum": checksum(&cm, None).unwrap() }));
        let call = |req: Value| -> Value { serde_json::from_str(&call_bytes(req.to_string().as_bytes())).unwrap() };
        assert_eq!(call(json!({"fn": "version"})), json!({ "version": version() }));
        assert_eq!(call(json!({"fn": "flaggerVersions"})), serde_json::to_value(flagger_versions()).unwrap());
        let pod = json!({"volumes": [{"name": "v", "configMap": {"name": "c"}}]});
        let refs = serde_json::to_value(config_refs(&pod, None).unwrap()).unwrap();
        assert_eq!(call(json!({"fn": "configRefs", "podSpec": pod})), json!({ "refs": refs }));
        let bad = call(json!({"fn": "specHash", "object": {}, "specForm": 3}));
        assert_eq!(bad["error"]["path"], "/specForm");
        assert_eq!(bad["error"]["message"], "specForm: expected a string or null, found a number");
    }
}
