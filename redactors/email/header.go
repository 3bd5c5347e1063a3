package email

import (
	"fmt"
	"mime"
	"net/mail"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	message "github.com/emersion/go-message"
	gomail "github.com/emersion/go-message/mail"
	"github.com/veilhq/veil/redactors"
	"golang.org/x/text/encoding/charmap"
)

var wordDecoder = &mime.WordDecoder{CharsetReader: message.CharsetReader}

// decodeHeaderText decodes a header value (unfolded) as a reader sees it:
// encoded words decoded, raw 8-bit text read as UTF-8 or, when it is not
// valid UTF-8, as Windows-1252.
func decodeHeaderText(v string) (string, error) {
	if !utf8.ValidString(v) {
		s, err := charmap.Windows1252.NewDecoder().String(v)
		if err != nil {
			return "", redactors.ErrEncoding
		}
		v = s
	}
	t, err := wordDecoder.DecodeHeader(v)
	if err != nil {
		return "", fmt.Errorf("encoded word in an unknown charset: %w", redactors.ErrEncoding)
	}
	if !utf8.ValidString(t) {
		t = strings.ToValidUTF8(t, "\uFFFD")
	}
	return t, nil
}

// addrPiece is one address of an address field: where its display name and
// its address lie in the part's text.
type addrPiece struct {
	name, addr piece
}

type piece struct{ start, end int }

// addressText renders an address list as "Name <local@domain>, …". It
// reports false when the list does not parse, or when the rendering would
// lose a word of the decoded value (comments, group names): the field is
// then read as unstructured text.
func addressText(raw, decoded string) ([]addrPiece, string, bool) {
	if !utf8.ValidString(raw) {
		return nil, "", false
	}
	list, err := gomail.ParseAddressList(raw)
	if err != nil || len(list) == 0 {
		return nil, "", false
	}
	var b strings.Builder
	var ps []addrPiece
	for i, a := range list {
		if i > 0 {
			b.WriteString(", ")
		}
		var p addrPiece
		p.name.start = b.Len()
		b.WriteString(a.Name)
		p.name.end = b.Len()
		if a.Name != "" {
			b.WriteString(" ")
		}
		b.WriteString("<")
		p.addr.start = b.Len()
		b.WriteString(a.Address)
		p.addr.end = b.Len()
		b.WriteString(">")
		ps = append(ps, p)
	}
	text := b.String()
	for _, w := range words(decoded) {
		if !strings.Contains(text, w) {
			return nil, "", false
		}
	}
	return ps, text, true
}

// words returns the runs of letters and digits of s.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// distribute maps edits of a part onto its pieces (sorted, not
// overlapping; text between pieces is separators the format writes
// itself). An edit across pieces removes its text from each and puts the
// replacement in the first; an edit of separators only puts its
// replacement at the end of the piece before it (or the start of the
// next).
func distribute(ps []piece, edits []redactors.Edit) [][]redactors.Edit {
	out := make([][]redactors.Edit, len(ps))
	for _, e := range edits {
		placed := false
		// the first piece that can touch e (pieces are sorted)
		k0 := sort.Search(len(ps), func(k int) bool { return ps[k].end >= e.Start })
		for k := k0; k < len(ps); k++ {
			p := ps[k]
			if p.start > e.End {
				break
			}
			if (p.end == e.Start && e.Start != e.End) || (p.start == e.End && e.Start != e.End) {
				continue
			}
			if e.Start == e.End && placed {
				break
			}
			a, b := max(e.Start, p.start)-p.start, min(e.End, p.end)-p.start
			r := ""
			if !placed {
				r, placed = e.Replacement, true
			}
			out[k] = append(out[k], redactors.Edit{Start: a, End: b, Replacement: r})
		}
		if placed || e.Replacement == "" || len(ps) == 0 {
			continue
		}
		// Only separators: after the piece before e, else before the next.
		k := sort.Search(len(ps), func(k int) bool { return ps[k].start >= e.Start }) - 1
		if k < 0 {
			out[0] = append(out[0], redactors.Edit{Start: 0, End: 0, Replacement: e.Replacement})
			continue
		}
		n := ps[k].end - ps[k].start
		out[k] = append(out[k], redactors.Edit{Start: n, End: n, Replacement: e.Replacement})
	}
	for k := range out {
		sortEdits(out[k])
	}
	return out
}

func sortEdits(es []redactors.Edit) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
}

// invalidAddress is the address written for one that a redaction made
// invalid (the reserved top-level domain "invalid", RFC 2606, without a
// dot so that detectors do not take it for an address); the redacted text
// goes into the display name.
const invalidAddress = "redacted@invalid"

// formatAddresses writes an address list after edits.
func formatAddresses(text string, ps []addrPiece, edits []redactors.Edit) string {
	flat := make([]piece, 0, 2*len(ps))
	for _, p := range ps {
		flat = append(flat, p.name, p.addr)
	}
	per := distribute(flat, edits)
	var out []string
	for i, p := range ps {
		name := redactors.Splice(text[p.name.start:p.name.end], per[2*i])
		addr := redactors.Splice(text[p.addr.start:p.addr.end], per[2*i+1])
		if len(per[2*i+1]) > 0 {
			if _, err := mail.ParseAddress("<" + addr + ">"); err != nil || strings.ContainsAny(addr, " \t") {
				name = strings.TrimSpace(name + " " + addr)
				addr = invalidAddress
			}
		}
		a := mail.Address{Name: strings.TrimSpace(name), Address: addr}
		out = append(out, a.String())
	}
	return strings.Join(out, ", ")
}

// encodeUnstructured returns v as a header value: ASCII as it is, anything
// else as RFC 2047 encoded words (UTF-8).
func encodeUnstructured(v string) string {
	v = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(v)
	ascii := true
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x7f || (v[i] < ' ' && v[i] != '\t') {
			ascii = false
			break
		}
	}
	if ascii && !strings.Contains(v, "=?") {
		return v
	}
	// Go's encoder splits long values into several encoded words, each
	// holding its spaces (as "_"), so the value folds between them and
	// decodes to v exactly.
	return mime.QEncoding.Encode("utf-8", v)
}

// msgidSafe removes spaces inside <…>, which a replacement can bring into
// a message id.
func msgidSafe(v string) string {
	var b strings.Builder
	in := false
	for _, r := range v {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case in && (r == ' ' || r == '\t'):
			r = '-'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formatField writes a header field "Name: value" folded at spaces to
// lines of at most 78 characters where it can, with the message's line
// ending.
func (d *Document) formatField(name, value string) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteString(":")
	lineLen := len(name) + 1
	for i, w := range strings.Split(value, " ") {
		if i > 0 && lineLen+1+len(w) > 78 && lineLen > len(name)+1 {
			b.WriteString(d.nl)
			lineLen = 0
		}
		b.WriteString(" ")
		b.WriteString(w)
		lineLen += 1 + len(w)
	}
	b.WriteString(d.nl)
	return b.String()
}

// mimeFormat writes a media type with parameters (RFC 2231 for non-ASCII
// values).
func mimeFormat(t string, params map[string]string) string {
	return mime.FormatMediaType(t, params)
}
