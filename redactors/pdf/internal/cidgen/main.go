// Command cidgen writes cid2uni.bin.gz, the CID -> Unicode tables of Adobe's
// public character collections, from the collections' UCS2 CMaps
// (Adobe-Japan1-UCS2, …) as Debian's poppler-data ships them (Adobe's
// BSD-3-Clause licence: redactors/pdf/cid2uni.LICENSE). It runs at
// development time (go generate ./redactors/pdf); the reader is
// redactors/pdf/cidsystem.go, which documents the format.
//
// usage: cidgen -cmaps /usr/share/poppler/cMap -out cid2uni.bin.gz
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf16"
)

// collections are the orderings read, each from <dir>/Adobe-<o>/Adobe-<o>-UCS2.
var collections = []string{"CNS1", "GB1", "Japan1", "KR", "Korea1"}

// uniCMaps are the predefined Unicode CMaps read, with their collection.
var uniCMaps = [][2]string{{"UniCNS-UTF16-H", "CNS1"}, {"UniGB-UTF16-H", "GB1"}, {"UniJIS-UTF16-H", "Japan1"}, {"UniKS-UTF16-H", "Korea1"}}

func main() {
	dir := flag.String("cmaps", "/usr/share/poppler/cMap", "folder of the Adobe CMaps (Debian poppler-data)")
	out := flag.String("out", "cid2uni.bin.gz", "output file (gzip)")
	flag.Parse()
	var b bytes.Buffer
	b.WriteString("VCID1")
	for _, o := range collections {
		m, err := readUCS2(filepath.Join(*dir, "Adobe-"+o, "Adobe-"+o+"-UCS2"))
		if err != nil {
			log.Fatalf("cidgen: %s: %v", o, err)
		}
		encode(&b, o, m)
		fmt.Fprintf(os.Stderr, "cidgen: Adobe-%s: %d CIDs\n", o, len(m))
	}
	// Unicode -> CID of the predefined Uni…-UTF16-H CMaps, for fonts
	// whose Encoding names one of them (the codes are the text).
	for _, u := range uniCMaps {
		m, err := readUTF16(filepath.Join(*dir, "Adobe-"+u[1], u[0]))
		if err != nil {
			log.Fatalf("cidgen: %s: %v", u[0], err)
		}
		encode(&b, "U:"+u[1], m)
		fmt.Fprintf(os.Stderr, "cidgen: %s: %d code points\n", u[0], len(m))
	}
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	zw.Write(b.Bytes())
	if err := zw.Close(); err != nil {
		log.Fatalf("cidgen: %v", err)
	}
	if err := os.WriteFile(*out, z.Bytes(), 0o644); err != nil {
		log.Fatalf("cidgen: %v", err)
	}
}

// readUCS2 reads the bfchar and bfrange entries of a CID -> UCS-2 CMap.
func readUCS2(path string) (map[uint32][]rune, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[uint32][]rune{}
	mode := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasSuffix(line, "beginbfchar"):
			mode = "char"
			continue
		case strings.HasSuffix(line, "beginbfrange"):
			mode = "range"
			continue
		case strings.HasPrefix(line, "end"):
			mode = ""
			continue
		}
		if mode == "" || !strings.HasPrefix(line, "<") {
			continue
		}
		f := strings.Fields(strings.NewReplacer("<", " <", "[", " [ ", "]", " ] ").Replace(line))
		switch mode {
		case "char":
			if len(f) != 2 {
				return nil, fmt.Errorf("bad bfchar %q", line)
			}
			m[hexCID(f[0])] = text(f[1])
		case "range":
			if len(f) < 3 {
				return nil, fmt.Errorf("bad bfrange %q", line)
			}
			lo, hi := hexCID(f[0]), hexCID(f[1])
			if f[2] == "[" {
				for i, d := range f[3:] {
					if d == "]" || lo+uint32(i) > hi {
						break
					}
					m[lo+uint32(i)] = text(d)
				}
				continue
			}
			r := text(f[2])
			for c := lo; c <= hi; c++ {
				v := append([]rune(nil), r...)
				v[len(v)-1] += rune(c - lo)
				m[c] = v
			}
		}
	}
	return m, sc.Err()
}

// readUTF16 reads the cidchar and cidrange entries of a UTF-16 -> CID
// CMap as code point -> CID.
func readUTF16(path string) (map[uint32][]rune, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m := map[uint32][]rune{}
	mode := ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasSuffix(line, "begincidchar"):
			mode = "char"
			continue
		case strings.HasSuffix(line, "begincidrange"):
			mode = "range"
			continue
		case strings.HasPrefix(line, "end"):
			mode = ""
			continue
		}
		if mode == "" || !strings.HasPrefix(line, "<") {
			continue
		}
		f := strings.Fields(strings.NewReplacer("<", " <", ">", "> ").Replace(line))
		var cid int
		if _, err := fmt.Sscan(f[len(f)-1], &cid); err != nil {
			return nil, fmt.Errorf("bad entry %q", line)
		}
		lo := codePoint(f[0])
		hi := lo
		if mode == "range" {
			hi = codePoint(f[1])
		}
		for u := lo; u <= hi; u++ {
			if _, ok := m[u]; !ok {
				m[u] = []rune{rune(cid) + rune(u-lo)}
			}
		}
	}
	return m, nil
}

// codePoint decodes a UTF-16BE code of a Unicode CMap.
func codePoint(s string) uint32 {
	b, err := hex.DecodeString(strings.Trim(s, "<>"))
	if err != nil || (len(b) != 2 && len(b) != 4) {
		log.Fatalf("cidgen: bad code %q", s)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	r := utf16.Decode(u)
	if len(r) != 1 {
		log.Fatalf("cidgen: bad code %q", s)
	}
	return uint32(r[0])
}

func hexCID(s string) uint32 {
	b, err := hex.DecodeString(strings.Trim(s, "<>"))
	if err != nil || len(b) == 0 || len(b) > 4 {
		log.Fatalf("cidgen: bad code %q", s)
	}
	var v uint32
	for _, c := range b {
		v = v<<8 | uint32(c)
	}
	return v
}

// text decodes a UTF-16BE destination, dropping variation selectors (the
// character is the same letter).
func text(s string) []rune {
	b, err := hex.DecodeString(strings.Trim(s, "<>"))
	if err != nil || len(b)%2 != 0 || len(b) == 0 {
		log.Fatalf("cidgen: bad destination %q", s)
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	var out []rune
	for _, r := range utf16.Decode(u) {
		if r >= 0xFE00 && r <= 0xFE0F || r >= 0xE0100 && r <= 0xE01EF {
			continue
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		log.Fatalf("cidgen: empty destination %q", s)
	}
	return out
}

// encode appends one collection: its name, then runs sorted by CID. A run
// is uvarint(CID gap since the previous run's end), uvarint(n); n > 0: n
// CIDs mapping to consecutive single characters, the first given as a
// zigzag varint delta from the previous run's first character; n == 0:
// one CID mapping to several characters, uvarint(k) then k zigzag deltas
// as before.
func encode(b *bytes.Buffer, name string, m map[uint32][]rune) {
	cids := make([]uint32, 0, len(m))
	for c := range m {
		cids = append(cids, c)
	}
	sort.Slice(cids, func(i, j int) bool { return cids[i] < cids[j] })
	type run struct {
		cid uint32
		n   int
		r   []rune
	}
	var runs []run
	for _, c := range cids {
		r := m[c]
		if k := len(runs) - 1; k >= 0 && len(r) == 1 && runs[k].n > 0 &&
			runs[k].cid+uint32(runs[k].n) == c && runs[k].r[0]+rune(runs[k].n) == r[0] {
			runs[k].n++
			continue
		}
		n := 1
		if len(r) > 1 {
			n = 0
		}
		runs = append(runs, run{c, n, r})
	}
	var tmp [binary.MaxVarintLen64]byte
	uv := func(v uint64) { b.Write(tmp[:binary.PutUvarint(tmp[:], v)]) }
	sv := func(v int64) { b.Write(tmp[:binary.PutVarint(tmp[:], v)]) }
	uv(uint64(len(name)))
	b.WriteString(name)
	uv(uint64(len(runs)))
	next, prev := uint32(0), rune(0)
	for _, r := range runs {
		uv(uint64(r.cid - next))
		uv(uint64(r.n))
		if r.n == 0 {
			uv(uint64(len(r.r)))
		}
		for _, c := range r.r {
			sv(int64(c - prev))
			prev = c
		}
		if r.n > 0 {
			prev = r.r[0]
		}
		next = r.cid + uint32(max(r.n, 1))
	}
}
