package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
)

func FuzzChunks(f *testing.F) {
	f.Add("a b c d e f g h i j k l m n o p", 4, 2)
	f.Add("ééééééééééééééééé", 3, 1)
	f.Add("nospacesatallinthistextnospacesatallinthistext", 7, 3)
	f.Fuzz(func(t *testing.T, text string, size, context int) {
		if size < 1 || size > 1000 || context < 0 || context > 1000 || !utf8.ValidString(text) {
			return
		}
		cs := chunks(text, size, context)
		at := 0
		for _, c := range cs {
			if c.own != at || (c.ownEnd <= c.own && len(text) > 0) || c.lo > c.own || c.hi < c.ownEnd || c.lo < 0 || c.hi > len(text) {
				t.Fatalf("bad chunk %+v after %d in %d bytes: %+v", c, at, len(text), cs)
			}
			for _, o := range []int{c.lo, c.hi, c.own, c.ownEnd} {
				if o < len(text) && !utf8.RuneStart(text[o]) {
					t.Fatalf("chunk %+v not on rune boundaries", c)
				}
			}
			at = c.ownEnd
		}
		if at != len(text) && len(text) > 0 {
			t.Fatalf("own ranges end at %d of %d: %+v", at, len(text), cs)
		}
	})
}

// Detecting a long text in chunks finds what detecting it whole finds. The
// chunks are small (the context each sees is the real one) so that the text
// crosses many chunk boundaries while staying short: the engine's 1 MiB
// chunks would need megabytes of text and seconds per profile.
func TestChunkedDetectionMatchesWhole(t *testing.T) {
	small := chunking{size: 4 << 10, context: detectContext}
	var sb strings.Builder
	files, _ := filepath.Glob("../samples/cases/*.[tm][xd]*")
	for sb.Len() < 6*small.size {
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			sb.Write(b)
		}
	}
	text := sb.String()
	if n := len(chunks(text, small.size, small.context)); n < 6 {
		t.Fatalf("text cut in %d chunks, want at least 6", n)
	}
	for _, name := range []string{"supervision", "research"} {
		p, _ := profiles.Load(name)
		keys, _ := profiles.NewKeys([]byte("chunk test key, not a secret"))
		e, err := NewEngine(Options{Profile: p, NoNER: true, Secrets: keys})
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		whole, err := e.analyzer.text.Detect(ctx, text)
		if err != nil {
			t.Fatal(err)
		}
		parts, err := small.detect(ctx, text, e.analyzer.text.Detect)
		if err != nil {
			t.Fatal(err)
		}
		w, c := ner.Resolve(e.analyzer.filter.filter(whole, text)), ner.Resolve(e.analyzer.filter.filter(parts, text))
		if len(w) == 0 {
			t.Fatalf("%s: nothing found in the samples", name)
		}
		if fmt.Sprint(w) != fmt.Sprint(c) {
			t.Errorf("%s: %d findings whole, %d chunked", name, len(w), len(c))
			for i := 0; i < len(w) && i < len(c); i++ {
				if w[i] != c[i] {
					t.Fatalf("first difference at %d: whole %v chunked %v", i, w[i], c[i])
				}
			}
		}
	}
}

// The engine detects parts longer than a chunk in chunks of the documented
// size, with the documented context.
func TestDefaultChunking(t *testing.T) {
	if defaultChunking != (chunking{size: detectChunk, context: detectContext}) {
		t.Fatalf("defaultChunking %+v", defaultChunking)
	}
	text := strings.Repeat("word ", detectChunk*3/10)
	var seen []int
	_, err := inChunks(context.Background(), text, func(_ context.Context, s string) ([]ner.Finding, error) {
		seen = append(seen, len(s))
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] < detectChunk || seen[0] > detectChunk+detectContext {
		t.Fatalf("a text of %d bytes was detected in pieces of %v bytes", len(text), seen)
	}
}
