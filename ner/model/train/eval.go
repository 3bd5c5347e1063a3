package train

import (
	"fmt"
	"io"
	"math"
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
	// P and Gold are every scored word's calibrated probability and
	// whether it is gold inside an entity (for Reliability).
	P    []float64
	Gold []bool
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
		s.P = append(s.P, tagged[i].P)
		s.Gold = append(s.Gold, seq.Gold[i] != model.O)
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
	bins, ece := Reliability(s.P, s.Gold, 10)
	WriteReliability(w, bins, ece)
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

// Bin is a row of a reliability table: the words whose calibrated
// probability fell in [Lo, Hi), their mean probability, and the share of
// them that were gold inside an entity.
type Bin struct {
	Lo, Hi   float64
	N        int
	MeanP    float64
	Observed float64
}

// Reliability bins pairs of a word's calibrated probability and whether it
// is gold inside an entity into nbins equal bins of probability, and
// returns the bins with their expected calibration error (the mean over
// words of |mean probability - observed rate| of their bin). A calibrated
// model's bins have MeanP close to Observed, so that a profile's threshold
// p means "about p of the words at p are names".
func Reliability(p []float64, gold []bool, nbins int) ([]Bin, float64) {
	bins := make([]Bin, nbins)
	pos := make([]int, nbins)
	for k := range bins {
		bins[k].Lo, bins[k].Hi = float64(k)/float64(nbins), float64(k+1)/float64(nbins)
	}
	for i, x := range p {
		k := min(nbins-1, max(0, int(x*float64(nbins))))
		bins[k].N++
		bins[k].MeanP += x
		if gold[i] {
			pos[k]++
		}
	}
	ece := 0.0
	for k := range bins {
		if bins[k].N == 0 {
			continue
		}
		bins[k].MeanP /= float64(bins[k].N)
		bins[k].Observed = float64(pos[k]) / float64(bins[k].N)
		ece += float64(bins[k].N) * math.Abs(bins[k].MeanP-bins[k].Observed)
	}
	if len(p) > 0 {
		ece /= float64(len(p))
	}
	return bins, ece
}

// WriteReliability prints a reliability table.
func WriteReliability(w io.Writer, bins []Bin, ece float64) {
	fmt.Fprintf(w, "  reliability (P of a word being in an entity):\n  %-11s %8s %7s %8s\n", "P", "words", "mean P", "observed")
	for _, b := range bins {
		if b.N == 0 {
			continue
		}
		fmt.Fprintf(w, "  [%.1f, %.1f)  %8d %7.3f %8.3f\n", b.Lo, b.Hi, b.N, b.MeanP, b.Observed)
	}
	fmt.Fprintf(w, "  expected calibration error %.4f\n", ece)
}
