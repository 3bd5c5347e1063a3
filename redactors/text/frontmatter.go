package text

import (
	"strconv"
	"strings"

	"github.com/veilhq/veil/redactors"
)

// Front matter (session "sheetdoor", issue 13). A Markdown file may open
// with a block of metadata, YAML between "---" lines (Jekyll, Hugo,
// Pandoc, MkDocs, Docusaurus) or TOML between "+++" lines (Hugo, Zola):
//
//	---
//	title: Weekly notes
//	author: oquillanby
//	reviewers: [teverard, Tamsin Everard]
//	---
//
// A value there has no context in the running text: "oquillanby" is a
// login that no name rule reads as a person. Its key is the context the
// format itself gives: each value of a top-level key (a scalar, each
// item of a flow list "[a, b]" or of a block list "- a") is a part of its
// own, after the body, whose Field is the key as words ("created_by" →
// "created by"), so that the label lexicon (ner/pattern/labels.yaml)
// decides what the key names, as for a column header. The parts read
// the body's bytes again (redactors.Document: a second reading); Redact
// maps their edits back onto the body.

// fmValue is a value of the front matter: the body's bytes [start, end).
type fmValue struct {
	start, end int
	key        string
}

// fmScan reads a front matter line by line, tolerantly: block mappings
// at any depth, block and flow sequences, flow mappings ("{a: b}", TOML
// inline tables), block scalars ("|", ">"), TOML tables ("[owner]",
// "[[authors]]") and multi-line strings. Whatever it does not read as a
// key or as punctuation is a value (never left out), under the nearest
// key.
type fmScan struct {
	body string
	toml bool
	end  int // the front matter's content ends here
	out  []fmValue
	keys [][2]int // the spans of keys: structure
	// unbalanced: a flow collection did not close
	unbalanced bool
}

// frontMatter returns the values of body's front matter, in order, the
// spans of its keys and where the front matter (its closing fence line
// included) ends; none when body does not open with one.
func frontMatter(body string) ([]fmValue, [][2]int, int) {
	var fence string
	switch {
	case strings.HasPrefix(body, "---\n"), strings.HasPrefix(body, "---\r\n"):
		fence = "---"
	case strings.HasPrefix(body, "+++\n"), strings.HasPrefix(body, "+++\r\n"):
		fence = "+++"
	default:
		return nil, nil, 0
	}
	first := strings.IndexByte(body, '\n') + 1
	for pos := first; pos < len(body); {
		end, next := lineAt(body, pos)
		line := strings.TrimRight(body[pos:end], "\r")
		if line == fence || (fence == "---" && line == "...") {
			s := &fmScan{body: body, toml: fence == "+++", end: pos}
			s.scan(first)
			return s.out, s.keys, next
		}
		pos = next
	}
	return nil, nil, 0 // no closing fence: no front matter
}

// lineAt returns the end of the line at pos (before its '\n') and the
// start of the next line.
func lineAt(body string, pos int) (int, int) {
	if i := strings.IndexByte(body[pos:], '\n'); i >= 0 {
		return pos + i, pos + i + 1
	}
	return len(body), len(body)
}

type fmLevel struct {
	indent int
	key    string
}

func (s *fmScan) scan(pos int) {
	var stack []fmLevel
	table := ""                     // TOML: the key of the current table
	blockIndent, blockKey := -1, "" // YAML: inside a block scalar deeper than blockIndent
	for pos < s.end {
		end, next := lineAt(s.body, pos)
		end = min(end, s.end)
		for end > pos && s.body[end-1] == '\r' {
			end--
		}
		line := s.body[pos:end]
		trimmed := strings.TrimLeft(line, " \t")
		indent := len(line) - len(trimmed)
		if blockIndent >= 0 {
			if trimmed == "" {
				pos = next
				continue
			}
			if indent > blockIndent {
				s.value(pos+indent, end, blockKey)
				pos = next
				continue
			}
			blockIndent = -1
		}
		if trimmed == "" || trimmed[0] == '#' {
			pos = next
			continue
		}
		a := pos + indent
		if s.toml {
			if trimmed[0] == '[' {
				if k := strings.LastIndexByte(trimmed, ']'); k > 0 {
					name := strings.Trim(trimmed[:k+1], "[] \t")
					if i := strings.LastIndexByte(name, '.'); i >= 0 {
						name = name[i+1:]
					}
					table = keyWords(name)
					s.keys = append(s.keys, [2]int{a, a + k + 1})
					pos = next
					continue
				}
			}
			if e := s.item(a, end, table, '='); e > end {
				_, next = lineAt(s.body, e)
			}
			pos = next
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		parent := ""
		if len(stack) > 0 {
			parent = stack[len(stack)-1].key
		}
		// sequence entries: "- ", "- - "
		for a < end && s.body[a] == '-' && (a+1 == end || s.body[a+1] == ' ' || s.body[a+1] == '\t') {
			a++
			for a < end && (s.body[a] == ' ' || s.body[a] == '\t') {
				a++
			}
		}
		if a >= end {
			pos = next
			continue
		}
		k, vs := s.keyAt(a, end, ':')
		if k >= 0 {
			field := fieldOf(keyWords(s.body[a:k]), parent)
			rest := strings.TrimSpace(s.body[vs:end])
			if field != "" {
				s.keys = append(s.keys, [2]int{a, k})
				switch {
				case rest == "" || rest[0] == '#':
					stack = append(stack, fmLevel{a - pos, field})
				case rest[0] == '|' || rest[0] == '>':
					blockIndent, blockKey = indent, field
				default:
					if e := s.item(vs, end, field, 0); e > end {
						_, next = lineAt(s.body, e)
					}
				}
				pos = next
				continue
			}
		}
		if e := s.item(a, end, parent, 0); e > end {
			_, next = lineAt(s.body, e)
		}
		pos = next
	}
}

// keyAt finds the separator of a "key: value" (sep ':' or, TOML, '=')
// in body[a:end] outside quotes: the end of the key and the start of the
// value; -1 when there is none. A YAML ':' must be followed by a space or
// end the line.
func (s *fmScan) keyAt(a, end int, sep byte) (int, int) {
	var q byte
	for i := a; i < end; i++ {
		c := s.body[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			if i == a {
				q = c
			}
		case c == '{' || c == '[' || c == '#' && i > a && (s.body[i-1] == ' ' || s.body[i-1] == '\t'):
			return -1, 0
		case c == sep && (sep == '=' || i+1 == end || s.body[i+1] == ' ' || s.body[i+1] == '\t'):
			if i == a {
				return -1, 0
			}
			return i, i + 1
		}
	}
	return -1, 0
}

// item reads the value in body[a:end] (TOML: "key = value" when sep is
// '=') under key: a flow collection, a multi-line string or a scalar. It
// returns where reading stopped (past end when a collection or string
// runs over several lines).
func (s *fmScan) item(a, end int, key string, sep byte) int {
	if sep != 0 {
		k, vs := s.keyAt(a, end, sep)
		if k < 0 {
			s.value(a, end, key) // not a key: still a value
			return end
		}
		name := strings.TrimSpace(s.body[a:k])
		if i := strings.LastIndexByte(name, '.'); i >= 0 && name[0] != '"' && name[0] != '\'' {
			name = name[i+1:]
		}
		f := fieldOf(keyWords(name), key)
		if f == "" {
			s.value(a, end, key)
			return end
		}
		s.keys = append(s.keys, [2]int{a, k})
		key, a = f, vs
	}
	for a < end && (s.body[a] == ' ' || s.body[a] == '\t') {
		a++
	}
	if a >= end {
		return end
	}
	switch {
	case (s.body[a] == '[' || s.body[a] == '{') && !s.unbalanced:
		n, m := len(s.out), len(s.keys)
		if e := s.flow(a, key); e >= 0 {
			return e
		}
		// unbalanced: the line is one value, and so is every later
		// collection (one reading to the end at most: linear)
		s.out, s.keys, s.unbalanced = s.out[:n], s.keys[:m], true
		s.value(a, end, key)
		return end
	case s.toml && (strings.HasPrefix(s.body[a:], `"""`) || strings.HasPrefix(s.body[a:], "'''")):
		q := s.body[a : a+3]
		c := strings.Index(s.body[a+3:s.end], q)
		e := s.end
		if c >= 0 {
			e = a + 3 + c
		}
		for p := a + 3; p < e; {
			le, nx := lineAt(s.body, p)
			s.value(p, min(le, e), key)
			p = nx
		}
		return e
	}
	s.value(a, end, key)
	return end
}

// flow reads a flow collection opening at body[a] ('[' or '{'): each
// scalar is a value under the nearest key. It returns the end of the
// collection, -1 when it does not close inside the front matter.
func (s *fmScan) flow(a int, key string) int {
	type ctx struct {
		mapping bool
		key     string
	}
	var stack []ctx
	cur := key
	sep := byte(':')
	if s.toml {
		sep = '='
	}
	for i := a; i < s.end; {
		c := s.body[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',':
			if c == ',' && len(stack) > 0 {
				cur = stack[len(stack)-1].key
			}
			i++
		case c == '#':
			_, i = lineAt(s.body, i)
		case c == '[' || c == '{':
			stack = append(stack, ctx{c == '{', cur})
			i++
		case c == ']' || c == '}':
			if len(stack) == 0 {
				return -1
			}
			stack = stack[:len(stack)-1]
			i++
			if len(stack) == 0 {
				return i
			}
			cur = stack[len(stack)-1].key
		default:
			if len(stack) == 0 {
				return -1
			}
			j := i
			if c == '"' || c == '\'' {
				j++
				for j < s.end && s.body[j] != c {
					if c == '"' && s.body[j] == '\\' {
						j++
					}
					j++
				}
				if j >= s.end {
					return -1
				}
				j++
			} else {
				for j < s.end && !strings.ContainsRune(",[]{}\n", rune(s.body[j])) && !(s.body[j] == sep && (sep == '=' || j+1 < s.end && (s.body[j+1] == ' ' || s.body[j+1] == '\n'))) {
					j++
				}
			}
			if j == i {
				j++ // a separator with no key before it
			}
			k := j
			for k < s.end && (s.body[k] == ' ' || s.body[k] == '\t') {
				k++
			}
			top := stack[len(stack)-1]
			if top.mapping && k < s.end && s.body[k] == sep {
				if f := fieldOf(keyWords(strings.TrimSpace(s.body[i:j])), top.key); f != "" {
					s.keys = append(s.keys, [2]int{i, j})
					cur = f
					i = k + 1
					continue
				}
			}
			if top.mapping {
				s.value(i, j, cur)
			} else {
				s.value(i, j, top.key)
			}
			i = j
		}
	}
	return -1
}

// value adds the value in body[a:b] (trimScalar narrows it).
func (s *fmScan) value(a, b int, key string) {
	s.out = append(s.out, fmValue{start: a, end: b, key: key})
}

// fieldOf is the Field of a value under key, nested under parent: an
// account key is a "login"; an "id" or nickname takes its parent's key
// ("author: {id: …}" names the author).
func fieldOf(key, parent string) string {
	switch {
	case accountKeys[key] || key == "login":
		return "login"
	case (key == "id" || key == "nick" || key == "nickname") && parent != "":
		return parent
	}
	return key
}

// trimScalar narrows [a, b) of body to a scalar's text: white space,
// matching quotes and a " #" comment are left out.
func trimScalar(body string, a, b int) (int, int) {
	if i := strings.Index(body[a:b], " #"); i >= 0 {
		b = a + i
	}
	for a < b && (body[a] == ' ' || body[a] == '\t') {
		a++
	}
	for b > a && (body[b-1] == ' ' || body[b-1] == '\t' || body[b-1] == '\r') {
		b--
	}
	if b-a >= 2 && (body[a] == '"' || body[a] == '\'') && body[b-1] == body[a] {
		a, b = a+1, b-1
	}
	return a, b
}

// keyWords is a key as the words of a label: "created_by" and
// "createdBy" read "created by"; quotes are left out.
func keyWords(k string) string {
	k = strings.Trim(strings.TrimSpace(k), `"'`)
	var b strings.Builder
	for i, r := range k {
		switch {
		case r == '_' || r == '-' || r == '.':
			b.WriteByte(' ')
		case r >= 'A' && r <= 'Z' && i > 0 && k[i-1] >= 'a' && k[i-1] <= 'z':
			b.WriteByte(' ')
			b.WriteRune(r + 'a' - 'A')
		case r == ' ' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "" // not a plain key
		}
	}
	return strings.Join(strings.Fields(strings.ToLower(b.String())), " ")
}

// accountKeys are front matter keys that name the account a page belongs
// to (Jekyll's and Hugo's "user", site generators' "username", GitHub
// and social handles), whose words the label lexicon leaves to other
// labels ("User name" of a form names no person): their values are given
// the label "login", which names a person whatever the value's shape.
var accountKeys = map[string]bool{"user": true, "username": true, "user name": true, "user id": true, "userid": true,
	"github": true, "gitlab": true, "twitter": true, "mastodon": true, "slack": true}

// frontMatterParts returns the parts of the front matter's values and
// where each lies in body.
func frontMatterParts(body string) ([]redactors.Part, []fmValue) {
	var parts []redactors.Part
	var at []fmValue
	values, _, _ := frontMatter(body)
	for _, v := range values {
		a, b := trimScalar(body, v.start, v.end)
		if a >= b {
			continue
		}
		at = append(at, fmValue{start: a, end: b, key: v.key})
		field := v.key
		if accountKeys[field] {
			field = "login"
		}
		parts = append(parts, redactors.Part{Name: "front matter value " + strconv.Itoa(len(at)), Text: body[a:b], Field: field})
	}
	return parts, at
}
