package prose

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/veilhq/veil/internal/strindex"
)

// The classifier's index (newClassifier) is made once from prose's model
// and stored in classifier.bin (uncompressed: inflating it cost a start
// more than reading it; git compresses it in the repository); a start
// reads it instead of decompressing
// and decoding prose's gob files and indexing 150,000 weights (a third of
// a CPU second). The file names the version of prose it was made from: a
// binary built with another version loads prose's model as before, and
// TestClassifierPrebuilt fails until the file is made again:
//
//	go generate ./ner/prose
//
//go:generate go test . -count=1 -run ^Test(Classifier|Tagger)Prebuilt$ -update

//go:embed classifier.bin
var prebuiltClassifier string

// proseModule is the module whose model classifier.bin and tagger.bin are made from.
const proseModule = "github.com/jdkato/prose/v2"

// proseVersion returns the version of prose linked into the binary, ""
// when the binary does not say.
func proseVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == proseModule {
				if d.Replace != nil {
					return d.Replace.Path + "@" + d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return ""
}

const classifierMagic = "veil prose classifier 2\n"

// encodeClassifier writes c's labels and index, sorted, made from prose
// version:
//
//	veil prose classifier 2
//	prose VERSION
//	labels N, then N lines: a label
//	feature NAME M, then M lines: VALUE, and for each label with a
//	weight, a tab, the label's number, a space and the weight
//
// a VALUE holding a tab, a newline or starting with '"' is quoted (Go
// syntax). A weight is the 16 hexadecimal digits of its bits
// (math.Float64bits): read back exactly, and without
// strconv.ParseFloat on the shortest decimal of prose's weights (about
// 20 characters each): BenchmarkDecodeClassifier went from 47 to 31 ms
// (fastest of six, on a loaded machine); the file is 0.65 MB smaller.
func encodeClassifier(c *classifier, version string) []byte {
	var b bytes.Buffer
	b.WriteString(classifierMagic)
	fmt.Fprintf(&b, "prose %s\nlabels %d\n", version, len(c.labels))
	for _, l := range c.labels {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	for fi, x := range c.values {
		values := make([]string, x.Len())
		for i := range values {
			values[i] = x.Key(i)
		}
		sort.Strings(values)
		fmt.Fprintf(&b, "feature %s %d\n", featureOrder[fi], len(values))
		for _, v := range values {
			if strings.ContainsAny(v, "\t\n") || strings.HasPrefix(v, `"`) {
				b.WriteString(strconv.Quote(v))
			} else {
				b.WriteString(v)
			}
			ws := append([]weight(nil), c.lookup(fi, v)...)
			sort.Slice(ws, func(i, j int) bool { return ws[i].label < ws[j].label })
			for _, w := range ws {
				fmt.Fprintf(&b, "\t%d %016x", w.label, math.Float64bits(w.w))
			}
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

var errOtherProse = errors.New("prose: the prebuilt classifier was made from another version of prose")

// decodeClassifier reads the classifier from text (encodeClassifier's
// form), if it was made from the version of prose linked in.
func decodeClassifier(text string) (*classifier, error) {
	return parseClassifier(text, proseVersion())
}

// parseClassifier reads encodeClassifier's form; linked is the version
// of prose linked in ("" if unknown: the file is trusted, as
// TestClassifierPrebuilt checks it).
func parseClassifier(text, linked string) (*classifier, error) {
	bad := errors.New("prose: malformed prebuilt classifier")
	r := &lineReader{rest: text}
	if err := r.start(classifierMagic, linked, bad); err != nil {
		return nil, err
	}
	nl := r.count("labels ")
	if nl <= 0 || nl > 1000 {
		return nil, bad
	}
	c := &classifier{basic: make(map[string]bool, len(enWordList))}
	for _, w := range enWordList {
		c.basic[w] = true
	}
	for range nl {
		l, ok := r.line()
		if !ok {
			return nil, bad
		}
		c.labels = append(c.labels, l)
	}
	// One array holds every weight; the index's slices are parts of it.
	all := make([]weight, 0, strings.Count(r.rest, "\t"))
	for fi, name := range featureOrder {
		n := r.count("feature " + name + " ")
		if n < 0 {
			return nil, bad
		}
		c.values[fi] = strindex.New(n)
		c.starts[fi] = append(make([]int32, 0, n+1), int32(len(all)))
		for range n {
			l, ok := r.line()
			if !ok {
				return nil, bad
			}
			v, ws, _ := strings.Cut(l, "\t")
			if strings.HasPrefix(v, `"`) {
				var err error
				if v, err = strconv.Unquote(v); err != nil {
					return nil, bad
				}
			}
			c.values[fi].Push(v)
			start := len(all)
			for ws != "" {
				var w string
				w, ws, _ = strings.Cut(ws, "\t")
				li, f, _ := strings.Cut(w, " ")
				label, err1 := strconv.Atoi(li)
				x, ok := parseBits(f)
				if err1 != nil || !ok || label < 0 || label >= nl {
					return nil, bad
				}
				all = append(all, weight{label, x})
			}
			if start == len(all) {
				return nil, bad
			}
			c.starts[fi] = append(c.starts[fi], int32(len(all)))
		}
		if !c.values[fi].Place() {
			return nil, bad // a value twice
		}
	}
	if r.rest != "" {
		return nil, bad
	}
	c.weights = all
	return c, nil
}

// parseBits reads a float64 written as the 16 hexadecimal digits
// (lower case) of its bits; false for anything else.
func parseBits(s string) (float64, bool) {
	if len(s) != 16 {
		return 0, false
	}
	var u uint64
	for i := range len(s) {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		default:
			return 0, false
		}
		u = u<<4 | uint64(c)
	}
	return math.Float64frombits(u), true
}

// lineReader reads the prebuilt files' line-based form: a magic string,
// a "prose <version>" line, then header lines ("<prefix><value>") and
// entries, one per line.
type lineReader struct{ rest string }

// line returns the next line; false at the end of the text.
func (r *lineReader) line() (string, bool) {
	l, rest, ok := strings.Cut(r.rest, "\n")
	r.rest = rest
	return l, ok
}

// header returns the next line's value after prefix; false when the
// text ends or the line does not start with prefix.
func (r *lineReader) header(prefix string) (string, bool) {
	l, ok := r.line()
	if !ok {
		return "", false
	}
	return strings.CutPrefix(l, prefix)
}

// count returns the next header's value as a count, or -1 when it is
// missing, not a number, negative, or more than the bytes left: each
// counted entry is a line of at least one byte, and the callers size
// their tables by the count before they read a line (a corrupt count
// must not ask for more memory than the text could fill).
func (r *lineReader) count(prefix string) int {
	s, ok := r.header(prefix)
	n, err := strconv.Atoi(s)
	if !ok || err != nil || n < 0 || n > len(r.rest) {
		return -1
	}
	return n
}

// start reads magic and the version of prose that made the file: bad
// when either is missing, errOtherProse for a version other than linked
// ("" trusts any).
func (r *lineReader) start(magic, linked string, bad error) error {
	var ok bool
	if r.rest, ok = strings.CutPrefix(r.rest, magic); !ok {
		return bad
	}
	made, ok := r.header("prose ")
	if !ok {
		return bad
	}
	if linked != "" && made != linked {
		return errOtherProse
	}
	return nil
}
