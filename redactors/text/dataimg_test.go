package text

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
	"github.com/veilhq/veil/redactors/images"
	"github.com/veilhq/veil/redactors/imagetext"
)

// unreadImages is the image format of a profile that does not OCR
// images and drops them (written blank, with a note): no OCR engine
// needed.
func unreadImages() Options {
	return Options{Images: images.New(images.Options{NoOCR: true, NoText: images.NoTextDrop, KeepPlain: true, KeepEncoding: true})}
}

// TestDataImagesRead: with an image format, an image in a data: URL is a
// document's image: its payload is spaces in the body, the file's
// redaction writes it again (here blank, without its metadata, which
// named an invented person), and the text around it is kept byte for
// byte. Without one, or for a data: URL that is not an image, the file is
// refused as before (session "side37").
func TestDataImagesRead(t *testing.T) {
	const secret = "Orsolya Quillanby"
	jpg, _ := imagetest.JPEG(secret)
	png, _ := imagetest.PNG(secret)
	b64 := base64.StdEncoding.EncodeToString
	for _, c := range []struct{ name, text string }{
		{"markdown image", "Seen today.\n![photo](data:image/jpeg;base64," + b64(jpg) + ")\nEnd.\n"},
		{"html image", "<p>Seen today.</p><img alt='x' src=\"data:image/png;base64," + b64(png) + "\"> End.\n"},
		{"two images", "![a](data:image/png;base64," + b64(png) + ") and ![b](DATA:IMAGE/JPEG;base64," + b64(jpg) + ")\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Markdown().Parse([]byte(c.text)); !errors.Is(err, redactors.ErrUninspectable) {
				t.Fatalf("without an image format: %v, want uninspectable", err)
			}
			d, err := MarkdownWith(unreadImages()).Parse([]byte(c.text))
			if err != nil {
				t.Fatal(err)
			}
			body := d.Parts()[0].Text
			if len(body) != len(c.text) || strings.Contains(body, b64(png)[:20]) || strings.Contains(body, b64(jpg)[:20]) {
				t.Fatalf("the body part shows a payload")
			}
			if _, ok := d.(redactors.PixelChecker); !ok {
				t.Fatal("no PixelChecker")
			}
			var out bytes.Buffer
			if err := d.Redact(&out, nil); err != nil {
				t.Fatal(err)
			}
			imgs, spans := outputImages(out.String())
			if len(imgs) != strings.Count(c.text, "base64,") {
				t.Fatalf("%d images written", len(imgs))
			}
			for k, im := range imgs {
				if bytes.Contains(im, []byte("Quillanby")) {
					t.Errorf("image %d holds the name", k+1)
				}
				for _, f := range imagetext.Read(im) {
					t.Errorf("image %d keeps metadata (%s)", k+1, f.Kind)
				}
			}
			// the text around the images is the input's
			if len(spans) != len(imgs) || strip(c.text) != strip(out.String()) {
				t.Errorf("text around the images changed:\n%q\n%q", strip(c.text), strip(out.String()))
			}
			// verify's own reading of the input sees the metadata
			ind, err := d.(redactors.IndependentReader).IndependentText([]byte(c.text))
			if err != nil {
				t.Fatal(err)
			}
			all := ""
			for _, p := range ind {
				all += p.Name + ": " + p.Text + "\n"
			}
			if !strings.Contains(all, secret) || strings.Contains(all, b64(png)[:20]) {
				t.Errorf("independent reading:\n%.500s", all)
			}
			if w, _ := d.(redactors.LeakChecker).Leaks([]byte(c.text), func(s string) bool { return strings.Contains(s, "Quillanby") }); len(w) == 0 {
				t.Errorf("Leaks does not find the name in the input's metadata")
			}
			if w, _ := d.(redactors.LeakChecker).Leaks(out.Bytes(), func(s string) bool { return strings.Contains(s, "Quillanby") }); len(w) != 0 {
				t.Errorf("Leaks finds the name in the output: %q", w)
			}
		})
	}
	for _, c := range []struct{ name, text string }{
		{"text payload", "![x](data:text/plain;base64," + b64([]byte(secret)) + ")\n"},
		{"not an image", "![x](data:image/png;base64," + b64([]byte("\x89PNG but not one")) + ")\n"},
		{"bad base64", "![x](data:image/png;base64,%%%%)\n"},
		{"glued payload", "![x](data:image/png;base64," + b64(png) + "~x)\n"},
		{"base64 elsewhere", "![x](data:image/png;base64," + b64(png) + ") and data:;base64,T3Jzb2x5YQ==\n"},
		{"entity in attribute", "<img src=\"data&colon;image/png;base64," + b64(png) + "\">\n"},
		{"image media type lie", "![x](data:image/png;base64," + b64([]byte("GIF89a"+secret)) + ")\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := MarkdownWith(unreadImages()).Parse([]byte(c.text)); err == nil {
				t.Error("read, want refused")
			} else if strings.Contains(err.Error(), "Orsolya") {
				t.Errorf("the error names the value: %v", err)
			}
		})
	}
}

// strip removes the payloads of the data: image URLs of s.
func strip(s string) string {
	_, spans := outputImages(s)
	for k := len(spans) - 1; k >= 0; k-- {
		s = s[:spans[k][0]] + s[spans[k][1]:]
	}
	return s
}

// TestDataImageEdits: an edit of the body on an image's URL refuses the
// file; an edit beside it is made.
func TestDataImageEdits(t *testing.T) {
	png, _ := imagetest.PNG("Tamsin Everard")
	text := "Tamsin wrote: ![t](data:image/png;base64," + base64.StdEncoding.EncodeToString(png) + ")\n"
	d, err := MarkdownWith(unreadImages()).Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := d.Redact(&out, []redactors.Edit{{Part: 0, Start: 0, End: 6, Replacement: "[name]"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "[name] wrote: ![t](data:image/png;base64,") {
		t.Errorf("got %.80q", out.String())
	}
	at := strings.Index(text, "data:")
	for _, e := range []redactors.Edit{{Start: at, End: at + 4}, {Start: at + 30, End: at + 40}, {Start: 8, End: at + 2}} {
		e.Replacement = "x"
		if err := d.Redact(&out, []redactors.Edit{e}); !errors.Is(err, redactors.ErrUninspectable) {
			t.Errorf("edit %d:%d: %v, want refused", e.Start, e.End, err)
		}
	}
}

// TestDataImagesLinear: finding images and reading the output's stays
// linear on texts made of many URLs that never end or never decode.
func TestDataImagesLinear(t *testing.T) {
	for name, build := range map[string]func(n int) string{
		"many prefixes": func(n int) string { return strings.Repeat("data:image/png;base64,", n/22) },
		"one long payload": func(n int) string {
			return "data:image/png;base64," + strings.Repeat("A", n)
		},
		"parameters": func(n int) string { return "data:image/png" + strings.Repeat(";a=b", n/4) + ";base64,AAAA" },
	} {
		t.Run(name, func(t *testing.T) {
			// n starts at 16 KiB: below about 5 KiB the regexp package
			// runs its backtracker, above it its slower NFA, a constant
			// step that n = 4 KiB and 8n put between them (ratios of
			// 18-21 for linear code under load)
			complexity.Assert(t, 16<<10, build, func(s string) { _, _ = findDataImages(s); outputImages(s); imageReadings(s) })
		})
	}
}

// FuzzDataImages: around a real image's data: URL, any text: Parse with
// an image format never panics, its body keeps the text's length, and a
// document it accepts writes a file whose images decode, in the same
// number, with the text outside their payloads unchanged.
func FuzzDataImages(f *testing.F) {
	png, _ := imagetest.PNG("Tamsin Everard")
	url := "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
	f.Add("![x](", ")\n")
	f.Add("<img src=\"", "\">")
	f.Add("x ", " data:;base64,")
	f.Fuzz(func(t *testing.T, before, after string) {
		in := before + url + after
		d, err := MarkdownWith(unreadImages()).Parse([]byte(in))
		if err != nil {
			return
		}
		if len(d.Parts()[0].Text) != len(strings.TrimPrefix(in, "\uFEFF")) {
			t.Fatal("the body part's length differs from the text's")
		}
		var out bytes.Buffer
		if err := d.Redact(&out, nil); err != nil {
			t.Fatal(err)
		}
		a, _ := outputImages(strings.ToValidUTF8(in, " "))
		b, _ := outputImages(strings.ToValidUTF8(out.String(), " "))
		if len(a) != len(b) {
			t.Fatalf("%d images read, %d written", len(a), len(b))
		}
	})
}

// TestDataImagesContext: the OCR of an image in a data: URL runs under
// the parse's context, so a file's deadline or a stop ends it (before
// session 37 a text's Parse ignored its context once started, and the
// OCR ran to its end). The deadline is far shorter than a tesseract
// process takes to start.
func TestDataImagesContext(t *testing.T) {
	var _ redactors.ContextParser = Format{}
	formattest.Tool(t, "tesseract")
	png, _ := imagetest.PNG("Orsolya Quillanby")
	text := "Seen today.\n![scan](data:image/png;base64," + base64.StdEncoding.EncodeToString(png) + ")\n"
	f := MarkdownWith(Options{Images: images.New(images.Options{})})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Millisecond)
	defer cancel()
	if d, err := redactors.Parse(ctx, f, []byte(text)); err == nil || d != nil || !errors.Is(err, redactors.ErrUninspectable) && !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("parse past its deadline: document %v, err %v; want no document and the OCR's refusal or the deadline", d != nil, err)
	}
	// the same parse with time to spare reads the image
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	if _, err := redactors.Parse(ctx2, f, []byte(text)); err != nil {
		t.Fatalf("parse with a minute: %v", err)
	}
}

// TestDataURLsUnreadRefused: a data: URL that is not an image read
// (percent-encoded, not base64; in an angle-bracket Markdown target;
// "; base64," with a space, which the fetch standard reads as base64)
// refuses the file, with or without an image format, and verify's own
// reading refuses an output that holds one (session "sidefix37").
func TestDataURLsUnreadRefused(t *testing.T) {
	png, _ := imagetest.PNG("Orsolya Quillanby")
	pct := func(b []byte) string {
		var s strings.Builder
		for _, c := range b {
			s.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(c)|0x100, 16)[1:]))
		}
		return s.String()
	}
	b64 := base64.StdEncoding.EncodeToString(png)
	for _, c := range []struct{ name, text string }{
		{"angle percent", "Seen.\n![scan](<data:image/png," + pct(png) + ">)\nEnd.\n"},
		{"bare percent", "Scan data:image/png," + pct(png) + " end\n"},
		{"angle spaced base64", "![x](<data:image/png; base64," + b64 + ">)\n"},
		{"plain percent", "see data:text/plain,Orsolya%20Quillanby here\n"},
		{"next to an image", "![a](data:image/png;base64," + b64 + ") ![b](data:image/png," + pct(png) + ")\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, f := range []Format{Markdown(), Plain(), MarkdownWith(unreadImages()), PlainWith(unreadImages())} {
				if _, err := f.Parse([]byte(c.text)); !errors.Is(err, redactors.ErrUninspectable) {
					t.Errorf("%s: %v, want uninspectable", f.Name(), err)
				}
			}
			d, err := Plain().Parse([]byte("Seen today.\n"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := d.(redactors.IndependentReader).IndependentText([]byte(c.text)); !errors.Is(err, redactors.ErrUninspectable) {
				t.Errorf("verify's reading: %v, want uninspectable", err)
			}
		})
	}
	// an image read is no stray URL for verify
	d, err := MarkdownWith(unreadImages()).Parse([]byte("![a](data:image/png;base64," + b64 + ")\n"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.(redactors.IndependentReader).IndependentText(out.Bytes()); err != nil {
		t.Errorf("verify's reading of a written image: %v %.80q", err, out.String())
	}
}
