package table

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

// FuzzScan: for any text and delimiter, the fields and the separators
// between them are the whole text; each field's value maps back onto its
// raw bytes (valueMap); a field rewritten with any replacement reads back
// as the reference splice, and every other field as it was.
func FuzzScan(f *testing.F) {
	for _, s := range []string{"a,b\r\n\"c\"\"d\",e\n", "\"x\"y,\"unclosed\n", "a;b|c\td\r", "", ",,,\n\n", "\"\"\"\"", "\"a\"\"b\"c,\r\r\n"} {
		f.Add(s, byte(','), 1, "R\"e,p\n")
	}
	f.Fuzz(func(t *testing.T, text string, di byte, pick int, repl string) {
		if !utf8.ValidString(text) || !utf8.ValidString(repl) || len(text) > 4096 || strings.IndexByte(repl, 0) >= 0 {
			return // replacements are Veil's labels: never a NUL
		}
		delim := candidates[int(di)%len(candidates)]
		var fields []field
		scan(text, delim, func(fl field) bool { fields = append(fields, fl); return true })
		pos := 0
		for i, fl := range fields {
			if fl.start != pos || fl.end < fl.start || fl.end > len(text) {
				t.Fatalf("field %d at %d:%d, want start %d", i, fl.start, fl.end, pos)
			}
			raw := text[fl.start:fl.end]
			v, off := valueMap(raw, fl.quoted, fl.wellFormed, true)
			if v != fl.value || len(off) != len(v)+1 {
				t.Fatalf("field %d: value %q vs %q, %d offsets", i, v, fl.value, len(off))
			}
			for k := 1; k < len(off); k++ {
				if off[k] < off[k-1] || off[k] > len(raw) {
					t.Fatalf("field %d: offsets not monotonic", i)
				}
			}
			for k := 0; k < len(v); k++ {
				if v[k] != raw[off[k]] {
					t.Fatalf("field %d: value byte %d is not at raw %d", i, k, off[k])
				}
			}
			pos = fl.end
			if pos < len(text) {
				switch {
				case text[pos] == delim:
					pos++
				case strings.HasPrefix(text[pos:], "\r\n"):
					pos += 2
				case text[pos] == '\n' || text[pos] == '\r':
					pos++
				default:
					t.Fatalf("field %d ends at %d before %q", i, pos, text[pos])
				}
			}
		}
		if pos != len(text) {
			t.Fatalf("fields and separators cover %d of %d bytes", pos, len(text))
		}

		// Rewrite one non-blank field through a Document and read it back.
		doc, err := CSV(Options{}).Parse([]byte(text))
		if err != nil {
			return
		}
		d := doc.(*Document)
		parts := d.Parts()
		i := (pick%len(parts) + len(parts)) % len(parts)
		p := parts[i].Text
		a, b := 0, len(p)
		if len(p) > 2 {
			a = 1
			for a < len(p) && !utf8.RuneStart(p[a]) {
				a++
			}
		}
		edits := []redactors.Edit{{Part: i, Start: a, End: b, Replacement: repl}}
		var out strings.Builder
		if err := d.Redact(&out, edits); err != nil {
			if redactors.ReasonOf(err) == redactors.ErrInternal {
				t.Fatalf("redact: %v", err)
			}
			return
		}
		doc2, err := CSV(Options{}).Parse([]byte(out.String()))
		if err != nil {
			if strings.TrimSpace(redactors.Splice(p, edits[:0:0])) == "" {
				return
			}
			want := redactors.Splice(p, []redactors.Edit{{Start: a, End: b, Replacement: repl}})
			if len(parts) == 1 && strings.TrimSpace(want) == "" {
				return
			}
			t.Fatalf("output does not parse: %v", err)
		}
		got := map[string]string{}
		for _, q := range doc2.Parts() {
			got[q.Name] = q.Text
		}
		for k, q := range parts {
			want := q.Text
			if k == i {
				want = redactors.Splice(q.Text, []redactors.Edit{{Start: a, End: b, Replacement: repl}})
			}
			if strings.TrimSpace(want) == "" {
				continue
			}
			if got[q.Name] != want {
				t.Fatalf("%s reads %q after the edit, want %q (out %q)", q.Name, got[q.Name], want, out.String())
			}
		}
	})
}
