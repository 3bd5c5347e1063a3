package pipeline

import (
	"context"
	"crypto/sha256"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors/pdf"
	"github.com/veilhq/veil/redactors/table"
	"github.com/veilhq/veil/redactors/text"
)

// TestAnalysedDocs: the second pass takes the first pass's analysis of a
// file only once, only for the same bytes, as the Doc a new analysis
// would make, and the store keeps no failed analysis and no more than its
// budget.
func TestAnalysedDocs(t *testing.T) {
	p, _ := profiles.Load("supervision")
	e, err := NewEngine(Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	data := []byte("Client: Orsolya Quillanby, seen on 3 March.\nMs Quillanby called Tamsin Everard on 020 7946 0958.\n")
	var a analysedDocs
	analysed := func(key string, data []byte) *Doc {
		d := e.Analyze(ctx, key, data)
		e.Gather(d) // reads the role cues, as the first pass does
		return d
	}
	d := analysed("intake_Odile_Brannigan.txt", data)
	if len(d.found) != 1 || len(d.found[0]) < 3 || len(d.nameFs) == 0 {
		t.Fatalf("test input: findings %v, in the name %v", d.found, d.nameFs)
	}
	a.put(d, time.Second, 2*time.Second)
	if _, _, _, ok := a.take(ctx, "b.txt", data); ok {
		t.Errorf("another key took a.txt's analysis")
	}
	changed := []byte("Client: Tamsin Everard Jr, seen on 3 March.\nMs Quillanby called Tamsin Everard on 020 7946 0958.\n")
	if len(changed) != len(data) {
		t.Fatalf("test input: lengths %d and %d", len(changed), len(data))
	}
	if _, _, _, ok := a.take(ctx, "intake_Odile_Brannigan.txt", changed); ok {
		t.Errorf("changed bytes of the same length took the old analysis")
	}
	// A known sum (the kept bytes', keptInputs.takeSum) stands for the
	// bytes' hash: another sum is refused like other bytes.
	a.put(d, time.Second, 2*time.Second)
	other := sha256.Sum256(changed)
	if _, _, _, ok := a.takeSummed(ctx, "intake_Odile_Brannigan.txt", data, &other); ok {
		t.Errorf("a known sum of other bytes took the analysis")
	}
	a.put(d, time.Second, 2*time.Second)
	same := sha256.Sum256(data)
	if _, _, _, ok := a.takeSummed(ctx, "intake_Odile_Brannigan.txt", data, &same); !ok {
		t.Errorf("the known sum of the same bytes: not taken")
	}
	a.put(d, time.Second, 2*time.Second)
	got, spent, grown, ok := a.take(ctx, "intake_Odile_Brannigan.txt", data)
	if !ok || spent != time.Second || grown != 2*time.Second {
		t.Fatalf("same bytes: ok %v, cost %v and %v, want the kept analysis and its cost", ok, spent, grown)
	}
	want := analysed("intake_Odile_Brannigan.txt", data)
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"found", got.found, want.found}, {"nameFs", got.nameFs, want.nameFs}, {"clients", got.clients, want.clients},
		{"minors", got.minors, want.minors}, {"parts", got.parts, want.parts}, {"date", got.date, want.date},
		{"sum", got.sum, want.sum}, {"size", got.Size, want.Size}, {"cued", got.cued, want.cued},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("taken analysis: %s is %v, a new analysis has %v", c.name, c.got, c.want)
		}
	}
	if got.doc == nil || got.format.Name() != want.format.Name() || got.err != nil {
		t.Errorf("taken analysis: document %v, format %v, error %v", got.doc, got.format, got.err)
	}
	if _, _, _, ok := a.take(ctx, "intake_Odile_Brannigan.txt", data); ok {
		t.Errorf("an analysis was taken twice")
	}
	if a.bytes != int64(0)+a.internedBytes() || len(a.docs) != 0 {
		t.Errorf("after take: %d bytes, %d docs held", a.bytes, len(a.docs))
	}

	failed := e.Analyze(ctx, "c.unknown-format", data)
	if failed.Failed() == nil {
		t.Fatal("test input: an unknown format did not fail")
	}
	failed.cued = true
	a.put(failed, 0, 0)
	if _, _, _, ok := a.take(ctx, "c.unknown-format", data); ok {
		t.Errorf("a failed analysis was kept")
	}

	// Only text formats: a PDF's parse is much of its analysis.
	one0 := []byte("%")
	a.put(&Doc{SourceKey: "p.pdf", Size: 1, sum: sha256.Sum256(one0), format: pdf.Format{}, cued: true}, 0, 0)
	if _, _, _, ok := a.take(ctx, "p.pdf", one0); ok {
		t.Errorf("a PDF's analysis was kept")
	}

	// Findings made in other parts than the bytes parse into (which a
	// deterministic parser never gives) are not taken.
	two := &Doc{SourceKey: "two.txt", Size: int64(len(data)), sum: sha256.Sum256(data), format: text.Plain(), cued: true,
		found: make([][]ner.Finding, 2), clients: make([][]int, 2), minors: make([][]int, 2)}
	a.put(two, 0, 0)
	if _, _, _, ok := a.take(ctx, "two.txt", data); ok {
		t.Errorf("an analysis of two parts was taken for a text of one")
	}
	past := &Doc{SourceKey: "past.txt", Size: int64(len(data)), sum: sha256.Sum256(data), format: text.Plain(), cued: true,
		found:   [][]ner.Finding{{{Start: 0, End: len(data) + 1, Entity: ner.Person, Rule: "x"}}},
		clients: make([][]int, 1), minors: make([][]int, 1)}
	a.put(past, 0, 0)
	if _, _, _, ok := a.take(ctx, "past.txt", data); ok {
		t.Errorf("a finding past its part's end was taken")
	}

	// A table: cells are parts.
	csv := []byte("name,phone\nOrsolya Quillanby,020 7946 0958\nTamsin Everard,020 7946 0959\n")
	dc := analysed("t.csv", csv)
	if dc.format.Name() != table.CSV(table.Options{}).Name() || len(dc.parts) < 4 {
		t.Fatalf("test input: format %s, %d parts", dc.format.Name(), len(dc.parts))
	}
	a.put(dc, 0, 0)
	gc, _, _, ok := a.take(ctx, "t.csv", csv)
	if wc := analysed("t.csv", csv); !ok || !reflect.DeepEqual(gc.found, wc.found) || !reflect.DeepEqual(gc.parts, wc.parts) {
		t.Errorf("a table's analysis: taken %v, found %v, want %v", ok, gc, wc.found)
	}

	// Budget: never more than analysedMax bytes held.
	many := make([]ner.Finding, 10_000)
	for i := range many {
		many[i] = ner.Finding{Start: i, End: i + 1, Entity: ner.Person, Score: 1, Rule: "names/test"}
	}
	big := func(key string) *Doc {
		return &Doc{SourceKey: key, Size: int64(len(many) + 1), format: text.Plain(), cued: true,
			found: [][]ner.Finding{many}, clients: make([][]int, 1), minors: make([][]int, 1)}
	}
	per := int64(0)
	n := 0
	for i := 0; ; i++ {
		before := a.bytes
		a.put(big(fmt.Sprint(i)), 0, 0)
		if a.bytes == before {
			break
		}
		per = a.bytes - before
		n++
	}
	if per < findingSize*int64(len(many)) || a.bytes > analysedMax || a.bytes+per <= analysedMax || len(a.docs) != n {
		t.Errorf("budget: %d bytes held (max %d), %d per analysis, %d docs, want %d", a.bytes, analysedMax, per, len(a.docs), n)
	}
	if _, ok := a.drop("over"); ok {
		t.Errorf("dropped an analysis never kept")
	}
	a.drop("0")
	one := []byte("x")
	a.put(&Doc{SourceKey: "small", Size: 1, sum: sha256.Sum256(one), format: text.Plain(), cued: true,
		found: make([][]ner.Finding, 1), clients: make([][]int, 1), minors: make([][]int, 1)}, 0, 0)
	if _, _, _, ok := a.take(ctx, "small", one); !ok {
		t.Errorf("room made by a drop was not used")
	}
}

// internedBytes is what the interned strings are counted for.
func (a *analysedDocs) internedBytes() int64 {
	var n int64
	for s := range a.strs {
		n += int64(len(s)) + 32
	}
	return n
}
