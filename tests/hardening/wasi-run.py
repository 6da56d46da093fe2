"""Runs the WASI command under wasmtime (as tests/engines/hosts.py does) with
stdin read from a path, e.g. /dev/zero: `python3 wasi-run.py WASM STDIN`.
Exit status and stdout are the command's; the peak RSS in KiB goes to
$RSS_FILE. (Node's own WASI crashes V8 when the module's memory grows to
128 MiB, so wasmtime it is.)"""
import os
import resource
import sys
import tempfile
from pathlib import Path

import wasmtime

wasm, stdin_path = sys.argv[1], sys.argv[2]
engine = wasmtime.Engine()
module = wasmtime.Module.from_file(engine, wasm)
with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "out"
    cfg = wasmtime.WasiConfig()
    cfg.stdin_file = stdin_path
    cfg.stdout_file = str(out)
    cfg.inherit_stderr()
    store = wasmtime.Store(engine)
    store.set_wasi(cfg)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    try:
        linker.instantiate(store, module).exports(store)["_start"](store)
        code = 0
    except wasmtime.ExitTrap as e:
        code = e.code
    sys.stdout.buffer.write(out.read_bytes())
if os.environ.get("RSS_FILE"):
    Path(os.environ["RSS_FILE"]).write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
sys.exit(code)
