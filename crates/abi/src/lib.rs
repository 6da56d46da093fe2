//! Import-free module ABI (feature `abi`), version 1, for hosts without
//! wasm-bindgen: policy engines, wasmtime, wazero, `WebAssembly.instantiate(bytes, {})`.
//!
//! Exports (all `u32` are wasm `i32`, `u64` is `i64`):
//! * `abi_version() -> u32`: 1.
//! * `alloc(len: u32) -> *mut u8`: `len` bytes of linear memory, 0 when out of memory.
//! * `dealloc(ptr: *mut u8, len: u32)`: frees what `alloc` (or a response) gave.
//! * `plan(ptr, len) -> u64`: reads the request JSON (UTF-8) at `ptr..ptr+len`,
//!   returns `(resp_ptr << 32) | resp_len` of the response JSON, allocated as
//!   by `alloc`: the host reads it, then frees it with `dealloc(resp_ptr, resp_len)`.
//!   The request buffer stays the host's to free.
//! * `checksum(ptr, len) -> u64`: one ConfigMap/Secret object's JSON in,
//!   `{"checksum": "…"}` out, same convention (Flagger's newest behaviour).
//! * `checksum_strings(ptr, len) -> u64`: the same checksum, the object
//!   given as strings rather than one JSON text, so a host can write `data`'s
//!   values into memory as they are (layout: `canary_tracker::api::checksum_strings`).
//!   Added in ABI version 1 without a bump, like `call`. Only in builds with
//!   the `fast-paths` feature (the speed build): hosts check that it exists.
//! * `call(ptr, len) -> u64`: `{"fn": NAME, …arguments}` in, that function's
//!   answer out, same convention: every other function of the core
//!   (`checksum` at a Flagger version, `configRefs`, `flaggerVersions`,
//!   `version`; see `canary_tracker::api::call_bytes`). Added in ABI version
//!   1 without a bump: a host that never calls it sees no change.
//!
//! Every failure is a JSON error response `{"error": {"code", "message", …}}`,
//! never a trap (invalid UTF-8 is `invalid-utf8`, not JSON is `invalid-json`).
//! A return of 0 means the response itself could not be allocated.
//!
//! No `std::io`, no printing: the module has no imports. The symbols are only
//! exported on wasm (natively this crate is just its unit tests). Every JS
//! host of the npm package (Node API, CLI, browser, dashboard) runs this one
//! module through `js/src/abi.js`.

use canary_tracker::api;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod growth;
use std::alloc::{self as heap, Layout};

/// Version of this ABI; bumped on any incompatible change.
pub const ABI_VERSION: u32 = 1;

#[cfg_attr(target_family = "wasm", no_mangle)]
pub extern "C" fn abi_version() -> u32 {
    ABI_VERSION
}

/// `len` bytes (align 1). Zero-length requests get a non-null dangling
/// pointer that `dealloc(ptr, 0)` accepts.
#[cfg_attr(target_family = "wasm", no_mangle)]
pub extern "C" fn alloc(len: u32) -> *mut u8 {
    match layout(len) {
        // SAFETY: the layout has a non-zero size.
        Some(l) => unsafe { heap::alloc(l) },
        None if len == 0 => std::ptr::NonNull::<u8>::dangling().as_ptr(),
        None => std::ptr::null_mut(),
    }
}

/// Frees a buffer from [`alloc`] or a response of [`plan`] / [`checksum`].
///
/// # Safety
/// `ptr` and `len` must be exactly what `alloc` (or a response) gave, freed once.
#[cfg_attr(target_family = "wasm", no_mangle)]
pub unsafe extern "C" fn dealloc(ptr: *mut u8, len: u32) {
    if let (Some(l), false) = (layout(len), ptr.is_null()) {
        // SAFETY: the caller passes back a pointer from `alloc(len)`.
        unsafe { heap::dealloc(ptr, l) }
    }
}

/// Plans a request; see the module docs for the calling convention.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory (a buffer from [`alloc`]).
#[cfg_attr(target_family = "wasm", no_mangle)]
pub unsafe extern "C" fn plan(ptr: *const u8, len: u32) -> u64 {
    // SAFETY: forwarded from the caller.
    respond(&api::plan_bytes(unsafe { input(ptr, len) }))
}

/// Checksums one ConfigMap/Secret object; see the module docs.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory (a buffer from [`alloc`]).
#[cfg_attr(target_family = "wasm", no_mangle)]
pub unsafe extern "C" fn checksum(ptr: *const u8, len: u32) -> u64 {
    // SAFETY: forwarded from the caller.
    respond(&api::checksum_bytes(unsafe { input(ptr, len) }, None))
}

/// Checksums one ConfigMap/Secret object given as strings (its JSON text
/// with `data` null, the Flagger version, `data`'s keys and values); see
/// `canary_tracker::api::checksum_strings` for the layout.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory (a buffer from [`alloc`]).
#[cfg(feature = "fast-paths")]
#[cfg_attr(target_family = "wasm", no_mangle)]
pub unsafe extern "C" fn checksum_strings(ptr: *const u8, len: u32) -> u64 {
    // SAFETY: forwarded from the caller.
    respond(&api::checksum_strings(unsafe { input(ptr, len) }))
}

/// Calls any core function by name; see the module docs.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory (a buffer from [`alloc`]).
#[cfg_attr(target_family = "wasm", no_mangle)]
pub unsafe extern "C" fn call(ptr: *const u8, len: u32) -> u64 {
    // SAFETY: forwarded from the caller.
    respond(&api::call_bytes(unsafe { input(ptr, len) }))
}

fn layout(len: u32) -> Option<Layout> {
    (len > 0).then(|| Layout::array::<u8>(len as usize).ok()).flatten()
}

/// The request bytes; an empty slice for a null pointer or zero length.
unsafe fn input<'a>(ptr: *const u8, len: u32) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        return &[];
    }
    // SAFETY: the caller guarantees `ptr..ptr+len` is readable.
    unsafe { std::slice::from_raw_parts(ptr, len as usize) }
}

/// Copies the response into a fresh `alloc` buffer and packs ptr/len.
fn respond(text: &str) -> u64 {
    let Ok(len) = u32::try_from(text.len()) else { return 0 };
    let ptr = alloc(len);
    if ptr.is_null() {
        return 0;
    }
    // SAFETY: `ptr` has room for `len` bytes and does not overlap `text`.
    unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), ptr, text.len()) };
    ((ptr as usize as u64) << 32) | u64::from(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_one() {
        assert_eq!(abi_version(), 1);
    }

    #[test]
    fn alloc_round_trip() {
        let p = alloc(0);
        assert!(!p.is_null());
        unsafe { dealloc(p, 0) };
        unsafe { dealloc(std::ptr::null_mut(), 8) };
        let p = alloc(64);
        assert!(!p.is_null());
        unsafe { p.write_bytes(7, 64) };
        unsafe { dealloc(p, 64) };
    }

    #[test]
    fn empty_input_is_an_error_response() {
        let text = api::plan_bytes(unsafe { input(std::ptr::null(), 5) });
        assert!(text.contains(r#""code":"invalid-json""#), "{text}");
    }

    #[test]
    fn call_reaches_every_function() {
        let call = |req: &str| -> serde_json::Value { serde_json::from_str(&api::call_bytes(req.as_bytes())).unwrap() };
        let cm = r#"{"kind":"ConfigMap","metadata":{"name":"a"},"data":{"a":"\u0008"}}"#;
        let new = call(&format!(r#"{{"fn":"checksum","object":{cm}}}"#));
        let old = call(&format!(r#"{{"fn":"checksum","object":{cm},"flaggerVersion":"1.36.0"}}"#));
        assert_ne!(new["checksum"], old["checksum"], "Go < 1.22 escapes backspace differently");
        let refs = call(r#"{"fn":"configRefs","podSpec":{"volumes":[{"name":"v","secret":{"secretName":"s"}}]}}"#);
        assert_eq!(refs, serde_json::json!({"refs": [{"ref": "secret/s", "kind": "Secret", "name": "s"}]}));
        assert_eq!(call(r#"{"fn":"flaggerVersions"}"#)["newest"], "1.44.0");
        assert_eq!(call(r#"{"fn":"version"}"#)["version"], api::version());
        assert_eq!(call(r#"{"fn":"nope"}"#)["error"]["path"], "/fn");
        assert_eq!(call(r#"{"fn":"version","x":1}"#)["error"]["path"], "/x");
        assert_eq!(
            call(r#"{"fn":"checksum","object":{},"flaggerVersion":"0.1.0"}"#)["error"]["path"],
            "/flaggerVersion"
        );
    }

    #[test]
    fn checksum_errors_are_json() {
        assert!(api::checksum_bytes(b"\xff", None).contains(r#""code":"invalid-utf8""#));
        assert!(api::checksum_bytes(b"nope", None).contains(r#""code":"invalid-json""#));
        assert!(api::checksum_bytes(br#"{"kind":"Service"}"#, None).contains(r#""code":"invalid-object""#));
        let ok = api::checksum_bytes(br#"{"kind":"ConfigMap","metadata":{"name":"a"},"data":{"a":"b"}}"#, None);
        assert!(ok.starts_with(r#"{"checksum":""#), "{ok}");
        let v: serde_json::Value = serde_json::from_str(&ok).unwrap();
        let direct =
            api::checksum(&serde_json::json!({"kind":"ConfigMap","metadata":{"name":"a"},"data":{"a":"b"}}), None)
                .unwrap();
        assert_eq!(v["checksum"], direct.as_str());
    }
}
