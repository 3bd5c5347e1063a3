// Command train trains the weights of ner/model (scripts/train runs it).
//
//	train -data DIR -sources synth,tab -seed 1 -out ner/model/data/model.bin.gz
//
// Sources: synth (synthetic documents from ner/model/train's templates and
// name lists), tab (the tune part of tab_dev.jsonl), deid (the tune part of
// deid_dev.jsonl), conll (conll_train.jsonl). The measured part of the
// development sets (internal/devsplit) is never read.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/veilhq/veil/internal/devsplit"
	"github.com/veilhq/veil/ner/model"
	"github.com/veilhq/veil/ner/model/train"
)

func main() {
	dataDir := flag.String("data", "", "directory of tab_dev.jsonl, deid_dev.jsonl, conll_train.jsonl")
	sources := flag.String("sources", "synth,tab", "comma-separated training sources: synth, tab, deid, conll")
	seed := flag.Int64("seed", 1, "random seed (synthetic documents, training order)")
	epochs := flag.Int("epochs", 6, "training passes")
	flag.BoolVar(&rich, "rich", false, "train on the richer synthetic documents of ner/model/train/rich.go (not shipped; model version 2 also needs the document features 9be6254 took out: scripts/train, docs/QUALITY.md)")
	flag.StringVar(&richParts, "richparts", "", "train on one part of -rich's documents only: news (results lists, headlines, tokenised spacing), names (recurring people, more forms of a name), tables (results tables only, tables.go), clinical (names with no cue, facilities and units as places, names without diacritics: clinical.go), facilities (clinical without its names with no cue), or several, comma-separated (docs/QUALITY.md, modelv3)")
	flag.Float64Var(&newsShare, "newsshare", 0, "with -richparts news, the share of news items written as rich.go's (0: 0.6)")
	flag.Float64Var(&tablesShare, "tablesshare", 0, "with -richparts tables, the share of news items written as results tables (0: 0.3)")
	bags := flag.Int("bags", 1, "models trained on different synthetic documents and orders, whose weights are averaged")
	bits := flag.Uint("bits", 18, "log2 of the number of feature buckets")
	nsynth := flag.Int("synth", 8000, "synthetic documents")
	out := flag.String("out", "", "write the model here")
	version := flag.String("version", "", "version name (default from sources and seed)")
	flag.Float64Var(&clip, "clip", 0.999, "clip weights at this quantile of their absolute values before int8 quantisation")
	evalModel := flag.String("eval", "", "instead of training, score this model file on -evalgold (or on synthetic international records with -evalgold intl)")
	evalGold := flag.String("evalgold", "", "annotated JSONL (deid_dev, tab_dev, conll_dev) or intl")
	evalPart := flag.String("part", devsplit.Tune, "part of a development set to score: tune, measured, all")
	evalP := flag.Float64("p", 0.5, "probability threshold for scoring")
	flag.IntVar(&showN, "show", 0, "print up to N false positives and misses (never with -part measured)")
	writeGold := flag.String("writegold", "", "write the synthetic international records of -evalgold intl to this JSONL file (shared/eval's format, for veil eval) and exit")
	flag.Parse()
	if *writeGold != "" {
		if err := writeIntl(*writeGold, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "train:", err)
			os.Exit(1)
		}
		return
	}
	if *evalModel != "" {
		if err := evaluate(*evalModel, *evalGold, *evalPart, *evalP, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "train:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*dataDir, *sources, *seed, *epochs, *bags, *bits, *nsynth, *out, *version); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

var (
	rich        bool
	richParts   string
	newsShare   float64
	tablesShare float64
	clip        float64
	showN       int
)

// setRich sets the generator's richer documents from -rich and -richparts.
func setRich(g *train.Generator) {
	g.Rich = rich
	g.RichNews = has(richParts, "news")
	g.RichNames = has(richParts, "names")
	g.NewsShare = newsShare
	g.RichTables = has(richParts, "tables")
	g.TablesShare = tablesShare
	g.RichClinical = has(richParts, "clinical")
	g.RichFacilities = has(richParts, "facilities")
}

func has(list, s string) bool {
	for _, x := range strings.Split(list, ",") {
		if x == s {
			return true
		}
	}
	return false
}

// calibPart holds a fifth of the tune documents out of training, for
// calibration.
func calibPart(id string) bool {
	h := fnv.New32a()
	h.Write([]byte("veil-calib\x00" + devsplit.Group(id)))
	return h.Sum32()%5 == 0
}

func run(dataDir, sources string, seed int64, epochs, bags int, bits uint, nsynth int, out, version string) error {
	t0 := time.Now()
	var trainEx, calibEx []train.Example
	read := func(file string, mapLabel func(string, string) int, tuneOnly bool) error {
		f, err := os.Open(filepath.Join(dataDir, file))
		if err != nil {
			return err
		}
		defer f.Close()
		exs, err := train.ReadGold(f, mapLabel, func(id string) bool { return !tuneOnly || devsplit.Part(id) == devsplit.Tune })
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		for _, ex := range exs {
			if tuneOnly && calibPart(ex.ID) {
				calibEx = append(calibEx, ex)
			} else {
				trainEx = append(trainEx, ex)
			}
		}
		fmt.Fprintf(os.Stderr, "%s: %d documents\n", file, len(exs))
		return nil
	}
	if has(sources, "tab") {
		if err := read("tab_dev.jsonl", train.TabLabel, true); err != nil {
			return err
		}
	}
	if has(sources, "deid") {
		if err := read("deid_dev.jsonl", train.DeidLabel, true); err != nil {
			return err
		}
	}
	if has(sources, "conll") {
		if err := read("conll_train.jsonl", train.ConllLabel, false); err != nil {
			return err
		}
	}
	if has(sources, "synth") {
		gc := train.NewGenerator(seed+7919, false)
		setRich(gc)
		for i := 0; i < nsynth/8; i++ {
			calibEx = append(calibEx, gc.Doc(synthKind(i)))
		}
	}
	// Each bag trains on its own synthetic documents and order; the bags'
	// averaged weights are averaged again, which takes out most of what
	// one draw of documents decides by chance (docs/QUALITY.md).
	var w []float32
	for b := 0; b < bags; b++ {
		bseed := seed + int64(b)*1000003
		exs := trainEx
		if has(sources, "synth") {
			exs = append([]train.Example(nil), trainEx...)
			g := train.NewGenerator(bseed, false)
			setRich(g)
			for i := 0; i < nsynth; i++ {
				exs = append(exs, g.Doc(synthKind(i)))
			}
		}
		seqs := make([]train.Sequence, len(exs))
		ntok := 0
		for i, ex := range exs {
			seqs[i] = train.Encode(ex)
			ntok += len(seqs[i].Toks)
		}
		fmt.Fprintf(os.Stderr, "bag %d: training on %d documents, %d words (%.1fs)\n", b+1, len(seqs), ntok, time.Since(t0).Seconds())
		tr := train.NewTrainer(bits)
		rng := rand.New(rand.NewSource(bseed))
		for e := 0; e < epochs; e++ {
			errs, total := tr.Epoch(seqs, rng)
			fmt.Fprintf(os.Stderr, "epoch %d: %.4f of words wrong (%.1fs)\n", e+1, float64(errs)/float64(total), time.Since(t0).Seconds())
		}
		wb := tr.Averaged()
		if w == nil {
			w = wb
		} else {
			for i, v := range wb {
				w[i] += v
			}
		}
	}
	for i := range w {
		w[i] /= float32(bags)
	}
	train.Clip(w, clip)
	if version == "" {
		version = fmt.Sprintf("veil-ner-1 %s seed %d", strings.ReplaceAll(sources, ",", "+"), seed)
		if rich {
			version += " rich"
		}
		if richParts != "" {
			version += " rich-" + strings.ReplaceAll(richParts, ",", "+")
			if newsShare != 0 {
				version += fmt.Sprintf(" %g", newsShare)
			}
			if tablesShare != 0 {
				version += fmt.Sprintf(" tables %g", tablesShare)
			}
		}
		if bags > 1 {
			version += fmt.Sprintf(" bags %d", bags)
		}
	}
	m := model.New(version, bits, w, 1, 0)
	// calibration on documents the weights were not trained on
	var margins []float64
	var gold []bool
	for _, ex := range calibEx {
		s := train.Encode(ex)
		tagged, _ := m.Tag(nil, ex.Text)
		for i, t := range tagged {
			if s.Ignore[i] {
				continue
			}
			margins = append(margins, float64(t.Margin))
			gold = append(gold, s.Gold[i] != model.O)
		}
	}
	a, b := train.Calibrate(margins, gold)
	m.A, m.B = float32(a), float32(b)
	fmt.Fprintf(os.Stderr, "calibrated on %d words: P = 1/(1+exp(-(%.4f*margin%+.4f)))\n", len(margins), a, b)
	probs := make([]float64, len(margins))
	for i, x := range margins {
		probs[i] = 1 / (1 + math.Exp(-(a*x + b)))
	}
	bins, ece := train.Reliability(probs, gold, 10)
	train.WriteReliability(os.Stderr, bins, ece)
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "model %q: %d bytes, sha256 %x (%.1fs)\n", version, buf.Len(), sha256.Sum256(buf.Bytes()), time.Since(t0).Seconds())
	if out == "" {
		return nil
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// synthKind spreads synthetic documents over kinds: notes most.
func synthKind(i int) int {
	switch i % 20 {
	case 0, 1, 2, 3, 4, 5, 6, 7, 8:
		return train.KindNote
	case 9, 10, 11:
		return train.KindCourt
	case 12, 13:
		return train.KindLetter
	case 14, 15, 16:
		return train.KindForm
	default:
		return train.KindNews
	}
}

func evaluate(modelPath, gold, part string, p float64, seed int64) error {
	f, err := os.Open(modelPath)
	if err != nil {
		return err
	}
	m, err := model.Decode(f)
	f.Close()
	if err != nil {
		return err
	}
	var exs []train.Example
	if gold == "intl" {
		exs = intlRecords(seed)
	} else {
		mapLabel := train.TabLabel
		switch {
		case strings.Contains(gold, "deid"):
			mapLabel = train.DeidLabel
		case strings.Contains(gold, "conll"):
			mapLabel = train.ConllLabel
		}
		f, err := os.Open(gold)
		if err != nil {
			return err
		}
		exs, err = train.ReadGold(f, mapLabel, func(id string) bool { return devsplit.In(id, part) })
		f.Close()
		if err != nil {
			return err
		}
	}
	s := train.NewScore(p)
	if showN > 0 && part != devsplit.Measured {
		s.Show, s.ShowN = os.Stdout, showN
	}
	for _, ex := range exs {
		s.Add(m, ex)
	}
	fmt.Printf("%s, %s part, %d documents, model %q, P >= %.2f\n", filepath.Base(gold), part, len(exs), m.Version, p)
	s.Write(os.Stdout)
	return nil
}

// intlRecords are the synthetic international records: names held out of
// training, in every kind of document.
func intlRecords(seed int64) []train.Example {
	g := train.NewGenerator(seed+104729, true)
	g.Intl = true
	exs := make([]train.Example, 0, 2000)
	for i := 0; i < 2000; i++ {
		exs = append(exs, g.Doc(i%5))
	}
	return exs
}

// writeIntl writes intlRecords as annotated JSONL (offsets in code
// points, labels PERSON, LOCATION, ORGANIZATION, DATE), so that the whole
// chain can be measured on them with veil eval and a profile.
func writeIntl(path string, seed int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	labels := map[int]string{train.Per: "PERSON", train.Loc: "LOCATION", train.Org: "ORGANIZATION", train.Date: "DATE"}
	type span struct {
		Start int    `json:"start"`
		End   int    `json:"end"`
		Label string `json:"label"`
		Kind  string `json:"kind"`
	}
	enc := json.NewEncoder(f)
	for i, ex := range intlRecords(seed) {
		rec := struct {
			ID    string `json:"id"`
			Text  string `json:"text"`
			Spans []span `json:"spans"`
		}{ID: fmt.Sprintf("intl:%d", i), Text: ex.Text, Spans: []span{}}
		for _, sp := range ex.Spans {
			l, ok := labels[sp.Type]
			if !ok {
				continue
			}
			rec.Spans = append(rec.Spans, span{Start: utf8.RuneCountInString(ex.Text[:sp.Start]), End: utf8.RuneCountInString(ex.Text[:sp.End]), Label: l, Kind: "direct"})
		}
		if err := enc.Encode(rec); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
