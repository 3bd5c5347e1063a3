package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// bombStream is a Flate stream object that shows a line of text and then
// inflates to n bytes of spaces: each stream stays under the one-stream
// limit, and a thousandfold compression makes a small file.
func bombStream(n int) string {
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	w.Write([]byte("BT /F1 12 Tf 72 700 Td (Hello world) Tj ET\n"))
	w.Write(bytes.Repeat([]byte(" "), n))
	w.Close()
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes())
}

// bombDoc is a decompression bomb: pages pages of perPage such streams
// each, and orphans more streams that no page draws.
func bombDoc(pages, perPage, orphans int) []byte {
	body := bombStream(int(maxDecodedStream) - 1<<20)
	b := &builder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("") // pages
	font := b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	var kids []string
	for p := 0; p < pages; p++ {
		var refs []string
		for s := 0; s < perPage; s++ {
			refs = append(refs, fmt.Sprintf("%d 0 R", b.add(body)))
		}
		kids = append(kids, fmt.Sprintf("%d 0 R", b.add(fmt.Sprintf(
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [%s] /Resources << /Font << /F1 %d 0 R >> >> >>",
			strings.Join(refs, " "), font))))
	}
	for i := 0; i < orphans; i++ {
		b.add(body)
	}
	b.set(2, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages))
	return b.bytes("")
}

// objStmBomb is a decompression bomb in object streams, which pdfcpu
// decodes itself: n fonts of one page, each alone in an object stream
// padded to nearly the one-stream limit with spaces, and a cross-reference
// stream (object streams need one).
func objStmBomb(n int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offs := map[int]int{}     // object number -> file offset
	inStream := map[int]int{} // object number -> object stream number
	obj := func(nr int, body string) {
		offs[nr] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", nr, body)
	}
	// 1 catalog, 2 pages, 3 page, 4 content, 5.. fonts, then the object
	// streams, then the cross-reference stream.
	var fonts, content strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&fonts, "/F%d %d 0 R ", i, 5+i)
		fmt.Fprintf(&content, "BT /F%d 12 Tf 72 %d Td (Hello world) Tj ET\n", i, 700-i*14)
	}
	obj(1, "<< /Type /Catalog /Pages 2 0 R >>")
	obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << "+fonts.String()+">> >> >>")
	obj(4, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String()))
	pad := bytes.Repeat([]byte(" "), int(maxDecodedStream)-1<<20)
	for i := 0; i < n; i++ {
		font, objStm := 5+i, 5+n+i
		prolog := fmt.Sprintf("%d 0 ", font)
		var z bytes.Buffer
		w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
		w.Write([]byte(prolog + "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"))
		w.Write(pad)
		w.Close()
		inStream[font] = objStm
		obj(objStm, fmt.Sprintf("<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", len(prolog), z.Len(), z.Bytes()))
	}
	xref := 5 + 2*n
	offs[xref] = b.Len()
	var rows []byte
	for nr := 0; nr <= xref; nr++ {
		switch {
		case inStream[nr] > 0: // type 2: in object stream, index 0
			rows = append(rows, 2, 0, 0, byte(inStream[nr]>>8), byte(inStream[nr]), 0, 0)
		case nr > 0:
			o := offs[nr]
			rows = append(rows, 1, byte(o>>24), byte(o>>16), byte(o>>8), byte(o), 0, 0)
		default:
			rows = append(rows, 0, 0, 0, 0, 0, 0xff, 0xff)
		}
	}
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n",
		xref, xref+1, len(rows), rows, offs[xref])
	return b.Bytes()
}

// TestDecompressionBomb: a small file whose streams inflate to hundreds
// of MiB, each stream under the one-stream limit, is refused once the
// file's decode budget is spent, by Parse or by the leak check, with a
// reason that names no content; the memory allocated stays near the
// budget.
func TestDecompressionBomb(t *testing.T) {
	n := 4 * minDecodedTotal / int(maxDecodedStream) // 3.5 times the budget of a small file
	cases := []struct {
		name  string
		data  func() []byte
		leaks bool // refused by the leak check, not Parse
	}{
		{"one page of many streams", func() []byte { return bombDoc(1, n, 0) }, false},
		{"many pages", func() []byte { return bombDoc(n, 1, 0) }, false},
		{"streams no page draws", func() []byte { return bombDoc(1, 1, n) }, true},
		{"object streams", func() []byte { return objStmBomb(n) }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := c.data()
			if len(data) > 1<<20 {
				t.Fatalf("the bomb is %d bytes, not small", len(data))
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			doc, err := New().Parse(data)
			if err == nil && c.leaks {
				_, err = doc.(*Document).Leaks(data, func(string) bool { return false })
			}
			runtime.ReadMemStats(&after)
			// Decoding up to the budget allocates two to three times it
			// (buffers double as they fill, the leak check reads a copy);
			// without the budget, the 224 MiB of these files were all
			// decoded (0.5–0.8 GiB allocated) and the files accepted.
			const ceiling = 4 * minDecodedTotal
			if got := after.TotalAlloc - before.TotalAlloc; got > ceiling {
				t.Errorf("allocated %d MiB, ceiling %d MiB", got>>20, ceiling>>20)
			} else {
				t.Logf("allocated %d MiB", got>>20)
			}
			if !errors.Is(err, redactors.ErrUninspectable) {
				t.Fatalf("got %v, want %v", err, redactors.ErrUninspectable)
			}
			if !strings.Contains(err.Error(), "decoded streams exceed the limit of 64 MiB") || strings.Contains(err.Error(), "Hello") {
				t.Errorf("reason %q", err)
			}
		})
	}
}

// TestDecodeBudget: the budget follows the file's size between its floor
// and ceiling, and a file whose streams fit in it is read.
func TestDecodeBudget(t *testing.T) {
	for _, c := range []struct {
		size int
		want int64
	}{
		{1000, minDecodedTotal},
		{10 << 20, 160 << 20},
		{256 << 20, maxDecodedTotal},
	} {
		if got := decodeBudget(c.size); got != c.want {
			t.Errorf("decodeBudget(%d) = %d MiB, want %d MiB", c.size, got>>20, c.want>>20)
		}
	}
	// Six streams of 7 MiB: 42 MiB decoded, within the 64 MiB of a small
	// file.
	for name, data := range map[string][]byte{"content streams": bombDoc(1, 6, 0), "object streams": objStmBomb(6)} {
		doc, err := New().Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := doc.(*Document).Leaks(data, func(string) bool { return false }); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := strings.Count(doc.Parts()[0].Text, "Hello world"); got != 6 {
			t.Errorf("%s: %d lines read, want 6", name, got)
		}
	}
}

// TestInflateLimit: inflate returns the exact bytes of streams up to its
// limit and errBudget past it, for streams it holds as they inflate
// (random bytes) and for those it measures first (spaces, far over the
// suspect ratio), at the limit's edges; a stream without its checksum
// still reads.
func TestInflateLimit(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for _, n := range []int{0, 1, 4096, 1 << 20, 3 << 20, 5<<20 + 7} {
		for _, kind := range []string{"random", "spaces"} {
			data := bytes.Repeat([]byte(" "), n)
			if kind == "random" {
				rng.Read(data)
			}
			var z bytes.Buffer
			w := zlib.NewWriter(&z)
			w.Write(data)
			w.Close()
			for _, limit := range []int64{int64(n) - 1, int64(n), int64(n) + 1, 8 << 20} {
				if limit <= 0 {
					continue
				}
				got, err := inflate(z.Bytes(), limit)
				switch {
				case int64(n) > limit:
					if err != errBudget {
						t.Errorf("%s %d, limit %d: %v, want errBudget", kind, n, limit, err)
					}
				case err != nil || !bytes.Equal(got, data):
					t.Errorf("%s %d, limit %d: %d bytes, %v", kind, n, limit, len(got), err)
				}
			}
			if n > 0 {
				got, err := inflate(z.Bytes()[:z.Len()-4], 8<<20)
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("%s %d without checksum: %d bytes, %v", kind, n, len(got), err)
				}
			}
		}
	}
}
