// Package xlsx reads and redacts Excel workbooks (.xlsx, .xltx) in place.
//
// A workbook is a zip of XML parts. Parse walks every XML part with
// ooxml.Walk, which hands back every attribute value and character data
// that the closed vocabulary of structural values (redactors/ooxml) does
// not call structure; this package takes SpreadsheetML's own text with its
// meaning and leaves the rest as text where it is. Redact splices the
// replacements into the original bytes, so styles, formulas and parts
// Veil does not rewrite are kept byte for byte.
//
// Parts (Document.Parts):
//   - every cell of every worksheet, hidden or not, is a part with its
//     Cell (the sheet's number in the workbook, row, column) and, under a
//     header row (table.LooksLikeHeader), Field = the column's header:
//     shared strings and inline strings as their text, numbers as
//     written ("512447781"), numbers whose format shows a date as that
//     date ("1984-03-12"), the cached values of formulas as they are; a
//     value cell left without a header (a number, a date, a text with no
//     letter) takes as its Field the label the layout shows for it
//     (cueValues, cue.go);
//   - the string literals of every formula (cells, defined names, data
//     validation lists, conditional formats, table formulas, chart
//     references), one a line, in "<part>:formula <cell>";
//   - the items of a data validation's list written in its formula (one
//     quoted literal, "a,b,c"), a part of its own instead of that
//     formula's, comma-separated as the list writes them, in
//     "<part>:validation list N", with Field = the last label above the
//     list's first cell in its column (validationList);
//   - comments (one part each), threaded comments, the sheet names
//     ("xl/workbook.xml:sheet names"), defined names and table names
//     ("…:names");
//   - the values of pivot caches (shared items and records) with Field =
//     the cache field's name, and the cached values of charts (c:strCache,
//     c:numCache);
//   - every other value the vocabulary does not call structure (headers
//     and footers, external links' cached cells and sheet names, table
//     column names, pivot table names, document properties, anything an
//     unknown producer wrote) one a line in "<part>";
//   - the values that name a sheet or a defined name, or hold a reference
//     to one, outside the formulas read above (docProps/app.xml's titles
//     of parts, a hyperlink's location, an extension's xm:f, a pivot
//     cache's source name: isRef), one a line in "<part>:references",
//     rewritten when those are renamed.
//
// Redact: a shared string whose cells all change is rewritten; a cell
// that changes alone becomes an inline string; a number or date cell that
// changes becomes the replacement (a date stays a date when the
// replacement is a date, else the cell becomes an inline string); a
// formula's cached value that changes is removed (recomputed when the
// workbook is opened), and so is the cached value of a formula whose
// literals change. A sheet name that changes, or that is not made of the
// closed vocabulary of names.txt whatever the edits, becomes "Sheet<n>"
// everywhere it is referenced (formulas, charts, pivot sources, hyperlink
// locations, extensions' xm:f, docProps/app.xml); a defined name or table
// name likewise becomes "Name<n>" or "Table<n>" there and in every formula
// that uses it (names.go). A number or date of a pivot cache or chart
// cache that changes becomes a missing value. A value cell without a
// header takes the label its layout shows as Field, and a data
// validation's list is a part under its column's header (cue.go).
//
// What is done whatever the edits (noted in the report): comment authors
// and persons of threaded comments become "Author" (their user ids are
// emptied), the creator and last-modified-by properties are emptied, the
// minimum and maximum values pivot caches keep of their fields are
// removed, printer settings (they name the printer), XML comments and
// processing instructions are removed.
//
// What is refused: encrypted files (ErrEncrypted), Excel 97–2003 and
// binary workbooks, macros (.xlsm, vbaProject.bin), embedded objects,
// ActiveX controls, images (not inspected in workbooks yet) and parts of
// unknown type (ErrUninspectable), corrupt zips and XML (ErrCorrupt), zips
// over Limits (ErrTooLarge), DTDs and XML nested over 512 levels.
//
// IndependentText reads the output again with redactors/zipview and
// encoding/xml, sharing no code with the scanner.
package xlsx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ooxml"
	"github.com/veilhq/veil/redactors/table"
)

// Options configure the XLSX format.
type Options struct {
	// Limits bound decompression; zero fields take ooxml.DefaultLimits.
	Limits ooxml.Limits
}

// Format implements redactors.Format for workbooks.
type Format struct {
	opts  Options
	macro bool
}

var (
	_ redactors.Format          = Format{}
	_ redactors.ContextParser   = Format{}
	_ redactors.Document        = (*Document)(nil)
	_ redactors.Noter           = (*Document)(nil)
	_ redactors.ContextRedacter = (*Document)(nil)
)

// New returns the format for .xlsx and .xltx files.
func New(o Options) Format {
	o.Limits = o.Limits.OrDefault()
	return Format{opts: o}
}

// MacroEnabled returns the format for .xlsm, .xltm and .xlsb files: they
// are always refused (ErrUninspectable): Veil does not inspect VBA code or
// binary workbooks and will not copy them through.
func MacroEnabled() Format { return Format{macro: true} }

// Name implements redactors.Format.
func (f Format) Name() string {
	if f.macro {
		return "xlsm"
	}
	return "xlsx"
}

// Extensions implements redactors.Format.
func (f Format) Extensions() []string {
	if f.macro {
		return []string{".xlsm", ".xltm", ".xlsb"}
	}
	return []string{".xlsx", ".xltx"}
}

// Parse implements redactors.Format.
func (f Format) Parse(data []byte) (redactors.Document, error) {
	return f.ParseContext(context.Background(), data)
}

// ParseContext implements redactors.ContextParser.
func (f Format) ParseContext(ctx context.Context, data []byte) (doc redactors.Document, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, fmt.Errorf("xlsx: %w (recovered panic)", redactors.ErrInternal)
		}
	}()
	if f.macro {
		return nil, fmt.Errorf("xlsx: macro-enabled or binary workbook (.xlsm/.xltm/.xlsb): cannot be inspected: %w", redactors.ErrUninspectable)
	}
	if f.opts.Limits.MaxEntries == 0 {
		f.opts.Limits = f.opts.Limits.OrDefault()
	}
	d, err := parse(ctx, data, f.opts)
	if err != nil {
		return nil, err
	}
	return d, nil
}

type span struct{ entry, start, end int }

type splice struct {
	span
	repl string
}

// seg is a piece of a part's text that sits in one place of the XML.
type seg struct {
	raw        span // the raw value (attribute: inside its quotes); empty for values placed by their part
	text       string
	start, end int // in the part's text
	esc        func(string) string
	// alt, when set, makes the change instead of esc: for slots that
	// cannot hold any text (a number, a date).
	alt func(string) ([]splice, error)
	// ref: the value names a sheet or a defined name, or is a reference
	// (a hyperlink's location, an extension's xm:f, docProps/app.xml's
	// titles of parts): rewritten when they are renamed
	ref bool
	// slicer: the value is a slicer's or timeline's own name
	slicer bool
	// always: the name is renamed even when made of names.txt words,
	// unless it is already one Veil gives (pivot tables: pivotBase)
	always bool
	// pivotSource: the value is a pivot chart's source, which names a
	// pivot table (pivotSourceRenames)
	pivotSource bool
}

type partKind uint8

const (
	pSegs       partKind = iota // segments written back one by one
	pCell                       // a worksheet cell
	pFormula                    // the literals of a formula
	pSheetNames                 // sheet names: renamed on change
	pNames                      // defined and table names: refused on change
	pSanitised                  // replaced whatever the edits (d.fixed)
	pEntryNames                 // zip entry names: refused on change
	pList                       // the items of a data validation's list, comma-separated as the list writes them
)

type partInfo struct {
	kind    partKind
	segs    []*seg
	cell    *cell
	formula *formula
}

// cell is a worksheet cell with a value.
type cell struct {
	entry      int
	sheet      int // 1-based, workbook order
	row, col   int
	typ        string
	style      int
	tAttr      int // index of the t attribute span in tSpan, -1 if none
	tSpan      span
	tagEnd     int   // offset after the start tag
	v          *span // the v element, whole
	vText      string
	vRaw       span
	hasV       bool
	inline     []*seg // t runs of an inline string
	isSpan     span   // the is element, whole
	formula    *formula
	sst        int // shared string index, -1
	isDate     bool
	text       string
	part       int
	headerText string
}

// sstItem is a shared string.
type sstItem struct {
	entry         int
	inner         span // between <si> and </si>
	text          string
	refs          []*cell
	segs          []*seg
	hasPh         bool
	start, tagEnd int
}

// formula is the text of a formula in one place (char data, or an
// attribute for a pivot source).
type formula struct {
	raw   span
	text  string
	lits  []literal
	refs  []sheetRef
	names []sheetRef
	cell  *cell
	attr  bool
	part  int // the part of its literals, -1 if none
	where string
}

type sheet struct {
	name  string
	seg   *seg
	entry int // the worksheet's entry, -1 if unknown
	rid   string
}

type entry struct {
	f    *zip.File
	name string // lower case
	safe string
	xml  []byte
	kind entryKind
}

type entryKind uint8

const (
	eOther entryKind = iota
	eTypes
	eRels
	eWorkbook
	eSheet
	eSST
	eStyles
	eComments
	eThreaded
	ePersons
	eTable
	ePivotDef
	ePivotRecords
	eChart
	eCore
	eCustom
	eApp
)

// Document is a parsed workbook. It is not safe for concurrent use.
type Document struct {
	opts     Options
	entries  []*entry
	parts    []redactors.Part
	info     []*partInfo
	fixed    []splice
	drop     map[int]bool
	notes    []string
	sst      []*sstItem
	cells    []*cell
	formulas []*formula
	sheets   []*sheet
	date1904 bool
	// names are the defined names and table names, lower case
	names map[string]bool
	// slicerOnly are the names (lower case) that only slicers and
	// timelines bear
	slicerOnly map[string]bool
	// forced are the sheet, defined and table names renamed whatever
	// the edits: not of the closed vocabulary (names.go)
	forced map[*seg]bool
	// sheetAttrs hold a sheet name as a whole attribute value (a pivot
	// cache's worksheetSource): renamed with the sheet
	sheetAttrs []*formula
	// calcs are the formulas of calculated pivot fields and items;
	// pivotNames the names of pivot cache fields and their shared
	// items (text lower case): see calcConsistent
	calcs, pivotNames []pivotText
}

// pivotText is a value of a pivot cache or table, where it is and its
// text in lower case.
type pivotText struct {
	sp         span
	text, orig string // lower case, as written
	// field: a cache field's name; rewritable: a cache field's formula
	// (a calculated field), which calcConsistent may rewrite
	field, rewritable bool
}

// errGetPivot: a GETPIVOTDATA formula would no longer name the pivot
// fields, items or data fields it reads.
var errGetPivot = fmt.Errorf("xlsx: a GETPIVOTDATA formula names a pivot field, item or data field that would be redacted otherwise than in the formula: %w", redactors.ErrUninspectable)

// getPivotConsistent refuses the splices out and the new formula
// literals newLits when a GETPIVOTDATA formula's string literal that is
// a pivot field's, item's or data field's name (any case) would not read
// as that name's new text: the formula would name a field the pivot table
// no longer has (session "side36"). Detection usually finds the value in
// both, and propagation gives both one replacement; this makes it so by
// construction.
func (d *Document) getPivotConsistent(out []splice, newLits map[*formula][]string) error {
	if len(d.pivotNames) == 0 {
		return nil
	}
	var fs []*formula
	for _, f := range d.formulas {
		if len(f.lits) > 0 && strings.Contains(strings.ToUpper(f.text), "GETPIVOTDATA") {
			fs = append(fs, f)
		}
	}
	if len(fs) == 0 {
		return nil
	}
	byText := map[string][]pivotText{}
	for _, n := range d.pivotNames {
		byText[n.text] = append(byText[n.text], n)
	}
	spliced := map[span]string{}
	for _, s := range out {
		spliced[s.span] = s.repl
	}
	for _, f := range fs {
		for i, l := range f.lits {
			nl := l.Value
			if lits := newLits[f]; lits != nil {
				nl = lits[i]
			}
			for _, n := range byText[strings.ToLower(l.Value)] {
				if r, ok := spliced[n.sp]; ok {
					if r != escAttr(nl) {
						return errGetPivot
					}
					continue
				}
				for _, s := range out {
					if s.entry == n.sp.entry && s.start < n.sp.end && n.sp.start < s.end {
						return errGetPivot // a part of the name, or its element, changes
					}
				}
				if !strings.EqualFold(nl, n.orig) {
					return errGetPivot
				}
			}
		}
	}
	return nil
}

// errCalc: a calculated pivot field's or item's formula would no longer
// name the fields and items it computes with.
var errCalc = fmt.Errorf("xlsx: a calculated pivot field's or item's formula names a field or item that is redacted otherwise than a field renamed whole, or is redacted itself: %w", redactors.ErrUninspectable)

// calcConsistent returns the splices out with every calculated pivot
// field's formula kept consistent with the fields it names, or refuses
// them (session "side36": `formula="Quillanby*2"` had become
// "[REDACTED]*2", which names no field). A calculated field's formula
// (a cache field's) whose only changes are names of cache fields that
// are renamed whole is rewritten by construction (session "side37"): the
// formula is tokenised by the formula reader (scanTokens, and quoted
// names), each token naming a renamed field (any case) becomes the
// field's new name, quoted as a pivot formula quotes a name, and the
// splices inside the formula (detection finds the name there too) are
// replaced by the rewritten formula. Anything else refuses the workbook:
// a change of a calculated item's or member's formula or of a field, item
// or data field name such a formula holds, a field renamed in part, an
// edit of a formula outside its field names, a formula written with
// character references.
func (d *Document) calcConsistent(out []splice) ([]splice, error) {
	if len(d.calcs) == 0 || len(out) == 0 {
		return out, nil
	}
	less := func(a, b span) bool { return a.entry < b.entry || a.entry == b.entry && a.start < b.start }
	sorted := func(ts []pivotText) []pivotText {
		c := append([]pivotText(nil), ts...)
		sort.Slice(c, func(i, j int) bool { return less(c[i].sp, c[j].sp) })
		return c
	}
	calcs, names := sorted(d.calcs), sorted(d.pivotNames)
	overlaps := func(t, s span) bool {
		return t.entry == s.entry && (t.start < s.end && s.start < t.end || t.start == s.start || s.start == s.end && t.start <= s.start && s.start <= t.end)
	}
	// hit returns the texts of ts (sorted) that the splice s overlaps
	hit := func(ts []pivotText, s span, f func(pivotText) bool) bool {
		k := sort.Search(len(ts), func(i int) bool {
			t := ts[i].sp
			return t.entry > s.entry || t.entry == s.entry && t.end >= s.start
		})
		for ; k < len(ts) && ts[k].sp.entry == s.entry && ts[k].sp.start <= s.end; k++ {
			if overlaps(ts[k].sp, s) && f(ts[k]) {
				return true
			}
		}
		return false
	}
	// named: a formula uses the name n, read from its tokens (a quoted
	// name unquoted: "'Quil''lanby'" names Quil'lanby, session
	// "sidefix37"), or holds it anywhere in its text (the broader test
	// kept: either refuses more, never less)
	named := func(n pivotText) bool {
		for _, c := range calcs {
			if strings.Contains(c.text, n.text) {
				return true
			}
			for _, t := range pivotNameTokens(c.text) {
				if tokenName(c.text, t) == n.text {
					return true
				}
			}
		}
		return false
	}
	// the fields renamed whole: old name (lower case) -> new name
	renamed := map[string]string{}
	var kept []splice // the splices that are no calculated field's
	for _, s := range out {
		if hit(calcs, s.span, func(c pivotText) bool { return c.rewritable }) {
			continue // in a calculated field's formula: checked below
		}
		if hit(calcs, s.span, func(pivotText) bool { return true }) {
			return nil, errCalc
		}
		kept = append(kept, s)
		if !hit(names, s.span, named) {
			continue
		}
		var whole *pivotText
		for k := range names {
			if names[k].sp == s.span && names[k].field {
				whole = &names[k]
			}
		}
		if whole == nil || !plainAttr(*whole) {
			return nil, errCalc // an item, a data field, a part of a name
		}
		nn := html.UnescapeString(s.repl)
		if prev, ok := renamed[whole.text]; ok && prev != nn {
			return nil, errCalc
		}
		renamed[whole.text] = nn
	}
	// a field renamed to the name another field of its cache has (or
	// gets) would make the formula name two fields: refused
	finals := map[int]map[string]int{}
	for _, n := range names {
		if !n.field {
			continue
		}
		if finals[n.sp.entry] == nil {
			finals[n.sp.entry] = map[string]int{}
		}
		f := n.text
		if nn, ok := renamed[n.text]; ok {
			f = strings.ToLower(nn)
		}
		finals[n.sp.entry][f]++
	}
	for _, c := range calcs {
		for _, nn := range renamed {
			if finals[c.sp.entry][strings.ToLower(nn)] > 1 && strings.Contains(strings.ToLower(rewriteOnly(c.orig, renamed)), strings.ToLower(nn)) {
				return nil, errCalc
			}
		}
	}
	for _, c := range calcs {
		var in []splice
		for _, s := range out {
			if overlaps(c.sp, s.span) {
				in = append(in, s)
			}
		}
		f, g, changed, ok := rewriteCalc(c.orig, renamed)
		if !ok || len(in) > 0 && !c.rewritable {
			return nil, errCalc
		}
		if len(in) > 0 || changed {
			if !c.rewritable || !plainAttr(c) {
				return nil, errCalc
			}
			// the formula's own edit (a splice of the whole value) must
			// be the renames and nothing else: the formula with each
			// renamed field's name replaced where it stands (g)
			if len(in) > 1 || len(in) == 1 && (in[0].span != c.sp || html.UnescapeString(in[0].repl) != g) {
				return nil, errCalc
			}
			kept = append(kept, splice{c.sp, escAttr(f)})
		}
	}
	return kept, nil
}

// plainAttr reports whether t's value is written as its raw bytes, with
// no character reference (a reference is always longer than what it
// stands for, so equal lengths mean none), so that offsets in the value
// are offsets in the raw bytes.
func plainAttr(t pivotText) bool { return len(t.orig) == t.sp.end-t.sp.start }

// pivotNameTokens returns the spans of the names a pivot formula uses:
// identifiers (scanTokens' names) and quoted names ('Unit price').
func pivotNameTokens(f string) [][2]int {
	_, _, names := scanTokens(f, false)
	var out [][2]int
	for _, n := range names {
		out = append(out, [2]int{n.Start, n.End})
	}
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case '"':
			_, k := unquote(f[i+1:], '"')
			i += k + 1
		case '\'':
			_, k := unquote(f[i+1:], '\'')
			out = append(out, [2]int{i, i + 2 + k})
			i += k + 1
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	return out
}

// tokenName returns the name a token of f spells (a quoted one
// unquoted), lower case.
func tokenName(f string, t [2]int) string {
	s := f[t[0]:min(t[1], len(f))]
	if strings.HasPrefix(s, "'") {
		v, _ := unquote(s[1:], '\'')
		s = v
	}
	return strings.ToLower(s)
}

// rewriteCalc returns f with each name token naming a renamed field
// written as the new name, quoted as a pivot formula quotes a name
// (quotePivotName), and g, f with the new name put in place of the old
// as a text edit puts it (inside the quotes of a quoted name, as it is);
// changed says whether any name was renamed. ok is false when f cannot
// be read (a quote that does not close).
func rewriteCalc(f string, renamed map[string]string) (out, g string, changed, ok bool) {
	if strings.Count(f, "'")%2 != 0 || strings.Count(f, `"`)%2 != 0 {
		return f, f, false, false
	}
	var b, p strings.Builder
	last := 0
	for _, t := range pivotNameTokens(f) {
		if t[0] < last || t[1] > len(f) {
			continue
		}
		nn, ok := renamed[tokenName(f, t)]
		if !ok {
			continue
		}
		b.WriteString(f[last:t[0]])
		b.WriteString(quotePivotName(nn))
		p.WriteString(f[last:t[0]])
		if f[t[0]] == '\'' {
			p.WriteString("'" + nn + "'")
		} else {
			p.WriteString(nn)
		}
		last, changed = t[1], true
	}
	b.WriteString(f[last:])
	p.WriteString(f[last:])
	return b.String(), p.String(), changed, true
}

// rewriteOnly returns f as rewriteCalc writes it (f when it cannot).
func rewriteOnly(f string, renamed map[string]string) string {
	out, _, _, _ := rewriteCalc(f, renamed)
	return out
}

// quotePivotName writes a field's name as a pivot formula names it: bare
// when it is a name Excel reads bare, else in single quotes (” for ').
func quotePivotName(s string) string {
	bare := s != "" && !unicode.IsDigit(rune(s[0]))
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			bare = false
		}
	}
	if bare {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Parts implements redactors.Document.
func (d *Document) Parts() []redactors.Part { return d.parts }

// Notes implements redactors.Noter.
func (d *Document) Notes() []string { return append([]string(nil), d.notes...) }

type contentTypes struct {
	Defaults []struct {
		Extension   string `xml:"Extension,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Default"`
	Overrides []struct {
		PartName    string `xml:"PartName,attr"`
		ContentType string `xml:"ContentType,attr"`
	} `xml:"Override"`
}

type relsXML struct {
	Rels []struct {
		ID         string `xml:"Id,attr"`
		Type       string `xml:"Type,attr"`
		Target     string `xml:"Target,attr"`
		TargetMode string `xml:"TargetMode,attr"`
	} `xml:"Relationship"`
}

func unmarshal(x []byte, v any) error {
	if err := xml.NewDecoder(bytes.NewReader(x)).Decode(v); err != nil {
		return redactors.ErrCorrupt
	}
	return nil
}

func relType(t string) string { return t[strings.LastIndex(t, "/")+1:] }

// relSource is the part whose relationships a .rels entry holds.
func relSource(rels string) string {
	dir, file := path.Split(rels)
	src := path.Join(path.Dir(strings.TrimSuffix(dir, "/")), strings.TrimSuffix(file, ".rels"))
	if src == "." {
		return ""
	}
	return src
}

// relTarget resolves an internal target against its source part.
func relTarget(source, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.ToLower(strings.TrimPrefix(path.Clean(target), "/"))
	}
	return strings.ToLower(strings.TrimPrefix(path.Clean("/"+path.Dir(source)+"/"+target), "/"))
}

var safeNameRE = regexp.MustCompile(`^(\[Content_Types\]\.xml|(_rels|docProps|customXml|xl)(/[A-Za-z_]+)*/(_rels/)?[A-Za-z_]+\d*\.(xml|rels|vml|bin|xml\.rels|vml\.rels)|_rels/\.rels)$`)

// safeName is the entry's name when it has the shape of Office's own
// names, else its number: a part named after a client must not reach a
// report.
func safeName(name string, i int) string {
	if safeNameRE.MatchString(name) {
		return name
	}
	return fmt.Sprintf("zip entry %d", i)
}

const (
	ctMain     = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	ctTemplate = "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
)

func parse(ctx context.Context, data []byte, o Options) (*Document, error) {
	if err := ooxml.CheckContainer(data, "Excel 97–2003 .xls, not XLSX"); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	zr, err := ooxml.OpenZip(data, o.Limits)
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	d := &Document{opts: o, drop: map[int]bool{}}
	b := &ooxml.Budget{Lim: o.Limits}
	index := map[string]int{}
	for i, f := range zr.File {
		d.entries = append(d.entries, &entry{f: f, name: strings.ToLower(f.Name), safe: safeName(f.Name, i)})
		index[strings.ToLower(f.Name)] = i
	}
	read := func(i int) ([]byte, error) {
		e := d.entries[i]
		if e.xml == nil {
			var buf bytes.Buffer
			if err := b.Read(i, e.f, &buf); err != nil {
				return nil, fmt.Errorf("xlsx: %w", err)
			}
			e.xml = buf.Bytes()
			if e.xml == nil {
				e.xml = []byte{}
			}
		}
		return e.xml, nil
	}
	ti, ok := index["[content_types].xml"]
	if !ok {
		return nil, fmt.Errorf("xlsx: no [Content_Types].xml (not an Office document): %w", redactors.ErrCorrupt)
	}
	x, err := read(ti)
	if err != nil {
		return nil, err
	}
	var ct contentTypes
	if err := unmarshal(x, &ct); err != nil {
		return nil, fmt.Errorf("xlsx: [Content_Types].xml: %w", err)
	}
	defaults, overrides := map[string]string{}, map[string]string{}
	for _, t := range ct.Defaults {
		defaults[strings.ToLower(t.Extension)] = strings.ToLower(t.ContentType)
	}
	for _, t := range ct.Overrides {
		overrides[strings.ToLower(strings.TrimPrefix(t.PartName, "/"))] = strings.ToLower(t.ContentType)
	}
	typeOf := func(name string) string {
		if t, ok := overrides[name]; ok {
			return t
		}
		return defaults[strings.TrimPrefix(path.Ext(name), ".")]
	}
	// Relationships: the workbook, and what each part points to.
	rels := map[string]relsXML{} // source part → its relationships
	for i, e := range d.entries {
		if !strings.HasSuffix(e.name, ".rels") {
			continue
		}
		x, err := read(i)
		if err != nil {
			return nil, err
		}
		var r relsXML
		if err := unmarshal(x, &r); err != nil {
			return nil, fmt.Errorf("xlsx: %s: %w", e.safe, err)
		}
		rels[relSource(e.name)] = r
	}
	wb := -1
	for _, r := range rels[""].Rels {
		if relType(r.Type) == "officeDocument" && !strings.EqualFold(r.TargetMode, "External") {
			if i, ok := index[relTarget("", r.Target)]; ok {
				wb = i
			}
		}
	}
	if wb < 0 {
		return nil, fmt.Errorf("xlsx: no workbook part (not an Excel workbook): %w", redactors.ErrUnsupported)
	}
	switch t := typeOf(d.entries[wb].name); {
	case strings.Contains(t, "macroenabled"):
		return nil, fmt.Errorf("xlsx: macro-enabled workbook: %w", redactors.ErrUninspectable)
	case t != ctMain && t != ctTemplate:
		return nil, fmt.Errorf("xlsx: main part is not a workbook: %w", redactors.ErrUnsupported)
	}
	wbName := d.entries[wb].name
	sheetByRID := map[string]int{}
	for _, r := range rels[wbName].Rels {
		if i, ok := index[relTarget(wbName, r.Target)]; ok && relType(r.Type) == "worksheet" {
			sheetByRID[r.ID] = i
		}
	}
	// pivot records → their definition
	recordsOf := map[int]int{}
	printers := map[int]bool{}
	for src, r := range rels {
		for _, rel := range r.Rels {
			if strings.EqualFold(rel.TargetMode, "External") {
				continue
			}
			k, ok := index[relTarget(src, rel.Target)]
			if !ok {
				continue
			}
			switch relType(rel.Type) {
			case "pivotCacheRecords":
				if di, ok := index[src]; ok {
					recordsOf[k] = di
				}
			case "printerSettings":
				printers[k] = true
			}
		}
	}

	// Classify every entry.
	nPrinters := 0
	for i, e := range d.entries {
		t := typeOf(e.name)
		base := path.Base(e.name)
		switch {
		case strings.HasSuffix(e.name, "/"):
			continue
		case strings.Contains(t, "vbaproject") || strings.HasPrefix(base, "vbaproject"):
			return nil, fmt.Errorf("xlsx: macros (VBA project): %w", redactors.ErrUninspectable)
		case printers[i] || strings.Contains(t, "printersettings"):
			d.drop[i] = true
			nPrinters++
			if err := b.Read(i, e.f, nil); err != nil {
				return nil, fmt.Errorf("xlsx: %w", err)
			}
			continue
		case strings.HasSuffix(e.name, ".xml") || strings.HasSuffix(e.name, ".rels") || strings.HasSuffix(e.name, ".vml") ||
			strings.HasSuffix(t, "+xml") || t == "application/xml" || t == "text/xml" || strings.Contains(t, "vmldrawing"):
		case strings.HasPrefix(t, "image/"):
			return nil, fmt.Errorf("xlsx: %s: images in workbooks are not inspected yet: %w", e.safe, redactors.ErrUninspectable)
		default:
			return nil, fmt.Errorf("xlsx: %s: embedded object, control or part of unknown type: %w", e.safe, redactors.ErrUninspectable)
		}
		if _, err := read(i); err != nil {
			return nil, err
		}
		switch {
		case i == ti:
			e.kind = eTypes
		case strings.HasSuffix(e.name, ".rels"):
			e.kind = eRels
		case i == wb:
			e.kind = eWorkbook
		case strings.HasSuffix(t, "spreadsheetml.worksheet+xml"):
			e.kind = eSheet
		case strings.HasSuffix(t, "spreadsheetml.sharedstrings+xml"):
			e.kind = eSST
		case strings.HasSuffix(t, "spreadsheetml.styles+xml"):
			e.kind = eStyles
		case strings.HasSuffix(t, "spreadsheetml.comments+xml"):
			e.kind = eComments
		case strings.Contains(t, "threadedcomments"):
			e.kind = eThreaded
		case strings.HasSuffix(t, "person+xml"):
			e.kind = ePersons
		case strings.HasSuffix(t, "spreadsheetml.table+xml"):
			e.kind = eTable
		case strings.HasSuffix(t, "pivotcachedefinition+xml"):
			e.kind = ePivotDef
		case strings.HasSuffix(t, "pivotcacherecords+xml"):
			e.kind = ePivotRecords
		case strings.HasSuffix(t, "drawingml.chart+xml"):
			e.kind = eChart
		case strings.HasSuffix(t, "core-properties+xml"):
			e.kind = eCore
		case strings.HasSuffix(t, "custom-properties+xml"):
			e.kind = eCustom
		case strings.HasSuffix(t, "extended-properties+xml"):
			e.kind = eApp
		}
	}
	if nPrinters > 0 {
		d.notes = append(d.notes, "printer settings removed (they name the printer)")
	}

	// Scan: workbook, styles and shared strings first (cells need them),
	// pivot definitions before their records.
	s := &scanner{d: d, ctx: ctx, keptCodes: map[string]bool{}, vocab: ooxml.Standard(), fields: map[int][]string{}, recordsOf: recordsOf, sheetByRID: sheetByRID}
	rank := func(k entryKind) int {
		switch k {
		case eWorkbook:
			return 0
		case eStyles:
			return 1
		case eSST:
			return 2
		case ePivotDef:
			return 3
		}
		return 4
	}
	var order []int
	for i, e := range d.entries {
		if e.xml != nil && !d.drop[i] {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return rank(d.entries[order[a]].kind) < rank(d.entries[order[b]].kind) })
	sheetNo := map[int]int{}
	for _, i := range order {
		if d.entries[i].kind == eSheet {
			if _, ok := sheetNo[i]; !ok {
				sheetNo[i] = len(sheetNo) + 1
			}
		}
	}
	s.sheetNo = sheetNo
	for _, i := range order {
		if d.entries[i].kind == eSheet && len(s.workbookSheets) > 0 {
			break
		}
		if d.entries[i].kind == eWorkbook {
			if err := s.scan(i); err != nil {
				return nil, err
			}
			// number the sheets in workbook order
			for k, sh := range d.sheets {
				if sh.entry >= 0 {
					sheetNo[sh.entry] = k + 1
				}
			}
			s.workbookSheets = d.sheets
		}
	}
	for _, i := range order {
		if d.entries[i].kind == eWorkbook {
			continue
		}
		if err := s.scan(i); err != nil {
			return nil, err
		}
	}
	s.codeNames()
	// A sheet name of another workbook in a reference ("[1]Name!A1"),
	// chosen by that book's author, is not renamed: one outside the
	// vocabulary refuses the workbook.
	for i, e := range d.entries {
		if e.xml != nil && !d.drop[i] && externalSheetLeft(e.xml) {
			return nil, fmt.Errorf("xlsx: %s: a reference to a sheet of another workbook by a name its author chose, which Veil does not rename: %w", e.safe, redactors.ErrUninspectable)
		}
	}
	// Content-type overrides and relationships of dropped parts go too.
	if err := d.dropLinks(s, index); err != nil {
		return nil, err
	}
	if err := d.assemble(s); err != nil {
		return nil, err
	}
	d.names = map[string]bool{}
	d.forced = map[*seg]bool{}
	d.slicerOnly = map[string]bool{}
	defined := map[string]bool{}
	idents := map[string]bool{} // slicers', timelines' and pivot tables' own names
	nSheets, nNames := 0, 0
	for _, p := range s.parts {
		switch p.info.kind {
		case pNames:
			for _, sg := range p.info.segs {
				if sg.slicer {
					d.slicerOnly[strings.ToLower(sg.text)] = true
				} else {
					defined[strings.ToLower(sg.text)] = true
				}
				d.names[strings.ToLower(sg.text)] = true
				if sg.always && !ownPivotName(sg.text) || !sg.always && !keepName(sg.text) && !reservedName(sg.text) {
					d.forced[sg] = true
					if sg.slicer {
						idents[strings.ToLower(sg.text)] = true
					} else {
						nNames++
					}
				}
			}
		case pSheetNames:
			for _, sg := range p.info.segs {
				if !keepName(sg.text) {
					d.forced[sg] = true
					nSheets++
				}
			}
		}
	}
	for n := range defined {
		delete(d.slicerOnly, n)
	}
	if nSheets > 0 {
		d.notes = append(d.notes, plural(nSheets, "sheet name")+" chosen by the workbook's author replaced by \"Sheet<n>\"")
	}
	if nNames > 0 {
		d.notes = append(d.notes, plural(nNames, "defined or table name")+" chosen by the workbook's author replaced by \"Name<n>\" or \"Table<n>\"")
	}
	if len(idents) > 0 {
		d.notes = append(d.notes, plural(len(idents), "slicer, timeline or pivot table name")+" chosen by the workbook's author replaced by \"Slicer<n>\", \"Timeline<n>\" or \"Pivot<n>\"")
	}
	d.note(s)
	return d, nil
}

// dropLinks removes the relationships and content-type overrides of
// dropped entries.
func (d *Document) dropLinks(s *scanner, index map[string]int) error {
	for _, l := range s.links {
		if k, ok := index[l.target]; ok && d.drop[k] {
			d.fixed = append(d.fixed, splice{l.elem, ""})
		}
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (d *Document) note(s *scanner) {
	if s.authors > 0 {
		d.notes = append(d.notes, plural(s.authors, "comment author")+" replaced by \"Author\"")
	}
	if s.props > 0 {
		d.notes = append(d.notes, "creator and last-modified-by properties emptied")
	}
	if s.minmax > 0 {
		d.notes = append(d.notes, plural(s.minmax, "minimum or maximum value")+" of pivot cache fields removed")
	}
	if s.extSheets > 0 {
		d.notes = append(d.notes, plural(s.extSheets, "sheet name")+" of other workbooks (external links) replaced by \"External sheet <n>\"")
	}
	if len(s.codes) > 0 {
		d.notes = append(d.notes, plural(len(s.codes), "code name")+" of the workbook or its sheets chosen by its author replaced by \"ThisWorkbook\" or \"Sheet<n>\"")
	}
	if s.paths > 0 {
		d.notes = append(d.notes, plural(s.paths, "external link path")+" replaced by a neutral file name (cached values kept)")
	}
	if s.absPath {
		d.notes = append(d.notes, "the folder the workbook was saved in (absPath) emptied")
	}
	if s.hiddenSheets > 0 {
		d.notes = append(d.notes, plural(s.hiddenSheets, "hidden sheet")+" read and redacted like the visible ones")
	}
	if s.markup > 0 {
		d.notes = append(d.notes, plural(s.markup, "XML comment or processing instruction")+" removed")
	}
}

// assemble builds the parts: cells (sheet by sheet, row by row), then the
// other parts in the order the scanner made them.
func (d *Document) assemble(s *scanner) error {
	// headers: the first row of each sheet, when it looks like one
	bySheet := map[int][]*cell{}
	for _, c := range d.cells {
		bySheet[c.sheet] = append(bySheet[c.sheet], c)
	}
	var sheetNos []int
	for k := range bySheet {
		sheetNos = append(sheetNos, k)
	}
	sort.Ints(sheetNos)
	labels := map[[2]int][]*cell{} // (sheet, column) → its label cells, by row
	for _, k := range sheetNos {
		cs := bySheet[k]
		sort.SliceStable(cs, func(a, b int) bool {
			if cs[a].row != cs[b].row {
				return cs[a].row < cs[b].row
			}
			return cs[a].col < cs[b].col
		})
		first := cs[0].row
		var head []string
		rows := map[int][]string{}
		for _, c := range cs {
			if c.row == first {
				for len(head) < c.col {
					head = append(head, "")
				}
				head[c.col-1] = c.text
				continue
			}
			r := rows[c.row]
			for len(r) < c.col {
				r = append(r, "")
			}
			r[c.col-1] = c.text
			rows[c.row] = r
		}
		var rest [][]string
		for _, r := range rows {
			rest = append(rest, r)
		}
		if table.LooksLikeHeader(head, rest) {
			for _, c := range cs {
				if c.row != first && c.col <= len(head) {
					c.headerText = strings.TrimSpace(head[c.col-1])
				}
			}
		}
		cueValues(cs)
		for _, c := range cs {
			if isLabelCell(c) {
				k := [2]int{c.sheet, c.col}
				labels[k] = append(labels[k], c)
			}
		}
		for _, c := range cs {
			c.part = len(d.parts)
			name := fmt.Sprintf("%s:%s", d.entries[c.entry].safe, cellName(c.row, c.col))
			d.parts = append(d.parts, redactors.Part{Name: name, Text: c.text, Field: c.headerText,
				Cell: redactors.Cell{Table: c.sheet, Row: c.row, Col: c.col}})
			var segs []*seg
			if c.inline != nil {
				segs = c.inline
			} else {
				segs = []*seg{{text: c.text}}
			}
			placeSegs(segs, "")
			d.info = append(d.info, &partInfo{kind: pCell, cell: c, segs: segs})
		}
	}
	for k, it := range d.sst {
		if len(it.refs) == 0 && strings.TrimSpace(it.text) != "" {
			s.parts = append(s.parts, pendingPart{name: fmt.Sprintf("%s:unused string %d", d.entries[it.entry].safe, k), info: &partInfo{kind: pSegs, segs: it.segs}})
		}
	}
	for _, p := range s.parts {
		if len(p.info.segs) == 0 {
			continue
		}
		text := placeSegs(p.info.segs, p.sep)
		if strings.TrimSpace(text) == "" {
			continue
		}
		if p.info.formula != nil {
			p.info.formula.part = len(d.parts)
		}
		if at := p.listAt; at != nil {
			// the last label above the list's first cell in its column
			ls := labels[[2]int{at.Table, at.Col}]
			i := sort.Search(len(ls), func(i int) bool { return ls[i].row >= at.Row })
			if i > 0 {
				p.field = strings.TrimSpace(ls[i-1].text)
			}
		}
		d.parts = append(d.parts, redactors.Part{Name: p.name, Text: text, Field: p.field})
		d.info = append(d.info, p.info)
	}
	// Entry names that are not Office's own are text too.
	var names []*seg
	for i, e := range d.entries {
		if e.safe != e.f.Name && !strings.HasSuffix(e.f.Name, "/") && !d.drop[i] {
			names = append(names, &seg{text: strings.ToValidUTF8(e.f.Name, "\uFFFD")})
		}
	}
	if len(names) > 0 {
		d.parts = append(d.parts, redactors.Part{Name: "zip entry names", Text: placeSegs(names, "\n")})
		d.info = append(d.info, &partInfo{kind: pEntryNames, segs: names})
	}
	if len(d.parts) == 0 {
		d.parts = append(d.parts, redactors.Part{Name: "xl/workbook.xml"})
		d.info = append(d.info, &partInfo{kind: pSegs})
	}
	return nil
}

// placeSegs lays segments out in a text, sep between them, and returns
// the text.
func placeSegs(segs []*seg, sep string) string {
	var b strings.Builder
	for i, sg := range segs {
		if i > 0 {
			b.WriteString(sep)
		}
		sg.start = b.Len()
		b.WriteString(sg.text)
		sg.end = b.Len()
	}
	return b.String()
}

func cellName(row, col int) string {
	var letters []byte
	for c := col; c > 0; c = (c - 1) / 26 {
		letters = append([]byte{byte('A' + (c-1)%26)}, letters...)
	}
	return string(letters) + strconv.Itoa(row)
}

// parseRef reads "AB12" into row and column.
func parseRef(r string) (row, col int, ok bool) {
	i := 0
	for i < len(r) && r[i] >= 'A' && r[i] <= 'Z' {
		col = col*26 + int(r[i]-'A'+1)
		i++
	}
	if i == 0 || i == len(r) || i > 3 {
		return 0, 0, false
	}
	row, err := strconv.Atoi(r[i:])
	if err != nil || row < 1 || col > 16384 {
		return 0, 0, false
	}
	return row, col, true
}

// distribute applies the edits of a part to its segments and returns each
// segment's new text. An edit across segments puts its replacement in the
// first; an edit that covers only separators puts it at the end of the
// segment before.
func distribute(segs []*seg, edits []redactors.Edit) []string {
	per := segEdits(segs, edits)
	out := make([]string, len(segs))
	for k, sg := range segs {
		out[k] = redactors.Splice(sg.text, per[k])
	}
	return out
}

// segEdits returns the edits of each segment, in its own offsets
// (distribute).
func segEdits(segs []*seg, edits []redactors.Edit) [][]redactors.Edit {
	return segEditsEach(segs, edits, false)
}

// segEditsEach is segEdits; with each, an edit across segments puts its
// replacement in every segment it covers (the items of a list, each
// edited alone: none is left empty).
func segEditsEach(segs []*seg, edits []redactors.Edit, each bool) [][]redactors.Edit {
	per := make([][]redactors.Edit, len(segs))
	for _, e := range edits {
		placed := false
		for k, sg := range segs {
			if sg.end < e.Start || sg.start > e.End || (sg.end == e.Start && e.End > e.Start) || (sg.start == e.End && e.End > e.Start) {
				continue
			}
			a, b := max(e.Start, sg.start)-sg.start, min(e.End, sg.end)-sg.start
			r := ""
			if !placed || each {
				r, placed = e.Replacement, true
			}
			per[k] = append(per[k], redactors.Edit{Start: a, End: b, Replacement: r})
			if e.Start == e.End {
				break
			}
		}
		if !placed && e.Replacement != "" {
			for k := len(segs) - 1; k >= 0; k-- {
				if segs[k].end <= e.Start {
					n := len(segs[k].text)
					per[k] = append(per[k], redactors.Edit{Start: n, End: n, Replacement: e.Replacement})
					break
				}
			}
		}
	}
	return per
}

// Redact implements redactors.Document.
func (d *Document) Redact(w io.Writer, edits []redactors.Edit) error {
	return d.RedactContext(context.Background(), w, edits)
}

// RedactContext implements redactors.ContextRedacter.
func (d *Document) RedactContext(ctx context.Context, w io.Writer, edits []redactors.Edit) error {
	if err := redactors.CheckEdits(d.parts, edits); err != nil {
		return fmt.Errorf("xlsx: redact: %w", err)
	}
	out := append([]splice(nil), d.fixed...)
	renames, nameRenames, sp := d.renames(edits)
	out = append(out, sp...)
	newLits := map[*formula][]string{}
	finals := map[*cell]string{}
	edited := map[*seg][]redactors.Edit{} // segments of pSegs parts with their edits
	for pi, inf := range d.info {
		if err := ctx.Err(); err != nil {
			return err
		}
		es := redactors.EditsOf(edits, pi)
		if len(es) == 0 {
			continue
		}
		texts := distribute(inf.segs, es)
		switch inf.kind {
		case pCell:
			final := redactors.Splice(d.parts[pi].Text, es)
			if final != d.parts[pi].Text {
				finals[inf.cell] = final
			}
			if inf.cell.inline != nil {
				for k, sg := range inf.segs {
					if texts[k] != sg.text {
						out = append(out, splice{sg.raw, sg.esc(texts[k])})
					}
				}
				delete(finals, inf.cell)
			}
		case pFormula:
			newLits[inf.formula] = texts
		case pList:
			// each item edited alone: an edit across items ("a name,
			// another" found as one) is made in each, none left empty
			per := segEditsEach(inf.segs, es, true)
			items := make([]string, len(inf.segs))
			for k, sg := range inf.segs {
				items[k] = redactors.Splice(sg.text, per[k])
			}
			newLits[inf.formula] = []string{joinList(items)}
		case pEntryNames:
			return fmt.Errorf("xlsx: redact: a zip entry's name would need a change, which cannot be made safely: %w", redactors.ErrUninspectable)
		case pSanitised, pSheetNames, pNames:
			// written by d.fixed whatever the edits; renamed (d.renames)
		default:
			per := segEdits(inf.segs, es)
			for k, sg := range inf.segs {
				if texts[k] == sg.text {
					continue
				}
				if sg.alt != nil {
					sp, err := sg.alt(texts[k])
					if err != nil {
						return err
					}
					out = append(out, sp...)
					continue
				}
				edited[sg] = per[k]
			}
		}
	}
	// Values left as text where they are: their edits, and a reference
	// to a renamed sheet or name in them (a hyperlink's location, the
	// sheet and range names of docProps/app.xml, an extension's xm:f).
	for _, inf := range d.info {
		if inf.kind != pSegs {
			continue
		}
		for _, sg := range inf.segs {
			es, ok := edited[sg]
			if !ok && !sg.ref && !sg.pivotSource {
				continue
			}
			if sg.ref {
				es = withRenames(sg.text, es, renames, nameRenames)
			}
			if sg.pivotSource {
				es = pivotSourceRenames(sg.text, es, renames, nameRenames)
			}
			if text := redactors.Splice(sg.text, es); text != sg.text {
				out = append(out, splice{sg.raw, sg.esc(text)})
			}
		}
	}
	// Formulas: literals, sheet and name renames, in one rewrite each.
	litChanged := map[*cell]bool{}
	for _, f := range d.formulas {
		lits := newLits[f]
		if lits == nil {
			lits = make([]string, len(f.lits))
			for i, l := range f.lits {
				lits[i] = l.Value
			}
		}
		nf := rewriteFormula(f.text, f.lits, lits, f.refs, renames, f.names, nameRenames)
		if nf == f.text {
			continue
		}
		if err := checkRenamed(nf, renames); err != nil {
			return err
		}
		out = append(out, splice{f.raw, ooxml.EscapeText(nf)})
		if f.cell != nil && newLits[f] != nil {
			litChanged[f.cell] = true
		}
	}
	for _, f := range d.sheetAttrs {
		if n, ok := renames[strings.ToLower(f.text)]; ok {
			out = append(out, splice{f.raw, ooxml.EscapeAttr(n)})
		}
	}
	// Shared strings: rewritten when their cells agree, else the cells
	// that differ become inline strings.
	for _, it := range d.sst {
		var first *string
		for _, c := range it.refs {
			if f, ok := finals[c]; ok {
				first = &f
				break
			}
		}
		if first == nil {
			continue
		}
		for _, c := range it.refs {
			f, ok := finals[c]
			if !ok {
				f = it.text
			}
			if f != *first {
				sp, err := d.inlineCell(c, f)
				if err != nil {
					return err
				}
				out = append(out, sp...)
			}
			delete(finals, c)
		}
		out = append(out, splice{it.inner, `<t xml:space="preserve">` + ooxml.EscapeText(*first) + `</t>`})
	}
	// The unused shared strings' own parts were written by their segs.
	cells := make([]*cell, 0, len(finals))
	for c := range finals {
		cells = append(cells, c)
	}
	sort.Slice(cells, func(a, b int) bool { return cells[a].part < cells[b].part })
	for _, c := range cells {
		sp, err := d.valueCell(c, finals[c])
		if err != nil {
			return err
		}
		out = append(out, sp...)
	}
	for c := range litChanged {
		if _, done := finals[c]; !done && c.v != nil {
			out = append(out, splice{*c.v, ""}) // recomputed on opening
		}
	}
	olds := make([]string, 0, len(renames))
	for old := range renames {
		olds = append(olds, old)
	}
	sort.Strings(olds)
	nameOlds := make([]string, 0, len(nameRenames))
	for old := range nameRenames {
		// a slicer's own name is no defined name: nothing refers to
		// it but the places renamed (the slicer, its drawing frame),
		// and the field it filters usually bears it as text
		if !d.slicerOnly[old] {
			nameOlds = append(nameOlds, old)
		}
	}
	sort.Strings(nameOlds)
	out, err := d.calcConsistent(out)
	if err != nil {
		return err
	}
	if err := d.getPivotConsistent(out, newLits); err != nil {
		return err
	}
	return d.write(w, out, olds, nameOlds)
}

// inlineCell turns a cell into an inline string holding text.
func (d *Document) inlineCell(c *cell, text string) ([]splice, error) {
	if c.v == nil {
		return nil, fmt.Errorf("xlsx: redact: a cell without a value: %w", redactors.ErrInternal)
	}
	if c.formula != nil {
		return []splice{{*c.v, ""}}, nil // a formula's cached value: recomputed
	}
	is := `<is><t xml:space="preserve">` + ooxml.EscapeText(text) + `</t></is>`
	out := []splice{{*c.v, is}}
	if c.tAttr >= 0 {
		out = append(out, splice{c.tSpan, "inlineStr"})
	} else {
		out = append(out, splice{span{c.entry, c.tagEnd - 1, c.tagEnd - 1}, ` t="inlineStr"`})
	}
	return out, nil
}

// valueCell writes the new text of a cell whose value is in its v element.
func (d *Document) valueCell(c *cell, text string) ([]splice, error) {
	if c.v == nil {
		return nil, fmt.Errorf("xlsx: redact: a cell without a value: %w", redactors.ErrInternal)
	}
	if c.formula != nil {
		return []splice{{*c.v, ""}}, nil
	}
	switch {
	case c.isDate:
		if s, ok := dateSerial(text, d.date1904); ok {
			return []splice{{c.vRaw, s}}, nil
		}
	case c.typ == "" || c.typ == "n":
		if _, err := strconv.ParseFloat(strings.TrimSpace(text), 64); err == nil && !strings.ContainsAny(text, "eEnN") {
			return []splice{{c.vRaw, strings.TrimSpace(text)}}, nil
		}
	}
	return d.inlineCell(c, text)
}

// write applies the splices and writes the zip, copying unchanged
// entries without recompressing them. All entries written, the
// entries copied unchanged too, are refused when they still refer to a
// renamed sheet or defined name (olds, nameOlds, leftRenamed).
func (d *Document) write(w io.Writer, all []splice, olds, nameOlds []string) error {
	byEntry := map[int][]splice{}
	for _, s := range all {
		byEntry[s.entry] = append(byEntry[s.entry], s)
	}
	zw := zip.NewWriter(w)
	for i, e := range d.entries {
		if d.drop[i] {
			continue
		}
		sp := byEntry[i]
		if len(sp) == 0 {
			if leftRenamed(e.xml, olds, nameOlds) {
				return fmt.Errorf("xlsx: %s: a reference to a renamed sheet or name that Veil does not rewrite: %w", e.safe, redactors.ErrUninspectable)
			}
			if err := ooxml.CopyEntry(zw, e.f); err != nil {
				return fmt.Errorf("xlsx: write %s: %w", e.safe, err)
			}
			continue
		}
		x, err := applySplices(e.xml, sp)
		if err != nil {
			return fmt.Errorf("xlsx: %s: %w", e.safe, err)
		}
		if leftRenamed(x, olds, nameOlds) {
			return fmt.Errorf("xlsx: %s: a reference to a renamed sheet or name that Veil does not rewrite: %w", e.safe, redactors.ErrUninspectable)
		}
		if err := ooxml.WriteEntry(zw, e.f, x); err != nil {
			return fmt.Errorf("xlsx: write %s: %w", e.safe, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}

// applySplices replaces spans of x. A splice inside a larger one (a value
// inside an element removed whole) is the larger one's; other overlaps
// are a bug.
func applySplices(x []byte, sp []splice) ([]byte, error) {
	sort.SliceStable(sp, func(a, b int) bool {
		if sp[a].start != sp[b].start {
			return sp[a].start < sp[b].start
		}
		return sp[a].end > sp[b].end
	})
	var out bytes.Buffer
	out.Grow(len(x))
	last, lastStart := 0, -1
	for _, s := range sp {
		if s.start < last {
			if s.end <= last && s.start >= lastStart {
				continue // inside the previous change
			}
			return nil, fmt.Errorf("overlapping changes at byte %d: %w", s.start, redactors.ErrInternal)
		}
		if s.end > len(x) || s.start > s.end {
			return nil, fmt.Errorf("change outside the part at byte %d: %w", s.start, redactors.ErrInternal)
		}
		out.Write(x[last:s.start])
		out.WriteString(s.repl)
		last, lastStart = s.end, s.start
	}
	out.Write(x[last:])
	return out.Bytes(), nil
}
