package email_test

import (
	"bytes"
	"encoding/base64"
	"path"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/email"
	"github.com/veilhq/veil/redactors/email/emailtest"
)

// TestAttachmentNameIDs: an MRN in an attachment's file name, plain, in
// RFC 2231's extended form and as an encoded word, is replaced by "ID"
// with no edit at all (no profile's detector reads it: it has no label),
// the extension kept; a short number (a sequence number) stays. The
// output is judged by the standard library's own reading (net/mail, mime,
// mime/multipart), not the redactor's. Invented numbers.
func TestAttachmentNameIDs(t *testing.T) {
	enc := "=?utf-8?B?" + base64.StdEncoding.EncodeToString([]byte("scan_48213911.txt")) + "?="
	msg := "From: desk@clinic.example.org\r\nTo: intake@clinic.example.org\r\nSubject: Scans\r\n" +
		"Date: Mon, 02 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAttached are the scans.\r\n" +
		"--b1\r\nContent-Type: text/plain; name=\"note_48213907.txt\"\r\nContent-Disposition: attachment; filename=\"note_48213907.txt\"\r\n\r\nhello\r\n" +
		"--b1\r\nContent-Type: text/plain; name*=utf-8''lab%20482-139-22%20r%C3%A9sum%C3%A9.txt\r\n" +
		"Content-Disposition: attachment; filename*=utf-8''lab%20482-139-22%20r%C3%A9sum%C3%A9.txt\r\n\r\nhello again\r\n" +
		"--b1\r\nContent-Type: text/plain; name=\"" + enc + "\"\r\nContent-Disposition: attachment; filename=\"" + enc + "\"\r\n\r\nthird\r\n" +
		"--b1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"scan_0017 2026.txt\"\r\n\r\nfourth\r\n" +
		"--b1--\r\n"
	d, out, names := redactAttachments(t, msg)
	want := []string{"note_ID.txt", "note_ID.txt", "lab ID résumé.txt", "lab ID résumé.txt", "scan_ID.txt", "scan_ID.txt", "", "scan_ID.txt"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("attachment names:\n got %q\nwant %q", names, want)
	}
	for _, s := range []string{"48213907", "48213911", "482-139-22", "4821391"} {
		if strings.Contains(out.String(), s) {
			t.Errorf("%q left in the output", s)
		}
	}
	notes := strings.Join(d.(redactors.Noter).Notes(), "; ")
	if strings.Count(notes, "1 number of an identifier's shape in the attachment's file name replaced") != 4 {
		t.Errorf("notes: %s", notes)
	}
	// the body is as it was
	if !strings.Contains(out.String(), "Attached are the scans.") {
		t.Errorf("body changed:\n%s", out.String())
	}
}

// TestAttachmentNameSplitIDs (safety review F4): digit groups apart by
// '_' or a space, in a plain parameter, in RFC 2231 continuations and in
// encoded words, are one identifier: none of their digits is left, read
// by the standard library. Invented numbers.
func TestAttachmentNameSplitIDs(t *testing.T) {
	msg := "From: desk@clinic.example.org\r\nTo: intake@clinic.example.org\r\nSubject: files\r\n" +
		"Date: Mon, 02 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n" +
		"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n" +
		"--XX\r\nContent-Type: text/plain; name=\"scan_4821_3907.txt\"\r\n" +
		"Content-Disposition: attachment; filename*0*=utf-8''scan_4821; filename*1*=_3907%20report.txt\r\n\r\nhello\r\n" +
		"--XX\r\nContent-Type: text/plain; name=\"=?utf-8?Q?lab=5F482_13?=\r\n =?utf-8?Q?907.txt?=\"\r\n" +
		"Content-Disposition: attachment; filename=\"ref_123_45_6789.txt\"\r\n\r\nhello again\r\n" +
		"--XX--\r\n"
	_, out, names := redactAttachments(t, msg)
	want := []string{"scan_ID.txt", "scan_ID report.txt", "lab_ID.txt", "ref_ID.txt"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("attachment names:\n got %q\nwant %q", names, want)
	}
	for _, s := range []string{"4821", "3907", "6789", "13907", "123_45"} {
		if strings.Contains(out.String(), s) {
			t.Errorf("%q left in the output", s)
		}
	}
}

func TestNeutralIDsShape(t *testing.T) {
	for in, want := range map[string]string{
		"note_48213907.txt":     "note_ID.txt",
		"617-555-0143 call.pdf": "ID call.pdf",
		"scan_0017.pdf":         "scan_0017.pdf",
		"2026 report.docx":      "2026 report.docx",
		"a.482139":              "a.ID",
		"x１２３４５６.txt":           "xID.txt",
		// groups apart by '_', a space, '/' or several separators are
		// one run (safety review F4): an SSN or a record number split
		// up is still one
		"ref_123_45_6789.txt": "ref_ID.txt",
		"scan_4821_3907.txt":  "scan_ID.txt",
		"617 555 0143.pdf":    "ID.pdf",
		"12/34/56 note.txt":   "ID note.txt",
		"482 - 139 - 22.txt":  "ID.txt",
		"scan_0017 2026.txt":  "scan_ID.txt", // a date-like run goes too: fail safe
		// groups apart by any characters that are neither letters nor
		// digits (safety review 2, finding 2): ',', '+', ':', '#', '·'
		"mrn_48,213,907.pdf":  "mrn_ID.pdf",
		"mrn 4821+3907.pdf":   "mrn ID.pdf",
		"mrn#482:139:07.pdf":  "mrn#ID.pdf",
		"ssn 123·45·6789.txt": "ssn ID.txt",
		"id 12'34\"56.txt":    "id ID.txt",
		"scan_0017_v2.txt":    "scan_0017_v2.txt",
		"r_12_34.txt":         "r_12_34.txt",
	} {
		if got := email.NeutralIDs(in); got != want {
			t.Errorf("%q: got %q want %q", in, got, want)
		}
	}
}

// idShape is six digits or more in groups joined by runs of characters
// that are neither letters nor digits.
var idShape = regexp.MustCompile(`\p{Nd}(?:[^\p{L}\p{Nd}]*\p{Nd}){5,}`)

// FuzzNeutralIDs: no run of six digits or more is left before the
// extension, the extension is kept, and a name without such a run is
// returned as it is.
func FuzzNeutralIDs(f *testing.F) {
	for _, s := range []string{"note_48213907.txt", "617-555-0143 call.pdf", "a.482139", "x１２３４５６.txt", "2026.03.02", "ref_123_45_6789.txt", "482 - 139 - 22.txt", "mrn#482:139:07.pdf", "ssn 123·45·6789.txt", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := email.NeutralIDs(name)
		if again := email.NeutralIDs(got); again != got {
			t.Fatalf("%q -> %q -> %q: runs left", name, got, again)
		}
		ext := path.Ext(name)
		if !(ext != "" && strings.ContainsFunc(ext, unicode.IsLetter) && len(ext) <= 8 && !strings.ContainsAny(ext, " _-")) {
			ext = ""
		}
		if !strings.HasSuffix(got, ext) {
			t.Fatalf("%q -> %q lost its extension", name, got)
		}
		// read by a regular expression, not the redactor's scan: no six
		// digits left in groups joined by separators
		if m := idShape.FindString(strings.TrimSuffix(got, ext)); m != "" {
			t.Fatalf("%q -> %q: %q left", name, got, m)
		}
	})
}

// redactAttachments parses msg as .eml, redacts it with no edits and
// returns the document, the output and its attachments' names as the
// standard library reads them.
func redactAttachments(t *testing.T, msg string) (redactors.Document, *bytes.Buffer, []string) {
	t.Helper()
	d, err := format(t, ".eml", email.Options{}).Parse([]byte(msg))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	names, err := emailtest.AttachmentNames(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return d, &out, names
}
