package pipeline_test

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// pagedFormat reads "N\ntext": a document of N pages; its Redact writes
// lose pages fewer.
type pagedFormat struct{ lose int }

func (pagedFormat) Name() string         { return "paged" }
func (pagedFormat) Extensions() []string { return []string{".pg"} }
func (f pagedFormat) Parse(data []byte) (redactors.Document, error) {
	n, text, _ := strings.Cut(string(data), "\n")
	pages, err := strconv.Atoi(n)
	if err != nil {
		return nil, redactors.ErrCorrupt
	}
	return &pagedDoc{f: f, pages: pages, text: text}, nil
}

type pagedDoc struct {
	f     pagedFormat
	pages int
	text  string
}

func (d *pagedDoc) Parts() []redactors.Part {
	return []redactors.Part{{Name: "page 1", Text: d.text, Page: 1}}
}
func (d *pagedDoc) PageCount() int                         { return d.pages }
func (d *pagedDoc) SetStamps(l []string, pos string) error { return nil }
func (d *pagedDoc) Redact(w io.Writer, edits []redactors.Edit) error {
	_, err := fmt.Fprintf(w, "%d\n%s", d.pages-d.f.lose, redactors.Splice(d.text, redactors.EditsOf(edits, 0)))
	return err
}

// The engine's verify step refuses an output of a paged format whose page
// count changed.
func TestVerifyPageCount(t *testing.T) {
	p, err := profiles.Load("court")
	if err != nil {
		t.Fatal(err)
	}
	for _, lose := range []int{0, 1} {
		e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, DenyList: []string{"Ellison"},
			Formats: redactors.NewRegistry(pagedFormat{lose: lose})})
		if err != nil {
			t.Fatal(err)
		}
		out, rec := e.Redact(context.Background(), "a.pg", []byte("3\nLetter to Ms. Ellison."))
		if lose == 0 && (out == nil || rec.Status != "redacted") {
			t.Errorf("unchanged page count: status %s %s", rec.Status, rec.Detail)
		}
		if lose == 1 && (out != nil || rec.Reason != redactors.ErrVerify.Code) {
			t.Errorf("a page lost: status %s, reason %s, want %s", rec.Status, rec.Reason, redactors.ErrVerify.Code)
		}
	}
}
