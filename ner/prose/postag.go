package prose

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jdkato/prose/v2"
	"github.com/mingrammer/commonregex"

	"github.com/veilhq/veil/internal/strindex"
)

// posTagger is prose's part-of-speech tagger (perceptronTagger.tag and
// averagedPerceptron.predict, tag.go of prose v2.0.0, MIT licence) with
// its weights indexed once and its features built in one reused buffer.
// prose joins fourteen feature strings for every token into a new map,
// looks each up in a map of maps and sums the classes' scores in another
// new map; that was most of prose's time in detection. The tags are
// prose's (TestPOSTagsMatchProse): the same features, weights, special
// cases and order of tokens. prose sums a token's scores in the random
// order of a map, so on an exact tie of two classes prose itself may
// return either; here the first class of the model's list wins.
type posTagger struct {
	classes []string
	words   *strindex.Index // the words of fixed tags (prose's tagMap)
	tags    []string        // tags[i]: the tag of words' word i
	feats   *strindex.Index // feature i's weights: lw[starts[i]:starts[i+1]]
	starts  []int32
	lw      []classWeight
}

// fixedTag returns the tag prose's tagMap gives word, if it has one.
func (pt *posTagger) fixedTag(word string) (string, bool) {
	i, ok := pt.words.Get(word)
	if !ok {
		return "", false
	}
	return pt.tags[i], true
}

type classWeight struct {
	class int32
	w     float64
}

// posTags is the tagger of the prebuilt tagger.bin, indexed as it is
// read; nil when tagger.bin cannot be read (made from another version of
// prose): prose then loads its model and tags as before.
var posTags = sync.OnceValue(func() *posTagger {
	t, err := parsePOSTagger(prebuiltTagger, proseVersion())
	if err != nil {
		return nil
	}
	return t
})

// parsePOSTagger reads encodeTagger's form into a posTagger, without
// prose's map per feature; linked is as for parseTagger.
func parsePOSTagger(text, linked string) (*posTagger, error) {
	t := &posTagger{}
	idx := map[string]int32{}
	class := func(c string) int32 {
		i, ok := idx[c]
		if !ok {
			i = int32(len(t.classes))
			idx[c] = i
			t.classes = append(t.classes, c)
		}
		return i
	}
	var byNumber []int32 // the class of each number of the file's classes
	placed := false
	_, err := readTagger(text, linked, taggerReader{
		classes: func(n int) { t.classes = make([]string, 0, n) },
		class:   func(c string) { byNumber = append(byNumber, class(c)) },
		tags: func(n int) {
			t.words = strindex.ForPush(n)
			t.tags = make([]string, 0, n)
		},
		tag: func(w, tag string) {
			t.words.Push(w)
			t.tags = append(t.tags, tag)
		},
		feats: func(n, weights int) {
			t.feats = strindex.ForPush(n)
			t.starts = make([]int32, 1, n+1)
			t.lw = make([]classWeight, 0, weights)
		},
		feature: func(f string, _ int) {
			t.feats.Push(f)
			t.starts = append(t.starts, int32(len(t.lw)))
		},
		weight: func(ci int, _ string, w float64) {
			t.lw = append(t.lw, classWeight{byNumber[ci], w})
			t.starts[len(t.starts)-1] = int32(len(t.lw))
		},
		tagSlots:  func(s []uint32) { placed = t.words.PlaceAt(s) },
		featSlots: func(s []uint32) { placed = placed && t.feats.PlaceAt(s) },
	})
	if err != nil {
		return nil, err
	}
	if t.words == nil || t.feats == nil || !placed {
		return nil, errors.New("prose: malformed prebuilt tagger")
	}
	return t, nil
}

// prose's patterns of tokens with fixed tags (tag.go).
var (
	noneTag = regexp.MustCompile(`^(?:0|\*[\w?]\*|\*\-\d{1,3}|\*[A-Z]+\*\-\d{1,3}|\*)$`)
	keepTag = regexp.MustCompile(`^\-[A-Z]{3}\-$`)
)

// tag sets the Tag of every token as prose's tagger does. Tokens that
// prose's tokenizer shares between equal words get the tag of their last
// place, as in prose.
func (pt *posTagger) tag(tokens []*prose.Token) {
	p1, p2 := "-START-", "-START2-"
	ctx := make([]string, len(tokens)+4)
	ctx[0], ctx[1] = p1, p2
	for i, t := range tokens {
		ctx[i+2] = normalize(t.Text)
	}
	ctx[len(ctx)-2], ctx[len(ctx)-1] = "-END-", "-END2-"
	s := scorer{scores: make([]float64, len(pt.classes)), seen: make([]bool, len(pt.classes))}
	for i, t := range tokens {
		word := t.Text
		var tag string
		switch {
		case word == "-":
			tag = "-"
		case emoticons[word]:
			tag = "SYM"
		// a link has a dot and an e-mail address an @: the expressions
		// cannot match without one
		case strings.ContainsAny(word, ".@") && (commonregex.LinkRegex.MatchString(word) ||
			commonregex.EmailRegex.MatchString(word) || strings.HasPrefix(word, "@")):
			tag = "NN"
		// noneTag's words begin with 0 or *, keepTag's are five bytes
		// from a hyphen: the expressions cannot match another word
		case word != "" && (word[0] == '0' || word[0] == '*') && noneTag.MatchString(word):
			tag = "-NONE-"
		case len(word) == 5 && word[0] == '-' && keepTag.MatchString(word):
			tag = word
		default:
			var found bool
			if tag, found = pt.fixedTag(word); !found {
				tag = pt.predict(&s, i, ctx, word, p1, p2)
			}
		}
		t.Tag = tag
		p2, p1 = p1, tag
	}
}

// scorer holds a token's class scores, reused from token to token.
type scorer struct {
	scores  []float64
	seen    []bool
	touched []int32
	buf     []byte
}

// predict is prose's featurize and predict: the class with the highest
// sum of the weights of the token's features, among the classes that
// some feature has a weight for ("" if none has).
func (pt *posTagger) predict(s *scorer, i int, ctx []string, w, p1, p2 string) string {
	suf := min(len(w), 3)
	i = min(len(ctx)-2, i+2)
	iminus := min(len(ctx[i-1]), 3)
	iplus := min(len(ctx[i+1]), 3)
	feature := func(parts ...string) {
		s.buf = s.buf[:0]
		for k, p := range parts {
			if k > 0 {
				s.buf = append(s.buf, ' ')
			}
			s.buf = append(s.buf, p...)
		}
		f, ok := pt.feats.GetBytes(s.buf)
		if !ok {
			return
		}
		for _, cw := range pt.lw[pt.starts[f]:pt.starts[f+1]] {
			if !s.seen[cw.class] {
				s.seen[cw.class] = true
				s.touched = append(s.touched, cw.class)
			}
			s.scores[cw.class] += cw.w
		}
	}
	var first [utf8.UTFMax]byte
	n := utf8.EncodeRune(first[:], rune(w[0])) // prose's string(w[0]): the byte as a rune
	feature("bias")
	feature("i suffix", w[len(w)-suf:])
	feature("i pref1", string(first[:n]))
	feature("i-1 tag", p1)
	feature("i-2 tag", p2)
	feature("i tag+i-2 tag", p1, p2)
	feature("i word", ctx[i])
	feature("i-1 tag+i word", p1, ctx[i])
	feature("i-1 word", ctx[i-1])
	feature("i-1 suffix", ctx[i-1][len(ctx[i-1])-iminus:])
	feature("i-2 word", ctx[i-2])
	feature("i+1 word", ctx[i+1])
	feature("i+1 suffix", ctx[i+1][len(ctx[i+1])-iplus:])
	feature("i+2 word", ctx[i+2])
	best, class := 0.0, int32(-1)
	for c := range pt.classes {
		if s.seen[c] && (class < 0 || s.scores[c] > best) {
			best, class = s.scores[c], int32(c)
		}
	}
	for _, c := range s.touched {
		s.scores[c], s.seen[c] = 0, false
	}
	s.touched = s.touched[:0]
	if class < 0 {
		return ""
	}
	return pt.classes[class]
}

// normalize is prose's normalize (tag.go): a word as the tagger's
// context sees it.
func normalize(word string) string {
	if word == "" {
		return word
	}
	if strings.Contains(word, "-") && word[0] != '-' {
		return "!HYPHEN"
	}
	if len(word) == 4 {
		if _, err := strconv.Atoi(word); err == nil {
			return "!YEAR"
		}
	}
	if word[0] >= '0' && word[0] <= '9' {
		return "!DIGITS"
	}
	return strings.ToLower(word)
}

// emoticons is prose's list of emoticons (tokenize.go), tagged SYM.
var emoticons = map[string]bool{
	"(-8": true, "(-;": true, "(-_-)": true, "(._.)": true, "(:": true, "(=": true, "(o:": true,
	"(¬_¬)": true, "(ಠ_ಠ)": true, "(╯°□°）╯︵┻━┻": true, "-__-": true, "8-)": true, "8-D": true,
	"8D": true, ":(": true, ":((": true, ":(((": true, ":()": true, ":)))": true, ":-)": true,
	":-))": true, ":-)))": true, ":-*": true, ":-/": true, ":-X": true, ":-]": true, ":-o": true,
	":-p": true, ":-x": true, ":-|": true, ":-}": true, ":0": true, ":3": true, ":P": true,
	":]": true, ":`(": true, ":`)": true, ":`-(": true, ":o": true, ":o)": true, "=(": true,
	"=)": true, "=D": true, "=|": true, "@_@": true, "O.o": true, "O_o": true, "V_V": true,
	"XDD": true, "[-:": true, "^___^": true, "o_0": true, "o_O": true, "o_o": true, "v_v": true,
	"xD": true, "xDD": true, "¯\\(ツ)/¯": true,
}
