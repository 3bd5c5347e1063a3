package ooxml

import (
	"archive/zip"
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// zipOf writes the files into a zip archive, in order.
func zipOf(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBudgetWhileStreaming: the limits hold on the bytes actually
// inflated, even when the directory was not checked.
func TestBudgetWhileStreaming(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	text := make([]byte, 3<<20)
	for i := range text {
		text[i] = 'a' + byte(rnd.IntN(26))
	}
	data := zipOf(t, [2]string{"a.xml", string(text[:1<<20+1])}, [2]string{"b.xml", string(text)},
		[2]string{"c.xml", strings.Repeat("<a/>", 1<<20)})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		lim  Limits
	}{
		{"entry size", Limits{MaxEntrySize: 1 << 20, MaxTotalSize: 1 << 30, MaxRatio: 1 << 20, RatioFloor: 1 << 30}},
		{"total size", Limits{MaxEntrySize: 1 << 30, MaxTotalSize: 5 << 20, MaxRatio: 1 << 20, RatioFloor: 1 << 30}},
		{"ratio", Limits{MaxEntrySize: 1 << 30, MaxTotalSize: 1 << 30, MaxRatio: 50, RatioFloor: 1 << 10}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := &Budget{Lim: c.lim}
			var err error
			for i := 0; i < 3 && err == nil; i++ {
				err = b.Read(i, zr.File[i], nil)
			}
			if !errors.Is(err, redactors.ErrTooLarge) {
				t.Fatalf("err %v", err)
			}
			if b.Used > 5<<20+32<<10 {
				t.Errorf("read %d bytes before refusing", b.Used)
			}
		})
	}
	b := &Budget{Lim: DefaultLimits()}
	for i := 0; i < 2; i++ {
		if err := b.Read(i, zr.File[i], nil); err != nil {
			t.Fatalf("within limits: %v", err)
		}
	}
}

// TestCountEntriesShortInputs: the end-of-directory reader never reads out
// of bounds, whatever the record claims, and reports a count only when the
// records it needs are there: the classic record's count (0xFFFF means
// "see the zip64 record"), else the zip64 record's count, else nothing.
func TestCountEntriesShortInputs(t *testing.T) {
	le16 := func(v uint16) string { return string([]byte{byte(v), byte(v >> 8)}) }
	le32 := func(v uint32) string { return le16(uint16(v)) + le16(uint16(v>>16)) }
	le64 := func(v uint64) string { return le32(uint32(v)) + le32(uint32(v>>32)) }
	// eocd is a classic end record claiming n entries; loc a zip64 locator
	// pointing at offset off; rec a zip64 end record (56 bytes) with n entries.
	eocd := func(n uint16) string {
		return "PK\x05\x06" + le16(0) + le16(0) + le16(n) + le16(n) + le32(0) + le32(0) + le16(0)
	}
	loc := func(off uint64) string { return "PK\x06\x07" + le32(0) + le64(off) + le32(1) }
	rec := func(n uint64) string {
		return "PK\x06\x06" + le64(44) + le16(45) + le16(45) + le32(0) + le32(0) + le64(n) + le64(n) + le64(0) + le64(0)
	}
	if len(eocd(0)) != 22 || len(loc(0)) != 20 || len(rec(0)) != 56 {
		t.Fatal("record sizes")
	}
	for _, c := range []struct {
		name string
		in   string
		n    uint64
		ok   bool
	}{
		{"empty", "", 0, false},
		{"two bytes", "PK", 0, false},
		{"no end record", strings.Repeat("x", 100), 0, false},
		{"classic count", eocd(3), 3, true},
		{"classic count after data", strings.Repeat("x", 40) + eocd(200), 200, true},
		{"0xFFFF and no room for a locator", eocd(0xFFFF), 0xFFFF, true},
		{"0xFFFF and no locator", strings.Repeat("x", 20) + eocd(0xFFFF), 0xFFFF, true},
		{"locator pointing past the end", loc(1<<63-1) + eocd(0xFFFF), 0, false},
		{"locator pointing past the end after data", strings.Repeat("x", 40) + loc(1<<63-1) + eocd(0xFFFF), 0, false},
		{"locator pointing at no zip64 record", strings.Repeat("x", 56) + loc(0) + eocd(0xFFFF), 0, false},
		{"zip64 count", rec(70000) + loc(0) + eocd(0xFFFF), 70000, true},
		{"zip64 record after data", "xy" + rec(9) + loc(2) + eocd(0xFFFF), 9, true},
		{"locator pointing one byte into the record", "xy" + rec(9) + loc(3) + eocd(0xFFFF), 0, false},
		// 98 bytes: a 56-byte record fits at offset 42 at most.
		{"locator at the last offset a record fits", strings.Repeat("x", 56) + loc(42) + eocd(0xFFFF), 0, false},
		{"locator one past the last offset a record fits", strings.Repeat("x", 56) + loc(43) + eocd(0xFFFF), 0, false},
	} {
		n, ok := CountEntries([]byte(c.in))
		if n != c.n || ok != c.ok {
			t.Errorf("%s: CountEntries = %d, %v; want %d, %v", c.name, n, ok, c.n, c.ok)
		}
	}
}

// TestOpenZipRefuses: ambiguous or unsafe directories are refused.
func TestOpenZipRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"duplicate entry", zipOf(t, [2]string{"word/document.xml", "<a/>"}, [2]string{"WORD/document.xml", "<b/>"}), redactors.ErrCorrupt},
		{"escaping name", zipOf(t, [2]string{"../evil.xml", "<a/>"}), redactors.ErrCorrupt},
		{"too many entries", zipOf(t, [2]string{"a", ""}, [2]string{"b", ""}, [2]string{"c", ""}), redactors.ErrTooLarge},
	} {
		lim := DefaultLimits()
		if c.want == redactors.ErrTooLarge {
			lim.MaxEntries = 2
		}
		if _, err := OpenZip(c.data, lim); !errors.Is(err, c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
