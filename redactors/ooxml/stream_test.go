package ooxml

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/veilhq/veil/redactors/zipview"
)

// streamCounts reads every entry of data both with Budget.ReadStream and
// with archive/zip through zipview.Streams, and returns the two counts of
// each entry's deflate stream (entries that fail either reading are
// left out, with the bytes both read compared).
func streamCounts(t *testing.T, data []byte) (budget, streams []int64) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil
	}
	s := zipview.CountStreams(zr)
	b := &Budget{Lim: DefaultLimits()}
	for i, f := range zr.File {
		var got bytes.Buffer
		n, berr := b.ReadStream(i, f, &got)
		rc, err := s.Open(f)
		if err != nil {
			continue
		}
		want, zerr := zipview.ReadAll(rc, f.UncompressedSize64, 1<<24)
		rc.Close()
		if berr != nil || zerr != nil {
			continue
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("entry %d: the bytes read differ", i)
		}
		budget, streams = append(budget, n), append(streams, s.Last())
	}
	return budget, streams
}

// zipWithTrailer is a zip of one deflated entry whose compressed data is
// body deflated at level, then tail (bytes after the stream's end, inside
// the declared compressed size).
func zipWithTrailer(t testing.TB, body []byte, level int, tail []byte) []byte {
	var c bytes.Buffer
	w, err := flate.NewWriter(&c, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(body)
	w.Close()
	comp := append(c.Bytes(), tail...)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	fw, err := zw.CreateRaw(&zip.FileHeader{Name: "a.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
		CompressedSize64: uint64(len(comp)), UncompressedSize64: uint64(len(body))})
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(comp)
	zw.Close()
	return out.Bytes()
}

// Budget.ReadStream counts each deflate stream's compressed bytes as
// zipview.Streams.Last does (the DOCX independent reading takes the
// parse's bytes and counts for zipview's File view): every part of the
// OOXML corpus zipped, stored blocks, empty entries, and streams followed
// by other bytes.
func TestReadStreamCountsAsStreams(t *testing.T) {
	var files [][2]string
	filepath.WalkDir("testdata/corpus", func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			b, _ := os.ReadFile(p)
			files = append(files, [2]string{p, string(b)})
		}
		return nil
	})
	if len(files) < 20 {
		t.Fatalf("corpus: %d files", len(files))
	}
	cases := [][]byte{zipOf(t, files...)}
	for _, level := range []int{flate.NoCompression, flate.HuffmanOnly, flate.BestSpeed, flate.BestCompression} {
		for _, tail := range []string{"", "x", "Tamsin Everard", "\x00\x00\xff\xff"} {
			cases = append(cases, zipWithTrailer(t, []byte(files[0][1]), level, []byte(tail)), zipWithTrailer(t, nil, level, []byte(tail)))
		}
	}
	counted := 0
	for k, data := range cases {
		budget, streams := streamCounts(t, data)
		if len(budget) == 0 {
			t.Fatalf("case %d: no entry read", k)
		}
		for i := range budget {
			if budget[i] != streams[i] {
				t.Errorf("case %d, entry %d: ReadStream counts %d, Streams.Last %d", k, i, budget[i], streams[i])
			}
			if budget[i] >= 0 {
				counted++
			}
		}
	}
	if counted < len(files) {
		t.Errorf("only %d streams counted", counted)
	}
}

// FuzzReadStream: for any body, level and bytes after the stream (and any
// zip at all), ReadStream reads the bytes archive/zip reads and counts
// what zipview.Streams.Last counts.
func FuzzReadStream(f *testing.F) {
	f.Add([]byte("<w:t>Tamsin Everard</w:t>"), 9, []byte(" after"), []byte{})
	f.Add([]byte{}, 0, []byte{}, zipOf(f, [2]string{"a.xml", "<a/>"}))
	f.Add(bytes.Repeat([]byte("ab"), 40000), -2, []byte{0}, []byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, body []byte, level int, tail, raw []byte) {
		level = (level%12+12)%12 - 2 // -2 (HuffmanOnly) to 9
		for _, data := range [][]byte{zipWithTrailer(t, body, level, tail), raw} {
			budget, streams := streamCounts(t, data)
			for i := range budget {
				if budget[i] != streams[i] {
					t.Fatalf("entry %d: ReadStream counts %d, Streams.Last %d", i, budget[i], streams[i])
				}
			}
		}
	})
}
