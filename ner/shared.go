package ner

import (
	"context"
	"sync"
	"unsafe"
)

// A text's words are wanted by most passes of a chain: the name rules,
// prose's candidates, the refiners, the model's features. A Chain splits
// the text once and lends the result to every pass over it through the
// context (WithShared, Shared), so that each pass need not split it again.
// A pass called outside a chain (a test, another caller) gets the same
// values, built for it alone.

// sharedMemo holds the values computed once for one text.
type sharedMemo struct {
	text string
	mu   sync.Mutex
	vals map[any]*sharedVal
}

type sharedVal struct {
	once sync.Once
	v    any
}

type sharedCtxKey struct{}

// WithShared returns ctx carrying a memo for text: the values Shared
// builds for that very text are built once and shared by every pass given
// the returned context. A ctx that already carries one for text is
// returned as it is.
func WithShared(ctx context.Context, text string) context.Context {
	if m, ok := ctx.Value(sharedCtxKey{}).(*sharedMemo); ok && same(m.text, text) {
		return ctx
	}
	return context.WithValue(ctx, sharedCtxKey{}, &sharedMemo{text: text})
}

// same reports whether a and b are the same string: the same bytes in
// memory, not merely equal ones (a memo is for one text, and comparing
// texts would cost a read of them).
func same(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// Shared returns build's value for text under key: built once per text
// when ctx carries a memo of text (WithShared), else built at every call.
// key identifies the kind of value (an unexported type of the calling
// package, as for context keys). The value is shared: callers must treat
// it as read-only. Safe for concurrent use.
func Shared[T any](ctx context.Context, text string, key any, build func() T) T {
	m, ok := ctx.Value(sharedCtxKey{}).(*sharedMemo)
	if !ok || !same(m.text, text) {
		return build()
	}
	m.mu.Lock()
	if m.vals == nil {
		m.vals = make(map[any]*sharedVal, 4)
	}
	sv := m.vals[key]
	if sv == nil {
		sv = &sharedVal{}
		m.vals[key] = sv
	}
	m.mu.Unlock()
	sv.once.Do(func() { sv.v = build() })
	return sv.v.(T)
}

type wordsKey struct{}

// SharedWords is Words(text), split once per text of a chain (Shared).
// The slice is shared: read it, do not modify it.
func SharedWords(ctx context.Context, text string) []Word {
	return Shared(ctx, text, wordsKey{}, func() []Word { return Words(text) })
}
