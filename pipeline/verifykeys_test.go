package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// An entry the redactor copies as it was, byte for byte the same in every
// file of a batch (a template's part), may hold a value removed elsewhere
// in one file: verify's search of the removed values covers it whatever
// it read of the entry before. Here the value is an element's name in a
// part of its own, which neither the redactor nor the independent
// reading reads as text (only zipview's view of the element names
// does): the first file, whose body names another person, is written
// with the part as it was, and its reading fills verify's cache of word
// keys; the second, whose body names her, is refused on the same part
// (named by its place, never the value), by a fresh engine and by the one whose cache
// holds the part's keys (read twice before) alike.
func TestVerifyCopiedEntryHoldsRemovedValue(t *testing.T) {
	p, _ := profiles.Load("supervision")
	var items strings.Builder
	for i := 0; i < 40; i++ {
		items.WriteString(`<x:item/>`) // the views of the part long enough to be cached
	}
	part := docxtest.File{Name: "word/casedata.xml", Data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<x:data xmlns:x="urn:example:casedata">` + items.String() + `<x:Odile.Brannigan/></x:data>`}
	doc := func(body string) []byte {
		return docxtest.Doc{Body: docxtest.P(body), Files: []docxtest.File{part}}.Build()
	}
	plain := doc("Intake note, first session with Lionel Farquhar. Sleep has improved.")
	named := doc("Intake note, first session with Odile Brannigan. Sleep has improved.")
	formats := redactors.NewRegistry(docx.New(docx.Options{}))

	warm, err := NewEngine(Options{Profile: p, NoNER: true, Formats: formats})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := NewEngine(Options{Profile: p, NoNER: true, Formats: formats})
	if err != nil {
		t.Fatal(err)
	}
	// Twice: the cache keeps the keys of a text from its second reading.
	warm.Redact(context.Background(), "a0.docx", plain)
	out, rec := warm.Redact(context.Background(), "a.docx", plain)
	if out == nil || !strings.Contains(string(docxtest.Entry(t, out, "word/casedata.xml")), "Odile.Brannigan") {
		t.Fatalf("the file that does not name her: status %s %s (%s), part kept %v", rec.Status, rec.Reason, rec.Detail, out != nil)
	}
	if !warm.verifier.keys.holdsKeys() {
		t.Fatal("verify cached no word keys: the test does not reach the cache")
	}
	for name, e := range map[string]*Engine{"engine whose cache holds the part": warm, "fresh engine": fresh} {
		out, rec := e.Redact(context.Background(), "b.docx", named)
		if out != nil || rec.Reason != "verify_failed" {
			t.Errorf("%s: status %s %s (%s), want verify_failed", name, rec.Status, rec.Reason, rec.Detail)
			continue
		}
		// The part is named by its place (its name is not one Word
		// writes), the value never.
		if !strings.Contains(rec.Detail, "raw content (zip entry 6)") || strings.Contains(rec.Detail, "Brannigan") {
			t.Errorf("%s: detail %q", name, rec.Detail)
		}
	}
}

// holdsKeys reports whether the cache holds the keys of some text.
func (c *keyCache) holdsKeys() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, ks := range c.m {
		if ks != nil {
			return true
		}
	}
	return false
}

// A text is searched directly the first time, and answered from its keys
// from the second: the keys are made once, and both answers agree with
// FindAll.
func TestKeyCacheSecondSight(t *testing.T) {
	c := &keyCache{}
	removed := ner.NewPhraseMatcher([]ner.Phrase{{Keys: ner.Fold("Odile Brannigan")}})
	hit := strings.Repeat("plain words of a template part ", 10) + "Odile Brannigan"
	miss := strings.Repeat("plain words of a template part ", 10)
	for round := 0; round < 3; round++ {
		if !c.mayMatch(removed, hit) {
			t.Errorf("round %d: a text holding the value may not match", round)
		}
		got := c.mayMatch(removed, miss)
		if want := round == 0; got != want { // the first time, searched directly
			t.Errorf("round %d: mayMatch of a text without the value = %v, want %v", round, got, want)
		}
	}
	if want := len(ner.KeysOf(hit)) + len(ner.KeysOf(miss)); c.size != want {
		t.Errorf("cache counts %d keys, want %d (the keys of both texts)", c.size, want)
	}
	if !c.holdsKeys() {
		t.Error("no keys kept after the second reading")
	}
}
