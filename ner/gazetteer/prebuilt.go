package gazetteer

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"hash/maphash"
	"sort"
	"strconv"
	"strings"
	"unsafe"

	"github.com/klauspost/compress/zstd"
	"github.com/veilhq/veil/ner/lexicon"
)

// The tables that build makes from the lists at every start (most of a
// short run's start-up: reading, folding and judging half a million words
// and 150,000 places) are made once, when the lists change, and stored in
// prebuilt.bin.zst; a start only decompresses them (zstd, ~10 ms) and
// reads them into the lookup table. The file records a digest of the
// lists it was made from (lexicon.Digest): a start whose lists differ from
// those builds the tables from the lists instead, so a stale file costs
// time, never a different answer, and TestPrebuilt fails until it is made
// again:
//
//	go generate ./ner/gazetteer
//
//go:generate go test . -count=1 -run ^TestPrebuilt$ -update

//go:embed prebuilt.bin.zst
var prebuiltZst []byte

// prebuiltText returns the tables of prebuilt.bin.zst in encode's form,
// or "" when they cannot be decompressed (a start then builds them from
// the lists, as for a stale file).
func prebuiltText() string {
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return ""
	}
	defer dec.Close()
	b, err := dec.DecodeAll(prebuiltZst, nil)
	if err != nil || len(b) == 0 {
		return ""
	}
	// b is not kept or changed elsewhere: the tables read it in place.
	return unsafe.String(&b[0], len(b))
}

// compressPrebuilt returns text as prebuilt.bin.zst stores it.
func compressPrebuilt(text []byte) ([]byte, error) {
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	return enc.EncodeAll(text, nil), nil
}

// sources are the lexicon concepts the tables are made from.
var sources = []string{"cities", "common-words", "countries", "dictionary-words", "first-names", "last-names", "regions", "safe-words", "us-states"}

// counted are the lists whose lengths Set.Len returns.
var counted = []Flags{Safe, Extra, First, Last, dictWord}

const magic = "veil gazetteer tables 1\n"

// encode writes the tables d of the lists whose digest is digest:
//
//	veil gazetteer tables 1
//	sources DIGEST
//	counts SAFE EXTRA FIRST LAST DICT
//	keys N
//	N records: one byte of Flags, the key, "\n" (in the table's order)
//	places M
//	M records: "1" for a town or "0", the phrase, "\n" (sorted)
func encode(d *data, digest string) []byte {
	var b bytes.Buffer
	b.WriteString(magic)
	fmt.Fprintf(&b, "sources %s\ncounts", digest)
	for _, f := range counted {
		fmt.Fprintf(&b, " %d", d.count[f])
	}
	fmt.Fprintf(&b, "\nkeys %d\n", len(d.flags.ends))
	d.flags.each(func(k string, f Flags) {
		b.WriteByte(byte(f))
		b.WriteString(k)
		b.WriteByte('\n')
	})
	phrases := make([]string, 0, len(d.places))
	for p := range d.places {
		phrases = append(phrases, p)
	}
	sort.Strings(phrases)
	fmt.Fprintf(&b, "places %d\n", len(phrases))
	for _, p := range phrases {
		if d.places[p] {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

var errStale = errors.New("gazetteer: the prebuilt tables were made from other lists")

// parse reads the tables from text, encode's form.
func parse(text string) (*data, error) {
	bad := errors.New("gazetteer: malformed prebuilt tables")
	line := func() string {
		l, rest, _ := strings.Cut(text, "\n")
		text = rest
		return l
	}
	field := func(name string) string {
		v, ok := strings.CutPrefix(line(), name+" ")
		if !ok {
			return ""
		}
		return v
	}
	number := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return -1
		}
		return n
	}
	var ok bool
	if text, ok = strings.CutPrefix(text, magic); !ok {
		return nil, bad
	}
	want, err := lexicon.Digest(sources...)
	if err != nil {
		return nil, err
	}
	if field("sources") != want {
		return nil, errStale
	}
	d := &data{count: map[Flags]int{}}
	counts := strings.Fields(field("counts"))
	if len(counts) != len(counted) {
		return nil, bad
	}
	for i, f := range counted {
		if d.count[f] = number(counts[i]); d.count[f] < 0 {
			return nil, bad
		}
	}
	n := number(field("keys"))
	if n < 0 {
		return nil, bad
	}
	t := &table{
		seed:  maphash.MakeSeed(),
		blob:  make([]byte, 0, max(0, len(text)-2*n)),
		ends:  make([]uint32, 0, n),
		flags: make([]Flags, 0, n),
	}
	for range n {
		if len(text) < 2 {
			return nil, bad
		}
		f := Flags(text[0])
		k, rest, found := strings.Cut(text[1:], "\n")
		if !found || k == "" {
			return nil, bad
		}
		text = rest
		t.blob = append(t.blob, k...)
		t.ends = append(t.ends, uint32(len(t.blob)))
		t.flags = append(t.flags, f)
	}
	t.rehash()
	if len(t.ends) != n {
		return nil, bad
	}
	d.flags = t
	m := number(field("places"))
	if m < 0 {
		return nil, bad
	}
	d.places = make(map[string]bool, m)
	for range m {
		l, rest, found := strings.Cut(text, "\n")
		if !found || len(l) < 2 || l[0] != '0' && l[0] != '1' {
			return nil, bad
		}
		text = rest
		d.places[l[1:]] = l[0] == '1'
	}
	if text != "" || len(d.places) != m {
		return nil, bad
	}
	return d, nil
}
