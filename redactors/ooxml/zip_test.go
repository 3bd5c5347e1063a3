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
// of bounds, whatever the record claims.
func TestCountEntriesShortInputs(t *testing.T) {
	eocd := "PK\x05\x06\x00\x00\x00\x00\xff\xff\xff\xff" + strings.Repeat("\x00", 10)
	loc := "PK\x06\x07\x00\x00\x00\x00" + "\xff\xff\xff\xff\xff\xff\xff\x7f" + "\x01\x00\x00\x00"
	for _, in := range []string{"", "PK", eocd, loc + eocd, strings.Repeat("x", 40) + loc + eocd} {
		CountEntries([]byte(in))
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
