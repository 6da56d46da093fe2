//! A waPC host for `policy/policy.wasm`, built the way Kubewarden's
//! policy-evaluator builds its own: `wasmtime-provider` compiles the module
//! once (`WasmtimeEngineProviderPre`), each [`Policy`] rehydrates an instance
//! and wraps it in a `wapc::WapcHost` whose host callback answers the
//! context-aware calls (binding `kubewarden`, namespace `kubernetes`) from a
//! [`Store`] of fixture objects, as the evaluator answers them:
//!
//! - `get_resource` of a missing object is an error, `Cannot find
//!   <apiVersion>/<kind> named '<name>' inside of namespace '<Some("ns")>'`;
//! - `list_resources_by_namespace` is `{"apiVersion", "kind": "<Kind>List",
//!   "metadata": {}, "items"}`, items without `kind`/`apiVersion` as the API
//!   server lists them; `fieldSelector` `metadata.name=<name>` is honoured;
//! - a resource missing from metadata.yml's `contextAwareResources` is
//!   refused with the evaluator's message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../support/mod.rs"]
pub mod support;

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::error::Error;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use support::Store;
use wapc::WapcHost;
use wasmtime_provider::{WasmtimeEngineProviderBuilder, WasmtimeEngineProviderPre};

/// `policy/policy.wasm` (made by `policy/build.sh`), or `$POLICY_WASM`.
pub fn policy_path() -> PathBuf {
    std::env::var_os("POLICY_WASM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../policy.wasm"))
}

/// The compiled module, shared by every instance in the test binary.
fn pre() -> &'static WasmtimeEngineProviderPre {
    static PRE: OnceLock<WasmtimeEngineProviderPre> = OnceLock::new();
    PRE.get_or_init(|| {
        let path = policy_path();
        let bytes =
            std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (build it with policy/build.sh)", path.display()));
        WasmtimeEngineProviderBuilder::new().module_bytes(&bytes).build_pre().expect("compile policy.wasm")
    })
}

/// metadata.yml's `contextAwareResources`, as (apiVersion, kind).
pub fn allowed_resources() -> &'static BTreeSet<(String, String)> {
    static ALLOWED: OnceLock<BTreeSet<(String, String)>> = OnceLock::new();
    ALLOWED.get_or_init(|| {
        let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../metadata.yml")).unwrap();
        let meta: Value = serde_yaml::from_str(&text).unwrap();
        meta["contextAwareResources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["apiVersion"].as_str().unwrap().to_owned(), r["kind"].as_str().unwrap().to_owned()))
            .collect()
    })
}

/// A host capability made to misbehave: for `op` (`"*"`: every operation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// The call fails (an unreachable API server, a timeout).
    Error(&'static str),
    /// The call answers bytes that are not JSON.
    Garbage(&'static str),
}

#[derive(Debug, Default)]
struct HostState {
    store: Store,
    fault: Option<Fault>,
    calls: Vec<String>,
    reads: BTreeSet<(String, String)>,
    /// Time spent answering host calls (this crate's own work, not the policy's).
    host_time: Duration,
}

type HostResult = Result<Vec<u8>, Box<dyn Error + Send + Sync>>;

/// One policy instance in its waPC host.
pub struct Policy {
    host: WapcHost,
    state: Arc<Mutex<HostState>>,
}

impl Policy {
    pub fn new(store: Store) -> Policy {
        let state = Arc::new(Mutex::new(HostState { store, ..HostState::default() }));
        let engine = pre().rehydrate(None).expect("instantiate policy.wasm");
        let s = state.clone();
        let callback = move |_id: u64, binding: &str, namespace: &str, op: &str, payload: &[u8]| -> HostResult {
            let t = Instant::now();
            let mut state = s.lock().unwrap();
            let answered = answer(&mut state, binding, namespace, op, payload);
            state.host_time += t.elapsed();
            answered
        };
        let host = WapcHost::new(Box::new(engine), Some(Box::new(callback))).expect("wapc_init");
        Policy { host, state }
    }

    /// A raw waPC call.
    pub fn call(&self, op: &str, payload: &[u8]) -> Result<Vec<u8>, wapc::errors::Error> {
        self.host.call(op, payload)
    }

    /// `validate` with raw bytes: the policy must answer a ValidationResponse,
    /// never a guest error or a trap.
    pub fn validate_bytes(&self, payload: &[u8]) -> Value {
        let out =
            self.call("validate", payload).unwrap_or_else(|e| panic!("validate failed instead of answering: {e}"));
        serde_json::from_slice(&out).expect("a JSON ValidationResponse")
    }

    pub fn validate(&self, request: &Value) -> Value {
        self.validate_bytes(&serde_json::to_vec(request).unwrap())
    }

    pub fn validate_settings(&self, settings: &[u8]) -> Value {
        let out = self.call("validate_settings", settings).unwrap_or_else(|e| panic!("validate_settings failed: {e}"));
        serde_json::from_slice(&out).expect("a JSON SettingsValidationResponse")
    }

    pub fn set_fault(&self, fault: Option<Fault>) {
        self.state.lock().unwrap().fault = fault;
    }

    pub fn set_store(&self, store: Store) {
        self.state.lock().unwrap().store = store;
    }

    /// The host calls made since the last time, as `op apiVersion/Kind namespace[/name][?fieldSelector]`.
    pub fn take_calls(&self) -> Vec<String> {
        std::mem::take(&mut self.state.lock().unwrap().calls)
    }

    /// Time spent in the host callback since the last time.
    pub fn take_host_time(&self) -> Duration {
        std::mem::take(&mut self.state.lock().unwrap().host_time)
    }

    /// Every (apiVersion, kind) this instance has read.
    pub fn reads(&self) -> BTreeSet<(String, String)> {
        self.state.lock().unwrap().reads.clone()
    }
}

fn answer(s: &mut HostState, binding: &str, namespace: &str, op: &str, payload: &[u8]) -> HostResult {
    if (binding, namespace) != ("kubewarden", "kubernetes") {
        return Err(format!("unknown capability {binding}/{namespace}/{op}").into());
    }
    let req: Value = serde_json::from_slice(payload)?;
    let text = |k: &str| req[k].as_str().unwrap_or("").to_owned();
    let (api_version, kind, ns, name) = (text("api_version"), text("kind"), text("namespace"), text("name"));
    let selector = req["field_selector"].as_str();
    s.calls.push(format!(
        "{op} {api_version}/{kind} {ns}{}{}",
        if name.is_empty() { String::new() } else { format!("/{name}") },
        selector.map(|f| format!("?{f}")).unwrap_or_default()
    ));
    if !allowed_resources().contains(&(api_version.clone(), kind.clone())) {
        return Err(format!(
            "Policy has not been granted access to Kubernetes {api_version}/{kind} resources. The violation has been reported."
        )
        .into());
    }
    s.reads.insert((api_version.clone(), kind.clone()));
    match s.fault {
        Some(Fault::Error(f)) if f == op || f == "*" => return Err("injected: the API server is unreachable".into()),
        Some(Fault::Garbage(f)) if f == op || f == "*" => return Ok(b"<html>502 Bad Gateway</html>".to_vec()),
        _ => {}
    }
    match op {
        "get_resource" => match s.store.get(&api_version, &kind, &ns, &name) {
            Some(o) => Ok(serde_json::to_vec(o)?),
            None => Err(format!(
                "Cannot find {api_version}/{kind} named '{name}' inside of namespace '{:?}'",
                Some(ns.as_str())
            )
            .into()),
        },
        "list_resources_by_namespace" => {
            if !req["label_selector"].is_null() {
                return Err("this host serves no label selectors".into());
            }
            let by_name = match selector {
                None => None,
                Some(f) => Some(f.strip_prefix("metadata.name=").ok_or("this host serves metadata.name= only")?),
            };
            let items: Vec<Value> = s
                .store
                .list(&api_version, &kind, &ns)
                .into_iter()
                .filter(|o| by_name.is_none_or(|n| o["metadata"]["name"] == n))
                .map(|o| {
                    let mut o = o.clone();
                    let m = o.as_object_mut().unwrap();
                    m.remove("kind");
                    m.remove("apiVersion");
                    o
                })
                .collect();
            Ok(serde_json::to_vec(
                &json!({"apiVersion": api_version, "kind": format!("{kind}List"), "metadata": {}, "items": items}),
            )?)
        }
        other => Err(format!("unknown operation {other}").into()),
    }
}
