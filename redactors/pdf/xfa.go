package pdf

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

// XFA values (issue 19, pdf37). A dynamic XFA form (NeedsRendering) falls
// back on its AcroForm only where the fallback shows what the XFA form
// holds: Veil does not read XFA, and XFA leaves the output, so a value that
// only the XFA packets hold would be dropped unseen (a filled form written
// as an empty one). xfaValues reads the values out of the packets: the
// data (character data and attribute values of the datasets packet, its
// data description excepted), the template's field defaults (text inside a
// field's own <value>, not its caption's), the form packet's field values
// read like the template's, and an XFDF packet's field values. It reads
// XML only, never the layout: which field shows which value is not
// known, so fallbackShows compares them as text.

// maxXFAValues bounds the values read from the XFA packets; a form with
// more is refused rather than compared in quadratic time.
const maxXFAValues = 1 << 14

var (
	errXFAUnreadable = errors.New("XFA packets that do not decode")
	errXFANotXML     = errors.New("XFA packets that are not well-formed XML")
	errXFATooMany    = errors.New("XFA packets with too many values to compare")
)

// xfaValues returns the values of the XFA form x (the AcroForm's /XFA: one
// stream holding the XDP document, or an array of packet names and
// streams), white space folded, each once, in document order.
func (d *Document) xfaValues(x types.Object) ([]string, error) {
	var xdp bytes.Buffer
	add := func(o types.Object) error {
		switch v := d.r.resolve(o).(type) {
		case types.StringLiteral, types.HexLiteral:
			xdp.WriteString(stringBytes(v))
			return nil
		}
		sd, nr := d.r.stream(o)
		if sd == nil {
			return errXFAUnreadable
		}
		b, err := d.r.decodeOnce(sd, nr)
		if err != nil {
			return errXFAUnreadable
		}
		xdp.Write(b)
		return nil
	}
	if arr, ok := d.r.resolve(x).(types.Array); ok {
		// [name₀ packet₀ name₁ packet₁ …]: the packets concatenated are
		// the XDP document.
		for i := 1; i < len(arr); i += 2 {
			if err := add(arr[i]); err != nil {
				return nil, err
			}
		}
	} else if err := add(x); err != nil {
		return nil, err
	}
	return readXFAValues(xdp.Bytes())
}

// readXFAValues returns the values of an XDP document (see xfaValues).
func readXFAValues(xdp []byte) ([]string, error) {
	dec := xml.NewDecoder(bytes.NewReader(xdp))
	dec.Entity = xml.HTMLEntity
	var stack []string // local names of the open elements
	in := func(name string) int {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i] == name {
				return i
			}
		}
		return -1
	}
	// isValue reports whether the innermost open element holds a value.
	isValue := func() bool {
		if in("datasets") >= 0 {
			return in("dataDescription") < 0
		}
		// A field's own <value>, not its caption's: the template's
		// defaults and the form packet's values (which fields with
		// bind="none" keep there, pdffix37).
		for _, packet := range []string{"template", "form"} {
			if t := in(packet); t >= 0 {
				f := in("field")
				return f > t && len(stack) > f+1 && stack[f+1] == "value"
			}
		}
		if x := in("xfdf"); x >= 0 {
			return in("value") > x
		}
		return false
	}
	seen := map[string]bool{}
	var out []string
	keep := func(s string) error {
		s = strings.Join(strings.Fields(s), " ")
		if s == "" || seen[s] {
			return nil
		}
		if len(out) == maxXFAValues {
			return errXFATooMany
		}
		seen[s] = true
		out = append(out, s)
		return nil
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, errXFANotXML
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			if !isValue() || in("datasets") < 0 {
				continue
			}
			for _, a := range t.Attr {
				// Namespace declarations and XFA's own attributes
				// (xfa:dataNode, xfa:contentType) are no data.
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") || a.Name.Space == "xfa" || strings.HasPrefix(a.Name.Space, "http://www.xfa.org/") {
					continue
				}
				if err := keep(a.Value); err != nil {
					return nil, err
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 && isValue() {
				if err := keep(string(t)); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

// fallbackShows reports how many of the XFA values vals no shown value
// holds: a value is shown when a shown value (white space folded) equals
// it or holds it between word boundaries (a line of a multi-line field,
// one run of a rich-text value).
func fallbackShows(vals, shown []string) (missing int) {
	return len(unshownValues(vals, shown))
}

// unshownValues returns the values of vals no shown value holds
// (fallbackShows), in their order.
func unshownValues(vals, shown []string) (missing []string) {
	folded := make([]string, len(shown))
	for i, s := range shown {
		folded[i] = strings.Join(strings.Fields(s), " ")
	}
	// One text, values apart by a line end (a boundary): each value is
	// searched once.
	all := strings.Join(folded, "\n")
	for _, v := range vals {
		if !containsWord(all, v) {
			missing = append(missing, v)
		}
	}
	return missing
}

// xfaShown refuses a dynamic XFA form whose AcroForm fallback does not
// show every value of its XFA form: a value that neither a generated
// appearance draws (acroFallback) nor the text read from the pages holds
// (the placeholder page and the widgets' own appearances flattened into
// it) would leave the output unseen. It runs once the pages are read.
func (d *Document) xfaShown() error {
	if len(d.xfaUnshown) == 0 {
		return nil
	}
	pages := make([]string, 0, len(d.pages))
	for _, p := range d.parts {
		pages = append(pages, p.Text)
	}
	if miss := fallbackShows(d.xfaUnshown, pages); miss > 0 {
		return fmt.Errorf("a dynamic XFA form whose AcroForm fallback does not show %d of the %d values of its XFA data and field defaults (compared as text, white space folded, with the values of the fallback's generated field appearances and the text of its pages; NeedsRendering: viewers draw it from XFA, which Veil does not read, and the values would leave the output unseen): %w", miss, d.xfaTotal, redactors.ErrUninspectable)
	}
	return nil
}

// containsWord reports whether s holds v with no letter or digit
// touching it on either side.
func containsWord(s, v string) bool {
	for off := 0; off <= len(s)-len(v); {
		i := strings.Index(s[off:], v)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(v)
		if !wordRuneBefore(s, i) && !wordRuneAfter(s, j) {
			return true
		}
		off = i + 1
	}
	return false
}

func wordRuneBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	c, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(c) || unicode.IsDigit(c)
}

func wordRuneAfter(s string, j int) bool {
	for _, c := range s[j:] {
		return unicode.IsLetter(c) || unicode.IsDigit(c)
	}
	return false
}
