// Package train trains the weights of ner/model: an averaged perceptron
// over the model's hashed features, decoded greedily with the tags it
// predicts (as at run time), calibrated with a logistic fit of the margin
// on documents it was not trained on, quantised to int8. scripts/train
// runs it; the result is deterministic for a seed.
package train

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"

	"github.com/veilhq/veil/ner/model"
)

// Entity types of training spans.
const (
	Ignore = -1 // the words are not trained on (phone numbers, codes)
	None   = 0
	Per    = 1
	Loc    = 2
	Org    = 3
	Date   = 4
)

// Span is an annotated entity in byte offsets.
type Span struct {
	Start, End int
	Type       int
}

// Example is an annotated text.
type Example struct {
	ID    string
	Text  string
	Spans []Span
}

// goldDoc is a line of shared/eval's JSONL.
type goldDoc struct {
	ID    string `json:"id"`
	Text  string `json:"text"`
	Spans []struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Label string `json:"label"`
		Kind  string `json:"kind"`
	} `json:"spans"`
}

// ReadGold reads annotated JSONL (code-point offsets) and maps each span's
// label and kind to a training type with mapLabel; keep selects documents
// by id.
func ReadGold(r io.Reader, mapLabel func(label, kind string) int, keep func(id string) bool) ([]Example, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var out []Example
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var d goldDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("gold line %d: %w", line, err)
		}
		if !keep(d.ID) {
			continue
		}
		// code points to bytes
		byteAt := make([]int, 0, len(d.Text)+1)
		for i := range d.Text {
			byteAt = append(byteAt, i)
		}
		byteAt = append(byteAt, len(d.Text))
		ex := Example{ID: d.ID, Text: d.Text}
		for _, s := range d.Spans {
			if s.Start < 0 || s.End > utf8.RuneCountInString(d.Text) || s.End <= s.Start {
				return nil, fmt.Errorf("gold line %d: span outside the text", line)
			}
			ex.Spans = append(ex.Spans, Span{Start: byteAt[s.Start], End: byteAt[s.End], Type: mapLabel(s.Label, s.Kind)})
		}
		out = append(out, ex)
	}
	return out, sc.Err()
}

// DeidLabel maps PhysioNet deid labels.
func DeidLabel(label, kind string) int {
	switch label {
	case "HCPName", "PTName", "RelativeProxyName":
		return Per
	case "Location":
		return Loc
	}
	return Ignore // dates, phones, ages: the rules' job
}

// TabLabel maps TAB labels: what must stay (no_mask) is outside.
func TabLabel(label, kind string) int {
	if kind == "no_mask" {
		return None
	}
	switch label {
	case "PERSON":
		return Per
	case "LOC":
		return Loc
	case "ORG":
		return Org
	}
	return Ignore // dates, codes, quantities: the rules' job
}

// ConllLabel maps CoNLL-2003 labels.
func ConllLabel(label, kind string) int {
	switch label {
	case "PER":
		return Per
	case "LOC":
		return Loc
	case "ORG":
		return Org
	}
	return Ignore // MISC
}

// Sequence is an example as the trainer sees it: tokens, gold tags, and
// which tokens are not trained on.
type Sequence struct {
	Toks   []model.Token
	Gold   []int
	Ignore []bool
	static [][model.NumStatic]uint32 // feature buckets, filled by the trainer
}

// Encode tokenises an example and tags its tokens BIO.
func Encode(ex Example) Sequence {
	toks := model.Tokenize(ex.Text)
	sp := append([]Span(nil), ex.Spans...)
	sort.Slice(sp, func(i, j int) bool { return sp[i].Start < sp[j].Start })
	s := Sequence{Toks: toks, Gold: make([]int, len(toks)), Ignore: make([]bool, len(toks))}
	k := 0
	for i, t := range toks {
		for k < len(sp) && sp[k].End <= t.Start {
			k++
		}
		if k >= len(sp) || sp[k].Start >= t.End {
			continue
		}
		span := sp[k]
		switch span.Type {
		case None:
		case Ignore:
			s.Ignore[i] = true
		default:
			tag := 2*span.Type - 1 // B-
			if i > 0 && toks[i-1].End > span.Start && s.Gold[i-1] != model.O {
				tag++ // I-
			}
			s.Gold[i] = tag
		}
	}
	return s
}
