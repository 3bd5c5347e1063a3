package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

func TestHomes(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"stating he was at tamsin everard's house", []string{"tamsin everard"}},
		{"went to Quillanby's place for the night", []string{"Quillanby"}},
		{"lives IN ORSOLYA'S APARTMENT", []string{"ORSOLYA"}},
		{"staying at her sister's house", nil},
		{"discharged to pt's home", nil},
		{"at the neighbor's house", nil},
		{"back to mom's house", nil},
		{"at everard's clinic", nil},
		{"was at tamsin glass's house", []string{"tamsin glass"}},
		{"near glass's farm", nil},
		{"said he was at amber stone's house", []string{"amber stone"}},
		{"staying at a friend's house", nil},
		{"he said at tamsin brown's house", []string{"tamsin brown"}},
		{"staying at best friend's house", nil},
	}
	for _, c := range cases {
		got, err := Homes{}.Refine(context.Background(), c.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, f := range got {
			if f.Entity != ner.Person || f.Rule != HomeRule {
				t.Errorf("%q: %v", c.text, f)
			}
			texts = append(texts, c.text[f.Start:f.End])
		}
		if strings.Join(texts, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: got %q, want %q", c.text, texts, c.want)
		}
	}
}
