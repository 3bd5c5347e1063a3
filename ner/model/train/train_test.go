package train

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner/model"
)

func TestEncodeBIO(t *testing.T) {
	text := "Dr. Ada Quist saw Bo Lind in Oslo today."
	at := func(s string) Span {
		i := strings.Index(text, s)
		return Span{Start: i, End: i + len(s)}
	}
	p1, p2, l := at("Ada Quist"), at("Bo Lind"), at("Oslo")
	p1.Type, p2.Type, l.Type = Per, Per, Loc
	s := Encode(Example{Text: text, Spans: []Span{l, p1, p2}})
	want := []int{model.O, model.BPer, model.IPer, model.O, model.BPer, model.IPer, model.O, model.BLoc, model.O}
	if len(s.Gold) != len(want) {
		t.Fatalf("%d tokens, want %d", len(s.Gold), len(want))
	}
	for i := range want {
		if s.Gold[i] != want[i] {
			t.Errorf("token %d: tag %d, want %d", i, s.Gold[i], want[i])
		}
	}
}

func TestHeldOutNamesAreDisjoint(t *testing.T) {
	tr, ho := Nationalities(false), Nationalities(true)
	if len(tr) < 20 || len(ho) < 20 {
		t.Fatalf("%d training and %d held-out lists", len(tr), len(ho))
	}
	seen := map[string]bool{}
	for _, n := range tr {
		for _, w := range append(n.Given, n.Surnames...) {
			seen[w] = true
		}
	}
	for _, n := range ho {
		for _, w := range append(n.Given, n.Surnames...) {
			if seen[w] {
				t.Errorf("%s: %q both in training and held out", n.Code, w)
			}
		}
	}
}

func TestGeneratorDeterministicAndSpansValid(t *testing.T) {
	a, b := NewGenerator(3, false), NewGenerator(3, false)
	for i := 0; i < 50; i++ {
		x, y := a.Doc(i%numKinds), b.Doc(i%numKinds)
		if x.Text != y.Text || len(x.Spans) != len(y.Spans) {
			t.Fatal("same seed, different documents")
		}
		for _, s := range x.Spans {
			if s.Start < 0 || s.End > len(x.Text) || s.Start >= s.End {
				t.Fatalf("span %v outside the text", s)
			}
		}
	}
}

func TestCalibrate(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var m []float64
	var g []bool
	for i := 0; i < 4000; i++ {
		x := rng.NormFloat64() * 4
		m = append(m, x)
		g = append(g, rng.Float64() < 1/(1+expNeg(0.8*x-1)))
	}
	a, b := Calibrate(m, g)
	if a < 0.6 || a > 1.0 || b < -1.4 || b > -0.6 {
		t.Errorf("fit a=%.2f b=%.2f, want about 0.8 and -1", a, b)
	}
}

func expNeg(x float64) float64 {
	// exp(-x) without importing math twice in tests
	s, term := 1.0, 1.0
	for k := 1; k < 60; k++ {
		term *= -x / float64(k)
		s += term
	}
	return s
}

// TestTrainingLearns trains a small model on synthetic documents and
// checks that it finds names in documents it did not see.
func TestTrainingLearns(t *testing.T) {
	g := NewGenerator(5, false)
	var seqs []Sequence
	for i := 0; i < 400; i++ {
		seqs = append(seqs, Encode(g.Doc(i%numKinds)))
	}
	tr := NewTrainer(16)
	rng := rand.New(rand.NewSource(1))
	var first, last int
	for e := 0; e < 3; e++ {
		errs, _ := tr.Epoch(seqs, rng)
		if e == 0 {
			first = errs
		}
		last = errs
	}
	if last >= first {
		t.Errorf("errors did not fall: %d then %d", first, last)
	}
	m := model.New("test", 16, tr.Averaged(), 0.1, 0)
	sc := NewScore(0.5)
	gt := NewGenerator(99, true)
	for i := 0; i < 100; i++ {
		sc.Add(m, gt.Doc(i%numKinds))
	}
	c := sc.Mentions[Per]
	if r := float64(c[0]) / float64(c[1]); r < 0.8 {
		t.Errorf("PERSON recall %.2f on held-out names after a small training", r)
	}
}

func TestReliability(t *testing.T) {
	// words at 0.15 of which a tenth are names, words at 0.95 all names
	var p []float64
	var g []bool
	for i := 0; i < 100; i++ {
		p = append(p, 0.15)
		g = append(g, i%10 == 0)
	}
	for i := 0; i < 100; i++ {
		p = append(p, 0.95)
		g = append(g, true)
	}
	bins, ece := Reliability(p, g, 10)
	if bins[1].N != 100 || bins[9].N != 100 || bins[5].N != 0 {
		t.Fatalf("bins %+v", bins)
	}
	if d := bins[1].Observed - 0.1; d > 1e-9 || d < -1e-9 {
		t.Errorf("bin 1 observed %.3f, want 0.100", bins[1].Observed)
	}
	if bins[9].Observed != 1 {
		t.Errorf("bin 9 observed %.3f, want 1", bins[9].Observed)
	}
	// |0.15-0.10| and |0.95-1| over equal halves
	if want := 0.05; ece < want-1e-9 || ece > want+1e-9 {
		t.Errorf("ECE %.4f, want %.4f", ece, want)
	}
}

// TestClinicalDocuments: with RichClinical the notes stay deterministic
// with valid spans, carry facilities and units as places, and type some
// names without their diacritics.
func TestClinicalDocuments(t *testing.T) {
	a, b := NewGenerator(5, false), NewGenerator(5, false)
	a.RichClinical, b.RichClinical = true, true
	places, plainNames := 0, 0
	for i := 0; i < 400; i++ {
		x, y := a.Doc(KindNote), b.Doc(KindNote)
		if x.Text != y.Text || len(x.Spans) != len(y.Spans) {
			t.Fatal("same seed, different documents")
		}
		for _, s := range x.Spans {
			if s.Start < 0 || s.End > len(x.Text) || s.Start >= s.End {
				t.Fatalf("span %v outside the text", s)
			}
			w := strings.ToLower(x.Text[s.Start:s.End])
			if s.Type == Loc && (strings.HasPrefix(w, "ward ") || strings.HasSuffix(w, " memorial") || strings.HasSuffix(w, " general")) {
				places++
			}
		}
	}
	for _, s := range []string{"Quillánby", "Łukasz Wójcik", "Nguyễn"} {
		if p := plain(s); p == s || strings.ContainsFunc(p, func(r rune) bool { return r > 127 }) {
			t.Errorf("plain(%q) = %q, want it without diacritics", s, p)
		} else {
			plainNames++
		}
	}
	if places == 0 || plainNames != 3 {
		t.Errorf("places %d, names without diacritics %d", places, plainNames)
	}
}
