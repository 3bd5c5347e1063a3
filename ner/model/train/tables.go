package train

// Results tables of news (Generator.RichTables): sports results, standings,
// line-ups and scorers, one result a line, the people in them written as
// full names beside their country, rank, number or score. Written for Veil
// from general knowledge of how agencies print results; the names come
// from the generator's lists like every other document's.

// tableHeads open a table: ordinary words, no entity.
var tableHeads = []string{
	"Results:", "Top results:", "Final placings:", "Top scores:", "Result of the final:",
	"Semi-finals:", "Third round:", "Women's doubles:", "Men's final, first leg:",
	"Teams:", "Goals:", "Positions after the second day:", "Table:",
}

// tableLines are the lines of a table. Every person is a full name or an
// initial and surname, never a lone capitalised word before a number
// (rich.go's "{last} {score}" taught the model that any capitalised word
// before a number is a name, which notes' drugs and readings are not).
var tableLines = []string{
	"{n}. {fl} ({country}) {score}",
	"{n}. {fl} ({country}) {score}",
	"{n}. {fl} {country} {score}",
	"{fl} ({country}) {score}",
	"{fl} ({country}) beat {fl} ({country}) {score}",
	"{n} - {fl} ({country}) beat {fl} ({country}) {score}",
	"{score} {fl} ({country})",
	"{score} {fl}, {fl} ({country})",
	"{n} - {fl}, {n} - {fl}, {n} - {fl}, {n} - {fl}",
	"{country} - {fl} ({n}), {fl} ({n})",
	"{country}: {fl}, {fl}, {fl}, {fl}",
	"{org} {nn} ({init}. {last} {n}, {init}. {last} {n})",
	"{fl} {org} same time",
	"{fl} ({country}) {org} {score}",
}

// table writes a results table: a dateline sometimes, a heading, then a
// result a line, names as printed (never typed in lower case or capitals:
// with those, the model grew surer of lone lower-case and capitalised
// words of notes).
func (g *Generator) table(d *doc) {
	d.asPrinted = true
	if g.chance(0.5) {
		d.render("{city} {date}\n")
	}
	d.render(g.pick(tableHeads))
	d.lit("\n")
	n := 4 + g.rng.Intn(9)
	for i := 0; i < n; i++ {
		d.render(g.pick(tableLines))
		d.lit("\n")
	}
}
