package text

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/redactors"
)

// TestFrontMatterParts: each value of a Markdown front matter is a part
// whose Field is its key as words (scalars, quoted, flow and block list
// items, TOML), and an edit of such a part removes the value from the
// body, merged with an edit of the body over the same bytes. Invented
// logins and names.
func TestFrontMatterParts(t *testing.T) {
	in := "---\ntitle: Weekly notes\nuser: oquillanby\nauthor: oquillanby   # the login\ncreated_by: \"t.everard\"\nreviewers: [teverard, Tamsin Everard]\nowners:\n  - oquillanby\n  - 'teverard'\n---\n\n# Notes\n\nBody by oquillanby.\n"
	d, err := Markdown().Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.Parts()[1:] {
		got = append(got, p.Field+"="+p.Text)
		if strings.Contains(p.Name, "author") || strings.Contains(p.Name, "oquillanby") {
			t.Errorf("a part name holds document text: %q", p.Name)
		}
	}
	want := "title=Weekly notes|login=oquillanby|author=oquillanby|created by=t.everard|reviewers=teverard|reviewers=Tamsin Everard|owners=oquillanby|owners=teverard"
	if strings.Join(got, "|") != want {
		t.Fatalf("front matter parts:\n got %s\nwant %s", strings.Join(got, "|"), want)
	}
	// every "oquillanby" of a front matter part, and one in the body over
	// the same bytes as the author part
	var edits []redactors.Edit
	body := d.Parts()[0].Text
	first := strings.Index(body, "oquillanby")
	edits = append(edits, redactors.Edit{Part: 0, Start: first, End: first + len("oquillanby"), Replacement: "Person A"})
	for i, p := range d.Parts() {
		if i == 0 {
			continue
		}
		if k := strings.Index(p.Text, "oquillanby"); k >= 0 {
			edits = append(edits, redactors.Edit{Part: i, Start: k, End: k + len("oquillanby"), Replacement: "Person A"})
		}
		if p.Text == "t.everard" || p.Text == "teverard" {
			edits = append(edits, redactors.Edit{Part: i, Start: 0, End: len(p.Text), Replacement: "Person B"})
		}
	}
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	res := out.String()
	for _, s := range []string{"author: Person A", `created_by: "Person B"`, "[Person B, Tamsin Everard]", "  - Person A\n", "  - 'Person B'", "Body by oquillanby."} {
		if !strings.Contains(res, s) {
			t.Errorf("output lacks %q:\n%s", s, res)
		}
	}
	if strings.Count(res, "oquillanby") != 1 || strings.Contains(res, "teverard") || !strings.Contains(res, "user: Person A") {
		t.Errorf("a front matter value stays:\n%s", res)
	}
	// plain text has no front matter; nor has a block without its end
	for _, c := range []struct {
		f  Format
		in string
	}{{Plain(), in}, {Markdown(), "---\nauthor: oquillanby\n\nno end\n"}, {Markdown(), "text\n---\nauthor: x\n---\n"}} {
		d, err := c.f.Parse([]byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Parts()) != 1 {
			t.Errorf("%s %q: %d parts", c.f.Name(), c.in, len(d.Parts()))
		}
	}
	// TOML front matter
	d, err = Markdown().Parse([]byte("+++\nauthor = \"oquillanby\"\n+++\nText\n"))
	if err != nil {
		t.Fatal(err)
	}
	if ps := d.Parts(); len(ps) != 2 || ps[1].Text != "oquillanby" || ps[1].Field != "author" {
		t.Errorf("TOML front matter: %+v", ps)
	}
}

// FuzzFrontMatter: the values lie inside the body, on UTF-8 boundaries,
// and redacting every value whole keeps the rest of the file.
func FuzzFrontMatter(f *testing.F) {
	f.Add("---\nauthor: oquillanby\nreviewers: [a, 'b']\nowners:\n  - c\n---\nx\n")
	f.Add("+++\nauthor = \"x\"\n+++\n")
	f.Add("---\r\nk: \"\"\r\n---\r\n")
	f.Add("---\na: {b: c, d: [e, 'f']}\ng:\n  - h: i\n    j: k\nl: >\n  m\n---\n")
	f.Add("+++\na = { b = \"c\" }\n[[d]]\ne = [\n \"f\",\n]\ng = \"\"\"\nh\n\"\"\"\n+++\n")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Markdown().Parse([]byte(s))
		if err != nil {
			return
		}
		// values and keys in order and apart (bodyEdits searches them)
		doc := d.(*Document)
		for i, v := range doc.fm {
			if v.start > v.end || v.end > doc.fmEnd || doc.parts[0].Text[v.start:v.end] != doc.parts[i+1].Text || i > 0 && v.start < doc.fm[i-1].end {
				t.Fatalf("value %d at [%d, %d) out of order, outside the front matter or not the part's text", i, v.start, v.end)
			}
		}
		for i, k := range doc.fmKeys {
			if k[0] > k[1] || k[1] > doc.fmEnd || i > 0 && k[0] < doc.fmKeys[i-1][1] {
				t.Fatalf("key %d at [%d, %d) out of order or outside the front matter", i, k[0], k[1])
			}
		}
		var edits []redactors.Edit
		for i, p := range d.Parts() {
			if i > 0 {
				edits = append(edits, redactors.Edit{Part: i, Start: 0, End: len(p.Text), Replacement: "X"})
			}
		}
		if err := redactors.CheckEdits(d.Parts(), edits); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := d.Redact(&out, edits); err != nil {
			t.Fatal(err)
		}
	})
}

// TestFrontMatterNested: values under nested keys, in flow mappings and
// sequences, TOML tables and inline tables, block scalars and logins of
// digits are parts under their nearest key (an account key reads
// "login"); an edit of the body that a detector spread over a key and its
// value is cut to the value, so that every key and every bracket stays:
// the YAML output has the input's shape, no value is left, and a value's
// own edit gives its replacement. Invented
// names and logins.
func TestFrontMatterNested(t *testing.T) {
	yamlIn := "---\ntitle: Notes\nauthor: {name: Orsolya Quillanby, github: oqx}\n\"owner\": oquillanby\n" +
		"reviewers:\n  - teverard\n  - login: tevx\nsupport:\n  - name: Tamsin Everard\n    github: tev2\n" +
		"maintainer:\n  login: oq1987\n  id: mq2026\nteam: [teverard, mquill]\ndescription: >\n  Written for\n  oquillanby.\n---\n\nBody.\n"
	tomlIn := "+++\ntitle = \"Notes\"\nauthor = { name = \"Orsolya Quillanby\", github = \"oqx\" }\n[owner]\nlogin = \"oq1987\"\n" +
		"[[authors]]\ngithub = \"tevx\"\n\"owner\" = \"oquillanby\"\nreviewers = [\n  \"teverard\",\n  \"mquill\",\n]\n+++\n\nBody.\n"
	values := []string{"Orsolya Quillanby", "Tamsin Everard", "oquillanby", "teverard", "mquill", "oqx", "tevx", "tev2", "oq1987", "mq2026"}
	for _, c := range []struct {
		name, in, want string
	}{
		{"yaml", yamlIn, "title=Notes|name=Orsolya Quillanby|login=oqx|owner=oquillanby|reviewers=teverard|login=tevx|name=Tamsin Everard|login=tev2|login=oq1987|maintainer=mq2026|team=teverard|team=mquill|description=Written for|description=oquillanby."},
		{"toml", tomlIn, "title=Notes|name=Orsolya Quillanby|login=oqx|login=oq1987|login=tevx|owner=oquillanby|reviewers=teverard|reviewers=mquill"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := Markdown().Parse([]byte(c.in))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range d.Parts()[1:] {
				got = append(got, p.Field+"="+p.Text)
			}
			if strings.Join(got, "|") != c.want {
				t.Fatalf("front matter parts:\n got %s\nwant %s", strings.Join(got, "|"), c.want)
			}
			// every value but the title, as a part; and in the body, what a
			// detector reading a label and the line below it finds: the
			// next line whole, key and punctuation with it
			var edits, valueEdits []redactors.Edit
			for i, p := range d.Parts()[1:] {
				if p.Text != "Notes" {
					valueEdits = append(valueEdits, redactors.Edit{Part: i + 1, Start: 0, End: len(p.Text), Replacement: "Person A"})
				}
			}
			body := d.Parts()[0].Text
			for _, line := range []string{"github: oqx", "- teverard", "- login: tevx", "[teverard, mquill]", "- name: Tamsin Everard", "github = \"tevx\"", "login = \"oq1987\"", "\"teverard\",\n  \"mquill\","} {
				if k := strings.Index(body, line); k >= 0 {
					edits = append(edits, redactors.Edit{Part: 0, Start: k, End: k + len(line), Replacement: "Person B"})
				}
			}
			sort.Slice(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
			edits = append(edits, valueEdits...)
			var out bytes.Buffer
			if err := d.Redact(&out, edits); err != nil {
				t.Fatal(err)
			}
			res := out.String()
			for _, v := range values {
				if strings.Contains(res, v) {
					t.Errorf("%q left:\n%s", v, res)
				}
			}
			if c.name == "yaml" {
				if a, b := yamlShape(t, c.in), yamlShape(t, res); a != b {
					t.Errorf("the front matter's shape changed:\n%s\nwas\n%s\noutput:\n%s", b, a, res)
				}
				return
			}
			for _, s := range []string{"author = { name = \"Person A\", github = \"Person A\" }\n", "[owner]\nlogin = \"Person A\"\n", "[[authors]]\ngithub = \"Person A\"\n\"owner\" = \"Person A\"\n", "reviewers = [\n  \"Person A\",\n  \"Person A\",\n]\n"} {
				if !strings.Contains(res, s) {
					t.Errorf("output lacks %q:\n%s", s, res)
				}
			}
		})
	}
	// an edit of a key alone cannot be made without breaking the front
	// matter: the file is not written
	d, err := Markdown().Parse([]byte("---\nauthor:\n  github: oqx\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Redact(&bytes.Buffer{}, []redactors.Edit{{Part: 0, Start: 14, End: 20, Replacement: "Person A"}}); !errors.Is(err, redactors.ErrUninspectable) {
		t.Errorf("an edit of a key: %v", err)
	}
	// a front matter that does not parse is still read whole
	d, err = Markdown().Parse([]byte("---\nauthor: {name: oquillanby, github: [oqx\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if ps := d.Parts(); len(ps) != 2 || ps[1].Text != "{name: oquillanby, github: [oqx" {
		t.Errorf("unbalanced flow mapping: %+v", ps[1:])
	}
}

// yamlShape is the YAML front matter of s with every scalar value
// emptied: its keys and the lengths of its sequences.
func yamlShape(t *testing.T, s string) string {
	t.Helper()
	fm := s[4:strings.Index(s, "\n---\n")]
	var v any
	if err := yaml.Unmarshal([]byte(fm), &v); err != nil {
		t.Fatalf("front matter does not parse as YAML: %v\n%s", err, fm)
	}
	var empty func(any) any
	empty = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = empty(e)
			}
		case []any:
			for i, e := range x {
				x[i] = empty(e)
			}
		default:
			return ""
		}
		return v
	}
	return fmt.Sprint(empty(v))
}

// TestFrontMatterEditPastValue: an edit of the body that overlaps a value
// and goes on into a comment (on the value's line or the next) removes
// the comment's text too, not only the value (safety review 2, finding
// 1: the rest was dropped and "Quillanby" written); keys on its way stay
// and punctuation is left. Invented names.
func TestFrontMatterEditPastValue(t *testing.T) {
	for _, c := range []struct{ in, from, to, want string }{
		{"---\nauthor: Orsolya # Quillanby\n---\nbody\n", "Orsolya", "Quillanby", "---\nauthor: [X] # [X]\n---\nbody\n"},
		{"---\nauthor: Orsolya\n# Quillanby\n---\nbody\n", "Orsolya", "Quillanby", "---\nauthor: [X]\n# [X]\n---\nbody\n"},
		{"---\nauthor: Orsolya\n# Quillanby\neditor: Tamsin # Everard\n---\nbody\n", "Orsolya", "Everard", "---\nauthor: [X]\n# [X]\neditor: [X] # [X]\n---\nbody\n"},
		{"---\n# Quillanby\nauthor: Orsolya\n---\nbody\n", "Quillanby", "Orsolya", "---\n# [X]\nauthor: [X]\n---\nbody\n"},
	} {
		d, err := Markdown().Parse([]byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		a, b := strings.Index(c.in, c.from), strings.Index(c.in, c.to)+len(c.to)
		var out bytes.Buffer
		if err := d.Redact(&out, []redactors.Edit{{Part: 0, Start: a, End: b, Replacement: "[X]"}}); err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if out.String() != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, out.String(), c.want)
		}
	}
}
