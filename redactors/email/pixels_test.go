package email_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
	dt "github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/email"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"
	"github.com/veilhq/veil/redactors/pdf"
	"github.com/veilhq/veil/redactors/text"
)

// pixelMessage is a message whose HTML body shows a scanned referral
// inline (cid:, a PNG without a file name), with a DOCX attached that
// holds the same scan.
func pixelMessage(p ocrtest.Person) []byte {
	scan, _ := dt.ScannedReferral(p)
	doc := dt.WithImages(dt.P("Scan attached."), dt.Media{Name: "image1.png", Data: scan})
	return []byte(strings.ReplaceAll(`From: intake@clinic.example
To: duty@clinic.example
Subject: Referral
Date: Tue, 3 Mar 2026 09:14:05 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mix"

--mix
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8

<p>The referral:</p><p><img src="cid:scan1"></p>
--rel
Content-Type: image/png
Content-ID: <scan1>
Content-Transfer-Encoding: base64

`+b64(scan)+`--rel--
--mix
Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="note.docx"
Content-Disposition: attachment; filename="note.docx"
Content-Transfer-Encoding: base64

`+b64(doc)+`--mix--
`, "\n", "\r\n"))
}

// b64 is data in base64, in lines of 76 ending in "\n".
func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	return b.String() + s + "\n"
}

// TestImageAttachments: with the image format in its registry (images
// inside a document: blank what cannot be read), a message's inline
// image and the images of an attached DOCX are read by OCR, their values
// blanked on the pixels, and the message's PixelLeaks reads the output's
// images again: nothing on the redacted output, the scan's position when
// the name is left on it.
func TestImageAttachments(t *testing.T) {
	ocrtest.Require(t)
	base := []redactors.Format{text.Plain(), text.Markdown(), pdf.New(), docx.New(docx.Options{Images: docx.ImagesOCR})}
	attached := redactors.NewRegistry(base...).With(images.New(images.Options{KeepPlain: true, KeepEncoding: true, NoText: images.NoTextDrop}))
	f, _ := redactors.NewRegistry(email.Formats(attached, email.Options{})...).ForKey("x.eml")
	p := ocrtest.NewPerson(32)
	doc, err := f.Parse(pixelMessage(p))
	if err != nil {
		t.Fatal(err)
	}
	var scans []int
	for i, pt := range doc.Parts() {
		if strings.Contains(pt.Name, "(image)") || strings.Contains(pt.Name, "image 1 (word/media/image1.png)") {
			scans = append(scans, i)
		}
	}
	if len(scans) != 2 {
		t.Fatalf("parts of the two scans: %v", scans)
	}
	ids := []string{p.Name(), p.DOB, p.MRN, p.Phone}
	edits := ocrtest.Oracle(doc.Parts(), ids, "[REDACTED]")
	for _, i := range scans {
		if len(redactors.EditsOf(edits, i)) < len(ids) {
			t.Fatalf("part %q: %d edits, the oracle finds fewer values than there are", doc.Parts()[i].Name, len(redactors.EditsOf(edits, i)))
		}
	}
	var out bytes.Buffer
	if err := doc.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	pc, ok := doc.(redactors.PixelChecker)
	if !ok {
		t.Fatal("an email Document is not a PixelChecker")
	}
	ctx := context.Background()
	if where, err := pc.PixelLeaks(ctx, out.Bytes(), ids); err != nil || len(where) > 0 {
		t.Errorf("PixelLeaks on the output: %v %v", where, err)
	}
	// Leave the name on both scans: verification reads it on each.
	var less []redactors.Edit
	for _, e := range edits {
		if !strings.Contains(doc.Parts()[e.Part].Text[e.Start:e.End], p.Given) {
			less = append(less, e)
		}
	}
	doc, err = f.Parse(pixelMessage(p)) // some formats redact once
	if err != nil {
		t.Fatal(err)
	}
	var leaky bytes.Buffer
	if err := doc.Redact(&leaky, less); err != nil {
		t.Fatal(err)
	}
	where, err := doc.(redactors.PixelChecker).PixelLeaks(ctx, leaky.Bytes(), ids)
	if err != nil || len(where) != 2 {
		t.Fatalf("PixelLeaks on an output that shows the name: %v %v", where, err)
	}
	for _, w := range where {
		if strings.Contains(w, p.Family) {
			t.Errorf("a place names the person: %q", w)
		}
	}
}
