package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
)

// TestEmailLocalPartPropagates runs a text file through the batch runner
// (supervision profile, real detectors): the login an address's local
// part names ("Received: from <login>-laptop", a Windows profile path) is
// redacted with the address, and is in neither the output, the report nor
// the log; a role mailbox's word ("info") stays where it is ordinary text.
func TestEmailLocalPartPropagates(t *testing.T) {
	const (
		login = "tamsinvarrowby"
		mail  = login + "@example.net"
	)
	text := "Contact the family at " + mail + " or the office at info@example.org.\n" +
		"Received: from " + login + "-laptop by relay.example.org\n" +
		"Attachment saved as C:\\Users\\" + login + "\\Pictures\\scan.png\n" +
		"The info desk opens at nine. A " + login + "x token is another word.\n"
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "note.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, rep, log, totals := runFolder(t, "supervision", src, pipeline.Options{})
	if totals.NotWritten() != 0 || totals.Redacted != 1 {
		t.Fatalf("totals %+v\n%s", totals, rep["report.md"])
	}
	b, err := os.ReadFile(filepath.Join(out, "note.txt"))
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, s := range []string{"from " + login, "\\" + login + "\\", mail} {
		if strings.Contains(got, s) {
			t.Errorf("%q left in the output:\n%s", s, got)
		}
	}
	if !strings.Contains(got, "The info desk") {
		t.Errorf("the role mailbox's word was redacted:\n%s", got)
	}
	if !strings.Contains(got, login+"x") {
		t.Errorf("a longer word that starts with the login was redacted:\n%s", got)
	}
	for where, s := range map[string]string{"log": log, "report.json": string(rep["report.json"]), "report.md": string(rep["report.md"])} {
		if strings.Contains(strings.ToLower(s), login) {
			t.Errorf("the login is in the %s", where)
		}
	}
}
