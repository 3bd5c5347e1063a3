package docx

import (
	"strings"

	"github.com/veilhq/veil/redactors"
)

// What Reparse takes from the input instead of scanning again.
//
// Verify parses every output again with this package's parser (the check
// that the written file reads as intended). Most entries of an output are
// the input's, copied byte for byte (Redact rewrites only the entries it
// changes): styles, theme, settings, font table, numbering. The scan of an
// entry is a function of its bytes, its index and role, and of what the
// scans before it left in the scanner; for an entry whose scan touched
// nothing but text streams of its own (named after it, created by it,
// written by no other scan: no relationship, override, table, author,
// emptied property or file path, no stream another entry writes), it is a
// function of its bytes, index and role alone, and so are the parts its
// streams give. Reparse takes those parts from the input for an entry of
// the output at the same index, with the same name and role, whose
// compressed bytes are the input entry's (Document.copied), and scans
// every other entry. TestReparseSameAsParse compares the parts and notes
// with Parse's over the fixtures and the OOXML corpus.

// noOwner marks a stream no single scan owns, and the scanner outside a
// scan.
const noOwner = -1

// entryScan is what one entry's scan did to the scanner.
type entryScan struct {
	streams []string // the streams it created, in order
	// shared: it wrote a stream it did not create, or a value whose
	// group is not the part's alone (authors, emptied properties, paths)
	shared bool
	// counts are the scanner's counters before the scan, then (done)
	// what the scan added to them
	counts                  scanCounts
	rels, overrides, tables int
	touched                 bool // it added relationships, overrides or tables
}

// scanCounts holds the scanner's note counters, in counters' order.
type scanCounts [22]int

// counters lists every note counter of the scanner, once: counts and
// addCounts read and write through it, and TestCountersListEveryCounter
// fails when a counter of the scanner is missing here.
func (s *scanner) counters() []*int {
	return []*int{&s.revisions, &s.xmlComments, &s.initials, &s.presence, &s.dates, &s.procInsts,
		&s.tags, &s.perms, &s.gfxdata, &s.customProps, &s.mailMerge, &s.fldData, &s.opaque, &s.strayText,
		&s.fontNames, &s.styleNames, &s.styleIDs, &s.styleOther, &s.themeNames, &s.xmlValues, &s.partNames, &s.catNames}
}

func (s *scanner) counts() scanCounts {
	var c scanCounts
	for k, p := range s.counters() {
		c[k] = *p
	}
	return c
}

func (s *scanner) addCounts(c scanCounts) {
	for k, p := range s.counters() {
		*p += c[k]
	}
}

// done records what the scan, now finished, added.
func (sc *entryScan) done(s *scanner) {
	c := s.counts()
	for k := range c {
		sc.counts[k] = c[k] - sc.counts[k]
	}
	sc.touched = len(s.rels) != sc.rels || len(s.overrides) != sc.overrides || len(s.tables) != sc.tables
}

// reusedPart is the part a stream gave in the input (ok false: none, the
// stream was empty).
type reusedPart struct {
	part   redactors.Part
	placed []placed
	ok     bool
}

// localScan is an entry of the input whose parts a Reparse may take.
type localScan struct {
	safe    string
	role    role
	streams []string
	parts   []*reusedPart // of each stream
	counts  scanCounts
}

// keepLocal records, after assemble, the entries whose scans were their
// own (see the top of this file); main is the main document, never taken
// (its stream is made before any scan).
func (d *Document) keepLocal(s *scanner, main int) {
	byName := make(map[string]int, len(d.parts))
	for k, p := range d.parts {
		byName[p.Name] = k
	}
	for i, sc := range s.scans {
		e := d.entries[i]
		if i == main || sc.shared || sc.touched || e.role != roleStory {
			continue
		}
		ls := &localScan{safe: e.safe, role: e.role, streams: sc.streams, counts: sc.counts}
		for _, name := range sc.streams {
			st := s.byName[name]
			if st == nil || st.owner != i || st.cell != nil || (name != e.safe && !strings.HasPrefix(name, e.safe+":")) {
				ls = nil
				break
			}
			rp := &reusedPart{}
			if k, ok := byName[name]; ok {
				rp = &reusedPart{part: d.parts[k], placed: d.placed[k], ok: true}
			}
			ls.parts = append(ls.parts, rp)
		}
		if ls != nil {
			if d.local == nil {
				d.local = map[int]*localScan{}
			}
			d.local[i] = ls
		}
	}
}

// reuse puts the streams of entry i, copied from prev, in s from prev's
// parts, if prev's scan of it was its own; false: scan it.
func (prev *Document) reuse(s *scanner, i int, e *entry) bool {
	if prev == nil || e.copiedFrom != i {
		return false
	}
	ls := prev.local[i]
	if ls == nil || ls.safe != e.safe || ls.role != e.role {
		return false
	}
	for _, name := range ls.streams {
		if s.byName[name] != nil {
			return false
		}
	}
	for k, name := range ls.streams {
		s.stream(name).reused = ls.parts[k]
	}
	s.addCounts(ls.counts)
	return true
}
