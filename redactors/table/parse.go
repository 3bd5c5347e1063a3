package table

import (
	"strings"
)

// field is one cell of a delimited text: its raw bytes text[start:end]
// (quotes included) and its value.
type field struct {
	start, end int
	row, col   int
	// quoted: the raw bytes start with a quote. wellFormed: they also end
	// with the closing quote, and nothing follows it (a value with text
	// after its closing quote, or a quote never closed, is rewritten whole
	// when it changes).
	quoted, wellFormed bool
	value              string
}

// scan splits text into fields as RFC 4180 says, with delim between
// fields, and leniently as spreadsheet programs and Python's csv module
// read what RFC 4180 does not allow: records end at CRLF, LF or CR outside
// quotes; a field that starts with a quote is quoted, a doubled quote in it
// is one quote, and text after its closing quote belongs to it ("a"b is
// ab); a quote elsewhere is a character; a quote that is never closed runs
// to the end of the text. Every byte of text is in a field's raw bytes, or
// is a delimiter or a line break: nothing is skipped.
//
// fn is called for every field in order; it returns false to stop.
func scan(text string, delim byte, fn func(f field) bool) {
	n := len(text)
	row, col := 1, 1
	for i := 0; ; {
		f := field{start: i, row: row, col: col}
		end := i
		if i < n && text[i] == '"' {
			f.quoted = true
			j := i + 1
			for j < n {
				if text[j] == '"' {
					if j+1 < n && text[j+1] == '"' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			if j >= n {
				end = n
			} else {
				j++ // past the closing quote
				f.wellFormed = j == n || text[j] == delim || text[j] == '\n' || text[j] == '\r'
				for j < n && text[j] != delim && text[j] != '\n' && text[j] != '\r' {
					j++
				}
				end = j
			}
		} else {
			end = i + fieldEnd(text[i:], delim)
		}
		f.end = end
		f.value = unquote(text[f.start:f.end], f.quoted)
		if !fn(f) || end >= n {
			return
		}
		switch text[end] {
		case delim:
			col++
			i = end + 1
		case '\r':
			i = end + 1
			if i < n && text[i] == '\n' {
				i++
			}
			row, col = row+1, 1
			if i == n {
				return
			}
		case '\n':
			i = end + 1
			row, col = row+1, 1
			if i == n {
				return
			}
		}
	}
}

// fieldEnd is the length of an unquoted field at the start of s.
func fieldEnd(s string, delim byte) int {
	for j := 0; j < len(s); j++ {
		if c := s[j]; c == delim || c == '\n' || c == '\r' {
			return j
		}
	}
	return len(s)
}

// unquote returns the value of a field's raw bytes.
func unquote(raw string, quoted bool) string {
	if !quoted {
		return raw
	}
	v, _ := valueMap(raw, true, false, false)
	return v
}

// valueMap returns the value of a field's raw bytes and, with wantMap,
// for each byte offset k of the value (0 ≤ k ≤ len(value)) the offset in
// raw where it starts; for a quote read from a doubled quote, the offset
// of the pair, so that value[a:b] comes from exactly raw[off[a]:off[b]]
// when a and b are not inside such a pair's quote (they never are: a quote
// is one byte). off[len(value)] is where the value ends in raw: before
// the closing quote of a well-formed field, at the end of raw otherwise.
func valueMap(raw string, quoted, wellFormed, wantMap bool) (string, []int) {
	if !quoted {
		if !wantMap {
			return raw, nil
		}
		off := make([]int, len(raw)+1)
		for k := range off {
			off[k] = k
		}
		return raw, off
	}
	var b strings.Builder
	b.Grow(len(raw))
	var off []int
	if wantMap {
		off = make([]int, 0, len(raw)+1)
	}
	i := 1 // past the opening quote
	inQuotes := true
	for i < len(raw) {
		c := raw[i]
		if inQuotes && c == '"' {
			if i+1 < len(raw) && raw[i+1] == '"' {
				if wantMap {
					off = append(off, i)
				}
				b.WriteByte('"')
				i += 2
				continue
			}
			inQuotes = false // the closing quote
			i++
			continue
		}
		if wantMap {
			off = append(off, i)
		}
		b.WriteByte(c)
		i++
	}
	if wantMap {
		end := len(raw)
		if wellFormed {
			end = len(raw) - 1 // the value ends before the closing quote
		}
		off = append(off, end)
	}
	return b.String(), off
}

// needsQuotes reports whether a value must be quoted to be read back as
// itself: it holds the delimiter, a quote or a line break.
func needsQuotes(v string, delim byte) bool {
	return strings.IndexByte(v, delim) >= 0 || strings.ContainsAny(v, "\"\r\n")
}

// quote writes v as a quoted field.
func quote(v string) string {
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

// candidates are the delimiters sniff tries, in order of preference.
var candidates = []byte{',', ';', '\t', '|'}

// sniffWindow is how much of a file sniff reads.
const sniffWindow = 64 << 10

// sniff chooses the delimiter of text: of the candidates that split its
// first records (up to 200) into two or more fields, the one under which
// the largest share of records has the same number of fields (the most
// consistent), then the most such records, then the most fields; ties go
// to prefer, then to the order of candidates. A text no candidate splits
// has one column, and prefer is its delimiter.
func sniff(text string, prefer byte) byte {
	sample := text
	truncated := false
	if len(sample) > sniffWindow {
		sample, truncated = sample[:sniffWindow], true
	}
	type score struct {
		records    int // records with text
		consistent int // records with the modal field count
		fields     int // the modal field count
	}
	// better: a larger share of consistent records, then more of them,
	// then more fields.
	better := func(a, b score) bool {
		if l, r := a.consistent*b.records, b.consistent*a.records; l != r {
			return l > r
		}
		if a.consistent != b.consistent {
			return a.consistent > b.consistent
		}
		return a.fields > b.fields
	}
	best, bestScore, found := prefer, score{}, false
	order := append([]byte{prefer}, candidates...)
	for _, d := range order {
		var perRecord []int // fields of each record with text
		row, cols, blank, stopped := 0, 0, true, false
		scan(sample, d, func(f field) bool {
			if f.row != row {
				if row > 0 && !blank {
					perRecord = append(perRecord, cols)
				}
				if f.row > 200 {
					stopped = true
					return false
				}
				row, cols, blank = f.row, 0, true
			}
			cols++
			if f.end > f.start {
				blank = false
			}
			return true
		})
		if !stopped && row > 0 && !blank && (!truncated || len(perRecord) == 0) {
			perRecord = append(perRecord, cols) // the last record, unless the window cut it
		}
		counts := map[int]int{}
		for _, c := range perRecord {
			counts[c]++
		}
		s := score{records: len(perRecord)}
		for c, k := range counts {
			if k > s.consistent || k == s.consistent && c > s.fields {
				s.consistent, s.fields = k, c
			}
		}
		if s.fields < 2 {
			continue
		}
		if !found || better(s, bestScore) {
			best, bestScore, found = d, s, true
		}
	}
	return best
}
