package text

import (
	"encoding/base64"
	"fmt"
	"html"
	neturl "net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"

	"github.com/veilhq/veil/redactors"
)

// HTML in a text (session "sidedoor13", issue 13). A .txt or .md file may
// hold HTML tags, pasted or written by hand, and a tag's attribute values
// are text a reader or a program recovers: a tooltip
// (<abbr title="Orsolya Quillanby">OQ</abbr>), an image's alt text, a
// form field's value or placeholder, a data-* attribute, a <meta>'s
// content, a link's target (href="mailto:…?subject=MRN%2048213907"). The
// detection view leaves tags out (ner/textform: a reader does not see
// them), and the body's own reading sees a value glued to its markup
// (`title="Orsolya`), undecoded ("&#79;rsolya", "Orsolya%20Quillanby").
//
// So each value of an attribute outside a closed vocabulary of structural
// attributes (structuralAttrs: classes, ids, styles, sizes, enumerations)
// is a part of its own, after the body (and after a front matter's
// values), its character references decoded; a URL attribute's
// (urlAttrs) is read as a URL, percent-encoding decoded, each query
// parameter's value a part whose Field is the parameter's name ("mrn",
// "patient"), as a column's header is a cell's. Another attribute's
// value has as Field the attribute's name as words ("data-patient-name"
// → "patient name"), a <meta>'s content the meta's name ("author").
//
// Redact maps the parts' edits back onto the body, a decoded character
// over the whole reference or escape it was read from. An edit of the
// body that meets a tag is cut to the values and the text outside tags
// it covers, so the tag's name, its attributes' names, its quotes and
// brackets stay (a tag wholly inside an edit goes with it, as before); an
// edit that would leave nothing but the names of a tag or attribute is
// refused (ErrUninspectable: the file is quarantined). A replacement in
// a value is escaped for its quoting (and percent-encoded in a URL), so
// the markup parses to the same elements.

// tagSpan is an HTML start or end tag of the body: bytes [start, end);
// its attribute values are vals[v0:v1].
type tagSpan struct {
	start, end int
	v0, v1     int
}

// attrVal is an attribute's value: the body's bytes [start, end) (inside
// its quotes), its quote ('"', '\”, or 0: unquoted), and whether it is a
// URL.
type attrVal struct {
	start, end int
	quote      byte
	url        bool
	// bare: a URL in the text, outside tags; a replacement in it is
	// written as it is, as in the rest of the text
	bare bool
}

// piece is a part read from an attribute value: its text, decoded, and
// the map back to the body.
type piece struct {
	val   int // index in vals
	text  string
	field string
	segs  []dseg
}

// dseg maps the decoded text[ds:de] to the body's [rs, re): a copy
// (de-ds == re-rs, byte for byte) or a unit (a reference or escape, read
// as a whole).
type dseg struct {
	ds, de, rs, re int
	unit           bool
}

// markup is what scanMarkup reads of a body.
type markup struct {
	tags   []tagSpan
	vals   []attrVal
	pieces []piece
	urls   *urlFinder // while scanning
	// the next %XX or "](" (nextWordMark), while scanning
	wmAt    int
	wmValid bool
	// dataURL: a URL attribute's value or a link target is a data: URL
	// (its content is not read: the file is refused)
	dataURL bool
	dataAt  []int // where each such URL starts
}

// structuralAttrs are attributes whose values are enumerations, numbers,
// identifiers or style (WHATWG HTML's attribute index): not parts. The
// body's own reading still sees them.
var structuralAttrs = map[string]bool{
	"accept": true, "accept-charset": true, "align": true, "allow": true, "async": true, "autocapitalize": true,
	"autocomplete": true, "autofocus": true, "autoplay": true, "bgcolor": true, "border": true, "cellpadding": true,
	"cellspacing": true, "charset": true, "checked": true, "class": true, "color": true, "cols": true, "colspan": true,
	"contenteditable": true, "controls": true, "coords": true, "crossorigin": true, "datetime": true, "decoding": true,
	"default": true, "defer": true, "dir": true, "disabled": true, "draggable": true, "enctype": true, "enterkeyhint": true,
	"face": true, "fetchpriority": true, "for": true, "frameborder": true, "headers": true, "height": true, "hidden": true,
	"high": true, "http-equiv": true, "id": true, "inert": true, "inputmode": true, "integrity": true, "ismap": true,
	"itemscope": true, "itemtype": true, "kind": true, "lang": true, "loading": true, "loop": true, "low": true,
	"max": true, "maxlength": true, "media": true, "method": true, "min": true, "minlength": true, "multiple": true,
	"muted": true, "nomodule": true, "nonce": true, "novalidate": true, "nowrap": true, "open": true, "optimum": true,
	"playsinline": true, "popover": true, "preload": true, "readonly": true, "referrerpolicy": true, "rel": true,
	"required": true, "rev": true, "reversed": true, "role": true, "rows": true, "rowspan": true, "sandbox": true,
	"scope": true, "selected": true, "shape": true, "size": true, "sizes": true, "span": true, "spellcheck": true,
	"start": true, "step": true, "style": true, "tabindex": true, "target": true, "translate": true, "type": true,
	"valign": true, "version": true, "width": true, "wrap": true, "xml:lang": true, "xmlns": true,
}

// urlAttrs are attributes whose values are URLs (WHATWG HTML, SVG's
// xlink:href).
var urlAttrs = map[string]bool{
	"action": true, "background": true, "cite": true, "codebase": true, "data": true, "formaction": true, "href": true,
	"itemid": true, "longdesc": true, "manifest": true, "ping": true, "poster": true, "src": true, "srcset": true,
	"usemap": true, "xlink:href": true,
}

// partAttr reports whether the value of the attribute name (lower case)
// is read as a part.
func partAttr(name string) bool {
	return !structuralAttrs[name] && !strings.HasPrefix(name, "xmlns:")
}

// htmlElements are the element names (WHATWG HTML, and the obsolete ones
// still written) a "<" must open to be read as a tag when it has no
// attribute value: "<Orsolya Quillanby>" or "<oquillanby@example.net>" in
// a plain text is text. A custom element's name has a hyphen.
var htmlElements = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`a abbr acronym address area article aside audio b base bdi bdo big blockquote body br
		button canvas caption center cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed
		fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
		img input ins kbd label legend li link main map mark menu meta meter nav noscript object ol optgroup option output
		p param picture pre progress q rp rt ruby s samp script search section select slot small source span strike
		strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var
		video wbr`) {
		m[n] = true
	}
	return m
}()

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool { return isASCIILetter(c) || '0' <= c && c <= '9' }

// quoteCache keeps the last search for each quote character, so that a
// body is searched for a closing quote a bounded number of times per byte
// whatever the number of tags that fail.
type quoteCache [2]struct {
	from, at int
	valid    bool
}

// next returns the index of the first c (a quote) at or after from in s,
// -1 if none.
func (q *quoteCache) next(s string, from int, c byte) int {
	k := &q[0]
	if c == '\'' {
		k = &q[1]
	}
	if !k.valid || from < k.from || k.at >= 0 && from > k.at {
		k.from, k.at, k.valid = from, -1, true
		if i := strings.IndexByte(s[from:], c); i >= 0 {
			k.at = from + i
		}
	}
	return k.at
}

// rawAttr is an attribute read by readTag.
type rawAttr struct {
	name       string // lower case
	start, end int    // the value, -1 when the attribute has none
	quote      byte
}

// scanMarkup reads the HTML tags of body from byte from on. It reads each
// byte a bounded number of times.
func scanMarkup(body string, from int) markup {
	var m markup
	var q quoteCache
	last := from // the text from last on is not read for URLs yet
	for i := from; i < len(body); {
		k := strings.IndexByte(body[i:], '<')
		if k < 0 {
			break
		}
		i += k
		end, name, attrs, ok, resume := readTag(body, i, &q)
		if !ok {
			i = max(resume, i+1)
			continue
		}
		m.bareURLs(body, last, i)
		last = end
		t := tagSpan{start: i, end: end, v0: len(m.vals)}
		meta := ""
		if name == "meta" {
			for _, a := range attrs {
				if (a.name == "name" || a.name == "property" || a.name == "itemprop") && a.start >= 0 {
					meta = fieldWords(html.UnescapeString(body[a.start:a.end]))
				}
			}
		}
		for _, a := range attrs {
			if a.start < 0 {
				continue
			}
			v := attrVal{start: a.start, end: a.end, quote: a.quote, url: urlAttrs[a.name]}
			m.vals = append(m.vals, v)
			if a.end == a.start || !partAttr(a.name) && !encoded(body, a.start, a.end) {
				continue
			}
			vi := len(m.vals) - 1
			if v.url && isDataURL(html.UnescapeString(body[a.start:a.end])) {
				m.dataURL = true
				m.dataAt = append(m.dataAt, a.start)
			}
			switch {
			case !partAttr(a.name):
				// a structural value written with a reference or an
				// escape (class="&#84;amsin", id="Tamsin%20Everard"):
				// read decoded (session "markfix")
				if p, ok := decodePiece(body, v.start, v.end, vi, true, false); ok {
					p.field = fieldWords(a.name)
					m.pieces = append(m.pieces, p)
				}
			case v.url:
				m.pieces = append(m.pieces, urlPieces(body, v, vi)...)
			default:
				field := fieldWords(strings.TrimPrefix(strings.TrimPrefix(a.name, "data-"), "aria-"))
				if a.name == "content" && meta != "" {
					field = meta
				}
				if p, ok := decodePiece(body, v.start, v.end, vi, false, false); ok {
					p.field = field
					m.pieces = append(m.pieces, p)
				}
			}
		}
		t.v1 = len(m.vals)
		m.tags = append(m.tags, t)
		i = end
	}
	m.bareURLs(body, last, len(body))
	return m
}

// bareURLs reads the URLs of body[a:b], text outside tags ("https://…",
// "mailto:…", in a Markdown link or autolink or bare), that hold an
// escape or a query: as a URL attribute's value, its pieces are parts
// (percent-escapes decoded, each query parameter under its name), so
// that "patient=Orsolya%20Quillanby" reads "Orsolya Quillanby" under
// "patient".
func (m *markup) bareURLs(body string, a, b int) {
	if m.urls == nil {
		m.urls = newURLFinder(body)
	}
	for i := a; i < b; {
		k, mailto := m.urls.find(i, b)
		w := m.nextWordMark(body, i, b)
		if k < 0 && w < 0 {
			return
		}
		var s, e int
		if w >= 0 && (k < 0 || w < k) {
			// a link target of any scheme or none ("](chart.html?…)"), a
			// reference definition's or any word holding a %XX escape
			// (session "markfix": "(Tamsin%20Everard.pdf)" kept the surname)
			if body[w] == ']' {
				s = w + 2
				if isDataURL(body[s:min(len(body), s+16)]) {
					m.dataURL = true
					m.dataAt = append(m.dataAt, s)
				}
			} else {
				s = w
				for s > i && !isSpaceByte(body[s-1]) && strings.IndexByte("<>\"'`([", body[s-1]) < 0 {
					s--
				}
			}
			k, mailto = w, true // the URL starts at s
		} else {
			s = k
			// the scheme: letters, digits, "+", "-", "." before "://"
			for !mailto && s > a && (isAlnum(body[s-1]) || body[s-1] == '+' || body[s-1] == '-' || body[s-1] == '.') {
				s--
			}
		}
		k -= i
		e = max(s, i+k)
		open := 0
		for e < b {
			c := body[e]
			if isSpaceByte(c) || c == '<' || c == '>' || c == '"' || c == '`' || c == '\'' || c >= 0x80 ||
				(c == ')' || c == ']') && open == 0 {
				break
			}
			if c == '(' || c == '[' {
				open++
			} else if c == ')' || c == ']' {
				open--
			}
			e++
		}
		for e > s && strings.IndexByte(".,;:!?*_", body[e-1]) >= 0 {
			e--
		}
		if v := body[s:e]; (mailto || s < i+k) && strings.ContainsAny(v, "%?+&") {
			m.vals = append(m.vals, attrVal{start: s, end: e, url: true, bare: true})
			m.pieces = append(m.pieces, urlPieces(body, m.vals[len(m.vals)-1], len(m.vals)-1)...)
		}
		i = max(e, i+k+1)
	}
}

// nextWordMark returns the index in [from, to) of the next valid %XX
// escape or Markdown link target's "](", -1 if none. It searches each
// byte of body a bounded number of times, calls coming with from
// increasing.
func (m *markup) nextWordMark(body string, from, to int) int {
	if !m.wmValid || m.wmAt >= 0 && m.wmAt < from {
		m.wmValid, m.wmAt = true, -1
		for j := from; j < len(body); {
			k := strings.IndexAny(body[j:], "%]")
			if k < 0 {
				break
			}
			j += k
			if pctEscape(body, j, len(body)) ||
				body[j] == ']' && j+1 < len(body) && body[j+1] == '(' {
				m.wmAt = j
				break
			}
			j++
		}
	}
	if m.wmAt >= 0 && m.wmAt < to {
		return m.wmAt
	}
	return -1
}

// urlMarks start or announce a URL.
var urlMarks = [...]string{"://", "mailto:", "MAILTO:", "Mailto:"}

// urlFinder finds the URL marks of one text in order, searching for each
// mark once per occurrence (calls come with from increasing).
type urlFinder struct {
	s    string
	next [len(urlMarks)]int // the next occurrence of each mark, -1: none, -2: not searched
}

func newURLFinder(s string) *urlFinder {
	f := &urlFinder{s: s}
	for k := range f.next {
		f.next[k] = -2
	}
	return f
}

// find returns the index of the first mark at or after from and before
// to, -1 if none, and whether it is a "mailto:" (which starts its URL).
func (f *urlFinder) find(from, to int) (int, bool) {
	best, mailto := -1, false
	for k, mark := range urlMarks {
		if f.next[k] == -2 || f.next[k] >= 0 && f.next[k] < from {
			f.next[k] = -1
			if j := strings.Index(f.s[from:], mark); j >= 0 {
				f.next[k] = from + j
			}
		}
		if j := f.next[k]; j >= 0 && j+len(mark) <= to && (best < 0 || j < best) {
			best, mailto = j, k > 0
		}
	}
	return best, mailto
}

// isDataURL reports whether the URL v is a data: URL (WHATWG URL: the
// scheme after leading white space and controls, in any case). A leading
// "<" is skipped: a Markdown link target in angle brackets, "](<data:…>)"
// (session "sidefix37").
func isDataURL(v string) bool {
	v = strings.TrimLeft(v, " \t\n\r\f\x00")
	if strings.HasPrefix(v, "<") {
		v = strings.TrimLeft(v[1:], " \t\n\r\f\x00")
	}
	return len(v) >= 5 && strings.EqualFold(v[:5], "data:")
}

// errDataURL: a data: URL's content is not read (session "markfix").
var errDataURL = fmt.Errorf("an HTML attribute or link holds a data: URL or a text holds base64 data (its content is not read): %w", redactors.ErrUninspectable)

// dataLines writes the content of a base64 data: URL in v (a value or a
// word) when it decodes to UTF-8 text, for verify.
func dataLines(v string, line func(string)) {
	i := strings.Index(strings.ToLower(v), ";base64,")
	if i < 0 {
		return
	}
	p := v[i+len(";base64,"):]
	if k := strings.IndexAny(p, ")]>\"'` \t\n"); k >= 0 {
		p = p[:k]
	}
	p = strings.TrimRight(p, "=")
	if b, err := base64.RawStdEncoding.DecodeString(p); err == nil && utf8.Valid(b) {
		line(string(b))
	} else if b, err := base64.RawURLEncoding.DecodeString(p); err == nil && utf8.Valid(b) {
		line(string(b))
	}
}

// encoded reports whether body[a:b] holds a character reference or a
// percent-escape (%XX).
func encoded(body string, a, b int) bool {
	for i := a; i < b; i++ {
		switch body[i] {
		case '&':
			if _, _, ok := refAt(body, i, b); ok {
				return true
			}
		case '%':
			if pctEscape(body, i, b) {
				return true
			}
		}
	}
	return false
}

// fieldWords returns an attribute's or parameter's name as words
// ("patient-name", "patient_name" → "patient name").
func fieldWords(name string) string {
	return strings.Join(strings.FieldsFunc(name, func(r rune) bool {
		return r == '-' || r == '_' || r == ':' || r == '.' || r == ' '
	}), " ")
}

// readTag reads a start or end tag at body[i] ("<"): its end, its name
// (lower case) and its attributes. It is a tag when its name is an HTML
// element's, a custom element's, or it has an attribute with a value; a
// "<" outside a quoted value, or a quote that does not close, makes it
// no tag. resume is where to look for the next tag when it is not.
func readTag(body string, i int, q *quoteCache) (end int, name string, attrs []rawAttr, ok bool, resume int) {
	j := i + 1
	closing := j < len(body) && body[j] == '/'
	if closing {
		j++
	}
	n := j
	for j < len(body) && (isASCIILetter(body[j]) || j > n && (body[j] >= '0' && body[j] <= '9' || body[j] == '-' || body[j] == ':')) {
		j++
	}
	if j == n || !isASCIILetter(body[n]) {
		return 0, "", nil, false, i + 1
	}
	if j < len(body) && !isSpaceByte(body[j]) && body[j] != '/' && body[j] != '>' {
		return 0, "", nil, false, i + 1 // a reader's tag name goes on ("<a!=0>")
	}
	name = strings.ToLower(body[n:j])
	known := htmlElements[name] || strings.Contains(name, "-")
	hasValue := false
	for {
		for j < len(body) && (isSpaceByte(body[j]) || body[j] == '/') {
			j++
		}
		if j >= len(body) {
			return 0, "", nil, false, i + 1
		}
		switch body[j] {
		case '>':
			if !known && !hasValue {
				return 0, "", nil, false, i + 1
			}
			return j + 1, name, attrs, true, 0
		case '<':
			return 0, "", nil, false, j
		case '"', '\'', '=':
			return 0, "", nil, false, i + 1
		}
		a := j
		for j < len(body) && !isSpaceByte(body[j]) && body[j] != '/' && body[j] != '>' && body[j] != '=' && body[j] != '<' && body[j] != '"' && body[j] != '\'' {
			j++
		}
		at := rawAttr{name: strings.ToLower(body[a:j]), start: -1, end: -1}
		k := j
		for k < len(body) && isSpaceByte(body[k]) {
			k++
		}
		if k < len(body) && body[k] == '=' {
			k++
			for k < len(body) && isSpaceByte(body[k]) {
				k++
			}
			if k >= len(body) {
				return 0, "", nil, false, i + 1
			}
			switch c := body[k]; c {
			case '"', '\'':
				e := q.next(body, k+1, c)
				if e < 0 {
					return 0, "", nil, false, i + 1
				}
				at.start, at.end, at.quote = k+1, e, c
				k = e + 1
			case '>':
				// "a=>": no value
			default:
				e := k
				for e < len(body) && !isSpaceByte(body[e]) && body[e] != '>' {
					if body[e] == '<' {
						return 0, "", nil, false, e
					}
					e++
				}
				at.start, at.end = k, e
				k = e
			}
			hasValue = true
			j = k
		}
		if closing && at.start >= 0 {
			return 0, "", nil, false, i + 1 // an end tag has no attributes
		}
		attrs = append(attrs, at)
	}
}

// refAt reads a character reference at s[p] ("&") before lim, as HTML
// reads one in an attribute value: numeric with or without ";", named
// with ";", or a legacy name without ";" not followed by "=" (WHATWG
// HTML 13.2.5.72-80). It returns its end and what it reads as.
func refAt(s string, p, lim int) (int, string, bool) {
	j := p + 1
	named := true
	if j < lim && s[j] == '#' {
		named = false
		j++
		hex := j < lim && (s[j] == 'x' || s[j] == 'X')
		if hex {
			j++
		}
		d := j
		for j < lim && ('0' <= s[j] && s[j] <= '9' || hex && ('a' <= s[j]|0x20 && s[j]|0x20 <= 'f')) && j-d < 8 {
			j++
		}
		if j == d {
			return 0, "", false
		}
	} else {
		d := j
		for j < lim && isAlnum(s[j]) && j-d < 32 {
			j++
		}
		if j == d {
			return 0, "", false
		}
	}
	semi := j < lim && s[j] == ';'
	if semi {
		j++
	} else if named && j < lim && (s[j] == '=' || isAlnum(s[j])) {
		return 0, "", false
	}
	cand := s[p:j]
	u := html.UnescapeString(cand)
	if u == cand || !utf8.ValidString(u) {
		return 0, "", false
	}
	if named {
		// the whole name must be the reference: "&notit;" is not "¬"
		// followed by "it;" in a value (no named reference reads as an
		// ASCII letter or digit)
		for k := 0; k < len(u); k++ {
			if isAlnum(u[k]) {
				return 0, "", false
			}
		}
		if semi && u != ";" && strings.HasSuffix(u, ";") {
			return 0, "", false
		}
	}
	return j, u, true
}

// pieceBuilder writes a piece: its text and its segments.
type pieceBuilder struct {
	b    strings.Builder
	segs []dseg
}

func (pb *pieceBuilder) copyRaw(body string, a, b int) {
	if a >= b {
		return
	}
	d := pb.b.Len()
	pb.b.WriteString(body[a:b])
	if n := len(pb.segs); n > 0 && !pb.segs[n-1].unit && pb.segs[n-1].re == a {
		pb.segs[n-1].de, pb.segs[n-1].re = pb.b.Len(), b
		return
	}
	pb.segs = append(pb.segs, dseg{ds: d, de: pb.b.Len(), rs: a, re: b})
}

func (pb *pieceBuilder) unit(a, b int, s string) {
	d := pb.b.Len()
	pb.b.WriteString(s)
	pb.segs = append(pb.segs, dseg{ds: d, de: pb.b.Len(), rs: a, re: b, unit: true})
}

// decodePiece reads body[a:b], a value or a stretch of one, as a piece:
// character references decoded and, for a URL (url), percent-escapes too
// ("+" as a space in a query, plus). A piece that is blank is none; a
// URL whose escapes do not decode to UTF-8 is read with them as they are.
func decodePiece(body string, a, b, val int, url, plus bool) (piece, bool) {
	for _, pct := range []bool{url, false} {
		var pb pieceBuilder
		last := a
		for i := a; i < b; {
			c := body[i]
			switch {
			case c == '&':
				if e, u, ok := refAt(body, i, b); ok {
					pb.copyRaw(body, last, i)
					pb.unit(i, e, u)
					i, last = e, e
					continue
				}
			case c == '%' && pct && pctEscape(body, i, b):
				pb.copyRaw(body, last, i)
				pb.unit(i, i+3, string([]byte{byte(hexVal(body[i+1])<<4 | hexVal(body[i+2]))}))
				i, last = i+3, i+3
				continue
			case c == '+' && pct && plus:
				pb.copyRaw(body, last, i)
				pb.unit(i, i+1, " ")
				i, last = i+1, i+1
				continue
			}
			i++
		}
		pb.copyRaw(body, last, b)
		t := pb.b.String()
		if !utf8.ValidString(t) {
			continue
		}
		if strings.TrimSpace(t) == "" {
			return piece{}, false
		}
		return piece{val: val, text: t, segs: pb.segs}, true
	}
	return piece{}, false
}

// pctEscape reports whether body[i:] starts with a percent-escape "%XX"
// that ends at or before end.
func pctEscape(body string, i, end int) bool {
	return i+2 < end && body[i] == '%' && hexVal(body[i+1]) >= 0 && hexVal(body[i+2]) >= 0
}

func hexVal(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// urlPieces reads a URL value: the URL before its query (scheme, address,
// path), each query parameter's value (Field: its name) and the fragment.
// A "&" of the query is a separator, written as it is or as a reference.
func urlPieces(body string, v attrVal, vi int) []piece {
	var out []piece
	add := func(a, b int, plus bool, field string) {
		if p, ok := decodePiece(body, a, b, vi, true, plus); ok {
			p.field = field
			out = append(out, p)
		}
	}
	// the end of the stretch before the query and fragment
	q := strings.IndexAny(body[v.start:v.end], "?#")
	if q < 0 {
		add(v.start, v.end, false, "")
		return out
	}
	q += v.start
	add(v.start, q, false, "")
	i := q
	if body[i] == '?' {
		i++
		for i < v.end && body[i] != '#' {
			// a parameter: up to the next separator
			e := i
			for e < v.end && body[e] != '#' {
				if body[e] == '&' {
					if r, u, ok := refAt(body, e, v.end); !ok || u == "&" {
						break
					} else {
						e = r
						continue
					}
				}
				if body[e] == ';' {
					break
				}
				e++
			}
			key, val := "", i
			if k := strings.IndexByte(body[i:e], '='); k >= 0 {
				key, val = html.UnescapeString(body[i:i+k]), i+k+1
				if p, ok := decodePiece(body, i, i+k, vi, true, true); ok {
					key = p.text
				}
			}
			add(val, e, true, fieldWords(key))
			if e < v.end && body[e] == '&' {
				r, _, ok := refAt(body, e, v.end)
				if !ok {
					r = e + 1
				}
				i = r
			} else if e < v.end && body[e] == ';' {
				i = e + 1
			} else {
				i = e
			}
		}
	}
	if i < v.end && body[i] == '#' {
		add(i+1, v.end, false, "")
	}
	return out
}

// raw maps the span [s, e) of p's text to the body: a decoded character
// covers the whole unit it was read from.
func (p *piece) raw(s, e int) (int, int) {
	k := sort.Search(len(p.segs), func(i int) bool { return p.segs[i].de > s })
	var rs int
	switch {
	case k == len(p.segs):
		rs = p.segs[len(p.segs)-1].re
	case p.segs[k].unit:
		rs = p.segs[k].rs
	default:
		rs = p.segs[k].rs + s - p.segs[k].ds
	}
	if e <= s {
		return rs, rs
	}
	k = sort.Search(len(p.segs), func(i int) bool { return p.segs[i].de >= e })
	var re int
	switch {
	case k == len(p.segs):
		re = p.segs[len(p.segs)-1].re
	case p.segs[k].unit:
		re = p.segs[k].re
	default:
		re = p.segs[k].rs + e - p.segs[k].ds
	}
	return rs, re
}

// units widens [a, b), inside the value v, to whole references (and
// percent-escapes in a URL).
func units(body string, v attrVal, a, b int) (int, int) {
	// a reference is at most 8+32 bytes long: look back that far
	from := max(v.start, a-48)
	for i := from; i < min(b, v.end); {
		e := i + 1
		switch {
		case body[i] == '&':
			if r, _, ok := refAt(body, i, v.end); ok {
				e = r
			}
		case v.url && pctEscape(body, i, v.end):
			e = i + 3
		}
		if i < a && a < e {
			a = i
		}
		if i < b && b < e {
			b = e
		}
		i = e
	}
	return a, b
}

// escapeValue writes a replacement for a value quoted by q: the
// characters that would end or change the value as references, and
// inside a URL (an edit of part of it) everything but unreserved
// characters and delimiters percent-encoded; a whole value replaced
// reads as its replacement ("[medical record number]").
func escapeValue(r string, v attrVal, whole bool) string {
	if v.bare {
		return r
	}
	if v.url && !whole {
		// inside a URL: the URL goes on around it
		var b strings.Builder
		for i := 0; i < len(r); i++ {
			c := r[i]
			// a label's brackets are written as they are ("[email]",
			// "[url]"): HTML and browsers read them in a URL (session
			// "markfix": "%5Burl%5D" was written)
			if isAlnum(c) || strings.IndexByte("-._~!$()*,:@/[]", c) >= 0 {
				b.WriteByte(c)
				continue
			}
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
		}
		r = b.String()
	}
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		switch c := r[i]; {
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case c == '"' && v.quote != '\'':
			b.WriteString("&quot;")
		case c == '\'' && v.quote != '"':
			b.WriteString("&#39;")
		case v.quote == 0 && (isSpaceByte(c) || c == '=' || c == '`'):
			b.WriteString("&#" + strconv.Itoa(int(c)) + ";")
		default:
			b.WriteByte(c)
		}
	}
	if v.quote == 0 && whole && b.Len() == 0 {
		return `""`
	}
	return b.String()
}

// errTagEdit: a detection lies only in the names of a tag or attribute.
var errTagEdit = fmt.Errorf("a redaction falls on an HTML tag's or attribute's name (structure, not rewritten): %w", redactors.ErrUninspectable)

// cutTags returns the edit e of the body cut to what it covers of the
// text outside tags and of attribute values (see the package's notes on
// HTML); a tag wholly inside e goes with it.
func (m *markup) cutTags(body string, e redactors.Edit, out []redactors.Edit) ([]redactors.Edit, error) {
	k := sort.Search(len(m.tags), func(i int) bool { return m.tags[i].end > e.Start })
	if e.Start == e.End || k == len(m.tags) || m.tags[k].start >= e.End {
		return append(out, openQuote(body, e)), nil
	}
	n0, k0 := len(out), k
	cur := e.Start
	names := false
	for ; k < len(m.tags) && m.tags[k].start < e.End; k++ {
		t := m.tags[k]
		if t.start >= e.Start && t.end <= e.End {
			continue
		}
		if t.start > cur {
			c := e
			c.Start, c.End = cur, t.start
			out = append(out, c)
		}
		a, b := max(e.Start, t.start), min(e.End, t.end)
		at := a
		for _, v := range m.vals[t.v0:t.v1] {
			if x, y := max(a, v.start), min(b, v.end); x < y {
				names = names || letters(body[at:x])
				if a < v.start {
					// the edit starts on the markup before the value (an
					// attribute's name or quote, `title="Orsolya`): the
					// detector read the value glued to it, so the whole
					// value goes (session "markfix": `title="Orsolya
					// Quillanby"` kept the surname)
					y = v.end
				}
				c := e
				c.Start, c.End = units(body, v, x, y)
				out = append(out, c)
				at = y
			}
		}
		if at < b {
			names = names || letters(body[at:b])
		}
		cur = max(cur, t.end)
	}
	if cur < e.End {
		c := e
		c.Start = cur
		out = append(out, openQuote(body, c))
	}
	if len(out) == n0 && names {
		if vocabularyOnly(body, m.tags[k0], e.Start, e.End) {
			// a term that is also HTML's word ("Mark" in <mark>, a
			// deny list's "Title" in title=): the edit is made as it
			// was before tags were read, the tag rewritten
			return append(out, e), nil
		}
		return nil, errTagEdit
	}
	return out, nil
}

// openQuote returns the edit e of text outside tags (a tag that never
// ends, `<abbr title="Orsolya Quillanby`) widened to the closing quote
// when it opens a quoted value it does not close (`title="Orsolya`): the
// detector read the value glued to its markup, and its rest goes too, up
// to the quote or the end of the line (session "markfix").
func openQuote(body string, e redactors.Edit) redactors.Edit {
	s := body[e.Start:e.End]
	q := max(strings.LastIndex(s, `="`), strings.LastIndex(s, `='`))
	if q < 0 || strings.IndexByte(s[q+2:], s[q+1]) >= 0 {
		return e
	}
	end := len(body)
	if n := strings.IndexByte(body[e.End:], '\n'); n >= 0 {
		end = e.End + n
	}
	if z := strings.IndexByte(body[e.End:end], s[q+1]); z >= 0 {
		end = e.End + z
	}
	e.End = end
	return e
}

// textAttrs are attributes whose values are text, named by HTML.
var textAttrs = map[string]bool{
	"abbr": true, "alt": true, "content": true, "download": true, "label": true, "name": true, "placeholder": true,
	"srcdoc": true, "summary": true, "title": true, "value": true, "property": true, "itemprop": true, "slot": true,
}

// vocabularyOnly reports whether [a, b), inside the tag t, covers only
// whole or partial words of HTML's vocabulary: the tag's name (an HTML
// element's) and names of attributes HTML defines.
func vocabularyOnly(body string, t tagSpan, a, b int) bool {
	if a < t.start || b > t.end {
		return false
	}
	word := func(c byte) bool { return isAlnum(c) || c == '-' || c == ':' }
	for i := a; i < b; {
		if !word(body[i]) {
			i++
			continue
		}
		s, e := i, i
		for s > t.start && word(body[s-1]) {
			s--
		}
		for e < t.end && word(body[e]) {
			e++
		}
		w := strings.ToLower(body[s:e])
		if !htmlElements[w] && !structuralAttrs[w] && !urlAttrs[w] && !textAttrs[w] && !strings.HasPrefix(w, "aria-") {
			return false
		}
		i = e
	}
	return true
}

func letters(s string) bool {
	for i := 0; i < len(s); i++ {
		if isASCIILetter(s[i]) {
			return true
		}
	}
	return false
}

// valueAt returns the value that holds [a, b), -1 if none.
func (m *markup) valueAt(a, b int) int {
	k := sort.Search(len(m.vals), func(i int) bool { return m.vals[i].end >= b })
	if k < len(m.vals) && m.vals[k].start <= a && b <= m.vals[k].end && a < b {
		return k
	}
	return -1
}

// htmlAttributes returns the values of the attributes of s's tags, as
// golang.org/x/net/html reads them, one a line (IndependentText).
func htmlAttributes(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	line := func(v string) {
		if v = strings.TrimSpace(strings.Join(strings.Fields(v), " ")); v != "" {
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return strings.ToValidUTF8(b.String(), " ")
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		_, more := z.TagName()
		for more {
			var k, v []byte
			k, v, more = z.TagAttr()
			// every value, whatever its attribute (session "markfix":
			// a class or id written with references was never read)
			line(string(v))
			dataLines(string(v), line)
			if urlAttrs[string(k)] || strings.Contains(string(v), "%") {
				urlLines(string(v), line)
			}
		}
	}
}

// urlLines writes what net/url reads of the URL v: v percent-decoded, each
// query parameter as "name: value", a mailto:'s address.
func urlLines(v string, line func(string)) {
	if u, err := neturl.PathUnescape(v); err == nil {
		line(u)
	}
	u, err := neturl.Parse(v)
	if err != nil {
		return
	}
	q, _ := neturl.ParseQuery(u.RawQuery)
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, x := range q[k] {
			line(k + ": " + x)
		}
	}
	if u.Opaque != "" {
		if o, err := neturl.PathUnescape(u.Opaque); err == nil {
			line(o)
		}
	}
}

// pctWords writes each word of s (between white space) that holds a
// %XX escape or a URL with a query (a Markdown link target, "://",
// "mailto:"), with its escapes decoded, as it is, with "+" as a space,
// and cut at URL punctuation: a link target of any scheme or none
// ("chart.html?patient=…", "/patients/…/chart", "….pdf"), read without
// the redactor's idea of where URLs lie (session "markfix").
func pctWords(s string, line func(string)) {
	for _, w := range strings.Fields(s) {
		dataLines(w, line)
		link := (strings.Contains(w, "](") || strings.Contains(w, "://") || strings.Contains(strings.ToLower(w), "mailto:")) &&
			strings.ContainsAny(w, "?+&")
		if !strings.Contains(w, "%") && !link {
			continue
		}
		var b strings.Builder
		esc := false
		for i := 0; i < len(w); i++ {
			if w[i] == '%' && i+2 < len(w) {
				if v, err := strconv.ParseUint(w[i+1:i+3], 16, 8); err == nil {
					b.WriteByte(byte(v))
					i += 2
					esc = true
					continue
				}
			}
			b.WriteByte(w[i])
		}
		if !esc && !link {
			continue
		}
		d := strings.ToValidUTF8(b.String(), " ")
		line(d)
		for _, v := range []string{d, strings.ReplaceAll(d, "+", " ")} {
			if v != d {
				line(v)
			}
			for _, f := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("/?&=#;()[]<>\"'`", r) }) {
				line(f)
			}
		}
	}
}

// textURLs returns what net/url reads of the URLs of the text s (words
// holding "://" or "mailto:" and an escape or a query), one a line
// (IndependentText).
func textURLs(s string) string {
	var b strings.Builder
	line := func(v string) {
		if v = strings.TrimSpace(strings.Join(strings.Fields(v), " ")); v != "" {
			b.WriteString(v)
			b.WriteByte('\n')
		}
	}
	pctWords(s, line)
	f := newURLFinder(s)
	for from := 0; from < len(s); {
		i, _ := f.find(from, len(s))
		if i < 0 {
			break
		}
		// the word around it
		a, e := i, i
		for a > 0 && !isSpaceByte(s[a-1]) {
			a--
		}
		for e < len(s) && !isSpaceByte(s[e]) {
			e++
		}
		from = e
		w := s[a:e]
		i -= a
		if !strings.ContainsAny(w, "%?+&") {
			continue
		}
		for i > 0 && strings.IndexByte("<([\"'`", w[i-1]) < 0 {
			i--
		}
		w = w[i:]
		if k := strings.IndexAny(w, "\"'<>`"); k >= 0 {
			w = w[:k]
		}
		w = strings.TrimRight(w, ")].,;:!?*_")
		urlLines(w, line)
	}
	return strings.ToValidUTF8(b.String(), " ")
}
