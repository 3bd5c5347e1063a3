package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

func TestContacts(t *testing.T) {
	cases := []struct {
		text  string
		found []string // phones found, as substrings
		want  []string // the phone findings after the pass
	}{
		{"Paged at 4-4321 about the K.", nil, []string{"4-4321"}},
		{"page 5-1123 with questions", nil, []string{"5-1123"}},
		{"Call ext 4512 for labs.", nil, []string{"4512"}},
		{"extension #45 is wrong, extension 457 right", nil, []string{"457"}},
		{"PAGER: 23456", nil, []string{"23456"}},
		{"call x4519 after 5", nil, []string{"4519"}},
		{"See page 123 of the chart.", nil, nil},
		{"paged 1234 times", nil, nil},
		{"EXT 2+ EDEMA, ext warm", nil, nil},
		{"ext 12.5 cm", nil, nil},
		{"Daughter (617-555-0199) updated.", []string{"617-555-0199"}, []string{"(617-555-0199)"}},
		{"Daughter (cell 617-555-0199) updated.", []string{"617-555-0199"}, []string{"617-555-0199"}},
		{"call back 617 555 0143 x45.", []string{"617 555 0143"}, []string{"617 555 0143 x45"}},
		{"Office 617-555-0143, ext. 2231 days", []string{"617-555-0143"}, []string{"617-555-0143, ext. 2231"}},
		{"Son (617-555-0199) X12 after 5", []string{"617-555-0199"}, []string{"(617-555-0199) X12"}},
		{"cell 617-555-0143 x2 daily", []string{"617-555-0143"}, []string{"617-555-0143"}},
		{"cell 617-555-0143 extubated", []string{"617-555-0143"}, []string{"617-555-0143"}},
	}
	for _, c := range cases {
		var found []ner.Finding
		for _, s := range c.found {
			found = append(found, find(c.text, s, ner.Phone))
		}
		got, err := Contacts{}.Refine(context.Background(), c.text, found)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, f := range got {
			if f.Entity != ner.Phone {
				t.Errorf("%q: %v", c.text, f)
			}
			texts = append(texts, c.text[f.Start:f.End])
		}
		if strings.Join(texts, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: got %q, want %q", c.text, texts, c.want)
		}
	}
}

func FuzzContacts(f *testing.F) {
	f.Add("(617-555-0199) paged at 4-4321", 1, 13)
	f.Add("(", 0, 1)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		var found []ner.Finding
		if 0 <= s && s < e && e <= len(text) {
			found = append(found, ner.Finding{Start: s, End: e, Entity: ner.Phone, Score: 0.9})
		}
		got, err := Contacts{}.Refine(context.Background(), text, found)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range got {
			if g.Start < 0 || g.End > len(text) || g.Start >= g.End {
				t.Fatalf("bad finding %v of %d bytes", g, len(text))
			}
		}
	})
}
