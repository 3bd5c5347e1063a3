package pipeline_test

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/docx/docxtest"
	et "github.com/veilhq/veil/redactors/email/emailtest"
)

// TestEmailEndToEnd runs an .eml with a DOCX attachment, an Outlook .msg
// and an .mbox through the batch runner (supervision profile, real
// detectors, no NER): the .msg is written as .eml, and Python's email
// package (the redactors/email judge) finds none of the people's names,
// addresses or phone numbers in any header, body, attachment or file
// name of the outputs.
func TestEmailEndToEnd(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is required under CI")
		}
		t.Skip("python3 not installed")
	}
	const (
		name  = "Oswin Trevelyan-Marsh"
		mail  = "oswin.marsh@trevelyan-home.example"
		phone = "(503) 555-0188"
	)
	doc := docxtest.Doc{Body: docxtest.P("Client: "+name) + docxtest.P("Phone "+phone)}.Build()
	eml := strings.ReplaceAll(`From: "Oswin Trevelyan-Marsh" <`+mail+`>
To: counsellor@clinic.example
Subject: Intake form of Oswin Trevelyan-Marsh
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Hello, this is Oswin Trevelyan-Marsh. Call me on `+phone+`.
--b1
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="intake.docx"
Content-Disposition: attachment; filename="intake.docx"
Content-Transfer-Encoding: base64

`+b64lines(doc)+`--b1--
`, "\n", "\r\n")
	msg := et.Message{
		Props: et.Props{Strs: map[uint16]string{et.PidSubject: "Session notes", et.PidBody: "Notes for " + name + ", phone " + phone + "\r\n",
			et.PidSenderName: "Counsellor", et.PidSenderSMTP: "counsellor@clinic.example"}},
		Recipients: []et.Recipient{{Name: name, Address: mail, Type: 1}},
	}.Build()
	mbox := "From " + mail + " Tue Mar  3 09:14:05 2026\n" + strings.ReplaceAll(eml, "\r\n", "\n") + "\n"
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "intake.eml"), []byte(eml), 0o644)
	os.WriteFile(filepath.Join(src, "notes.msg"), msg, 0o644)
	os.WriteFile(filepath.Join(src, "box.mbox"), []byte(mbox), 0o644)
	out, rep, _, totals := runFolder(t, "supervision", src, pipeline.Options{DenyList: []string{name}, NoNER: true})
	if totals.NotWritten() != 0 || totals.Redacted != 3 {
		t.Fatalf("totals %+v\n%s", totals, rep["report.md"])
	}
	var files []string
	filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() && !strings.Contains(p, "veil-report") {
			files = append(files, filepath.Base(p))
		}
		return nil
	})
	sort.Strings(files)
	if strings.Join(files, " ") != "box.mbox intake.eml notes.eml" {
		t.Fatalf("outputs %v", files)
	}
	if !strings.Contains(string(rep["report.json"]), "written as .eml") {
		t.Error("the report does not say the .msg was written as .eml")
	}
	secrets := filepath.Join(t.TempDir(), "secrets.json")
	os.WriteFile(secrets, []byte(`["Oswin", "Trevelyan", "Marsh", "oswin.marsh", "555-0188"]`), 0o644)
	res, err := exec.Command(py, "../redactors/email/testdata/judge.py", secrets,
		"eml:"+filepath.Join(out, "intake.eml"), "eml:"+filepath.Join(out, "notes.eml"), "mbox:"+filepath.Join(out, "box.mbox")).Output()
	if err != nil {
		t.Fatalf("judge: %v", err)
	}
	if !strings.Contains(string(res), `"leaks": [], "defects": []`) || strings.Count(string(res), `"leaks": []`) != 3 {
		t.Errorf("judge: %s", res)
	}
}

func b64lines(b []byte) string {
	s := base64Std(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	return out.String() + s + "\n"
}

var base64Std = base64.StdEncoding.EncodeToString

// TestMSGOutputKey checks that a .msg written as .eml never takes the key
// of a source file: next to a.eml, a.msg is written as a-2.eml.
func TestMSGOutputKey(t *testing.T) {
	msg := et.Message{Props: et.Props{Strs: map[uint16]string{et.PidSubject: "Agenda", et.PidBody: "Room 4 at ten.\r\n"}}}.Build()
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "a.msg"), msg, 0o644)
	os.WriteFile(filepath.Join(src, "a.eml"), []byte("From: office@example.org\r\nSubject: Agenda\r\n\r\nRoom 5.\r\n"), 0o644)
	out, rep, _, totals := runFolder(t, "supervision", src, pipeline.Options{NoNER: true})
	if totals.NotWritten() != 0 {
		t.Fatalf("totals %+v\n%s", totals, rep["report.md"])
	}
	a, _ := os.ReadFile(filepath.Join(out, "a.eml"))
	b, _ := os.ReadFile(filepath.Join(out, "a-2.eml"))
	if !strings.Contains(string(a), "Room 5.") || !strings.Contains(string(b), "Room 4 at ten.") {
		t.Errorf("a.eml %q\na-2.eml %q", a, b)
	}
}
