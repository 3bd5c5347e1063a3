package pipeline_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
)

// A document that withholds privileged terms gets a privilege-log entry
// with its date (the first dated line of its text; for an email, the date
// it was sent), its type, and blanks marked for the paralegal; a document
// with only FRCP 5.2 redactions gets none.
func TestPrivilegeLogEntries(t *testing.T) {
	src := t.TempDir()
	files := map[string]string{
		"a-memo.txt": "MEMORANDUM\nDate: March 14, 2024\nRe: the Halvorsen lease\n\nCounsel advised that the Halvorsen lease be renegotiated.\nA later meeting on April 2, 2024.\n",
		"b-note.txt": "Payment record, SSN 123-45-6789, no date given.\n",
		"c-mail.eml": "From: Quentin Arbuckle <qa@example.com>\r\nTo: Ines Ferrante <if@example.com>\r\nDate: Tue, 05 Nov 2024 10:15:00 -0500\r\nSubject: the Halvorsen lease\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOn June 1, 2023 we discussed the Halvorsen lease.\r\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, rep, _, totals := runFolder(t, "court", src, pipeline.Options{NoNER: true,
		DenyLists: []pipeline.DenyList{{Terms: []string{"Halvorsen lease"}, Basis: "Attorney-client privilege"}}})
	if totals.NotWritten() != 0 || totals.Privileged != 2 {
		t.Fatalf("totals %+v", totals)
	}
	log := string(rep["redaction-log.csv"])
	for _, want := range []string{
		"a-memo.txt,,,,line 3,Privileged,attorney-client communication,Attorney-client privilege,REDACTED – PRIVILEGED",
		"a-memo.txt,,,,line 5,Privileged,attorney-client communication,Attorney-client privilege,REDACTED – PRIVILEGED",
		"b-note.txt,,,,line 1,Social Security number,last four digits shown,Fed. R. Civ. P. 5.2(a)(1),XXX-XX-6789",
		"message header (Subject)",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("redaction log lacks %q:\n%s", want, log)
		}
	}
	// The privilege log is built from the same records.
	b := reportBuilder(t, rep["report.json"])
	var out strings.Builder
	if err := b.WritePrivilegeCSV(&out); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("privilege log:\n%s", out.String())
	}
	want := [][]string{
		{"1", "—", "a-memo.txt", "2024-03-14", "Text document", "[to be completed]", "[to be completed]", "Attorney-client privilege",
			"Text document containing attorney-client communication", "redacted in part (2 passages)"},
		{"2", "—", "c-mail.eml", "2024-11-05", "Email", "[to be completed]", "[to be completed]", "Attorney-client privilege",
			"Email containing attorney-client communication", "redacted in part (2 passages)"},
	}
	for i, w := range want {
		if strings.Join(rows[i+1], "|") != strings.Join(w, "|") {
			t.Errorf("entry %d:\n%q\nwant\n%q", i+1, rows[i+1], w)
		}
	}
}

// reportBuilder reads a report.json back into a builder, as veil report
// merge does.
func reportBuilder(t *testing.T, reportJSON []byte) *report.Builder {
	t.Helper()
	b, err := report.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	if _, _, err := report.Read(bytes.NewReader(reportJSON), func(f report.File) error { b.Add(f); return nil }); err != nil {
		t.Fatal(err)
	}
	return b
}
