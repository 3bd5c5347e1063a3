package prose

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"unsafe"

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

const classifierMagic = "veil prose classifier 3\n"

// encodeClassifier writes c's labels and index, made from prose version:
//
//	veil prose classifier 3
//	prose VERSION
//	hash FINGERPRINT (strindex.Fingerprint: the hash the slots were placed with)
//	sum CRC (CRC-32C of the rest of the text, from the next line on)
//	labels N, then N lines: a label
//	weights W (how many in all)
//	then for each feature, in featureOrder, binary:
//	  its name (a uvarint length, the bytes), M and SLOTS (uvarints),
//	  M values in the order of their slots: the value (length, bytes),
//	  its K weights (a uvarint K, then K times: the label's number,
//	  a uvarint, and the weight, its 8 bytes little-endian; by label),
//	  then strindex.AppendBitmap of the values' SLOTS slots.
//
// A start reads the weights and the values' slots as they are: no
// number to parse, no value to hash or place (the text form parsed
// 127,000 values' hex weights and placed them: ~20 ms a start).
func encodeClassifier(c *classifier, version string) []byte {
	var b []byte
	b = fmt.Appendf(b, "labels %d\n", len(c.labels))
	for _, l := range c.labels {
		b = append(append(b, l...), '\n')
	}
	b = fmt.Appendf(b, "weights %d\n", len(c.weights))
	for fi, x := range c.values {
		b = appendString(b, featureOrder[fi])
		keys, slots, n := x.SlotOrder()
		b = binary.AppendUvarint(b, uint64(len(keys)))
		b = binary.AppendUvarint(b, uint64(n))
		for _, j := range keys {
			v := x.Key(j)
			b = appendString(b, v)
			ws := append([]weight(nil), c.lookup(fi, v)...)
			sort.Slice(ws, func(i, j int) bool { return ws[i].label < ws[j].label })
			b = binary.AppendUvarint(b, uint64(len(ws)))
			for _, w := range ws {
				b = binary.AppendUvarint(b, uint64(w.label))
				b = binary.LittleEndian.AppendUint64(b, math.Float64bits(w.w))
			}
		}
		b = strindex.AppendBitmap(b, slots, n)
	}
	h := fmt.Appendf([]byte(classifierMagic), "prose %s\n", version)
	return append(appendSums(h, b), b...)
}

// appendString appends s as a uvarint length and its bytes.
func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
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
	if err := r.sums(bad); err != nil {
		return nil, err
	}
	return parseClassifierBody(r, bad)
}

// parseClassifierBody is parseClassifier after the sum's line: it never
// panics, whatever the text holds, but trusts the slots it reads to be
// where strindex.Hash puts their values (the sum sees to that).
func parseClassifierBody(r *lineReader, bad error) (*classifier, error) {
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
	nw := r.count("weights ")
	if nw < 0 || nw > len(r.rest)/9 { // a weight takes 9 bytes at least
		return nil, bad
	}
	// One array holds every weight; the index's slices are parts of it.
	all := make([]weight, 0, nw)
	b := &binReader{rest: r.rest}
	for fi, name := range featureOrder {
		if b.str(b.uvarint()) != name {
			return nil, bad
		}
		n, nslots := b.uvarint(), b.uvarint()
		if b.bad {
			return nil, bad
		}
		c.values[fi] = strindex.ForPush(n)
		c.starts[fi] = append(make([]int32, 0, n+1), int32(len(all)))
		for range n {
			c.values[fi].Push(b.str(b.uvarint()))
			k := b.uvarint()
			if k == 0 || k > nw-len(all) {
				return nil, bad
			}
			for range k {
				label := b.uvarint()
				x := b.float()
				if b.bad || label >= nl {
					return nil, bad
				}
				all = append(all, weight{label, x})
			}
			c.starts[fi] = append(c.starts[fi], int32(len(all)))
		}
		if b.bad {
			return nil, bad
		}
		slots, rest, ok := strindex.BitmapSlots(b.rest, nslots, n)
		if !ok || !c.values[fi].PlaceAt(slots) {
			return nil, bad
		}
		b.rest = rest
	}
	if b.rest != "" || len(all) != nw {
		return nil, bad
	}
	c.weights = all
	return c, nil
}

// binReader reads the binary part of a prebuilt file. A read past the end
// or a malformed number sets bad and returns a zero value (and every read
// after it too), so that a reader checks bad once after a run of reads.
type binReader struct {
	rest string
	bad  bool
}

// uvarint reads a uvarint: a length, a count or a number that has at
// least one byte of the text left for it, so no larger than that.
func (r *binReader) uvarint() int {
	if len(r.rest) > 0 && r.rest[0] < 0x80 { // most are one byte
		v := int(r.rest[0])
		r.rest = r.rest[1:]
		return v
	}
	var v uint64
	for i := 0; i < len(r.rest) && i < binary.MaxVarintLen64; i++ {
		c := r.rest[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			if v > uint64(len(r.rest)) || i == binary.MaxVarintLen64-1 && c > 1 {
				break
			}
			r.rest = r.rest[i+1:]
			return int(v)
		}
	}
	r.bad, r.rest = true, ""
	return 0
}

// str reads n bytes.
func (r *binReader) str(n int) string {
	if n > len(r.rest) {
		r.bad, r.rest = true, ""
		return ""
	}
	s := r.rest[:n]
	r.rest = r.rest[n:]
	return s
}

// float reads a float64's 8 bytes, little-endian.
func (r *binReader) float() float64 {
	if len(r.rest) < 8 {
		r.bad, r.rest = true, ""
		return 0
	}
	x := uint64(r.rest[0]) | uint64(r.rest[1])<<8 | uint64(r.rest[2])<<16 | uint64(r.rest[3])<<24 |
		uint64(r.rest[4])<<32 | uint64(r.rest[5])<<40 | uint64(r.rest[6])<<48 | uint64(r.rest[7])<<56
	r.rest = r.rest[8:]
	return math.Float64frombits(x)
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

// appendSums appends the lines that let a start trust the slots of a
// file whose rest is body: strindex.Hash's fingerprint (the slots were
// found with it) and the CRC-32C of body.
func appendSums(b, body []byte) []byte {
	return fmt.Appendf(b, "hash %d\nsum %d\n", strindex.Fingerprint(), crc32.Checksum(body, castagnoli))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sums reads appendSums's lines: errOtherProse for slots found with
// another Hash (a start then loads prose's model as before), bad for a
// rest whose sum differs.
func (r *lineReader) sums(bad error) error {
	h, ok := r.header("hash ")
	if !ok {
		return bad
	}
	if h != strconv.FormatUint(strindex.Fingerprint(), 10) {
		return errOtherProse
	}
	sum, ok := r.header("sum ")
	if !ok || sum != strconv.FormatUint(uint64(crc32.Update(0, castagnoli, unsafe.Slice(unsafe.StringData(r.rest), len(r.rest)))), 10) {
		return bad
	}
	return nil
}
