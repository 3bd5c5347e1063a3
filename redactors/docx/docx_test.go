package docx

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

var update = flag.Bool("update", false, "update golden files in testdata/")

func mustParse(t testing.TB, data []byte) *Document {
	t.Helper()
	doc, err := New(Options{}).Parse(data)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc.(*Document)
}

// redact parses data, finds the fixture values and writes the output.
func redact(t testing.TB, data []byte) (*Document, []redactors.Edit, []byte) {
	t.Helper()
	d := mustParse(t, data)
	var texts []string
	for _, p := range d.Parts() {
		texts = append(texts, p.Text)
	}
	found, repls := findEdits(texts)
	var edits []redactors.Edit
	for i, f := range found {
		edits = append(edits, redactors.Edit{Part: f[0], Start: f[1], End: f[2], Replacement: repls[i]})
	}
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatalf("redact: %v", err)
	}
	return d, edits, out.Bytes()
}

// unzip returns the decompressed entries of a zip, in order.
func unzip(t testing.TB, data []byte) (names []string, files map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files = map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		names = append(names, f.Name)
		files[f.Name] = b
	}
	return names, files
}

// dump writes parts, notes and every output entry as text, for golden files.
func dump(d *Document, in, out []byte, t testing.TB) string {
	var b strings.Builder
	b.WriteString("-- parts --\n")
	for _, p := range d.Parts() {
		fmt.Fprintf(&b, "%s: %q\n", p.Name, p.Text)
	}
	b.WriteString("-- notes --\n")
	for _, n := range d.Notes() {
		b.WriteString(n + "\n")
	}
	_, before := unzip(t, in)
	names, after := unzip(t, out)
	for _, n := range names {
		switch {
		case bytes.Equal(before[n], after[n]):
			fmt.Fprintf(&b, "-- %s (unchanged, %d bytes) --\n", n, len(after[n]))
		case strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".rels"):
			fmt.Fprintf(&b, "-- %s --\n%s\n", n, after[n])
		default:
			fmt.Fprintf(&b, "-- %s (changed, %d bytes) --\n", n, len(after[n]))
		}
	}
	for n := range before {
		if _, ok := after[n]; !ok {
			fmt.Fprintf(&b, "-- %s (removed) --\n", n)
		}
	}
	return b.String()
}

// TestGolden redacts each fixture and compares parts, notes and output XML
// with testdata/<name>.golden (go test -update to refresh; review the diff).
func TestGolden(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			in := f.doc.Build()
			d, _, out := redact(t, in)
			got := dump(d, in, out, t)
			golden := filepath.Join("testdata", f.name+".golden")
			if *update {
				os.MkdirAll("testdata", 0o755)
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (go test -update to accept):\n%s", golden, lineDiff(string(want), got))
			}
		})
	}
}

func lineDiff(want, got string) string {
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
	return "(same lines)"
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// xmlTexts is an adversary's view of an XML entry, independent of the code
// under test: the raw bytes, the text between tags joined, and both with
// references decoded.
func xmlTexts(b []byte) []string {
	raw := string(b)
	joined := tagRE.ReplaceAllString(raw, "")
	return []string{raw, html.UnescapeString(raw), joined, html.UnescapeString(joined)}
}

// TestNoLeaks scans every entry of every output for every value that must
// be gone; the same scan of the input must find each of them, or the test
// proves nothing. The test detector (findEdits) does not know the values
// that sanitising must remove (authors, company, manager, user ids, a
// date picker's date, deleted text), unlike the leak corpus of the
// conformance suite, whose edits remove every value Parts show; the
// suite also checks that Leaks reads what Parts show.
func TestNoLeaks(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			in := f.doc.Build()
			_, _, out := redact(t, in)
			_, before := unzip(t, in)
			_, after := unzip(t, out)
			contains := func(files map[string][]byte, v string) []string {
				var where []string
				for name, b := range files {
					for _, s := range xmlTexts(b) {
						if strings.Contains(s, v) {
							where = append(where, name)
							break
						}
					}
				}
				return where
			}
			for _, v := range leakValues {
				if len(contains(before, v)) == 0 {
					if f.name == "kitchen_sink" {
						t.Errorf("%q is not in the input", v)
					}
					continue
				}
				if where := contains(after, v); len(where) > 0 {
					t.Errorf("%q survives in %v", v, where)
				}
			}
			// The leak checker agrees.
			d := mustParse(t, out)
			where, err := d.Leaks(out, func(s string) bool {
				for _, v := range leakValues {
					if strings.Contains(s, v) {
						return true
					}
				}
				return false
			})
			if err != nil || len(where) > 0 {
				t.Errorf("Leaks on the output: %v %v", where, err)
			}
		})
	}
}
