package pipeline_test

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/email/emailtest"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// TestRedTeamSheetdoor runs the leaks stop 33 left open (issue 13) through
// the whole engine under court, supervision and research: values with no
// context of their own in a workbook (sheet and defined names, numbers
// below a title row or beside their label, a validation list), a record
// number in an attachment's file name (plain, RFC 2231, encoded word), a
// login in Markdown front matter. Outputs are judged by unzipping every
// entry, the standard library's reading of the message's attachment
// names, and the raw bytes. Invented values only.
func TestRedTeamSheetdoor(t *testing.T) {
	enc := "=?utf-8?B?" + base64.StdEncoding.EncodeToString([]byte("scan_48213911.txt")) + "?="
	eml := "From: desk@clinic.example.org\r\nTo: intake@clinic.example.org\r\nSubject: Scans\r\n" +
		"Date: Mon, 02 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAttached are the scans.\r\n" +
		"--b1\r\nContent-Type: text/plain; name=\"note_48213907.txt\"\r\nContent-Disposition: attachment; filename=\"note_48213907.txt\"\r\n\r\nfirst\r\n" +
		"--b1\r\nContent-Type: text/plain; name*=utf-8''lab%2048213922.txt\r\nContent-Disposition: attachment; filename*=utf-8''lab%2048213922.txt\r\n\r\nsecond\r\n" +
		"--b1\r\nContent-Type: text/plain; name=\"" + enc + "\"\r\nContent-Disposition: attachment; filename=\"" + enc + "\"\r\n\r\nthird\r\n" +
		"--b1--\r\n"
	md := "---\ntitle: Weekly notes\nauthor: oquillanby\nuser: qorsolya\nreviewers: [teverard]\n---\n\n# Notes\n\nThe meeting went well.\n"
	src := t.TempDir()
	for name, b := range map[string][]byte{"book.xlsx": xlsxtest.ContextFree(), "scans.eml": []byte(eml), "notes.md": []byte(md)} {
		if err := os.WriteFile(filepath.Join(src, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// by construction, under every profile: names and attachment names
	// (court keeps the clients' names as data: only their use as names)
	structural := []string{"Quillanby!", "'Quillanby'", ">Quillanby<", "name=\"Quillanby\"", "Tamsin_Everard", "'48213907'", "name=\"48213907\""}
	for _, profile := range []string{"court", "supervision", "research"} {
		t.Run(profile, func(t *testing.T) {
			out, rep, _, totals := runFolder(t, profile, src, pipeline.Options{})
			if totals.NotWritten() != 0 {
				t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
			}
			read := func(name string) []byte {
				b, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			book := unzipAll(t, read("book.xlsx"))
			for _, s := range structural {
				if strings.Contains(book, s) {
					t.Errorf("workbook: %q left", s)
				}
			}
			for _, s := range []string{"Sheet1!$E$3:$E$4", "Summary", "Totals"} {
				if !strings.Contains(book, s) {
					t.Errorf("workbook: %q was changed", s)
				}
			}
			// "ID" by construction, or the profile's label where its
			// detectors found the number (research)
			names, err := emailtest.AttachmentNames(read("scans.eml"))
			if err != nil {
				t.Fatal(err)
			}
			want := "note_ID.txt|note_ID.txt|lab ID.txt|lab ID.txt|scan_ID.txt|scan_ID.txt"
			if profile == "research" {
				want = strings.ReplaceAll(want, "ID", "[REDACTED]")
			}
			if got := strings.Join(names, "|"); got != want {
				t.Errorf("attachment names: %q, want %q", got, want)
			}
			notes := string(read("notes.md"))
			if profile == "court" {
				return // court keeps names, record numbers and telephone numbers (FRCP 5.2)
			}
			for _, s := range []string{"48213907", "48213911", "48213999", "48213950", "48213951", "6175550143", "6175550199", ">31118<", ">29000<", "Orsolya", "Everard"} {
				if strings.Contains(book, s) {
					t.Errorf("workbook: %q left", s)
				}
			}
			for _, s := range []string{"oquillanby", "teverard", "qorsolya"} {
				if strings.Contains(notes, s) {
					t.Errorf("front matter: %q left:\n%s", s, notes)
				}
			}
			for _, s := range []string{"title: Weekly notes", "The meeting went well."} {
				if !strings.Contains(notes, s) {
					t.Errorf("front matter: %q was changed:\n%s", s, notes)
				}
			}
		})
	}
}
