// Command genlayout derives, for each Flagger "layout" (group of releases linking the same
// k8s.io/api minor version), the Go type declarations reachable from corev1.PodTemplateSpec and
// corev1.ServiceSpec, from the upstream Go sources in local git mirrors, and writes them as a
// compact JSON file (base layout + per-layout deltas). See README.md.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "genlayout: FATAL: "+format+"\n", args...)
	os.Exit(1)
}

func marshalCompact(v interface{}) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func mustMarshal(v interface{}) []byte {
	b, err := marshalCompact(v)
	if err != nil {
		fail("json: %v", err)
	}
	return b
}

// omap is a JSON object that keeps insertion order.
type omap []kv
type kv struct {
	k string
	v interface{}
}

func (o omap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(mustMarshal(e.k))
		b.WriteByte(':')
		b.Write(mustMarshal(e.v))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

var roots = []string{"corev1.PodTemplateSpec", "corev1.ServiceSpec"}

type layoutResult struct {
	name   string
	apis   []string
	ams    []string
	defs   map[string]typeDef
	opaque []string
}

func uniqSorted(xs []string) []string {
	set := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !set[x] {
			set[x] = true
			out = append(out, x)
		}
	}
	sortVersions(out)
	return out
}

func main() {
	apiDir := flag.String("api", "", "git mirror of k8s.io/api")
	amDir := flag.String("apimachinery", "", "git mirror of k8s.io/apimachinery")
	flaggerDir := flag.String("flagger", "", "git mirror of fluxcd/flagger")
	from := flag.String("from", "v1.0.0-rc.1", "first Flagger release tag")
	to := flag.String("to", "v1.44.0", "last Flagger release tag")
	vectors := flag.String("vectors", "", "optional spechash.json to compare the derived release table against")
	out := flag.String("out", "", "output layouts.json")
	table := flag.String("table", "", "output: derived release table (JSON)")
	report := flag.String("report", "", "output: decoding-code diff details (text)")
	flag.Parse()
	if *apiDir == "" || *amDir == "" || *flaggerDir == "" || *out == "" {
		fail("usage: genlayout -api DIR -apimachinery DIR -flagger DIR -out FILE [-table FILE] [-report FILE] [-vectors FILE]")
	}
	api, am, flagger := newGitRepo(*apiDir), newGitRepo(*amDir), newGitRepo(*flaggerDir)

	// 1. Release table from Flagger's go.mod at each tag.
	rels, err := flaggerReleases(flagger, *from, *to)
	if err != nil {
		fail("%v", err)
	}
	fmt.Printf("Flagger releases %s..%s: %d tags\n", *from, *to, len(rels))
	if *table != "" {
		var b bytes.Buffer
		b.WriteString("[\n")
		for i, r := range rels {
			b.Write(mustMarshal(r))
			if i < len(rels)-1 {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString("]\n")
		if err := os.WriteFile(*table, b.Bytes(), 0o644); err != nil {
			fail("%v", err)
		}
		fmt.Printf("wrote %s\n", *table)
	}
	if *vectors != "" {
		compareVectors(*vectors, rels)
	}

	// 2. Group into layouts, oldest first.
	var order []string
	byLayout := map[string][]release{}
	for _, r := range rels {
		if _, ok := byLayout[r.Layout]; !ok {
			order = append(order, r.Layout)
		}
		byLayout[r.Layout] = append(byLayout[r.Layout], r)
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, _ := parseSemver(byLayout[order[i]][0].K8sAPI)
		b, _ := parseSemver(byLayout[order[j]][0].K8sAPI)
		return cmpSemver(a, b) < 0
	})
	// releases must map to layouts monotonically (a layout is one contiguous run of releases)
	for i := 1; i < len(rels); i++ {
		a, _ := parseSemver(rels[i-1].K8sAPI)
		b, _ := parseSemver(rels[i].K8sAPI)
		if cmpSemver(a, b) > 0 {
			fmt.Printf("NOTE: k8s.io/api goes backwards between Flagger %s (%s) and %s (%s)\n", rels[i-1].Flagger, rels[i-1].K8sAPI, rels[i].Flagger, rels[i].K8sAPI)
		}
	}

	// 3. Compute each layout from every k8s.io/api x apimachinery version combination it uses; all must agree.
	var results []*layoutResult
	loggedSkips := map[string]bool{}
	for _, name := range order {
		var apis, ams []string
		for _, r := range byLayout[name] {
			apis = append(apis, r.K8sAPI)
			ams = append(ams, r.Apimachinery)
		}
		apis, ams = uniqSorted(apis), uniqSorted(ams)
		var ref *layoutResult
		var refJSON []byte
		refDesc := ""
		for _, a := range apis {
			for _, m := range ams {
				defs, opaque := computeLayout(api, am, a, m, roots)
				js := mustMarshal([]interface{}{defs, opaque})
				desc := "k8s.io/api " + a + " + apimachinery " + m
				if ref == nil {
					ref = &layoutResult{name: name, apis: apis, ams: ams, defs: defs, opaque: opaque}
					refJSON, refDesc = js, desc
					continue
				}
				if !bytes.Equal(js, refJSON) {
					var diff []string
					for k, d := range defs {
						if o, ok := ref.defs[k]; !ok || !bytes.Equal(mustMarshal(o), mustMarshal(d)) {
							diff = append(diff, k)
						}
					}
					for k := range ref.defs {
						if _, ok := defs[k]; !ok {
							diff = append(diff, k+" (absent)")
						}
					}
					sort.Strings(diff)
					fail("layout %s: %s and %s give different type declarations: %s", name, refDesc, desc, strings.Join(diff, ", "))
				}
			}
		}
		fmt.Printf("layout %-10s k8sApi %-26s apimachinery %-26s %3d types; all %d version combinations identical\n",
			name, strings.Join(apis, ","), strings.Join(ams, ","), len(ref.defs), len(apis)*len(ams))
		for _, pk := range pkgCache {
			for _, s := range pk.skip {
				k := pk.info.Path + " " + s
				if !loggedSkips[k] {
					loggedSkips[k] = true
				}
			}
		}
		results = append(results, ref)
	}
	var skips []string
	for k := range loggedSkips {
		skips = append(skips, k)
	}
	sort.Strings(skips)
	fmt.Printf("files excluded by build constraints (any version): %s\n", strings.Join(skips, "; "))

	// 4. Base (newest) + deltas.
	base := results[len(results)-1]
	deltas := omap{}
	opaqueSet := map[string]bool{}
	for _, r := range results {
		for _, o := range r.opaque {
			opaqueSet[o] = true
		}
		if r == base {
			continue
		}
		d := map[string]interface{}{}
		for k, def := range r.defs {
			if b, ok := base.defs[k]; !ok || !bytes.Equal(mustMarshal(b), mustMarshal(def)) {
				d[k] = def
			}
		}
		for k := range base.defs {
			if _, ok := r.defs[k]; !ok {
				d[k] = nil
			}
		}
		deltas = append(deltas, kv{r.name, d})
		fmt.Printf("delta %-10s vs %s: %d entries\n", r.name, base.name, len(d))
	}
	var opaque []string
	for o := range opaqueSet {
		opaque = append(opaque, o)
	}
	sort.Strings(opaque)
	sources := omap{}
	for _, r := range results {
		sources = append(sources, kv{r.name, omap{{"k8sApi", r.apis}, {"apimachinery", r.ams}}})
	}
	relMap := omap{}
	for _, r := range rels {
		relMap = append(relMap, kv{r.Flagger, r.Layout})
	}
	doc := omap{
		{"generator", "tools/genlayout (from k8s.io/api and k8s.io/apimachinery sources)"},
		{"base", base.name},
		{"order", order},
		{"sources", sources},
		{"releases", relMap},
		{"roots", omap{{"template", "corev1.PodTemplateSpec"}, {"service", "corev1.ServiceSpec"}}},
		{"opaque", opaque},
		{"types", base.defs},
		{"deltas", deltas},
	}
	js := append(mustMarshal(doc), '\n')
	if err := os.WriteFile(*out, js, 0o644); err != nil {
		fail("%v", err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(js)
	zw.Close()
	fmt.Printf("wrote %s: %d bytes raw, %d bytes gzip -9; opaque types: %s\n", *out, len(js), gz.Len(), strings.Join(opaque, ", "))

	// 5. Decoding code across the apimachinery versions used.
	var amVersions []string
	for _, r := range rels {
		amVersions = append(amVersions, r.Apimachinery)
	}
	amVersions = uniqSorted(amVersions)
	summary, detail := decodingReport(am, amVersions)
	fmt.Print(summary)
	if *report != "" {
		txt := "Generated by tools/genlayout; do not edit.\n\n" + summary + "\n" + detail
		if err := os.WriteFile(*report, []byte(txt), 0o644); err != nil {
			fail("%v", err)
		}
		fmt.Printf("wrote %s\n", *report)
	}
}

// compareVectors reports any disagreement between the derived release table and spechash.json.
func compareVectors(path string, rels []release) {
	raw, err := os.ReadFile(path)
	if err != nil {
		fmt.Printf("vectors: cannot read %s: %v (comparison skipped)\n", path, err)
		return
	}
	var v struct {
		Releases []struct {
			Flagger      string `json:"flagger"`
			K8sAPI       string `json:"k8sApi"`
			Apimachinery string `json:"apimachinery"`
			Spew         string `json:"spew"`
			Layout       string `json:"layout"`
		} `json:"releases"`
		Layouts map[string]struct {
			K8sAPI  []string `json:"k8sApi"`
			Flagger []string `json:"flagger"`
		} `json:"layouts"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		fail("vectors %s: %v", path, err)
	}
	var problems []string
	mine := map[string]release{}
	for _, r := range rels {
		mine[r.Flagger] = r
	}
	theirs := map[string]bool{}
	for _, t := range v.Releases {
		theirs[t.Flagger] = true
		r, ok := mine[t.Flagger]
		if !ok {
			problems = append(problems, "release "+t.Flagger+" is in the vectors but not among the derived tags")
			continue
		}
		if r.K8sAPI != t.K8sAPI || r.Apimachinery != t.Apimachinery || r.Layout != t.Layout || r.Spew != t.Spew {
			problems = append(problems, fmt.Sprintf("release %s: derived api=%s am=%s spew=%s layout=%s; vectors api=%s am=%s spew=%s layout=%s",
				t.Flagger, r.K8sAPI, r.Apimachinery, r.Spew, r.Layout, t.K8sAPI, t.Apimachinery, t.Spew, t.Layout))
		}
	}
	for _, r := range rels {
		if !theirs[r.Flagger] {
			problems = append(problems, "release "+r.Flagger+" derived from tags but absent from the vectors")
		}
	}
	derived := map[string][]string{}
	for _, r := range rels {
		derived[r.Layout] = append(derived[r.Layout], r.K8sAPI)
	}
	for name, l := range v.Layouts {
		d := uniqSorted(derived[name])
		want := uniqSorted(append([]string{}, l.K8sAPI...))
		if strings.Join(d, ",") != strings.Join(want, ",") {
			problems = append(problems, fmt.Sprintf("layout %s: derived k8sApi %v, vectors %v", name, d, want))
		}
	}
	for name := range derived {
		if _, ok := v.Layouts[name]; !ok {
			problems = append(problems, "layout "+name+" derived but absent from the vectors")
		}
	}
	sort.Strings(problems)
	if len(problems) == 0 {
		fmt.Printf("vectors: derived release table agrees with %s (%d releases, %d layouts: k8sApi, apimachinery, spew, layout)\n", path, len(rels), len(v.Layouts))
		return
	}
	fmt.Printf("vectors: %d DISAGREEMENT(S) with %s:\n", len(problems), path)
	for _, p := range problems {
		fmt.Println("  " + p)
	}
}
