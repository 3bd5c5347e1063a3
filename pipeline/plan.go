package pipeline

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// planner decides the edits of one document. Before it names anyone it
// links every name of the document to a person of the case and reads the
// roles around them, so that "Ms Sandoval" before "Maria Sandoval" gets the
// same alias, pseudonym or initials, and a client mentioned as such only on
// page 3 is the client on page 1 too.
type planner struct {
	e   *Engine
	d   *Doc
	env *profiles.Env
	ids [][]profiles.PersonID // per part and finding; -1 when not linked
	// removed are the findings whose values the output no longer holds;
	// kept are the folded values (and name words) left in place on purpose.
	removed [][]ner.Finding
	kept    map[string]bool
}

// planned is one edit and what it came from.
type planned struct {
	edit redactors.Edit
	f    ner.Finding
	rule profiles.Rule
}

func (e *Engine) newPlanner(d *Doc) *planner {
	pl := &planner{
		e: e, d: d,
		env:     &profiles.Env{Case: e.cases, Keys: e.secrets, Year: e.year},
		ids:     make([][]profiles.PersonID, len(d.parts)),
		removed: make([][]ner.Finding, len(d.parts)),
		kept:    map[string]bool{},
	}
	// 1. Who is who.
	for i, p := range d.parts {
		pl.ids[i] = make([]profiles.PersonID, len(d.found[i]))
		for j, f := range d.found[i] {
			pl.ids[i][j] = e.link(f, p.Text[f.Start:f.End])
		}
	}
	// 2. Roles.
	for i, p := range d.parts {
		fs := d.found[i]
		for j, f := range fs {
			id := pl.ids[i][j]
			if f.Entity != ner.Person || id < 0 {
				continue
			}
			if e.roles.Client(p.Text, f) {
				e.cases.AddRole(id, profiles.Client)
			}
			for _, m := range e.minors {
				if e.cases.Matches(id, m) {
					e.cases.AddRole(id, profiles.Minor)
				}
			}
		}
		for _, j := range e.roles.Minors(p.Text, fs, pl.env.RefYear()) {
			if pl.ids[i][j] >= 0 {
				e.cases.AddRole(pl.ids[i][j], profiles.Minor)
			}
		}
	}
	// 3. Whose dates these are: the first client of the document.
	for i := range d.parts {
		for j, f := range d.found[i] {
			if id := pl.ids[i][j]; pl.env.Subject == "" && f.Entity == ner.Person && id >= 0 && e.cases.HasRole(id, profiles.Client) {
				pl.env.Subject = profiles.SubjectKey(e.cases.Canonical(id))
			}
		}
	}
	return pl
}

// link returns the person a finding names, or -1 for findings whose rule
// does not work per person.
func (e *Engine) link(f ner.Finding, value string) profiles.PersonID {
	if f.Entity != ner.Person && !perPerson(e.profile.For(f.Entity).Action) {
		return -1
	}
	ident := profiles.Identity(value)
	if ident == "" {
		return -1
	}
	return e.cases.Link(string(f.Entity), ident)
}

func perPerson(a profiles.Action) bool {
	return a == profiles.Alias || a == profiles.Pseudonym || a == profiles.Initials
}

// ruleFor returns the rule for a finding: a role rule for a person with
// that role (the profile's first matching role rule), the profile's rule
// for the entity otherwise, with a deny list's own label and basis.
func (e *Engine) ruleFor(f ner.Finding, id profiles.PersonID) profiles.Rule {
	if f.Entity == ner.Person && id >= 0 {
		for _, r := range e.profile.RoleRules() {
			if e.cases.HasRole(id, r.Role) {
				return r
			}
		}
	}
	r := e.profile.For(f.Entity)
	if f.Entity == ner.Custom {
		if dl, ok := e.deny[strings.TrimPrefix(f.Rule, ner.PropagatedPrefix)]; ok {
			if dl.Label != "" && r.Action == profiles.Label {
				r.Label = dl.Label
			}
			if dl.Basis != "" {
				r.Basis = dl.Basis
			}
		}
	}
	return r
}

// part returns the edits of part i, in order.
func (pl *planner) part(i int) []planned {
	text := pl.d.parts[i].Text
	fs := pl.d.found[i]
	var out []planned
	prevEnd := 0
	for j := 0; j < len(fs); j++ {
		f := fs[j]
		value := text[f.Start:f.End]
		rule := pl.e.ruleFor(f, pl.ids[i][j])
		repl, changed := rule.Replace(value, "", pl.env)
		if !changed {
			pl.keep(value)
			continue
		}
		pl.removed[i] = append(pl.removed[i], f)
		start, end := f.Start, f.End
		var keepSpans [][2]int // text inside the edit that the replacement keeps
		switch {
		case rule.Action == profiles.CityState:
			if city, state, tail, ok := profiles.CityStateAfter(text, f.End); ok {
				cityText := text[city[0]:city[1]]
				keepSpans = append(keepSpans, city, state)
				for k := j + 1; k < len(fs) && fs[k].Start < tail; k++ {
					if g := fs[k]; g.Start < city[1] && g.End > city[0] {
						if cr, ch := pl.e.ruleFor(g, pl.ids[i][k]).Replace(text[g.Start:g.End], "", pl.env); ch {
							cityText, keepSpans = cr, keepSpans[1:]
						}
					}
				}
				repl, end = cityText+", "+text[state[0]:state[1]], tail
			}
		case rule.Action == profiles.Drop:
			start, end = dropSpace(text, start, end, prevEnd)
		case f.Entity == ner.Person && (rule.Titles == profiles.TitlesDrop || rule.Titles == profiles.TitlesIdentifying):
			start = titleStart(text, start, prevEnd, rule.Titles)
			end = credentialEnd(text, end)
		}
		// Findings inside the edit go with it.
		for j+1 < len(fs) && fs[j+1].Start < end {
			j++
			g := fs[j]
			if g.End > end {
				end = g.End
			}
			if within(g, keepSpans) {
				pl.keep(text[g.Start:g.End])
			} else {
				pl.removed[i] = append(pl.removed[i], g)
			}
		}
		out = append(out, planned{edit: redactors.Edit{Part: i, Start: start, End: end, Replacement: repl}, f: f, rule: rule})
		prevEnd = end
	}
	return out
}

// keep records a value left in place on purpose (a party's name in a court
// filing): verification must not take its words for a leak of a removed
// value that shares them (the surname of a minor).
func (pl *planner) keep(value string) {
	keys := ner.Fold(value)
	pl.kept[strings.Join(keys, " ")] = true
	for _, k := range keys {
		pl.kept[k] = true
	}
}

// verifyPhrases returns what the verify step must not find again: every
// removed value (and the identifying words of removed names), but not the
// values and name words kept on purpose.
func (pl *planner) verifyPhrases(texts []string) ([]ner.Phrase, []ner.Entity) {
	phs, from := ner.ValuePhrases(texts, pl.removed, pl.e.isCommon)
	var outPh []ner.Phrase
	var outEnt []ner.Entity
	for k, ph := range phs {
		if pl.kept[strings.Join(ph.Keys, " ")] {
			continue
		}
		outPh = append(outPh, ph)
		outEnt = append(outEnt, from[k].Entity)
	}
	return outPh, outEnt
}

func within(f ner.Finding, spans [][2]int) bool {
	for _, s := range spans {
		if f.Start >= s[0] && f.End <= s[1] {
			return true
		}
	}
	return false
}

var titleBefore = regexp.MustCompile(`(?:^|[^\pL\pN])(\pL+\.?)[ \t]+$`)

// titleStart moves start back over a title right before a name on the same
// line ("Dr. ", "Mrs "): all titles under TitlesDrop, those that identify
// under TitlesIdentifying. It never moves before floor.
func titleStart(text string, start, floor int, policy profiles.TitlePolicy) int {
	from := max(floor, start-24)
	m := titleBefore.FindStringSubmatchIndex(text[from:start])
	if m == nil {
		return start
	}
	word := text[from+m[2] : from+m[3]]
	title, identifies := profiles.IsTitle(word)
	// A title is capitalised: "her sister Elena" keeps "sister".
	if r, _ := utf8.DecodeRuneInString(word); !unicode.IsUpper(r) || !title || (policy == profiles.TitlesIdentifying && !identifies) {
		return start
	}
	return from + m[2]
}

// credentialRe matches credentials and name suffixes after a name
// (", PsyD", " Jr.", ", LCSW, MFT").
var credentialRe = regexp.MustCompile(`^(?:,?[ \t]+(?:Psy\.?D|Ph\.?D|M\.?D|Ed\.?D|DNP|APRN|PMHNP|NP|PA-C|RN|LPN|LCSW|LICSW|LMSW|LSW|MSW|LPC|LPCC|LMFT|LMHC|MFT|CADC|BCBA|MA|MS|MSc|MEd|Esq|Jr|Sr|II|III|IV)\b\.?)+`)

// credentialEnd moves end over credentials and name suffixes after a name.
func credentialEnd(text string, end int) int {
	if m := credentialRe.FindStringIndex(text[end:min(len(text), end+80)]); m != nil {
		return end + m[1]
	}
	return end
}

// dropSpace widens the span of a value that is dropped by one space, so
// that "call Maria today" becomes "call today", not "call  today".
func dropSpace(text string, start, end, floor int) (int, int) {
	if end < len(text) && text[end] == ' ' && (start == 0 || start > floor && (text[start-1] == ' ' || text[start-1] == '\n')) {
		return start, end + 1
	}
	if start > floor && text[start-1] == ' ' {
		return start - 1, end
	}
	return start, end
}

// denyRule is the rule id of deny list n (1-based) of Options.DenyLists.
func denyRule(n int) string { return fmt.Sprintf("deny-list/%d", n) }
