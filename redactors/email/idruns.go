package email

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// An attachment's file name is chosen by whoever saved it, and is read by
// no detector with context: "note_48213907.txt" holds a record number
// with no label (session "sheetdoor", issue 13). Whatever the edits and
// the profile, every run of digits of an identifier's shape in the name
// of an attachment (Content-Type name, Content-Disposition filename, in
// any of their encodings) is replaced by "ID", the extension kept: six
// digits or more, alone or in groups joined by separators (any
// characters that are neither letters nor digits, one or several):
// "48213907", "617-555-0143", "2026.03.02", "ref_123_45_6789",
// "scan_4821_3907", "482 - 139 - 22". Shorter runs ("scan_0017", "2026",
// "v2") are sequence numbers, versions and years, kept. Groups are joined
// whatever the separator (safety review F4: an SSN or record number split
// by '_' or spaces was kept), so a sequence number beside a year
// ("0017 2026") or a date goes too: fail safe.

// minIDDigits is the number of digits from which a run in a file name
// has the shape of an identifier.
const minIDDigits = 6

// neutralIDs returns name with its identifier-shaped digit runs replaced
// by "ID", outside its extension, and how many were replaced.
func neutralIDs(name string) (string, int) {
	ext := path.Ext(name) // as written: extOf lower-cases it
	if len(ext) > 8 || strings.ContainsAny(ext, " _-") || !strings.ContainsFunc(ext, unicode.IsLetter) {
		ext = "" // not an extension: "a.482139"
	}
	stem := name[:len(name)-len(ext)]
	var b strings.Builder
	n, last := 0, 0
	// the runes of stem with their byte offsets (invalid bytes as one)
	type rb struct {
		r    rune
		a, b int
	}
	var rs []rb
	for i := 0; i < len(stem); {
		r, w := utf8.DecodeRuneInString(stem[i:])
		rs = append(rs, rb{r, i, i + w})
		i += w
	}
	for i := 0; i < len(rs); {
		if !unicode.IsDigit(rs[i].r) {
			i++
			continue
		}
		j, digits, end := i, 0, i
		for j < len(rs) {
			if unicode.IsDigit(rs[j].r) {
				digits++
				j++
				end = j
				continue
			}
			k := j
			for k < len(rs) && isIDSep(rs[k].r) {
				k++
			}
			if k > j && k < len(rs) && unicode.IsDigit(rs[k].r) {
				j = k
				continue
			}
			break
		}
		if digits >= minIDDigits {
			b.WriteString(stem[last:rs[i].a])
			b.WriteString("ID")
			last = rs[end-1].b
			n++
		}
		i = end
	}
	if n == 0 {
		return name, 0
	}
	b.WriteString(stem[last:])
	return b.String() + ext, n
}

// isIDSep reports whether r may stand between the digit groups of one
// identifier: any character that is neither a letter nor a digit (space,
// dash, '.', '_', '/', ',', '+', ':', '#', '·', an invalid byte…; safety
// review 2, finding 2: groups split by ',' or ':' were kept). The
// extension's dot is not in the stem this is asked about.
func isIDSep(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}
