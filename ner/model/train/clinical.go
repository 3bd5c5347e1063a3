package train

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Clinical documents of Generator.RichClinical (docs/QUALITY.md,
// modelrecall): notes whose names stand with no cue word ("seen
// orsolya quillanby"), in the note's case (lower, capitals, as written);
// care facilities and units built from the patterns facilities are named
// by ("<Surname> Memorial", "<Town> General", "St. <Given>'s", "Ward 7B",
// "<Surname> 5"), with and without a cue word, labelled as places, as
// notes' annotations count them; and names whose diacritics were not
// typed ("Quillanby" for "Quillánby"). Written for Veil from general knowledge
// of how notes are typed and facilities named; the names come from the
// generator's lists like every other document's.

// clinicalNames are lines of notes with a name and no cue word, or a
// cue that is only shorthand.
var clinicalNames = []string{
	"seen {fl}.", "seen {fl} this am, {salad}.", "{fl} at bedside.", "{fl} aware.", "{fl} updated.", "{fl} in to see pt.",
	"spoke w/ {fl} re plan.", "{fl}, {fl} in to visit.", "d/w {fl}.", "{fl} rn.", "{fl}/{fl}.", "call {first} w/ questions.",
	"{first} and {first} in to visit.", "{first} called x2.", "{fl} here until {n}.", "{salad}. {fl} aware.", "{fl} {salad}.",
	"{salad} - {fl}.", "{fl} paged.", "message left for {fl}.", "{first} {last} {salad}", "visit from {fl} and {first}.",
	"{fl} following.", "{fl} (pcp) faxed.", "per {fl}, {salad}.", "{last} {first} {salad}.",
}

// clinicalPlaces are lines of notes with a care facility or unit, with
// and without a cue word.
var clinicalPlaces = []string{
	"transferred from {fac}.", "from {fac} via ambulance.", "{fac} ed {salad}.", "pt came from {fac} {date}.",
	"going to {fac} tomorrow.", "rehab at {fac}.", "d/c to {fac} when bed available.", "{salad}, was at {fac}.",
	"{fac} called for records.", "records from {fac} requested.", "lives at {fac}.", "{salad} at {fac} last week.",
	"pt to {unit} today.", "call out to {unit}.", "bed on {unit}.", "{unit} aware.", "from {unit} {salad}.", "{fac} {unit}.",
	"hx at {fac}, {salad}.", "{salad}. {fac} {salad}.", "lives in {city}.", "from {city}, {salad}.", "{city} {fac}.",
}

// facility is the name of a hospital, clinic or home, from the patterns
// facilities are named by.
func (g *Generator) facility() string {
	_, l, _ := g.person()
	f, _, _ := g.person()
	c := g.pick(g.cities)
	switch g.rng.Intn(16) {
	case 0:
		return c + " General"
	case 1:
		return l + " Memorial"
	case 2:
		return "St. " + f + "'s"
	case 3:
		return "St " + f
	case 4:
		return "Saint " + f + "'s"
	case 5:
		return c + " Rehab"
	case 6:
		return l + " House"
	case 7:
		return c + " Manor"
	case 8:
		return c + " Health Center"
	case 9:
		return c + " VNA"
	case 10:
		return l + " Nursing Home"
	case 11:
		return c + " Hospital"
	case 12:
		return "Mount " + f
	case 13:
		return c + " Medical"
	case 14:
		return l + " Clinic"
	default:
		return g.acronym()
	}
}

// unit is a ward or unit of a hospital.
func (g *Generator) unit() string {
	_, l, _ := g.person()
	switch g.rng.Intn(5) {
	case 0:
		return "Ward " + itoa(1+g.rng.Intn(12)) + string(rune('A'+g.rng.Intn(6)))
	case 1:
		return l + " " + itoa(1+g.rng.Intn(12))
	case 2:
		return l + " " + g.pick([]string{"4", "5", "6", "7", "North", "South", "East", "West"})
	case 3:
		return l + " " + itoa(1+g.rng.Intn(12)) + g.pick([]string{"", "A", "B", "C"})
	default:
		return itoa(1+g.rng.Intn(12)) + g.pick([]string{"A", "B", "C", "D"}) + " " + g.pick([]string{"North", "South", "East", "West"})
	}
}

// stripMarks removes combining marks after decomposition: a name typed
// without its diacritics.
var stripMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

func plain(s string) string {
	out, _, err := transform.String(stripMarks, s)
	if err != nil {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(out, "ł", "l"), "Ł", "L")
}
