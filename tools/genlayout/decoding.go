package main

import (
	"fmt"
	"go/ast"
	"go/scanner"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// The decoding code that the spew text depends on, compared across apimachinery versions.
//
// Each root is a declaration in one package; the comparison covers the root plus every
// same-package function, method, package-level variable, constant or type it references,
// transitively. References are resolved with go/types (imports are stubbed, so calls into other
// packages are not followed; a call through an in-package interface pulls in every method of that
// name declared in the package).

type declRoot struct {
	pkgKey string
	decl   string // "Name", "Recv.Name", or "file:amount.go" for every declaration of a file
}

var jsonRoots = []declRoot{
	{"resource", "ParseQuantity"},
	{"resource", "parseQuantityString"},
	{"resource", "Quantity.UnmarshalJSON"},
	{"resource", "file:amount.go"},
	{"resource", "file:suffix.go"},
	{"intstr", "IntOrString.UnmarshalJSON"},
	{"metav1", "Time.UnmarshalJSON"},
	{"metav1", "FieldsV1.UnmarshalJSON"}, // reachable: ObjectMeta.ManagedFields[].FieldsV1
}

// The protobuf path (Flagger >= 1.41 decodes protobuf): listed separately.
var protoRoots = []declRoot{
	{"resource", "Quantity.Unmarshal"},
	{"intstr", "IntOrString.Unmarshal"},
	{"metav1", "Time.Unmarshal"},
	{"metav1", "FieldsV1.Unmarshal"},
}

type declInfo struct {
	key    string // e.g. "func Quantity.UnmarshalJSON", "var quantitySuffixer"
	simple string // name used to match references
	file   string
	raw    string // source text including doc comment
	norm   string // token stream without comments
	node   ast.Node
	refs   []string // keys of same-package declarations referenced
}

type declIndex struct {
	byKey    map[string]*declInfo
	bySimple map[string][]*declInfo
	files    map[string][]*declInfo
	fileNorm map[string]string
}

func tokenNorm(src []byte) string {
	var s scanner.Scanner
	fset := token.NewFileSet()
	f := fset.AddFile("", -1, len(src))
	s.Init(f, src, nil, 0)
	var b strings.Builder
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			lit = ""
		}
		b.WriteString(tok.String())
		if lit != "" {
			b.WriteString(" " + lit)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// stubImporter satisfies every import with an empty package: only in-package references resolve.
type stubImporter struct{}

func (stubImporter) Import(path string) (*types.Package, error) {
	name := path[strings.LastIndexByte(path, '/')+1:]
	if d, ok := importDefaultName[path]; ok {
		name = d
	}
	p := types.NewPackage(path, name)
	p.MarkComplete()
	return p, nil
}

// resolveRefs fills d.refs for every declaration, using go/types on the package's files.
func (idx *declIndex) resolveRefs(p *parsedPkg) {
	var files []*ast.File
	for _, n := range p.files {
		files = append(files, p.asts[n])
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: stubImporter{}, Error: func(error) {}}
	tpkg, _ := conf.Check(p.info.Path, p.fset, files, info) // errors expected: imports are stubs
	for _, d := range idx.byKey {
		set := map[string]bool{}
		ast.Inspect(d.node, func(x ast.Node) bool {
			id, ok := x.(*ast.Ident)
			if !ok {
				return true
			}
			obj := info.Uses[id]
			if obj == nil || obj.Pkg() != tpkg {
				return true
			}
			for _, k := range idx.objKeys(obj, tpkg) {
				set[k] = true
			}
			return true
		})
		for k := range set {
			d.refs = append(d.refs, k)
		}
		sort.Strings(d.refs)
	}
}

func (idx *declIndex) objKeys(obj types.Object, tpkg *types.Package) []string {
	pkgLevel := obj.Parent() == tpkg.Scope()
	switch o := obj.(type) {
	case *types.Func:
		sig, _ := o.Type().(*types.Signature)
		if sig == nil || sig.Recv() == nil {
			return []string{"func " + o.Name()}
		}
		rt := sig.Recv().Type()
		if ptr, ok := rt.(*types.Pointer); ok {
			rt = ptr.Elem()
		}
		named, ok := rt.(*types.Named)
		if !ok || types.IsInterface(rt) {
			// interface method: every concrete method of that name in the package
			var keys []string
			if ok {
				keys = append(keys, "type "+named.Obj().Name())
			}
			for _, d := range idx.bySimple[o.Name()] {
				if strings.HasPrefix(d.key, "func ") && strings.Contains(d.key, ".") {
					keys = append(keys, d.key)
				}
			}
			return keys
		}
		return []string{"func " + named.Obj().Name() + "." + o.Name()}
	case *types.Var:
		if pkgLevel {
			return []string{"var " + o.Name()}
		}
	case *types.Const:
		if pkgLevel {
			return []string{"const " + o.Name()}
		}
	case *types.TypeName:
		if pkgLevel {
			return []string{"type " + o.Name()}
		}
	}
	return nil
}

func recvName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	switch x := t.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.IndexExpr:
		if id, ok := x.X.(*ast.Ident); ok {
			return id.Name
		}
	}
	return "?"
}

func indexDecls(repo *gitRepo, p *parsedPkg) *declIndex {
	idx := &declIndex{byKey: map[string]*declInfo{}, bySimple: map[string][]*declInfo{}, files: map[string][]*declInfo{}, fileNorm: map[string]string{}}
	for _, name := range p.files {
		f := p.asts[name]
		src, err := repo.show(p.rev, p.info.Dir+"/"+name)
		if err != nil {
			fail("%v", err)
		}
		idx.fileNorm[name] = tokenNorm(src)
		text := func(from, to token.Pos) string {
			tf := p.fset.File(from)
			return string(src[tf.Offset(from):tf.Offset(to)])
		}
		add := func(d *declInfo) {
			if prev, dup := idx.byKey[d.key]; dup {
				// e.g. the same method name declared under build tags we excluded cannot happen; keep both visible
				d.key = d.key + " (" + d.file + ")"
				_ = prev
			}
			idx.byKey[d.key] = d
			idx.bySimple[d.simple] = append(idx.bySimple[d.simple], d)
			idx.files[name] = append(idx.files[name], d)
		}
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				start := d.Pos()
				if d.Doc != nil {
					start = d.Doc.Pos()
				}
				raw := text(start, d.End())
				key := d.Name.Name
				if r := recvName(d); r != "" {
					key = r + "." + key
				}
				add(&declInfo{key: "func " + key, simple: d.Name.Name, file: name, raw: raw,
					norm: tokenNorm([]byte(text(d.Pos(), d.End()))), node: d})
			case *ast.GenDecl:
				if d.Tok == token.IMPORT {
					continue
				}
				for _, s := range d.Specs {
					var names []string
					switch sp := s.(type) {
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							names = append(names, n.Name)
						}
					case *ast.TypeSpec:
						names = append(names, sp.Name.Name)
					}
					// a spec inside a parenthesised group is compared on its own (plus the group keyword)
					start := s.Pos()
					raw := d.Tok.String() + " " + text(start, s.End())
					if !d.Lparen.IsValid() && d.Doc != nil {
						raw = text(d.Doc.Pos(), d.End())
					}
					norm := d.Tok.String() + "\n" + tokenNorm([]byte(text(s.Pos(), s.End())))
					for _, n := range names {
						add(&declInfo{key: d.Tok.String() + " " + n, simple: n, file: name, raw: raw, norm: norm, node: s})
					}
				}
			}
		}
	}
	idx.resolveRefs(p)
	return idx
}

// closure returns the keys of the declarations reachable from roots, sorted.
func (idx *declIndex) closure(roots []declRoot, pkgKey string) []string {
	seen := map[string]bool{}
	var stack []*declInfo
	push := func(d *declInfo) {
		if !seen[d.key] {
			seen[d.key] = true
			stack = append(stack, d)
		}
	}
	for _, r := range roots {
		if r.pkgKey != pkgKey {
			continue
		}
		if strings.HasPrefix(r.decl, "file:") {
			for _, d := range idx.files[strings.TrimPrefix(r.decl, "file:")] {
				push(d)
			}
			continue
		}
		if d, ok := idx.byKey["func "+r.decl]; ok {
			push(d)
		}
	}
	for len(stack) > 0 {
		d := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, k := range d.refs {
			if t, ok := idx.byKey[k]; ok {
				push(t)
			}
		}
	}
	var out []string
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// lineDiff returns a unified-style diff (context 2) of two texts, or "" if equal.
func lineDiff(a, b string) string {
	if a == b {
		return ""
	}
	x := strings.Split(a, "\n")
	y := strings.Split(b, "\n")
	if a == "" {
		x = nil
	}
	n, m := len(x), len(y)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else if lcs[i+1][j] >= lcs[i][j+1] {
				lcs[i][j] = lcs[i+1][j]
			} else {
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	type op struct {
		c byte
		s string
	}
	var ops []op
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && x[i] == y[j]:
			ops = append(ops, op{' ', x[i]})
			i++
			j++
		case i < n && (j == m || lcs[i+1][j] >= lcs[i][j+1]):
			ops = append(ops, op{'-', x[i]})
			i++
		default:
			ops = append(ops, op{'+', y[j]})
			j++
		}
	}
	const ctx = 2
	keep := make([]bool, len(ops))
	for k, o := range ops {
		if o.c != ' ' {
			for d := k - ctx; d <= k+ctx; d++ {
				if d >= 0 && d < len(ops) {
					keep[d] = true
				}
			}
		}
	}
	var out strings.Builder
	gap := false
	for k, o := range ops {
		if !keep[k] {
			gap = true
			continue
		}
		if gap {
			out.WriteString("    @@\n")
			gap = false
		}
		fmt.Fprintf(&out, "    %c %s\n", o.c, o.s)
	}
	return out.String()
}

// decodingReport compares the decoding code of consecutive apimachinery versions (and first vs last).
func decodingReport(am *gitRepo, versions []string) (summary, detail string) {
	pkgsByKey := map[string]pkgInfo{}
	for _, p := range walkedPkgs {
		pkgsByKey[p.Key] = p
	}
	keys := []string{"resource", "intstr", "metav1"}
	type verData struct {
		idx   map[string]*declIndex
		json  map[string][]string // pkgKey -> closure keys
		proto map[string][]string
	}
	data := map[string]*verData{}
	for _, v := range versions {
		vd := &verData{idx: map[string]*declIndex{}, json: map[string][]string{}, proto: map[string][]string{}}
		for _, k := range keys {
			p := loadPkg(am, pkgsByKey[k], v)
			vd.idx[k] = indexDecls(am, p)
			vd.json[k] = vd.idx[k].closure(jsonRoots, k)
			vd.proto[k] = vd.idx[k].closure(protoRoots, k)
			for _, r := range append(append([]declRoot{}, jsonRoots...), protoRoots...) {
				if r.pkgKey == k && !strings.HasPrefix(r.decl, "file:") {
					if _, ok := vd.idx[k].byKey["func "+r.decl]; !ok {
						detail += fmt.Sprintf("NOTE: %s %s not declared at %s\n", k, r.decl, v)
					}
				}
			}
		}
		data[v] = vd
	}

	var sb, db strings.Builder
	db.WriteString(detail)
	for _, v := range []string{versions[0], versions[len(versions)-1]} {
		for _, k := range keys {
			fmt.Fprintf(&db, "json-path declarations compared, %s at %s: %s\n", k, v, strings.Join(data[v].json[k], ", "))
			fmt.Fprintf(&db, "protobuf-path declarations compared, %s at %s: %s\n", k, v, strings.Join(data[v].proto[k], ", "))
		}
	}
	db.WriteString("\n")
	pairs := [][2]string{}
	for i := 1; i < len(versions); i++ {
		pairs = append(pairs, [2]string{versions[i-1], versions[i]})
	}
	if len(versions) > 2 {
		pairs = append(pairs, [2]string{versions[0], versions[len(versions)-1]})
	}
	for _, path := range []string{"json", "protobuf"} {
		fmt.Fprintf(&sb, "Decoding code, %s path (roots:", path)
		roots := jsonRoots
		if path == "protobuf" {
			roots = protoRoots
		}
		for _, r := range roots {
			fmt.Fprintf(&sb, " %s.%s", r.pkgKey, r.decl)
		}
		sb.WriteString("; plus same-package declarations they reference, transitively)\n")
		fmt.Fprintf(&db, "==================== %s path ====================\n", path)
		for _, pr := range pairs {
			a, b := data[pr[0]], data[pr[1]]
			var changed, commentOnly, added, removed []string
			var diffs strings.Builder
			for _, k := range keys {
				ca, cb := a.json[k], b.json[k]
				if path == "protobuf" {
					ca, cb = a.proto[k], b.proto[k]
				}
				all := map[string]bool{}
				for _, x := range ca {
					all[x] = true
				}
				for _, x := range cb {
					all[x] = true
				}
				var names []string
				for x := range all {
					names = append(names, x)
				}
				sort.Strings(names)
				for _, x := range names {
					da, db2 := a.idx[k].byKey[x], b.idx[k].byKey[x]
					label := k + ": " + x
					switch {
					case da == nil:
						added = append(added, label)
						fmt.Fprintf(&diffs, "  + %s (%s)\n%s", label, db2.file, lineDiff("", db2.raw))
					case db2 == nil:
						removed = append(removed, label)
						fmt.Fprintf(&diffs, "  - %s (%s)\n", label, da.file)
					case da.norm != db2.norm:
						changed = append(changed, label)
						fmt.Fprintf(&diffs, "  ~ %s (%s)\n%s", label, db2.file, lineDiff(da.raw, db2.raw))
					case da.raw != db2.raw:
						commentOnly = append(commentOnly, label)
					}
				}
			}
			// whole-file token comparison of amount.go and suffix.go (imports included)
			if path == "json" {
				for _, fn := range []string{"amount.go", "suffix.go"} {
					if a.idx["resource"].fileNorm[fn] != b.idx["resource"].fileNorm[fn] {
						changed = append(changed, "resource: whole file "+fn)
					}
				}
			}
			if len(changed)+len(added)+len(removed)+len(commentOnly) == 0 {
				fmt.Fprintf(&sb, "  %s -> %s: identical\n", pr[0], pr[1])
				continue
			}
			fmt.Fprintf(&sb, "  %s -> %s:", pr[0], pr[1])
			if len(changed) > 0 {
				fmt.Fprintf(&sb, " CODE CHANGED [%s]", strings.Join(changed, "; "))
			}
			if len(added) > 0 {
				fmt.Fprintf(&sb, " ADDED [%s]", strings.Join(added, "; "))
			}
			if len(removed) > 0 {
				fmt.Fprintf(&sb, " REMOVED [%s]", strings.Join(removed, "; "))
			}
			if len(commentOnly) > 0 {
				fmt.Fprintf(&sb, " comments/formatting only [%s]", strings.Join(commentOnly, "; "))
			}
			sb.WriteString("\n")
			fmt.Fprintf(&db, "--- %s -> %s\n%s", pr[0], pr[1], diffs.String())
		}
	}
	return sb.String(), db.String()
}
