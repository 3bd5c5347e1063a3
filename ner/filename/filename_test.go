package filename

import (
	"context"
	"fmt"
	"path"
	"slices"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/names"
	"github.com/veilhq/veil/ner/pattern"
)

func detector() Detector { return New(ner.Multi{pattern.Default(), names.New()}) }

func TestDetect(t *testing.T) {
	cases := map[string][]string{
		// underscores read as spaces: the name rules see two words
		"intake_Odile_Brannigan.docx": {"Odile_Brannigan PERSON names/first-last"},
		// no rule fires on lower-case words: the name lists do
		"cases/brannigan-odile/notes.txt": {"brannigan PERSON names/key-gazetteer", "odile PERSON names/key-gazetteer"},
		// record numbers have no context words in a path
		"scan_00123456.pdf":    {"00123456 ID_NUMBER pattern/key-number"},
		"minutes_1234.txt":     nil, // four digits: a year, a page, a counter
		"report.jordan":        nil, // the extension is not a name
		"ssn_123-45-6789.txt":  {"123-45-6789 SSN pattern/us-ssn"},
		"s3://archive/2019/":   nil,
		"notes/session 12.txt": nil,
		// ordinary English words that name lists hold too are not names
		// in a file name (session sheetdoor2): "font" is a surname
		"d01-font.docx":        nil,
		"vml-font-family.docx": nil,
		"grant_report.pdf":     nil,
		// a name that is not an English word still is one
		"notes-odile.txt": {"odile PERSON names/key-gazetteer"},
		// beside another name word, such a word is a name
		"cases/brannigan-font/notes.txt": {"brannigan PERSON names/key-gazetteer", "font PERSON names/key-gazetteer"},
		// a given name is a name on its own even where it is an English
		// word too (fnfix): a name left in a key is written out, an
		// ordinary word taken for one only renames a word
		"grace_notes.txt":     {"grace PERSON names/key-gazetteer"},
		"maria_intake.txt":    {"maria PERSON names/key-gazetteer"},
		"john_intake.txt":     {"john PERSON names/key-gazetteer"},
		"peter-referral.docx": {"peter PERSON names/key-gazetteer"},
		"martin_plan.pdf":     {"martin PERSON names/key-gazetteer"},
		"victor_notes.txt":    {"victor PERSON names/key-gazetteer"},
		"notes-bobby.txt":     {"bobby PERSON names/key-gazetteer"},
		"carol.txt":           {"carol PERSON names/key-gazetteer"},
		"smith_letter.txt":    {"smith PERSON names/key-gazetteer"},
		"dawn-quillanby.txt":  {"dawn PERSON names/key-gazetteer"},
		// a given name that is an ordinary word of the common-word lists
		// ("rose") is one beside another name word
		"rose-smith.txt": {"rose PERSON names/key-gazetteer", "smith PERSON names/key-gazetteer"},
		// the e-mail rule reads ".txt" as a domain; the extension stays
		"maria.sandoval@example.net.txt": {"maria.sandoval@example.net EMAIL pattern/email"},
	}
	d := detector()
	for name, want := range cases {
		fs, err := d.Detect(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range ner.Resolve(fs) {
			got = append(got, fmt.Sprintf("%s %s %s", name[f.Start:f.End], f.Entity, f.Rule))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
}

func TestDetectCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := detector().Detect(ctx, "intake_Odile_Brannigan.docx"); err == nil {
		t.Fatal("a cancelled detection must be an error: the caller treats the whole name as identifying then")
	}
}

// Offsets are in the name as given, on rune boundaries, and no finding
// reaches into the extension.
func FuzzDetect(f *testing.F) {
	f.Add("intake_Odile_Brannigan.docx")
	f.Add("a/ß_Łukasz_0012345.tar.gz")
	f.Add("_.__1234567")
	d := detector()
	f.Fuzz(func(t *testing.T, name string) {
		if !utf8.ValidString(name) || len(name) > 512 {
			return
		}
		if len(Text(name)) != len(name) {
			t.Fatalf("Text changed the length of %q", name)
		}
		fs, err := d.Detect(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		stem := len(name) - len(path.Ext(name))
		for _, f := range fs {
			if f.Start < 0 || f.Start >= f.End || f.End > len(name) || !utf8.RuneStart(name[f.Start]) || f.End < len(name) && !utf8.RuneStart(name[f.End]) {
				t.Fatalf("%q: bad span %v", name, f)
			}
			if f.End > stem {
				t.Fatalf("%q: %v reaches into the extension", name, f)
			}
		}
	})
}

func TestSequenceNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"00017": true, "0001": true, "1234": true, "00009999": true,
		"12345": false, "00012345": false, "00482913": false, "4481923": false,
	} {
		if got := SequenceNumber(s); got != want {
			t.Errorf("SequenceNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

// A person's name is found in a file name in the forms people give it
// there; other words that share letters with it are not.
func TestPersonForms(t *testing.T) {
	m := ner.NewPhraseMatcher(PersonForms(ner.Fold("Odile Brannigan")))
	for name, want := range map[string]string{
		"obrannigan_note.txt":       "obrannigan",
		"2024-03_BranniganO.txt":    "BranniganO",
		"o.brannigan/intake.md":     "o.brannigan",
		"brannigan_o.txt":           "brannigan_o",
		"OdileBrannigan.docx":       "OdileBrannigan",
		"odilebrannigan-intake.pdf": "odilebrannigan",
		"notes_BRANNIGANODILE.txt":  "BRANNIGANODILE",
		"brannigans_report.txt":     "",
		"obrannigan2.txt":           "",
		"minutes_o_brannigan_x.txt": "o_brannigan",
	} {
		text := Text(name)
		got := ""
		if ms := m.FindAll(text); len(ms) > 0 {
			got = name[ms[0].Start:ms[0].End]
		}
		if got != want {
			t.Errorf("%s: found %q, want %q", name, got, want)
		}
	}
	if fs := PersonForms(ner.Fold("Odile")); fs != nil {
		t.Errorf("one word: %d forms", len(fs))
	}
	m = ner.NewPhraseMatcher(PersonForms(ner.Fold("Odile Anne Brannigan")))
	if ms := m.FindAll("oabrannigan_x.txt"); len(ms) != 1 {
		t.Errorf("initials of every given name: %d matches", len(ms))
	}
}
