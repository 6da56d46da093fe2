package main

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
)

// gitRepo reads files at a tag from a local (bare) git mirror.
type gitRepo struct {
	dir   string
	cache map[string][]byte
}

func newGitRepo(dir string) *gitRepo { return &gitRepo{dir: dir, cache: map[string][]byte{}} }

func (g *gitRepo) run(args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", g.dir}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("git -C %s %s: %v: %s", g.dir, strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.Bytes(), nil
}

// show returns the content of path at rev.
func (g *gitRepo) show(rev, path string) ([]byte, error) {
	k := rev + ":" + path
	if b, ok := g.cache[k]; ok {
		return b, nil
	}
	b, err := g.run("show", k)
	if err != nil {
		return nil, err
	}
	g.cache[k] = b
	return b, nil
}

// ls lists the file names (not subdirectories) directly inside dir at rev.
func (g *gitRepo) ls(rev, dir string) ([]string, error) {
	out, err := g.run("ls-tree", rev, strings.TrimSuffix(dir, "/")+"/")
	if err != nil {
		return nil, err
	}
	var names []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		// "<mode> <type> <sha>\t<path>"
		tab := strings.IndexByte(line, '\t')
		meta := strings.Fields(line[:tab])
		if len(meta) < 2 || meta[1] != "blob" {
			continue
		}
		p := line[tab+1:]
		names = append(names, p[strings.LastIndexByte(p, '/')+1:])
	}
	return names, nil
}

func (g *gitRepo) tags() ([]string, error) {
	out, err := g.run("tag")
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}
