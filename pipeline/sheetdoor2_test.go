package pipeline_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/email/emailtest"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// TestExtensionNamespaceKept: the namespace URI of x14 extensions' xm
// prefix (http://schemas.microsoft.com/office/excel/2006/main), which
// vocabulary.txt does not list, is structure of the Microsoft extension
// family, not a URL for the detectors: under supervision and research it
// stays, so that the x14 data validation whose list lies on another sheet
// still works. Judged by unzipping the output and by LibreOffice Calc,
// which reads the validation back and writes it again (session
// sheetdoor2, issue 13). Before, xmlns:xm became "[url]".
func TestExtensionNamespaceKept(t *testing.T) {
	const xm = `xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"`
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "book.xlsx"), xlsxtest.ContextFree(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, profile := range []string{"supervision", "research"} {
		t.Run(profile, func(t *testing.T) {
			out, rep, _, totals := runFolder(t, profile, src, pipeline.Options{})
			if totals.NotWritten() != 0 {
				t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
			}
			b, err := os.ReadFile(filepath.Join(out, "book.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			book := unzipAll(t, b)
			if !strings.Contains(book, xm) {
				t.Errorf("the output lacks %s", xm)
			}
			if strings.Contains(book, "[url]") || strings.Contains(book, "[URL]") {
				t.Errorf("a URL replacement in the workbook")
			}
			if profile != "supervision" {
				return
			}
			// LibreOffice reads the x14 validation (a list on another
			// sheet) and writes it back as a validation of B1 on Sheet2
			soffice := needTool(t, "soffice", "libreoffice")
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "in.xlsx"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
				"--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", filepath.Join(dir, "lo"), filepath.Join(dir, "in.xlsx"))
			if o, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("soffice: %v\n%s", err, o)
			}
			lo, err := os.ReadFile(filepath.Join(dir, "lo", "in.xlsx"))
			if err != nil {
				t.Fatalf("LibreOffice wrote nothing: %v", err)
			}
			if s := unzipAll(t, lo); !strings.Contains(s, "Sheet1!$E$3:$E$4") {
				t.Errorf("LibreOffice did not read the extension's validation (%d validations in its output)", strings.Count(s, "dataValidation "))
			}
		})
	}
}

// TestAttachmentNamePersonForms: the forms file names give a person's name
// ("oquillanby", "Quillanby-O", "orsolya.quillanby") are found in an
// attachment's file name as in an object key (ner/filename.PersonForms),
// for the people the message names, under the fullest spelling the case
// knows ("Ms Quillanby" in the message, "Orsolya Quillanby" in another
// file of the case); the extension stays and the report notes the count.
// Judged by the standard library's reading of the attachments' names
// (session sheetdoor2, issue 13). Invented names only.
func TestAttachmentNamePersonForms(t *testing.T) {
	att := func(name, body string) string {
		return "--b1\r\nContent-Type: text/plain; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name + "\"\r\n\r\n" + body + "\r\n"
	}
	eml := "From: desk@clinic.example.org\r\nTo: intake@clinic.example.org\r\nSubject: Notes\r\n" +
		"Date: Mon, 02 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAttached are the notes for Ms Quillanby, as Tamsin Everard asked.\r\n" +
		att("oquillanby_note.txt", "first") + att("Quillanby-O.txt", "second") + att("orsolya.quillanby.txt", "third") +
		att("teverard-summary.txt", "fourth") + att("weekly_summary.txt", "fifth") +
		"--b1--\r\n"
	src := t.TempDir()
	for name, b := range map[string]string{"notes.eml": eml, "intake.txt": "Client: Orsolya Quillanby\nReferred by Tamsin Everard.\n"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, rep, _, totals := runFolder(t, "supervision", src, pipeline.Options{})
	if totals.NotWritten() != 0 {
		t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
	}
	b, err := os.ReadFile(filepath.Join(out, "notes.eml"))
	if err != nil {
		t.Fatal(err)
	}
	names, err := emailtest.AttachmentNames(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 10 {
		t.Fatalf("attachment names: %q", names)
	}
	for _, n := range names {
		low := strings.ToLower(n)
		for _, s := range []string{"quillanby", "orsolya", "everard"} {
			if strings.Contains(low, s) {
				t.Errorf("attachment name %q keeps %q", n, s)
			}
		}
		if !strings.HasSuffix(n, ".txt") {
			t.Errorf("attachment name %q lost its extension", n)
		}
	}
	if names[8] != "weekly_summary.txt" {
		t.Errorf("a name without a person changed: %q", names[8])
	}
	if !strings.Contains(string(rep["report.json"]), "8 forms of a person's name found in file names inside the file") {
		t.Errorf("the report does not note the forms found: %s", rep["report.json"])
	}
}

// TestAttachmentNameFormsOwnSpelling: the forms come from the spelling the
// message itself gives too, not only from the case's fullest one: a
// workbook's validation list "Orsolya Quillanby,Tamsin Everard" read as one
// name gives the case a four-word spelling of her, from which no form
// of hers follows.
func TestAttachmentNameFormsOwnSpelling(t *testing.T) {
	eml := "From: desk@clinic.example.org\r\nTo: intake@clinic.example.org\r\nSubject: Notes\r\n" +
		"Date: Mon, 02 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nNotes for Orsolya Quillanby attached.\r\n" +
		"--b1\r\nContent-Type: text/plain; name=\"oquillanby_note.txt\"\r\nContent-Disposition: attachment; filename=\"oquillanby_note.txt\"\r\n\r\nfirst\r\n" +
		"--b1--\r\n"
	src := t.TempDir()
	for name, b := range map[string][]byte{"msg.eml": []byte(eml), "book.xlsx": xlsxtest.ContextFree()} {
		if err := os.WriteFile(filepath.Join(src, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, rep, _, totals := runFolder(t, "supervision", src, pipeline.Options{})
	if totals.NotWritten() != 0 {
		t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
	}
	b, err := os.ReadFile(filepath.Join(out, "msg.eml"))
	if err != nil {
		t.Fatal(err)
	}
	names, err := emailtest.AttachmentNames(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if strings.Contains(strings.ToLower(n), "quillanby") || !strings.HasSuffix(n, "_note.txt") {
			t.Errorf("attachment name %q", n)
		}
	}
}

// TestKeyDictionaryWord: an ordinary English word that the name lists hold
// too ("font") is not a name in a file name on its own (session
// sheetdoor2), unless a person of the case holds it ("Tamsin Font", named
// in another file of the case): then it goes from every key. Invented
// names only.
func TestKeyDictionaryWord(t *testing.T) {
	files := map[string]string{
		"d01-font.txt":        "The heading style uses a larger size.\n",
		"vml-font-family.txt": "Shapes keep their outline.\n",
	}
	run := func(files map[string]string) string {
		src := t.TempDir()
		for name, b := range files {
			if err := os.WriteFile(filepath.Join(src, name), []byte(b), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out, rep, _, totals := runFolder(t, "supervision", src, pipeline.Options{})
		if totals.NotWritten() != 0 {
			t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
		}
		entries, err := os.ReadDir(out)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return strings.Join(names, "|")
	}
	if got := run(files); got != "d01-font.txt|vml-font-family.txt" {
		t.Errorf("ordinary words taken for names: %s", got)
	}
	files["intake.txt"] = "Client: Tamsin Font\nSeen on Monday.\n"
	got := run(files)
	if strings.Contains(got, "font") || !strings.Contains(got, "intake.txt") {
		t.Errorf("the client's surname stays in a key: %s", got)
	}
}
