"""Engine tests under wasmtime: the import-free module (instantiated with no
imports) and the WASI command, against the shared plan fixtures and checksum
vectors. Run after scripts/build.sh: `python3 -m pytest tests/engines`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import wasmtime

from hosts import (
    ABI_WASM,
    REPO,
    SHARED,
    AbiHost,
    fixture_expected,
    fixture_names,
    fixture_request,
    run_wasi,
)

EXPECTED_EXPORTS = {"memory", "alloc", "dealloc", "abi_version", "plan", "checksum"}


@pytest.fixture(scope="module")
def host() -> AbiHost:
    return AbiHost()


def plan(host: AbiHost, request: bytes) -> dict:
    return json.loads(host.call("plan", request))


# --- what the fixtures' expected.json fields are, read off a plan ----------


def pod_spec_refs(pod_spec: dict) -> list[str]:
    """Every ConfigMap/Secret name the pod spec references, as sorted unique `configmap/x` / `secret/x`."""
    refs: set[str] = set()

    def volume_source(src: dict) -> None:
        if (cm := src.get("configMap")) and cm.get("name"):
            refs.add(f"configmap/{cm['name']}")
        if (s := src.get("secret")) and (s.get("secretName") or s.get("name")):
            # volumes use secret.secretName; projected sources use secret.name
            refs.add(f"secret/{s.get('secretName') or s.get('name')}")

    for vol in pod_spec.get("volumes") or []:
        volume_source(vol)
        for src in (vol.get("projected") or {}).get("sources") or []:
            volume_source(src)
    for c in (pod_spec.get("containers") or []) + (pod_spec.get("initContainers") or []):
        for env in c.get("env") or []:
            vf = env.get("valueFrom") or {}
            if (r := vf.get("configMapKeyRef")) and r.get("name"):
                refs.add(f"configmap/{r['name']}")
            if (r := vf.get("secretKeyRef")) and r.get("name"):
                refs.add(f"secret/{r['name']}")
        for ef in c.get("envFrom") or []:
            if (r := ef.get("configMapRef")) and r.get("name"):
                refs.add(f"configmap/{r['name']}")
            if (r := ef.get("secretRef")) and r.get("name"):
                refs.add(f"secret/{r['name']}")
    return sorted(refs)


def summarise(p: dict, want: dict) -> dict:
    """The plan `p` reduced to the fields `want` (one expected.json entry) names."""
    got: dict = {
        "canary": p["canary"]["name"],
        "namespace": p["canary"]["namespace"],
        "targetKind": (p.get("target") or {}).get("kind"),
    }
    if p.get("error"):
        got["error"] = p["error"]["code"]
        if "ref" in p["error"]:
            got["errorRef"] = p["error"]["ref"]
    else:
        got["trackedConfigs"] = p["trackedConfigs"]
        got["configsChanged"] = p["configsChanged"]
    if "missingOptional" in want:
        got["missingOptional"] = sorted(u["ref"] for u in p["untrackedConfigs"] if u["reason"] == "optional-missing")
    if "primaryConfigs" in want:
        got["primaryConfigs"] = [f"{o['kind'].lower()}/{o['metadata']['name']}" for o in p["primaryConfigs"]]
    if "primaryPodSpecRefs" in want:
        got["primaryPodSpecRefs"] = pod_spec_refs(p["primaryWorkload"]["spec"]["template"]["spec"])
    if "services" in want:
        got["services"] = [p["services"]["primary"]["metadata"]["name"], p["services"]["canary"]["metadata"]["name"]]
    return got


# --- the import-free module ---------------------------------------------------


def test_abi_module_has_no_imports_and_the_v1_exports():
    module = wasmtime.Module.from_file(wasmtime.Engine(), str(ABI_WASM))
    assert module.imports == []
    assert EXPECTED_EXPORTS <= {e.name for e in module.exports}


def test_abi_version_is_1(host):
    assert host.abi_version == 1


def test_fixtures_are_there():
    assert len(fixture_names()) >= 14, f"expected the shared and local plan fixtures under {SHARED}"


def test_local_fixtures_are_generated():
    """tests/data/fixtures/plan-local is exactly what scripts/gen-plan-local.py writes."""
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "gen-plan-local.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_plan(host, name):
    want = fixture_expected(name)
    response = plan(host, fixture_request(name))
    assert "error" not in response, response
    plans = response["plans"]
    assert len(plans) == len(want)
    for p, w in zip(plans, want):
        assert summarise(p, w) == w


@pytest.mark.parametrize("name", fixture_names())
def test_wasi_command_prints_the_abi_response(host, name):
    request = fixture_request(name)
    code, out, err = run_wasi(request)
    assert code == 0, err
    assert out == host.call("plan", request) + b"\n"


@pytest.fixture(scope="module")
def native_command() -> str:
    """The same command built natively (cargo's debug build), the reference the wasm builds must match."""
    subprocess.run(["cargo", "build", "-q", "-p", "canary-tracker-wasi"], cwd=REPO, check=True)
    meta = json.loads(subprocess.run(["cargo", "metadata", "-q", "--format-version", "1", "--no-deps"],
                                     cwd=REPO, check=True, capture_output=True).stdout)
    return str(REPO / meta["target_directory"] / "debug" / "canary-tracker-wasi")


@pytest.mark.parametrize("name", fixture_names())
def test_native_command_prints_the_abi_response(host, native_command, name):
    request = fixture_request(name)
    done = subprocess.run([native_command], input=request, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == host.call("plan", request) + b"\n"


ERROR_INPUTS = [
    (b"", "invalid-json"),
    (b"not json", "invalid-json"),
    (b"\xff\xfe{}", "invalid-utf8"),
    (b'{"objects": 3}', "invalid-request"),
    (b"[]", "invalid-request"),
    (b'{"objects": [], "extra": 1}', "invalid-request"),
    (b'{"objects": [], "options": {"flaggerVersion": "0.1.0"}}', "unsupported-flagger-version"),
    (b'{"objects": [], "canary": {"name": "nope"}}', "canary-not-found"),
    (b"[" * 100_000 + b"]" * 100_000, "invalid-json"),
    (b'{"objects": [' + b"{" * 50_000 + b"]}", "invalid-json"),
]


@pytest.mark.parametrize("data,code", ERROR_INPUTS, ids=[c + f"-{i}" for i, (_, c) in enumerate(ERROR_INPUTS)])
def test_error_inputs_are_json_error_responses(host, data, code):
    response = plan(host, data)  # a trap would raise wasmtime.Trap here
    assert set(response) == {"error"}
    assert response["error"]["code"] == code
    assert isinstance(response["error"]["message"], str) and response["error"]["message"]


@pytest.mark.parametrize("data,code", ERROR_INPUTS[:4], ids=[c for _, c in ERROR_INPUTS[:4]])
def test_wasi_error_inputs_exit_1_with_the_error_response(host, data, code):
    status, out, _ = run_wasi(data)
    assert status == 1
    assert json.loads(out)["error"]["code"] == code
    assert out == host.call("plan", data) + b"\n"


def test_the_module_keeps_working_after_errors(host):
    for data, _ in ERROR_INPUTS:
        host.call("plan", data)
    name = fixture_names()[0]
    assert summarise(plan(host, fixture_request(name))["plans"][0], fixture_expected(name)[0]) == fixture_expected(name)[0]


def test_responses_are_freed(host):
    """dealloc really frees: many calls do not grow the memory."""
    request = fixture_request("podinfo-first-run")
    for _ in range(20):
        host.call("plan", request)
    before = host.memory_bytes()
    for _ in range(300):
        host.call("plan", request)
    assert host.memory_bytes() == before


def test_alloc_zero_and_dealloc(host):
    ptr = host._alloc(host.store, 0)
    assert ptr != 0
    host._dealloc(host.store, ptr, 0)
    assert plan(host, b"")["error"]["code"] == "invalid-json"


# --- checksum -----------------------------------------------------------------

VECTORS = json.loads((SHARED / "vectors" / "checksum-go1.23.json").read_text(encoding="utf-8"))
# Go ignores stringData; canary-tracker normalises it into data first (vectors/README.md).
CHECKSUM_CASES = [v for v in VECTORS if v["name"] != "secret-stringdata-ignored"]
NIL_CHECKSUM = next(v["checksum"] for v in VECTORS if v["name"] == "cm-data-absent")


@pytest.mark.parametrize("case", CHECKSUM_CASES, ids=[v["name"] for v in CHECKSUM_CASES])
def test_checksum_vectors(host, case):
    response = json.loads(host.call("checksum", case["object_json"].encode("utf-8")))
    if "error" in case:
        assert set(response) == {"error"}, response
        return
    data = (case["object"] or {}).get("data")
    if data == {}:
        # vectors/README.md: storage drops an empty map, so Flagger hashes `null`.
        assert response == {"checksum": NIL_CHECKSUM}
    elif case["kind"] == "Secret" and isinstance(data, dict) and None in data.values():
        # A Secret `null` is stored as empty bytes: it hashes as "" does, not as Go's raw `null`.
        stored = dict(case["object"], data={k: "" if v is None else v for k, v in data.items()})
        assert response == json.loads(host.call("checksum", json.dumps(stored).encode("utf-8")))
        assert response != {"checksum": case["checksum"]}
    else:
        assert response == {"checksum": case["checksum"]}


@pytest.mark.parametrize(
    "data,code",
    [(b"\xff", "invalid-utf8"), (b"{", "invalid-json"), (b'{"kind": "Service"}', "invalid-object"), (b"", "invalid-json")],
)
def test_checksum_errors_are_json(host, data, code):
    assert json.loads(host.call("checksum", data))["error"]["code"] == code
