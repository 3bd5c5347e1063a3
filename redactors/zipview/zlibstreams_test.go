package zipview

import (
	"bytes"
	"compress/zlib"
	"errors"
	"io"
	"math"
	"slices"
	"testing"
)

// zlibStreamsBefore is zlibStreams before the reader was reused: a new
// zlib reader at every two-byte header, its views' texts in order.
func zlibStreamsBefore(b []byte) []string {
	var out []string
	for i := 0; i+2 <= len(b); i++ {
		if b[i]&0x0F != 8 || (uint16(b[i])<<8|uint16(b[i+1]))%31 != 0 || b[i]>>4 > 7 {
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(b[i:]))
		if err != nil {
			continue
		}
		got, err := io.ReadAll(io.LimitReader(zr, 1<<20))
		if len(got) == 0 || (err != nil && !errors.Is(err, io.ErrUnexpectedEOF)) {
			continue
		}
		if s := validString(got); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// One reader reset at every header, and headers with a preset dictionary
// passed over, give the views a new reader at each gave: streams whole,
// cut short, after a failed one, with a dictionary flag, amid text.
func FuzzZlibStreamsReuse(f *testing.F) {
	stream := func(s string, level int) []byte {
		var buf bytes.Buffer
		w, _ := zlib.NewWriterLevel(&buf, level)
		w.Write([]byte(s))
		w.Close()
		return buf.Bytes()
	}
	dict := func(s string) []byte {
		var buf bytes.Buffer
		w, _ := zlib.NewWriterLevelDict(&buf, 6, []byte("Orsolya Quillanby"))
		w.Write([]byte(s))
		w.Close()
		return buf.Bytes()
	}
	a, b := stream("Orsolya Quillanby, 12 Mill Lane", 9), stream("Tamsin Everard", 0)
	f.Add(slices.Concat([]byte("text x (4 8n H,"), a, []byte("<w:t>x y</w:t>"), b))
	f.Add(slices.Concat(a[:len(a)-3], b, dict("Tamsin Everard"), a))
	f.Add(slices.Concat(dict("abc"), []byte{0x78, 0x01, 0xff}, b[:4], a))
	f.Add([]byte("x x x x \x78\x9c\x78\xda"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []string
		r := &reader{lim: Limits{MaxTotal: math.MaxInt64}, fn: func(v View) error {
			got = append(got, v.Text)
			return nil
		}}
		if err := r.zlibStreams(data, 0, "e"); err != nil {
			t.Fatal(err)
		}
		if want := zlibStreamsBefore(data); !slices.Equal(got, want) {
			t.Fatalf("%d views, before %d", len(got), len(want))
		}
	})
}
