package text

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
	"github.com/veilhq/veil/redactors"
)

// chatCases: texts that are chat logs (with their speakers) and texts
// that are not; every name is invented, "mark", "ruby", "pear" are
// ordinary words (two of them HTML elements).
var chatCases = []struct {
	name, text string
	speakers   []string // nil: not a chat log
}{
	{"irc stamped", "[10:41] <mark> hello\n[10:42] <pear> hi mark\n[10:43] <mark> bye\n", []string{"mark", "pear"}},
	{"irc elements stamped", "[10:41] <b> hello\n[10:42] <i> hi\n", []string{"b", "i"}},
	{"irc bare", "<quill> did you see it\n<ruby> yes\n", []string{"quill", "ruby"}},
	{"irc elements stamped, action unstamped", "[10:41] <b> hello\n[10:42] <quill> hi\n* quill waves\n", []string{"b", "quill"}},
	{"irc bare, a short element among nicks", "<quill> did you see it\n<ruby> yes\n<p> the end\n<li> a list\n", []string{"quill", "ruby"}},
	{"irc modes and actions", "<@quill> hi\n<+Tamsin Everard> hello\n* Tamsin Everard waves\n* quill nods\n-!- ruby has joined\n", []string{"quill", "Tamsin Everard"}},
	{"irc crlf, blank lines", "(10:41) <mark> a\r\n\r\n(10:42) <pear> b\r\n", []string{"mark", "pear"}},
	{"bare time", "10:41 <mark> a\n10:42:07 <pear> b\n", []string{"mark", "pear"}},
	{"colon", "orsolya: can you take it\nbramble: b\norsolya: c\nbramble: d\n", []string{"orsolya", "bramble"}},
	{"colon stamped", "[10:41] orsolya: a\n[10:42] bramble: yes I can\n[10:43] orsolya: c\n[10:44] bramble: d\n", []string{"orsolya", "bramble"}},
	{"colon one-word messages", "orsolya: a\nbramble: b\norsolya: c\nbramble: d\n", nil},
	{"html paragraphs", "<p> one\n<p> two\n<b> three\n", nil},
	{"html list", "<li> one\n<li> two\n", nil},
	{"html closed", "<quill> one</quill>\n<ruby> two\n", nil},
	{"one line", "<quill> hello\n", nil},
	{"prose line", "<quill> hello\nand then we left\n", nil},
	{"mixed forms", "<quill> hello\nruby: hi\n", nil},
	{"form", "Colour: blue\nShape: round\nSize: large\nWeight: light\n", nil},
	{"form repeated once", "Colour: blue\nShape: round\nColour: red\nWeight: light\n", nil},
	{"dialogue letters", "Q: a\nA: b\nQ: c\nA: d\n", nil},
	{"three colon lines", "orsolya: a\nbramble: b\norsolya: c\n", nil},
	{"url lines", "http://example.org/a\nhttp://example.org/b\n", nil},
	{"key value records", "name: alpha\ntype: x\nname: beta\ntype: y\n", nil},
	{"log levels", "[10:41] INFO: the service started today\n[10:42] WARN: disk is nearly full\n[10:43] INFO: done\n[10:44] WARN: again\n", nil},
	{"bracketed years", "[2024] <b> one\n[2025] <i> two\n", nil},
	{"attribute tag", "<b class=\"x\"> one\n<b class=\"y\"> two\n", nil},
}

// TestChatSpeakers: chatSpeakers reads the chat logs and only them, with
// each speaker's places; verify's own reading (chatHandles) agrees.
func TestChatSpeakers(t *testing.T) {
	for _, c := range chatCases {
		t.Run(c.name, func(t *testing.T) {
			sp := chatSpeakers(c.text, 0)
			var got []string
			for _, s := range sp {
				got = append(got, s.text)
				for _, at := range s.at {
					if !strings.HasPrefix(c.text[at:], s.text) {
						t.Errorf("speaker %q placed at %d: %q", s.text, at, c.text[at:])
					}
				}
			}
			if strings.Join(got, "|") != strings.Join(c.speakers, "|") {
				t.Errorf("speakers %q, want %q", got, c.speakers)
			}
			var want string
			for _, s := range c.speakers {
				want += "handle: " + s + "\n"
			}
			if h := chatHandles(c.text); h != want {
				t.Errorf("chatHandles = %q, want %q", h, want)
			}
		})
	}
}

// TestChatRedact: an edit of a speaker part is made on every line it
// stands on, and the output reads as a chat log again with the
// replacement as the speaker.
func TestChatRedact(t *testing.T) {
	in := "[10:41] <mark> hello pear\n[10:42] <pear> hi\n* pear waves\n[10:43] <mark> bye\n"
	d, err := Plain().Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	doc := d.(*Document)
	var edits []redactors.Edit
	for k, p := range doc.Parts() {
		if p.Field == "handle" {
			edits = append(edits, redactors.Edit{Part: k, Start: 0, End: len(p.Text), Replacement: "Person " + string(rune('A'+len(edits)))})
		}
	}
	if len(edits) != 2 {
		t.Fatalf("%d speaker parts: %+v", len(edits), doc.Parts())
	}
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	want := "[10:41] <Person A> hello pear\n[10:42] <Person B> hi\n* Person B waves\n[10:43] <Person A> bye\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out.String(), want)
	}
	if h := chatHandles(out.String()); h != "handle: Person A\nhandle: Person B\n" {
		t.Errorf("output's chatHandles = %q", h)
	}
	d2, err := Plain().Parse(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d2.Parts() {
		if p.Field == "handle" {
			got = append(got, p.Text)
		}
	}
	if strings.Join(got, "|") != "Person A|Person B" {
		t.Errorf("output's speakers %q", got)
	}
}

// TestChatLinear: reading a chat log's shape is linear in its length,
// with many speakers and with lines that look like timestamps and tags.
func TestChatLinear(t *testing.T) {
	for name, build := range map[string]func(n int) string{
		"many speakers": func(n int) string {
			var b strings.Builder
			for i := 0; b.Len() < n; i++ {
				b.WriteString("[10:4" + string(rune('0'+i%10)) + "] <n" + strconv.Itoa(i) + "> hi\n")
			}
			return b.String()
		},
		"actions": func(n int) string {
			return strings.Repeat("<quill> a\n", n/20) + strings.Repeat("* quill b\n", n/20)
		},
		// every action line looked up among every speaker was quadratic
		"many speakers and actions": func(n int) string {
			var b strings.Builder
			for i := 0; b.Len() < n/2; i++ {
				b.WriteString("<quill" + strconv.Itoa(i) + "> a\n")
			}
			for i := 0; b.Len() < n; i++ {
				b.WriteString("* tamsin" + strconv.Itoa(i) + " b c\n")
			}
			return b.String()
		},
		"one long line": func(n int) string { return "<quill> " + strings.Repeat("[10:4", n/5) },
		"colon lines":   func(n int) string { return strings.Repeat("orsolya: a b c\nbramble: b\n", n/26) },
	} {
		t.Run(name, func(t *testing.T) {
			complexity.Assert(t, 4<<10, build, func(s string) { chatSpeakers(s, 0); chatHandles(s) })
		})
	}
}

// FuzzChat: speaker places hold the speaker's text; replacing every
// speaker (with any text) writes a file that parses again, and never
// panics either reading.
func FuzzChat(f *testing.F) {
	for _, c := range chatCases {
		f.Add(c.text, "Person A")
	}
	f.Fuzz(func(t *testing.T, in, repl string) {
		chatHandles(in)
		d, err := Plain().Parse([]byte(in))
		if err != nil {
			return
		}
		doc := d.(*Document)
		body := doc.parts[0].Text
		var edits []redactors.Edit
		for k, s := range doc.speakers {
			for _, at := range s.at {
				if at < 0 || at+len(s.text) > len(body) || body[at:at+len(s.text)] != s.text {
					t.Fatalf("speaker %d misplaced at %d", k, at)
				}
			}
			edits = append(edits, redactors.Edit{Part: doc.spk0 + k, Start: 0, End: len(s.text), Replacement: strings.ToValidUTF8(repl, "")})
		}
		var out bytes.Buffer
		if err := d.Redact(&out, edits); err != nil {
			return // refused (an edit of markup): never written
		}
	})
}

// TestChatElementNotHandle: in a Markdown file without timestamps, a tag
// that is an HTML element's name after a nick ("<p> the end") stays the
// element; only the nick is a handle (session "sidefix37").
func TestChatElementNotHandle(t *testing.T) {
	in := "<quillanby> notes on the visit\n<p> the end of it\n"
	d, err := Markdown().Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var edits []redactors.Edit
	for k, p := range d.Parts() {
		if p.Field == "handle" {
			edits = append(edits, redactors.Edit{Part: k, Start: 0, End: len(p.Text), Replacement: "Person " + string(rune('A'+len(edits)))})
		}
	}
	var out bytes.Buffer
	if err := d.Redact(&out, edits); err != nil {
		t.Fatal(err)
	}
	if want := "<Person A> notes on the visit\n<p> the end of it\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
