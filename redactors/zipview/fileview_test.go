package zipview

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math/rand"
	"strings"
	"testing"
)

// fileViewOf returns the File view of data and the error of Read.
func fileViewOf(t *testing.T, data []byte) (string, error) {
	t.Helper()
	var file string
	n := 0
	err := Read(data, Limits{}, func(v View) error {
		if v.Kind == File {
			file = v.Text
			n++
		}
		return nil
	})
	if n != 1 {
		t.Fatalf("%d File views, want 1", n)
	}
	return file, err
}

// directory returns the offset of data's central directory, its size and
// the offset of its end record.
func directory(t *testing.T, data []byte) (start, size, end int) {
	t.Helper()
	end = bytes.LastIndex(data, []byte("PK\x05\x06"))
	if end < 0 {
		t.Fatal("no end record")
	}
	return int(binary.LittleEndian.Uint32(data[end+16:])), int(binary.LittleEndian.Uint32(data[end+12:])), end
}

// inCentral replaces old by new (same length) in the central directory
// only, so that old stays in the local headers alone.
func inCentral(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	start, size, _ := directory(t, data)
	cd := data[start : start+size]
	if !bytes.Contains(cd, []byte(old)) || len(old) != len(new) {
		t.Fatalf("%q not in the central directory", old)
	}
	copy(cd[bytes.Index(cd, []byte(old)):], new)
	return data
}

// dropEntry takes the i-th record out of the central directory: its
// local header and data stay, as a gap between entries.
func dropEntry(t *testing.T, data []byte, i int) []byte {
	t.Helper()
	start, size, end := directory(t, data)
	var kept []byte
	at, k := start, 0
	for at < start+size {
		n := 46 + int(binary.LittleEndian.Uint16(data[at+28:])) + int(binary.LittleEndian.Uint16(data[at+30:])) + int(binary.LittleEndian.Uint16(data[at+32:]))
		if k != i {
			kept = append(kept, data[at:at+n]...)
		}
		at += n
		k++
	}
	rec := append([]byte(nil), data[end:]...)
	count := binary.LittleEndian.Uint16(rec[10:]) - 1
	binary.LittleEndian.PutUint16(rec[8:], count)
	binary.LittleEndian.PutUint16(rec[10:], count)
	binary.LittleEndian.PutUint32(rec[12:], uint32(len(kept)))
	out := append(append(append([]byte(nil), data[:start]...), kept...), rec...)
	return out
}

func deflated(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	fw, _ := flate.NewWriter(&out, flate.BestCompression)
	fw.Write(b)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A removed value in any place of the file that is not an entry's
// compressed data read inflated stays in the File view: the local
// header's name and extra field, a gap between entries, the bytes after a
// deflate stream's end inside the declared compressed size, bytes before
// the first entry and after the end record, a stored entry.
func TestFileViewKeeps(t *testing.T) {
	const value = "Quillanby"
	body := strings.Repeat("<w:t>Tamsin Everard signed the note.</w:t>", 40)
	cases := map[string]func(t *testing.T) []byte{
		"local header name": func(t *testing.T) []byte {
			return inCentral(t, zipOf(t, "", file{name: "word/" + value + ".xml", data: body}, file{name: "b.xml", data: body}), value, "xxxxxxxxx")
		},
		"local header extra": func(t *testing.T) []byte {
			extra := append([]byte{0xfe, 0xca, byte(len(value)), 0}, value...)
			return inCentral(t, zipOf(t, "", file{name: "a.xml", data: body, extra: extra}, file{name: "b.xml", data: body}), value, "xxxxxxxxx")
		},
		"gap between entries": func(t *testing.T) []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			for _, f := range []struct {
				name, data string
				method     uint16
			}{{"a.xml", body, zip.Deflate}, {"gap.txt", "note: " + value, zip.Store}, {"b.xml", body, zip.Deflate}} {
				w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: f.method})
				if err != nil {
					t.Fatal(err)
				}
				w.Write([]byte(f.data))
			}
			zw.Close()
			return dropEntry(t, b.Bytes(), 1)
		},
		"after the deflate stream's end": func(t *testing.T) []byte {
			stream := append(deflated(t, []byte(body)), " "+value...)
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			w, err := zw.CreateRaw(&zip.FileHeader{Name: "a.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(body)), CompressedSize64: uint64(len(stream)), UncompressedSize64: uint64(len(body))})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(stream)
			zw.Close()
			return b.Bytes()
		},
		"before the first entry": func(t *testing.T) []byte {
			var b bytes.Buffer
			b.WriteString("MZ " + value + " ")
			zw := zip.NewWriter(&b)
			zw.SetOffset(int64(b.Len()))
			w, _ := zw.Create("a.xml")
			w.Write([]byte(body))
			zw.Close()
			return b.Bytes()
		},
		"after the end record": func(t *testing.T) []byte {
			return append(zipOf(t, "", file{name: "a.xml", data: body}), " "+value...)
		},
		"stored entry": func(t *testing.T) []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: "a.bin", Method: zip.Store})
			w.Write([]byte(body + value))
			zw.Close()
			return b.Bytes()
		},
	}
	for name, make := range cases {
		t.Run(name, func(t *testing.T) {
			data := make(t)
			if !bytes.Contains(data, []byte(value)) {
				t.Fatal("the value is not in the file")
			}
			got, err := fileViewOf(t, data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, value) {
				t.Errorf("the File view lost the value (%d of %d bytes left)", len(got), len(data))
			}
			if whole := strings.ToValidUTF8(string(data), " "); (got == whole) != (name == "stored entry") {
				t.Errorf("the File view left out the wrong bytes: whole file %v (%d of %d bytes)", got == whole, len(got), len(whole))
			}
		})
	}
}

// A short value that only the compressed bytes of a deflated entry spell,
// by chance, is in no view: its inflated bytes are searched instead. The
// same file with the entry's compressed data corrupted is refused, and
// its File view is the whole file.
func TestFileViewLeavesOutCompressedData(t *testing.T) {
	rng := rand.New(rand.NewSource(13))
	syll := []string{"ka", "lo", "mi", "ren", "sa", "tu", "vel", "zo", "qui", "bran"}
	for try := 0; try < 50; try++ {
		var text strings.Builder
		for i := 0; i < 400; i++ {
			for j := 0; j < 1+rng.Intn(3); j++ {
				text.WriteString(syll[rng.Intn(len(syll))])
			}
			text.WriteByte(' ')
		}
		data := zipOf(t, "", file{name: "word/document.xml", data: "<w:t>" + text.String() + "</w:t>"})
		// a pair of upper-case letters in the compressed data and nowhere
		// else (the text is lower case)
		pair := ""
		for i := 0; i+1 < len(data) && pair == ""; i++ {
			a, b := data[i], data[i+1]
			if a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' && bytes.Count(data, data[i:i+2]) == 1 {
				pair = string(data[i : i+2])
			}
		}
		if pair == "" {
			continue
		}
		var where []string
		err := Read(data, Limits{}, func(v View) error {
			if strings.Contains(v.Text, pair) {
				where = append(where, v.Kind)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(where) > 0 {
			t.Fatalf("%q, only in compressed bytes, found in the views %v", pair, where)
		}
		start, _, _ := directory(t, data)
		bad := append([]byte(nil), data...)
		off := bytes.Index(bad, []byte(pair))
		if off >= start {
			t.Fatalf("the pair is not in the entry's data")
		}
		bad[off+1] ^= 0x20 // a changed byte: the checksum (or the stream) fails
		got, err := fileViewOf(t, bad)
		if !errors.Is(err, ErrNotZip) {
			t.Errorf("corrupt entry read without error: %v", err)
		}
		if got != strings.ToValidUTF8(string(bad), " ") {
			t.Errorf("corrupt entry's compressed data left out of the File view (%d of %d bytes)", len(got), len(bad))
		}
		return
	}
	t.Fatal("no text made a pair of letters in the compressed bytes alone")
}

// Streams.Last counts a deflate stream's bytes, maybe one more, and not
// the bytes after it.
func TestStreamsLast(t *testing.T) {
	for _, n := range []int{0, 1, 100, 5000, 200000} {
		rng := rand.New(rand.NewSource(int64(n)))
		body := make([]byte, n)
		for i := range body {
			body[i] = "abcdefgh "[rng.Intn(9)]
		}
		stream := deflated(t, body)
		raw := append(append([]byte(nil), stream...), "trailing bytes"...)
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: "a", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body), CompressedSize64: uint64(len(raw)), UncompressedSize64: uint64(n)})
		w.Write(raw)
		zw.Close()
		zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
		if err != nil {
			t.Fatal(err)
		}
		s := CountStreams(zr)
		rc, err := s.Open(zr.File[0])
		if err != nil {
			t.Fatal(err)
		}
		if s.Last() != -1 {
			t.Errorf("n=%d: Last before the end = %d", n, s.Last())
		}
		got, err := ReadAll(rc, uint64(n), 1<<30)
		rc.Close()
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("n=%d: %v", n, err)
		}
		if l := s.Last(); l != int64(len(stream)) && l != int64(len(stream))+1 {
			t.Errorf("n=%d: Last = %d, the stream is %d bytes", n, l, len(stream))
		}
	}
}

// FuzzCut: the ranges Cut returns are sorted, disjoint, not touching,
// inside the file, and hold exactly the bytes in some cut span and in no
// keep span.
func FuzzCut(f *testing.F) {
	f.Add(int64(100), []byte{10, 20, 15, 30, 0, 5})
	f.Add(int64(50), []byte{0, 50, 60, 70, 255, 3, 40, 10})
	f.Add(int64(0), []byte{1, 2})
	f.Fuzz(func(t *testing.T, size int64, spans []byte) {
		size = size % 300
		if size < 0 {
			size = -size
		}
		var cut, keep []Span
		for i := 0; i+2 < len(spans); i += 3 {
			s := Span{int64(spans[i]) - 20, int64(spans[i+1]) - 20}
			if spans[i+2]&1 == 0 {
				cut = append(cut, s)
			} else {
				keep = append(keep, s)
			}
		}
		got := Cut(size, cut, keep)
		in := func(spans []Span, b int64) bool {
			for _, s := range spans {
				if s.Start <= b && b < s.End {
					return true
				}
			}
			return false
		}
		for i, s := range got {
			if s.Start < 0 || s.End > size || s.Start >= s.End {
				t.Fatalf("span %v outside [0, %d) or empty", s, size)
			}
			if i > 0 && got[i-1].End >= s.Start {
				t.Fatalf("spans %v and %v not sorted, disjoint and apart", got[i-1], s)
			}
		}
		for b := int64(0); b < size; b++ {
			if want := in(cut, b) && !in(keep, b); in(got, b) != want {
				t.Fatalf("byte %d: cut %v, want %v (cut %v keep %v: %v)", b, in(got, b), want, cut, keep, got)
			}
		}
	})
}

// BenchmarkInflate: an entry read through Streams (counted) and through
// archive/zip's own decompressor.
func BenchmarkInflate(b *testing.B) {
	rng := rand.New(rand.NewSource(1))
	var text strings.Builder
	for text.Len() < 200<<10 {
		text.WriteString([]string{"<w:t>", "Tamsin ", "Everard ", "signed ", "the ", "note ", "</w:t>", "on 3 May "}[rng.Intn(8)])
	}
	data := zipOf(b, "", file{name: "word/document.xml", data: text.String()})
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	read := func(b *testing.B, open func(*zip.File) (io.ReadCloser, error)) {
		b.SetBytes(int64(text.Len()))
		for i := 0; i < b.N; i++ {
			rc, err := open(zr.File[0])
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ReadAll(rc, zr.File[0].UncompressedSize64, 1<<30); err != nil {
				b.Fatal(err)
			}
			rc.Close()
		}
	}
	b.Run("archive-zip", func(b *testing.B) { read(b, (*zip.File).Open) })
	counted, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	s := CountStreams(counted)
	b.Run("counted", func(b *testing.B) {
		read(b, func(*zip.File) (io.ReadCloser, error) { return s.Open(counted.File[0]) })
	})
}

// FuzzFileCuts: on any bytes, what the File view leaves out lies inside
// the compressed data of an entry (from its data offset, within its
// declared compressed size), never in a local header, and only when the
// file was read without error.
func FuzzFileCuts(f *testing.F) {
	body := strings.Repeat("<w:t>Tamsin Everard</w:t>", 20)
	f.Add(zipOf(f, "c", file{name: "a.xml", data: body}, file{name: "b/", data: ""}, file{name: "c.bin", data: body + "x", extra: []byte{1, 2, 0, 0}}))
	f.Add(append(zipOf(f, "", file{name: "a.xml", data: body}), "tail"...))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &reader{lim: Limits{MaxEntries: 100, MaxTotal: 1 << 20, MaxDepth: 3}, fn: func(View) error { return nil }}
		err := r.archive(data, "", "", -1, 0)
		cut := Cut(int64(len(data)), r.cuts, r.keeps)
		if len(cut) == 0 {
			return
		}
		if err != nil {
			return // ReadShared drops the cuts on error (TestFileViewLeavesOutCompressedData)
		}
		zr, zerr := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if zerr != nil {
			t.Fatalf("cuts %v in a file archive/zip cannot open", cut)
		}
		var inside, headers []Span
		for _, f := range zr.File {
			off, err := f.DataOffset()
			if err != nil {
				continue
			}
			inside = append(inside, Span{off, off + int64(f.CompressedSize64)})
			if h := localHeader(data, off); h >= 0 {
				headers = append(headers, Span{h, off})
			}
		}
		for _, c := range cut {
			ok := false
			for _, s := range inside {
				ok = ok || (s.Start <= c.Start && c.End <= s.End)
			}
			if !ok {
				t.Fatalf("cut %v outside every entry's compressed data %v", c, inside)
			}
			for _, h := range headers {
				if c.Start < h.End && h.Start < c.End {
					t.Fatalf("cut %v over the local header %v", c, h)
				}
			}
		}
	})
}
