#!/usr/bin/env python3
"""Cross-check src/spechash/layouts.json against go-spew text in spechash.json.

For the two layouts whose spew text the vectors carry (api-v0.36, api-v0.17), parse the
`%#v` output of every case and compare each printed struct (field names in order, and the
printed type of each field) with the struct definition in layouts.json.

Required: the minimal cases (srv-minimal, svc-clusterip) parse and match for PodTemplateSpec,
PodSpec, Container and ServiceSpec. Every other struct seen in any parseable case is checked too.
Usage: check_spew.py [layouts.json] [spechash.json]
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LAYOUTS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "src", "spechash", "layouts.json")
VECTORS = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/vectors/spechash.json"
REQUIRED = {
    "srv-minimal": ["corev1.PodTemplateSpec", "corev1.PodSpec", "corev1.Container"],
    "svc-clusterip": ["corev1.ServiceSpec"],
}
CHECK_LAYOUTS = ["api-v0.36", "api-v0.17"]


def layout_types(doc, name):
    types = dict(doc["types"])
    if name != doc["base"]:
        for k, v in doc["deltas"][name].items():
            if v is None:
                types.pop(k, None)
            else:
                types[k] = v
    return types


class ParseError(Exception):
    pass


def split_type(t):
    """Parse one of our TYPE strings into a tuple tree."""
    if t.startswith("*"):
        return ("ptr", t[1:])
    if t.startswith("[]"):
        return ("slice", t[2:])
    m = re.match(r"\[(\d+)\]", t)
    if m:
        return ("slice", t[m.end():])
    if t.startswith("map["):
        depth, i = 0, 3
        while True:
            c = t[i]
            if c == "[":
                depth += 1
            elif c == "]":
                depth -= 1
                if depth == 0:
                    break
            i += 1
        return ("map", t[4:i], t[i + 1:])
    return ("name", t)


def to_spew(t):
    """Our TYPE string -> the type name go-spew prints (package name, not our key)."""
    return re.sub(r"\b(corev1|metav1)\.", "v1.", t)


class Checker:
    def __init__(self, types):
        self.types = types
        # spew prints v1.X for both corev1 and metav1: resolve by lookup
        self.v1 = {}
        for k in types:
            pk, name = k.split(".", 1)
            if pk in ("corev1", "metav1"):
                if name in self.v1:
                    raise SystemExit(f"ambiguous v1.{name}")
                self.v1[name] = k
        self.seen = {}  # KEY -> list of observed field lists
        self.mismatches = []

    def from_spew(self, t):
        return re.sub(r"\bv1\.(\w+)", lambda m: self.v1.get(m.group(1), "v1?." + m.group(1)), t)

    def underlying(self, t):
        while True:
            k = split_type(t)
            if k[0] == "name" and t in self.types and "n" in self.types[t]:
                t = self.types[t]["n"]
                continue
            return t

    # ---- parser over spew text; s is the whole text, returns new position ----
    def typed(self, s, i):
        """(TYPE)VALUE"""
        if s[i] != "(":
            raise ParseError(f"expected ( at {i}: {s[i:i+40]!r}")
        depth, j = 0, i
        while True:
            if s[j] == "(":
                depth += 1
            elif s[j] == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        spew_t = s[i + 1:j]
        return self.value(s, j + 1, self.from_spew(spew_t), spew_t, context="field")

    def value(self, s, i, t, spew_t, context):
        if s.startswith("<nil>", i):
            return i + 5
        u = self.underlying(t)
        k = split_type(u)
        if k[0] == "ptr":
            return self.value(s, i, k[1], None, context)
        if s[i] == "{":
            return self.struct(s, i, t)
        if k[0] in ("slice", "map") and (s.startswith("map[", i) or s[i] == "["):
            if k[0] == "map":
                i += 4
                while s[i] != "]":
                    j = s.index(":", i)
                    i = self.value(s, j + 1, k[2], None, context="mapval")
                    if s[i] == " ":
                        i += 1
                return i + 1
            i += 1
            while s[i] != "]":
                i = self.value(s, i, k[1], None, context="elem")
                if s[i] == " ":
                    i += 1
            return i + 1
        return self.scalar(s, i, context)

    def scalar(self, s, i, context):
        if context == "field":
            # ends before " Name:(" or the closing brace of the struct
            m = re.compile(r" [A-Za-z_]\w*:\(|\}").search(s, i)
            if not m:
                raise ParseError("unterminated scalar")
            return m.start()
        m = re.compile(r"[ \]]").search(s, i)
        return m.start()

    def struct(self, s, i, t):
        key = t
        while key.startswith("*"):
            key = key[1:]
        i += 1
        fields = []
        while s[i] != "}":
            m = re.compile(r"([A-Za-z_]\w*):\(([^)]*(?:\([^)]*\))?[^)]*)\)").match(s, i)
            if not m:
                raise ParseError(f"field expected at {i}: {s[i:i+40]!r}")
            fields.append((m.group(1), m.group(2)))
            i = self.typed(s, m.end(1) + 1)
            if s[i] == " ":
                i += 1
        self.seen.setdefault(key, []).append(fields)
        return i + 1

    def compare(self):
        checked = {}
        for key, occ in sorted(self.seen.items()):
            if key.split(".")[0] in ("time", "inf", "big"):
                continue  # opaque: layouts are hard-coded on the Rust side
            d = self.types.get(key)
            if d is None or "s" not in d:
                self.mismatches.append(f"{key}: printed by spew but not a struct in layouts.json")
                continue
            want = [(f[0], to_spew(f[2])) for f in d["s"]]
            for fields in occ:
                if fields != want:
                    self.mismatches.append(f"{key}: spew {fields} != layout {want}")
                    break
            checked[key] = len(occ)
        return checked


def main():
    doc = json.load(open(LAYOUTS))
    vec = json.load(open(VECTORS))
    ok = True
    for lay in CHECK_LAYOUTS:
        types = layout_types(doc, lay)
        all_checked, parsed, skipped, bad = {}, 0, [], []
        for case in vec["cases"]:
            text = (case.get("spew") or {}).get(lay)
            if not isinstance(text, str):
                continue
            c = Checker(types)
            try:
                end = c.typed(text, 0)
                if end != len(text):
                    raise ParseError(f"trailing text at {end}")
            except (ParseError, ValueError, IndexError) as e:
                skipped.append(case["name"])
                if case["name"] in REQUIRED:
                    bad.append(f"{case['name']}: unparseable: {e}")
                continue
            parsed += 1
            checked = c.compare()
            for k, n in checked.items():
                all_checked[k] = all_checked.get(k, 0) + n
            bad += [f"{case['name']}: {m}" for m in c.mismatches]
            for need in REQUIRED.get(case["name"], []):
                if need not in checked:
                    bad.append(f"{case['name']}: {need} not printed")
                else:
                    names = [f[0] for f in c.seen[need][0]]
                    print(f"{lay} {case['name']}: {need} fields in order match ({len(names)}): {' '.join(names)}")
        print(f"{lay}: {parsed} cases parsed, {len(all_checked)} struct types checked "
              f"({sum(all_checked.values())} occurrences); not parseable by this simple parser: {skipped or 'none'}")
        if bad:
            ok = False
            print(f"{lay}: {len(bad)} MISMATCH(ES):")
            for b in bad:
                print("  " + b)
        else:
            print(f"{lay}: all checked structs match layouts.json (field names, order and printed types)")
    print("RESULT:", "OK" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
