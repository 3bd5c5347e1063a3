package pipeline_test

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

var update = flag.Bool("update", false, "update golden files in testdata/")

const samples = "../samples/cases"

// testSecret is the key of the tests' keyed pseudonyms and date shifts.
const testSecret = "veil test key: not for real data"

// testYear pins the reference year so that golden files do not age.
const testYear = 2025

func testKeys(t testing.TB) *profiles.Keys {
	t.Helper()
	k, err := profiles.NewKeys([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// runFolder runs the pipeline from src into a new folder and returns it,
// the report builder's files and the log.
func runFolder(t *testing.T, profile, src string, opts pipeline.Options) (out string, rep map[string][]byte, log string, totals report.Totals) {
	t.Helper()
	p, err := profiles.Load(profile)
	if err != nil {
		t.Fatal(err)
	}
	opts.Profile = p
	if opts.Secrets == nil {
		opts.Secrets = testKeys(t)
	}
	if opts.Year == 0 {
		opts.Year = testYear
	}
	e, err := pipeline.NewEngine(opts)
	if err != nil {
		t.Fatal(err)
	}
	out = t.TempDir()
	source, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	rb, err := report.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	var logBuf bytes.Buffer
	err = pipeline.Run(context.Background(), pipeline.RunConfig{
		Engine: e, Source: source, Sink: sink, Report: rb, Workers: 4,
		Logger: slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug})),
		// No time budget: these tests are about what is written, and a
		// loaded machine (OCR of a page under a busy CI runner) must not
		// turn them into too_slow. The budget has tests of its own.
		FileTimeout: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	meta := report.Meta{Tool: "veil", Version: "test", Command: "run", Profile: profile, Source: "SOURCE", Dest: "DEST",
		Started: time.Unix(0, 0), Finished: time.Unix(0, 0), Notices: p.Notices, Categories: pipeline.ReportCategories(p)}
	rep = map[string][]byte{}
	var b bytes.Buffer
	if err := rb.WriteJSON(&b, meta); err != nil {
		t.Fatal(err)
	}
	rep["report.json"] = append([]byte(nil), b.Bytes()...)
	b.Reset()
	if err := rb.WriteMarkdown(&b, meta); err != nil {
		t.Fatal(err)
	}
	rep["report.md"] = append([]byte(nil), b.Bytes()...)
	b.Reset()
	if err := rb.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rep["redaction-log.csv"] = append([]byte(nil), b.Bytes()...)
	return out, rep, logBuf.String(), rb.Totals()
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	return files
}

// TestGoldenSamples runs every sample through every built-in profile and
// compares the outputs and the report with testdata/golden/<profile>/.
// go test ./pipeline -update refreshes them; review the diff before
// committing.
//
// BUG: the golden files pin two outputs that are wrong. Each is safe (no
// identifier survives) but misleads a reader; fix the cause, then refresh.
//
//   - "Project Falcon" (declaration, supervision and research) becomes
//     "Project Person D" / "Project PERSON-…": rule names/lone-name takes
//     "Falcon", a surname in the name lists, for a person although the word
//     before it names a project. A code name is not a person; it should
//     not use up an alias or count as PERSON (a deny list is the tool for
//     it). Expected: no PERSON there ("Project Falcon" unchanged in
//     supervision; in research, whatever maximum recall makes of it).
//   - "Cascade Health" (intake_letter, the client's health plan) is kept in
//     supervision and research while every other organisation of the
//     samples is labelled: rule names/org-suffix finds the head word
//     "Health" but calls the name specific only with a word outside the
//     ordinary vocabulary or two words before the head, and "Cascade" is
//     one ordinary word. A capitalised pair in mid-sentence should be
//     enough. Expected: "[organisation]" / "[ORGANIZATION]".
func TestGoldenSamples(t *testing.T) {
	for _, profile := range profiles.BuiltinNames() {
		t.Run(profile, func(t *testing.T) {
			out, rep, _, totals := runFolder(t, profile, samples, pipeline.Options{})
			if totals.NotWritten() != 0 {
				t.Errorf("%d samples not written: %+v", totals.NotWritten(), totals.Reasons)
			}
			got := map[string][]byte{}
			for name, b := range readTree(t, out) {
				name, b = goldenView(t, name, b)
				got[name] = b
			}
			for name, b := range rep {
				got["veil-report/"+name] = b
			}
			golden := filepath.Join("testdata", "golden", profile)
			if *update {
				os.RemoveAll(golden)
				for name, b := range got {
					p := filepath.Join(golden, filepath.FromSlash(name))
					os.MkdirAll(filepath.Dir(p), 0o755)
					if err := os.WriteFile(p, b, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			want := readTree(t, golden)
			if len(want) == 0 {
				t.Fatal("no golden files: run go test ./pipeline -update")
			}
			for name := range want {
				if _, ok := got[name]; !ok {
					t.Errorf("missing output %s", name)
				}
			}
			for name, b := range got {
				w, ok := want[name]
				if !ok {
					t.Errorf("unexpected output %s", name)
					continue
				}
				if !bytes.Equal(b, w) {
					t.Errorf("%s differs from golden (go test ./pipeline -update to accept):\n%s", name, firstDiff(string(w), string(b)))
				}
			}
		})
	}
}

// goldenView turns a DOCX output into text that a reviewer can diff: its
// entries in order, XML decompressed (compressed bytes would change with
// the compressor, not with Veil). Other files are kept as they are.
func goldenView(t *testing.T, name string, b []byte) (string, []byte) {
	if !strings.HasSuffix(name, ".docx") {
		return name, b
	}
	var out bytes.Buffer
	for _, e := range unzipEntries(t, b) {
		if strings.HasSuffix(e.name, ".xml") || strings.HasSuffix(e.name, ".rels") {
			fmt.Fprintf(&out, "-- %s --\n%s\n", e.name, e.data)
		} else {
			fmt.Fprintf(&out, "-- %s (%d bytes) --\n", e.name, len(e.data))
		}
	}
	return name + ".txt", out.Bytes()
}

type zipEntry struct {
	name string
	data []byte
}

func unzipEntries(t *testing.T, b []byte) []zipEntry {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []zipEntry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, zipEntry{f.Name, data})
	}
	return out
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// searchable is the text of a file where an identifier must not be: for a
// DOCX, every entry decompressed, both as XML and as the text between its
// tags with references decoded (a name split across runs is whole there).
func searchable(t *testing.T, name string, b []byte) string {
	if !strings.HasSuffix(name, ".docx") {
		return string(b)
	}
	var out strings.Builder
	for _, e := range unzipEntries(t, b) {
		out.WriteString(e.name + "\n" + string(e.data) + "\n")
		out.WriteString(html.UnescapeString(tagRE.ReplaceAllString(string(e.data), "")) + "\n")
	}
	return out.String()
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant %q\n got %q", i+1, w, g)
		}
	}
	return "(same lines, different bytes)"
}

// TestNoIdentifierSurvives checks that no listed identifier of the samples
// appears in any output, output name, report file or log line.
func TestNoIdentifierSurvives(t *testing.T) {
	raw, err := os.ReadFile("testdata/sample_identifiers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var lists map[string][]string
	if err := yaml.Unmarshal(raw, &lists); err != nil {
		t.Fatal(err)
	}
	// Every listed value must really be in the samples, or the test proves
	// nothing.
	all := strings.Join(func() []string {
		var s []string
		for name, b := range readTree(t, samples) {
			s = append(s, searchable(t, name, b))
		}
		return s
	}(), "\n")
	for _, profile := range profiles.BuiltinNames() {
		values := lists[profile]
		if len(values) == 0 {
			t.Fatalf("no identifiers listed for %s", profile)
		}
		for _, v := range values {
			if !strings.Contains(all, v) {
				t.Fatalf("%q is not in the samples", v)
			}
		}
		t.Run(profile, func(t *testing.T) {
			out, rep, log, _ := runFolder(t, profile, samples, pipeline.Options{})
			places := map[string]string{"log": log}
			for name, b := range readTree(t, out) {
				places["output "+name] = searchable(t, name, b)
				places["name of "+name] = name
			}
			for name, b := range rep {
				places["report "+name] = string(b)
			}
			for _, v := range values {
				re := valueRegexp(v)
				for where, text := range places {
					if loc := re.FindStringIndex(text); loc != nil {
						t.Errorf("%q survives in %s: …%s…", v, where, around(text, loc))
					}
				}
			}
		})
	}
}

// valueRegexp matches v as whole words, case-insensitively, with any
// whitespace or separators (_ - .) between its words: file names write
// "Maria_Sandoval".
func valueRegexp(v string) *regexp.Regexp {
	var parts []string
	for _, w := range ner.Words(v) {
		parts = append(parts, regexp.QuoteMeta(v[w.Start:w.End]))
	}
	return regexp.MustCompile(`(?i)(?:^|[^\pL\pN])` + strings.Join(parts, `[\s_.\-/,()]+`) + `(?:$|[^\pL\pN])`)
}

func around(text string, loc []int) string {
	a, b := loc[0]-30, loc[1]+30
	if a < 0 {
		a = 0
	}
	if b > len(text) {
		b = len(text)
	}
	return text[a:b]
}

// TestBadFilesQuarantined: unsupported, empty, non-UTF-8 and binary files
// are not written, are reported with a reason, and do not stop the batch.
func TestBadFilesQuarantined(t *testing.T) {
	src := t.TempDir()
	files := map[string][]byte{
		"a_note.txt":        []byte("Maria Sandoval called (503) 555-0147.\n"),
		"b_latin1.txt":      []byte("Jos\xe9 Garc\xeda called.\n"),
		"c_empty.txt":       nil,
		"d_program.exe":     []byte("MZ\x90\x00"),
		"e_binary.txt":      []byte("\x00\x01\x02 Maria"),
		"f_Sandoval_CV.md":  []byte("# Maria Sandoval\n"),
		"g_no_extension":    []byte("text"),
		"sub/h_another.txt": []byte("Dr. Fielding saw the client.\n"),
	}
	for name, b := range files {
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, b, 0o644)
	}
	out, rep, log, totals := runFolder(t, "supervision", src, pipeline.Options{})
	if totals.Files != len(files) || totals.Quarantined != 5 || totals.Redacted != 3 {
		t.Fatalf("totals %+v", totals)
	}
	got := readTree(t, out)
	for _, name := range []string{"a_note.txt", "f_Person-A_CV.md", "sub/h_another.txt"} {
		if _, ok := got[name]; !ok {
			t.Errorf("%s not written; have %v", name, keys(got))
		}
	}
	if len(got) != 3 {
		t.Errorf("written: %v", keys(got))
	}
	js := string(rep["report.json"])
	for _, want := range []string{`"reason": "encoding"`, `"reason": "empty"`, `"reason": "unsupported"`, `"reason": "binary"`} {
		if !strings.Contains(strings.ReplaceAll(js, `":"`, `": "`), want) {
			t.Errorf("report lacks %s", want)
		}
	}
	for _, v := range []string{"Sandoval", "Fielding", "(503) 555-0147"} {
		for where, text := range map[string]string{"log": log, "report.json": js, "report.md": string(rep["report.md"])} {
			if strings.Contains(text, v) {
				t.Errorf("%q in %s", v, where)
			}
		}
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
