package main

import (
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"
)

// The layers of the module, by package path, and what each may not
// import. Imports flow one way: cmd → pipeline → {pipeline/storage, ner,
// redactors, profiles}. Redactors never see detection, profiles or storage;
// detectors never see formats; profiles are data; storage knows nothing of
// what it stores. Only the packages' own imports count: tests may reach
// across (docx's tests run the pipeline end to end on purpose).
var layerRules = []struct {
	layer     string
	forbidden []string
	why       string
}{
	{"pipeline", []string{"cmd"}, "the pipeline is a library the CLI calls"},
	{"storage", []string{"cmd", "pipeline", "ner", "redactors", "profiles"}, "storage moves bytes and knows nothing of what they hold"},
	{"ner", []string{"cmd", "pipeline", "storage", "redactors"}, "detectors see text, never files, formats or storage"},
	{"redactors", []string{"cmd", "pipeline", "storage", "ner", "profiles"}, "formats parse and rewrite documents; they never detect, decide or store"},
	{"profiles", []string{"cmd", "pipeline", "storage", "redactors"}, "profiles are data about what to do with findings"},
}

// layerExceptions are imports the rules allow, each with its reason.
var layerExceptions = map[string]string{
	"pipeline/storage/s3/s3test/bench -> pipeline/report": "a command (scripts/bench-s3) that runs the whole CLI against the S3 test server and reads its report; nothing imports it",
}

// layerOf returns the layer of a package path relative to the module:
// cmd, pipeline, storage, ner, redactors, profiles, or "" for the rest
// (samples/gen, deploy).
func layerOf(rel string) string {
	top, _, _ := strings.Cut(rel, "/")
	switch {
	case rel == "pipeline/storage" || strings.HasPrefix(rel, "pipeline/storage/"):
		return "storage"
	case top == "cmd", top == "pipeline", top == "ner", top == "redactors", top == "profiles":
		return top
	}
	return ""
}

// layerViolations returns, for a module's import graph (package -> its
// imports, paths relative to the module), one message per import that
// breaks a rule, naming both packages.
func layerViolations(graph map[string][]string) []string {
	var out []string
	for pkg, imports := range graph {
		from := layerOf(pkg)
		for _, imp := range imports {
			to := layerOf(imp)
			if from == "" || to == "" || from == to {
				continue
			}
			for _, r := range layerRules {
				if r.layer != from || !contains(r.forbidden, to) {
					continue
				}
				if _, ok := layerExceptions[pkg+" -> "+imp]; ok {
					continue
				}
				out = append(out, fmt.Sprintf("%s imports %s: %s must not import %s (%s)", pkg, imp, from, to, r.why))
			}
		}
	}
	sort.Strings(out)
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestImportDirection enforces the layering on the module's real import
// graph (go list), so that it does not rest on discipline.
func TestImportDirection(t *testing.T) {
	mod, err := exec.Command("go", "list", "-m").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	prefix := strings.TrimSpace(string(mod)) + "/"
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "../../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		pkg := strings.TrimPrefix(f[0], prefix)
		graph[pkg] = nil
		for _, imp := range f[1:] {
			if rel, ok := strings.CutPrefix(imp, prefix); ok {
				graph[pkg] = append(graph[pkg], rel)
			}
		}
	}
	for _, want := range []string{"cmd/veil", "pipeline", "pipeline/storage", "ner", "redactors", "profiles"} {
		if _, ok := graph[want]; !ok {
			t.Fatalf("go list did not list %s: the graph is incomplete", want)
		}
	}
	for _, v := range layerViolations(graph) {
		t.Error(v)
	}
	// An exception for an import that no longer exists is stale.
	for e := range layerExceptions {
		pkg, imp, _ := strings.Cut(e, " -> ")
		if !contains(graph[pkg], imp) {
			t.Errorf("layerExceptions: %s no longer imports %s; remove the exception", pkg, imp)
		}
	}
}

// The checker names the offending import for each kind of rule.
func TestLayerViolations(t *testing.T) {
	graph := map[string][]string{
		"cmd/veil":          {"pipeline", "ner", "pipeline/storage/s3"},
		"pipeline":          {"ner/names", "redactors/pdf", "profiles", "pipeline/storage"},
		"pipeline/state":    {"pipeline", "pipeline/storage"},
		"ner/names":         {"ner", "redactors"},
		"redactors/docx":    {"redactors", "profiles"},
		"profiles":          {"ner", "pipeline/report"},
		"pipeline/storage":  {"ner"},
		"pipeline/report":   {"cmd/veil"},
		"samples/gen":       {"redactors/docx/docxtest"},
		"ner/pattern":       {"ner"},
		"redactors/text":    {"redactors"},
		"pipeline/storage2": {"pipeline/storage"},
	}
	want := []string{
		"ner/names imports redactors: ner must not import redactors",
		"pipeline/report imports cmd/veil: pipeline must not import cmd",
		"pipeline/storage imports ner: storage must not import ner",
		"profiles imports pipeline/report: profiles must not import pipeline",
		"redactors/docx imports profiles: redactors must not import profiles",
	}
	got := layerViolations(graph)
	if len(got) != len(want) {
		t.Fatalf("got %d violations, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("violation %d: %q, want it to start with %q", i, got[i], want[i])
		}
	}
}
