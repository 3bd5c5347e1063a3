package text

import (
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// MaskStructure implements redactors.StructureMasker: in the body (part
// 0), the names of tags and attributes that are HTML's own words (an
// element's or attribute's name known to golang.org/x/net/html/atom) are
// blanked, as x/net/html's tokenizer reads the tags, so that
// verify does not read `<abbr title=…>` or `<table>` as the words a deny
// list holds (session "side36", issue 13): the redactor never rewrites
// those names (markup.go), and a name that is no HTML word (a custom
// element's, a data-* attribute's) is left for verify to read. Every
// other part, and a body with no "<", is returned as it is. A name is
// blanked with "x"s, not spaces: the tag still reads as a tag
// (ner/textform leaves a run of tags glued to a word out of its view,
// `Mrs <b title="ab">Orsolya` is read "Mrs Orsolya"), and no detector
// reads "x" as anything.
func (d *Document) MaskStructure(part int, text string) string {
	if part != 0 || strings.IndexByte(text, '<') < 0 {
		return text
	}
	return maskTagNames(text)
}

// maskTagNames returns s with the HTML-vocabulary names of its tags and
// of their attributes blanked, as x/net/html tokenizes s. Each tag is
// scanned again for where its names lie (tagNameSpans), and its names are
// blanked only when that scan reads exactly the names the tokenizer read:
// a tag read two ways is left whole, for verify to read.
func maskTagNames(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b []byte // s's copy, when a name is blanked
	at := 0
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		start := at
		at += len(z.Raw())
		if at > len(s) {
			return s // the tokens do not add up to s: nothing is blanked
		}
		if tt != xhtml.StartTagToken && tt != xhtml.EndTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		name, more := z.TagName()
		names := []string{string(name)}
		for more && tt != xhtml.EndTagToken {
			var k []byte
			k, _, more = z.TagAttr()
			names = append(names, string(k))
		}
		spans := tagNameSpans(s[start:at])
		if len(spans) != len(names) {
			continue
		}
		same := true
		for k, sp := range spans {
			same = same && strings.ToLower(s[start+sp[0]:start+sp[1]]) == names[k]
		}
		if !same {
			continue
		}
		for k, sp := range spans {
			if atom.Lookup([]byte(names[k])) == 0 && !ariaAttrs[names[k]] {
				continue
			}
			if b == nil {
				b = []byte(s)
			}
			for i := start + sp[0]; i < start+sp[1]; i++ {
				b[i] = 'x'
			}
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

// tagNameSpans returns where, in t (one start or end tag, "<" to ">"),
// the tag's name and each attribute's name lie, in order, as HTML's
// tokenizer reads them (WHATWG HTML 13.2.5: names end at white space,
// "/", ">" and "="; a value is quoted, or runs to white space or ">").
// An end tag's attributes are not names the tokenizer reports: only its
// name is returned.
func tagNameSpans(t string) [][2]int {
	if len(t) < 2 || t[0] != '<' {
		return nil
	}
	i, end := 1, false
	if t[i] == '/' {
		i, end = 2, true
	}
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
	n := i
	for i < len(t) && !space(t[i]) && t[i] != '/' && t[i] != '>' {
		i++
	}
	if i == n {
		return nil
	}
	spans := [][2]int{{n, i}}
	if end {
		return spans
	}
	for i < len(t) {
		for i < len(t) && (space(t[i]) || t[i] == '/') {
			i++
		}
		if i >= len(t) || t[i] == '>' {
			break
		}
		k := i
		i++ // a name may begin with "="
		for i < len(t) && !space(t[i]) && t[i] != '/' && t[i] != '>' && t[i] != '=' {
			i++
		}
		spans = append(spans, [2]int{k, i})
		j := i
		for j < len(t) && space(t[j]) {
			j++
		}
		if j >= len(t) || t[j] != '=' {
			continue
		}
		j++
		for j < len(t) && space(t[j]) {
			j++
		}
		if j < len(t) && (t[j] == '"' || t[j] == '\'') {
			q := strings.IndexByte(t[j+1:], t[j])
			if q < 0 {
				return nil
			}
			i = j + 1 + q + 1
			continue
		}
		for j < len(t) && !space(t[j]) && t[j] != '>' {
			j++
		}
		i = j
	}
	return spans
}

// ariaAttrs are the states and properties of WAI-ARIA 1.2 (section 6.7),
// attribute names of HTML that x/net/html/atom does not list.
var ariaAttrs = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`activedescendant atomic autocomplete braillelabel brailleroledescription busy checked
		colcount colindex colindextext colspan controls current describedby description details disabled dropeffect
		errormessage expanded flowto grabbed haspopup hidden invalid keyshortcuts label labelledby level live modal
		multiline multiselectable orientation owns placeholder posinset pressed readonly relevant required
		roledescription rowcount rowindex rowindextext rowspan selected setsize sort valuemax valuemin valuenow valuetext`) {
		m["aria-"+n] = true
	}
	return m
}()
