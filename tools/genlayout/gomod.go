package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// semver is a minimal semantic version (vMAJOR.MINOR.PATCH[-PRE]); build metadata is not used here.
type semver struct {
	major, minor, patch int
	pre                 string
	raw                 string
}

func parseSemver(s string) (semver, bool) {
	v := semver{raw: s}
	t := strings.TrimPrefix(s, "v")
	if i := strings.IndexByte(t, '+'); i >= 0 {
		t = t[:i]
	}
	if i := strings.IndexByte(t, '-'); i >= 0 {
		v.pre = t[i+1:]
		t = t[:i]
	}
	parts := strings.Split(t, ".")
	if len(parts) != 3 {
		return v, false
	}
	var nums [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || p == "" {
			return v, false
		}
		nums[i] = n
	}
	v.major, v.minor, v.patch = nums[0], nums[1], nums[2]
	return v, true
}

// cmpSemver orders versions as semver does (a pre-release sorts before its release).
func cmpSemver(a, b semver) int {
	for _, d := range []int{a.major - b.major, a.minor - b.minor, a.patch - b.patch} {
		if d != 0 {
			if d < 0 {
				return -1
			}
			return 1
		}
	}
	switch {
	case a.pre == b.pre:
		return 0
	case a.pre == "":
		return 1
	case b.pre == "":
		return -1
	}
	ap, bp := strings.Split(a.pre, "."), strings.Split(b.pre, ".")
	for i := 0; i < len(ap) && i < len(bp); i++ {
		an, aerr := strconv.Atoi(ap[i])
		bn, berr := strconv.Atoi(bp[i])
		switch {
		case aerr == nil && berr == nil:
			if an != bn {
				if an < bn {
					return -1
				}
				return 1
			}
		case aerr == nil:
			return -1
		case berr == nil:
			return 1
		default:
			if c := strings.Compare(ap[i], bp[i]); c != 0 {
				return c
			}
		}
	}
	return len(ap) - len(bp)
}

func sortVersions(vs []string) {
	sort.SliceStable(vs, func(i, j int) bool {
		a, _ := parseSemver(vs[i])
		b, _ := parseSemver(vs[j])
		return cmpSemver(a, b) < 0
	})
}

// goModVersions returns the effective version of each wanted module in a go.mod file:
// the required version, overridden by a replace directive that keeps a version.
func goModVersions(gomod []byte, wanted []string) (map[string]string, error) {
	want := map[string]bool{}
	for _, w := range wanted {
		want[w] = true
	}
	req := map[string]string{}
	repl := map[string]string{}
	block := ""
	for _, raw := range strings.Split(string(gomod), "\n") {
		line := raw
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if block != "" {
			if line == ")" {
				block = ""
				continue
			}
			handleGoModLine(block, line, req, repl)
			continue
		}
		f := strings.Fields(line)
		if len(f) == 2 && f[1] == "(" {
			block = f[0]
			continue
		}
		handleGoModLine(f[0], strings.TrimSpace(strings.TrimPrefix(line, f[0])), req, repl)
	}
	res := map[string]string{}
	for w := range want {
		if r, ok := repl[w]; ok {
			res[w] = r
		} else if v, ok := req[w]; ok {
			res[w] = v
		} else {
			return nil, fmt.Errorf("go.mod does not require %s", w)
		}
	}
	return res, nil
}

func handleGoModLine(verb, rest string, req, repl map[string]string) {
	f := strings.Fields(rest)
	switch verb {
	case "require":
		if len(f) >= 2 {
			req[f[0]] = f[1]
		}
	case "replace":
		// old [v] => new [v]
		arrow := -1
		for i, x := range f {
			if x == "=>" {
				arrow = i
			}
		}
		if arrow < 1 || arrow+1 >= len(f) {
			return
		}
		old := f[0]
		rhs := f[arrow+1:]
		if len(rhs) == 2 && rhs[0] == old {
			repl[old] = rhs[1]
		} else if len(rhs) == 2 || len(rhs) == 1 {
			// replaced by another module or a local directory: record it so it cannot be silently ignored
			repl[old] = "REPLACED:" + strings.Join(rhs, " ")
		}
	}
}

// release is one Flagger release and the module versions its go.mod pins.
type release struct {
	Flagger      string `json:"flagger"`
	Tag          string `json:"tag"`
	K8sAPI       string `json:"k8sApi"`
	Apimachinery string `json:"apimachinery"`
	Spew         string `json:"spew"`
	Inf          string `json:"inf"` // gopkg.in/inf.v0 (go.mod, else the go.sum entry)
	Layout       string `json:"layout"`
}

const (
	modAPI  = "k8s.io/api"
	modAM   = "k8s.io/apimachinery"
	modSpew = "github.com/davecgh/go-spew"
	modInf  = "gopkg.in/inf.v0"
)

// flaggerReleases reads go.mod at every Flagger release tag in [from, to] (semver order).
func flaggerReleases(flagger *gitRepo, from, to string) ([]release, error) {
	tags, err := flagger.tags()
	if err != nil {
		return nil, err
	}
	lo, ok1 := parseSemver(from)
	hi, ok2 := parseSemver(to)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("bad -from/-to %q %q", from, to)
	}
	var sel []string
	for _, t := range tags {
		if !strings.HasPrefix(t, "v") {
			continue
		}
		v, ok := parseSemver(t)
		if !ok {
			continue
		}
		if cmpSemver(v, lo) >= 0 && cmpSemver(v, hi) <= 0 {
			sel = append(sel, t)
		}
	}
	sortVersions(sel)
	var out []release
	for _, t := range sel {
		gm, err := flagger.show(t, "go.mod")
		if err != nil {
			return nil, err
		}
		vs, err := goModVersions(gm, []string{modAPI, modAM, modSpew})
		if err != nil {
			return nil, fmt.Errorf("flagger %s: %v", t, err)
		}
		for _, m := range []string{modAPI, modAM} {
			if strings.HasPrefix(vs[m], "REPLACED:") {
				return nil, fmt.Errorf("flagger %s: %s is %s; not supported", t, m, vs[m])
			}
		}
		inf := ""
		if v, err := goModVersions(gm, []string{modInf}); err == nil {
			inf = v[modInf]
		} else if sum, err := flagger.show(t, "go.sum"); err == nil {
			var seen []string
			for _, line := range strings.Split(string(sum), "\n") {
				f := strings.Fields(line)
				if len(f) == 3 && f[0] == modInf && !strings.HasSuffix(f[1], "/go.mod") {
					seen = append(seen, f[1])
				}
			}
			sortVersions(seen)
			if len(seen) > 0 {
				inf = seen[len(seen)-1] + " (go.sum)"
			}
		}
		av, ok := parseSemver(vs[modAPI])
		if !ok || av.major != 0 {
			return nil, fmt.Errorf("flagger %s: unexpected k8s.io/api version %q", t, vs[modAPI])
		}
		out = append(out, release{
			Flagger:      strings.TrimPrefix(t, "v"),
			Tag:          t,
			K8sAPI:       vs[modAPI],
			Apimachinery: vs[modAM],
			Spew:         vs[modSpew],
			Inf:          inf,
			Layout:       fmt.Sprintf("api-v0.%d", av.minor),
		})
	}
	return out, nil
}
