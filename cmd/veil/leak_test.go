package main

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/ner"
)

// buildVeil compiles the command once per test binary run.
func buildVeil(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "veil")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestLeakAudit runs the real binary over the samples and over files whose
// names identify someone, with every profile and debug logging, and checks
// that no identifying value appears in stdout, stderr, the report, output
// names, or temporary files left behind.
func TestLeakAudit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildVeil(t)
	raw, err := os.ReadFile("../../pipeline/testdata/sample_identifiers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var lists map[string][]string
	if err := yaml.Unmarshal(raw, &lists); err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	samples, _ := filepath.Glob("../../samples/cases/*")
	for _, s := range samples {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		write(t, src, map[string][]byte{filepath.Base(s): b})
	}
	// Files whose names identify, some of which cannot be processed.
	write(t, src, map[string][]byte{
		"Maria_Sandoval_intake.txt":     []byte("Intake for Maria Sandoval, MRN 00482913.\n"),
		"sandoval-maria-scan.exe":       []byte("MZ\x90"),
		"Thomas Ellison/notes.md":       []byte("Mr. Ellison called (971) 555-0123.\n"),
		"Daniel_Reyes_234-56-7890.txt":  []byte("\xff\xfe latin"),
		"Okafor/00482913/empty.txt":     nil,
		"Whitfield-Barrett_letter.docm": []byte("PK\x03\x04"),
	})
	key := testKeyFile(t)
	for _, profile := range []string{"supervision", "research", "court", "court-criminal"} {
		t.Run(profile, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			tmp := t.TempDir()
			mapping := filepath.Join(t.TempDir(), "case.veilmap")
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, "run", "--verbose", "--log-format", "json", "--profile", profile,
				"--key-file", key, "--mapping", mapping, src, out)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != exitNotWritten {
				t.Fatalf("exit %d (%v), want %d\n%s", code, err, exitNotWritten, stderr.String())
			}
			places := map[string]string{"stdout": stdout.String(), "stderr": stderr.String()}
			filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(out, p)
				places["name "+rel] = rel
				if !d.IsDir() {
					b, _ := os.ReadFile(p)
					places["file "+rel] = string(b)
					// Compressed formats: search every entry decompressed.
					if zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b))); err == nil {
						for _, zf := range zr.File {
							rc, err := zf.Open()
							if err != nil {
								t.Fatalf("%s: %s: %v", rel, zf.Name, err)
							}
							eb, _ := io.ReadAll(rc)
							rc.Close()
							places["file "+rel+" entry "+zf.Name] = html.UnescapeString(string(eb))
						}
					}
				}
				return nil
			})
			left, _ := os.ReadDir(tmp)
			for _, e := range left {
				t.Errorf("temporary file left behind: %s", e.Name())
			}
			if !strings.Contains(stderr.String(), `"level":"DEBUG"`) {
				t.Errorf("no debug logging seen")
			}
			values := lists[profile]
			if strings.HasPrefix(profile, "court") {
				// court keeps names on purpose, in the text; names in file
				// names are checked with the other profiles.
				values = append(values, "234-56-7890")
			}
			for _, v := range values {
				re := wordsRegexp(v)
				for where, text := range places {
					if strings.HasPrefix(profile, "court") && strings.HasPrefix(where, "file ") && !strings.Contains(where, "veil-report") {
						continue // court output text keeps everything but FRCP 5.2 values; checked by pipeline tests
					}
					if loc := re.FindStringIndex(text); loc != nil {
						t.Errorf("%q in %s", v, where)
					}
				}
			}
		})
	}
}

func wordsRegexp(v string) *regexp.Regexp {
	var parts []string
	for _, w := range ner.Words(v) {
		parts = append(parts, regexp.QuoteMeta(v[w.Start:w.End]))
	}
	return regexp.MustCompile(`(?i)(?:^|[^\pL\pN])` + strings.Join(parts, `[\s_.\-/,()]+`) + `(?:$|[^\pL\pN])`)
}
