package train

import (
	"fmt"
	"io"
	"sort"

	"github.com/veilhq/veil/ner/model"
)

// Score counts how well a model's entities cover gold entities: a gold
// mention counts as found when every one of its words is inside an entity
// the model tagged with probability at least Threshold (any label), and a
// word the model tags outside every gold entity is a false positive.
type Score struct {
	Threshold float64
	Mentions  map[int][2]int // type -> found, total
	TP, FP    int            // words
	// Show, if set, receives up to ShowN false positives and misses in
	// context (for looking at the tune part only).
	Show  io.Writer
	ShowN int
	shown int
}

// NewScore returns an empty score at a probability threshold.
func NewScore(threshold float64) *Score {
	return &Score{Threshold: threshold, Mentions: map[int][2]int{}}
}

// Add scores one example.
func (s *Score) Add(m *model.Model, ex Example) {
	tagged, _ := m.Tag(nil, ex.Text)
	seq := Encode(ex)
	hit := func(i int) bool { return tagged[i].Tag != model.O && tagged[i].P >= s.Threshold }
	for i := range tagged {
		if seq.Ignore[i] {
			continue
		}
		if seq.Gold[i] != model.O && hit(i) {
			s.TP++
		} else if seq.Gold[i] == model.O && hit(i) {
			s.FP++
			s.show("FP", ex.Text, tagged[i].Start, tagged[i].End, tagged[i].P)
		}
	}
	for _, sp := range ex.Spans {
		if sp.Type <= None {
			continue
		}
		found, any := true, false
		for i, t := range tagged {
			if t.Start >= sp.Start && t.End <= sp.End {
				any = true
				found = found && hit(i)
			}
		}
		if !any {
			continue
		}
		c := s.Mentions[sp.Type]
		c[1]++
		if found {
			c[0]++
		} else {
			s.show("MISS "+typeNames[sp.Type], ex.Text, sp.Start, sp.End, 0)
		}
		s.Mentions[sp.Type] = c
	}
}

var typeNames = map[int]string{Per: "PER", Loc: "LOC", Org: "ORG", Date: "DATE"}

// Write prints the score.
func (s *Score) Write(w io.Writer) {
	var types []int
	for t := range s.Mentions {
		types = append(types, t)
	}
	sort.Ints(types)
	for _, t := range types {
		c := s.Mentions[t]
		fmt.Fprintf(w, "  %-5s mentions %5d  recall %.3f\n", typeNames[t], c[1], float64(c[0])/float64(max(1, c[1])))
	}
	fmt.Fprintf(w, "  word precision %.3f (tp %d fp %d)\n", float64(s.TP)/float64(max(1, s.TP+s.FP)), s.TP, s.FP)
}

func (s *Score) show(what, text string, start, end int, p float64) {
	if s.Show == nil || s.shown >= s.ShowN {
		return
	}
	s.shown++
	lo, hi := max(0, start-40), min(len(text), end+40)
	for lo > 0 && text[lo]&0xc0 == 0x80 {
		lo--
	}
	for hi < len(text) && text[hi]&0xc0 == 0x80 {
		hi++
	}
	fmt.Fprintf(s.Show, "%-9s %.2f %q [[%s]] %q\n", what, p, text[lo:start], text[start:end], text[end:hi])
}
