package profiles

import (
	"math/rand"
	"strings"
	"testing"
)

// scanLink is Link as a scan over every person, the definition that
// Case's indexes implement (the code before them).
type scanLink struct {
	ns     []string
	words  []map[string]bool
	byName map[string]int
}

func (s *scanLink) link(ns, identity string) int {
	if id, ok := s.byName[ns+"\x00"+identity]; ok {
		return id
	}
	w := sigWords(identity)
	var within, takeOver []int
	for i, pw := range s.words {
		if s.ns[i] != ns {
			continue
		}
		switch {
		case subset(w, pw):
			within = append(within, i)
		case subset(pw, w):
			takeOver = append(takeOver, i)
		}
	}
	id := -1
	switch {
	case len(within) == 1:
		id = within[0]
	case len(within) == 0 && len(takeOver) == 1:
		id = takeOver[0]
	}
	if id < 0 {
		id = len(s.words)
		s.words = append(s.words, map[string]bool{})
		s.ns = append(s.ns, ns)
	}
	for k := range w {
		s.words[id][k] = true
	}
	s.byName[ns+"\x00"+identity] = id
	return id
}

// TestLinkIndexesMatchScan links random spellings drawn from a small
// vocabulary (so that they overlap in every way: parts, fuller names,
// relatives, several namespaces) and checks that the indexed Link links
// each as the scan over every person does.
func TestLinkIndexesMatchScan(t *testing.T) {
	vocab := []string{"maria", "elena", "sandoval", "tomas", "ortiz", "de", "la", "cruz", "j", "walter", "brennan", "anne", "marie"}
	for seed := int64(1); seed <= 200; seed++ {
		r := rand.New(rand.NewSource(seed))
		c, ref := NewCase(), &scanLink{byName: map[string]int{}}
		for i := 0; i < 60; i++ {
			n := 1 + r.Intn(4)
			if r.Intn(20) == 0 {
				n = 12 // more words than link enumerates subsets of
			}
			var ws []string
			for k := 0; k < n; k++ {
				ws = append(ws, vocab[r.Intn(len(vocab))])
			}
			ns := []string{"PERSON", "PERSON", "PERSON", "ORGANIZATION"}[r.Intn(4)]
			ident := Identity(strings.Join(ws, " "))
			if ident == "" {
				continue
			}
			got, want := c.Link(ns, ident), ref.link(ns, ident)
			if int(got) != want {
				t.Fatalf("seed %d, link %d (%s %q): person %d, the scan says %d", seed, i, ns, ident, got, want)
			}
		}
		// A case read back from its mapping file links as the original.
		plain, err := c.encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeCase(plain)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 20; i++ {
			ident := Identity(vocab[r.Intn(len(vocab))] + " " + vocab[r.Intn(len(vocab))])
			if got, want := back.Link("PERSON", ident), c.Link("PERSON", ident); got != want {
				t.Fatalf("seed %d: decoded case links %q to %d, the original to %d", seed, ident, got, want)
			}
		}
	}
}
