package text

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// Chat logs (session "side37", issue 13). A text whose every line is a
// chat message ("<nick> text", "[10:42] <nick> text", "nick: text", an
// IRC action "* nick text" or a server line "-!- …", "*** …") names a
// person's handle at the start of each message, whatever the word: a
// common word or one in lower case ("<mark>", "pear: ok") is a person
// there. chatSpeakers reads that shape of the whole file; each distinct
// speaker tag is then a part whose Field is "handle" (the label lexicon
// makes the value of such a field a person), and an edit of it is made
// at every line it stands on, so every message of one person reads the
// same replacement. A real HTML tag at a line's start ("<b> text",
// "<li> item") is not a nick: a file is a chat log in the "<nick>" form
// only when its lines carry timestamps or a nick is not an HTML element's
// name, and no nick is closed anywhere ("</b>"); without timestamps a tag
// that is a short element's name (shortElement) is the element, not a
// speaker ("<p> the end" after "<quillanby> notes", session "sidefix37"). A "nick: text" file
// needs four messages or more, at least two speakers who each speak
// twice, no more speakers than half its messages, one message of three
// words or more, and no speaker in capitals, so a form of "Label: value"
// lines, a list of "key: value" records or a log of "INFO: …" lines is
// not read as one.

// speaker is a distinct speaker tag of a chat log: its text and the body
// offsets where it stands.
type speaker struct {
	text string
	at   []int
}

// Kinds of chat line.
const (
	chatNone   = iota // not a chat line: the file is no chat log
	chatBlank         // blank or a server line: no speaker
	chatAngle         // "<nick> text"
	chatAction        // "* nick text"
	chatColon         // "nick: text"
)

// chatSpeakers returns the speakers of body[from:] when it is a chat log
// (see above), in order of first appearance; nil otherwise. It reads each
// byte a bounded number of times.
func chatSpeakers(body string, from int) []speaker {
	var (
		out                   []speaker
		index                 = map[string]int{}
		lines, stamped, angle int
		colon, action         int
		actions               []int // where the text after "* " starts
		prose                 int   // "nick: text" lines of three words or more
		angleStamped          int   // "<nick>" lines with a timestamp
		longest               int   // the longest speaker's length in bytes
	)
	// add returns the index of speaker nick in out, adding it if new.
	add := func(nick string) int {
		k, ok := index[nick]
		if !ok {
			k = len(out)
			index[nick] = k
			out = append(out, speaker{text: nick})
			longest = max(longest, len(nick))
		}
		return k
	}
	for p := from; p < len(body); {
		end := strings.IndexByte(body[p:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += p
		}
		line := strings.TrimSuffix(body[p:end], "\r")
		kind, ns, ne, ts := chatLine(line)
		switch kind {
		case chatNone:
			return nil
		case chatBlank:
		default:
			lines++
			if ts {
				stamped++
			}
			switch kind {
			case chatAngle:
				angle++
				if ts {
					angleStamped++
				}
			case chatColon:
				colon++
				if len(strings.Fields(line[ne+1:])) >= 3 {
					prose++
				}
			case chatAction:
				action++
			}
			if kind == chatAction {
				// resolved once every "<nick>" is known
				actions = append(actions, p+ns)
				p = end + 1
				continue
			}
			k := add(line[ns:ne])
			out[k].at = append(out[k].at, p+ns)
		}
		p = end + 1
	}
	// An action's speaker is the longest known speaker its text starts
	// with, ending at a word's end ("* Person A nods" once "<Person A>" is
	// known), else its first word. Only the prefixes ending at a blank
	// within the longest speaker's length (a nick is at most 40 bytes) are
	// looked up, so each action costs a bounded number of steps.
	for _, a := range actions {
		best := -1
		for e := a + 1; e <= len(body) && e-a <= longest && body[e-1] != '\n'; e++ {
			if endsWord(body, e) {
				if k, ok := index[body[a:e]]; ok {
					best = k
				}
			}
		}
		if best < 0 {
			e := a
			for e < len(body) && body[e] != ' ' && body[e] != '\t' && body[e] != '\r' && body[e] != '\n' {
				e++
			}
			best = add(body[a:e])
		}
		out[best].at = append(out[best].at, a)
	}
	for k := range out {
		sort.Ints(out[k].at)
	}
	switch {
	case lines < 2 || angle > 0 && colon > 0 || colon > 0 && action > 0:
		return nil
	case colon > 0:
		twice := 0
		for _, s := range out {
			if len(s.at) >= 2 {
				twice++
			}
		}
		if colon < 4 || twice < 2 || 2*len(out) > colon || prose == 0 {
			return nil
		}
	default: // "<nick>" (and actions)
		if angle == 0 {
			return nil
		}
		closed := closedNames(body[from:])
		anyNick := false
		for _, s := range out {
			n := strings.ToLower(s.text)
			if !htmlElements[n] {
				anyNick = true
			}
			if closed[n] {
				return nil // a closed element: HTML
			}
		}
		if !anyNick && stamped < lines {
			return nil // every tag an element's name, no timestamps
		}
		if angleStamped < angle {
			// without timestamps a tag that is a short element's name
			// is the element, not a handle ("<p> the end" after
			// "<quillanby> notes", session "sidefix37")
			out = withoutElements(out)
			if len(out) == 0 {
				return nil // every tag an element's name
			}
		}
	}
	return out
}

// shortElement reports whether a tag is the name of an HTML element of
// one or two letters ("p", "b", "li", "em", "h2"): the tags a Markdown
// writer puts at a line's start, and no person's nick worth reading as
// one. A longer element's name ("mark", "ruby", "time") may be a person's
// nick and stays a speaker: a nick left unread would be written.
func shortElement(tag string) bool {
	return len(tag) <= 2 && htmlElements[strings.ToLower(tag)]
}

// withoutElements returns out without the speakers whose tag is a short
// HTML element's name (shortElement).
func withoutElements(out []speaker) []speaker {
	kept := out[:0]
	for _, s := range out {
		if !shortElement(s.text) {
			kept = append(kept, s)
		}
	}
	return kept
}

// closedNames returns the names (lower case) that s closes ("</b>",
// "</quill >"), in one pass.
func closedNames(s string) map[string]bool {
	m := map[string]bool{}
	for i := 0; ; {
		k := strings.Index(s[i:], "</")
		if k < 0 {
			return m
		}
		i += k + 2
		e := i
		for e < len(s) && e-i < 64 && s[e] != '>' && s[e] != ' ' && s[e] != '\t' && s[e] != '\n' && s[e] != '<' {
			e++
		}
		m[strings.ToLower(s[i:e])] = true
	}
}

// chatLine reads one line: its kind, the speaker's span [ns, ne) in it,
// and whether it starts with a timestamp.
func chatLine(line string) (kind, ns, ne int, stamped bool) {
	i := skipBlank(line, 0)
	if i == len(line) {
		return chatBlank, 0, 0, false
	}
	if j, ok := timestamp(line, i); ok {
		i, stamped = skipBlank(line, j), true
	}
	rest := line[i:]
	switch {
	case strings.HasPrefix(rest, "-!-"), strings.HasPrefix(rest, "***"), strings.HasPrefix(rest, "--") && stamped:
		return chatBlank, 0, 0, stamped
	case strings.HasPrefix(rest, "<"):
		e := strings.IndexByte(rest, '>')
		if e < 2 || e > 41 || !endsWord(rest, e+1) {
			return chatNone, 0, 0, stamped
		}
		s := 1
		if strings.IndexByte("@+%~&", rest[s]) >= 0 { // an IRC channel mode
			s++
		}
		nick := rest[s:e]
		if nick == "" || !nickText(nick, true) {
			return chatNone, 0, 0, stamped
		}
		return chatAngle, i + s, i + e, stamped
	case strings.HasPrefix(rest, "* "):
		j := skipBlank(rest, 2)
		e := j
		for e < len(rest) && rest[e] != ' ' && rest[e] != '\t' {
			e++
		}
		if e == j || e-j > 32 || !nickText(rest[j:e], false) || !endsWord(rest, e) {
			return chatNone, 0, 0, stamped
		}
		return chatAction, i + j, i + e, stamped
	}
	e := strings.IndexByte(rest, ':')
	if e < 2 || e > 32 || !endsWord(rest, e+1) || !nickText(rest[:e], false) {
		return chatNone, 0, 0, stamped
	}
	if r, _ := utf8.DecodeRuneInString(rest); !unicode.IsLetter(r) && r != '_' || strings.ToUpper(rest[:e]) == rest[:e] {
		// a label or a log level in capitals ("INFO:", "Q:") is no nick
		return chatNone, 0, 0, stamped
	}
	return chatColon, i, i + e, stamped
}

// nickText reports whether s can be a nick: letters, digits and the
// characters nicks hold (spaces too inside brackets, where a display name
// stands), no markup or quoting, not a number.
func nickText(s string, spaces bool) bool {
	letter := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r) || strings.ContainsRune("_-.|^[]{}`\\'", r):
		case r == ' ' && spaces:
		default:
			return false
		}
	}
	return letter && s[0] != ' ' && s[len(s)-1] != ' '
}

// endsWord reports whether line[i:] is empty or starts with a blank.
func endsWord(line string, i int) bool {
	return i >= len(line) || line[i] == ' ' || line[i] == '\t'
}

func skipBlank(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// timestamp reads a timestamp at line[i:]: "[10:42]", "[2024-03-01
// 10:42:07]", "(10:42)" or a bare "10:42" or "10:42:07"; it returns
// where it ends.
func timestamp(line string, i int) (int, bool) {
	if i < len(line) && (line[i] == '[' || line[i] == '(') {
		closer := byte(']')
		if line[i] == '(' {
			closer = ')'
		}
		e := strings.IndexByte(line[i:], closer)
		if e < 4 || e > 34 {
			return 0, false
		}
		in := line[i+1 : i+e]
		if !strings.ContainsRune(in, ':') || strings.Trim(in, "0123456789:-/. TZ+") != "" {
			return 0, false
		}
		return i + e + 1, true
	}
	j := i
	for j < len(line) && j-i < 8 && (line[j] >= '0' && line[j] <= '9' || line[j] == ':') {
		j++
	}
	s := line[i:j]
	if len(s) < 4 || !strings.ContainsRune(s, ':') || s[0] == ':' || s[len(s)-1] == ':' || !endsWord(line, j) {
		return 0, false
	}
	return j, true
}

// Verify's own reading of chat speakers (IndependentText), by code that
// shares nothing with chatSpeakers: line regular expressions, and
// x/net/html's atom table for the names HTML knows.
var (
	chatStamp   = `(?:[\[(][0-9./ TZ+-]{0,16}:[0-9:./ TZ+-]{1,16}[\])]|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?[ \t]*`
	chatAngleRe = regexp.MustCompile(`^[ \t]*` + chatStamp + `(?:<[@+%~&]?([^<>\s"=/][^<>"=]{0,39})>|\*[ \t]+(\S{1,32}))(?:[ \t]|$)`)
	chatColonRe = regexp.MustCompile(`^[ \t]*` + chatStamp + `([\pL_][\pL\pN_.|^\-]{1,31}):(?:[ \t]|$)`)
	chatOtherRe = regexp.MustCompile(`^[ \t]*` + chatStamp + `(?:-!-|\*\*\*|$)`)
	closeRe     = regexp.MustCompile(`</([^<>\s]{1,64})`)
)

// chatHandles returns "handle: <speaker>" for each distinct speaker, one
// a line, when every line of s reads as a chat message by the
// expressions above, in one form, and the file is not HTML by the same
// measures as chatSpeakers' (no speaker closed as an element, a speaker
// HTML does not name or timestamps on every line; a "nick:" log of four
// lines or more whose speakers speak twice on average). Empty otherwise.
func chatHandles(s string) string {
	count := map[string]int{}
	var order []string
	angle, colon, lines, stamped, long := 0, 0, 0, 0, 0
	angleNick, angleStamped := 0, 0 // "<nick>" lines, and with a timestamp
	longest := 0                    // the longest speaker's length in bytes
	var acts []string
	for rest := s; rest != ""; {
		line := rest
		if k := strings.IndexByte(rest, '\n'); k >= 0 {
			line, rest = rest[:k], rest[k+1:]
		} else {
			rest = ""
		}
		line = strings.TrimRight(line, "\r")
		var nick string
		if m := chatAngleRe.FindStringSubmatch(line); m != nil {
			angle++
			if m[1] == "" { // "* nick text": resolved below
				acts = append(acts, line[strings.Index(line, "*")+1:])
				lines++
				continue
			}
			nick, angleNick = m[1], angleNick+1
		} else if m := chatColonRe.FindStringSubmatch(line); m != nil && strings.ToUpper(m[1]) != m[1] {
			colon++
			nick = m[1]
			if len(strings.Fields(line[strings.Index(line, m[1]+":")+len(m[1])+1:])) >= 3 {
				long++
			}
		} else if chatOtherRe.MatchString(line) {
			continue
		} else {
			return ""
		}
		lines++
		if t := strings.TrimLeft(line, " \t"); t != "" && (t[0] == '[' || t[0] == '(' || t[0] >= '0' && t[0] <= '9') {
			stamped++
			if colon == 0 {
				angleStamped++
			}
		}
		if count[nick] == 0 {
			order = append(order, nick)
			longest = max(longest, len(nick))
		}
		count[nick]++
	}
	if lines < 2 || angle > 0 && colon > 0 {
		return ""
	}
	for _, a := range acts {
		words := strings.Fields(a)
		nick := ""
		// the longest speaker its first words joined by one space make:
		// only joins up to the longest speaker's length are looked up
		for k, cand := 0, ""; k < len(words); k++ {
			if k > 0 {
				cand += " "
			}
			if cand += words[k]; len(cand) > longest {
				break
			}
			if count[cand] > 0 {
				nick = cand
			}
		}
		if nick == "" && len(words) > 0 {
			nick = words[0]
		}
		if count[nick] == 0 {
			order = append(order, nick)
			longest = max(longest, len(nick))
		}
		count[nick]++
	}
	if colon > 0 {
		if colon < 4 || 2*len(order) > colon || long == 0 {
			return ""
		}
	} else {
		known := 0
		closed := map[string]bool{}
		for _, m := range closeRe.FindAllStringSubmatch(s, -1) {
			closed[strings.ToLower(m[1])] = true
		}
		for _, n := range order {
			if closed[strings.ToLower(n)] {
				return ""
			}
			if atom.Lookup([]byte(strings.ToLower(n))) != 0 {
				known++
			}
		}
		if known == len(order) && stamped < lines {
			return ""
		}
		if angleStamped < angleNick {
			// untimestamped, a short element's name is the element
			// (sidefix37)
			order = slices.DeleteFunc(order, func(n string) bool { return len(n) <= 2 && atom.Lookup([]byte(strings.ToLower(n))) != 0 })
		}
	}
	var b strings.Builder
	for _, n := range order {
		b.WriteString("handle: " + n + "\n")
	}
	return b.String()
}
