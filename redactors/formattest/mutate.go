package formattest

import (
	"fmt"
	"math/rand/v2"
)

// Mutant is a damaged copy of a fixture.
type Mutant struct {
	// Name says what was done ("flip bit 3 of byte 1207"): offsets only,
	// never bytes of the file.
	Name string
	Data []byte
}

// Mutants returns n deterministic damaged copies of data: truncations,
// bit flips, inserted, deleted and duplicated bytes, in turn. The same
// seed gives the same mutants.
func Mutants(data []byte, n int, seed uint64) []Mutant {
	rng := rand.New(rand.NewPCG(seed, uint64(len(data))))
	var out []Mutant
	add := func(name string, b []byte) { out = append(out, Mutant{name, b}) }
	size := len(data)
	for i := 0; len(out) < n; i++ {
		if size == 0 {
			ins := make([]byte, 1+rng.IntN(8))
			fill(rng, ins)
			add(fmt.Sprintf("%d random bytes", len(ins)), ins)
			continue
		}
		at := rng.IntN(size)
		switch i % 6 {
		case 0: // truncation, the first few at fixed places
			cut := at
			switch i / 6 {
			case 0:
				cut = size / 2
			case 1:
				cut = size - 1
			case 2:
				cut = max(0, size-22) // a zip's end of central directory, a PDF's startxref
			}
			add(fmt.Sprintf("truncated to %d of %d bytes", cut, size), clone(data[:cut]))
		case 1: // one bit
			b := clone(data)
			bit := rng.IntN(8)
			b[at] ^= 1 << bit
			add(fmt.Sprintf("bit %d of byte %d flipped", bit, at), b)
		case 2: // a byte set to a value parsers treat specially
			b := clone(data)
			v := specials[rng.IntN(len(specials))]
			b[at] = v
			add(fmt.Sprintf("byte %d set to 0x%02x", at, v), b)
		case 3: // bytes inserted
			ins := make([]byte, 1+rng.IntN(8))
			fill(rng, ins)
			add(fmt.Sprintf("%d bytes inserted at %d", len(ins), at), splice(data, at, at, ins))
		case 4: // bytes deleted
			end := min(size, at+1+rng.IntN(16))
			add(fmt.Sprintf("bytes %d-%d deleted", at, end), splice(data, at, end, nil))
		case 5: // a run of bytes repeated in place
			end := min(size, at+1+rng.IntN(64))
			add(fmt.Sprintf("bytes %d-%d repeated", at, end), splice(data, end, end, data[at:end]))
		}
	}
	return out
}

// specials are byte values that delimit or escape in the formats Veil
// reads (PDF delimiters and escapes, XML markup, zip signatures, UTF-8
// lead and continuation bytes, NUL, 0xFF).
var specials = []byte{0x00, 0xFF, '(', ')', '<', '>', '[', ']', '/', '\\', '&', ';', '"', 'P', 'K', '\n', '\r', 0x80, 0xC3, 0xE2, 0xF0}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

func splice(data []byte, from, to int, ins []byte) []byte {
	out := make([]byte, 0, len(data)-(to-from)+len(ins))
	out = append(out, data[:from]...)
	out = append(out, ins...)
	return append(out, data[to:]...)
}

func fill(rng *rand.Rand, b []byte) {
	for i := range b {
		if rng.IntN(2) == 0 {
			b[i] = specials[rng.IntN(len(specials))]
		} else {
			b[i] = byte(rng.IntN(256))
		}
	}
}
