package pipeline_test

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
)

// A supervision note whose people are all aliased still says things a
// reader who knows the client's world recognises her by: the report lists
// each by place and kind, never by value. A court production, which keeps
// the parties' names, gets no such list.
func TestCouldStillIdentify(t *testing.T) {
	in := "Session note for Odile Brannigan.\n" +
		"Odile works as a lighthouse keeper and grew up in a village of about 1,200 people.\n" +
		"Her husband, the county sheriff, was interviewed by the Gazette after the Grain Elevator Explosion.\n" +
		"Her father crewed the MV Northern Star. She is one of quintuplets.\n" +
		"She slept badly and feels low.\n"
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	out, rec := e.Redact(context.Background(), "note.txt", []byte(in))
	if rec.Status != "redacted" {
		t.Fatalf("%s %s", rec.Status, rec.Detail)
	}
	got := map[string]string{}
	for _, r := range rec.StillIdentify {
		got[r.Kind] = r.Location
		for _, w := range []string{"lighthouse", "1,200", "sheriff", "Gazette", "Elevator", "Northern", "quintuplets"} {
			if strings.Contains(r.Kind+r.Part+r.Location, w) {
				t.Errorf("the report repeats a value: %+v", r)
			}
		}
	}
	want := map[string]string{
		"rare occupation": "line 2", "population of a place": "line 2", "public office": "line 3", "media mention": "line 3",
		"named event": "line 3", "vessel": "line 4", "unusual family fact": "line 4",
	}
	for kind, loc := range want {
		if got[kind] != loc {
			t.Errorf("%s: at %q, want %q (all: %+v)\n%s", kind, got[kind], loc, rec.StillIdentify, out)
		}
	}
	// Text without such details gives no list.
	_, rec = e.Redact(context.Background(), "plain.txt", []byte("Odile Brannigan slept badly and feels low.\n"))
	if len(rec.StillIdentify) != 0 {
		t.Errorf("plain note: %+v", rec.StillIdentify)
	}
	c, _ := profiles.Load("court")
	ec, err := pipeline.NewEngine(pipeline.Options{Profile: c, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, rec := ec.Redact(context.Background(), "note.txt", []byte(in)); len(rec.StillIdentify) != 0 {
		t.Errorf("court: %+v", rec.StillIdentify)
	}
}
