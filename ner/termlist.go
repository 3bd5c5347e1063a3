package ner

import (
	"bufio"
	"io"
	"strings"
)

// TermList is a list of terms as a user writes it (--deny-list,
// --allow-list, --minors): one term a line, surrounding white space
// ignored. Blank lines and lines that start with "#" are not terms; some
// such comment lines are directives that give a deny list its own label
// and basis in the report, and its words in the redaction and privilege
// logs:
//
//	# label: REDACTED – PRIVILEGED
//	# basis: Attorney-client privilege
//	# privilege: Attorney-client privilege
//	# category: Privileged
//	# description: attorney-client communication
//
// Directive names are case-insensitive; other comments are ignored.
type TermList struct {
	Terms        []string
	Label, Basis string
	// Privilege names the privilege the list asserts; Category and
	// Description word its rows in the redaction log (profiles.Rule.
	// ForTermList derives them from the basis and label when not given).
	Privilege, Category, Description string
}

// ParseTermList reads a term list. It returns the terms in file order,
// trimmed, and the last value of each directive. Lines longer than
// bufio.MaxScanTokenSize are an error (bufio.ErrTooLong); errors carry no
// text of the list.
func ParseTermList(r io.Reader) (TermList, error) {
	var l TermList
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		term, name, value, directive := termLine(sc.Text())
		switch {
		case directive && name == "label":
			l.Label = value
		case directive && name == "basis":
			l.Basis = value
		case directive && name == "privilege":
			l.Privilege = value
		case directive && name == "category":
			l.Category = value
		case directive && name == "description":
			l.Description = value
		case term != "":
			l.Terms = append(l.Terms, term)
		}
	}
	return l, sc.Err()
}

// CleanTerms returns the terms among lines read as ParseTermList reads the
// lines of a file (directives have no effect here): trimmed, without blank
// lines and comment lines. Lists given in code or by flags go through it,
// so that a term list means the same wherever it comes from.
func CleanTerms(lines []string) []string {
	var out []string
	for _, line := range lines {
		if term, _, _, _ := termLine(line); term != "" {
			out = append(out, term)
		}
	}
	return out
}

// termLine reads one line of a term list: a term, or for a comment line
// ("#…") the directive name (lower case) and value when it has the form
// "# name: value". Every reader of term lists goes through it.
func termLine(line string) (term, name, value string, directive bool) {
	t := strings.TrimSpace(line)
	c, comment := strings.CutPrefix(t, "#")
	if !comment {
		return t, "", "", false
	}
	k, v, ok := strings.Cut(c, ":")
	if !ok {
		return "", "", "", false
	}
	return "", strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v), true
}
