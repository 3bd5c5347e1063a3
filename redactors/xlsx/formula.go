package xlsx

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// literal is a string literal of a formula: Value is what it means, and
// [Start, End) the bytes between its quotes in the formula text (where
// a quote is written twice).
type literal struct {
	Start, End int
	Value      string
}

// sheetRef is a reference to a sheet in a formula ('Sheet name'!A1 or
// Sheet1!A1): [Start, End) covers the name with its quotes, not the '!'.
type sheetRef struct {
	Start, End int
	Name       string
}

// scanFormula finds the string literals and sheet references of a formula
// (the text of an f element, a defined name, a chart's c:f). It is a
// tokenizer of the parts that matter here, not a parser: text outside
// literals and references (functions, cell references, operators) is left
// to the independent reading.
func scanFormula(f string) (lits []literal, refs []sheetRef) {
	lits, refs, _ = scanFormulaNames(f)
	return lits, refs
}

// scanFormulaNames is scanFormula that also returns the names a formula
// uses: identifiers that are no sheet reference and no function call
// (defined names, table names before their "[Column]", cell references
// too, which no defined name equals).
func scanFormulaNames(f string) (lits []literal, refs []sheetRef, names []sheetRef) {
	return scanTokens(f, false)
}

// scanTokens is scanFormulaNames; with calls, the names of the functions
// a formula calls are names too (a LAMBDA kept as a defined name is
// called by its name: "Name(2)").
func scanTokens(f string, calls bool) (lits []literal, refs []sheetRef, names []sheetRef) {
	for i := 0; i < len(f); {
		switch c := f[i]; {
		case c == '"':
			v, k := unquote(f[i+1:], '"')
			j := i + 1 + k
			lits = append(lits, literal{i + 1, j, v})
			i = j + 1
		case c == '[':
			// a structured reference's column, or an external book's
			// number: not a name of this workbook
			j := strings.IndexByte(f[i:], ']')
			if j < 0 {
				return lits, refs, names
			}
			i += j + 1
		case c == '\'':
			v, k := unquote(f[i+1:], '\'')
			j := i + 1 + k
			if j+1 < len(f) && f[j+1] == '!' {
				refs = append(refs, sheetRef{i, j + 1, v})
			}
			i = j + 1
		case isNameByte(c):
			j := i
			for j < len(f) && isNameByte(f[j]) {
				j++
			}
			switch {
			case j < len(f) && f[j] == '!':
				refs = append(refs, sheetRef{i, j, f[i:j]})
			case j < len(f) && f[j] == '(':
				if calls {
					names = append(names, sheetRef{i, j, f[i:j]})
				}
			case i > 0 && (f[i-1] == '[' || f[i-1] == '@'):
			default:
				names = append(names, sheetRef{i, j, f[i:j]})
			}
			i = j
		default:
			i++
		}
	}
	return lits, refs, names
}

func isNameByte(c byte) bool {
	return c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// quoteLiteral writes s as the inside of a formula string literal.
func quoteLiteral(s string) string { return strings.ReplaceAll(s, `"`, `""`) }

// quoteSheet writes a sheet name as a formula writes it before '!'.
func quoteSheet(s string) string {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.') {
			return "'" + strings.ReplaceAll(s, "'", "''") + "'"
		}
	}
	if s == "" || unicode.IsDigit(rune(s[0])) {
		return "'" + s + "'"
	}
	return s
}

// rewriteFormula returns f with its literals replaced (newLits[i] for
// lits[i]; the same length) and the sheets of renames renamed.
func rewriteFormula(f string, lits []literal, newLits []string, refs []sheetRef, renames map[string]string, names []sheetRef, nameRenames map[string]string) string {
	type rep struct {
		a, b int
		s    string
	}
	var reps []rep
	for i, l := range lits {
		// a reference written as text (INDIRECT("Name!A1"),
		// HYPERLINK("#'Name'!A1")) is renamed too
		if v := renameInText(newLits[i], renames); v != l.Value {
			reps = append(reps, rep{l.Start, l.End, quoteLiteral(v)})
		}
	}
	for _, r := range refs {
		if n, ok := renameSheets(r.Name, renames); ok {
			reps = append(reps, rep{r.Start, r.End, quoteSheet(n)})
		}
	}
	for _, r := range names {
		if n, ok := nameRenames[strings.ToLower(r.Name)]; ok {
			reps = append(reps, rep{r.Start, r.End, n})
		} else if n, ok := renames[strings.ToLower(r.Name)]; ok && firstOf3D(f, r, refs) {
			reps = append(reps, rep{r.Start, r.End, quoteSheet(n)})
		}
	}
	if len(reps) == 0 {
		return f
	}
	// literals and references do not overlap; sort by start
	for i := 1; i < len(reps); i++ {
		for j := i; j > 0 && reps[j].a < reps[j-1].a; j-- {
			reps[j], reps[j-1] = reps[j-1], reps[j]
		}
	}
	var b strings.Builder
	last := 0
	for _, r := range reps {
		b.WriteString(f[last:r.a])
		b.WriteString(r.s)
		last = r.b
	}
	b.WriteString(f[last:])
	return b.String()
}

// renameInText returns text (a formula's string literal) with its
// references to renamed sheets ("Name!A1", "#'A name'!A1") renamed.
func renameInText(text string, renames map[string]string) string {
	if len(renames) == 0 || !strings.Contains(text, "!") {
		return text
	}
	_, refs, names := scanFormulaNames(text)
	type rep struct {
		a, b int
		s    string
	}
	var reps []rep
	for _, r := range refs {
		if r.Start > 0 && text[r.Start-1] == ']' {
			continue // another workbook's sheet
		}
		if n, ok := renameSheets(r.Name, renames); ok {
			reps = append(reps, rep{r.Start, r.End, quoteSheet(n)})
		}
	}
	for _, r := range names {
		if n, ok := renames[strings.ToLower(r.Name)]; ok && firstOf3D(text, r, refs) {
			reps = append(reps, rep{r.Start, r.End, quoteSheet(n)})
		}
	}
	if len(reps) == 0 {
		return text
	}
	sort.Slice(reps, func(i, j int) bool { return reps[i].a < reps[j].a })
	var b strings.Builder
	last := 0
	for _, r := range reps {
		if r.a < last {
			continue
		}
		b.WriteString(text[last:r.a])
		b.WriteString(r.s)
		last = r.b
	}
	b.WriteString(text[last:])
	return b.String()
}

// renameSheets returns the new name of a sheet reference: of a sheet, or
// of a range of sheets ("Jan:Mar", a 3-D reference, quoted), each end
// renamed; false when nothing changes.
func renameSheets(name string, renames map[string]string) (string, bool) {
	ends := strings.Split(name, ":")
	changed := false
	for i, e := range ends {
		if n, ok := renames[strings.ToLower(e)]; ok {
			ends[i], changed = n, true
		}
	}
	return strings.Join(ends, ":"), changed
}

// firstOf3D reports a name that is the first sheet of an unquoted 3-D
// reference ("Jan:Mar!A1"): a ':' after it, and a sheet reference right
// after that.
func firstOf3D(f string, r sheetRef, refs []sheetRef) bool {
	if r.End >= len(f) || f[r.End] != ':' {
		return false
	}
	for _, x := range refs {
		if x.Start == r.End+1 {
			return true
		}
	}
	return false
}

// Dates. A workbook stores a date as a serial number of days, shown as a
// date by the number format of its cell.

var (
	epoch1900 = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
)

// serialDate turns a serial into the date it shows ("1984-03-12", or
// "1984-03-12 06:30" with a time of day); false for serials that are no
// date (negative, beyond 9999, not finite).
func serialDate(v string, date1904 bool) (string, bool) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 1 || f > 2958465 {
		return "", false
	}
	days := math.Floor(f)
	base := epoch1900
	if date1904 {
		base = epoch1904
	} else if days < 61 {
		base = base.AddDate(0, 0, 1) // Lotus' 29 February 1900 that never was
	}
	t := base.AddDate(0, 0, int(days))
	mins := int(math.Round((f - days) * 24 * 60))
	if mins > 0 && mins < 24*60 {
		t = t.Add(time.Duration(mins) * time.Minute)
		return t.Format("2006-01-02 15:04"), true
	}
	return t.Format("2006-01-02"), true
}

// dateSerial turns an ISO date back into a serial; false for anything else.
func dateSerial(s string, date1904 bool) (string, bool) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return "", false
	}
	base := epoch1900
	if date1904 {
		base = epoch1904
	}
	days := int(math.Round(t.Sub(base).Hours() / 24))
	if !date1904 && days < 61 {
		return "", false
	}
	if days < 1 {
		return "", false
	}
	return fmt.Sprint(days), true
}

// dateFormat reports whether a number format shows a date: the built-in
// date formats, or a format code with a day or year in it (outside quoted
// text, escapes and [colour]/[locale] sections).
func dateFormat(id int, code string) bool {
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return true
	case code == "":
		return false
	}
	var b strings.Builder
	for i := 0; i < len(code); i++ {
		switch c := code[i]; c {
		case '"':
			for i++; i < len(code) && code[i] != '"'; i++ {
			}
		case '[':
			for i++; i < len(code) && code[i] != ']'; i++ {
			}
		case '\\', '_', '*':
			i++
		default:
			b.WriteByte(c)
		}
	}
	s := strings.ToLower(b.String())
	return strings.ContainsAny(s, "dy") && !strings.Contains(s, "general")
}

// unquote reads s up to its first lone q, a doubled q standing for one
// (a formula's "string" and 'sheet name' quoting); it returns the text
// read and the index in s of the closing q, len(s) when none closes it.
func unquote(s string, q byte) (string, int) {
	var b strings.Builder
	k := 0
	for k < len(s) {
		if s[k] == q {
			if k+1 < len(s) && s[k+1] == q {
				b.WriteByte(q)
				k += 2
				continue
			}
			break
		}
		b.WriteByte(s[k])
		k++
	}
	return b.String(), k
}

// namesBook reports whether formula f names a workbook by its file name
// ("[Orsolya billing.xlsx]Data!A1", "'C:\Clients\[Orsolya.xlsx]Data'!A1")
// rather than by the number of its external link ("[1]Data!A1", what
// Excel and LibreOffice write): a bracket, outside string literals, that
// holds anything but digits and is followed by a sheet name and '!', or
// a quoted sheet reference with such a bracket. A structured reference
// ("Table1[Column]") is followed by no sheet name. Veil does not rename
// such names, which no detector need find (session "clipath", issue 13).
func namesBook(f string) bool {
	digits := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return s != ""
	}
	// bracketed reports a "[book]" in s, at its start or after a path,
	// holding anything but digits
	bracketed := func(s string) bool {
		a := strings.IndexByte(s, '[')
		b := strings.LastIndexByte(s, ']')
		return a >= 0 && b > a && !digits(s[a+1:b])
	}
	_, refs, _ := scanFormulaNames(f)
	for _, r := range refs {
		if f[r.Start] == '\'' && bracketed(r.Name) {
			return true
		}
	}
	for i := 0; i < len(f); {
		switch f[i] {
		case '"':
			_, k := unquote(f[i+1:], '"')
			i += k + 2
		case '\'':
			_, k := unquote(f[i+1:], '\'')
			i += k + 2
		case '[':
			j := strings.IndexByte(f[i:], ']')
			if j < 0 {
				return false
			}
			k := i + j + 1
			for k < len(f) && isNameByte(f[k]) {
				k++
			}
			if k > i+j+1 && k < len(f) && f[k] == '!' && !digits(f[i+1:i+j]) {
				return true
			}
			i += j + 1
		default:
			i++
		}
	}
	return false
}
