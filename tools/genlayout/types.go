package main

import (
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// A Go package we walk, identified by import path.
type pkgInfo struct {
	Key  string // short key used in the output: corev1, metav1, ...
	Path string // import path
	Repo string // "api" or "apimachinery"
	Dir  string // directory inside the repo
}

var walkedPkgs = []pkgInfo{
	{"corev1", "k8s.io/api/core/v1", "api", "core/v1"},
	{"metav1", "k8s.io/apimachinery/pkg/apis/meta/v1", "apimachinery", "pkg/apis/meta/v1"},
	{"resource", "k8s.io/apimachinery/pkg/api/resource", "apimachinery", "pkg/api/resource"},
	{"intstr", "k8s.io/apimachinery/pkg/util/intstr", "apimachinery", "pkg/util/intstr"},
	{"types", "k8s.io/apimachinery/pkg/types", "apimachinery", "pkg/types"},
}

// Packages whose types are not walked: references to them become opaque keys.
var opaquePkgs = map[string]string{
	"time":            "time",
	"gopkg.in/inf.v0": "inf",
	"math/big":        "big",
}

// Default package names for import paths whose name is not the last path element.
var importDefaultName = map[string]string{
	"gopkg.in/inf.v0": "inf",
}

// Go builtin type names, as reflect prints them.
var builtinTypes = map[string]string{
	"bool": "bool", "string": "string",
	"int": "int", "int8": "int8", "int16": "int16", "int32": "int32", "int64": "int64",
	"uint": "uint", "uint8": "uint8", "uint16": "uint16", "uint32": "uint32", "uint64": "uint64", "uintptr": "uintptr",
	"byte": "uint8", "rune": "int32",
	"float32": "float32", "float64": "float64", "complex64": "complex64", "complex128": "complex128",
}

// A type declaration together with the import table of its file.
type typeDecl struct {
	pkg     *parsedPkg
	spec    *ast.TypeSpec
	imports map[string]string // local name -> import path
	file    string
}

type parsedPkg struct {
	info  pkgInfo
	rev   string
	types map[string]*typeDecl
	files []string // files parsed (after build constraints)
	skip  []string // files skipped by build constraints, with the constraint
	fset  *token.FileSet
	asts  map[string]*ast.File
}

// buildTagSatisfied evaluates a build tag as a default linux/amd64 gc build with cgo and no custom tags.
func buildTagSatisfied(tag string) bool {
	switch tag {
	case "linux", "amd64", "unix", "gc", "cgo":
		return true
	}
	if strings.HasPrefix(tag, "go1.") {
		return true // any current toolchain satisfies the release tags used by these packages
	}
	return false
}

var knownGOOS = strings.Fields("aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos")
var knownGOARCH = strings.Fields("386 amd64 arm arm64 loong64 mips mipsle mips64 mips64le ppc64 ppc64le riscv64 s390x sparc64 wasm")

// fileIncluded applies file-name and build-constraint rules. It returns the constraint text (for the log).
func fileIncluded(name string, src []byte, f *ast.File) (bool, string) {
	if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
		return false, "not a non-test .go file"
	}
	// _GOOS, _GOARCH, _GOOS_GOARCH suffixes
	parts := strings.Split(strings.TrimSuffix(name, ".go"), "_")
	if len(parts) >= 2 {
		last := parts[len(parts)-1]
		isOS := func(s string) bool { return contains(knownGOOS, s) }
		isArch := func(s string) bool { return contains(knownGOARCH, s) }
		if len(parts) >= 3 && isOS(parts[len(parts)-2]) && isArch(last) {
			if parts[len(parts)-2] != "linux" || last != "amd64" {
				return false, "file name " + name
			}
		} else if isOS(last) && last != "linux" {
			return false, "file name " + name
		} else if isArch(last) && last != "amd64" {
			return false, "file name " + name
		}
	}
	// build constraints: comment lines before the package clause
	var exprs []constraint.Expr
	var texts []string
	for _, cg := range f.Comments {
		if cg.Pos() >= f.Package {
			break
		}
		for _, c := range cg.List {
			if constraint.IsGoBuild(c.Text) || constraint.IsPlusBuild(c.Text) {
				e, err := constraint.Parse(c.Text)
				if err != nil {
					fail("bad build constraint in %s: %q: %v", name, c.Text, err)
				}
				if constraint.IsGoBuild(c.Text) {
					// //go:build takes precedence over // +build lines
					exprs = []constraint.Expr{e}
					texts = []string{c.Text}
					goto eval
				}
				exprs = append(exprs, e)
				texts = append(texts, c.Text)
			}
		}
	}
eval:
	for _, e := range exprs {
		if !e.Eval(buildTagSatisfied) {
			return false, strings.Join(texts, " ")
		}
	}
	return true, strings.Join(texts, " ")
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

type pkgCacheKey struct{ path, rev string }

var pkgCache = map[pkgCacheKey]*parsedPkg{}

// loadPkg parses every included .go file of a package at a revision and indexes its type declarations.
func loadPkg(repo *gitRepo, info pkgInfo, rev string) *parsedPkg {
	k := pkgCacheKey{info.Path, rev}
	if p, ok := pkgCache[k]; ok {
		return p
	}
	names, err := repo.ls(rev, info.Dir)
	if err != nil {
		fail("%v", err)
	}
	p := &parsedPkg{info: info, rev: rev, types: map[string]*typeDecl{}, fset: token.NewFileSet(), asts: map[string]*ast.File{}}
	sort.Strings(names)
	for _, n := range names {
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		src, err := repo.show(rev, info.Dir+"/"+n)
		if err != nil {
			fail("%v", err)
		}
		f, err := parser.ParseFile(p.fset, n, src, parser.ParseComments)
		if err != nil {
			fail("parse %s@%s/%s: %v", info.Path, rev, n, err)
		}
		ok, why := fileIncluded(n, src, f)
		if !ok {
			p.skip = append(p.skip, n+" ("+why+")")
			continue
		}
		p.files = append(p.files, n)
		p.asts[n] = f
		imports := map[string]string{}
		for _, is := range f.Imports {
			path, _ := strconv.Unquote(is.Path.Value)
			name := ""
			if is.Name != nil {
				name = is.Name.Name
			} else if d, ok := importDefaultName[path]; ok {
				name = d
			} else {
				name = path[strings.LastIndexByte(path, '/')+1:]
			}
			if name == "_" || name == "." {
				if name == "." {
					fail("dot import in %s@%s/%s not supported", info.Path, rev, n)
				}
				continue
			}
			imports[name] = path
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if prev, dup := p.types[ts.Name.Name]; dup {
					fail("type %s declared twice in %s@%s (%s and %s)", ts.Name.Name, info.Path, rev, prev.file, n)
				}
				p.types[ts.Name.Name] = &typeDecl{pkg: p, spec: ts, imports: imports, file: n}
			}
		}
	}
	pkgCache[k] = p
	return p
}

// A type definition in the output: {"s": [[GoName, jsonName, TYPE, flags], ...]} or {"n": TYPE}.
type typeDef struct {
	Struct   [][]interface{} `json:"s,omitempty"`
	Named    string          `json:"n,omitempty"`
	isStruct bool
}

func (d typeDef) MarshalJSON() ([]byte, error) {
	if d.isStruct {
		fs := d.Struct
		if fs == nil {
			fs = [][]interface{}{}
		}
		return marshalCompact(map[string]interface{}{"s": fs})
	}
	return marshalCompact(map[string]interface{}{"n": d.Named})
}

// walker computes the reachable type set for one (k8s.io/api, apimachinery) version pair.
type walker struct {
	pkgs   map[string]*parsedPkg // import path -> parsed
	defs   map[string]typeDef
	queue  []*typeDecl
	seen   map[string]bool
	opaque map[string]bool
}

func newWalker(api, am *gitRepo, apiRev, amRev string) *walker {
	w := &walker{pkgs: map[string]*parsedPkg{}, defs: map[string]typeDef{}, seen: map[string]bool{}, opaque: map[string]bool{}}
	for _, pi := range walkedPkgs {
		repo, rev := api, apiRev
		if pi.Repo == "apimachinery" {
			repo, rev = am, amRev
		}
		w.pkgs[pi.Path] = loadPkg(repo, pi, rev)
	}
	return w
}

func (w *walker) where(td *typeDecl) string {
	return fmt.Sprintf("%s@%s (%s) type %s", td.pkg.info.Path, td.pkg.rev, td.file, td.spec.Name.Name)
}

// lookup resolves a named type reference to its declaration, following aliases.
// It returns the declaration, or nil with a rendered opaque/builtin name.
func (w *walker) resolveNamed(pkg *parsedPkg, name string) *typeDecl {
	td, ok := pkg.types[name]
	if !ok {
		return nil
	}
	return td
}

func (w *walker) enqueue(td *typeDecl) string {
	key := td.pkg.info.Key + "." + td.spec.Name.Name
	if !w.seen[key] {
		w.seen[key] = true
		w.queue = append(w.queue, td)
	}
	return key
}

// typeString renders a type expression appearing in the file of ctx, enqueueing named types it references.
func (w *walker) typeString(e ast.Expr, ctx *typeDecl) string {
	switch t := e.(type) {
	case *ast.ParenExpr:
		return w.typeString(t.X, ctx)
	case *ast.Ident:
		if td := w.resolveNamed(ctx.pkg, t.Name); td != nil {
			return w.namedRef(td)
		}
		if b, ok := builtinTypes[t.Name]; ok {
			return b
		}
		fail("%s: unknown identifier type %s", w.where(ctx), t.Name)
	case *ast.SelectorExpr:
		x, ok := t.X.(*ast.Ident)
		if !ok {
			fail("%s: unsupported selector type expression", w.where(ctx))
		}
		path, ok := ctx.imports[x.Name]
		if !ok {
			fail("%s: package %s not imported", w.where(ctx), x.Name)
		}
		if p, ok := w.pkgs[path]; ok {
			td := w.resolveNamed(p, t.Sel.Name)
			if td == nil {
				fail("%s: %s.%s not found in %s@%s", w.where(ctx), x.Name, t.Sel.Name, path, p.rev)
			}
			return w.namedRef(td)
		}
		if key, ok := opaquePkgs[path]; ok {
			k := key + "." + t.Sel.Name
			w.opaque[k] = true
			return k
		}
		fail("%s: type %s.%s from package %q is neither walked nor a known opaque package", w.where(ctx), x.Name, t.Sel.Name, path)
	case *ast.StarExpr:
		return "*" + w.typeString(t.X, ctx)
	case *ast.ArrayType:
		if t.Len == nil {
			return "[]" + w.typeString(t.Elt, ctx)
		}
		lit, ok := t.Len.(*ast.BasicLit)
		if !ok || lit.Kind != token.INT {
			fail("%s: array length is not an integer literal", w.where(ctx))
		}
		n, err := strconv.ParseInt(lit.Value, 0, 64)
		if err != nil {
			fail("%s: array length %s: %v", w.where(ctx), lit.Value, err)
		}
		return fmt.Sprintf("[%d]%s", n, w.typeString(t.Elt, ctx))
	case *ast.MapType:
		return "map[" + w.typeString(t.Key, ctx) + "]" + w.typeString(t.Value, ctx)
	case *ast.InterfaceType:
		if t.Methods == nil || len(t.Methods.List) == 0 {
			return "interface {}"
		}
		fail("%s: non-empty interface type in a field", w.where(ctx))
	case *ast.StructType:
		fail("%s: anonymous struct type in a field is not supported", w.where(ctx))
	case *ast.IndexExpr, *ast.IndexListExpr:
		fail("%s: generic type instantiation is not supported", w.where(ctx))
	default:
		fail("%s: unsupported type expression %T", w.where(ctx), e)
	}
	panic("unreachable")
}

// namedRef renders a reference to a declared named type; an alias renders as its target.
func (w *walker) namedRef(td *typeDecl) string {
	if td.spec.Assign.IsValid() {
		return w.typeString(td.spec.Type, td)
	}
	if td.spec.TypeParams != nil && len(td.spec.TypeParams.List) > 0 {
		fail("%s: generic types are not supported", w.where(td))
	}
	return w.enqueue(td)
}

// define computes the definition of a named (non-alias) type.
func (w *walker) define(td *typeDecl) typeDef {
	st, ok := td.spec.Type.(*ast.StructType)
	if !ok {
		return typeDef{Named: w.typeString(td.spec.Type, td)}
	}
	def := typeDef{isStruct: true, Struct: [][]interface{}{}}
	for _, f := range st.Fields.List {
		typ := w.typeString(f.Type, td)
		var jsonTag *string
		if f.Tag != nil {
			tagStr, err := strconv.Unquote(f.Tag.Value)
			if err != nil {
				fail("%s: bad struct tag %s", w.where(td), f.Tag.Value)
			}
			if v, ok := reflect.StructTag(tagStr).Lookup("json"); ok {
				name := v
				if i := strings.IndexByte(v, ','); i >= 0 {
					name = v[:i]
				}
				jsonTag = &name
			}
		}
		names := []string{}
		embedded := 0
		if len(f.Names) == 0 {
			embedded = 1
			names = append(names, embeddedName(f.Type, w, td))
		} else {
			for _, n := range f.Names {
				names = append(names, n.Name)
			}
		}
		for _, n := range names {
			var jn interface{}
			switch {
			case !ast.IsExported(n):
				if embedded == 1 {
					// encoding/json promotes the fields of an embedded unexported struct; "-" would be wrong.
					fail("%s: embedded unexported field %s is not supported by this format", w.where(td), n)
				}
				jn = "-"
			case jsonTag == nil:
				jn = nil
			default:
				jn = *jsonTag
			}
			def.Struct = append(def.Struct, []interface{}{n, jn, typ, embedded})
		}
	}
	return def
}

func embeddedName(e ast.Expr, w *walker, td *typeDecl) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return embeddedName(t.X, w, td)
	case *ast.Ident:
		return t.Name
	case *ast.SelectorExpr:
		return t.Sel.Name
	}
	fail("%s: unsupported embedded field type %T", w.where(td), e)
	return ""
}

// computeLayout returns the definitions of every type reachable from the roots.
func computeLayout(api, am *gitRepo, apiRev, amRev string, roots []string) (map[string]typeDef, []string) {
	w := newWalker(api, am, apiRev, amRev)
	for _, r := range roots {
		dot := strings.IndexByte(r, '.')
		var pkg *parsedPkg
		for _, p := range w.pkgs {
			if p.info.Key == r[:dot] {
				pkg = p
			}
		}
		if pkg == nil {
			fail("root %s: unknown package key", r)
		}
		td := pkg.types[r[dot+1:]]
		if td == nil {
			fail("root %s not found in %s@%s", r, pkg.info.Path, pkg.rev)
		}
		w.namedRef(td)
	}
	for len(w.queue) > 0 {
		td := w.queue[0]
		w.queue = w.queue[1:]
		w.defs[td.pkg.info.Key+"."+td.spec.Name.Name] = w.define(td)
	}
	var opaque []string
	for k := range w.opaque {
		opaque = append(opaque, k)
	}
	sort.Strings(opaque)
	return w.defs, opaque
}
