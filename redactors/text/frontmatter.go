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

// frontMatter returns the values of body's front matter, in order; none
// when body does not open with one.
func frontMatter(body string) []fmValue {
	var fence string
	switch {
	case strings.HasPrefix(body, "---\n"), strings.HasPrefix(body, "---\r\n"):
		fence = "---"
	case strings.HasPrefix(body, "+++\n"), strings.HasPrefix(body, "+++\r\n"):
		fence = "+++"
	default:
		return nil
	}
	var out []fmValue
	pos := strings.IndexByte(body, '\n') + 1
	listKey := "" // a key whose value is the block list below it
	for pos < len(body) {
		end := strings.IndexByte(body[pos:], '\n')
		next := len(body)
		if end >= 0 {
			next = pos + end + 1
			end = pos + end
		} else {
			end = len(body)
		}
		line := strings.TrimRight(body[pos:end], "\r")
		if line == fence || (fence == "---" && line == "...") {
			return out
		}
		lineEnd := pos + len(line)
		trimmed := strings.TrimLeft(line, " \t")
		indent := len(line) - len(trimmed)
		switch {
		case trimmed == "" || trimmed[0] == '#':
		case indent > 0 && strings.HasPrefix(trimmed, "- ") && listKey != "":
			out = appendScalar(out, listKey, pos+indent+2, lineEnd)
		case indent == 0:
			listKey = ""
			sep := ":"
			if fence == "+++" {
				sep = "="
			}
			k := strings.Index(line, sep)
			if k <= 0 {
				break
			}
			key := keyWords(line[:k])
			if key == "" {
				break
			}
			vs := pos + k + 1
			rest := strings.TrimSpace(body[vs:lineEnd])
			switch {
			case rest == "":
				listKey = key
			case strings.HasPrefix(rest, "[") && strings.HasSuffix(rest, "]"):
				a := vs + strings.Index(body[vs:lineEnd], "[") + 1
				b := vs + strings.LastIndex(body[vs:lineEnd], "]")
				for a < b {
					c := strings.IndexByte(body[a:b], ',')
					e := b
					if c >= 0 {
						e = a + c
					}
					out = appendScalar(out, key, a, e)
					a = e + 1
				}
			default:
				out = appendScalar(out, key, vs, lineEnd)
			}
		default:
			listKey = ""
		}
		pos = next
	}
	return nil // no closing fence: no front matter
}

// appendScalar adds the value in body[a:b] (trimScalar narrows it).
func appendScalar(out []fmValue, key string, a, b int) []fmValue {
	return append(out, fmValue{start: a, end: b, key: key})
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
	for _, v := range frontMatter(body) {
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
