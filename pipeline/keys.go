package pipeline

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/gazetteer"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// File names and keys can identify as much as the text ("intake_Maria_
// Sandoval.docx"). Every key that reaches the output, the report or a log
// goes through redactKey: words the rule detectors flag, known given names
// and surnames that are not ordinary words, and any value redacted inside
// the document are replaced, as in the text, by the profile's action.

// Scores of findings that only file names get: a name word from the name
// lists, and a long digit run (record, account and case numbers have no
// context words in a path).
const (
	keyGazetteerScore = 0.6
	keyNumberScore    = 0.6
	keyNumberDigits   = 5
)

// keyText turns underscores, the one separator that regular expressions
// count as a word character, into spaces (same byte length), so that
// detectors see "maria_sandoval" as two words. Hyphens and dots stay: they
// are part of SSNs, dates and phone numbers.
func keyText(key string) string {
	return strings.ReplaceAll(key, "_", " ")
}

// detectKey returns the findings in a key. It ignores ctx's cancellation:
// a run that is stopping still reports the files it touched, and their
// keys must be redacted then too (a key is short; this is quick).
func (e *Engine) detectKey(ctx context.Context, key string) []ner.Finding {
	text := keyText(key)
	fs, err := e.keys.Detect(context.WithoutCancel(ctx), text)
	if err != nil {
		// The key detectors are rules and lists, which fail only on a
		// cancelled context; treat the whole key as identifying rather
		// than none of it.
		return []ner.Finding{{Start: 0, End: len(key) - len(path.Ext(key)), Entity: ner.ID, Score: 1, Rule: "pattern/key-undetectable"}}
	}
	ext := path.Ext(key)
	for _, w := range ner.Words(text) {
		if w.End > len(key)-len(ext) { // the extension is not a name
			continue
		}
		switch {
		case len(w.Key) >= 3 && gazetteer.IsName(w.Key) && !gazetteer.IsCommonWord(w.Key):
			fs = append(fs, ner.Finding{Start: w.Start, End: w.End, Entity: ner.Person, Score: keyGazetteerScore, Rule: "names/key-gazetteer"})
		case len(w.Key) >= keyNumberDigits && isDigits(w.Key):
			fs = append(fs, ner.Finding{Start: w.Start, End: w.End, Entity: ner.ID, Score: keyNumberScore, Rule: "pattern/key-number"})
		}
	}
	return ner.Resolve(e.filter(fs, text))
}

// redactKey returns the output key of d. An unchanged key is the file's
// source key; a redacted one is never the key of an object in the source
// (inSource, nil when there is no source to ask), so the two kinds cannot
// meet, whichever shard hands them out. An error from inSource leaves the
// key unchecked: the caller must not write the file.
func (e *Engine) redactKey(d *Doc, inSource func(string) (bool, error)) (string, error) {
	text := keyText(d.Key)
	fs := append([]ner.Finding(nil), d.keyFs...)
	if len(d.verifyPh) > 0 {
		for _, m := range ner.NewPhraseMatcher(d.verifyPh).FindAll(text) {
			fs = append(fs, ner.Finding{Start: m.Start, End: m.End, Entity: d.phraseEntity(m.Index), Score: 1, Rule: "propagated:document"})
		}
	}
	fs = ner.Resolve(fs)
	var b strings.Builder
	last := 0
	env := &profiles.Env{Case: e.cases, Keys: e.secrets, Year: e.year}
	for _, f := range fs {
		value := d.Key[f.Start:f.End]
		repl, changed := e.ruleFor(f, e.link(f, value)).Replace(value, "", env)
		if !changed {
			continue
		}
		b.WriteString(d.Key[last:f.Start])
		b.WriteString(fileSafe(repl))
		last = f.End
	}
	if ext := outputExt(d); ext != "" {
		// Written in another format (.msg as .eml): a new key, never a
		// source key.
		b.WriteString(d.Key[last:])
		k := b.String()
		return e.outKeys.unique(k[:len(k)-len(path.Ext(k))]+ext, inSource)
	}
	if last == 0 {
		// An unchanged key is a source key, which no redacted key takes
		// (inSource), so it is not remembered: memory stays independent
		// of the number of files. Taken already only when the source
		// changed since this name was handed out as a redacted key (by
		// an earlier attempt of a resumed run, ReserveKey): then it must
		// not overwrite that file's output.
		if e.outKeys.taken(d.Key) {
			return e.outKeys.unique(d.Key, inSource)
		}
		return d.Key, nil
	}
	b.WriteString(d.Key[last:])
	return e.outKeys.unique(b.String(), inSource)
}

// outputExt returns the extension a document's output takes when it is
// not its source's (redactors.OutputExtensioner), else "".
func outputExt(d *Doc) string {
	oe, ok := d.doc.(redactors.OutputExtensioner)
	if !ok || oe.OutputExtension() == "" || strings.EqualFold(oe.OutputExtension(), path.Ext(d.Key)) {
		return ""
	}
	return oe.OutputExtension()
}

// phraseEntity returns the entity of the redacted value behind verify
// phrase i.
func (d *Doc) phraseEntity(i int) ner.Entity {
	if i < len(d.verifyEnt) {
		return d.verifyEnt[i]
	}
	return ner.Person
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

// outKeys remembers the output keys of a run so that two files whose
// names redact alike ("notes_Person-A.txt") do not overwrite each other,
// nor a redacted name the file that has it in the source. Memory grows with
// the number of files whose names are redacted.
//
// When a run is split in shards that cannot see each other's keys, a shard
// hands out only names that belong to it by the function that splits the
// source (Shard.Has of the output name), so that two shards never hand out
// the same redacted key, whatever the names they start from. Unchanged keys
// are source keys, which no shard hands out as a redacted key.
type outKeys struct {
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
func (o *outKeys) unique(key string, inSource func(string) (bool, error)) (string, error) {
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

func (o *outKeys) taken(key string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.used[key]
}

func (o *outKeys) reserve(key string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.used == nil {
		o.used = map[string]bool{}
	}
	o.used[key] = true
}

// SetShard makes output keys of this engine distinct from those of the
// other shards of the run (see Shard). Call it before the first Plan.
func (e *Engine) SetShard(s Shard) {
	e.outKeys.mu.Lock()
	defer e.outKeys.mu.Unlock()
	if s.N > 1 {
		e.outKeys.shard = s
	}
}

// ReserveKey marks an output key as taken, so that Plan does not hand it
// out again: a resumed run reserves the redacted keys that its earlier
// attempts wrote.
func (e *Engine) ReserveKey(outKey string) { e.outKeys.reserve(outKey) }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// RedactLocation returns loc, a folder path or an s3:// URL given on the
// command line, with every word that the key detectors flag and the
// profile does not keep replaced by its entity name ("/cases/Maria_
// Sandoval" -> "/cases/PERSON"). The report shows locations this way: a
// folder named after a client is as identifying as a file. Unlike output
// keys, it gives no aliases (a location is not a person of the case).
func (e *Engine) RedactLocation(ctx context.Context, loc string) string {
	var b strings.Builder
	last := 0
	for _, f := range e.detectKey(ctx, loc) {
		if e.profile.For(f.Entity).Action == profiles.Keep {
			continue
		}
		b.WriteString(loc[last:f.Start])
		b.WriteString(fileSafe(string(f.Entity)))
		last = f.End
	}
	b.WriteString(loc[last:])
	return b.String()
}
