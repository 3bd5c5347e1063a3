package train

import (
	"math"
	"math/rand"
	"sort"

	"github.com/veilhq/veil/ner/model"
)

// Trainer is an averaged perceptron over the model's hashed features.
type Trainer struct {
	Bits uint
	w    []float32 // current weights, bucket*NumTags + tag
	acc  []float32 // sum over updates of c*delta, for averaging
	c    float32   // update counter
}

// NewTrainer returns a trainer with 2^bits feature buckets.
func NewTrainer(bits uint) *Trainer {
	n := (1 << bits) * model.NumTags
	return &Trainer{Bits: bits, w: make([]float32, n), acc: make([]float32, n), c: 1}
}

func bucket(f uint64, bits uint) uint32 { return uint32(f >> (64 - bits)) }

// prepare computes the static feature buckets of every sequence once.
func (t *Trainer) prepare(seqs []Sequence) {
	var feats [model.NumStatic]uint64
	for si := range seqs {
		s := &seqs[si]
		if s.static != nil {
			continue
		}
		s.static = make([][model.NumStatic]uint32, len(s.Toks))
		for i := range s.Toks {
			model.Static(s.Toks, i, feats[:])
			for k, f := range feats {
				s.static[i][k] = bucket(f, t.Bits)
			}
		}
	}
}

// Epoch trains one pass over seqs in an order drawn from rng.
func (t *Trainer) Epoch(seqs []Sequence, rng *rand.Rand) (errors, total int) {
	t.prepare(seqs)
	order := rng.Perm(len(seqs))
	var hist [model.NumFeatures - model.NumStatic]uint64
	var hb [model.NumFeatures - model.NumStatic]uint32
	for _, si := range order {
		s := &seqs[si]
		prev, prev2 := model.O, model.O
		for i := range s.Toks {
			model.History(s.Toks, i, prev, prev2, hist[:])
			for k, f := range hist {
				hb[k] = bucket(f, t.Bits)
			}
			var sc [model.NumTags]float32
			for _, b := range s.static[i] {
				row := t.w[int(b)*model.NumTags:]
				for tg := range sc {
					sc[tg] += row[tg]
				}
			}
			for _, b := range hb {
				row := t.w[int(b)*model.NumTags:]
				for tg := range sc {
					sc[tg] += row[tg]
				}
			}
			pred := argmax(sc, prev)
			if !s.Ignore[i] {
				gold := s.Gold[i]
				if !model.Legal(prev, gold) {
					gold-- // an I- tag after a wrong history: begin the entity here
				}
				total++
				if pred != gold {
					errors++
					t.update(s.static[i][:], hb[:], gold, 1)
					t.update(s.static[i][:], hb[:], pred, -1)
				}
				t.c++
			}
			prev2, prev = prev, pred
		}
	}
	return errors, total
}

func (t *Trainer) update(st, hb []uint32, tag int, d float32) {
	for _, b := range st {
		k := int(b)*model.NumTags + tag
		t.w[k] += d
		t.acc[k] += t.c * d
	}
	for _, b := range hb {
		k := int(b)*model.NumTags + tag
		t.w[k] += d
		t.acc[k] += t.c * d
	}
}

func argmax(sc [model.NumTags]float32, prev int) int {
	best := model.O
	for tg := 1; tg < model.NumTags; tg++ {
		if model.Legal(prev, tg) && sc[tg] > sc[best] {
			best = tg
		}
	}
	return best
}

// Averaged returns the averaged weights.
func (t *Trainer) Averaged() []float32 {
	out := make([]float32, len(t.w))
	for i := range t.w {
		out[i] = t.w[i] - t.acc[i]/t.c
	}
	return out
}

// Clip limits the weights to the q-quantile of the non-zero absolute
// weights, so that int8 quantisation keeps the resolution of the many
// small weights rather than that of a few large ones.
func Clip(w []float32, q float64) {
	var abs []float32
	for _, v := range w {
		if v != 0 {
			abs = append(abs, float32(math.Abs(float64(v))))
		}
	}
	if len(abs) == 0 {
		return
	}
	sort.Slice(abs, func(i, j int) bool { return abs[i] < abs[j] })
	lim := abs[int(float64(len(abs)-1)*q)]
	for i, v := range w {
		w[i] = max(-lim, min(lim, v))
	}
}

// Calibrate fits P(entity | margin) = 1/(1+exp(-(a*margin+b))) by logistic
// regression (Newton's method, with a weak Gaussian prior that keeps the fit
// finite when the data are separable) on pairs of a token's margin and
// whether it is gold inside an entity.
func Calibrate(margins []float64, gold []bool) (a, b float64) {
	a, b = 0.1, 0
	const prior = 1.0
	for it := 0; it < 100; it++ {
		ga, gb, haa, hab, hbb := prior*a, prior*b, prior, 0.0, prior
		for i, x := range margins {
			p := 1 / (1 + math.Exp(-(a*x + b)))
			y := 0.0
			if gold[i] {
				y = 1
			}
			ga += (p - y) * x
			gb += p - y
			w := p * (1 - p)
			haa += w * x * x
			hab += w * x
			hbb += w
		}
		det := haa*hbb - hab*hab
		if det == 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		a -= da
		b -= db
		if math.Abs(da) < 1e-9 && math.Abs(db) < 1e-9 {
			break
		}
	}
	return a, b
}
