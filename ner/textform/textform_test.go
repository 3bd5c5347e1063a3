package textform

import (
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

func TestOf(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
	}{
		{"plain", "Maria Sandoval called.", "Maria Sandoval called."},
		{"soft hyphen", "Ms San\u00addoval called.", "Ms Sandoval called."},
		{"zero width", "Ma\u200bria San\u200cdo\u200dval\u2060 and \ufeffEdda", "Maria Sandoval and Edda"},
		{"zero width between words", "Maria\u200bSandoval", "MariaSandoval"},
		{"hyphenation", "Ms San-\ndoval called.", "Ms Sandoval called."},
		{"hyphenation crlf indent", "Ms San-  \r\n    doval called.", "Ms Sandoval called."},
		{"unicode hyphen", "Ms San\u2010\ndoval", "Ms Sandoval"},
		{"dash at line end is not hyphenation", "items -\n more", "items -\n more"},
		{"a gap before the line break is not hyphenation", "EF-            \nS/P", "EF-            \nS/P"},
		{"a trailing space is", "AIR- \n WAY", "AIRWAY"},
		{"a wide gap does not join letter-spaced groups", "A B C          D E F", "ABC          DEF"},
		{"hyphen before a number", "page 3-\n4", "page 3-\n4"},
		{"cyrillic in a latin name", "M\u0430ria Sand\u043eval", "Maria Sandoval"},
		{"cyrillic capital I", "\u0406rina", "Irina"},
		{"greek capital", "\u039Fdalys", "Odalys"},
		{"all look-alikes in latin text", "Dear \u0441\u043e\u0440 today", "Dear cop today"},
		{"russian text stays", "\u0441\u043e\u0440 \u0434\u043e\u043c \u0441\u0442\u043e\u043b", "\u0441\u043e\u0440 \u0434\u043e\u043c \u0441\u0442\u043e\u043b"},
		{"accents stay", "José Muñoz", "José Muñoz"},
		{"Turkish dotless i stays", "Mr Yılmaz of Düzce", "Mr Yılmaz of Düzce"},
		{"fullwidth", "Ｓandoval", "Sandoval"},
		{"letter spaced", "M A R I A   S A N D O V A L visited", "MARIA SANDOVAL visited"},
		{"letter spaced hyphens", "S-A-N-D-O-V-A-L", "SANDOVAL"},
		{"letter spaced no-break spaces", "S\u00a0A\u00a0N\u00a0D\u00a0O\u00a0V\u00a0A\u00a0L.", "SANDOVAL."},
		{"two letters are not spaced out", "a b and c", "a b and c"},
		{"spaced then word", "M A R I A Sandoval", "MARIA Sandoval"},
		{"initials", "J. K. Rowling", "J. K. Rowling"},
		// issue 13 red team: forms a reader reads as ASCII
		{"fullwidth digits", "MRN \uff14\uff18\uff12\uff11\uff13\uff19\uff10\uff17", "MRN 48213907"},
		{"fullwidth punctuation", "\uff08\uff16\uff11\uff17\uff09 555\uff0d0143", "(617) 555-0143"},
		{"arabic-indic digits", "\u0664\u0668\u0662\u0661", "4821"},
		{"no-break spaces and hyphen", "DOB\u202f03/11/1961 tel 555\u20110143 MRN\u00a048213907", "DOB 03/11/1961 tel 555-0143 MRN 48213907"},
		{"right-to-left override", "Client \u202eybnalliuQ aylosrO\u202c, seen", "Client Orsolya Quillanby, seen"},
		{"override to the line end", "Client \u202eaylosrO\nnext", "Client Orsolya\nnext"},
		{"character references", "Client &#79;rsolya Quill&#x61;nby &amp; co", "Client Orsolya Quillanby & co"},
		{"backslash escapes", "oquillanby\\@example.net, MRN\\: 1", "oquillanby@example.net, MRN: 1"},
		{"emphasis inside a word", "Or**solya** Quil*lanby*", "Orsolya Quillanby"},
		{"emphasis before a word and between digits stays", "**bold** _it_ 2*3 x*", "**bold _it_ 2*3 x"},
		{"underscores between words", "Orsolya_Quillanby__48213907 DOB_1961-03-11 _x_", "Orsolya Quillanby 48213907 DOB 1961-03-11 _x_"},
		{"not references", "AT&T & R&D; &#; &#xZZ; &#0;", "AT&T & R&D; &#; &#xZZ; &#0;"},
		// session 33 red team: a code span or an HTML tag inside a word,
		// a combining mark on digits
		{"code span inside a word", "`Quill`anby and Quill`anby`", "`Quillanby and Quillanby"},
		{"html tags inside a word", "Qu<b></b>illanby Quill<!-- x -->anby Or<span class=\"a\">solya</span>", "Quillanby Quillanby Orsolya"},
		{"tags at words' edges go, a closing backtick goes like emphasis", "a <b>bold</b> `code` x < y > z", "a bold `code x < y > z"},
		// safety review, session 33: any number of tags, any length,
		// a ">" in a quoted value, a line break in a tag, digits; a "<"
		// that starts no well-formed tag stays
		{"a long comment inside a word", "Quill<!--" + strings.Repeat("x", 300) + "-->anby", "Quillanby"},
		{"ten tags inside a word", "Quill" + strings.Repeat("<i></i>", 10) + "anby", "Quillanby"},
		{"a quoted > in a tag", `Quill<span title="a>b" id='c>d'>anby`, "Quillanby"},
		{"a line break in a tag or comment", "Quill<b\n></b>an<!--\n-->by", "Quillanby"},
		{"digits glued by a tag", "4821<b></b>3907", "48213907"},
		{"not a well-formed tag stays", "Quill<b title=\"x>anby Quill< b>anby Quill<b></banby", "Quill<b title=\"x>anby Quill< b>anby Quill</banby"},
		{"tags after a word, before a blank, go", "x<b> y</b> 2<i>.", "x y 2."},
		// safety review, session 34: a name wrapped in tags, with
		// attributes or not, split across tags, letter-spaced next to a
		// tag, reads as in plain text; a run of tags with no word next to
		// it stays
		{"a name in a tag with attributes", `We met <b title="ab">Orsolya Quillanby</b> yesterday.`, "We met Orsolya Quillanby yesterday."},
		{"a name in a span", `<span class="n">Orsolya Quillanby</span>`, "Orsolya Quillanby"},
		{"a name split across tags", "Orsolya <i>Quill</i>anby", "Orsolya Quillanby"},
		{"letter-spaced in a tag", "<b>O R S O L Y A   Q U I L L A N B Y</b>.", "ORSOLYA QUILLANBY."},
		{"tags with no word next to them stay", "<p> <br/> </p>\n<hr>", "<p> <br/> </p>\n<hr>"},
		// a "<" inside a quoted attribute value is a character of the
		// value (HTML's attribute value states): the tag is one tag, read
		// whole, and no tag is read out of its value
		{"a quoted < in a tag", `Quill<span title="a<b">anby Or<a title='x>y' rel="p<q>r">solya`, "Quillanby Orsolya"},
		{"a tag inside a quoted value is the value's", `Quill<a title='x<b>y'>anby`, "Quillanby"},
		{"a quoted < before a name", `<span title="a<b">Orsolya Quillanby</span> <a title='x>y'>Tamsin</a>`, `Orsolya Quillanby Tamsin`},
		{"a < outside quotes still ends a tag", `Quill<b x=y<anby Quill<b x=y<z>anby`, `Quill<b x=y<anby Quill<b x=yanby`},
		{"combining marks on digits", "MRN 4\u03058\u03052\u0305\u033613907", "MRN 48213907"},
		{"combining marks on letters stay", "Jose\u0301", "Jose\u0301"},
		{"bidi marks inside a name", "Ors\u200eolya Quil\u2067lan\u2069by", "Orsolya Quillanby"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := Of(c.in)
			if v.Text != c.want {
				t.Fatalf("Of(%q) = %q, want %q", c.in, v.Text, c.want)
			}
			if v.Changed() != (c.in != c.want) {
				t.Errorf("Changed() = %v", v.Changed())
			}
			checkMap(t, c.in, v)
		})
	}
}

// A finding on the name in the view covers the whole obfuscated form,
// hidden characters included.
func TestSpanCoversHiddenCharacters(t *testing.T) {
	for _, c := range []struct{ in, name, want string }{
		{"Ms San\u00addoval called.", "Sandoval", "San\u00addoval"},
		{"Ms San-\r\n  doval called.", "Sandoval", "San-\r\n  doval"},
		{"x \u200bSan\u200bdoval\u200b y", "Sandoval", "San\u200bdoval"},
		{"M A R I A   S A N D O V A L visited", "MARIA SANDOVAL", "M A R I A   S A N D O V A L"},
		{"Ms Sand\u043eval", "Sandoval", "Sand\u043eval"},
	} {
		v := Of(c.in)
		i := strings.Index(v.Text, c.name)
		if i < 0 {
			t.Fatalf("%q: view %q lacks %q", c.in, v.Text, c.name)
		}
		s, e := v.Span(i, i+len(c.name))
		if got := c.in[s:e]; got != c.want {
			t.Errorf("%q: span %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPlainTextAllocatesNothing(t *testing.T) {
	text := strings.Repeat("Client Maria Sandoval (MRN 00482913) called on March 3, 2024. Well-known; a b and c-d.\n", 50)
	if n := testing.AllocsPerRun(10, func() { _ = Of(text) }); n != 0 {
		t.Errorf("Of allocates %v times on plain text", n)
	}
}

func TestLatinTable(t *testing.T) {
	for r, want := range map[rune]rune{'\u0430': 'a', '\u0410': 'A', '\u0406': 'I', '\u0456': 'i', '\u03BF': 'o', '\u0455': 's', 'ı': 'i', 'Ｓ': 'S'} {
		if got, ok := Latin(r); !ok || got != want {
			t.Errorf("Latin(%U) = %q %v, want %q", r, got, ok, want)
		}
	}
	for _, r := range "aZé0ñдж" {
		if l, ok := Latin(r); ok {
			t.Errorf("Latin(%q) = %q, want none", r, l)
		}
	}
}

// checkMap checks the offset map of v against text: spans map to rune
// boundaries, monotonically, and the text under a mapped span reads as
// the view's span once seen through.
func checkMap(t testing.TB, text string, v View) {
	t.Helper()
	if !v.Changed() {
		if v.Text != text {
			t.Fatalf("unchanged view differs from the text")
		}
		return
	}
	var bounds []int
	for i := range v.Text {
		bounds = append(bounds, i)
	}
	bounds = append(bounds, len(v.Text))
	ps, pe := 0, 0
	for _, b := range bounds {
		s, _ := v.Span(b, len(v.Text))
		_, e := v.Span(0, b)
		if s < ps || e < pe {
			t.Fatalf("map not monotone at %d: start %d after %d, end %d after %d", b, s, ps, e, pe)
		}
		ps, pe = s, e
		for _, o := range []int{s, e} {
			if o < 0 || o > len(text) || o < len(text) && !utf8.RuneStart(text[o]) {
				t.Fatalf("view offset %d maps to %d, not a rune boundary of the text", b, o)
			}
		}
	}
	if s, e := v.Span(0, len(v.Text)); s != 0 && !leadingRemoved(v) || e > len(text) {
		t.Fatalf("whole view maps to %d:%d of %d", s, e, len(text))
	}
	// Every span of the view, read back in the text, is the same span of
	// the text's view: the map covers what the view read.
	for i := 0; i < len(bounds); i += 1 + len(bounds)/40 {
		for j := i; j < len(bounds); j += 1 + len(bounds)/40 {
			a, b := bounds[i], bounds[j]
			s, e := v.Span(a, b)
			if s > e {
				t.Fatalf("span %d:%d maps to %d:%d", a, b, s, e)
			}
			if got := v.through(s, e); got != v.Text[a:b] && !(cutsRun(v, a, b) && strings.Contains(got, v.Text[a:b])) {
				t.Fatalf("view %d:%d = %q, the text under %d:%d reads %q", a, b, v.Text[a:b], s, e, got)
			}
			// A mapped span starts and ends on the value's own
			// characters: trimming it changes nothing (an edit on it
			// covers whole characters of the text, no markup half cut).
			if s < e {
				if ts, te := v.Trim(text, s, e); ts != s || te != e {
					t.Fatalf("view %d:%d maps to %d:%d, which Trim makes %d:%d", a, b, s, e, ts, te)
				}
			}
		}
	}
	checkTrim(t, text, v)
}

// checkTrim checks Trim over spans of the text: it narrows, keeps rune
// boundaries, is idempotent, leaves out only bytes of removed bare tags
// (never a value's), leaves no edge inside such a run when the span goes
// past it, and what the view reads of the span is what it reads of the
// trimmed span.
func checkTrim(t testing.TB, text string, v View) {
	t.Helper()
	var bounds []int
	for i := range text {
		bounds = append(bounds, i)
	}
	bounds = append(bounds, len(text))
	inBare := func(p int) bool { // text[p] is a byte of a removed run of bare tags
		for _, x := range v.edits {
			if x.vs == x.ve && int(x.os) <= p && p < int(x.oe) && bareTags(text[x.os:x.oe]) {
				return true
			}
		}
		return false
	}
	for i := 0; i < len(bounds); i += 1 + len(bounds)/40 {
		for j := i + 1; j < len(bounds); j += 1 + len(bounds)/40 {
			a, b := bounds[i], bounds[j]
			s, e := v.Trim(text, a, b)
			if s >= e || s < a || e > b {
				t.Fatalf("Trim(%d, %d) = %d, %d: not a non-empty span inside", a, b, s, e)
			}
			for _, o := range []int{s, e} {
				if o < len(text) && !utf8.RuneStart(text[o]) {
					t.Fatalf("Trim(%d, %d) = %d, %d: not a rune boundary", a, b, s, e)
				}
			}
			for p := a; p < s; p++ {
				if !inBare(p) {
					t.Fatalf("Trim(%d, %d) = %d, %d leaves out %d, no bare tag's byte", a, b, s, e, p)
				}
			}
			for p := e; p < b; p++ {
				if !inBare(p) {
					t.Fatalf("Trim(%d, %d) = %d, %d leaves out %d, no bare tag's byte", a, b, s, e, p)
				}
			}
			if s2, e2 := v.Trim(text, s, e); s2 != s || e2 != e {
				t.Fatalf("Trim(%d, %d) = %d, %d, then %d, %d", a, b, s, e, s2, e2)
			}
			for _, x := range v.edits {
				if x.vs != x.ve || !bareTags(text[x.os:x.oe]) {
					continue
				}
				if int(x.os) <= s && s < int(x.oe) && e > int(x.oe) || int(x.os) < e && e <= int(x.oe) && s < int(x.os) {
					t.Fatalf("Trim(%d, %d) = %d, %d: an edge in the tags %d:%d", a, b, s, e, x.os, x.oe)
				}
			}
			if !cutsAny(v, a, b) {
				if got, want := v.through(s, e), v.through(a, b); got != want {
					t.Fatalf("Trim(%d, %d) = %d, %d reads %q, the span read %q", a, b, s, e, got, want)
				}
			}
		}
	}
}

// cutsAny reports whether a or b falls strictly inside an edit of the
// text (through reads a cut edit as nothing).
func cutsAny(v View, a, b int) bool {
	for _, x := range v.edits {
		if int(x.os) < a && a < int(x.oe) || int(x.os) < b && b < int(x.oe) {
			return true
		}
	}
	return false
}

func leadingRemoved(v View) bool { return len(v.edits) > 0 && v.edits[0].os == 0 && v.edits[0].vs == 0 }

// cutsRun reports whether a or b falls inside an edit that writes more
// than one rune (a right-to-left override run, reversed): a span that
// cuts it maps to the whole run, which reads more than the span.
func cutsRun(v View, a, b int) bool {
	for _, x := range v.edits {
		if utf8.RuneCountInString(v.Text[x.vs:x.ve]) > 1 && (int(x.vs) < a && a < int(x.ve) || int(x.vs) < b && b < int(x.ve)) {
			return true
		}
	}
	return false
}

// through returns what the view reads for text[s:e]: the text with the
// edits inside it applied.
func (v View) through(s, e int) string {
	var b strings.Builder
	vi := 0 // view offset of text offset p, advanced as we go
	p := 0
	for _, x := range v.edits {
		ed := struct{ vs, ve, os, oe int }{int(x.vs), int(x.ve), int(x.os), int(x.oe)}
		// copy text[p:ed.os]
		if ed.os > p {
			lo, hi := max(p, s), min(ed.os, e)
			if lo < hi {
				b.WriteString(v.Text[vi+lo-p : vi+hi-p])
			}
			vi += ed.os - p
			p = ed.os
		}
		if ed.os >= s && ed.oe <= e {
			b.WriteString(v.Text[ed.vs:ed.ve])
		}
		vi = ed.ve
		p = ed.oe
	}
	if lo, hi := max(p, s), e; lo < hi {
		b.WriteString(v.Text[vi+lo-p : vi+hi-p])
	}
	return b.String()
}

func FuzzOf(f *testing.F) {
	for _, s := range []string{
		"Ms San\u00addoval", "San-\r\n  doval", "M\u0430ria", "M A R I A   S A N D O V A L", "S-A-N-D-O-V-A-L",
		"\u200b\u200b", "a-\n", "-\nb", "Ｓ A-\nb \u0430\u200bb", "a b c  d e  f",
		"\u202eab\u202c c", "\u202e\u202e", "x\u202ey\nz", "\uff14\u0664\u00a0\u2011", "M\u202e\u0430ri\u00ad",
		"&#79;r**s\\@&amp;&#x1F600;", "a_b*c&#xD800;",
		"Qu<b\n></b><!-- x -->ill<span title=\"a>b\">anby", "4<i a='<'>2<!--", "a<!--a<!--b-->c",
		`Quill<span title="a<b">anby`, `Quill<a title='x<b>y'>anby`, `a<b t="x<i t='y"z'>w`,
		`We met <b title="ab">Orsolya Quillanby</b> yesterday.`, `<span class="n">Orsolya</span>`, "Orsolya <i>Quill</i>anby",
		"<b>O R S O L Y A   Q U I L L A N B Y</b>", "<p> <br/> </p>\n<hr>x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		v := Of(s)
		if !utf8.ValidString(v.Text) {
			t.Fatalf("view not valid UTF-8")
		}
		checkMap(t, s, v)
		if v2 := Of(s); v2.Text != v.Text {
			t.Fatalf("not deterministic")
		}
	})
}

// Of is linear: a text 16 times as long, made of the forms it sees
// through, takes about 16 times as long, far from the 256 times of a
// quadratic reading (CPU time of the thread; the bound is generous).
func TestOfLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	for _, unit := range []string{
		"a b c d ", "M A R I A   S A N D O V A L ", "Sa\u00adn\u200bd-\n", "M\u0430ria\u0430 \u0430\u0430\u0430\u0430 ", "a-b-c-d-",
		strings.Repeat("\u0430", 200) + "a",
		// tags and comments glued inside words, and ones that never end
		"Qu<b></b><!-- x -->ill<span title=\"a>b\">anby ", "a<!--a<!--a<b t=\"a<i a<x ", "4<i></i>2<b\n>1 ",
	} {
		small := strings.Repeat(unit, 250)
		large := strings.Repeat(unit, 4000)
		ts, tl := minTime(func() { Of(small) }), minTime(func() { Of(large) })
		if tl > 64*ts { // ns
			t.Errorf("%q: %d ns for %d bytes, %d ns for 16 times as many", unit, ts, len(small), tl)
		}
	}
}

// minTime returns the least CPU time, in ns, that fn takes on its
// thread in a few runs: the time it waits for a core does not count.
func minTime(fn func()) int64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	runtime.GC()
	best := int64(1 << 62)
	for i := 0; i < 3; i++ {
		// Enough calls for the clock, which may tick coarsely.
		for n := int64(1); ; n *= 2 {
			start := threadCPU()
			for k := int64(0); k < n; k++ {
				fn()
			}
			if el := threadCPU() - start; el >= 20_000_000 {
				best = min(best, el/n)
				break
			}
		}
	}
	return best
}

func threadCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return time.Now().UnixNano()
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// FuzzPlainASCII: where plainASCII says a text has nothing to see
// through, the full reading makes no edit (the precheck may only send
// texts to the full reading that it passes unchanged, never the other
// way).
func FuzzPlainASCII(f *testing.F) {
	for _, s := range []string{
		"M A R I A   S A N D O V A L", "S-A-N-D-O-V-A-L", "a-\n", "San-  \r\ndoval", "San-   \ndoval", "x a b c", "1 a b c",
		"plain prose, with a - dash and A B.", `<w:t xml:space="preserve">a b</w:t>`, "a-b-c", "ab-c-d-e", "é a b c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !plainASCII(s) {
			return
		}
		b := builder{text: s}
		b.run()
		if len(b.edits) > 0 {
			t.Fatalf("plainASCII passes %q, which the full reading changes", s)
		}
	})
}

func TestPlainASCII(t *testing.T) {
	for s, want := range map[string]bool{
		"Client seen on Tuesday; plan reviewed.":            true,
		`<w:p w:rsidR="00A1"><w:r><w:t>x</w:t></w:r></w:p>`: false, // tags at a word's edge
		`<w:p w:rsidR="00A1"><w:r><w:t> </w:t></w:r></w:p>`: true,
		"a - b, x-ray, 1-2-3":                               true,
		"M A R I A":                                         false,
		"S-A-N-D-O-V-A-L":                                   false,
		"San-\ndoval":                                       false,
		"San- \r\ndoval":                                    false,
		"San\u00addoval":                                    false,
		"M\u0430ria":                                        false,
		"Zoë":                                               false,
	} {
		if got := plainASCII(s); got != want {
			t.Errorf("plainASCII(%q) = %v, want %v", s, got, want)
		}
		if want && Of(s).Changed() {
			t.Errorf("Of(%q) changes a plain text", s)
		}
	}
}

func BenchmarkOfPlain(b *testing.B) {
	text := strings.Repeat(`<w:p w:rsidR="00A1B2C3"><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:t xml:space="preserve">Session 4: the client reported better sleep and a calmer week at work. </w:t></w:r></w:p>`+"\n", 200)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Of(text)
	}
}

// A finding on a name shown through a right-to-left override covers the
// whole override run, its controls included.
func TestOverrideSpan(t *testing.T) {
	in := "Client \u202eybnalliuQ aylosrO\u202c, seen"
	v := Of(in)
	i := strings.Index(v.Text, "Quillanby")
	if i < 0 {
		t.Fatalf("view %q", v.Text)
	}
	s, e := v.Span(i, i+len("Quillanby"))
	if got := in[s:e]; got != "\u202eybnalliuQ aylosrO\u202c" {
		t.Errorf("Span covers %q; want the whole override run", got)
	}
}

// FuzzQuotedTag: a tag whose quoted attribute value holds anything but its
// quote ("<", ">", the other quote, tags, comments) is read whole between
// two words, whatever the value: the view glues the words, and maps back
// onto the text.
func FuzzQuotedTag(f *testing.F) {
	for _, s := range []string{"a<b", "x>y", "<i>", "<!--", "-->", `'"`, "", "<span title='q<r'>"} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, value string, double bool) {
		q := "'"
		if double {
			q = `"`
		}
		if !utf8.ValidString(value) || strings.Contains(value, q) {
			return
		}
		text := "Quill<span title=" + q + value + q + ">anby"
		v := Of(text)
		if v.Text != "Quillanby" {
			t.Fatalf("Of(%q) = %q", text, v.Text)
		}
		checkMap(t, text, v)
		if s, e := v.Span(0, len(v.Text)); s != 0 || e != len(text) {
			t.Fatalf("the name maps to %d:%d of %d", s, e, len(text))
		}
	})
}

// A finding of the text whose edge falls in markup the view removed
// covers the value's characters only: a tokenizer's "b>Orsolya" is
// "Orsolya", and a tag inside the span stays in it (safety review,
// session 34).
func TestTrim(t *testing.T) {
	for _, c := range []struct{ in, span, want string }{
		{"We met <b>Orsolya Quillanby</b> yesterday.", "b>Orsolya", "Orsolya"},
		{`We met <span>Orsolya Quillanby</span> yesterday.`, `span>Orsolya Quillanby</sp`, "Orsolya Quillanby"},
		{"Orsolya <i>Quill</i>anby", "Orsolya <i>Quill</i>anby", "Orsolya <i>Quill</i>anby"},
		{"Orsolya <i>Quill</i>anby", "<i>Quill</", "Quill"},
		{"x <b>Orsolya</b> y", "<b>", "<b>"},
		// a run with an attribute, a comment, or a name that is no
		// formatting element may hold text: never trimmed
		{`We met <b title="Orsolya">Quillanby</b>`, `Orsolya">Quillanby`, `Orsolya">Quillanby`},
		{`We met <Orsolya>Quillanby`, `Orsolya>Quillanby`, `Orsolya>Quillanby`},
		{`We met <!-- Orsolya -->Quillanby`, `Orsolya -->Quillanby`, `Orsolya -->Quillanby`},
		{`<a title="Orsolya Quillanby">x</a>`, `Orsolya Quillanby`, `Orsolya Quillanby`},
		{"Ms San\u00addoval", "San\u00addoval", "San\u00addoval"},
		{"Plain Orsolya text", "Orsolya", "Orsolya"},
	} {
		v := Of(c.in)
		i := strings.Index(c.in, c.span)
		if i < 0 {
			t.Fatalf("%q lacks %q", c.in, c.span)
		}
		s, e := v.Trim(c.in, i, i+len(c.span))
		if got := c.in[s:e]; got != c.want {
			t.Errorf("%q: Trim of %q = %q, want %q", c.in, c.span, got, c.want)
		}
	}
}
