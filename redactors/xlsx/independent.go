package xlsx

import (
	"errors"
	"fmt"
	"strings"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ooxml"
	"github.com/veilhq/veil/redactors/zipview"
)

var _ redactors.IndependentReader = (*Document)(nil)

// structuralShapes are the shapes of attribute values that the
// independent reading leaves out, whatever their slot: numbers, flags,
// references, ids, colours, enumeration values, namespaces, part names,
// relationship and content types. A name or a sentence has none of them.
var structuralShapes = []string{"dec", "bool", "cellref", "relid", "guid", "color", "hex", "enum", "ns", "uri",
	"partname", "reltype", "ctype", "lang", "numfmt", "font", "css", "vmlid", "software", "appversion"}

// IndependentText implements redactors.IndependentReader. It reads data
// with redactors/zipview, which shares no code with the scanner (ooxml's
// walker, its zip reader and this package's visitor) and knows nothing of
// where a workbook keeps its text: of every XML entry, whatever its name
// or type, its character data with a space at every tag (cells, shared
// strings, formulas, caches: every value, numbers and serials included)
// and its attribute values one a line, less the values that have a
// structural shape whatever their slot (structuralShapes; the closed
// vocabulary's shapes, not its slots). What is not XML is searched for
// removed values by the verify step's byte reading.
func (d *Document) IndependentText(data []byte) ([]redactors.Part, error) {
	lim := d.opts.Limits.OrDefault()
	vocab := ooxml.Standard()
	var out []redactors.Part
	err := zipview.Read(data, zipview.Limits{MaxEntries: lim.MaxEntries, MaxTotal: lim.MaxTotalSize}, func(v zipview.View) error {
		if v.Index < 0 || strings.TrimSpace(v.Text) == "" {
			return nil
		}
		name := safeName(v.Entry, v.Index)
		if strings.Contains(v.Entry, "!") {
			name = fmt.Sprintf("zip entry %d (inside)", v.Index)
		}
		switch v.Kind {
		case zipview.Spaced:
			out = append(out, redactors.Part{Name: name + " (independent reading: character data)", Text: strings.Join(strings.Fields(v.Text), " ")})
		case zipview.Attributes:
			var b strings.Builder
			seen := map[string]bool{}
			for _, l := range strings.Split(v.Text, "\n") {
				if strings.TrimSpace(l) == "" || seen[l] || fitsAny(vocab, l) {
					continue
				}
				seen[l] = true
				b.WriteString(l)
				b.WriteByte('\n')
			}
			if b.Len() > 0 {
				out = append(out, redactors.Part{Name: name + " (independent reading: attribute values)", Text: b.String()})
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, zipview.ErrLimit):
		return nil, fmt.Errorf("xlsx: independent reading: %w", redactors.ErrTooLarge)
	case err != nil:
		return nil, fmt.Errorf("xlsx: independent reading: output is not a readable zip: %w", redactors.ErrCorrupt)
	}
	return out, nil
}

func fitsAny(v *ooxml.Vocabulary, s string) bool {
	for _, sh := range structuralShapes {
		if v.Fits(sh, s) {
			return true
		}
	}
	return false
}
