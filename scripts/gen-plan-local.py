#!/usr/bin/env python3
"""Writes tests/data/fixtures/plan-local/: plan scenarios in the shared fixtures'
format (tests/data/fixtures/README.md) that reproduce issue 16's disagreements
with Flagger. Unlike tests/data/fixtures/plan (vendored, read-only), these live
here; run `python3 scripts/gen-plan-local.py` after editing a scenario, or
`--check` to fail if the files on disk differ.

Each scenario states what Flagger v1.44 does (the expectations are written from
its source, cited per scenario); checksums are computed here with hashlib, as
Flagger's `checksum()` does: hex(sha256(json.Marshal(data))[:8]), `null` for a
nil map. Values are kept to characters Go's encoder does not escape, so
Python's JSON text is Go's.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
from pathlib import Path

import yaml

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "fixtures" / "plan-local"
NS = "demo"
PLAIN = re.compile(r"^[A-Za-z0-9 =+/._-]*$")


def checksum(data: dict | None) -> str:
    """Flagger's checksum of `data` as Flagger reads it (None: nil map)."""
    for k, v in (data or {}).items():
        assert PLAIN.match(k) and PLAIN.match(v), "keep fixture data to text Go does not escape"
    text = "null" if data is None else json.dumps(data, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def canary(name: str, kind: str, tracked: dict | None = None) -> dict:
    c = {
        "apiVersion": "flagger.app/v1beta1",
        "kind": "Canary",
        "metadata": {"name": name, "namespace": NS},
        "spec": {
            "targetRef": {"apiVersion": "apps/v1", "kind": kind, "name": name},
            "service": {"port": 8080},
            "analysis": {"interval": "1m", "threshold": 5, "maxWeight": 50, "stepWeight": 10},
        },
    }
    if tracked is not None:
        c["status"] = {"phase": "Succeeded", "trackedConfigs": tracked}
    return c


def workload(kind: str, name: str, pod_spec: dict, match_labels: dict | None = None, **spec) -> dict:
    labels = match_labels if match_labels is not None else {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": name, "namespace": NS, "labels": dict(labels)},
        "spec": {
            **spec,
            "selector": {"matchLabels": dict(labels)},
            "template": {"metadata": {"labels": dict(labels)}, "spec": pod_spec},
        },
    }


def container(**refs) -> dict:
    return {"name": "app", "image": "ghcr.io/stefanprodan/podinfo:6.7.0", **refs}


def configmap(name: str, data: dict | None) -> dict:
    o = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": NS}}
    if data is not None:
        o["data"] = data
    return o


def secret(name: str, data: dict | None = None, string_data: dict | None = None) -> dict:
    o = {"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": {"name": name, "namespace": NS}}
    if data is not None:
        o["data"] = data
    if string_data is not None:
        o["stringData"] = string_data
    return o


def failed(name: str, kind: str, error: str, ref: str | None = None) -> dict:
    e = {"canary": name, "namespace": NS, "targetKind": kind, "error": error}
    if ref:
        e["errorRef"] = ref
    return e


def scenarios() -> dict[str, tuple[list[dict], list[dict]]]:
    out = {}

    # Issue 16 item 3. scheduler.go advanceCanary: GetMetadata (getSelectorLabel)
    # fails before Initialize -> createPrimaryDeployment -> GetTargetConfigs.
    spec = {"containers": [container(envFrom=[{"configMapRef": {"name": "web-settings"}}])]}
    out["selector-label-first"] = (
        [canary("web", "Deployment"), workload("Deployment", "web", spec, match_labels={"tier": "web"})],
        [failed("web", "Deployment", "no-selector-label")],
    )

    # Item 4. daemonset_controller.go createPrimaryDaemonSet checks the update
    # strategy before GetTargetConfigs.
    spec = {"containers": [container(envFrom=[{"configMapRef": {"name": "agent-settings"}}])]}
    out["daemonset-strategy-first"] = (
        [canary("agent", "DaemonSet"), workload("DaemonSet", "agent", spec, updateStrategy={"type": "OnDelete"})],
        [failed("agent", "DaemonSet", "unsupported-update-strategy")],
    )

    # Item 5. config_tracker.go GetTargetConfigs: every ConfigMap, then every Secret.
    spec = {
        "volumes": [{"name": "creds", "secret": {"secretName": "api-creds"}}],
        "containers": [container(envFrom=[{"configMapRef": {"name": "api-settings"}}])],
    }
    out["configmaps-before-secrets"] = (
        [canary("api", "Deployment"), workload("Deployment", "api", spec)],
        [failed("api", "Deployment", "config-not-found", "configmap/api-settings")],
    )

    # Item 6 and the Secret `null` rule: Flagger hashes data as the API server
    # stores it: an empty map is none (`null`), a `null` Secret value empty bytes.
    stored = {
        "configmap/flags": checksum(None),
        "secret/token": checksum(None),
        "secret/extra": checksum(None),
        "secret/keys": checksum({"a": "", "b": b64("bee")}),
    }
    spec = {
        "containers": [
            container(
                envFrom=[
                    {"configMapRef": {"name": "flags"}},
                    {"secretRef": {"name": "token"}},
                    {"secretRef": {"name": "extra"}},
                    {"secretRef": {"name": "keys"}},
                ]
            )
        ]
    }
    objects = [
        canary("store", "Deployment", tracked=stored),
        workload("Deployment", "store", spec),
        configmap("flags", {}),
        secret("token", data={}),
        secret("extra", string_data={}),
        secret("keys", data={"a": None, "b": b64("bee")}),
    ]
    refs = ["configmap/flags", "secret/extra", "secret/keys", "secret/token"]
    out["empty-data-maps"] = (
        objects,
        [
            {
                "canary": "store",
                "namespace": NS,
                "targetKind": "Deployment",
                "trackedConfigs": stored,
                "configsChanged": False,
                "missingOptional": [],
                "primaryConfigs": [f"{r}-primary" for r in refs],
                "primaryPodSpecRefs": [f"{r}-primary" for r in refs],
            }
        ],
    )

    # Item 8. createPrimaryDaemonSet: `Type != "" && Type != RollingUpdate` fails,
    # so an empty type passes.
    spec = {"containers": [container(envFrom=[{"configMapRef": {"name": "node-settings"}}])]}
    out["daemonset-empty-strategy"] = (
        [
            canary("node", "DaemonSet"),
            workload("DaemonSet", "node", spec, updateStrategy={"type": ""}),
            configmap("node-settings", {"level": "info"}),
        ],
        [
            {
                "canary": "node",
                "namespace": NS,
                "targetKind": "DaemonSet",
                "trackedConfigs": {"configmap/node-settings": checksum({"level": "info"})},
                "configsChanged": True,
                "missingOptional": [],
                "primaryConfigs": ["configmap/node-settings-primary"],
                "primaryPodSpecRefs": ["configmap/node-settings-primary"],
            }
        ],
    )

    # Also decided: the API server rejects an env var with both configMapKeyRef
    # and secretKeyRef (validateEnvVarValueFrom), so Flagger never sees one.
    env = [{"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "mode", "key": "m"},
                                          "secretKeyRef": {"name": "mode", "key": "m"}}}]
    out["env-configmap-and-secret"] = (
        [
            canary("mixed", "Deployment"),
            workload("Deployment", "mixed", {"containers": [container(env=env)]}),
            configmap("mode", {"m": "fast"}),
            secret("mode", data={"m": b64("slow")}),
        ],
        [failed("mixed", "Deployment", "invalid-object")],
    )
    return out


def render() -> dict[Path, str]:
    files = {}
    for name, (objects, expected) in scenarios().items():
        docs = yaml.safe_dump_all(objects, sort_keys=False, default_flow_style=False)
        files[OUT / name / "objects.yaml"] = docs
        files[OUT / name / "expected.json"] = json.dumps(expected, indent=1, sort_keys=True) + "\n"
    return files


def main() -> int:
    files = render()
    if sys.argv[1:] == ["--check"]:
        stale = [str(p) for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"gen-plan-local: {p} is stale (run scripts/gen-plan-local.py)", file=sys.stderr)
        return 1 if stale else 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"gen-plan-local: wrote {len(files) // 2} scenarios to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
