package ner

import (
	"context"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/veilhq/veil/ner/textform"
)

type testKey struct{}

func TestSharedBuildsOncePerText(t *testing.T) {
	text := strings.Repeat("Orsolya Quillanby met Tamsin Everard. ", 3)
	builds := 0
	build := func() int { builds++; return builds }

	// without a memo every call builds
	Shared(context.Background(), text, testKey{}, build)
	Shared(context.Background(), text, testKey{}, build)
	if builds != 2 {
		t.Fatalf("no memo: %d builds, want 2", builds)
	}

	builds = 0
	ctx := WithShared(context.Background(), text)
	if WithShared(ctx, text) != ctx {
		t.Error("WithShared of the same text made a new memo")
	}
	a := Shared(ctx, text, testKey{}, build)
	b := Shared(ctx, text, testKey{}, build)
	if builds != 1 || a != b {
		t.Fatalf("memo: %d builds (values %d, %d), want 1", builds, a, b)
	}
	// another text, even an equal copy, is not served from the memo
	other := strings.Clone(text)
	Shared(ctx, other, testKey{}, build)
	Shared(ctx, text[1:], testKey{}, build)
	if builds != 3 {
		t.Fatalf("other texts: %d builds, want 3", builds)
	}
	// the shared words are Words
	got, want := SharedWords(ctx, text), Words(text)
	if len(got) != len(want) {
		t.Fatalf("SharedWords: %d words, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("SharedWords[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

// foldWordBuilder is foldWord as first written, with a strings.Builder:
// the reference the buffer-folding one must agree with.
func foldWordBuilder(w string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(w) {
		if unicode.Is(unicode.Mn, r) || textform.Invisible(r) {
			continue
		}
		if l, ok := textform.Latin(r); ok {
			r = l
			if d := norm.NFD.String(string(l)); len(d) > 1 {
				r, _ = utf8.DecodeRuneInString(d)
			}
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func TestFoldWordAgreesWithReference(t *testing.T) {
	for _, w := range []string{"Zürich", "ﬁnn", "Ѕmith", "Tamsin\u00adEverard", "ＡＢＣ", "Ołeńka", "İlkavar",
		"Straße", "\xff\xfeab", "e\u0301", strings.Repeat("Ö", 70), "Ǆemal", "Ⅻ", "한국어"} {
		if got, want := foldWord(w, false), foldWordBuilder(w); got != want {
			t.Errorf("foldWord(%q) = %q, want %q", w, got, want)
		}
	}
}

func TestFirstWord(t *testing.T) {
	for _, s := range []string{"", " ", "Tamsin Everard", "  «Ołeńka» x", "\u00ad", "ＡＢＣ def", "--x"} {
		w, ok := FirstWord(s)
		ws := Words(s)
		if ok != (len(ws) > 0) || ok && w != ws[0] {
			t.Errorf("FirstWord(%q) = %v %v, Words gives %v", s, w, ok, ws)
		}
	}
}
