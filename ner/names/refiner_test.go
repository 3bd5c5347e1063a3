package names

import (
	"context"
	"fmt"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/pattern"
)

// The refiner is MaxRecall over the findings before it, appended to them.
func TestMaxRecallRefiner(t *testing.T) {
	text := "Mr Halvorsen was represented by Brannock Quillfeather Solicitors in Vrelwick; the fee was EUR 4,000."
	found, err := (ner.Multi{pattern.Default(), New()}).Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	before := fmt.Sprint(found)
	got, err := MaxRecallRefiner{}.Refine(context.Background(), text, found)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(found) != before {
		t.Fatal("Refine changed the findings it was given")
	}
	want := append(append([]ner.Finding(nil), found...), MaxRecall(text, found)...)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if len(got) == len(found) {
		t.Error("maximum recall added nothing")
	}
}
