package ner

import (
	"context"
	"strings"
	"testing"
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
