package strindex

import (
	"encoding/binary"
	"math/bits"
	"unsafe"
)

// Hash returns a hash of s that is the same in every process and on every
// machine (wyhash's mixing: 64-bit loads, a 128-bit multiply), so that
// tables made at go generate time can store where each key goes and a
// start need not place them again. The hash.maphash it replaces takes a
// random seed a process and could not be stored. A fixed hash is no
// flooding risk here: the tables are made from Veil's own lists and do not
// change while a run looks words up, so an input word costs one probe
// sequence of a table whose clusters are fixed at build time.
//
// Changing Hash changes every generated table that stores slots: their
// headers record Fingerprint, and a start reads none whose fingerprint
// differs (it builds them instead), so a changed Hash costs time until
// go generate is run, never a different answer.
func Hash(s string) uint64 {
	return hash(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// HashBytes is Hash of the string held in b.
func HashBytes(b []byte) uint64 { return hash(b) }

const (
	p0 = 0xa0761d6478bd642f
	p1 = 0xe7037ed1a0b428db
	p2 = 0x8ebc6af09c88c6e3
	p3 = 0x589965cc75374cc3
)

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

func hash(p []byte) uint64 {
	n := len(p)
	seed := uint64(p0)
	var a, b uint64
	switch {
	case n == 0:
	case n < 4:
		a = uint64(p[0])<<16 | uint64(p[n>>1])<<8 | uint64(p[n-1])
	case n <= 8:
		a = uint64(binary.LittleEndian.Uint32(p))
		b = uint64(binary.LittleEndian.Uint32(p[n-4:]))
	case n <= 16:
		a = binary.LittleEndian.Uint64(p)
		b = binary.LittleEndian.Uint64(p[n-8:])
	default:
		q := p
		for len(q) > 16 {
			seed = mix(binary.LittleEndian.Uint64(q)^p1, binary.LittleEndian.Uint64(q[8:])^seed)
			q = q[16:]
		}
		a = binary.LittleEndian.Uint64(p[n-16:])
		b = binary.LittleEndian.Uint64(p[n-8:])
	}
	return mix(p2^uint64(n), mix(a^p1, b^seed^p3))
}

// Fingerprint is Hash's answers on strings of every length class, as one
// number: generated tables record it, and a start reads a table only if
// its fingerprint is this one. The strings hold ASCII, UTF-8 beyond ASCII
// and bytes that are no UTF-8 ("é\xff\x80"), so that a change of how
// Hash reads high bytes changes the fingerprint too.
func Fingerprint() uint64 {
	const ascii = "Orsolya Quillanby, Tamsin Everard: tables made at go generate time"
	f := uint64(0)
	for _, text := range []string{ascii, "é\xff\x80" + ascii + "\x80é"} {
		for _, l := range []int{0, 1, 2, 3, 4, 7, 8, 9, 16, 17, 33, len(text)} {
			f = f*31 + Hash(text[:l])
		}
	}
	return f
}
