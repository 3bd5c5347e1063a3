package chain

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// Invented notes: the hospital names CareUnits finds before a unit, and
// the words before a unit it leaves.
func TestCareUnits(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string // the names added
	}{
		{"Hollisworth ER gave ASA and heparin.", []string{"Hollisworth"}},
		{"HOLLISWORTH CATH LAB SHOWED 3VD.", []string{"HOLLISWORTH"}},
		{"pt seen in kessingham emergency room.", []string{"kessingham"}},
		{"Port Quillby ER called report.", []string{"Quillby"}}, // "Port" starts the sentence: only what is surely the name
		{"sent from Port Quillby ER today", []string{"Port Quillby"}},
		{"Thistlewood VNA to follow at home.", []string{"Thistlewood"}},
		{"Neuro ICU team aware.", nil},
		{"transferred from Cardiac ICU", nil},
		{"Pt to MICU, then CCU.", nil},
		{"PEDS ER RESIDENT CALLED", nil},
		{"the ER gave lasix", nil},
		{"Vanco ER dose", nil},
		{"2 ER visits", nil},
		{"family teaching ed done", nil},
		{"Hollisworth\nER gave ASA", nil},
		{"from OSH (Hollisworth) with CP", []string{"Hollisworth"}},
		{"outside hospital (hollisworth general) cath", []string{"hollisworth general"}},
		{"OSH (see notes) labs", nil},
		{"OSH (ICU) course", nil},
		{"OSH (3 days) stay", nil},
	} {
		got, err := CareUnits{}.Refine(context.Background(), c.text, nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range got {
			if f.Entity != ner.Location || f.Rule != CareUnitRule {
				t.Errorf("%q: %v", c.text, f)
			}
			names = append(names, c.text[f.Start:f.End])
		}
		if strings.Join(names, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: got %q, want %q", c.text, names, c.want)
		}
	}
	// a word a finding holds is left to it
	text := "Hollisworth ER gave ASA"
	held := ner.Finding{Start: 0, End: 11, Entity: ner.Person, Score: 0.9, Rule: "names/test"}
	got, _ := CareUnits{}.Refine(context.Background(), text, []ner.Finding{held})
	if len(got) != 1 || got[0] != held {
		t.Errorf("held word: %v", got)
	}
}

func FuzzCareUnits(f *testing.F) {
	f.Add("Hollisworth ER gave ASA", 0, 3)
	f.Add("sent from Port Quillby cath lab", 5, 9)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		var found []ner.Finding
		if 0 <= s && s < e && e <= len(text) {
			found = append(found, ner.Finding{Start: s, End: e, Entity: ner.Person, Score: 0.9})
		}
		got, err := CareUnits{}.Refine(context.Background(), text, found)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) < len(found) {
			t.Fatalf("lost findings: %v", got)
		}
		for _, g := range got[len(found):] {
			if g.Start < 0 || g.End > len(text) || g.Start >= g.End || overlaps(found, g.Start, g.End) {
				t.Fatalf("bad span %v in %q", g, text)
			}
		}
	})
}

// A line unitLine rejects gives CareUnits nothing when read word by word.
func FuzzUnitLine(f *testing.F) {
	f.Add("Hollisworth ER gave ASA")
	f.Add("from OSH (Hollisworth) with CP")
	f.Add("Hollisworth er_ gave")
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsRune(line, '\n') || unitLine(line) {
			return
		}
		if got := careUnitsIn(line, ner.Words(line), nil, nil); len(got) > 0 {
			t.Fatalf("unitLine rejected %q, which holds %v", line, got)
		}
	})
}

// careUnitsReference is Refine as it was before it read the shared word
// stream: each unit line split on its own (ner.Words(line)).
func careUnitsReference(text string, found []ner.Finding) []ner.Finding {
	out := found[:len(found):len(found)]
	// Only lines that hold a unit's word or "osh"/"outside" are read word
	// by word (ner.Words costs more than the rest of the pass).
	for ls := 0; ls < len(text); {
		le := strings.IndexByte(text[ls:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += ls
		}
		if unitLine(text[ls:le]) {
			ws := ner.Words(text[ls:le])
			for k := range ws {
				ws[k].Start += ls
				ws[k].End += ls
			}
			out = careUnitsIn(text, ws, found, out)
		}
		ls = le + 1
	}
	return out
}

// careUnitTexts are notes made of unit words, hospital-like names,
// line breaks, parentheses and letters beyond ASCII, so that unit lines
// come at a text's start, middle and end.
func careUnitTexts(n int) []string {
	pieces := []string{"Hollisworth", "HOLLISWORTH", "kessingham", "Port", "Quillby", "ER", "er", "CATH", "LAB", "cath lab",
		"VNA", "ICU", "emergency room", "OSH", "osh", "outside", "hospital", "(", ")", "(Hollisworth)", "(hollisworth general)",
		"\n", "\n\n", " ", " ", " ", ".", ",", "2", "gave", "ASA", "Ödön", "ΕR", "\u00ad", "\u200b", "from", "sent", "to", "_"}
	rng := rand.New(rand.NewPCG(7, 8))
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		for k := rng.IntN(24); k > 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(3) > 0 {
				b.WriteByte(' ')
			}
		}
		out[i] = b.String()
	}
	return out
}

// checkCareUnits fails unless Refine, with the text's words shared (as
// in a chain) and without, finds what careUnitsReference finds.
func checkCareUnits(t *testing.T, text string, found []ner.Finding) int {
	t.Helper()
	want := careUnitsReference(text, found)
	for _, ctx := range []context.Context{context.Background(), ner.WithShared(context.Background(), text)} {
		got, err := CareUnits{}.Refine(ctx, text, found)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q: got %v, want %v", text, got, want)
		}
	}
	return len(want) - len(found)
}

func TestCareUnitsMatchReference(t *testing.T) {
	added := 0
	for i, text := range careUnitTexts(30000) {
		var found []ner.Finding
		if i%3 == 0 && len(text) > 4 {
			found = append(found, ner.Finding{Start: 1, End: 4, Entity: ner.Person, Score: 0.9})
		}
		added += checkCareUnits(t, text, found)
	}
	if added < 100 {
		t.Fatalf("test input: %d care units found in all", added)
	}
}

func FuzzCareUnitsReference(f *testing.F) {
	f.Add("Hollisworth ER gave ASA\nsent from Port Quillby cath lab")
	f.Add("from OSH (Hollisworth) with CP\n\nKessingham\u00adER")
	f.Fuzz(func(t *testing.T, text string) {
		checkCareUnits(t, text, nil)
	})
}
