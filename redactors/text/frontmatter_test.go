package text

import (
	"bytes"
	"strings"
	"testing"

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
	f.Fuzz(func(t *testing.T, s string) {
		d, err := Markdown().Parse([]byte(s))
		if err != nil {
			return
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
