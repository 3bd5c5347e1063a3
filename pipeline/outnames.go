package pipeline

import (
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/filename"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// File names and keys can identify as much as the text ("intake_Maria_
// Sandoval.docx"). Every source key that reaches the output, the report or
// a log goes through outputKey: words the file-name detectors flag
// (ner/filename), and any value redacted inside the document, are
// replaced, as in the text, by the profile's action.

// outputKey returns the output key of d. An unchanged key is the file's
// source key; a redacted one is never the key of an object in the source
// (inSource, nil when there is no source to ask), so the two kinds cannot
// meet, whichever shard hands them out. An error from inSource leaves the
// key unchecked: the caller must not write the file.
func (p *planner) outputKey(d *Doc, inSource func(string) (bool, error)) (string, error) {
	text := filename.Text(d.SourceKey)
	fs := append([]ner.Finding(nil), d.nameFs...)
	if len(d.removed) > 0 {
		phrases, entities := removedNameForms(d)
		for _, m := range ner.NewPhraseMatcher(phrases).FindAll(text) {
			ent := entities[m.Index]
			if ent == ner.Other && filename.SequenceNumber(text[m.Start:m.End]) {
				// A number maximum recall took out of the text, no
				// rule: in the name it is the file's sequence number.
				continue
			}
			fs = append(fs, ner.Finding{Start: m.Start, End: m.End, Entity: ent, Score: 1, Rule: "propagated:document"})
		}
	}
	fs = append(fs, p.caseWordsInKey(text)...)
	fs = append(fs, p.casePeopleInKey(text)...)
	// The extension is the file's format: an output name keeps it.
	fs = ner.Resolve(filename.Stem(fs, d.SourceKey))
	var b strings.Builder
	last := 0
	env := &profiles.Env{Case: p.cases, Keys: p.secrets, Year: p.year}
	for _, f := range fs {
		value := d.SourceKey[f.Start:f.End]
		repl, changed := p.ruleFor(f, p.link(f, value)).Replace(value, "", env)
		if !changed {
			continue
		}
		b.WriteString(d.SourceKey[last:f.Start])
		b.WriteString(fileSafe(repl))
		last = f.End
	}
	out := d.SourceKey
	if last > 0 {
		b.WriteString(d.SourceKey[last:])
		out = b.String()
	}
	if ext := outputExt(d); ext != "" {
		// Written in another format (.msg as .eml): a new key, never a
		// source key.
		out = strings.TrimSuffix(out, path.Ext(out)) + ext
	}
	if out == d.SourceKey {
		// An unchanged key is a source key, which no redacted key takes
		// (inSource), so it is not remembered: memory stays independent
		// of the number of files. Taken already only when the source
		// changed since this name was handed out as a redacted key (by
		// an earlier attempt of a resumed run, ReserveKey): then it must
		// not overwrite that file's output.
		if !p.outputNames.taken(d.SourceKey) {
			return d.SourceKey, nil
		}
	}
	out, err := p.outputNames.unique(out, inSource)
	if err == nil {
		// Which source the redacted name came from, for the holder of
		// the key (the mapping file); never in the report.
		p.cases.RecordName(d.SourceKey, out)
	}
	return out, err
}

// caseKeyRule is the rule of a word of a key that is an ordinary English
// word and a name a person of the case holds (caseWordsInKey).
const caseKeyRule = "names/key-case"

// caseWordsInKey finds in a key (as filename.Text reads it) the words that
// the file-name detector leaves out because they are ordinary English
// words although the name lists hold them ("font", "grant":
// gazetteer.IsDictionaryWord), when a person of the case holds that word
// in her name: "d01-font.docx" keeps "font" unless the case names someone
// Font. The case is settled before the first plan, so the answer does not
// depend on the order of the files.
func (p *planner) caseWordsInKey(text string) []ner.Finding {
	var out []ner.Finding
	for _, w := range ner.Words(text) {
		if len(w.Key) < 3 || !gazetteer.IsName(w.Key) || gazetteer.IsCommonWord(w.Key) || !gazetteer.IsDictionaryWord(w.Key) {
			continue
		}
		if len(p.cases.Fits(string(ner.Person), w.Key, 1)) > 0 {
			out = append(out, ner.Finding{Start: w.Start, End: w.End, Entity: ner.Person, Score: filename.GazetteerScore, Rule: caseKeyRule})
		}
	}
	return out
}

// casePeopleInKey finds in a key (as filename.Text reads it) every word
// of a person's name in the case that is not a common word, a full name
// as one value: a folder's rename (made from the values removed from one
// file's text) applies to every key under that folder, written or
// quarantined, whatever the order of the files, and a refused file's own
// name loses the names the case holds (session "sidefix37": a refused
// file's key kept "Quillanby-notes/" that its written neighbour's key
// renamed). The case is settled before the first plan.
func (p *planner) casePeopleInKey(text string) []ner.Finding {
	if p.cases == nil {
		return nil
	}
	var out []ner.Finding
	ws := ner.Words(text)
	fits := func(i, j int) bool { // words i..j, one person's
		keys := make([]string, 0, j-i+1)
		for _, w := range ws[i : j+1] {
			keys = append(keys, w.Key)
		}
		return len(p.cases.Fits(string(ner.Person), strings.Join(keys, " "), 1)) > 0
	}
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		if len(w.Key) < 3 || gazetteer.IsCommonWord(w.Key) || !fits(i, i) {
			continue
		}
		// a full name is one value ("Orsolya Quillanby matter/"), as the
		// removed values make it
		j := i
		for j+1 < len(ws) && ws[j+1].Start-ws[j].End == 1 && strings.IndexByte(" _-.", text[ws[j].End]) >= 0 && fits(i, j+1) {
			j++
		}
		out = append(out, ner.Finding{Start: w.Start, End: ws[j].End, Entity: ner.Person, Score: 1, Rule: caseKeyRule})
		i = j
	}
	return out
}

// removedNameForms returns what a file name must not keep of the values
// removed from d's text, with the entity of each: every removed value,
// and for each removed person's name the forms file names give it
// ("msandoval", "SandovalM", "m.sandoval", "mariasandoval":
// filename.PersonForms).
func removedNameForms(d *Doc) ([]ner.Phrase, []ner.Entity) {
	phrases := append([]ner.Phrase(nil), d.removed...)
	entities := make([]ner.Entity, len(phrases))
	for i := range d.removed {
		entities[i] = d.removedEntityOf(i)
	}
	for i, ph := range d.removed {
		if entities[i] != ner.Person {
			continue
		}
		for _, f := range filename.PersonForms(ph.Keys) {
			phrases = append(phrases, f)
			entities = append(entities, ner.Person)
		}
	}
	return phrases, entities
}

// outputExt returns the extension a document's output takes when it is
// not its source's (redactors.OutputExtensioner), else "".
func outputExt(d *Doc) string {
	if d.convertedFrom != "" {
		return ".pdf"
	}
	oe, ok := d.doc.(redactors.OutputExtensioner)
	if !ok || oe.OutputExtension() == "" || strings.EqualFold(oe.OutputExtension(), path.Ext(d.SourceKey)) {
		return ""
	}
	return oe.OutputExtension()
}

// fileSafe keeps letters and digits of a replacement and turns the rest
// into single hyphens: "[PERSON]" -> "PERSON", "Person A" -> "Person-A".
func fileSafe(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if out == "" {
		return "REDACTED"
	}
	return out
}

// outputNames remembers the output keys of a run so that two files whose
// names redact alike ("notes_Person-A.txt") do not overwrite each other,
// nor a redacted name the file that has it in the source. Memory grows with
// the number of files whose names are redacted.
//
// When a run is split in shards that cannot see each other's keys, a shard
// hands out only names that belong to it by the function that splits the
// source (Shard.Has of the output name), so that two shards never hand out
// the same redacted key, whatever the names they start from. Unchanged keys
// are source keys, which no shard hands out as a redacted key.
type outputNames struct {
	mu    sync.Mutex
	used  map[string]bool
	next  map[string]int // per bare key, the first number not known to be taken
	shard Shard
}

// unique returns the first free name of key's series key, key-2, key-3…
// (before the extension) and marks it used. A name is free when it was not
// handed out or reserved, belongs to the shard, and inSource (if not nil)
// reports no source object under it. An error from inSource is returned
// with the name it was asked about, which is then not marked.
func (o *outputNames) unique(key string, inSource func(string) (bool, error)) (string, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.used == nil {
		o.used = map[string]bool{}
	}
	if o.next == nil {
		o.next = map[string]int{}
	}
	ext := path.Ext(key)
	base := strings.TrimSuffix(key, ext)
	for m := o.next[key]; ; m++ {
		out := key
		if m > 0 {
			out = base + "-" + strconv.Itoa(m+1) + ext
		}
		if o.used[out] || !o.shard.Has(out) {
			continue
		}
		if inSource != nil {
			exists, err := inSource(out)
			if err != nil {
				return out, fmt.Errorf("%w: cannot check whether the output name is taken in the source: %v", redactors.ErrRead, err)
			}
			if exists {
				continue
			}
		}
		// The names before m stay taken: used names stay used, and
		// one a source object had is at worst left free if the
		// object goes away during the run.
		o.next[key] = m + 1
		o.used[out] = true
		return out, nil
	}
}

func (o *outputNames) taken(key string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.used[key]
}

func (o *outputNames) reserve(key string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.used == nil {
		o.used = map[string]bool{}
	}
	o.used[key] = true
}

// setShard makes the names distinct from those of the other shards of
// the run (see Shard). Call it before the first unique.
func (o *outputNames) setShard(s Shard) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if s.N > 1 {
		o.shard = s
	}
}

// SetShard makes output keys of this engine distinct from those of the
// other shards of the run (see Shard). Call it before the first Plan.
func (e *Engine) SetShard(s Shard) { e.planner.outputNames.setShard(s) }

// ReserveKey marks an output key as taken, so that Plan does not hand it
// out again: a resumed run reserves the redacted keys that its earlier
// attempts wrote.
func (e *Engine) ReserveKey(outputKey string) { e.planner.outputNames.reserve(outputKey) }

// fileNameRule is the rule of a person's name found in a file name inside
// a file in a form file names give it (fileNameForms).
const fileNameRule = ner.PropagatedPrefix + "file-name"

// fileNameForms finds, in the parts of d that are file names inside the
// file (redactors.FileNamer: an e-mail attachment's name), the forms file
// names give the names of the people d names ("oquillanby_note.txt",
// "Quillanby-O.pdf", "orsolya.quillanby.docx": filename.PersonForms), as
// outputKey does in the object's own key. Each person is taken under every
// spelling the document gives it and the fullest the case knows of it, so
// that a document that calls her "Ms Quillanby" still finds "oquillanby". A form becomes a finding
// of that person (linked to it, so it gets the person's alias), merged in
// order into the part's findings; the extension is never part of one. It
// returns the number of forms found. Call it once the findings are linked
// (pl.ids) and before the roles are read.
func (pl *docPlan) fileNameForms() int {
	fn, ok := pl.d.doc.(redactors.FileNamer)
	if !ok {
		return 0
	}
	nameParts := fn.FileNameParts()
	if len(nameParts) == 0 {
		return 0
	}
	// each spelling once: the document's own, and the fullest the case
	// knows of the same person (the case may have merged a longer one)
	type spelling struct {
		name string
		id   profiles.PersonID
	}
	var spellings []spelling
	seenID := map[profiles.PersonID]bool{}
	for i, part := range pl.d.parts {
		for j, f := range pl.d.found[i] {
			id := pl.ids[i][j]
			if f.Entity != ner.Person || id < 0 {
				continue
			}
			spellings = append(spellings, spelling{part.Text[f.Start:f.End], id})
			if !seenID[id] {
				seenID[id] = true
				spellings = append(spellings, spelling{pl.p.cases.Canonical(id), id})
			}
		}
	}
	var phrases []ner.Phrase
	var owner []profiles.PersonID
	seen := map[string]bool{}
	for _, sp := range spellings {
		var keys []string
		for _, w := range ner.Words(profiles.Identity(sp.name)) {
			keys = append(keys, w.Key)
		}
		if len(keys) < 2 {
			continue
		}
		for _, ph := range append([]ner.Phrase{{Keys: keys}}, filename.PersonForms(keys)...) {
			if k := strings.Join(ph.Keys, " "); !seen[k] {
				seen[k] = true
				phrases = append(phrases, ph)
				owner = append(owner, sp.id)
			}
		}
	}
	if len(phrases) == 0 {
		return 0
	}
	m := ner.NewPhraseMatcher(phrases)
	n := 0
	for _, i := range nameParts {
		if i < 0 || i >= len(pl.d.parts) {
			continue
		}
		text := pl.d.parts[i].Text
		var add []ner.Finding
		var addIDs []profiles.PersonID
		for _, mt := range m.FindAll(text) {
			fs := filename.Stem([]ner.Finding{{Start: mt.Start, End: mt.End, Entity: ner.Person, Score: 1, Rule: fileNameRule}}, text)
			if len(fs) == 0 || coveredBy(pl.d.found[i], fs[0]) || coveredBy(add, fs[0]) {
				continue
			}
			add = append(add, fs[0])
			addIDs = append(addIDs, owner[mt.Index])
		}
		if len(add) > 0 {
			n += len(add)
			pl.mergeFindings(i, add, addIDs)
		}
	}
	return n
}

// coveredBy reports whether a person's finding of fs covers f.
func coveredBy(fs []ner.Finding, f ner.Finding) bool {
	for _, g := range fs {
		if g.Entity == ner.Person && g.Start <= f.Start && g.End >= f.End {
			return true
		}
	}
	return false
}

// mergeFindings adds findings add (linked to ids) to part i's findings,
// in the order the plan reads them (by start, the longer first), and
// moves the role cues' indices (d.clients, d.minors) with them. The
// part's slices are copied: an analysis kept for a second pass may share
// them.
func (pl *docPlan) mergeFindings(i int, add []ner.Finding, ids []profiles.PersonID) {
	d := pl.d
	type item struct {
		f   ner.Finding
		id  profiles.PersonID
		old int // index in the part's findings, -1 for an added one
	}
	items := make([]item, 0, len(d.found[i])+len(add))
	for j, f := range d.found[i] {
		items = append(items, item{f, pl.ids[i][j], j})
	}
	for k, f := range add {
		items = append(items, item{f, ids[k], -1})
	}
	sort.SliceStable(items, func(a, b int) bool {
		fa, fb := items[a].f, items[b].f
		if fa.Start != fb.Start {
			return fa.Start < fb.Start
		}
		return fa.End > fb.End
	})
	found := make([]ner.Finding, len(items))
	pids := make([]profiles.PersonID, len(items))
	moved := make([]int, len(d.found[i]))
	for k, it := range items {
		found[k], pids[k] = it.f, it.id
		if it.old >= 0 {
			moved[it.old] = k
		}
	}
	found2 := append([][]ner.Finding(nil), d.found...)
	found2[i] = found
	d.found = found2
	pl.ids[i] = pids
	remap := func(cues [][]int) [][]int {
		if i >= len(cues) || len(cues[i]) == 0 {
			return cues
		}
		out := append([][]int(nil), cues...)
		out[i] = make([]int, len(cues[i]))
		for k, j := range cues[i] {
			out[i][k] = moved[j]
		}
		return out
	}
	d.clients, d.minors = remap(d.clients), remap(d.minors)
}
