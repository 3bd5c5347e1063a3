package prose

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jdkato/prose/v2"
)

// classifyCorpus is text for comparing the classifier with prose's: the
// repository's sample cases, this package's golden inputs, and lines
// written for the features' corners (numbers prose's ParseFloat reads,
// punctuation and non-ASCII letters at a word's end, underscores, mixed
// case, one-token and empty sentences).
func classifyCorpus(t *testing.T) []string {
	t.Helper()
	var texts []string
	for _, pattern := range []string{"../../samples/cases/*.txt", "../../samples/cases/*.md", "testdata/*.txtar"} {
		files, _ := filepath.Glob(pattern)
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(b))
		}
	}
	if len(texts) < 4 {
		t.Fatalf("only %d corpus files", len(texts))
	}
	texts = append(texts,
		"Dr. Henrietta Vasquez-Oyelaran saw Mr O'Brien at St. Ignatius Hospital in Tallinn on 3 March 2021.",
		"Values: 1e5, inf, NaN, -3.5, 0x1p-2, 1_000, 12,500 and +7 were noted by Åsa Öberg and Zoë Ng.",
		"The snake_case word, camelCase word, McDonald, iPhone, UNICEF, ÉCOLE, café, naïve and señor appear.",
		"Brussels", "", ".", "Kowalczyk said: “It’s fine” — then left (quickly)!",
		"Mr Smith\nMrs Jones\nThe Court of Appeal of Lisbon, Portugal, and the Ministry of Justice.",
		"Smith v. Jones [2019] EWCA Civ 123; see also R (on the application of Patel) v Secretary of State.",
	)
	return texts
}

// TestClassifyMatchesProse checks that the indexed classifier labels every
// token as prose's own classifier does, on the same tokens and tags.
func TestClassifyMatchesProse(t *testing.T) {
	full, err := prose.NewDocument("", prose.WithSegmentation(false)) // prose's whole model
	if err != nil {
		t.Fatal(err)
	}
	tokens := 0
	for _, text := range classifyCorpus(t) {
		ref, err := prose.NewDocument(text, prose.UsingModel(full.Model), prose.WithSegmentation(false))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := prose.NewDocument(text, prose.UsingModel(tagger()), prose.WithSegmentation(false), prose.WithExtraction(false))
		if err != nil {
			t.Fatal(err)
		}
		entityModel().classify(docTokens(doc))
		want, got := ref.Tokens(), doc.Tokens()
		if len(got) != len(want) {
			t.Fatalf("%d tokens, prose %d", len(got), len(want))
		}
		for i := range got {
			if got[i].Text != want[i].Text || got[i].Tag != want[i].Tag || got[i].Label != want[i].Label {
				t.Errorf("token %d: %q %s %s, prose %q %s %s", i, got[i].Text, got[i].Tag, got[i].Label, want[i].Text, want[i].Tag, want[i].Label)
			}
		}
		tokens += len(got)
	}
	if tokens < 500 {
		t.Fatalf("only %d tokens compared", tokens)
	}
}

// proseShape is prose's own definition of a word's shape (extract.go of
// prose/v2), regular expressions and all.
func proseShape(word string) string {
	if _, err := strconv.ParseFloat(word, 64); err == nil {
		return "number"
	} else if match, _ := regexp.MatchString(`\W+$`, word); match {
		return "punct"
	} else if match, _ := regexp.MatchString(`\w+$`, word); match {
		if strings.ToLower(word) == word {
			return "downcase"
		} else if strings.Title(word) == word { //nolint:staticcheck // prose's definition
			return "upcase"
		}
		return "mixedcase"
	}
	return "other"
}

func TestShapeMatchesProse(t *testing.T) {
	for _, w := range []string{"", "a", "A", "Ab", "aB", "AB", "ab1", "1", "1.5", "1e5", "inf", "Inf", "NaN", "0x1p-2", "1_000",
		"12,500", "_", "a_", "x.", "“", "’s", "café", "Café", "ÉCOLE", "señor", "McDonald", "O'Brien", "\xff", "a\xff", "Zoë", "ß"} {
		if got, want := shape(w), proseShape(w); got != want {
			t.Errorf("shape(%q) = %s, prose %s", w, got, want)
		}
	}
}

func FuzzShape(f *testing.F) {
	for _, w := range []string{"Ab", "1e5", "café", "a_", "x."} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		if got, want := shape(w), proseShape(w); got != want {
			t.Fatalf("shape(%q) = %s, prose %s", w, got, want)
		}
	})
}

// BenchmarkLoadClassifier measures indexing prose's model (the classifier's
// part of loading).
func BenchmarkLoadClassifier(b *testing.B) {
	for i := 0; i < b.N; i++ {
		loadClassifier()
	}
}

// BenchmarkDecodeClassifier measures reading classifier.bin (the
// classifier's part of a start).
func BenchmarkDecodeClassifier(b *testing.B) {
	for b.Loop() {
		if _, err := decodeClassifier(prebuiltClassifier); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassify labels the tokens of sentences with names, tagged
// once: the classifier's own cost, without prose's tokenizer.
func BenchmarkClassify(b *testing.B) {
	text := strings.Repeat("The court heard Tamsin Everard of Quillanby Farm on 12 May 2019, who said: “It was fine”. ", 50)
	doc, err := prose.NewDocument(text, prose.UsingModel(tagger()), prose.WithSegmentation(false), prose.WithExtraction(false), prose.WithTagging(false))
	if err != nil {
		b.Fatal(err)
	}
	toks := docTokens(doc)
	posTags().tag(toks)
	c := entityModel()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c.classify(toks)
	}
}
