package email_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/email"
	et "github.com/veilhq/veil/redactors/email/emailtest"
)

type fixture struct {
	name string
	data func() []byte
	// attachments the judge must find in the output (content types)
	atts int
}

var goodFixtures = []fixture{
	{"alternative", fixAlternative, 0},
	{"attachments", fixAttachments, 5},
	{"forward", fixForward, 0},
	{"charsets", fixCharsets, 0},
	{"signed", fixSigned, 0},
	{"plain-lf", fixPlainLF, 0},
}

// TestNoSecretSurvives redacts every fixture and has Python's email
// package read the output: no secret may be found anywhere, the output
// must have no defects, and the judge must have found the secrets in the
// input (so that it is not blind).
func TestNoSecretSurvives(t *testing.T) {
	f := format(t, ".eml", email.Options{})
	var files []judged
	docs := map[string]redactors.Document{}
	outs := map[string][]byte{}
	for _, fx := range goodFixtures {
		in := fx.data()
		doc, out := redactAll(t, f, in)
		docs[fx.name], outs[fx.name] = doc, out
		files = append(files, judged{in, "eml"}, judged{out, "eml"})
		golden := filepath.Join("testdata", fx.name+".out.eml")
		if *update {
			os.WriteFile(filepath.Join("testdata", fx.name+".eml"), in, 0o644)
			os.WriteFile(golden, out, 0o644)
		} else if fx.atts == 0 {
			// Outputs with DOCX or PDF attachments change with those
			// formats; the others must not change unnoticed.
			if want, err := os.ReadFile(golden); err != nil || !bytes.Equal(want, out) {
				t.Errorf("%s: output differs from %s (go test -update refreshes it)", fx.name, golden)
			}
		}
	}
	vs := judgeAll(t, files)
	for k, fx := range goodFixtures {
		t.Run(fx.name, func(t *testing.T) {
			before, v := vs[2*k], vs[2*k+1]
			in, out, doc := files[2*k].data, outs[fx.name], docs[fx.name]
			if len(before.Leaks) == 0 {
				t.Fatal("the judge finds no secret in the input: it is blind")
			}
			if len(v.Leaks) > 0 {
				t.Errorf("secrets survive:\n%s", strings.Join(leakList(v), "\n"))
			}
			if len(v.Defects) > 0 {
				t.Errorf("output defects: %v", v.Defects)
			}
			if v.Census.Parts != before.Census.Parts && fx.name != "signed" && fx.name != "attachments" {
				t.Errorf("output has %d parts, input %d", v.Census.Parts, before.Census.Parts)
			}
			if len(v.Census.Attachments) < fx.atts {
				t.Errorf("judge read %d attachments, want %d", len(v.Census.Attachments), fx.atts)
			}
			// Veil's own independent reading agrees.
			lc := doc.(redactors.LeakChecker)
			where, err := lc.Leaks(out, func(s string) bool { return containsAny(s, secrets) })
			if err != nil {
				t.Fatalf("leaks: %v", err)
			}
			if len(where) > 0 {
				t.Errorf("Leaks finds secrets in %v", where)
			}
			where, err = lc.Leaks(in, func(s string) bool { return containsAny(s, secrets) })
			if fx.name != "signed" && (err != nil || len(where) == 0) {
				t.Errorf("Leaks finds nothing in the input (%v): it is blind", err)
			}
		})
	}
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// TestUnchangedBytes checks that a message redacted without edits is
// written byte for byte, and that an edit of the subject changes the
// subject field only.
func TestUnchangedBytes(t *testing.T) {
	f := format(t, ".eml", email.Options{})
	for _, fx := range []fixture{{"alternative", fixAlternative, 0}, {"charsets", fixCharsets, 0}, {"forward", fixForward, 0}, {"plain-lf", fixPlainLF, 0}} {
		in := fx.data()
		doc, err := f.Parse(in)
		if err != nil {
			t.Fatalf("%s: %v", fx.name, err)
		}
		var buf bytes.Buffer
		if err := doc.Redact(&buf, nil); err != nil {
			t.Fatalf("%s: %v", fx.name, err)
		}
		if !bytes.Equal(buf.Bytes(), in) {
			t.Errorf("%s: output without edits differs from the input", fx.name)
		}
		subj := -1
		for i, p := range doc.Parts() {
			if p.Name == "headers: Subject" {
				subj = i
			}
		}
		if subj < 0 {
			t.Fatalf("%s: no subject part", fx.name)
		}
		buf.Reset()
		txt := doc.Parts()[subj].Text
		if err := doc.Redact(&buf, []redactors.Edit{{Part: subj, Start: 0, End: len(txt), Replacement: "Session"}}); err != nil {
			t.Fatal(err)
		}
		out := buf.Bytes()
		a := bytes.Index(in, []byte("\nSubject:")) + 1
		b := a + bytes.Index(in[a:], []byte("\nDate:")) + 1
		nl := "\r\n"
		if fx.name == "plain-lf" {
			nl = "\n"
		}
		want := append(append(append([]byte(nil), in[:a]...), "Subject: Session"+nl...), in[b:]...)
		if !bytes.Equal(out, want) {
			t.Errorf("%s: only the subject may change:\n%s", fx.name, out[:min(len(out), 1200)])
		}
	}
}

// TestRefused checks that bad input is refused with a clear reason that
// names the position of the part, never its name or a value, and that
// nothing is written.
func TestRefused(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   []byte
		opts   email.Options
		reason *redactors.Reason
		want   string
	}{
		{"broken boundary", fixBrokenBoundary(), email.Options{}, redactors.ErrCorrupt, "no closing boundary"},
		{"wrong boundary", fixWrongBoundary(), email.Options{}, redactors.ErrCorrupt, "boundary not found"},
		{"huge claim", fixHugeClaim(), email.Options{}, redactors.ErrTooLarge, "part 2"},
		{"encrypted", fixEncrypted(), email.Options{}, redactors.ErrEncrypted, "encrypted"},
		{"image attachment", fixImage(), email.Options{}, redactors.ErrUnsupported, "part 2"},
		{"not a message", []byte("just some text\n"), email.Options{}, redactors.ErrUnsupported, "no message header"},
		{"empty", []byte("\r\n"), email.Options{}, redactors.ErrEmpty, ""},
		{"data URI", fixDataURI(), email.Options{}, redactors.ErrUninspectable, "data: URIs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := format(t, ".eml", tc.opts)
			doc, err := f.Parse(tc.data)
			if err == nil {
				t.Fatalf("parsed; want %s", tc.reason.Code)
			}
			if doc != nil {
				t.Error("a document came back with the error")
			}
			if r := redactors.ReasonOf(err); r != tc.reason {
				t.Errorf("reason %s (%v), want %s", r.Code, err, tc.reason.Code)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			for _, s := range append(secrets, "photo", "scan.pdf") {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q holds a value", err)
				}
			}
		})
	}
}

// TestDropUnreadable checks that with DropUnreadableAttachments an
// attachment no format reads is replaced by a note and a placeholder.
func TestDropUnreadable(t *testing.T) {
	f := format(t, ".eml", email.Options{DropUnreadableAttachments: true})
	doc, out := redactAll(t, f, fixImage())
	if !bytes.Contains(out, []byte("attachment removed by Veil")) || bytes.Contains(out, []byte("image/png")) {
		t.Errorf("the image is not replaced:\n%s", out)
	}
	notes := strings.Join(doc.(redactors.Noter).Notes(), "\n")
	if !strings.Contains(notes, "part 2: attachment removed") || strings.Contains(notes, "photo") {
		t.Errorf("notes %q", notes)
	}
	v := judge(t, out, "eml")
	if len(v.Leaks) > 0 || len(v.Defects) > 0 {
		t.Errorf("leaks %v defects %v", leakList(v), v.Defects)
	}
}

// TestDataURIDropped checks that an image embedded in HTML is removed
// with DropUnreadableAttachments, even where no edit touches it.
func TestDataURIDropped(t *testing.T) {
	f := format(t, ".eml", email.Options{DropUnreadableAttachments: true})
	doc, err := f.Parse(fixDataURI())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := doc.Redact(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("base64,")) || !bytes.Contains(buf.Bytes(), []byte(`src="data:,"`)) {
		t.Errorf("embedded image kept:\n%s", buf.Bytes())
	}
	if n := strings.Join(doc.(redactors.Noter).Notes(), "\n"); !strings.Contains(n, "data: URIs") {
		t.Errorf("notes %q", n)
	}
}

// TestSignatureDropped checks that a signature is removed, the signed
// multipart becomes mixed, and the report is told.
func TestSignatureDropped(t *testing.T) {
	f := format(t, ".eml", email.Options{})
	doc, out := redactAll(t, f, fixSigned())
	if bytes.Contains(out, []byte("pkcs7-signature\"; micalg")) || bytes.Contains(out, []byte("smime.p7s")) {
		t.Errorf("signature kept:\n%s", out)
	}
	if !bytes.Contains(out, []byte("multipart/mixed")) {
		t.Errorf("not turned into multipart/mixed:\n%s", out)
	}
	if n := strings.Join(doc.(redactors.Noter).Notes(), "\n"); !strings.Contains(n, "signature removed") {
		t.Errorf("notes %q", n)
	}
}

// TestHugeClaimIsCheap checks that a part claiming 1 GiB is refused
// without reading or allocating anything near that, and that a real body
// over the limit is refused as too large.
func TestHugeClaimIsCheap(t *testing.T) {
	f := format(t, ".eml", email.Options{})
	allocs := testing.AllocsPerRun(3, func() { f.Parse(fixHugeClaim()) })
	if allocs > 5000 {
		t.Errorf("%v allocations to refuse a claim", allocs)
	}
	small := format(t, ".eml", email.Options{Limits: email.Limits{MaxDecoded: 1 << 20}})
	big := strings.Replace(string(fixHugeClaim()), "; size=1073741824", "", 1)
	big = strings.Replace(big, "JVBERi0xLjQK\r\n", strings.Repeat(strings.Repeat("A", 76)+"\r\n", 30000), 1)
	_, err := small.Parse([]byte(big))
	if !errors.Is(err, redactors.ErrTooLarge) {
		t.Errorf("2 MiB over a 1 MiB limit: %v", err)
	}
}

// TestNesting checks the depth limit on forwarded messages.
func TestNesting(t *testing.T) {
	msg := "From: a@example.org\r\nSubject: x\r\n\r\nbody\r\n"
	for i := 0; i < 12; i++ {
		msg = "From: a@example.org\r\nContent-Type: message/rfc822\r\n\r\n" + msg
	}
	_, err := format(t, ".eml", email.Options{}).Parse([]byte(msg))
	if !errors.Is(err, redactors.ErrTooLarge) {
		t.Errorf("12 levels: %v", err)
	}
	_, err = format(t, ".eml", email.Options{Limits: email.Limits{MaxDepth: 20}}).Parse([]byte(msg))
	if err != nil {
		t.Errorf("12 levels within 20: %v", err)
	}
}

// TestSamples runs every sample of emailtest as the conformance suite
// will: refused ones with their reason, read ones redacted and read again
// by Veil's own independent reader.
func TestSamples(t *testing.T) {
	for _, s := range et.Samples() {
		t.Run(s.Name, func(t *testing.T) {
			f := format(t, s.Ext, email.Options{})
			doc, err := f.Parse(s.Data)
			if s.Reason != "" {
				if err == nil || redactors.ReasonOf(err).Code != s.Reason {
					t.Fatalf("err %v, want %s", err, s.Reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := doc.Redact(&buf, findEdits(doc.Parts(), et.Secrets, "[X]")); err != nil {
				t.Fatal(err)
			}
			doc2, err := f.Parse(buf.Bytes())
			if err != nil {
				t.Fatalf("output does not parse: %v", err)
			}
			for _, p := range doc2.Parts() {
				if containsAny(p.Text, et.Secrets) {
					t.Errorf("a secret survives in %s", p.Name)
				}
			}
			where, err := doc2.(redactors.LeakChecker).Leaks(buf.Bytes(), func(s string) bool { return containsAny(s, et.Secrets) })
			if err != nil || len(where) > 0 {
				t.Errorf("Leaks: %v %v", where, err)
			}
		})
	}
}

// TestFilesInText checks that a file uuencoded in a text body, and a PGP
// message, are refused: their content is not text a detector can read.
func TestFilesInText(t *testing.T) {
	f := format(t, ".eml", email.Options{})
	for name, tc := range map[string]struct {
		body   string
		reason *redactors.Reason
	}{
		"uuencode": {"See the scan.\r\n\r\nbegin 644 scan.png\r\nM6)E3D<-\"AH*````-24A$4@```0````$(!@```!\\?%<0``\r\n`\r\nend\r\n", redactors.ErrUninspectable},
		"yenc":     {"=ybegin line=128 size=3 name=scan.png\r\nabc\r\n=yend size=3\r\n", redactors.ErrUninspectable},
		"pgp":      {"-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA5Xq\r\n-----END PGP MESSAGE-----\r\n", redactors.ErrEncrypted},
	} {
		msg := "From: a@example.org\r\nSubject: x\r\n\r\n" + tc.body
		if _, err := f.Parse([]byte(msg)); redactors.ReasonOf(err) != tc.reason {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := f.Parse([]byte("From: a@example.org\r\n\r\nbegin the session at 10\r\nend\r\n")); err != nil {
		t.Errorf("ordinary text refused: %v", err)
	}
}

// TestNoContentType checks a message without MIME fields whose text needs
// UTF-8 once redacted: it gets MIME-Version, Content-Type and a transfer
// encoding, and Python reads the replacement back.
func TestNoContentType(t *testing.T) {
	f := format(t, ".eml", email.Options{})
	in := []byte("From: office@example.org\r\nSubject: Hello\r\n\r\nAbout " + client + ".\r\n")
	doc, err := f.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := doc.Redact(&buf, findEdits(doc.Parts(), []string{client}, "Klient Ä")); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"MIME-Version: 1.0\r\n", "Content-Type: text/plain; charset=utf-8\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "Klient =C3=84"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if v := judge(t, buf.Bytes(), "eml"); len(v.Leaks) > 0 || len(v.Defects) > 0 {
		t.Errorf("leaks %v defects %v", leakList(v), v.Defects)
	}
}

// TestCalendarPhoto checks that a vCard photo or an iCalendar attachment
// carried inline is refused (or dropped with the option).
func TestCalendarPhoto(t *testing.T) {
	msg := "From: a@example.org\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nCard attached.\r\n--b\r\n" +
		"Content-Type: text/vcard\r\nContent-Description: card of someone\r\n\r\nBEGIN:VCARD\r\nFN:Someone\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ\r\n AAAQABAAD\r\nEND:VCARD\r\n--b--\r\n"
	if _, err := format(t, ".eml", email.Options{}).Parse([]byte(msg)); redactors.ReasonOf(err) != redactors.ErrUninspectable {
		t.Errorf("photo: %v", err)
	}
	doc, err := format(t, ".eml", email.Options{DropUnreadableAttachments: true}).Parse([]byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	all := []redactors.Edit{}
	for i, p := range doc.Parts() {
		all = append(all, redactors.Edit{Part: i, Start: 0, End: len(p.Text), Replacement: "[X]"})
	}
	if err := doc.Redact(&buf, all); err != nil || bytes.Contains(buf.Bytes(), []byte("PHOTO")) {
		t.Errorf("photo kept (%v):\n%s", err, buf.Bytes())
	}
	ics := "From: a@example.org\r\nContent-Type: text/calendar\r\n\r\nBEGIN:VEVENT\r\nATTACH;FMTTYPE=image/png;ENCODING=BASE64;VALUE=BINARY:iVBORw0KGgo\r\nEND:VEVENT\r\n"
	if _, err := format(t, ".eml", email.Options{}).Parse([]byte(ics)); redactors.ReasonOf(err) != redactors.ErrUninspectable {
		t.Errorf("calendar attachment: %v", err)
	}
}
