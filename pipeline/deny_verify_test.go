package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/text"
)

// hiddenFormat is a text format with a hidden tail after a NUL-free marker
// line "--hidden--": Parts shows only the text before it, Redact copies the
// tail unchanged, and Leaks searches the raw bytes, like a PDF font name or
// an XMP packet the page text never shows.
type hiddenFormat struct{}

const hiddenMark = "\n--hidden--\n"

func (hiddenFormat) Name() string         { return "hidden" }
func (hiddenFormat) Extensions() []string { return []string{".hid"} }
func (hiddenFormat) Parse(data []byte) (redactors.Document, error) {
	visible, tail, _ := strings.Cut(string(data), hiddenMark)
	d, err := text.Plain().Parse([]byte(visible))
	if err != nil {
		return nil, err
	}
	return &hiddenDoc{Document: d, tail: tail}, nil
}

type hiddenDoc struct {
	redactors.Document
	tail string
}

func (h *hiddenDoc) Redact(w io.Writer, edits []redactors.Edit) error {
	if err := h.Document.Redact(w, edits); err != nil {
		return err
	}
	_, err := io.WriteString(w, hiddenMark+h.tail)
	return err
}

func (h *hiddenDoc) Leaks(data []byte, find func(string) bool) ([]string, error) {
	if find(string(data)) {
		return []string{"raw bytes"}, nil
	}
	return nil, nil
}

// A deny-list term that only the raw content holds must stop the file: the
// user said it is always redacted, and verify is the last look at the file.
func TestVerifySearchesDenyTermsInRawContent(t *testing.T) {
	p, _ := profiles.Load("court")
	in := []byte("Exhibit 4: the quarterly review.\n" + hiddenMark + "producer: Project Falcon draft tool\n")
	for _, c := range []struct {
		deny []string
		want string
	}{
		{nil, "redacted"}, // nothing to look for: written
		{[]string{"Project Falcon"}, "verify_failed"}, // only in the raw tail: refused
	} {
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, DenyList: c.deny, NoNER: true,
			Formats: redactors.NewRegistry(hiddenFormat{})})
		if err != nil {
			t.Fatal(err)
		}
		out, rec := e.Redact(context.Background(), "exhibit.hid", in)
		got := rec.Status
		if rec.Reason != "" {
			got = rec.Reason
		}
		if got != c.want && !(c.want == "redacted" && rec.Status == "unchanged") {
			t.Errorf("deny %v: %s (%s), want %s", c.deny, got, rec.Detail, c.want)
		}
		if c.want == "verify_failed" && out != nil {
			t.Errorf("deny %v: output returned for a refused file", c.deny)
		}
		if c.want != "verify_failed" && !bytes.Contains(out, []byte("Falcon")) {
			t.Errorf("deny %v: %s", c.deny, fmt.Sprint(out))
		}
	}
}

// panicFormat panics in Parse, as a parser bug would.
type panicFormat struct{}

func (panicFormat) Name() string         { return "panic" }
func (panicFormat) Extensions() []string { return []string{".pan"} }
func (panicFormat) Parse([]byte) (redactors.Document, error) {
	panic("parser bug near Maria Sandoval")
}

// TestCheckRecoversPanics: veil verify checks every file of a folder; a
// parser that panics on one makes it uncheckable (ErrInternal, without the
// panic's text), not the end of the command.
func TestCheckRecoversPanics(t *testing.T) {
	p, _ := profiles.Load("supervision")
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, CheckOnly: true, Formats: redactors.NewRegistry(panicFormat{})})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.Check(context.Background(), "a.pan", []byte("x"))
	if !errors.Is(err, redactors.ErrInternal) || strings.Contains(err.Error(), "Sandoval") {
		t.Fatalf("Check: %v, want ErrInternal without the panic's text", err)
	}
}

// secondFormat is hiddenFormat with an independent reading
// (redactors.IndependentReader) that returns the hidden tail: Parts, made
// by the redactor's own code, do not show it.
type secondFormat struct{ hiddenFormat }

func (secondFormat) Extensions() []string { return []string{".sec"} }
func (f secondFormat) Parse(data []byte) (redactors.Document, error) {
	d, err := f.hiddenFormat.Parse(data)
	if err != nil {
		return nil, err
	}
	return &secondDoc{d.(*hiddenDoc)}, nil
}

type secondDoc struct{ *hiddenDoc }

var _ redactors.IndependentReader = (*secondDoc)(nil)

func (s *secondDoc) IndependentText(data []byte) ([]redactors.Part, error) {
	_, tail, _ := strings.Cut(string(data), hiddenMark)
	return []redactors.Part{{Name: "tail", Text: tail}}, nil
}

// Verification runs the profile's whole chain over the independent
// reading of an output: an identifier only that reading shows refuses the
// file (the part named, never the value), for veil run and veil verify
// alike; a value the parts show and the profile keeps does not.
func TestVerifyReadsIndependently(t *testing.T) {
	p, _ := profiles.Load("supervision")
	for _, c := range []struct {
		name, tail string
		refused    bool
	}{
		{"identifier only in the second reading", "Call (503) 555-0147 for Odile Brannigan.\n", true},
		{"name only in the second reading, found by the name rules", "Client: Odile Brannigan\n", true},
		{"clinical words only", "Session notes, anxiety, weekly.\n", false},
	} {
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Formats: redactors.NewRegistry(secondFormat{})})
		if err != nil {
			t.Fatal(err)
		}
		in := []byte("The session went well.\n" + hiddenMark + c.tail)
		out, rec := e.Redact(context.Background(), "n.sec", in)
		if refused := rec.Reason == "verify_failed"; refused != c.refused {
			t.Errorf("%s: status %s %s (%s)", c.name, rec.Status, rec.Reason, rec.Detail)
		}
		if c.refused && (out != nil || !strings.Contains(rec.Detail, "in tail") || strings.Contains(rec.Detail, "Brannigan") || strings.Contains(rec.Detail, "555")) {
			t.Errorf("%s: output %v, detail %q", c.name, out != nil, rec.Detail)
		}
		ce, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, CheckOnly: true, Formats: redactors.NewRegistry(secondFormat{})})
		if err != nil {
			t.Fatal(err)
		}
		ls, err := ce.Check(context.Background(), "n.sec", in)
		if err != nil {
			t.Fatal(err)
		}
		if (len(ls) > 0) != c.refused {
			t.Errorf("%s: veil verify finds %d leftovers", c.name, len(ls))
		}
		for _, l := range ls {
			if l.Part != "tail" {
				t.Errorf("%s: leftover in %q", c.name, l.Part)
			}
		}
	}
}

// A deny-listed name or a removed name glued into one word (a DOCX style
// id "OrsolyaQuillanby", a login, a bookmark) is read by no detector and no
// deny list, which read words: verify refuses the output that keeps it
// (issue 13 red team: court wrote a deny-listed name out as a style id).
func TestVerifyFindsGluedNames(t *testing.T) {
	p, _ := profiles.Load("court")
	for _, c := range []struct {
		tail, want string
	}{
		{"style: OrsolyaQuillanby\n", "verify_failed"},
		{"style: QuillanbyOrsolya\n", "verify_failed"},
		{"style: Quillanby2\n", "redacted"}, // not the glued name: nothing to refuse
	} {
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, DenyList: []string{"Orsolya Quillanby"}, NoNER: true,
			Formats: redactors.NewRegistry(hiddenFormat{})})
		if err != nil {
			t.Fatal(err)
		}
		in := []byte("Exhibit 4: a letter from Orsolya Quillanby.\n" + hiddenMark + c.tail)
		_, rec := e.Redact(context.Background(), "exhibit.hid", in)
		got := rec.Status
		if rec.Reason != "" {
			got = rec.Reason
		}
		if got != c.want {
			t.Errorf("%q: %s (%s), want %s", c.tail, got, rec.Detail, c.want)
		}
		if strings.Contains(rec.Detail, "Quillanby") {
			t.Errorf("the reason names the value: %s", rec.Detail)
		}
	}
}
