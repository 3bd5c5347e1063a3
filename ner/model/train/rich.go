package train

import (
	"strings"
	"unicode/utf8"
)

// The documents of version 2 (Generator.Rich): people recur within a
// document, names take more of the forms records use, and news has
// results lists, headlines and tokenised spacing.

type person struct {
	given, surname string
	n              *Nationality
}

// person draws a person of the document: with Rich, often one already
// mentioned (a surname recurs alone after the full name), otherwise a new
// one, who joins the document's cast.
func (d *doc) person() (given, surname string, n *Nationality) {
	g := d.g
	if g.richNames() && len(d.cast) > 0 && g.chance(0.4) {
		p := d.cast[g.rng.Intn(len(d.cast))]
		return p.given, p.surname, p.n
	}
	given, surname, n = g.person()
	if g.richNames() {
		d.cast = append(d.cast, person{given, surname, n})
	}
	return given, surname, n
}

// richName is a person's name in one of the forms records use, the
// forms of fullName and more: the surname in capitals first
// ("QUILLANBY, Orsolya"), the surname and an initial ("Quillanby, O."),
// two initials ("O.K. Quillanby", "OK Quillanby").
func (d *doc) richName() string {
	g := d.g
	f, l, n := d.person()
	ini := func(s string) string { r, _ := utf8.DecodeRuneInString(s); return string(r) }
	switch r := g.rng.Float64(); {
	case r < 0.08:
		return upperSame(l) + ", " + f
	case r < 0.13:
		return l + ", " + ini(f) + "."
	case r < 0.18:
		f2, _, _ := g.person()
		return ini(f) + "." + ini(f2) + ". " + l
	case r < 0.21:
		f2, _, _ := g.person()
		return ini(f) + ini(f2) + " " + l
	case r < 0.25:
		return f + " " + upperSame(l)
	case r < 0.29:
		return l + " " + ini(f)
	case n.Code == "vi" && r < 0.6, n.Code == "zh" && r < 0.45, n.Code == "ko" && r < 0.5, n.Code == "hu" && r < 0.4:
		return l + " " + f // family name first
	case r < 0.6:
		return f + " " + l
	case r < 0.7:
		f2, _, _ := g.person()
		return f + " " + ini(f2) + ". " + l
	case r < 0.78:
		return ini(f) + ". " + l
	case r < 0.85:
		return l + ", " + f
	case r < 0.94:
		return l
	default:
		return f
	}
}

// countries for results lists, written for Veil from general knowledge.
var countries = strings.Fields(`Australia Austria Belgium Brazil Britain Bulgaria Canada Chile China Croatia Czech_Republic Denmark Egypt England Estonia Ethiopia Finland France Germany Ghana Greece Hungary India Indonesia Ireland Israel Italy Jamaica Japan Kenya Latvia Lithuania Mexico Morocco Netherlands New_Zealand Nigeria Norway Pakistan Peru Poland Portugal Romania Russia Scotland Slovakia Slovenia South_Africa South_Korea Spain Sri_Lanka Sweden Switzerland Turkey Uganda Ukraine Uruguay U.S. United_States Vietnam Wales Zimbabwe`)

// score is a result: sets, runs, times, goals.
func (g *Generator) score() string {
	switch g.rng.Intn(5) {
	case 0:
		var b strings.Builder
		for i, n := 0, 2+g.rng.Intn(3); i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(itoa(g.rng.Intn(8)) + "-" + itoa(g.rng.Intn(8)))
		}
		return b.String()
	case 1:
		return itoa(g.rng.Intn(200))
	case 2:
		return itoa(g.rng.Intn(10)) + "-" + itoa(10+g.rng.Intn(90))
	case 3:
		return itoa(1+g.rng.Intn(3)) + ":" + pad(g.rng.Intn(60)) + "." + pad(g.rng.Intn(100))
	default:
		return itoa(60 + g.rng.Intn(20))
	}
}

// Lines of results lists and headlines, written for Veil.
var resultLines = []string{
	"{fl} ( {country} ) beat {fl} ( {country} ) {score}", "{n} - {fl} ( {country} ) beat {fl} ( {country} ) {score}",
	"{fl} ( {country} ) {score}", "{n}. {fl} ( {country} ) {score}", "{score} {fl}", "{score} {fl} ( {country} )",
	"{init}. {last} {score} , {init}. {last} {score} not out", "( {init}. {last} {score} ; {init}. {last} {score} )",
	"{last} {score} , {last} {score}", "{fl} {country} {score}", "Scorers : {last} {n} , {fl} {n}", "{city} : {last} {n}",
}

var headlineLines = []string{
	"{LAST} WINS IN {city}", "{LAST} AND {LAST} THROUGH TO FINAL", "{city} - {LAST} SAYS TALKS WILL GO ON",
	"{LAST} QUITS AS {org} CHIEF", "SOCCER - {LAST} SCORES TWICE", "TENNIS - {LAST} BEATS {LAST}", "GOLF - {LAST} TAKES LEAD",
}

var storyLines = []string{
	"{per} said on {date} .", "{last} , who {salad} , said the talks would go on .", "\"We are happy ,\" {last} said .",
	"{last} told reporters in {city} .", "{per} , {n} , {salad} .", "{last} beat {fl} {score} .", "{last} had {salad} .",
	"{first} {last} won in {city} .", "{last} 's lawyer , {per} , said {salad} .", "{per} of {org} said .",
}

// news writes a news item: a headline, a dateline, then story or results
// lines about a small cast.
func (g *Generator) news(d *doc) {
	d.spaced = g.chance(0.5)
	if g.chance(0.6) {
		m := d.caseM
		d.caseM = 2
		d.render(g.pick(headlineLines))
		d.caseM = m
		d.lit("\n")
	}
	if g.chance(0.5) {
		d.render("{city} {date}\n")
	}
	lines := storyLines
	if g.chance(0.5) {
		lines = resultLines
	}
	n := 4 + g.rng.Intn(9)
	for i := 0; i < n; i++ {
		d.render(g.pick(lines))
		if g.chance(0.5) {
			d.lit("\n")
		} else {
			d.lit(" ")
		}
	}
}

// spacePunct spaces punctuation off the words, as tokenised text is
// written ("Quist ( Norway ) , 6-3"): commas, semicolons, parentheses,
// colons and quotes, with runs of spaces made one.
func spacePunct(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ',', '(', ')', ':', '"', ';':
			b.WriteByte(' ')
			b.WriteByte(c)
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	for strings.Contains(out, "  ") {
		out = strings.ReplaceAll(out, "  ", " ")
	}
	return out
}

func init() {
	for i, c := range countries {
		countries[i] = strings.ReplaceAll(c, "_", " ")
	}
}
