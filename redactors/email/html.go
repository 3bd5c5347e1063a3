package email

import (
	"regexp"
	"strings"

	"github.com/veilhq/veil/redactors"
	"golang.org/x/net/html"
)

// htmlModel is an HTML body cut in tokens (golang.org/x/net/html's
// tokenizer, whose raw tokens partition the source). The text a reader sees
// is one part; attribute values, comments and the content of style and
// script elements are another, one value a line. An edit rewrites only the
// tokens it touches: a text token is escaped again, a tag is written again
// with its attributes; every other byte stays.
type htmlModel struct {
	toks  []htok
	text  string
	tp    []piece // pieces of text, with the token each comes from
	tpTok []int
	attrs string
	ap    []piece
	apTok []int
	apAtt []int // attribute index, -1 for the token's content
	// embedded holds the attribute pieces that embed content Veil cannot
	// read (data: URIs of images, fonts, documents); forced makes render
	// remove them.
	embedded []int
	forced   bool
}

// dataURI matches an embedded data: URI of content that is not text.
var dataURI = regexp.MustCompile(`(?i)data:\s*(?:image|application|audio|video|font|model)/[^,;"')\s]*[^,"')]*,[^"')\s]*`)

type htok struct {
	raw  string
	typ  html.TokenType
	tok  html.Token
	rawT bool // text of a raw-text element (style, script)
}

// Attributes that are structure: enumerations, measurements, colours,
// namespaces.
var structuralAttrs = set("width", "height", "align", "valign", "border", "cellpadding", "cellspacing",
	"colspan", "rowspan", "dir", "bgcolor", "color", "size", "type", "charset", "http-equiv", "target", "rel",
	"shape", "coords", "span", "nowrap", "frame", "rules", "scope", "clear", "hspace", "vspace", "start",
	"scrolling", "frameborder", "marginwidth", "marginheight", "tabindex", "role", "aria-hidden", "lang",
	"xml:lang", "xmlns", "version", "leftmargin", "topmargin", "link", "vlink", "alink", "text",
	"background-color", "cols", "rows", "method", "enctype", "language")

// Elements that end a line of text.
var blockTags = set("p", "div", "br", "tr", "td", "th", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
	"blockquote", "pre", "hr", "ul", "ol", "dd", "dt", "title", "head", "body", "html", "section", "article",
	"header", "footer", "address", "center", "caption", "tbody", "thead", "tfoot", "dl", "option", "form")

func parseHTML(src string) *htmlModel {
	m := &htmlModel{}
	z := html.NewTokenizer(strings.NewReader(src))
	var text, attrs strings.Builder
	raw := ""
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		r := string(z.Raw())
		tok := z.Token()
		k := len(m.toks)
		t := htok{raw: r, typ: tt, tok: tok}
		switch tt {
		case html.TextToken:
			if raw != "" {
				t.rawT = true
				if strings.TrimSpace(tok.Data) != "" {
					if dataURI.MatchString(tok.Data) {
						m.embedded = append(m.embedded, len(m.ap))
					}
					m.ap = append(m.ap, piece{attrs.Len(), attrs.Len() + len(tok.Data)})
					m.apTok, m.apAtt = append(m.apTok, k), append(m.apAtt, -1)
					attrs.WriteString(tok.Data)
					attrs.WriteByte('\n')
				}
				break
			}
			m.tp = append(m.tp, piece{text.Len(), text.Len() + len(tok.Data)})
			m.tpTok = append(m.tpTok, k)
			text.WriteString(tok.Data)
		case html.CommentToken:
			if strings.TrimSpace(tok.Data) != "" {
				m.ap = append(m.ap, piece{attrs.Len(), attrs.Len() + len(tok.Data)})
				m.apTok, m.apAtt = append(m.apTok, k), append(m.apAtt, -1)
				attrs.WriteString(tok.Data)
				attrs.WriteByte('\n')
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			if tt == html.StartTagToken && (tok.Data == "style" || tok.Data == "script") {
				raw = tok.Data
			} else if tt == html.EndTagToken && tok.Data == raw {
				raw = ""
			}
			for ai, a := range tok.Attr {
				key := a.Key
				if a.Namespace != "" {
					key = a.Namespace + ":" + a.Key
				}
				if structuralAttrs[key] || strings.HasPrefix(key, "xmlns") || strings.TrimSpace(a.Val) == "" {
					continue
				}
				if dataURI.MatchString(a.Val) {
					m.embedded = append(m.embedded, len(m.ap))
				}
				m.ap = append(m.ap, piece{attrs.Len(), attrs.Len() + len(a.Val)})
				m.apTok, m.apAtt = append(m.apTok, k), append(m.apAtt, ai)
				attrs.WriteString(a.Val)
				attrs.WriteByte('\n')
			}
			if blockTags[tok.Data] && text.Len() > 0 && !strings.HasSuffix(text.String(), "\n") {
				text.WriteByte('\n')
			}
		}
		m.toks = append(m.toks, t)
	}
	// Whatever the tokenizer left (it stops at EOF) is kept as it is.
	used := 0
	for _, t := range m.toks {
		used += len(t.raw)
	}
	if used < len(src) {
		m.toks = append(m.toks, htok{raw: src[used:], typ: html.ErrorToken})
	}
	m.text, m.attrs = text.String(), attrs.String()
	return m
}

// render writes the HTML with the edits of its text part and its
// attribute part applied.
func (m *htmlModel) render(textEdits, attrEdits []redactors.Edit) (string, error) {
	type change struct {
		text  *string
		attrs map[int]string
	}
	changes := map[int]*change{}
	get := func(k int) *change {
		c := changes[k]
		if c == nil {
			c = &change{attrs: map[int]string{}}
			changes[k] = c
		}
		return c
	}
	for i, es := range distribute(m.tp, textEdits) {
		if len(es) == 0 {
			continue
		}
		k := m.tpTok[i]
		s := redactors.Splice(m.toks[k].tok.Data, es)
		get(k).text = &s
	}
	forced := map[int]bool{}
	if m.forced {
		for _, i := range m.embedded {
			forced[i] = true
		}
	}
	for i, es := range distribute(m.ap, attrEdits) {
		if len(es) == 0 && !forced[i] {
			continue
		}
		k, ai := m.apTok[i], m.apAtt[i]
		src := m.toks[k].tok.Data
		if ai >= 0 {
			src = m.toks[k].tok.Attr[ai].Val
		}
		v := redactors.Splice(src, es)
		if forced[i] {
			v = dataURI.ReplaceAllString(v, "data:,")
		}
		if ai < 0 {
			get(k).text = &v
			continue
		}
		get(k).attrs[ai] = v
	}
	var b strings.Builder
	for k, t := range m.toks {
		c := changes[k]
		if c == nil {
			b.WriteString(t.raw)
			continue
		}
		switch t.typ {
		case html.TextToken:
			if t.rawT {
				if strings.Contains(strings.ToLower(*c.text), "</") {
					return "", redactors.ErrInternal
				}
				b.WriteString(*c.text)
			} else {
				b.WriteString(html.EscapeString(*c.text))
			}
		case html.CommentToken:
			s := strings.ReplaceAll(*c.text, "--", "- -")
			b.WriteString("<!--" + s + "-->")
		default:
			b.WriteString("<")
			if t.typ == html.EndTagToken {
				b.WriteString("/")
			}
			b.WriteString(t.tok.Data)
			for ai, a := range t.tok.Attr {
				v := a.Val
				if nv, ok := c.attrs[ai]; ok {
					v = nv
				}
				b.WriteString(" ")
				if a.Namespace != "" {
					b.WriteString(a.Namespace + ":")
				}
				b.WriteString(a.Key)
				b.WriteString(`="`)
				b.WriteString(html.EscapeString(v))
				b.WriteString(`"`)
			}
			if t.typ == html.SelfClosingTagToken {
				b.WriteString(" /")
			}
			b.WriteString(">")
		}
	}
	return b.String(), nil
}
