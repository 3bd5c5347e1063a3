package table

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/veilhq/veil/redactors"
)

var _ redactors.IndependentReader = (*Document)(nil)

// IndependentText implements redactors.IndependentReader: the fields of
// data as Go's encoding/csv reads them (lazy quotes, any number of fields
// a record, the delimiter Parse sniffed), a reader that shares nothing
// with scan but the decoding of bytes to text; each non-blank field is a
// part named "record N, field M". With lazy quotes that reader accepts
// any text; should it still fail, the file is corrupt to verify, which
// refuses it.
func (d *Document) IndependentText(data []byte) ([]redactors.Part, error) {
	text, _, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: independent reading: %w", d.name, err)
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = rune(d.delim)
	r.LazyQuotes = true
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var parts []redactors.Part
	for n := 1; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return parts, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: independent reading, record %d: %w", d.name, n, redactors.ErrCorrupt)
		}
		for m, f := range rec {
			if strings.TrimSpace(f) != "" {
				parts = append(parts, redactors.Part{Name: fmt.Sprintf("record %d, field %d", n, m+1), Text: f})
			}
		}
	}
}
