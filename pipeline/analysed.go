package pipeline

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"
	"unsafe"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/redactors"
)

// The first pass over a case (gather.go) analyses every file to learn who
// is who, and the second pass analyses each again before planning it: the
// same detection twice, a third of a run's CPU time on text. analysedDocs
// keeps what the first pass's analyses found for the second, in a compact
// form (analysis): the findings of every part (offsets, entity, score,
// rule), those in the file's name, the role cues and the document's date;
// never the texts, the parsed document or the input. The second pass reads
// the file again, as it always does, parses it again (for a text format a
// check and a copy of its bytes, a few milliseconds per MB, against the
// detection's seconds) and takes the findings instead of detecting.
//
// Memory: what is held is counted (analysis.held: the findings at their
// size in memory, the slices' headers, the strings of the date and the
// key, a fixed cost per file for the map entry and the struct), every
// distinct rule string once (put interns them: a propagated finding's
// rule is a string of its own), and the store holds at most analysedMax
// of it; the files over it are analysed again, as before. Allocation
// rounding and the map's own growth are not counted: on 4,972 court
// judgments (20.1 MB, 143,924 findings) the count is 9.3 MiB and dropping
// the store frees 10.7 MiB of heap, so the bound of 64 MiB counted is
// about 75 MiB of heap, the analyses of some 130 MB of judgments.
//
// An analysis depends on the file's bytes only (never on the case table,
// which the first pass is building), so the second pass takes a kept one
// only for a file whose bytes, read again, have the same SHA-256; a file
// that changed between the passes is analysed again, and so is one whose
// new parse does not have the parts the findings were made in (which a
// deterministic parser never gives; the check costs nothing). Only
// analyses that completed without error within the file's budget are
// kept: a failure (a parse error, a detector cut short) is met again,
// with its own reason and budget, in the second pass.
//
// Only analyses of text formats are kept (analysedFormats): their parse
// is a copy of the bytes, where parsing a PDF, DOCX, workbook, email or
// image again is a large part of its analysis (and an image's is OCR).
const analysedMax = 64 << 20

// analysedFormats are the names of the formats whose analyses are kept.
var analysedFormats = map[string]bool{"text": true, "markdown": true, "csv": true, "tsv": true}

// analysedDocs is a bounded store of first-pass analyses by source key,
// safe for concurrent use. The zero value is ready.
type analysedDocs struct {
	mu    sync.Mutex
	docs  map[string]*analysis
	bytes int64             // held bytes of the analyses (analysis.held) and of strs
	strs  map[string]string // the rule and entity strings of the findings held, interned
}

// analysis is the compact form of a first-pass analysis (see analysedDocs)
// with what it cost the file's budget (RunConfig.budget): the time it
// took, and the time the pages its OCR read added. The second pass counts
// both as if it had analysed the file itself, so that a file's budget is
// the same either way.
type analysis struct {
	size    int64
	sum     [sha256.Size]byte
	format  redactors.Format
	found   [][]ner.Finding
	nameFs  []ner.Finding
	date    string
	clients [][]int
	minors  [][]int
	// spent and grown are the analysis's cost (see above); held is the
	// memory it is counted for.
	spent, grown time.Duration
	held         int64
}

// Sizes counted for the memory bound (see analysedDocs).
const (
	findingSize = int64(unsafe.Sizeof(ner.Finding{}))
	sliceSize   = int64(unsafe.Sizeof([]int(nil)))
	intSize     = int64(unsafe.Sizeof(int(0)))
	// perAnalysis is the struct, its map entry and the pointer to it.
	perAnalysis = int64(unsafe.Sizeof(analysis{})) + 64
)

// put keeps the compact form of d, the first pass's analysis of its
// source key, which took spent and whose OCR pages added grown to the
// budget, if the store's budget allows. d's role cues must have been read
// (Doc.cued; Gather does).
func (a *analysedDocs) put(d *Doc, spent, grown time.Duration) {
	if d == nil || d.err != nil || !d.cued || d.format == nil || !analysedFormats[d.format.Name()] ||
		len(d.clients) != len(d.found) || len(d.minors) != len(d.found) {
		return
	}
	held := perAnalysis + int64(len(d.SourceKey)+len(d.date)) + 3*sliceSize*int64(len(d.found)) + findingSize*int64(len(d.nameFs))
	n := 0
	for i := range d.found {
		n += len(d.found[i])
		held += intSize * int64(len(d.clients[i])+len(d.minors[i]))
	}
	held += findingSize * int64(n)
	a.mu.Lock()
	defer a.mu.Unlock()
	if old, ok := a.docs[d.SourceKey]; ok {
		delete(a.docs, d.SourceKey)
		a.bytes -= old.held
	}
	if a.bytes+held > analysedMax {
		return
	}
	if a.docs == nil {
		a.docs, a.strs = map[string]*analysis{}, map[string]string{}
	}
	// One backing array for the findings of every part, each part's
	// slice at its full capacity (an append reallocates), so that the
	// analysis's own slices, with their spare capacity, are let go.
	all := make([]ner.Finding, 0, n)
	found := make([][]ner.Finding, len(d.found))
	for i, fs := range d.found {
		if fs == nil {
			continue // nil as it was: the Doc is the one Analyze made
		}
		k := len(all)
		for _, f := range fs {
			f.Rule, f.Entity = a.intern(f.Rule), ner.Entity(a.intern(string(f.Entity)))
			all = append(all, f)
		}
		found[i] = all[k:len(all):len(all)]
	}
	var nameFs []ner.Finding
	if d.nameFs != nil {
		nameFs = append(make([]ner.Finding, 0, len(d.nameFs)), d.nameFs...)
	}
	for i := range nameFs {
		nameFs[i].Rule, nameFs[i].Entity = a.intern(nameFs[i].Rule), ner.Entity(a.intern(string(nameFs[i].Entity)))
	}
	a.docs[d.SourceKey] = &analysis{size: d.Size, sum: d.sum, format: d.format, found: found, nameFs: nameFs,
		date: d.date, clients: clipped(d.clients), minors: clipped(d.minors), spent: spent, grown: grown, held: held}
	a.bytes += held
}

// intern returns the held copy of s, adding it (and counting it) when new.
// Call it with a.mu held.
func (a *analysedDocs) intern(s string) string {
	if t, ok := a.strs[s]; ok {
		return t
	}
	a.strs[s] = s
	a.bytes += int64(len(s)) + 2*int64(unsafe.Sizeof(s))
	return s
}

// clipped returns a copy of idx with every slice at its length (nil
// where it was nil).
func clipped(idx [][]int) [][]int {
	if idx == nil {
		return nil
	}
	out := make([][]int, len(idx))
	for i, x := range idx {
		if x != nil {
			out[i] = append(make([]int, 0, len(x)), x...)
		}
	}
	return out
}

// take returns and forgets the kept analysis of key as a Doc, as
// Engine.Analyze would have made it, if data is the input it was made
// from and parses again into the parts it was made in; ok is false
// otherwise (the file must be analysed). spent and grown are the cost
// of the first pass's analysis; the parse is ctx's.
func (a *analysedDocs) take(ctx context.Context, key string, data []byte) (d *Doc, spent, grown time.Duration, ok bool) {
	return a.takeSummed(ctx, key, data, nil)
}

// takeSummed is take for data whose SHA-256 is known (sum, not nil): the
// sum keptInputs.put computed of the bytes it kept, which it compares
// with the analysis's instead of hashing data again. nil: take.
func (a *analysedDocs) takeSummed(ctx context.Context, key string, data []byte, sum *[sha256.Size]byte) (d *Doc, spent, grown time.Duration, ok bool) {
	an, ok := a.drop(key)
	if !ok || an.size != int64(len(data)) {
		return nil, 0, 0, false
	}
	if sum == nil {
		s := sha256.Sum256(data)
		sum = &s
	}
	if an.sum != *sum {
		return nil, 0, 0, false
	}
	doc, err := redactors.Parse(ctx, an.format, data)
	if err != nil {
		return nil, 0, 0, false
	}
	parts := doc.Parts()
	if len(parts) != len(an.found) {
		return nil, 0, 0, false
	}
	for i, fs := range an.found {
		for _, f := range fs {
			if f.Start < 0 || f.End > len(parts[i].Text) || f.Start > f.End {
				return nil, 0, 0, false
			}
		}
	}
	d = &Doc{SourceKey: key, Size: an.size, sum: an.sum, format: an.format, doc: doc, parts: parts, found: an.found,
		nameFs: an.nameFs, date: an.date, clients: an.clients, minors: an.minors, cued: true}
	return d, an.spent, an.grown, true
}

// drop forgets the kept analysis of key (a file the second pass does not
// analyse: finished by an earlier attempt) and returns it.
func (a *analysedDocs) drop(key string) (*analysis, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	an, ok := a.docs[key]
	if !ok {
		return nil, false
	}
	delete(a.docs, key)
	a.bytes -= an.held
	return an, true
}
