package names

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
)

// TestCaseForms covers the names written where case tells nothing
// (caseforms.go). Names are invented ("Orsolya Quillanby") or common
// names of the public lists.
func TestCaseForms(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		// "SURNAME, GIVEN": both names of the lists, anywhere
		{"Pt KOWALSKI, MAREK admitted from ED.", "[names/inverted=KOWALSKI, MAREK]"},
		{"seen with HALVORSEN, INGRID J. in clinic", "[names/inverted=HALVORSEN, INGRID J]"},
		{"Kowalski, Marek called back.", "[names/inverted=Kowalski, Marek]"},
		// the given name of the lists on a name line, the surname in none
		{"QUILLANBY, MAREK\nNeuro: A+Ox3.", "[names/inverted=QUILLANBY, MAREK]"},
		{"Name: QUILLANBY, MAREK 4411", "[names/inverted=QUILLANBY, MAREK]"},
		{"note on QUILLANBY, MAREK today", "[]"}, // no name line, the surname in no list
		{"QUILLANBY, ORSOLYA", "[]"},             // neither in a list: nothing says name
		// ALL-CAPS notes: words in lists of ordinary words, states, roles
		{"NEURO: AWAKE, CALM, FOLLOWS COMMANDS. LUNGS COARSE AT BASES.", "[]"},
		{"HR 80S, NSR. BP STABLE, MAP > 65.", "[]"},
		{"DR KOWALSKI, MAREK AWARE.", "[names/title=KOWALSKI names/aware=MAREK]"},
		{"HALVORSEN, INGRID RN", "[names/inverted=HALVORSEN, INGRID]"},
		{"O'VARDLEY, MAREK JAN\nNeuro: A+Ox3.", "[names/inverted=O'VARDLEY, MAREK JAN]"},
		{"QUILLANBY-EVERARD, INGRID\nNeuro: A+Ox3.", "[names/inverted=QUILLANBY-EVERARD, INGRID]"},
		{"Kowalski, Marek Neuro intact.", "[names/inverted=Kowalski, Marek]"},
		{"kowalski, marek\nneuro: a+ox3.", "[names/inverted=kowalski, marek]"},
		{"neuro: alert, oriented. kowalski, marek aware.", "[names/aware=marek]"}, // no name line: left to the rules before
		{"Seen by Dr. Quillanby.\nkowalski, marek\n", "[names/title=Quillanby]"},  // the text capitalises names
		// a known name after a weak cue, in any case
		{"pt marek admitted this am.", "[names/context=marek]"},
		{"called eszter at home, no answer.", "[names/context=eszter]"},
		{"PT MAREK RESTING.", "[names/context=MAREK]"},
		{"pt calmer after ativan. called pharmacy. pt tolerating tf, pt afebrile.", "[]"},
		{"pt sedated, called rn, updated team, paged ho.", "[]"},
		// a word in no list after a family word or a two-word cue
		{"wife orsolya in to visit.", "[names/context=orsolya]"},
		{"WIFE ORSOLYA IN TO VISIT.", "[names/context=ORSOLYA]"},
		{"son quillanby called.", "[names/context=quillanby]"},
		{"spoke with orsolya quillanby re: plan.", "[names/context=orsolya quillanby]"},
		{"husband jiří called for update.", "[names/context=jiří]"},
		{"son called, wife at bedside, daughter updated.", "[]"},
		{"spoke with pharmacy re: dose; spoke with team.", "[]"},
		{"PATIENT DIURESING WELL.", "[]"},
		// a given name of the lists and a surname in none, in one case
		{"marek quillanby is a 70 yo man", "[names/first-last=marek quillanby]"},
		{"MAREK QUILLANBY IS A 70 YO MAN", "[names/first-last=MAREK QUILLANBY]"},
		{"FOLEY DRAINING AMBER SEDIMENTOUS URINE; INGRID DIURESED", "[]"},
		// a known given name before a verb whose subject is a person
		{"declan updated by phone. MAREK VISITED.", "[names/subject=declan names/subject=MAREK]"},
		{"Seen by Dr. Quillanby today. marek updated by phone.", "[names/title=Quillanby]"}, // the text capitalises names
		{"pain called out. Tia visited.", "[]"},
		// a line that is nothing but a given name and a surname of the
		// lists, the surname perhaps an ordinary word
		{"pt resting comfortably.\ningrid glass\nbp stable overnight.", "[names/name-line=ingrid glass]"},
		{"PT RESTING.\nINGRID J GLASS\nBP STABLE.", "[names/name-line=INGRID J GLASS]"},
		{"PT RESTING.\n  ROWENA GLASS  \nBP STABLE.", "[names/name-line=ROWENA GLASS]"},
		{"sputum:\nthick white\nlungs:\ncoarse rhonchi", "[]"}, // no given name first
		{"plan:\nmark site\nwill follow", "[]"},                // a given name that is an ordinary word
		{"ingrid glass visited", "[]"},
		// two words in no list alone on a line, or after a weak cue
		{"pt stable.\norsolya quillanby\nplan: cont.", "[names/name-line=orsolya quillanby]"},
		{"NEURO: INTACT.\nSEEN ORSOLYA QUILLANBY\n", "[names/name-line=ORSOLYA QUILLANBY]"},
		{"pt stable.\nsecreations thik\n", "[]"}, // a typing error of an ordinary word
		{"orsolya quillanby visited today.", "[names/subject=orsolya quillanby]"},
		{"ORSOLYA QUILLANBY VISITED TODAY.", "[names/subject=ORSOLYA QUILLANBY]"},
		{"secreations thik visited.", "[]"},
		{"d/w orsolya quillanby re: plan.", "[names/context=orsolya quillanby]"},
		{"d/w team re: plan, d/w pharmacy.", "[]"},
		{"선생님 말씀\n", "[]"},                                                    // a script without capitals                                        // not alone on its line
		{"Seen by Dr. Quillanby.\ningrid glass\n", "[names/title=Quillanby]"}, // the text capitalises names
	}
	for _, c := range cases {
		if got := fmt.Sprint(spans(t, c.text)); got != c.want {
			t.Errorf("%q: got %s, want %s", c.text, got, c.want)
		}
	}
}

// TestCaseFormsHyphenGap: the rules of caseforms.go read the gap between
// two words without its hyphens, so that a text and the same text with a
// hyphen beside the space give the same names: one reading of a document
// can show a hyphen that another leaves out (a DOCX's w:noBreakHyphen is
// "-" to the parse and nothing to verify's independent reading). A hyphen
// that is the whole gap joins the words. Invented names or common names of
// the public lists.
func TestCaseFormsHyphenGap(t *testing.T) {
	cases := []struct{ a, b, rest string }{
		{"marek", "quillanby", " is a 70 yo man"},
		{"MAREK", "QUILLANBY", " IS A 70 YO MAN"},
		{"pt", "marek", " admitted this am."},
		{"called", "eszter", " at home, no answer."},
		{"declan", "updated", " by phone."},
		{"spoke with orsolya", "quillanby", " re: plan."},
		{"kowalski,", "marek", "\nneuro: a+ox3."},
	}
	for _, c := range cases {
		if fmt.Sprint(spans(t, c.a+" "+c.b+c.rest)) == "[]" {
			t.Fatalf("%q: no name without the hyphen", c.a+" "+c.b)
		}
		for _, gap := range []string{" -", "- ", " - "} {
			text := c.a + gap + c.b + c.rest
			without := c.a + strings.ReplaceAll(gap, "-", "") + c.b + c.rest
			got, want := fmt.Sprint(spans(t, text)), fmt.Sprint(spans(t, without))
			if strings.ReplaceAll(got, "-", "") != strings.ReplaceAll(want, "-", "") {
				t.Errorf("%q: got %s, want %s as in %q", text, got, want, without)
			}
		}
	}
	if got := fmt.Sprint(spans(t, "marek-quillanby is a 70 yo man")); got != "[]" {
		t.Errorf("a hyphen joining the words: got %s", got)
	}
}

// TestCaseFormsLinearTime checks that the names detector's cost grows
// linearly with the text on inputs that stress caseforms.go's passes:
// one long line of "SURNAME, GIVEN" pairs whose line shape must be read,
// and cue words each followed by a name or a word in no list.
func TestCaseFormsLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	units := map[string]string{
		"inverted pairs on one line": "QUILLANBY, MAREK 12 QUILLANBY, ORSOLYA RN 7, ",
		"inverted pairs on lines":    "QUILLANBY, MAREK\nKowalski, Marek 4411\n",
		"cues":                       "pt marek called eszter wife orsolya son quillanby spoke with orsolya quillanby PT INGRID ",
		"name lines":                 "ingrid glass\nINGRID J GLASS\n  rowena glass  \ningrid glass rowena\n",
	}
	d := New()
	for name, unit := range units {
		t.Run(name, func(t *testing.T) {
			build := func(n int) string { return strings.Repeat(unit, n/len(unit)+1) }
			complexity.Assert(t, 4<<10, build, func(text string) {
				if _, err := d.Detect(context.Background(), text); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}
