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

var mboxFixture = et.Mbox

func TestMbox(t *testing.T) {
	f := format(t, ".mbox", email.Options{})
	in := mboxFixture(false)
	doc, out := redactAll(t, f, in)
	if n := strings.Count(string(out), "\nFrom "); n != 2 || !bytes.HasPrefix(out, []byte("From ")) {
		t.Errorf("%d From lines after the first", n)
	}
	if !bytes.Contains(out, []byte("\n>From the desk of [REDACTED]\n>>From quoted\n")) {
		t.Errorf("From quoting not kept:\n%s", out)
	}
	vs := judgeAll(t, []judged{{in, "mbox"}, {out, "mbox"}})
	if len(vs[0].Leaks) == 0 {
		t.Fatal("the judge is blind")
	}
	if len(vs[1].Leaks) > 0 || len(vs[1].Defects) > 0 {
		t.Errorf("leaks %v\ndefects %v", leakList(vs[1]), vs[1].Defects)
	}
	if vs[1].Census.Messages != 5 {
		t.Errorf("judge read %d messages, want 5 (3, and 2 inside an attached .msg)", vs[1].Census.Messages)
	}
	where, err := doc.(redactors.LeakChecker).Leaks(out, func(s string) bool { return containsAny(s, secrets) })
	if err != nil || len(where) > 0 {
		t.Errorf("Leaks: %v %v", where, err)
	}
	// Without edits, the messages without attachments stay byte for byte
	// (formats of attachments sanitise whatever the edits).
	var buf bytes.Buffer
	if err := doc.Redact(&buf, nil); err != nil {
		t.Fatal(err)
	}
	got, want := strings.SplitAfter(buf.String(), "\nFrom "), strings.SplitAfter(string(in), "\nFrom ")
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] == want[2] {
		t.Error("messages without attachments changed, or the one with attachments did not")
	}
	if *update {
		writeFixture(t, "box.mbox", in)
		writeFixture(t, "box.out.mbox", out)
	}
}

func TestMboxBadMessage(t *testing.T) {
	_, err := format(t, ".mbox", email.Options{}).Parse(mboxFixture(true))
	if !errors.Is(err, redactors.ErrCorrupt) || !strings.Contains(err.Error(), "message 2") {
		t.Errorf("err %v", err)
	}
	_, err = format(t, ".mbox", email.Options{}).Parse([]byte("Subject: not a mailbox\n\n"))
	if !errors.Is(err, redactors.ErrUnsupported) {
		t.Errorf("not a mailbox: %v", err)
	}
}
