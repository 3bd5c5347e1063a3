package zipview

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lexedStd is lexed before its reading was made cheaper (writeText):
// the test compares the two.
type lexedStd struct {
	joined, spaced, attrs, markup, names strings.Builder
}

// lexStd is lex as it was: lex reads XML without validating it: text between tags, CDATA sections,
// comments, processing instructions and declarations, and the attribute
// values of tags, each with character and entity references decoded. It
// never fails: what does not lex as markup is read as text.
func lexStd(x []byte) *lexedStd {
	l := &lexedStd{}
	text := func(s []byte, decode bool) {
		t := string(s)
		if decode {
			t = unescape(t)
		}
		t = strings.ToValidUTF8(t, " ")
		l.joined.WriteString(t)
		l.spaced.WriteString(t)
	}
	for i := 0; i < len(x); {
		if x[i] != '<' {
			j := bytes.IndexByte(x[i:], '<')
			if j < 0 {
				j = len(x) - i
			}
			text(x[i:i+j], true)
			i += j
			continue
		}
		rest := x[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := until(rest, "-->", 4)
			l.markup.Write(rest[4:end])
			l.markup.WriteByte('\n')
			i += end + 3
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := until(rest, "]]>", 9)
			text(rest[9:end], false)
			i += end + 3
		case bytes.HasPrefix(rest, []byte("<?")):
			end := until(rest, "?>", 2)
			l.markup.WriteString(unescape(string(rest[2:end])))
			l.markup.WriteByte('\n')
			i += end + 2
		case bytes.HasPrefix(rest, []byte("<!")):
			// a declaration, with an internal subset in brackets
			depth, j := 0, 2
			for ; j < len(rest); j++ {
				c := rest[j]
				if c == '[' {
					depth++
				} else if c == ']' {
					depth--
				} else if c == '>' && depth <= 0 {
					break
				}
			}
			l.markup.WriteString(unescape(string(rest[2:min(j, len(rest))])))
			l.markup.WriteByte('\n')
			i += j + 1
		default:
			n := l.tag(rest)
			l.spaced.WriteByte(' ')
			i += n
		}
	}
	return l
}

// tag reads a start or end tag from s (s[0] == '<'), collects its
// attribute values and returns its length. Quotes are honoured, so a '>'
// inside a value does not end the tag.
func (l *lexedStd) tag(s []byte) int {
	i := 1
	name := func(from, to int) {
		n := bytes.Trim(s[from:to], " \t\r\n/=")
		if len(n) > 0 {
			l.names.WriteString(strings.ToValidUTF8(string(n), " "))
			l.names.WriteByte('\n')
		}
	}
	word := 1 // start of the name or attribute name being read
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '=' || c == '/':
			if word < i {
				name(word, i)
			}
			word = i + 1
			i++
		case c == '>':
			if word < i {
				name(word, i)
			}
			return i + 1
		case c == '"' || c == '\'':
			j := bytes.IndexByte(s[i+1:], c)
			if j < 0 {
				l.attrs.WriteString(strings.ToValidUTF8(unescape(string(s[i+1:])), " "))
				l.attrs.WriteByte('\n')
				return len(s)
			}
			l.attrs.WriteString(strings.ToValidUTF8(unescape(string(s[i+1:i+1+j])), " "))
			l.attrs.WriteByte('\n')
			i += j + 2
			word = i
		default:
			i++
		}
	}
	if word < len(s) {
		name(word, len(s))
	}
	return len(s)
}

// lexViews returns the five views of a lexing, in lex's order.
func lexViews(x []byte) [5]string {
	l := lex(x)
	return [5]string{l.joined.String(), l.spaced.String(), l.attrs.String(), l.markup.String(), l.names.String()}
}

func lexStdViews(x []byte) [5]string {
	l := lexStd(x)
	return [5]string{l.joined.String(), l.spaced.String(), l.attrs.String(), l.markup.String(), l.names.String()}
}

// lexSeeds are the OOXML corpus's parts and inputs with references,
// invalid UTF-8 and unterminated constructs in every place lex reads.
func lexSeeds(t testing.TB) [][]byte {
	seeds := [][]byte{
		[]byte(`<a b="1>2" c='&amp;'>x<![CDATA[y]]><!--z--><?q r?><!DOCTYPE [ <!ENTITY e "f"> ]></a>`),
		[]byte(`<a b="unterminated`),
		[]byte("<w:t a=\"\xff&#65;\xfe\" b='\xc3'>Ma\xffria &amp; San</w:t><w:t>doval\xc3</w:t><\xff\xfe:n =\"x\"/>"),
		[]byte("< /a\t/ = \"v\" \n>text&lt;&bogus;&#xZZ;</a>"),
		[]byte(`<a x="&#233;" y="&#x1F600;">&#0;&#xD800;</a`),
		[]byte("<a>"), []byte("text only &amp; \xff"), []byte("<"), []byte(""),
	}
	filepath.WalkDir("../ooxml/testdata/corpus", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".rels")) {
			if b, err := os.ReadFile(p); err == nil {
				seeds = append(seeds, b)
			}
		}
		return nil
	})
	if len(seeds) < 50 {
		t.Fatalf("the OOXML corpus is missing: %d seeds", len(seeds))
	}
	return seeds
}

// TestLexSameViews: lex gives, for every part of the OOXML corpus and the
// seeds, the views the lexer gave before writeText (each view searched by
// verify for the removed values: joined, spaced, attribute values, markup,
// names).
func TestLexSameViews(t *testing.T) {
	for i, x := range lexSeeds(t) {
		if got, want := lexViews(x), lexStdViews(x); got != want {
			t.Errorf("seed %d: views differ:\n%q\n%q", i, got, want)
		}
	}
}

// FuzzLexSameViews is TestLexSameViews on any input.
func FuzzLexSameViews(f *testing.F) {
	for _, x := range lexSeeds(f) {
		f.Add(x)
	}
	f.Fuzz(func(t *testing.T, x []byte) {
		if got, want := lexViews(x), lexStdViews(x); got != want {
			t.Fatalf("views differ:\n%q\n%q", got, want)
		}
	})
}

// BenchmarkLex lexes every part of the OOXML corpus.
func BenchmarkLex(b *testing.B) {
	seeds := lexSeeds(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, x := range seeds {
			lex(x)
		}
	}
}

func BenchmarkLexStd(b *testing.B) {
	seeds := lexSeeds(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, x := range seeds {
			lexStd(x)
		}
	}
}

// xmlViews gives lex's views for every part of the OOXML corpus and the
// seeds, read once (its digest noted, its views not kept), twice (into
// the cache) and again (from it), and the views of the bytes it is given,
// not of other bytes cached before: each part with one byte changed reads
// as lex reads it, and is not held after one reading.
func TestXMLViewsCache(t *testing.T) {
	cached := 0
	lexCache.Reset() // what other tests read
	seen := map[string]bool{}
	for i, x := range lexSeeds(t) {
		if seen[string(x)] {
			continue // a seed twice is cached from its first reading
		}
		seen[string(x)] = true
		want := lex(x).views()
		for round := 0; round < 3; round++ {
			if got := xmlViews(x); got != want {
				t.Fatalf("seed %d, reading %d: views differ:\n%q\n%q", i, round, got, want)
			}
			if held := lexCache.Held(x); len(x) >= lexCacheMin && held != (round >= 1) {
				t.Fatalf("seed %d, reading %d: views held %v", i, round, held)
			}
		}
		if len(x) >= lexCacheMin {
			cached++
			y := bytes.Clone(x)
			y[len(y)/2] ^= 0x20 // a letter's case, a space, a sign
			if got, want := xmlViews(y), lex(y).views(); got != want {
				t.Fatalf("seed %d changed: views differ:\n%q\n%q", i, got, want)
			}
			if lexCache.Held(y) {
				t.Fatalf("seed %d changed: views held after one reading", i)
			}
		}
	}
	if cached < 20 {
		t.Errorf("only %d seeds went through the cache", cached)
	}
}
