package docx_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/redactors/docx"
)

// tool finds a command the test needs. Under CI=true a missing tool fails
// the test (scripts/setup installs it); elsewhere the test is skipped.
func tool(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	msg := names[0] + " not found: scripts/setup installs it (Debian packages libreoffice-writer-nogui, poppler-utils, unzip, libimage-exiftool-perl)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg + "; skipping the checks that need it")
	return ""
}

// TestLibreOffice checks that redacted outputs open without repair: one
// LibreOffice run converts them all to PDF (it is slow to start), then
// pdftotext must show the replacements and none of the original values.
// The input is converted too, and must show the values, so that their
// absence from the outputs means something.
func TestLibreOffice(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice")
	pdftotext := tool(t, "pdftotext")
	dir := t.TempDir()
	inputs := docx.FixtureFiles()
	files := map[string][]byte{"kitchen_sink.in": inputs["kitchen_sink"]}
	for name, in := range inputs {
		files[name+".out"] = docx.RedactFixture(t, in)
	}
	out, rec := runPipeline(t, "supervision", "intake.docx", inputs["kitchen_sink"])
	if out == nil {
		t.Fatalf("pipeline did not write the output: %s", rec.Detail)
	}
	files["kitchen_sink.pipeline"] = out
	var args []string
	for name, b := range files {
		p := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	sort.Strings(args)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+dir)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, msg)
	}
	text := map[string]string{}
	for name := range files {
		pdf := filepath.Join(dir, name+".pdf")
		b, err := exec.CommandContext(ctx, pdftotext, "-enc", "UTF-8", pdf, "-").Output()
		if err != nil {
			t.Fatalf("%s: LibreOffice did not open it (no PDF): %v", name, err)
		}
		text[name] = strings.Join(strings.Fields(string(b)), " ")
	}
	for _, v := range []string{"Maria Sandoval", "Rosa Sandoval", "(503) 555-0147", "Helen Fielding", "Elena"} {
		if !strings.Contains(text["kitchen_sink.in"], v) {
			t.Errorf("input PDF lacks %q: the check below would prove nothing", v)
		}
	}
	for name, s := range text {
		if strings.HasSuffix(name, ".in") {
			continue
		}
		for _, v := range docx.LeakValues {
			if strings.Contains(s, v) && !(v == "O'Brien" && strings.HasSuffix(name, ".pipeline")) {
				t.Errorf("%s: %q survives in the PDF", name, v)
			}
		}
		// Aliases, not fixed letters: which person gets "A" depends on the
		// order in which the detectors meet them (a client takes a letter
		// too, "Client A").
		aliases, minAliases := map[string]bool{}, 2
		for _, m := range aliasRe.FindAllString(s, -1) {
			aliases[m] = true
		}
		var want []string
		if strings.HasPrefix(name, "kitchen_sink") {
			minAliases = 4
			want = append(want, "[phone]", "[email]", "night shift", "Intake summary")
		}
		if len(aliases) < minAliases {
			t.Errorf("%s: PDF has %d aliases (%v), want at least %d:\n%s", name, len(aliases), aliases, minAliases, s)
		}
		for _, r := range want {
			if !strings.Contains(s, r) {
				t.Errorf("%s: PDF lacks %q:\n%s", name, r, s)
			}
		}
	}
}

var aliasRe = regexp.MustCompile(`\b(?:Person|Client) [A-Z]{1,2}\b`)
