package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// malformed returns damaged and hostile files that must end in quarantine.
func malformed() []quarantineCase {
	good := letter()
	helv := func(b *builder) string { return "<< /Font << /F1 " + helvFont + " >> >>" }
	var cases []quarantineCase
	add := func(name string, data []byte, reason *redactors.Reason) {
		cases = append(cases, quarantineCase{name: name, data: data, reason: reason})
	}
	add("not a pdf", []byte("hello, this is not a PDF at all"), redactors.ErrCorrupt)
	add("truncated header", good[:20], redactors.ErrCorrupt)
	add("truncated half", good[:len(good)/2], redactors.ErrCorrupt)
	bad := bytes.Replace(good, []byte("xref\n0 "), []byte("xref\n7 "), 1)
	bad = bytes.Replace(bad, []byte("0000000000 65535 f"), []byte("0000000001 00000 n"), 1)
	if i := bytes.LastIndex(bad, []byte("startxref\n")); i > 0 {
		bad = append(bad[:i:i], []byte("startxref\n99999999\n%%EOF\n")...)
	}
	add("bad xref", garble(bad), redactors.ErrCorrupt)

	// Page tree loop: the page tree lists itself as a kid.
	b := &builder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [2 0 R] /Count 1 >>")
	add("page tree loop", b.bytes(""), redactors.ErrCorrupt)

	// A form that draws itself.
	b = &builder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>")
	b.add(stream("", []byte("/X Do"), false))
	b.add(stream("/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >>", []byte("/X Do /X Do"), false))
	add("recursive form", b.bytes(""), redactors.ErrUninspectable)

	// A content stream that inflates to far more than the limit.
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	chunk := bytes.Repeat([]byte("0 0 m "), 1<<16)
	for n := 0; n < int(maxDecodedStream)/len(chunk)+4; n++ {
		w.Write(chunk)
	}
	w.Close()
	b = &builder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>")
	b.add(fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes()))
	add("huge stream", b.bytes(""), redactors.ErrUninspectable)

	// Deeply nested arrays in a content stream, and an endless string.
	// Deeply nested arrays and an unterminated string: read or refused,
	// never a crash (no reason required).
	add("deep nesting", pagesDoc([]string{strings.Repeat("[", 100000) + " BT /F1 12 Tf (A) Tj ET"}, helv, nil), nil)
	add("endless string", pagesDoc([]string{"BT /F1 12 Tf (" + strings.Repeat("x", 1<<16)}, helv, nil), nil)
	// Q restores the font of q: text shown after it has no font. Found by
	// formattest's mutations, where it was a nil dereference (ErrInternal).
	// A content stream that ends inside a string, a hex string or an
	// inline image would swallow what Redact appends (boxes, labels, Bates
	// stamps): the output read well without them. Found by formattest's
	// mutations of a LibreOffice PDF (FORMATTEST_SEED=11).
	add("ends inside a string", pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Dear Ms. Ellison) Tj ET BT 72 650 Td (open (x) Tj"}, helv, nil), redactors.ErrCorrupt)
	add("ends inside a hex string", pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Dear Ms. Ellison) Tj ET BT 72 650 Td [<0041"}, helv, nil), redactors.ErrCorrupt)
	add("ends inside an inline image", pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Dear Ms. Ellison) Tj ET BI /W 1 /H 1 /CS /G /BPC 8 ID \x00"}, helv, nil), redactors.ErrCorrupt)
	add("font set between q and Q", pagesDoc([]string{"q BT /F1 12 Tf 72 700 Td (Dear) Tj ET Q BT 72 680 Td (Ellison) Tj ET"}, helv, nil), redactors.ErrUninspectable)
	return cases
}

// garble damages the object bodies so that no repair can succeed.
func garble(b []byte) []byte {
	out := append([]byte(nil), b...)
	for i := 40; i < len(out)-40; i += 7 {
		out[i] = '#'
	}
	return out
}

func TestMain(m *testing.M) {
	// A smaller stream limit keeps the decompression-bomb fixture small.
	maxDecodedStream = 8 << 20
	os.Exit(m.Run())
}

// TestMalformedMemory runs the hostile corpus and checks that memory stays
// bounded: a fixed ceiling well above the per-stream limit.
func TestMalformedMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, c := range malformed() {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic escaped Parse", c.name)
				}
			}()
			New().Parse(c.data)
		}()
	}
	runtime.ReadMemStats(&after)
	const ceiling = 1 << 30
	if after.Sys-before.Sys > ceiling {
		t.Errorf("memory grew by %d MiB, ceiling %d MiB", (after.Sys-before.Sys)>>20, ceiling>>20)
	}
}
