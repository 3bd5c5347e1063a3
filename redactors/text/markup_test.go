package text

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/redactors"
)

// TestAttributeParts: the values of a text's HTML attributes outside the
// structural vocabulary are parts after the body, decoded (character
// references; a URL's percent-escapes, each query parameter's value
// under its name), with a Field from the attribute (session
// "sidedoor13", issue 13). Text that only looks like a tag is text.
func TestAttributeParts(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string // "Field|Text" of each attribute part
	}{
		{`Seen by <abbr title="Orsolya Quillanby">OQ</abbr>.`, []string{"title|Orsolya Quillanby"}},
		{`<abbr title="&#79;rsolya Quill&#x61;nby &amp; co">`, []string{"title|Orsolya Quillanby & co"}},
		{`<img class="x" alt='Tamsin Everard' width=20 src="scan.png">`, []string{"alt|Tamsin Everard", "|scan.png"}},
		{`<span data-patient-name="Orsolya" aria-label=Quillanby>`, []string{"patient name|Orsolya", "label|Quillanby"}},
		{`<meta name="author" content="Orsolya Quillanby">`, []string{"name|author", "author|Orsolya Quillanby"}},
		{`<a href="https://h.example/c?patient=Orsolya%20Quillanby&amp;mrn=48213907#top">c</a>`,
			[]string{"|https://h.example/c", "patient|Orsolya Quillanby", "mrn|48213907", "|top"}},
		{`<a href="mailto:t.everard@example.net?subject=MRN+48213907">`, []string{"|mailto:t.everard@example.net", "subject|MRN 48213907"}},
		{`<input value="a&copy b" placeholder="&notit;">`, []string{"value|a© b", "placeholder|&notit;"}},
		// URLs in the text: bare, in a Markdown link, an autolink
		{"Chart https://h.example/c?patient=Orsolya%20Quillanby&mrn=4821. See [c](https://h.example/?p=Tamsin+Everard) " +
			"<mailto:t@example.net?subject=MRN%204821>, https://h.example/plain.",
			[]string{"|https://h.example/c", "patient|Orsolya Quillanby", "mrn|4821", "|https://h.example/", "p|Tamsin Everard",
				"|mailto:t@example.net", "subject|MRN 4821"}},
		// not tags: an address in angle brackets, a name, a comparison
		{`Orsolya Quillanby <oquillanby@example.net> and <Tamsin Everard>, a < b > c`, nil},
		// an end tag takes no attribute; a quote that never closes ends nothing
		{`</b title="x"> <b title="never`, nil},
	} {
		d, err := Plain().Parse([]byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range d.Parts()[1:] {
			got = append(got, p.Field+"|"+p.Text)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// TestAttributeRedact: an edit of an attribute part lands on the bytes
// it was read from (a decoded character on its whole reference or
// escape) and its replacement is escaped for the value's quoting (and
// percent-encoded in a URL); an edit of the body that meets a tag is cut
// to the values and the text outside tags it covers; one on a tag's or
// attribute's name alone is refused.
func TestAttributeRedact(t *testing.T) {
	for _, c := range []struct {
		name, in string
		edit     func(d redactors.Document) redactors.Edit
		want     string
		removes  bool // the edit removes whole tags (as before)
	}{
		{"reference", `<abbr title="&#79;rsolya Quill&#x61;nby">OQ</abbr>`,
			func(d redactors.Document) redactors.Edit { return ed(1, 0, 7, "Person A") }, `<abbr title="Person A Quill&#x61;nby">OQ</abbr>`, false},
		{"inside a reference", `<abbr title="Quill&#x61;nby">OQ</abbr>`,
			func(d redactors.Document) redactors.Edit { return ed(1, 5, 6, "X") }, `<abbr title="QuillXnby">OQ</abbr>`, false},
		{"quote in the replacement", `<abbr title="Quillanby">`,
			func(d redactors.Document) redactors.Edit { return ed(1, 0, 9, `"a" & <b>`) }, `<abbr title="&quot;a&quot; &amp; &lt;b&gt;">`, false},
		{"whole url", `<a href="https://h.example/c?p=4821">`,
			func(d redactors.Document) redactors.Edit { return ed(0, 9, 35, "[medical record number]") }, `<a href="[medical record number]">`, false},
		{"single quoted", `<abbr title='Quillanby'>`,
			func(d redactors.Document) redactors.Edit { return ed(1, 0, 9, `O'Q "x"`) }, `<abbr title='O&#39;Q "x"'>`, false},
		{"unquoted", `<abbr title=Quillanby>`,
			func(d redactors.Document) redactors.Edit { return ed(1, 0, 9, "Person A") }, `<abbr title=Person&#32;A>`, false},
		{"unquoted, emptied", `<abbr title=Quillanby>`,
			func(d redactors.Document) redactors.Edit { return ed(1, 0, 9, "") }, `<abbr title="">`, false},
		{"url", `<a href="https://h.example/c?patient=Orsolya%20Quillanby&amp;x=1">`,
			func(d redactors.Document) redactors.Edit { return ed(2, 0, 17, "Person A") }, `<a href="https://h.example/c?patient=Person%20A&amp;x=1">`, false},
		{"body edit glued to the markup", `<abbr title="Orsolya Quillanby">`,
			// the whole value goes (session "markfix": the surname was kept)
			func(d redactors.Document) redactors.Edit { return ed(0, 6, 20, "[org]") }, `<abbr title="[org]">`, false},
		{"body edit glued to the markup of no tag", `Seen <abbr title="Orsolya Quillanby" x`,
			func(d redactors.Document) redactors.Edit { return ed(0, 11, 25, "[org]") }, `Seen <abbr [org]" x`, false},
		{"body edit out of a value into the text", `<abbr title="Orsolya Quillanby">Q</abbr> x`,
			func(d redactors.Document) redactors.Edit { return ed(0, 21, 33, "[n]") }, `<abbr title="Orsolya [n]">[n]</abbr> x`, false},
		{"body edit over whole tags", `Orsolya <i>Quill</i>anby x`,
			func(d redactors.Document) redactors.Edit { return ed(0, 0, 24, "Person A") }, `Person A x`, true},
		{"body edit ending in an end tag", `<i>Quillanby</i> x`,
			func(d redactors.Document) redactors.Edit { return ed(0, 3, 15, "Person A") }, `<i>Person A</i> x`, false},
		{"body edit inside a reference", `<abbr title="Quill&#x61;nby">`,
			func(d redactors.Document) redactors.Edit { return ed(0, 20, 22, "X") }, `<abbr title="QuillXnby">`, false},
		{"bare url, no tag in the text", `Chart https://h.example/c?p=Orsolya%20Quillanby&amp;x=1 x`,
			func(d redactors.Document) redactors.Edit { return ed(2, 0, 7, "Person A") }, `Chart https://h.example/c?p=Person A%20Quillanby&amp;x=1 x`, false},
		{"not a tag", `Orsolya Quillanby <oquillanby@example.net>`,
			func(d redactors.Document) redactors.Edit { return ed(0, 19, 41, "[email]") }, `Orsolya Quillanby <[email]>`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := Plain().Parse([]byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := d.Redact(&b, []redactors.Edit{c.edit(d)}); err != nil {
				t.Fatal(err)
			}
			if b.String() != c.want {
				t.Fatalf("got  %s\nwant %s", b.String(), c.want)
			}
			if !c.removes && tagNames(c.in) != tagNames(b.String()) {
				t.Errorf("the markup changed: %s", b.String())
			}
		})
	}
	// a term that is HTML's own word ("Mark" deny-listed, <mark>): the
	// tag is rewritten as before
	d, err := Plain().Parse([]byte(`Mark: <mark>x</mark>`))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := d.Redact(&b, []redactors.Edit{ed(0, 7, 11, "R"), ed(0, 15, 19, "R")}); err != nil || b.String() != `Mark: <R>x</R>` {
		t.Errorf("an edit of an element's name: %v %q", err, b.String())
	}
	d, err = Plain().Parse([]byte(`<span data-quillanby="1">x</span>`))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Redact(&bytes.Buffer{}, []redactors.Edit{ed(0, 11, 20, "X")}); !errors.Is(err, redactors.ErrUninspectable) {
		t.Errorf("an edit of an attribute's name: %v, want ErrUninspectable", err)
	}
}

// TestIndependentAttributes: the independent reading reads attribute
// values with golang.org/x/net/html, decoded, a URL's query parameters
// as "name: value", whatever the attribute.
func TestIndependentAttributes(t *testing.T) {
	in := `x <abbr title="&#79;rsolya" class="c">y</abbr> <a href="mailto:t@example.net?subject=MRN%2048213907">m</a>`
	d, err := Plain().Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := d.(redactors.IndependentReader).IndependentText([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 3 {
		t.Fatalf("%d texts", len(ps))
	}
	if !strings.Contains(ps[2].Text, "subject: MRN 48213907\n") {
		t.Errorf("the URL's query not read: %q", ps[2].Text)
	}
	for _, w := range []string{"Orsolya\n", "subject: MRN 48213907\n", "t@example.net\n"} {
		if !strings.Contains(ps[1].Text, w) {
			t.Errorf("%q not in %q", w, ps[1].Text)
		}
	}
	// every value, a class's too (session "markfix": a class written
	// with references was never read)
	if !strings.Contains(ps[1].Text, "\nc\n") {
		t.Errorf("a class not read: %q", ps[1].Text)
	}
}

// tagNames returns the tags of s as golang.org/x/net/html reads them: each
// tag's name and its attributes' names.
func tagNames(s string) string {
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return b.String()
		}
		if tt == xhtml.StartTagToken || tt == xhtml.EndTagToken || tt == xhtml.SelfClosingTagToken {
			name, more := z.TagName()
			b.WriteString("<" + string(name))
			for more {
				var k []byte
				k, _, more = z.TagAttr()
				b.WriteString(" " + string(k))
			}
			b.WriteString(">")
		}
	}
}

// FuzzAttributes: any text, every attribute part edited whole with a
// replacement full of characters that end values and tags: no panic, the
// edits map inside the values they were read from, a copied stretch of a
// part is the body's bytes, and when every tag Veil reads is one
// golang.org/x/net/html reads the same way the output has the same tags
// and attributes.
func FuzzAttributes(f *testing.F) {
	for _, s := range []string{
		`Seen by <abbr title="&#79;rsolya Quill&#x61;nby">OQ</abbr>.`,
		`<a href="https://h.example/c?p=Orsolya%20Quillanby&amp;m=4821#t">c</a> <img alt=x src='y'>`,
		`<meta name=author content="Tamsin Everard"> a < b <i>c</i>`,
		`<span data-x='"' title="a'b" value=c&amp;d>`,
		"See [c](chart.html?p=Tamsin%20Everard) [r]: /p/Tamsin%20Everard <span id=\"&#84;x%20y\">",
	} {
		f.Add(s, "\"' <>&=`x%")
	}
	f.Fuzz(func(t *testing.T, in, repl string) {
		d, err := Plain().Parse([]byte(in))
		if err != nil {
			return
		}
		doc := d.(*Document)
		body := doc.parts[0].Text
		var edits []redactors.Edit
		for k, p := range doc.mk.pieces {
			v := doc.mk.vals[p.val]
			for _, s := range p.segs {
				if s.rs < v.start || s.re > v.end || s.ds > s.de || s.de > len(p.text) {
					t.Fatalf("piece %d: segment %+v outside value %+v", k, s, v)
				}
				if !s.unit && p.text[s.ds:s.de] != body[s.rs:s.re] {
					t.Fatalf("piece %d: copied segment differs", k)
				}
			}
			a, b := p.raw(0, len(p.text))
			if a < v.start || b > v.end || a > b {
				t.Fatalf("piece %d maps to %d:%d outside %d:%d", k, a, b, v.start, v.end)
			}
			r := strings.ToValidUTF8(repl, "")
			if v.bare {
				r = "X" // text: written as it is, as any edit of the text
			}
			edits = append(edits, redactors.Edit{Part: doc.attr0 + k, Start: 0, End: len(p.text), Replacement: r})
		}
		var out bytes.Buffer
		if err := d.Redact(&out, edits); err != nil {
			t.Fatal(err)
		}
		if sameTags(body) && tagNames(body) != tagNames(out.String()) {
			t.Fatalf("the markup changed:\n%q\n%q", body, out.String())
		}
	})
}

// sameTags reports whether s is plain enough that x/net/html and
// scanMarkup read its tags alike: tags of letters only, ASCII, no
// comment, no raw text element, no "<" or quote outside the tags
// scanMarkup reads, no attribute without a value.
func sameTags(s string) bool {
	m := scanMarkup(s, 0)
	last := 0
	for _, t := range m.tags {
		if strings.ContainsAny(s[last:t.start], "<>\"'&") {
			return false
		}
		tag := s[t.start:t.end]
		for _, c := range []byte(tag) {
			if c >= 0x80 || c < 0x20 && c != ' ' {
				return false
			}
		}
		if strings.Contains(tag, "/") && !strings.HasPrefix(tag, "</") {
			return false
		}
		last = t.end
	}
	for _, t := range m.tags {
		name := strings.ToLower(strings.TrimLeft(s[t.start+1:t.end], "/"))
		for _, raw := range []string{"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"} {
			if strings.HasPrefix(name, raw) {
				return false
			}
		}
		// every attribute has a value: as many "=" outside values as values
		eq := 0
		at := t.start
		for _, v := range m.vals[t.v0:t.v1] {
			eq += strings.Count(s[at:v.start], "=")
			at = v.end
		}
		if eq != t.v1-t.v0 || strings.Count(s[at:t.end], "=") != 0 {
			return false
		}
	}
	return !strings.ContainsAny(s[last:], "<>\"'&")
}

// TestMarkupLinear: reading the tags of a text stays linear on texts
// built to make a reader read them again: quotes that never close, tags
// that a "<" ends, long runs of tags with many values.
func TestMarkupLinear(t *testing.T) {
	for name, build := range map[string]func(n int) string{
		"quotes that never close": func(n int) string { return strings.Repeat(`a<b t="`, n/7) },
		"a < ends each":           func(n int) string { return strings.Repeat(`<b t=x u=y <`, n/12) },
		"many values":             func(n int) string { return strings.Repeat(`<a title="x &amp; y" href="h?a=%20&amp;b=2">z</a>`, n/50) },
		"quoted values holding tags": func(n int) string {
			return strings.Repeat(`a<b t="a<i u='x>y`, n/17) + strings.Repeat(`' v="a<b"`, n/10)
		},
		"unknown names":   func(n int) string { return strings.Repeat(`<Orsolya Quillanby x y z `, n/25) },
		"a reference run": func(n int) string { return `<b t="` + strings.Repeat("&#x61", n/5) + `">` },
		"many urls": func(n int) string {
			return strings.Repeat("https://h.example/?a=%20 ", n/24) + "<b title=x>y</b> mailto:"
		},
		// session "markfix": words with escapes, link targets, open quotes
		"percent words":         func(n int) string { return strings.Repeat("a%20b ](c%2 [d](e?f) <i>x</i> ", n/32) + "h://a?b" },
		"one long percent word": func(n int) string { return strings.Repeat("%2", n/2) + "%20" },
		"link targets":          func(n int) string { return strings.Repeat("](", n/2) },
		"urls between tags": func(n int) string {
			return strings.Repeat("<i>x</i> h://a?b ", n/17) + strings.Repeat("y", n/2) + " mailto:a?b"
		},
	} {
		t.Run(name, func(t *testing.T) {
			complexity.Assert(t, 4<<10, build, func(s string) { scanMarkup(s, 0); textURLs(s) })
		})
	}
}
