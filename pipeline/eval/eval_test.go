package eval

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func maskString(text string, m []bool) string {
	var b strings.Builder
	for i, r := range []rune(text) {
		if m[i] {
			b.WriteByte('#')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The cases of score.py's documentation, worked by hand.
func TestMaskRedacted(t *testing.T) {
	for _, c := range []struct{ text, redacted, want string }{
		{"Mr John Smith, said", "[PERSON], said", "## #### #####, said"},
		{"ask Smith's dog", "ask [NAME]'s dog", "ask #####'s dog"},
		{"Maria came", "Anna came", "##### came"},
		{"card 4111111111111111 ok", "card ************1111 ok", "card ############1111 ok"},
		{"John Smith", "J. S.", "J### S####"},
		{"on 12 March 1998 she", "on 1998 she", "on ## ##### 1998 she"},
		{"a  b\nc", "a b c", "a  b\nc"},
		{"x José y", "x y", "x #### y"},
		{"fifty-six", "[AGE]", "#########"},
	} {
		got := maskString(c.text, MaskRedacted(c.text, c.redacted))
		if got != c.want {
			t.Errorf("MaskRedacted(%q, %q) = %q, want %q", c.text, c.redacted, got, c.want)
		}
	}
}

func near(t *testing.T, name string, got *float64, want float64) {
	t.Helper()
	if got == nil || math.Abs(*got-want) > 1e-9 {
		if got == nil {
			t.Errorf("%s = nil, want %v", name, want)
		} else {
			t.Errorf("%s = %v, want %v", name, *got, want)
		}
	}
}

const toyGold = `{"id":"d1","text":"Mr John Smith met Ann in Paris on 3 May 1999.","spans":[` +
	`{"start":0,"end":13,"label":"PERSON","kind":"direct","entity_id":"e1"},` +
	`{"start":14,"end":17,"label":"MISC","kind":"no_mask","entity_id":"e0"},` +
	`{"start":18,"end":21,"label":"PERSON","kind":"direct","entity_id":"e2"},` +
	`{"start":25,"end":30,"label":"LOC","kind":"quasi","entity_id":"e3"},` +
	`{"start":34,"end":44,"label":"DATETIME","kind":"quasi","entity_id":"e4"}]}

`

// TestScoreToy checks every number of a toy document against values worked
// out by hand (see the comments).
func TestScoreToy(t *testing.T) {
	docs, err := ReadGold(strings.NewReader(toyGold))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("%d docs", len(docs))
	}
	opt := DefaultOptions()
	opt.Misses = 10
	s := NewScorer(opt)
	// "Mr", "John Smith" -> tags, Ann kept, Paris tagged, the year tagged.
	s.Add(docs[0], MaskRedacted(docs[0].Text, "Mr [P] [P] met Ann in [LOC] on 3 May [YEAR]."))
	r := s.Result()
	// Mentions: "Mr John Smith" 9/11 masked: not lenient (< 9.9), not
	// strict, TAB yes ("Mr" is ignored). "Ann" 0/3. "Paris" 5/5.
	// "3 May 1999" 4/8.
	if r.Mention.N != 4 {
		t.Fatalf("mentions %d, want 4", r.Mention.N)
	}
	near(t, "lenient", r.Mention.Lenient, 0.25)
	near(t, "strict", r.Mention.Strict, 0.25)
	near(t, "tab", r.Mention.Tab, 0.5)
	near(t, "direct tab", r.ByKind["direct"].Tab, 0.5)
	near(t, "quasi lenient", r.ByKind["quasi"].Lenient, 0.5)
	near(t, "PERSON lenient", r.ByLabel["PERSON"].Lenient, 0)
	near(t, "ER direct", r.Entities["direct"].Recall, 0.5)
	near(t, "ER quasi", r.Entities["quasi"].Recall, 0.5)
	near(t, "ER all", r.Entities["all"].Recall, 0.5)
	// Tokens: 11; gold Mr John Smith Ann Paris 3 May 1999; masked John
	// Smith Paris 1999.
	if r.Token.TP != 4 || r.Token.FP != 0 || r.Token.FN != 4 {
		t.Errorf("tokens tp %d fp %d fn %d, want 4 0 4", r.Token.TP, r.Token.FP, r.Token.FN)
	}
	near(t, "precision", r.Token.Precision, 1)
	near(t, "recall", r.Token.Recall, 0.5)
	near(t, "F1", r.Token.F1, 2.0/3)
	// "met" is no_mask and was left alone.
	if r.IgnoredMentions != 1 {
		t.Errorf("ignored mentions %d", r.IgnoredMentions)
	}
	near(t, "no_mask masked", r.IgnoredMaskedRate, 0)
	near(t, "masked share", r.MaskedCharShare, 18.0/35)
	if len(r.Misses) != 3 || r.Misses[0].Text != "Mr John Smith" || r.Misses[1].Text != "Ann" || r.Misses[2].MaskedFraction != 0.5 {
		t.Errorf("misses %+v", r.Misses)
	}
	var out bytes.Buffer
	if err := Write(&out, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ALL                         4  0.250  0.250  0.500", "precision  1.000  recall  0.500", "⟦Ann⟧"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatal(err)
	}
}

func TestScoreSpansAndEntities(t *testing.T) {
	// One entity with two mentions: masking one is not enough.
	d := Doc{ID: "d", Text: "Kowalski and Kowalski", Spans: []Span{
		{Start: 0, End: 8, Label: "PERSON", Kind: "direct", EntityID: "k"},
		{Start: 13, End: 21, Label: "PERSON", Kind: "direct", EntityID: "k"},
	}}
	s := NewScorer(DefaultOptions())
	s.Add(d, MaskSpans(21, []Span{{Start: 0, End: 8}}))
	r := s.Result()
	near(t, "mention", r.Mention.Lenient, 0.5)
	near(t, "entity", r.Entities["direct"].Recall, 0)
	// "and" is masked by nobody; tokens: 1 TP, 1 FN.
	if r.Token.TP != 1 || r.Token.FN != 1 || r.Token.FP != 0 {
		t.Errorf("tokens %+v", r.Token)
	}
}

func TestReadGoldErrors(t *testing.T) {
	for _, in := range []string{
		`{"id":"a","text":"abc","spans":[{"start":2,"end":9,"label":"X","kind":"k"}]}`,
		`{"text":"abc"}`,
		`not json`,
	} {
		if _, err := ReadGold(strings.NewReader(in)); err == nil {
			t.Errorf("ReadGold(%q): no error", in)
		}
	}
	// Offsets are code points: "é" is one.
	docs, err := ReadGold(strings.NewReader(`{"id":"a","text":"é b","spans":[{"start":2,"end":3,"label":"X","kind":"k"}]}`))
	if err != nil || len(docs) != 1 {
		t.Fatal(err)
	}
}

func FuzzMaskRedacted(f *testing.F) {
	f.Add("Mr John Smith, said", "[PERSON], said")
	f.Add("a b c", "c b a")
	f.Fuzz(func(t *testing.T, text, red string) {
		m := MaskRedacted(text, red)
		if len(m) != len([]rune(text)) {
			t.Fatalf("mask length %d for %d runes", len(m), len([]rune(text)))
		}
		if text == red {
			for _, x := range m {
				if x {
					t.Fatal("identical texts, something masked")
				}
			}
		}
	})
}
