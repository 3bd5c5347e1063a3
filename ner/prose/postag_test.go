package prose

import (
	"reflect"
	"strings"
	"testing"

	"github.com/jdkato/prose/v2"
)

// TestPOSTagsMatchProse checks that posTagger tags every token as prose's
// own tagger does, on the classifier's corpus and lines written for the
// tagger's special cases (hyphens, years, digits, emoticons, links,
// e-mail addresses, @names, -NONE- and -LRB- tokens, non-ASCII first
// bytes).
func TestPOSTagsMatchProse(t *testing.T) {
	pt := posTags()
	if pt == nil {
		t.Fatal("posTags: prose's model is not laid out as expected")
	}
	texts := append(classifyCorpus(t),
		"See www.example.org or write to orsolya.quillanby@example.com, @tamsin :-) :( - -LRB- * *T*-1 0 1999 +123 -123 12-b x-ray 3rd.",
		"Éva Ñúñez met Øystein in the 1990s; ¯\\(ツ)/¯ 8-) O.o",
	)
	// tokens that recur, and a long text
	texts = append(texts, strings.Repeat("The court heard Tamsin Everard of Quillanby Farm on 12 May 2019. ", 40))
	tokens := 0
	for _, text := range texts {
		want, err := prose.NewDocument(text, prose.UsingModel(tagger()), prose.WithSegmentation(false), prose.WithExtraction(false))
		if err != nil {
			t.Fatal(err)
		}
		got, err := prose.NewDocument(text, prose.UsingModel(tagger()), prose.WithSegmentation(false), prose.WithExtraction(false), prose.WithTagging(false))
		if err != nil {
			t.Fatal(err)
		}
		pt.tag(docTokens(got))
		w, g := docTokens(want), docTokens(got)
		if len(w) != len(g) {
			t.Fatalf("%d tokens, prose has %d", len(g), len(w))
		}
		for i := range w {
			if g[i].Text != w[i].Text || g[i].Tag != w[i].Tag {
				t.Errorf("token %d: %q/%s, prose gives %q/%s", i, g[i].Text, g[i].Tag, w[i].Text, w[i].Tag)
			}
		}
		tokens += len(w)
	}
	if tokens < 1000 {
		t.Errorf("only %d tokens compared", tokens)
	}
}

func BenchmarkPOSTag(b *testing.B) {
	text := strings.Repeat("The court heard Tamsin Everard of Quillanby Farm on 12 May 2019, who said: “It was fine”. ", 50)
	pt := posTags()
	b.Run("prose", func(b *testing.B) {
		for range b.N {
			prose.NewDocument(text, prose.UsingModel(tagger()), prose.WithSegmentation(false), prose.WithExtraction(false))
		}
	})
	b.Run("indexed", func(b *testing.B) {
		for range b.N {
			doc, _ := prose.NewDocument(text, prose.UsingModel(tagger()), prose.WithSegmentation(false), prose.WithExtraction(false), prose.WithTagging(false))
			pt.tag(docTokens(doc))
		}
	})
}

// TestParsePOSTagger checks that the index holds every weight of the
// tagger prose reads, and that a file cut short or made from another
// version of prose is refused (prose then tags itself).
func TestParsePOSTagger(t *testing.T) {
	pt := posTags()
	if pt == nil {
		t.Fatal("tagger.bin: not read")
	}
	p := perceptronOf(tagger())
	n := 0
	for f, ws := range p.weights {
		i, ok := pt.feats.Get(f)
		if !ok {
			t.Fatalf("feature %q missing", f)
		}
		got := map[string]float64{}
		for _, cw := range pt.lw[pt.starts[i]:pt.starts[i+1]] {
			got[pt.classes[cw.class]] = cw.w
		}
		if !reflect.DeepEqual(got, ws) {
			t.Fatalf("feature %q: %v, prose has %v", f, got, ws)
		}
		n += len(ws)
	}
	tagMap := map[string]string{}
	for i := range pt.words.Len() {
		tagMap[pt.words.Key(i)] = pt.tags[i]
	}
	if n != len(pt.lw) || pt.feats.Len() != len(p.weights) || !reflect.DeepEqual(tagMap, p.tagMap) {
		t.Fatalf("%d weights of %d features, prose has %d of %d", len(pt.lw), pt.feats.Len(), n, len(p.weights))
	}
	for w, tag := range p.tagMap {
		if got, ok := pt.fixedTag(w); !ok || got != tag {
			t.Fatalf("fixedTag(%q) = %q, %v; prose has %q", w, got, ok, tag)
		}
	}
	if _, err := parsePOSTagger(prebuiltTagger, proseVersion()+"-other"); err != errOtherProse {
		t.Errorf("a file of another version: %v, want errOtherProse", err)
	}
	for _, cut := range []int{10, len(prebuiltTagger) / 2, len(prebuiltTagger) - 1} {
		if _, err := parsePOSTagger(prebuiltTagger[:cut], proseVersion()); err == nil {
			t.Errorf("a file cut at %d of %d bytes read without error", cut, len(prebuiltTagger))
		}
	}
}
