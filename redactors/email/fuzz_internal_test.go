package email

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

// FuzzHTML checks the HTML offset map: without edits the HTML is written
// byte for byte; an edit of a piece of text or of an attribute shows up in
// the parts of the HTML written with it, and nothing panics.
func FuzzHTML(f *testing.F) {
	for _, s := range []string{
		`<p>Dear <b>Ann</b> &amp; co</p><a href="mailto:a@b.example" title='x'>y</a>`,
		`<style>p{}</style><script>var x="</p>"</script><!-- c --><br/>`,
		"<p>unterminated <b",
		`<img src="data:image/png;base64,AAAA" alt="a&quot;b">`,
		"text\r\nwith\r\nCRLF &nbsp; &#x41; &copy",
	} {
		f.Add(s, 0, 3)
	}
	f.Fuzz(func(t *testing.T, src string, at, n int) {
		if !utf8.ValidString(src) {
			return
		}
		m := parseHTML(src)
		out, err := m.render(nil, nil)
		if err != nil || out != src {
			t.Fatalf("unchanged HTML not kept: %q -> %q (%v)", src, out, err)
		}
		for _, tc := range []struct {
			text  string
			attrs bool
		}{{m.text, false}, {m.attrs, true}} {
			if len(tc.text) == 0 {
				continue
			}
			a := abs(at) % len(tc.text)
			b := min(len(tc.text), a+abs(n)%16)
			for a > 0 && !utf8.RuneStart(tc.text[a]) {
				a--
			}
			for b < len(tc.text) && !utf8.RuneStart(tc.text[b]) {
				b++
			}
			es := []redactors.Edit{{Start: a, End: b, Replacement: "QZXQ"}}
			var out string
			var err error
			if tc.attrs {
				out, err = m.render(nil, es)
			} else {
				out, err = m.render(es, nil)
			}
			if err != nil {
				continue // a replacement that cannot be written is refused
			}
			m2 := parseHTML(out)
			if a == b && tc.text[a:b] == "" {
				continue
			}
			if !strings.Contains(m2.text+m2.attrs, "QZXQ") && strings.TrimSpace(tc.text[a:b]) != "" && onePiece(m, tc.attrs, a, b) {
				t.Fatalf("replacement lost: %q edit %d:%d of %q -> %q", src, a, b, tc.text, out)
			}
		}
	})
}

// onePiece reports whether a span lies inside one piece (edits of
// separators alone are placed next to a piece, which may be a raw-text
// element the tokenizer reads differently).
func onePiece(m *htmlModel, attrs bool, a, b int) bool {
	ps := m.tp
	if attrs {
		ps = m.ap
	}
	for _, p := range ps {
		if p.start <= a && b <= p.end {
			return true
		}
	}
	return false
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}

// FuzzDistribute checks that edits distributed over pieces stay within
// them, in order, and that every replacement is placed once.
func FuzzDistribute(f *testing.F) {
	f.Add(uint8(3), uint8(2), 0, 5, 7, 9)
	f.Fuzz(func(t *testing.T, np, gap uint8, a1, b1, a2, b2 int) {
		var ps []piece
		off := 0
		for i := 0; i < int(np%8)+1; i++ {
			ps = append(ps, piece{off, off + 3})
			off += 3 + int(gap%4)
		}
		norm := func(a, b int) (int, int) {
			a, b = abs(a)%(off+1), abs(b)%(off+1)
			if a > b {
				a, b = b, a
			}
			return a, b
		}
		x1, y1 := norm(a1, b1)
		x2, y2 := norm(a2, b2)
		if x2 < y1 {
			x2, y2 = y1, max(y1, y2)
		}
		es := []redactors.Edit{{Start: x1, End: y1, Replacement: "R"}, {Start: x2, End: y2, Replacement: "S"}}
		out := distribute(ps, es)
		placed := 0
		for k, pe := range out {
			n := ps[k].end - ps[k].start
			last := 0
			for _, e := range pe {
				if e.Start < last || e.Start > e.End || e.End > n {
					t.Fatalf("edit %+v outside piece %d of %d (pieces %v edits %v)", e, k, n, ps, es)
				}
				last = e.End
				if e.Replacement != "" {
					placed++
				}
			}
		}
		if placed != 2 {
			t.Fatalf("%d replacements placed, want 2 (pieces %v edits %v -> %v)", placed, ps, es, out)
		}
	})
}

// FuzzRTF checks that decompression never grows past the size the header
// claims (nor panics), and that the text reader never panics.
func FuzzRTF(f *testing.F) {
	f.Add([]byte("\x20\x00\x00\x00\x10\x00\x00\x00LZFu\x00\x00\x00\x00\x00{\\rtf1 x}\x01\x0f\x00"))
	f.Add([]byte(`{\rtf1\ansi{\*\htmltag <p>}\'e9t\u233?\par}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		bud := &budget{lim: Limits{MaxDecoded: 1 << 20}}
		out, err := decompressRTF(b, bud)
		if err == nil && len(b) >= 8 && int64(len(out)) > int64(uint32(b[4])|uint32(b[5])<<8|uint32(b[6])<<16|uint32(b[7])<<24) {
			t.Fatalf("output of %d bytes over the claim", len(out))
		}
		s := rtfText(b)
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 from rtfText")
		}
	})
}

// FuzzFold checks that calendar folding unfolds to the same text.
func FuzzFold(f *testing.F) {
	f.Add("ATTENDEE;CN=" + strings.Repeat("é", 60) + ":mailto:x@y.example\r\nEND:VEVENT\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.Contains(s, "\n ") || strings.Contains(s, "\n\t") || strings.Contains(s, "\r") {
			return
		}
		c := &calModel{nl: "\n"}
		if got := unfold(c.fold(s)).text; got != s {
			t.Fatalf("fold/unfold: %q -> %q", s, got)
		}
	})
}
