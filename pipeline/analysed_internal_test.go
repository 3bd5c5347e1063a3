package pipeline

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors/pdf"
	"github.com/veilhq/veil/redactors/text"
)

// TestAnalysedDocs: the second pass takes the first pass's analysis of a
// file only once, only for the same bytes, and the store keeps no failed
// analysis and no more than its budget.
func TestAnalysedDocs(t *testing.T) {
	p, _ := profiles.Load("supervision")
	e, err := NewEngine(Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("Client: Orsolya Quillanby, seen on 3 March.\n")
	var a analysedDocs
	d := e.Analyze(context.Background(), "a.txt", data)
	a.put(d, time.Second, 2*time.Second)
	if _, ok := a.take("b.txt", data); ok {
		t.Errorf("another key took a.txt's analysis")
	}
	changed := []byte("Client: Tamsin Everard Jr, seen on 3 March.\n")
	if len(changed) != len(data) {
		t.Fatalf("test input: lengths %d and %d", len(changed), len(data))
	}
	if _, ok := a.take("a.txt", changed); ok {
		t.Errorf("changed bytes of the same length took the old analysis")
	}
	a.put(d, time.Second, 2*time.Second)
	if got, ok := a.take("a.txt", data); !ok || got.d != d || got.spent != time.Second || got.grown != 2*time.Second {
		t.Errorf("same bytes: got %+v, want the kept analysis %p and its cost", got, d)
	}
	if _, ok := a.take("a.txt", data); ok {
		t.Errorf("an analysis was taken twice")
	}
	if a.bytes != 0 || len(a.docs) != 0 {
		t.Errorf("after take: %d bytes, %d docs held", a.bytes, len(a.docs))
	}

	one0 := []byte("%")
	failed := e.Analyze(context.Background(), "c.unknown-format", data)
	if failed.Failed() == nil {
		t.Fatal("test input: an unknown format did not fail")
	}
	a.put(failed, 0, 0)
	if _, ok := a.take("c.unknown-format", data); ok {
		t.Errorf("a failed analysis was kept")
	}

	// Only text formats: a parsed PDF holds many times its input.
	a.put(&Doc{SourceKey: "p.pdf", Size: 1, sum: sha256.Sum256(one0), format: pdf.Format{}}, 0, 0)
	if _, ok := a.take("p.pdf", one0); ok {
		t.Errorf("a PDF's analysis was kept")
	}

	// Budget: files over analysedFileMax are never kept, and no more than
	// analysedMax bytes of input at once.
	big := &Doc{SourceKey: "big.txt", Size: analysedFileMax + 1, format: text.Plain()}
	a.put(big, 0, 0)
	if _, ok := a.drop("big.txt"); ok {
		t.Errorf("a file over %d bytes was kept", analysedFileMax)
	}
	n := 0
	for i := 0; a.bytes+analysedFileMax <= analysedMax; i++ {
		a.put(&Doc{SourceKey: fmt.Sprint(i), Size: analysedFileMax, format: text.Plain()}, 0, 0)
		n++
	}
	a.put(&Doc{SourceKey: "over", Size: analysedFileMax, format: text.Plain()}, 0, 0)
	if _, ok := a.drop("over"); ok || a.bytes > analysedMax || len(a.docs) != n {
		t.Errorf("over budget: %d bytes held (max %d), %d docs, want %d", a.bytes, analysedMax, len(a.docs), n)
	}
	a.drop("0")
	one := []byte("x")
	a.put(&Doc{SourceKey: "small", Size: 1, sum: sha256.Sum256(one), format: text.Plain()}, 0, 0)
	if _, ok := a.take("small", one); !ok {
		t.Errorf("room made by a drop was not used")
	}
}
