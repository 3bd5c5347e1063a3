package ocr

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"image"
	"strings"
	"sync"
)

// Memo is an Engine that remembers what another engine read, by the
// image's pixels and the options, so that the same pixels asked again
// (a file parsed twice by a run's two passes) are not read again. The
// engine is deterministic for a given image and options (Tesseract with
// one thread), so a remembered page is what reading again would give.
//
// Only images whose pixels it can name exactly (*image.Gray, *image.RGBA,
// *image.NRGBA) are remembered; others, and failures, are read every
// time. A page asked again is still reported to the context's meter
// (WithMeter), so that a file's time budget is the same either way. What
// is held is bounded by maxWords words in all, the oldest pages going
// first; the pages are held in memory only.
//
// The caller decides what may share a Memo: one that must read its own
// pixels independently (verification of an output) uses its own engine.
// A Memo is safe for concurrent use.
type Memo struct {
	inner    Engine
	maxWords int

	mu    sync.Mutex
	pages map[[sha256.Size]byte]*Page
	order [][sha256.Size]byte
	words int
	hits  int
}

// NewMemo returns a Memo over inner (nil: Default()) holding at most
// maxWords words.
func NewMemo(inner Engine, maxWords int) *Memo {
	return &Memo{inner: inner, maxWords: maxWords, pages: map[[sha256.Size]byte]*Page{}}
}

// Recognize implements Engine (scope: none).
func (m *Memo) Recognize(ctx context.Context, img image.Image, opts Options) (*Page, error) {
	return m.recognize(ctx, "", img, opts)
}

// For returns an Engine that reads through m and remembers only within
// scope: a page is answered from memory only when it was read under the
// same scope (for a caller that keys its readings by the file they come
// from, so that another file, such as an output, is always read anew).
func (m *Memo) For(scope string) Engine { return scoped{m, scope} }

type scoped struct {
	m     *Memo
	scope string
}

func (s scoped) Recognize(ctx context.Context, img image.Image, opts Options) (*Page, error) {
	return s.m.recognize(ctx, s.scope, img, opts)
}

func (m *Memo) recognize(ctx context.Context, scope string, img image.Image, opts Options) (*Page, error) {
	inner := m.inner
	if inner == nil {
		inner = Default()
	}
	key, ok := memoKey(scope, img, opts)
	if !ok {
		return inner.Recognize(ctx, img, opts)
	}
	m.mu.Lock()
	p, hit := m.pages[key]
	if hit {
		m.hits++
	}
	m.mu.Unlock()
	if hit {
		if err := checkContext(ctx); err != nil {
			return nil, err
		}
		charge(ctx, 1)
		return p.clone(), nil
	}
	p, err := inner.Recognize(ctx, img, opts)
	if err != nil {
		return nil, err
	}
	n := len(p.Words())
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.pages[key]; ok || n > m.maxWords {
		return p, nil
	}
	for m.words+n > m.maxWords && len(m.order) > 0 {
		old := m.order[0]
		m.order = m.order[1:]
		m.words -= len(m.pages[old].Words())
		delete(m.pages, old)
	}
	m.pages[key] = p.clone()
	m.order = append(m.order, key)
	m.words += n
	return p, nil
}

// Hits returns how many readings were answered from memory.
func (m *Memo) Hits() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits
}

// memoKey names scope, img's pixels and opts; false for an image type whose
// pixels it does not read directly.
func memoKey(scope string, img image.Image, opts Options) ([sha256.Size]byte, bool) {
	var kind string
	var pix []byte
	var stride int
	switch t := img.(type) {
	case *image.Gray:
		kind, pix, stride = "gray", t.Pix, t.Stride
	case *image.RGBA:
		kind, pix, stride = "rgba", t.Pix, t.Stride
	case *image.NRGBA:
		kind, pix, stride = "nrgba", t.Pix, t.Stride
	default:
		return [sha256.Size]byte{}, false
	}
	h := sha256.New()
	b := img.Bounds()
	fmt.Fprintf(h, "%q|%s %d %d %d %d %d|%s|%d|%d|%d|", scope, kind, b.Min.X, b.Min.Y, b.Max.X, b.Max.Y, stride,
		strings.Join(opts.Languages, "+"), opts.DPI, opts.Mode, opts.Pages)
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(pix)))
	h.Write(n[:])
	h.Write(pix)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key, true
}

// clone returns a copy of p that shares nothing a caller may change
// (Scale changes boxes in place).
func (p *Page) clone() *Page {
	c := *p
	c.Languages = append([]string(nil), p.Languages...)
	c.Blocks = make([]Block, len(p.Blocks))
	for bi, b := range p.Blocks {
		nb := Block{Box: b.Box, Paras: make([]Para, len(b.Paras))}
		for pi, pa := range b.Paras {
			np := Para{Box: pa.Box, Lines: make([]Line, len(pa.Lines))}
			for li, l := range pa.Lines {
				np.Lines[li] = Line{Box: l.Box, Words: append([]Word(nil), l.Words...)}
			}
			nb.Paras[pi] = np
		}
		c.Blocks[bi] = nb
	}
	return &c
}
