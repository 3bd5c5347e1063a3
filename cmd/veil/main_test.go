package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// veil runs the CLI in-process and returns its exit code and error text.
func veil(t *testing.T, args ...string) (int, string) {
	t.Helper()
	err := newApp().Run(append([]string{"veil"}, args...))
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return exitCode(err), msg
}

func write(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The README's first command.
func TestReadmeQuickStart(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, msg := veil(t, "run", "-q", "--profile", "supervision", "../../samples/cases", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	for _, f := range []string{"progress_note_date.txt", "intake_letter.md", "discharge_summary.md",
		"veil-report/report.json", "veil-report/report.md", "veil-report/redaction-log.csv"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
}

func TestRunWithBadFilesExits2(t *testing.T) {
	src, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	write(t, src, map[string][]byte{
		"note1.txt":  []byte("Client Maria Sandoval, phone (503) 555-0147.\n"),
		"note2.md":   []byte("Seen by Dr. Fielding on March 3, 2024.\n"),
		"latin1.txt": []byte("Jos\xe9\n"),
		"empty.txt":  nil,
		"tool.exe":   []byte("MZ\x90\x00"),
	})
	code, msg := veil(t, "run", "-q", "--profile", "research", "--key-file", testKeyFile(t), src, out)
	if code != exitNotWritten || !strings.Contains(msg, "3 of 5 files not written") {
		t.Fatalf("exit %d: %s", code, msg)
	}
	for _, f := range []string{"note1.txt", "note2.md"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written", f)
		}
	}
	for _, f := range []string{"latin1.txt", "empty.txt", "tool.exe"} {
		if _, err := os.Stat(filepath.Join(out, f)); err == nil {
			t.Errorf("%s written", f)
		}
	}
}

func TestUsageErrorsExit1(t *testing.T) {
	src := t.TempDir()
	write(t, src, map[string][]byte{"a.txt": []byte("x\n")})
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"run", "--profile", "supervision", src}, "run needs SOURCE and DEST"},
		{[]string{"run", src, filepath.Join(src, "..", "o")}, "veil run needs --profile NAME"},
		{[]string{"run", "--profile", "surgery", src, t.TempDir()}, "unknown profile"},
		{[]string{"run", "--profile", "court", src, filepath.Join(src, "out")}, "overlaps the source folder (SOURCE)"},
		{[]string{"run", "--profile", "court", src, src}, "overlaps the source folder (SOURCE)"},
		{[]string{"run", "--profile", "court", filepath.Join(src, "nope"), t.TempDir()}, "no such file"},
		{[]string{"run", "--profile", "court", "s3://ab/x", t.TempDir()}, "a bucket has 3 to 63"},
		{[]string{"run", "--profile", "court", "ftp://host/x", t.TempDir()}, "s3://bucket/prefix"},
		{[]string{"run", "--profile", "court", "--shard", "4/4", src, t.TempDir()}, "--shard"},
		{[]string{"run", "--profile", "court", "--state", filepath.Join(src, "st"), src, filepath.Join(t.TempDir(), "o")}, "--state"},
		{[]string{"run", "--profile", "court", "--deny-list", "/nonexistent", src, t.TempDir()}, "--deny-list"},
	}
	for _, c := range cases {
		code, msg := veil(t, c.args...)
		if code != exitFatal || !strings.Contains(msg, c.want) {
			t.Errorf("%v: exit %d %q, want 1 and %q", c.args, code, msg, c.want)
		}
	}
}

func TestRedactStdin(t *testing.T) {
	in, _ := os.CreateTemp(t.TempDir(), "in")
	in.WriteString("Call Maria Sandoval at (503) 555-0147.\n")
	in.Seek(0, 0)
	outF, _ := os.CreateTemp(t.TempDir(), "out")
	oldIn, oldOut := os.Stdin, os.Stdout
	os.Stdin, os.Stdout = in, outF
	code, msg := veil(t, "redact", "-q", "-p", "research", "--key-file", testKeyFile(t), "-")
	os.Stdin, os.Stdout = oldIn, oldOut
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	got, _ := os.ReadFile(outF.Name())
	if !regexp.MustCompile(`^Call PERSON-[0-9a-f]{8} at \[PHONE\]\.\n$`).Match(got) {
		t.Fatalf("got %q", got)
	}
}

// TestRedactFileSizeLimit: veil redact FILE honours --max-file-size and
// writes nothing for a larger file.
func TestRedactFileSizeLimit(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string][]byte{"note.txt": []byte(strings.Repeat("Client Maria Sandoval.\n", 100))})
	out := filepath.Join(dir, "out.txt")
	code, msg := veil(t, "redact", "-q", "-p", "supervision", "--no-ner", "--max-file-size", "1KiB", "-o", out, filepath.Join(dir, "note.txt"))
	if code != exitNotWritten || !strings.Contains(msg, "max-file-size") {
		t.Errorf("exit %d %q, want %d and the limit named", code, msg, exitNotWritten)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("output written for a file over the limit")
	}
	if code, msg := veil(t, "redact", "-q", "-p", "supervision", "--no-ner", "--max-file-size", "4KiB", "-o", out, filepath.Join(dir, "note.txt")); code != exitOK {
		t.Errorf("under the limit: exit %d %s", code, msg)
	}
}

func TestProfilesShowRoundTrip(t *testing.T) {
	for _, name := range []string{"court", "court-criminal", "research", "supervision"} {
		f, _ := os.CreateTemp(t.TempDir(), name+"-*.yaml")
		old := os.Stdout
		os.Stdout = f
		code, msg := veil(t, "profiles", "show", name)
		os.Stdout = old
		f.Close()
		if code != exitOK {
			t.Fatalf("show %s: %d %s", name, code, msg)
		}
		// The printed profile is a valid profile file.
		out := filepath.Join(t.TempDir(), "o")
		src := t.TempDir()
		write(t, src, map[string][]byte{"a.txt": []byte("Maria Sandoval\n")})
		if code, msg := veil(t, "run", "-q", "--profile", f.Name(), "--key-file", testKeyFile(t), src, out); code != exitOK {
			t.Fatalf("run with shown %s profile: %d %s", name, code, msg)
		}
	}
}

// verify passes on Veil's own output and fails on the originals.
func TestVerify(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	key := testKeyFile(t)
	for _, profile := range []string{"supervision", "research", "court", "court-criminal"} {
		os.RemoveAll(out)
		if code, msg := veil(t, "run", "-q", "--profile", profile, "--key-file", key, "../../samples/cases", out); code != exitOK {
			t.Fatalf("run %s: %d %s", profile, code, msg)
		}
		if code, msg := veil(t, "verify", "-q", "--profile", profile, out); code != exitOK {
			t.Errorf("verify %s on redacted output: exit %d %s", profile, code, msg)
		}
		if code, msg := veil(t, "verify", "-q", "--profile", profile, "../../samples/cases"); code != exitIdentifiers {
			t.Errorf("verify %s on originals: exit %d %s, want %d", profile, code, msg, exitIdentifiers)
		}
	}
}

// TestRunBates runs the court command of the README with Bates numbering
// over two PDFs: every page gets the next number, in name order, and the
// redaction log carries the number of the page of each redaction.
func TestRunBates(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	write(t, dir, map[string][]byte{
		"in/exhibit-1.pdf": pdftest.OnePage("Exhibit one.", "SSN 123-45-6789 on file."),
		"in/exhibit-2.pdf": pdftest.OnePage("Exhibit two.", "Account number 4111111111111111 closed."),
	})
	code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "court", "--bates", "ACME", "--bates-start", "101", "--bates-digits", "4", in, out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	b, err := os.ReadFile(filepath.Join(out, "veil-report", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Files []struct {
			Key, Bates string
		}
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rep.Files {
		got[f.Key] = f.Bates
	}
	if got["exhibit-1.pdf"] != "ACME0101" || got["exhibit-2.pdf"] != "ACME0102" {
		t.Errorf("Bates numbers in the report: %v, want exhibit-1.pdf ACME0101, exhibit-2.pdf ACME0102", got)
	}
	csv, err := os.ReadFile(filepath.Join(out, "veil-report", "redaction-log.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(csv), "exhibit-2.pdf,ACME0102,") {
		t.Errorf("redaction log lacks the Bates number of exhibit-2.pdf:\n%s", csv)
	}
	if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command(pdftotext, filepath.Join(out, "exhibit-2.pdf"), "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(txt), "ACME0102") || strings.Contains(string(txt), "4111111111111111") {
			t.Errorf("pdftotext of exhibit-2.pdf: want the stamp ACME0102 and no account number:\n%s", txt)
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal("pdftotext is missing; scripts/setup installs poppler-utils")
	}
}

// TestReportLocationsRedacted: a source folder named after a client does
// not put her name into the report, which is released with the files.
func TestReportLocationsRedacted(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "Maria_Sandoval"), filepath.Join(dir, "Sandoval_handout")
	write(t, in, map[string][]byte{"note.txt": []byte("Client Maria Sandoval attended.\n")})
	if code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "supervision", in, out); code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	for _, f := range []string{"report.json", "report.md"} {
		b, err := os.ReadFile(filepath.Join(out, "veil-report", f))
		if err != nil {
			t.Fatal(err)
		}
		// by role since session "side37", never a reading of the path
		if strings.Contains(string(b), "Sandoval") || strings.Contains(string(b), dir) ||
			!strings.Contains(string(b), "SOURCE (a local folder)") || !strings.Contains(string(b), "DEST (a local folder)") {
			t.Errorf("%s: want the locations by role:\n%s", f, b)
		}
	}
}

// --ocr-languages is checked against the installed Tesseract data, and the
// error names the missing language.
func TestOCRLanguagesFlag(t *testing.T) {
	if _, err := exec.LookPath("tesseract"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tesseract is needed under CI (scripts/setup)")
		}
		t.Skip("no tesseract")
	}
	src := filepath.Join(t.TempDir(), "a.txt")
	os.WriteFile(src, []byte("Nothing to see.\n"), 0o644)
	for _, c := range []struct{ langs, want string }{
		{"eng,qqz", `"qqz"`},
		{" , ", "no language given"},
	} {
		code, msg := veil(t, "redact", "--profile", "court", "--ocr-languages", c.langs, src)
		if code != exitFatal || !strings.Contains(msg, "--ocr-languages") || !strings.Contains(msg, c.want) {
			t.Errorf("--ocr-languages %q: exit %d %q, want 1 naming %s", c.langs, code, msg, c.want)
		}
	}
	if code, msg := veil(t, "redact", "--profile", "court", "--ocr-languages", "eng", src); code != 0 {
		t.Errorf("--ocr-languages eng: exit %d %q", code, msg)
	}
}
