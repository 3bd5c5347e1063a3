package pipeline

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/ner/roles"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// planner is the second stage: document by document, in source-key order,
// it decides what replaces each finding. It holds what lasts across the
// files of a run: the case table (which names are one person, their
// aliases and roles), the secrets that keyed pseudonyms and date shifts
// are made with, the output keys handed out and the Bates counter. It is
// the only unit that changes them.
//
// plan must be called from one goroutine, in source-key order, for aliases
// and numbers to be deterministic; the case table and output names are
// safe for concurrent use by the other stages.
type planner struct {
	profile *profiles.Profile
	// cases is the case table (Options.Case), of the case caseKey
	// (RunConfig.CaseBy); the plan goroutine changes them between cases
	// (useCase) under caseMu, and reads them without it. renamedBefore
	// counts the file names the tables of earlier cases redacted.
	cases         *profiles.Case
	caseKey       string
	caseMu        sync.Mutex
	renamedBefore int
	// secrets are the key file's secrets (Options.Secrets); nil without
	// --key-file.
	secrets *profiles.Keys
	year    int
	// denyLists are the deny lists with their own label and basis, by
	// rule id; denyTerms every deny-list term when the profile redacts
	// CUSTOM_TERM, for verification.
	denyLists map[string]DenyList
	denyTerms []ner.Phrase
	minors    []string    // identities of the --minors list
	roles     *roles.Cues // words that mark the roles (profiles.DefaultContext or the profile's)
	isCommon  func(string) bool
	// outputNames are the output keys handed out (outnames.go).
	outputNames outputNames
	bates       *batesCounter // nil without Bates numbering
	// office converts DOCX to PDF pages under Bates numbering (nil when
	// LibreOffice is missing: such files are refused); verify is the
	// engine's verification of a redacted output (convert.go).
	office converter
	verify func(ctx context.Context, f redactors.Format, out []byte, in *verifyInput) error
	// production is the volume being written (nil: none).
	production *Production
	// decisions are a reviewer's decisions (decisions.go); nil without.
	decisions *decisionSet
}

func newPlanner(o Options) (*planner, error) {
	p := &planner{
		profile:   o.Profile,
		cases:     o.Case,
		secrets:   o.Secrets,
		year:      o.Year,
		denyLists: map[string]DenyList{},
		roles:     roles.New(roleWords(o.Profile, profiles.Client), roleWords(o.Profile, profiles.Minor), isTitle),
		isCommon:  gazetteer.IsCommonWord,
	}
	if p.cases == nil {
		p.cases = profiles.NewCase()
	}
	for _, m := range ner.CleanTerms(o.Minors) {
		if id := profiles.Identity(m); id != "" {
			p.minors = append(p.minors, id)
		}
	}
	if o.Decisions != nil {
		ds, err := compileDecisions(o.Decisions, o.Profile)
		if err != nil {
			return nil, err
		}
		p.decisions = ds
	}
	if o.Bates != nil {
		if err := o.Bates.Validate(); err != nil {
			return nil, err
		}
		p.bates = &batesCounter{cfg: *o.Bates, next: o.Bates.Start, native: o.Production != nil}
	}
	p.production = o.Production
	for i, dl := range o.DenyLists {
		p.denyLists[denyRule(i+1)] = dl
	}
	if o.Profile.Redacts(ner.Custom) {
		all := append([]string(nil), o.DenyList...)
		for _, dl := range o.DenyLists {
			all = append(all, dl.Terms...)
		}
		p.denyTerms = ner.TermPhrases(all)
	}
	return p, nil
}

// roleWords returns the words that mark role r: the profile's role rule's
// context, or the defaults.
func roleWords(p *profiles.Profile, r profiles.Role) []string {
	if rule, ok := p.ForRole(r); ok {
		return rule.Context
	}
	return profiles.DefaultContext(r)
}

// isTitle reports whether a word is a title ("Dr.", "Mrs").
func isTitle(w string) bool {
	title, _ := profiles.IsTitle(w)
	return title
}

// plan decides every replacement and alias of d, numbers its pages and
// names its output. inSource reports whether a key names a source object
// (see outputKey); nil when there is no source to ask.
func (p *planner) plan(ctx context.Context, d *Doc, inSource func(string) (bool, error)) {
	if d.err == nil {
		d.err = catch(func() error { p.edits(d); return nil })
	}
	if d.err == nil && p.bates != nil && converts(d.format) {
		d.err = catch(func() error { return p.toPDF(ctx, d) })
	}
	if d.err == nil && p.bates != nil {
		d.err = catch(func() error { return p.stamp(d) })
	}
	var err error
	d.outputKey, err = p.outputKey(d, inSource)
	if err != nil && d.err == nil {
		d.err = err
	}
	if d.err == nil {
		d.place = p.production.place(d)
	}
}

// edits decides the edits and change records of d, and what verification
// must not find again.
func (p *planner) edits(d *Doc) {
	if p.decisions != nil {
		d.decided = p.decisions.apply(d, p.isCommon)
	}
	var texts []string
	for _, part := range d.parts {
		texts = append(texts, part.Text)
	}
	dp := p.newDocPlan(d)
	repls := map[string]bool{}
	for i, part := range d.parts {
		delta := 0
		for _, x := range dp.part(i) {
			ed := x.edit
			d.edits = append(d.edits, ed)
			d.sources = append(d.sources, x.f)
			d.decided.count(x.f, part.Text)
			outStart := ed.Start + delta
			delta += len(ed.Replacement) - (ed.End - ed.Start)
			log := x.rule.LogText()
			d.changes = append(d.changes, report.Change{
				Part: part.Name, Page: part.Page, Start: outStart, End: outStart + len(ed.Replacement),
				Entity: string(x.f.Entity), Rule: x.f.Rule, Score: round2(x.f.Score),
				Action: string(x.rule.Action), Replacement: ed.Replacement, Basis: x.rule.Basis,
				Category: log.Category, Reason: log.Reason, Location: locate(d.doc, i, part, ed.Start),
				Privileged: x.rule.Privileged, Privilege: x.rule.Privilege,
			})
			repls[ed.Replacement] = true
		}
	}
	if residualsWanted(p.profile) { // residual.go
		// Found later, in the parallel stage (Doc.keepResiduals): they
		// depend on the texts and the edits only.
		spans := make([][][2]int, len(d.parts))
		for _, ed := range d.edits {
			spans[ed.Part] = append(spans[ed.Part], [2]int{ed.Start, ed.End})
		}
		d.residualsIn = &residualInput{texts: texts, spans: spans}
	}
	d.counts = map[string]int{}
	for _, fs := range d.found {
		for _, f := range fs {
			d.counts[string(f.Entity)]++
		}
	}
	// What the verify step must not find again: every removed value.
	d.removed, d.removedEntity = dp.verifyPhrases(texts)
	d.denyTerms = p.denyTerms
	for r := range repls {
		d.repls = append(d.repls, r)
	}
	sort.Slice(d.repls, func(i, j int) bool {
		if len(d.repls[i]) != len(d.repls[j]) {
			return len(d.repls[i]) > len(d.repls[j])
		}
		return d.repls[i] < d.repls[j]
	})
}

// stamp gives the document's pages their Bates numbers and puts them in
// the changes.
func (p *planner) stamp(d *Doc) error {
	labels, err := p.bates.assign(d)
	if err != nil || labels == nil {
		return err
	}
	d.bates = labels
	_, paged := d.doc.(redactors.Stamper)
	for i := range d.changes {
		switch pg := d.changes[i].Page; {
		case !paged:
			d.changes[i].Bates = labels[0] // a native's one number
		case pg >= 1 && pg <= len(labels):
			d.changes[i].Bates = labels[pg-1]
		}
	}
	return nil
}

// docPlan decides the edits of one document. Before it names anyone it
// links every name of the document to a person of the case and reads the
// roles around them, so that "Ms Sandoval" before "Maria Sandoval" gets the
// same alias, pseudonym or initials, and a client mentioned as such only on
// page 3 is the client on page 1 too.
type docPlan struct {
	p   *planner
	d   *Doc
	env *profiles.Env
	ids [][]profiles.PersonID // per part and finding; -1 when not linked
	// removed are the findings whose values the output no longer holds;
	// kept are the folded values (and name words) left in place on purpose.
	removed [][]ner.Finding
	kept    map[string]bool
	// rowSubject is the subject of each table row that names a person
	// (rows.go): the dates of a row are that person's.
	rowSubject map[rowKey]string
}

// planned is one edit and what it came from.
type planned struct {
	edit redactors.Edit
	f    ner.Finding
	rule profiles.Rule
}

func (p *planner) newDocPlan(d *Doc) *docPlan {
	pl := &docPlan{
		p: p, d: d,
		env:     &profiles.Env{Case: p.cases, Keys: p.secrets, Year: p.year},
		ids:     make([][]profiles.PersonID, len(d.parts)),
		removed: make([][]ner.Finding, len(d.parts)),
		kept:    map[string]bool{},
	}
	// 1. Who is who.
	for i, part := range d.parts {
		pl.ids[i] = make([]profiles.PersonID, len(d.found[i]))
		for j, f := range d.found[i] {
			pl.ids[i][j] = p.link(f, part.Text[f.Start:f.End])
		}
	}
	pl.nameInFull()
	// A person's name in an attachment's file name, in the forms file
	// names give it (outnames.go).
	if n := pl.fileNameForms(); n > 0 {
		what := "forms of a person's name"
		if n == 1 {
			what = "form of a person's name"
		}
		d.notes = append(d.notes, strconv.Itoa(n)+" "+what+" found in file names inside the file")
	}
	// 2. Roles: the cues were read by Analyze (in parallel), unless the
	// document comes from elsewhere.
	if !d.cued {
		d.clients, d.minors = readRoles(p.roles, d.parts, d.found, pl.env.RefYear())
		d.cued = true
	}
	for i := range d.parts {
		for _, j := range d.clients[i] {
			if id := pl.ids[i][j]; id >= 0 {
				p.cases.AddRole(id, profiles.Client)
			}
		}
		if len(p.minors) > 0 {
			for j, f := range d.found[i] {
				if id := pl.ids[i][j]; f.Entity == ner.Person && id >= 0 {
					for _, m := range p.minors {
						if p.cases.Matches(id, m) {
							p.cases.AddRole(id, profiles.Minor)
						}
					}
				}
			}
		}
		for _, j := range d.minors[i] {
			if pl.ids[i][j] >= 0 {
				p.cases.AddRole(pl.ids[i][j], profiles.Minor)
			}
		}
	}
	// 3. Whose dates these are: the first client of the document.
	for i := range d.parts {
		for j, f := range d.found[i] {
			if id := pl.ids[i][j]; pl.env.Subject == "" && f.Entity == ner.Person && id >= 0 && p.cases.HasRole(id, profiles.Client) {
				pl.env.Subject = profiles.SubjectKey(p.cases.Canonical(id))
			}
		}
	}
	// 4. Whose dates the rows of a table are (rows.go).
	pl.bindRows()
	return pl
}

// nameInFull links a name that fits several people of the case (a
// surname that relatives share: "Ms Dunmore" when the case knows Corinne
// and Gregory Dunmore), and is therefore a person of its own there: to
// the client, when exactly one of them is the client (a note calls its
// client "Ms Dunmore" and her relatives by name), else to the one person
// the document names in full, when it names exactly one of them (in a
// letter about Gregory alone, "Mr Dunmore" is Gregory). An initial must
// fit: "C. Dunmore" is never Gregory. The case links without looking at
// documents (the same in every order of the files); this reads the case
// and one document, so it does not depend on the order either.
func (pl *docPlan) nameInFull() {
	type mention struct {
		i, j     int
		ident    string
		words    []string
		initials []string
	}
	cases := pl.p.cases
	var ms []mention
	inDoc := map[profiles.PersonID]bool{}
	for i, part := range pl.d.parts {
		for j, f := range pl.d.found[i] {
			id := pl.ids[i][j]
			if id < 0 || f.Entity != ner.Person {
				continue
			}
			inDoc[id] = true
			ident := profiles.Identity(part.Text[f.Start:f.End])
			m := mention{i: i, j: j, ident: ident, words: strings.Fields(profiles.SubjectKey(ident))}
			for _, w := range strings.Fields(ident) {
				if r := []rune(strings.Trim(w, ".")); len(r) == 1 && unicode.IsLetter(r[0]) {
					m.initials = append(m.initials, string(unicode.ToLower(r[0])))
				}
			}
			ms = append(ms, m)
		}
	}
	const maxFits = 16 // people of a case who share a name
	for _, m := range ms {
		id := pl.ids[m.i][m.j]
		if len(m.words) == 0 || len(strings.Fields(profiles.SubjectKey(cases.Canonical(id)))) > len(m.words) {
			continue // linked to a person named more fully: decided
		}
		fits := cases.Fits(string(ner.Person), m.ident, maxFits)
		if len(fits) == maxFits {
			continue
		}
		client, clients, named, inFull := profiles.PersonID(-1), 0, profiles.PersonID(-1), 0
		for _, cand := range fits {
			canon := cases.Canonical(cand)
			if cand == id || len(strings.Fields(profiles.SubjectKey(canon))) <= len(m.words) || !initialsFit(m.initials, canon) {
				continue
			}
			if cases.HasRole(cand, profiles.Client) {
				client, clients = cand, clients+1
			}
			if inDoc[cand] {
				named, inFull = cand, inFull+1
			}
		}
		switch {
		case clients == 1:
			pl.ids[m.i][m.j] = client
		case inFull == 1:
			pl.ids[m.i][m.j] = named
		}
	}
}

// initialsFit reports whether every initial starts a word of name.
func initialsFit(initials []string, name string) bool {
	for _, in := range initials {
		ok := false
		for _, w := range strings.Fields(name) {
			ok = ok || strings.HasPrefix(strings.ToLower(w), in)
		}
		if !ok {
			return false
		}
	}
	return true
}

// link returns the person a finding names, or -1 for findings whose rule
// does not work per person.
func (p *planner) link(f ner.Finding, value string) profiles.PersonID {
	if f.Entity != ner.Person && !perPerson(p.profile.For(f.Entity).Action) {
		return -1
	}
	ident := profiles.Identity(value)
	if ident == "" {
		return -1
	}
	return p.cases.Link(string(f.Entity), ident)
}

func perPerson(a profiles.Action) bool {
	return a == profiles.Alias || a == profiles.Pseudonym || a == profiles.Initials
}

// ruleFor returns the rule for a finding: a role rule for a person with
// that role (the profile's first matching role rule), the profile's rule
// for the entity otherwise, with a deny list's own label and basis.
func (p *planner) ruleFor(f ner.Finding, id profiles.PersonID) profiles.Rule {
	if f.Entity == ner.Person && id >= 0 {
		for _, r := range p.profile.RoleRules() {
			if p.cases.HasRole(id, r.Role) {
				return r
			}
		}
	}
	r := p.profile.For(f.Entity)
	if f.Entity == ner.Custom {
		if dl, ok := p.denyLists[strings.TrimPrefix(f.Rule, ner.PropagatedPrefix)]; ok {
			r = r.ForTermList(dl)
		}
	}
	return r
}

// part returns the edits of part i, in order.
func (pl *docPlan) part(i int) []planned {
	text := pl.d.parts[i].Text
	fs := pl.d.found[i]
	var out []planned
	prevEnd := 0
	env := pl.envFor(i) // rows.go
	for j := 0; j < len(fs); j++ {
		f := fs[j]
		value := text[f.Start:f.End]
		rule := pl.p.ruleFor(f, pl.ids[i][j])
		if f.Rule == columnRule {
			rule = pl.p.columnRuleFor(pl.d.parts[i], rule) // columns.go
		}
		ident := "" // the value's own, or the person's it was linked to (nameInFull)
		if id := pl.ids[i][j]; id >= 0 {
			ident = pl.p.cases.Canonical(id)
		}
		repl, changed := rule.Replace(value, ident, env)
		if !changed {
			pl.keep(value)
			pl.d.kept = append(pl.d.kept, partFinding{Part: i, Finding: f})
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
						if cr, ch := pl.p.ruleFor(g, pl.ids[i][k]).Replace(text[g.Start:g.End], "", env); ch {
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
func (pl *docPlan) keep(value string) {
	keys := ner.Fold(value)
	pl.kept[strings.Join(keys, " ")] = true
	for _, k := range keys {
		pl.kept[k] = true
	}
}

// verifyPhrases returns what the verify step must not find again: every
// removed value (and the identifying words of removed names), but not the
// values and name words kept on purpose.
func (pl *docPlan) verifyPhrases(texts []string) ([]ner.Phrase, []ner.Entity) {
	phs, from := ner.ValuePhrases(texts, pl.removed, pl.p.isCommon)
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
