"""Hosts for the built wasm modules under wasmtime (PyPI `wasmtime`), and the
shared plan fixtures as JSON requests. Used by test_engines.py, and by
node-engines.test.mjs through the command line:

    python3 tests/engines/hosts.py dump OUTDIR

writes, for each fixture NAME, OUTDIR/NAME.request.json (the exact bytes fed
to every engine), OUTDIR/NAME.abi.json (wasmtime, import-free module) and
OUTDIR/NAME.wasi.json (wasmtime, WASI command: its stdout), then
OUTDIR/index.json listing the names.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import wasmtime
import yaml

REPO = Path(__file__).resolve().parents[2]
PKG = Path(os.environ.get("CANARY_PKG", REPO / "js" / "pkg"))  # CANARY_PKG: test another build
ABI_WASM = PKG / "abi" / "canary_tracker.wasm"
WASI_WASM = PKG / "wasi" / "canary-tracker.wasm"
# Everything the tests read is vendored in tests/data (scripts/sync-shared.sh).
SHARED = REPO / "tests" / "data"
PLAN_FIXTURES = SHARED / "fixtures" / "plan"
# This repository's own scenarios in the same format (scripts/gen-plan-local.py).
LOCAL_FIXTURES = SHARED / "fixtures" / "plan-local"


class _K8sLoader(yaml.SafeLoader):
    """YAML as Kubernetes reads it for these manifests: timestamps stay strings."""


_K8sLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _fixture_dirs() -> dict[str, Path]:
    """Every scenario folder, shared and local, by name (names are unique across both)."""
    if not PLAN_FIXTURES.is_dir():
        raise FileNotFoundError(f"no plan fixtures at {PLAN_FIXTURES}")
    dirs = {}
    for root in (PLAN_FIXTURES, LOCAL_FIXTURES):
        for p in root.iterdir() if root.is_dir() else []:
            if (p / "objects.yaml").is_file():
                assert p.name not in dirs, f"fixture {p.name} is both shared and local"
                dirs[p.name] = p
    return dirs


def fixture_names() -> list[str]:
    return sorted(_fixture_dirs())


def fixture_request(name: str) -> bytes:
    """The plan request for one fixture, as the exact JSON bytes every engine gets."""
    text = (_fixture_dirs()[name] / "objects.yaml").read_text(encoding="utf-8")
    objects = [d for d in yaml.load_all(text, Loader=_K8sLoader) if d is not None]
    return json.dumps({"objects": objects}, ensure_ascii=False).encode("utf-8")


def fixture_expected(name: str) -> list[dict]:
    return json.loads((_fixture_dirs()[name] / "expected.json").read_text(encoding="utf-8"))


class AbiHost:
    """The import-free module, instantiated with no imports at all."""

    def __init__(self, path: Path = ABI_WASM):
        self.engine = wasmtime.Engine()
        self.module = wasmtime.Module.from_file(self.engine, str(path))
        self.store = wasmtime.Store(self.engine)
        self.instance = wasmtime.Instance(self.store, self.module, [])
        ex = self.instance.exports(self.store)
        self.memory: wasmtime.Memory = ex["memory"]
        self._alloc = ex["alloc"]
        self._dealloc = ex["dealloc"]
        self._fns = {"plan": ex["plan"], "checksum": ex["checksum"]}
        self.abi_version = ex["abi_version"](self.store)

    def memory_bytes(self) -> int:
        return self.memory.data_len(self.store)

    def call(self, fn: str, data: bytes) -> bytes:
        """Calls `plan` or `checksum` with `data`; returns the response bytes, freed."""
        n = len(data)
        ptr = self._alloc(self.store, n)
        assert ptr != 0 or n == 0, "alloc returned 0"
        if n:
            self.memory.write(self.store, data, ptr)
        packed = self._fns[fn](self.store, ptr, n) & 0xFFFF_FFFF_FFFF_FFFF
        self._dealloc(self.store, ptr, n)
        rptr, rlen = packed >> 32, packed & 0xFFFF_FFFF
        assert rptr != 0, f"{fn} could not allocate its response"
        out = self.memory.read(self.store, rptr, rptr + rlen)
        self._dealloc(self.store, rptr, rlen)
        return bytes(out)


def run_wasi(data: bytes, path: Path = WASI_WASM) -> tuple[int, bytes, bytes]:
    """Runs the WASI command with `data` on stdin: (exit code, stdout, stderr)."""
    engine = wasmtime.Engine()
    module = wasmtime.Module.from_file(engine, str(path))
    with tempfile.TemporaryDirectory() as tmp:
        stdin, stdout, stderr = (Path(tmp) / n for n in ("in", "out", "err"))
        stdin.write_bytes(data)
        cfg = wasmtime.WasiConfig()
        cfg.stdin_file = str(stdin)
        cfg.stdout_file = str(stdout)
        cfg.stderr_file = str(stderr)
        store = wasmtime.Store(engine)
        store.set_wasi(cfg)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        instance = linker.instantiate(store, module)
        try:
            instance.exports(store)["_start"](store)
            code = 0
        except wasmtime.ExitTrap as e:
            code = e.code
        return code, stdout.read_bytes(), stderr.read_bytes()


def dump(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    host = AbiHost()
    names = fixture_names()
    for name in names:
        request = fixture_request(name)
        (outdir / f"{name}.request.json").write_bytes(request)
        (outdir / f"{name}.abi.json").write_bytes(host.call("plan", request))
        code, out, err = run_wasi(request)
        if code != 0:
            raise SystemExit(f"{name}: the WASI command exited {code}: {err.decode(errors='replace')}")
        (outdir / f"{name}.wasi.json").write_bytes(out)
    (outdir / "index.json").write_text(json.dumps(names))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "dump":
        raise SystemExit("usage: hosts.py dump OUTDIR")
    dump(Path(sys.argv[2]))
