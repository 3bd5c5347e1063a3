package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
)

// Repair of damaged files (issue 19): pdfcpu repairs a cross-reference
// section it cannot parse by scanning the file for objects, but not a
// table that parses and points at the wrong places (offsets shifted by an
// editor that rewrote the file, a table of another revision), which
// poppler and qpdf open by reconstructing it. When pdfcpu's reading fails
// or finds no catalog, rebuildXRef scans the file for "N G obj" headers
// (the last definition of a number wins, as in an incremental update),
// reads the members of every object stream from its header, and appends a
// cross-reference stream that lists them all, with the trailer entries of
// the last trailer (or cross-reference stream) that names a catalog found,
// else the last catalog found. The rebuilt file is read again; nothing
// else about it is trusted more than before (the page tree is walked as
// always, its loops and bounds checked).

var (
	objHeader  = regexp.MustCompile(`(?m)(?:^|[\r\n\s])(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj\b`)
	rootRef    = regexp.MustCompile(`/Root[ \t\r\n]*(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+R`)
	infoRef    = regexp.MustCompile(`/Info[ \t\r\n]*(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+R`)
	encryptRef = regexp.MustCompile(`/Encrypt[ \t\r\n]*(\d{1,10})[ \t\r\n]+(\d{1,5})[ \t\r\n]+R`)
	idArray    = regexp.MustCompile(`/ID[ \t\r\n]*\[[^\]]{0,600}\]`)
	catalogTyp = regexp.MustCompile(`/Type[ \t\r\n]*/Catalog\b`)
	objStmTyp  = regexp.MustCompile(`/Type[ \t\r\n]*/ObjStm\b`)
	firstKey   = regexp.MustCompile(`/First[ \t\r\n]+(\d{1,10})`)
	nKey       = regexp.MustCompile(`/N[ \t\r\n]+(\d{1,10})`)
	trailerKw  = regexp.MustCompile(`trailer[ \t\r\n]*<<|/Type[ \t\r\n]*/XRef\b`)
)

// Limits of the rebuild.
const (
	maxRebuiltObjects = 4 << 20
	maxObjStmMembers  = 1 << 20
)

// xrefEntry is one entry of a rebuilt cross-reference stream.
type xrefEntry struct {
	typ      byte  // 1: at an offset, 2: in an object stream
	off      int64 // offset, or the object stream's number
	gen, idx int
}

// rebuildXRef returns data with a new cross-reference stream appended
// that lists the objects found by scanning, or nil when no catalog is
// found. budget bounds the bytes inflated to read object stream headers.
func rebuildXRef(data []byte, budget int64) []byte {
	entries := map[int]xrefEntry{}
	type found struct {
		nr, gen int
		start   int // of the header
		body    int // after "obj"
	}
	var objs []found
	for _, m := range objHeader.FindAllSubmatchIndex(data, -1) {
		nr, err1 := strconv.Atoi(string(data[m[2]:m[3]]))
		gen, err2 := strconv.Atoi(string(data[m[4]:m[5]]))
		if err1 != nil || err2 != nil || nr <= 0 || nr > maxRebuiltObjects {
			continue
		}
		objs = append(objs, found{nr: nr, gen: gen, start: m[2], body: m[1]})
		if len(objs) > maxRebuiltObjects {
			return nil
		}
	}
	// The text of each object: up to the next header (an approximation
	// good enough to find its type and its trailer-like entries).
	bodyOf := func(i int) []byte {
		end := len(data)
		if i+1 < len(objs) {
			end = objs[i+1].start
		}
		return data[objs[i].body:end]
	}
	var catalogs []int
	for i, o := range objs {
		entries[o.nr] = xrefEntry{typ: 1, off: int64(o.start), gen: o.gen}
		body := bodyOf(i)
		head := body[:min(len(body), 4096)]
		if catalogTyp.Match(head) {
			catalogs = append(catalogs, o.nr)
		}
	}
	// Members of object streams, where the stream's own number is kept:
	// a member defined at an offset as well keeps that one (it came
	// later, in an incremental update, or it is the same object).
	for i, o := range objs {
		body := bodyOf(i)
		head := body[:min(len(body), 4096)]
		if !objStmTyp.Match(head) || entries[o.nr].off != int64(o.start) {
			continue
		}
		for k, nr := range objStmMembers(body, head, &budget) {
			if e, ok := entries[nr]; !ok || e.typ == 2 {
				entries[nr] = xrefEntry{typ: 2, off: int64(o.nr), idx: k}
			}
		}
	}
	// The trailer entries: from the last trailer (or xref stream) whose
	// /Root names an object found.
	root, trailer := -1, []byte(nil)
	locs := trailerKw.FindAllIndex(data, -1)
	for i := len(locs) - 1; i >= 0 && root < 0; i-- {
		t := data[locs[i][0]:min(len(data), locs[i][0]+4096)]
		if m := rootRef.FindSubmatch(t); m != nil {
			if nr, err := strconv.Atoi(string(m[1])); err == nil {
				if _, ok := entries[nr]; ok {
					root, trailer = nr, t
				}
			}
		}
	}
	if root < 0 {
		if len(catalogs) == 0 {
			return nil
		}
		root = catalogs[len(catalogs)-1]
	}
	size := 0
	for nr := range entries {
		size = max(size, nr+1)
	}
	xnr := size
	size++
	// W [1 8 2]: type, offset or object stream, generation or index.
	nrs := make([]int, 0, len(entries))
	for nr := range entries {
		nrs = append(nrs, nr)
	}
	sort.Ints(nrs)
	var rows bytes.Buffer
	var index []string
	for i := 0; i < len(nrs); {
		j := i
		for j+1 < len(nrs) && nrs[j+1] == nrs[j]+1 {
			j++
		}
		index = append(index, fmt.Sprintf("%d %d", nrs[i], j-i+1))
		for _, nr := range nrs[i : j+1] {
			e := entries[nr]
			row := [11]byte{e.typ}
			binary.BigEndian.PutUint64(row[1:9], uint64(e.off))
			g := e.gen
			if e.typ == 2 {
				g = e.idx
			}
			binary.BigEndian.PutUint16(row[9:11], uint16(g))
			rows.Write(row[:])
		}
		i = j + 1
	}
	out := make([]byte, 0, len(data)+rows.Len()+512)
	out = append(out, data...)
	out = append(out, '\n')
	xoff := len(out)
	extra := ""
	if trailer != nil {
		if m := infoRef.FindSubmatch(trailer); m != nil {
			if nr, err := strconv.Atoi(string(m[1])); err == nil {
				if _, ok := entries[nr]; ok {
					extra += " " + string(m[0])
				}
			}
		}
		if m := encryptRef.Find(trailer); m != nil {
			extra += " " + string(m)
		}
		if m := idArray.Find(trailer); m != nil {
			extra += " " + string(m)
		}
	}
	out = fmt.Appendf(out, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 8 2] /Index [%s %d 1] /Root %d %d R%s /Length %d >>\nstream\n",
		xnr, size, joinSpace(index), xnr, root, entries[root].gen, extra, rows.Len()+11)
	out = append(out, rows.Bytes()...)
	row := [11]byte{1}
	binary.BigEndian.PutUint64(row[1:9], uint64(xoff))
	out = append(out, row[:]...)
	out = fmt.Appendf(out, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xoff)
	return out
}

func joinSpace(s []string) string {
	var b bytes.Buffer
	for i, x := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x)
	}
	return b.String()
}

// objStmMembers returns the object numbers an object stream holds, in
// order, read from its header: the stream must be plain Flate (or
// unfiltered) with /N and /First. budget is what may still be inflated.
func objStmMembers(body, head []byte, budget *int64) []int {
	mf, mn := firstKey.FindSubmatch(head), nKey.FindSubmatch(head)
	if mf == nil || mn == nil {
		return nil
	}
	first, _ := strconv.Atoi(string(mf[1]))
	n, _ := strconv.Atoi(string(mn[1]))
	if n <= 0 || n > maxObjStmMembers || first <= 0 {
		return nil
	}
	k := bytes.Index(body, []byte("stream"))
	if k < 0 {
		return nil
	}
	raw := body[k+len("stream"):]
	raw = bytes.TrimLeft(raw, "\r\n")
	var hdr []byte
	if bytes.Contains(head[:min(len(head), k)], []byte("/FlateDecode")) {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil
		}
		lim := min(int64(first), *budget)
		hdr, _ = io.ReadAll(io.LimitReader(zr, lim))
		*budget -= int64(len(hdr))
	} else if !bytes.Contains(head[:min(len(head), k)], []byte("/Filter")) {
		hdr = raw[:min(len(raw), first)]
	} else {
		return nil
	}
	f := bytes.Fields(hdr)
	var out []int
	for i := 0; i+1 < len(f) && len(out) < n; i += 2 {
		nr, err := strconv.Atoi(string(f[i]))
		if err != nil || nr <= 0 || nr > maxRebuiltObjects {
			return out
		}
		out = append(out, nr)
	}
	return out
}
