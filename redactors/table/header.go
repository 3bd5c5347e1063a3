package table

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxHeaderLen is the longest cell (in characters) a header row may hold.
const MaxHeaderLen = 64

// LooksLikeHeader reports whether the first row of a table, first, names
// its columns, given some of the rows below it (rest): every non-empty
// cell of it is a short label with a letter in it and few digits, on one
// line, no two are alike, and none appears again below it in its column
// (a name in a column of names is a value, not the column's header). A
// table of one row has no header. Formats use it to set Part.Field, which
// is context for detection only: a first row taken for a header by
// mistake is still read and redacted like every other row.
func LooksLikeHeader(first []string, rest [][]string) bool {
	if len(rest) == 0 {
		return false
	}
	seen := map[string]bool{}
	labels := 0
	for _, c := range first {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !isLabel(c) || seen[strings.ToLower(c)] {
			return false
		}
		seen[strings.ToLower(c)] = true
		labels++
	}
	if labels == 0 {
		return false
	}
	for _, r := range rest {
		for col, c := range r {
			if col < len(first) && strings.TrimSpace(first[col]) != "" && strings.EqualFold(strings.TrimSpace(c), strings.TrimSpace(first[col])) {
				return false
			}
		}
	}
	return true
}

// IsLabel reports whether s can be a column header or a form label: a
// short one-line text with a letter, whose digits are at most a third of
// its characters.
func IsLabel(s string) bool { return isLabel(s) }

func isLabel(s string) bool {
	if utf8.RuneCountInString(s) > MaxHeaderLen || strings.ContainsAny(s, "\r\n") {
		return false
	}
	letters, digits, n := 0, 0, 0
	for _, r := range s {
		n++
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return letters > 0 && digits*3 <= n
}
