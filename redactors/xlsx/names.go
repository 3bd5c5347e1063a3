package xlsx

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ooxml"
)

// Sheet names, defined names and table names are chosen by whoever made
// the workbook, and no detector has context there: a sheet named after a
// client's surname or record number was written under every profile
// (session "sheetdoor", issue 13). They are replaced by construction: a
// name is kept only when it is made of the closed vocabulary of names.txt
// (the names spreadsheet programs give, Excel's built-in names, generic
// words of tab titles) and short numbers; any other becomes "Sheet<n>",
// "Name<n>" or "Table<n>" in every place that refers to it (Redact). The
// report notes the counts, never the names.

//go:embed names.txt
var namesTxt string

var nameWords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(namesTxt, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()

// keepName reports whether a user's name for a sheet, a defined name or
// a table is kept: each of its words (runs of letters, split where a
// lower-case letter meets a capital: "SalesData") is in the vocabulary,
// and each run of digits has at most four.
func keepName(name string) bool {
	rs := []rune(name)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsLetter(r):
			j := i + 1
			for j < len(rs) && unicode.IsLetter(rs[j]) && !(unicode.IsUpper(rs[j]) && unicode.IsLower(rs[j-1])) {
				j++
			}
			if !nameWords[strings.ToLower(string(rs[i:j]))] {
				return false
			}
			i = j
		case unicode.IsDigit(r):
			j := i + 1
			for j < len(rs) && unicode.IsDigit(rs[j]) {
				j++
			}
			if j-i > 4 {
				return false
			}
			i = j
		default:
			i++
		}
	}
	return true
}

// reservedName reports a defined name that Excel owns ("_xlnm.Print_Area",
// "_xlfn." future functions, "_FilterDatabase"): kept.
func reservedName(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "_xl") || n == "_filterdatabase"
}

// renames returns the new names of the sheets and of the defined and
// table names that change, by their old name in lower case, and the
// splices that write them where they are defined. A name changes when it
// is not of the vocabulary (d.forced) or an edit changes it; new names
// are numbered in the order of the parts, skipping names in use.
func (d *Document) renames(edits []redactors.Edit) (sheets, names map[string]string, out []splice) {
	sheets, names = map[string]string{}, map[string]string{}
	used := map[string]bool{}
	for _, sh := range d.sheets {
		used[strings.ToLower(sh.name)] = true
	}
	usedNames := map[string]bool{}
	for pi, inf := range d.info {
		if inf.kind != pSheetNames && inf.kind != pNames {
			continue
		}
		var texts []string
		if es := redactors.EditsOf(edits, pi); len(es) > 0 {
			texts = distribute(inf.segs, es)
		}
		for k, sg := range inf.segs {
			changed := texts != nil && texts[k] != sg.text
			if !changed && !d.forced[sg] {
				continue
			}
			old := strings.ToLower(sg.text)
			switch inf.kind {
			case pSheetNames:
				if _, ok := sheets[old]; ok {
					continue
				}
				n := len(sheets) + 1
				name := fmt.Sprintf("Sheet%d", n)
				for used[strings.ToLower(name)] {
					n++
					name = fmt.Sprintf("Sheet%d", n)
				}
				used[strings.ToLower(name)] = true
				sheets[old] = name
			case pNames:
				if _, ok := names[old]; ok {
					continue
				}
				base := sg.esc("")
				var name string
				for n := len(names) + 1; ; n++ {
					name = fmt.Sprintf("%s%d", base, n)
					if !d.names[strings.ToLower(name)] && !usedNames[strings.ToLower(name)] {
						break
					}
				}
				usedNames[strings.ToLower(name)] = true
				names[old] = name
			}
		}
	}
	// Every place of a renamed name: the sheet's entry in the workbook, a
	// defined name, a table's name and display name.
	for _, inf := range d.info {
		for _, sg := range inf.segs {
			switch inf.kind {
			case pSheetNames:
				if n, ok := sheets[strings.ToLower(sg.text)]; ok {
					out = append(out, splice{sg.raw, ooxml.EscapeAttr(n)})
				}
			case pNames:
				if n, ok := names[strings.ToLower(sg.text)]; ok {
					out = append(out, splice{sg.raw, n})
				}
			}
		}
	}
	return sheets, names, out
}

// withRenames returns the edits of a value left as text that names a
// sheet or a defined name, or holds references to them (a hyperlink's
// location, an extension's xm:f, the titles of parts of docProps/app.xml,
// a pivot cache's source name), with the renames added: a value that is
// a renamed name whole becomes the new name, and each reference to a
// renamed sheet or name in it is rewritten. An edit that meets a renamed
// span is dropped: the new name replaces what it covered.
func withRenames(text string, es []redactors.Edit, sheets, names map[string]string) []redactors.Edit {
	if len(sheets) == 0 && len(names) == 0 {
		return es
	}
	var reps []redactors.Edit
	t := strings.ToLower(strings.TrimSpace(text))
	n, ok := sheets[t]
	if !ok {
		n, ok = names[t]
	}
	switch {
	case ok:
		reps = []redactors.Edit{{Start: 0, End: len(text), Replacement: n}}
	case strings.Contains(text, "!") || len(names) > 0:
		// a reference to a sheet, or a defined name used bare (an x14
		// rule's "A1>Name", session "sidedoor13")
		_, refs, ns := scanFormulaNames(text)
		for _, r := range refs {
			if n, ok := renameSheets(r.Name, sheets); ok {
				reps = append(reps, redactors.Edit{Start: r.Start, End: r.End, Replacement: quoteSheet(n)})
			}
		}
		for _, r := range ns {
			if n, ok := names[strings.ToLower(r.Name)]; ok {
				reps = append(reps, redactors.Edit{Start: r.Start, End: r.End, Replacement: n})
			} else if n, ok := sheets[strings.ToLower(r.Name)]; ok && firstOf3D(text, r, refs) {
				reps = append(reps, redactors.Edit{Start: r.Start, End: r.End, Replacement: quoteSheet(n)})
			}
		}
	}
	if len(reps) == 0 {
		return es
	}
	return withReps(reps, es)
}

// withReps returns the renames reps with the edits es that meet none of
// them, in order.
func withReps(reps, es []redactors.Edit) []redactors.Edit {
	out := reps
	for _, e := range es {
		meets := false
		for _, r := range reps {
			meets = meets || e.Start < r.End && r.Start < e.End || e.Start == e.End && e.Start >= r.Start && e.Start <= r.End
		}
		if !meets {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// pivotSourceRenames returns the edits es of a pivot chart's source
// ("[Book1.xlsx]Pivot!PivotTable1", c:pivotSource/c:name) with the new
// names of its pivot table (names: a pivot table's name is renamed like
// a slicer's) and of its sheet (sheets), which win over the edits that
// meet them (session "side36": the chart would name a pivot table the
// workbook no longer has). The workbook's file name in brackets becomes
// "[Book1.xlsx]" (the extension kept) whatever it was.
//
// The pivot table's name can itself hold a '!' ("Pivot!Zorbel!billing"):
// the separator is the leftmost '!' after which the rest is, case-folded,
// the old name of a renamed pivot table (the longest such name; a '!'
// inside a quoted sheet name is never followed by a whole name), else the
// last '!' (session "clipath": splitting at the last '!' kept "Zorbel!").
func pivotSourceRenames(text string, es []redactors.Edit, sheets, names map[string]string) []redactors.Edit {
	bang := -1
	for i := 0; i < len(text); i++ {
		if text[i] != '!' {
			continue
		}
		if _, ok := names[strings.ToLower(text[i+1:])]; ok {
			bang = i
			break
		}
	}
	if bang < 0 {
		bang = strings.LastIndexByte(text, '!')
	}
	if bang < 0 {
		return es
	}
	var reps []redactors.Edit
	at := strings.LastIndexByte(text[:bang], ']') + 1
	if at > 0 && text[0] == '[' {
		// The workbook's own file name ("[Orsolya billing.xlsx]"), which
		// no detector need find: replaced by construction, keeping the
		// extension (session "clipath", issue 13).
		reps = append(reps, redactors.Edit{Start: 0, End: at, Replacement: "[Book1" + strings.TrimPrefix(neutralTarget(text[1:at-1]), "external") + "]"})
	}
	sheet := text[at:bang]
	if len(sheet) >= 2 && sheet[0] == '\'' && sheet[len(sheet)-1] == '\'' {
		sheet = strings.ReplaceAll(sheet[1:len(sheet)-1], "''", "'")
	}
	if n, ok := renameSheets(sheet, sheets); ok {
		reps = append(reps, redactors.Edit{Start: at, End: bang, Replacement: quoteSheet(n)})
	}
	if n, ok := names[strings.ToLower(text[bang+1:])]; ok {
		reps = append(reps, redactors.Edit{Start: bang + 1, End: len(text), Replacement: n})
	}
	if len(reps) == 0 {
		return es
	}
	return withReps(reps, es)
}

// checkRenamed refuses a rewritten formula that still refers to a sheet
// that was renamed (a reference Veil's reading of formulas does not
// rewrite): the file is quarantined rather than written with the name.
func checkRenamed(f string, sheets map[string]string) error {
	_, refs, names := scanFormulaNames(f)
	bad := func() error {
		return fmt.Errorf("xlsx: redact: a reference to a renamed sheet that cannot be rewritten safely: %w", redactors.ErrUninspectable)
	}
	for _, r := range refs {
		if _, ok := renameSheets(r.Name, sheets); ok {
			return bad()
		}
	}
	for _, r := range names {
		if _, ok := sheets[strings.ToLower(r.Name)]; ok && firstOf3D(f, r, refs) {
			return bad()
		}
	}
	return nil
}

// joinList writes the items of a data validation's list back as the list
// literal: a replacement's commas would split an item, so they become
// spaces.
func joinList(items []string) string {
	for i, it := range items {
		items[i] = strings.ReplaceAll(it, ",", " ")
	}
	return strings.Join(items, ",")
}

// leftRenamed reports whether the XML x still refers to a renamed sheet
// (old names in lower case): in any attribute value, text, comment or
// instruction, decoded, the old name as a whole word (no letter or digit
// either side) followed by '!' (after an optional closing quote), or by
// ':' and a '!' further on (the first sheet of a 3-D reference), or
// alone in quotes (a formula's literal), or an attribute's whole value
// (percent-decoded too). It is
// the backstop of every place Veil's reading does not rewrite (a
// reference inside a formula's string literal, a relationship's
// "#Sheet!A1" target): such a part is refused rather than written with
// the name. XML that holds an old name (or an escape, a percent) and
// does not decode counts as a reference.
//
// nameOlds are the renamed defined and table names: one counts alone in
// quotes (INDIRECT("Name")) or as an attribute's whole value.
func leftRenamed(x []byte, olds, nameOlds []string) bool {
	if len(olds) == 0 && len(nameOlds) == 0 {
		return false
	}
	// line breaks read as spaces, in the names as in the values
	olds, nameOlds = spaced(olds), spaced(nameOlds)
	// only a part that holds an old name (any case, a line break in an
	// attribute read as the space it becomes), an escape or a
	// percent-encoding is decoded (a sheet of numbers is read once)
	if bytes.IndexByte(x, '&') < 0 && bytes.IndexByte(x, '%') < 0 {
		lx, found := bytes.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == '\t' {
				return ' '
			}
			return unicode.ToLower(r)
		}, x), false
		for _, old := range append(append([]string(nil), olds...), nameOlds...) {
			found = found || bytes.Contains(lx, []byte(old))
		}
		if !found {
			return false
		}
	}
	if len(nameOlds) > 0 && formulaNameLeft(x, nameOlds) {
		return true
	}
	return anyXMLValue(x, func(s string, attr bool) bool {
		s = spaced([]string{s})[0] // as an attribute's value is read
		if attr {
			for _, old := range append(append([]string(nil), olds...), nameOlds...) {
				if strings.EqualFold(strings.TrimSpace(s), old) {
					return true
				}
			}
		}
		if ls := strings.ToLower(s); strings.Contains(ls, `"`) {
			for _, old := range nameOlds {
				if strings.Contains(ls, `"`+old+`"`) {
					return true
				}
			}
		}
		return refersTo(strings.ToLower(s), olds) || strings.Contains(s, "%") && refersTo(strings.ToLower(ooxml.PercentDecode(s)), olds)
	})
}

// formulaNameLeft reports whether a formula of the XML x uses a renamed
// defined or table name (nameOlds, lower case) as an identifier, or x
// does not decode. Every formula is read token by token (scanTokens, the
// names of the functions it calls included: a LAMBDA is called by its
// name), whatever its namespace and whether or not Veil rewrites it: the
// character data (CDATA too) of an element named as formulas are
// (formulaElems, an extension's xm:f, VML's x:Fmla* of legacy controls)
// and the formula attributes (formula, refersTo, fmla* of form
// controls). The rewrite renames the names of the formulas it reads;
// one it did not read (session "sidedoor13", issue 13: an x14 rule's
// xm:f without a sheet reference, a CDATA formula, a control's
// fmlaRange) is refused rather than written with the old name.
func formulaNameLeft(x []byte, nameOlds []string) bool {
	left := func(f string) bool {
		_, _, names := scanTokens(f, true)
		for _, n := range names {
			for _, old := range nameOlds {
				if strings.EqualFold(n.Name, old) {
					return true
				}
			}
		}
		return false
	}
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.Strict = true
	var stack []string
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return false
		}
		if err != nil {
			return true
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tk.Name.Local)
			for _, a := range tk.Attr {
				if formulaAttr(a.Name.Local) && left(a.Value) {
					return true
				}
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if n := len(stack); n > 0 && (formulaElems[stack[n-1]] || formulaAttr(stack[n-1])) && left(string(tk)) {
				return true
			}
		}
	}
}

// formulaAttr reports the local name of an attribute (or a VML element)
// that holds a formula.
func formulaAttr(local string) bool {
	l := strings.ToLower(local)
	return l == "formula" || l == "refersto" || strings.HasPrefix(l, "fmla")
}

// spaced returns names with line breaks and tabs as spaces.
func spaced(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' || r == '\t' {
				return ' '
			}
			return r
		}, n)
	}
	return out
}

// externalSheetLeft reports whether the XML x refers to a sheet of
// another workbook by a name outside the vocabulary (keepName): in any
// decoded value, a ']' (the end of "[1]" or of a book's path) followed
// by a sheet name and '!', quoted or not ("[1]Name!A1", "'[1]A name'!A1",
// "'C:\[Book.xlsx]Name'!A1"), each end of a 3-D range checked. XML that
// does not decode counts as such a reference.
func externalSheetLeft(x []byte) bool {
	if bytes.IndexByte(x, ']') < 0 && !bytes.Contains(x, []byte("&#")) && !bytes.Contains(x, []byte("%5D")) && !bytes.Contains(x, []byte("%5d")) {
		return false
	}
	return anyXMLValue(x, func(s string, _ bool) bool {
		return externalSheet(s) || strings.Contains(s, "%") && externalSheet(ooxml.PercentDecode(s))
	})
}

// externalSheet: externalSheetLeft's test of one decoded text.
func externalSheet(s string) bool {
	for i := strings.IndexByte(s, ']'); i >= 0; {
		rest := s[i+1:]
		name := ""
		j := 0
		for j < len(rest) && (isNameByte(rest[j]) || rest[j] == ':') {
			j++
		}
		switch {
		case j > 0 && j < len(rest) && rest[j] == '!':
			name = rest[:j]
		default:
			// inside a quoted reference: up to the closing quote, '!'
			v, k := unquote(rest, '\'')
			if k+1 < len(rest) && rest[k+1] == '!' && k > 0 {
				name = v
			}
		}
		if name != "" {
			for _, end := range strings.Split(name, ":") {
				if !keepName(end) {
					return true
				}
			}
		}
		n := strings.IndexByte(rest, ']')
		if n < 0 {
			break
		}
		i += 1 + n
	}
	return false
}

// anyXMLValue reports whether fn holds for any attribute value, text,
// comment, instruction or directive of the XML x, decoded, or x does not
// decode.
func anyXMLValue(x []byte, fn func(s string, attr bool) bool) bool {
	dec := xml.NewDecoder(bytes.NewReader(x))
	dec.Strict = true
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			return false
		}
		if err != nil {
			return true
		}
		var texts []string
		switch tk := tok.(type) {
		case xml.StartElement:
			for _, a := range tk.Attr {
				if fn(a.Value, true) {
					return true
				}
			}
		case xml.CharData:
			texts = append(texts, string(tk))
		case xml.Comment:
			texts = append(texts, string(tk))
		case xml.ProcInst:
			texts = append(texts, string(tk.Inst))
		case xml.Directive:
			texts = append(texts, string(tk))
		}
		for _, s := range texts {
			if fn(s, false) {
				return true
			}
		}
	}
}

// refersTo: leftRenamed's test of one decoded, lower-cased text.
func refersTo(s string, olds []string) bool {
	alnum := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for _, old := range olds {
		for from := 0; from < len(s); {
			i := strings.Index(s[from:], old)
			if i < 0 {
				break
			}
			i += from
			j := i + len(old)
			from = i + 1
			if r, _ := utf8.DecodeLastRuneInString(s[:i]); i > 0 && alnum(r) {
				continue
			}
			if r, _ := utf8.DecodeRuneInString(s[j:]); j < len(s) && alnum(r) {
				continue
			}
			if i > 0 && j < len(s) && (s[i-1] == '"' && s[j] == '"') {
				return true // a literal of the name alone: INDIRECT("'"&"Name"&"'!A1")
			}
			rest := strings.TrimPrefix(s[j:], "'")
			switch {
			case strings.HasPrefix(rest, "!"):
				return true
			case strings.HasPrefix(rest, ":"):
				if k := strings.IndexAny(rest, "!\"(),;&=+*/<>"); k >= 0 && rest[k] == '!' {
					return true
				}
			}
		}
	}
	return false
}
