package email_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/email"
	et "github.com/veilhq/veil/redactors/email/emailtest"
)

var msgFixture = et.MSG

func TestMSG(t *testing.T) {
	f := format(t, ".msg", email.Options{})
	in := msgFixture(false, 0, 0)
	doc, out := redactAll(t, f, in)
	if ext := doc.(redactors.OutputExtensioner).OutputExtension(); ext != ".eml" {
		t.Errorf("output extension %q", ext)
	}
	var names []string
	for _, p := range doc.Parts() {
		names = append(names, p.Name)
	}
	all := strings.Join(names, "\n")
	for _, want := range []string{"headers: From", "headers: To", "headers: Subject", "body (text/plain)", "body (text/html)",
		"(docx): word/document.xml", "(email): headers: From", "file name"} {
		if !strings.Contains(all, want) {
			t.Errorf("no part %q in\n%s", want, all)
		}
	}
	notes := strings.Join(doc.(redactors.Noter).Notes(), "\n")
	for _, want := range []string{"written as .eml", "RTF body dropped", "transport headers", "X-Msg-Property"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	vs := judgeAll(t, []judged{{out, "eml"}})
	if len(vs[0].Leaks) > 0 || len(vs[0].Defects) > 0 {
		t.Errorf("leaks %v\ndefects %v", leakList(vs[0]), vs[0].Defects)
	}
	if len(vs[0].Census.Attachments) < 1 || vs[0].Census.Messages < 2 {
		t.Errorf("judge read %d messages, attachments %v", vs[0].Census.Messages, vs[0].Census.Attachments)
	}
	// The pipeline verifies with the same format: it reads the .eml.
	doc2, err := f.Parse(out)
	if err != nil {
		t.Fatalf("the .msg format does not read its own output: %v", err)
	}
	where, err := doc2.(redactors.LeakChecker).Leaks(out, func(s string) bool { return containsAny(s, secrets) })
	if err != nil || len(where) > 0 {
		t.Errorf("Leaks: %v %v", where, err)
	}
	if *update {
		writeFixture(t, "outlook.msg", in)
		writeFixture(t, "outlook.out.eml", out)
	}
}

// TestMSGRTFOnly checks that a message whose only body is RTF is read as
// the RTF's text (and written as plain text).
func TestMSGRTFOnly(t *testing.T) {
	f := format(t, ".msg", email.Options{})
	doc, out := redactAll(t, f, msgFixture(true, 0, 0))
	found := false
	for _, p := range doc.Parts() {
		if strings.HasSuffix(p.Name, "body (text/plain)") && strings.Contains(p.Text, "call [") == false && strings.Contains(p.Text, "Dear "+clientFirst) {
			found = true
		}
	}
	if !found {
		t.Error("the RTF text is not a part")
	}
	if strings.Contains(string(out), therapist) || bytes.Contains(out, []byte("rtf1")) {
		t.Error("RTF kept")
	}
	if n := strings.Join(doc.(redactors.Noter).Notes(), "\n"); !strings.Contains(n, "RTF body converted") {
		t.Errorf("notes %q", n)
	}
}

// TestMSGClaims checks that 1 GiB claims in a .msg (attachment size, RTF
// size) are refused as too large, cheaply.
func TestMSGClaims(t *testing.T) {
	f := format(t, ".msg", email.Options{})
	for name, data := range map[string][]byte{
		"attachment": msgFixture(false, 1<<30, 0),
		"rtf":        msgFixture(false, 0, 1<<30),
	} {
		var err error
		allocs := testing.AllocsPerRun(2, func() { _, err = f.Parse(data) })
		if !errors.Is(err, redactors.ErrTooLarge) {
			t.Errorf("%s: %v", name, err)
		}
		if allocs > 20000 {
			t.Errorf("%s: %v allocations", name, allocs)
		}
	}
	_, err := f.Parse(append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...))
	if !errors.Is(err, redactors.ErrCorrupt) {
		t.Errorf("truncated compound file: %v", err)
	}
}

// TestMSGCodepage checks that 8-bit strings are read in the message's code
// page, and that a code page Veil does not know is refused.
func TestMSGCodepage(t *testing.T) {
	f := format(t, ".msg", email.Options{})
	sjis := []byte{0x90, 0x58, 0x90, 0xec} // 森川 in Shift_JIS
	build := func(cp uint64) []byte {
		return et.Message{Props: et.Props{
			Str8:  map[uint16][]byte{et.PidSubject: sjis, et.PidBody: append([]byte("Note: "), sjis...)},
			Fixed: []et.Fixed{{ID: et.PidMessageCP, Type: et.TypInt32, Value: cp}},
		}}.Build()
	}
	doc, err := f.Parse(build(932))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range doc.Parts() {
		found = found || (p.Name == "headers: Subject" && p.Text == "森川")
	}
	if !found {
		t.Errorf("Shift_JIS subject not read: %v", doc.Parts())
	}
	if _, err := f.Parse(build(1)); !errors.Is(err, redactors.ErrEncoding) {
		t.Errorf("unknown code page: %v", err)
	}
}
