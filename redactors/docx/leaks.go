package docx

import (
	"errors"
	"fmt"
	"sort"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/zipview"
)

// Leaks implements redactors.LeakChecker. It reads the output with
// zipview, which shares no code with the scanner that found the text
// (ooxml.Walk and this package's visitor) and knows nothing of where Word
// keeps text: the raw bytes of the whole file, every entry's name, comment
// and extra fields, and every entry inflated; XML lexed into its character
// data (runs joined directly, so a value split across runs is whole again,
// and with a space at every tag) and its attribute values, comments and
// processing instructions, references decoded; other entries as raw bytes,
// as UTF-16 and with their zlib streams inflated; nested archives opened.
// An entry the independent reading of the same data inflated just before
// (IndependentText, archive/zip too) is taken from it, not inflated again.
// The whole file's raw bytes are searched less the compressed data of
// the entries read inflated (zipview.File states what is left out and
// what stays). It returns the safe names of the entries (or "file", "zip
// comment") where find reported a match.
func (d *Document) Leaks(data []byte, find func(text string) bool) ([]string, error) {
	lim := d.opts.Limits.OrDefault()
	where := map[string]bool{}
	shared, streams := d.shared.take(data)
	if d.opts.Images == ImagesOCR {
		outputHeads.keep(data, shared) // for PixelLeaks, next
	}
	have := func(place string) ([]byte, int64, bool) {
		b, ok := shared[place]
		n, known := streams[place]
		if !known {
			n = -1
		}
		return b, n, ok
	}
	err := zipview.ReadShared(data, zipview.Limits{MaxEntries: lim.MaxEntries, MaxTotal: lim.MaxTotalSize}, have, func(v zipview.View) error {
		if !find(v.Text) {
			return nil
		}
		switch {
		case v.Kind == zipview.File:
			where["the file's raw bytes"] = true
		case v.Index < 0:
			where["zip comment"] = true
		default:
			where[safeName(v.Entry, v.Index)] = true
		}
		return nil
	})
	switch {
	case errors.Is(err, zipview.ErrLimit):
		return nil, fmt.Errorf("docx: leak check: %w", redactors.ErrTooLarge)
	case err != nil:
		return nil, fmt.Errorf("docx: leak check: output is not a readable zip: %w", redactors.ErrCorrupt)
	}
	out := make([]string, 0, len(where))
	for w := range where {
		out = append(out, w)
	}
	sort.Strings(out)
	return out, nil
}
