package chain

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// find returns the finding of the first occurrence of sub in text.
func find(text, sub string, e ner.Entity) ner.Finding {
	i := strings.Index(text, sub)
	return ner.Finding{Start: i, End: i + len(sub), Entity: e, Score: 0.8, Rule: "names/place"}
}

func TestFacilities(t *testing.T) {
	cases := []struct {
		name, text string
		found      []string // findings given, as substrings (places)
		want       []string // the texts of the findings after the pass
	}{
		{"capitalised head", "Transferred from Quillanby General today.", []string{"Quillanby"}, []string{"Quillanby General"}},
		{"two heads", "Seen at Everard Memorial Hospital in May.", []string{"Everard"}, []string{"Everard Memorial Hospital"}},
		{"ALL CAPS two-word kind stays", "PT FROM HOLLOWAY NURSING HOME.", []string{"HOLLOWAY"}, []string{"HOLLOWAY"}},
		{"ALL CAPS name with kinds", "PT FROM HOLLOWAY GENERAL HOSPITAL MEDICAL CENTER.", []string{"HOLLOWAY GENERAL HOSPITAL MEDICAL CENTER"}, []string{"HOLLOWAY GENERAL"}},
		{"lower-case kind stays", "was at brackenridge rehab last month", []string{"brackenridge"}, []string{"brackenridge"}},
		{"lower-case kind after a capitalised name", "seen at Brackenridge hospital", []string{"Brackenridge hospital"}, []string{"Brackenridge"}},
		{"capitalised kind in mixed case goes", "seen at Brackenridge Hospital", []string{"Brackenridge Hospital"}, []string{"Brackenridge Hospital"}},
		{"a kind alone is the name", "seen in hospital", []string{"hospital"}, []string{"hospital"}},
		{"general only capitalised", "brackenridge general condition", []string{"brackenridge"}, []string{"brackenridge"}},
		{"case must agree", "Quillanby HOSPITAL", []string{"Quillanby"}, []string{"Quillanby"}},
		{"a longer name", "the Quillanby General Assembly met", []string{"Quillanby"}, []string{"Quillanby"}},
		{"a new line ends the name", "Quillanby\nGeneral appearance good", []string{"Quillanby"}, []string{"Quillanby"}},
		{"no head", "Quillanby Generalist", []string{"Quillanby"}, []string{"Quillanby"}},
		{"saint", "Sent to St. Everard after the scan.", nil, []string{"St. Everard"}},
		{"saint with possessive and head", "Admitted to St Tamsin's Hospital.", nil, []string{"St Tamsin's Hospital"}},
		{"Saint spelled out", "Church of Saint Orsolya", nil, []string{"Saint Orsolya"}},
		{"street", "lives at 14 Elm St. Everard visits", nil, nil},
		{"street after a word", "lives on Quillanby St Everard visits", nil, nil},
		{"ST segment", "ST ELEVATION IN V2", nil, nil},
		{"ST lower", "ST depression noted", nil, nil},
		{"a herb", "takes St. Everard's wort daily", nil, nil},
		{"inside a word", "Stable. Stays Quiet.", nil, nil},
		{"already found", "Sent to St. Everard today.", []string{"St. Everard"}, []string{"St. Everard"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var found []ner.Finding
			for _, s := range c.found {
				found = append(found, find(c.text, s, ner.Location))
			}
			before := append([]ner.Finding(nil), found...)
			got, err := Facilities{}.Refine(context.Background(), c.text, found)
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, f := range got {
				texts = append(texts, c.text[f.Start:f.End])
			}
			if strings.Join(texts, "|") != strings.Join(c.want, "|") {
				t.Errorf("got %q, want %q", texts, c.want)
			}
			for k := range found {
				if found[k] != before[k] {
					t.Errorf("Refine changed found[%d]", k)
				}
			}
		})
	}
}

// A person's name before a care facility's head is the facility's name.
func TestFacilitiesEntity(t *testing.T) {
	text := "D/c to Tamsin Everard Nursing Home."
	got, _ := Facilities{}.Refine(context.Background(), text, []ner.Finding{find(text, "Tamsin Everard", ner.Person)})
	if len(got) != 1 || got[0].Entity != ner.Organization || text[got[0].Start:got[0].End] != "Tamsin Everard Nursing Home" || got[0].Rule != FacilityRule {
		t.Errorf("got %v", got)
	}
}

func FuzzFacilities(f *testing.F) {
	f.Add("Sent to St. Everard General Hospital.", 8, 18)
	f.Add("St", 0, 2)
	f.Add("Saint\u00a0Ö's", 0, 5)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		var found []ner.Finding
		if 0 <= s && s < e && e <= len(text) {
			found = append(found, ner.Finding{Start: s, End: e, Entity: ner.Location, Score: 0.5})
		}
		got, err := Facilities{}.Refine(context.Background(), text, found)
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
