package xlsx

import (
	"context"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/ooxml"
)

// slicerNames are the attributes that name slicers, timelines and their
// caches, by element (namespace and local name): each attribute, the
// base of its new name, and whether it names a slicer or timeline itself
// (not a cache: no defined name and no formula refers to one).
var slicerNames = func() map[string][]identAttr {
	const x14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
	const x15 = "http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"
	return map[string][]identAttr{
		x14 + " slicer": {{"name", "Slicer", true}, {"cache", "Name", false}},
		// a pivot table's name, and the places that name the pivot
		// table a slicer or timeline filters (session "side36"): no
		// formula names a pivot table (GETPIVOTDATA takes a cell)
		nsMain + " pivotTableDefinition":  {{"name", pivotBase, true}},
		nsMainS + " pivotTableDefinition": {{"name", pivotBase, true}},
		x14 + " pivotTable":               {{"name", pivotBase, true}},
		x15 + " pivotTable":               {{"name", pivotBase, true}},
		x14 + " slicerCacheDefinition":    {{"name", "Name", false}},
		x15 + " timeline":                 {{"name", "Timeline", true}, {"cache", "Name", false}},
		x15 + " timelineCacheDefinition":  {{"name", "Name", false}},
		"http://schemas.microsoft.com/office/drawing/2010/slicer slicer":         {{"name", "Slicer", true}},
		"http://schemas.microsoft.com/office/drawing/2012/timeslicer timeslicer": {{"name", "Timeline", true}},
	}
}()

// pivotBase is the base of a pivot table's new name ("Pivot<n>"). Every
// pivot table is renamed, Excel's own "PivotTable1" too: maximum recall
// reads an unknown CamelCase word such as "PivotTable" as a name, so the
// default would fail verify under the research profile, and no formula
// names a pivot table, so renaming one changes nothing a reader computes.
const pivotBase = "Pivot"

// ownPivotName reports whether name is one Veil gives a pivot table
// ("Pivot" and up to four digits), left as it is so that a second run
// changes nothing.
func ownPivotName(name string) bool {
	n, ok := strings.CutPrefix(name, pivotBase)
	if !ok || n == "" || len(n) > 4 {
		return false
	}
	for _, c := range []byte(n) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

type identAttr struct {
	attr, base string
	slicer     bool
}

// Namespaces of the parts this package reads with their meaning.
const (
	nsMain     = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsMainS    = "http://purl.oclc.org/ooxml/spreadsheetml/main"
	nsRel      = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRelS     = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	nsChart    = "http://schemas.openxmlformats.org/drawingml/2006/chart"
	nsChartS   = "http://purl.oclc.org/ooxml/drawingml/chart"
	nsThreaded = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
	nsCore     = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
	nsDC       = "http://purl.org/dc/elements/1.1/"
	nsPkgRel   = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsTypes    = "http://schemas.openxmlformats.org/package/2006/content-types"
	nsVT       = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
	nsApp      = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
	nsXdr      = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
)

func isMain(n string) bool  { return n == nsMain || n == nsMainS }
func isChart(n string) bool { return n == nsChart || n == nsChartS }
func isRel(n string) bool   { return n == nsRel || n == nsRelS }

// headerFooter are the elements whose text uses &-codes.
var headerFooter = map[string]bool{"oddHeader": true, "oddFooter": true, "evenHeader": true, "evenFooter": true, "firstHeader": true, "firstFooter": true}

// formulaElems hold a formula as character data.
var formulaElems = map[string]bool{"f": true, "formula": true, "formula1": true, "formula2": true, "definedName": true,
	"calculatedColumnFormula": true, "totalsRowFormula": true}

type pendingPart struct {
	name, field, sep string
	info             *partInfo
	// listAt, for the list of a data validation, is the first cell it
	// applies to: the header of its column is the list's Field
	listAt *redactors.Cell
}

type link struct {
	elem   span
	target string
}

// scanner walks the XML entries of one workbook.
type scanner struct {
	d          *Document
	ctx        context.Context
	vocab      *ooxml.Vocabulary
	parts      []pendingPart
	links      []link
	sheetNo    map[int]int
	sheetByRID map[string]int
	recordsOf  map[int]int
	fields     map[int][]string // pivot definition entry → cache field names

	workbookSheets []*sheet
	styles         []int          // cellXfs: numFmtId
	numFmts        map[int]string // custom formats

	// per entry
	i      int
	e      *entry
	other  []*seg // values of the entry left as text where they are
	names  []*seg
	sheetS []*seg
	refs   []*seg // values that name or refer to sheets and names (isRef)
	// values replaced whatever the edits (authors, creator): shown, so
	// that detection and verify read them, written by d.fixed
	sanitised []*seg
	tokens    int

	cur       *cell
	si        *sstItem
	comment   []*seg
	commentAt string
	tc        []*seg
	field     string
	fieldIdx  int
	inRecord  bool
	recordDef int
	pending   map[*ooxml.Element]func(end ooxml.Span) // work to finish at an element's end
	// counters of the entry, for part names that stay the same when
	// values before them are removed
	seq                                map[string]int
	fieldNo, itemNo, recordNo, cacheNo int

	authors, props, minmax, hiddenSheets, markup int
	paths                                        int  // external link targets replaced
	absPath                                      bool // the saved-in folder emptied
	extSheets                                    int  // sheet names of external links replaced

	// code names of the workbook and its sheets: those kept (lower
	// case), and where those to replace lie (codeNames)
	keptCodes map[string]bool
	codes     []codeName
}

// codeName is a code name to replace: where its value lies, and whether
// it is the workbook's.
type codeName struct {
	raw      span
	workbook bool
}

// codeNames writes the new code names (an author's code name, like a sheet
// name, is replaced by construction; safety review 2, finding 3): the
// workbook's becomes "ThisWorkbook", a sheet's "Sheet<n>", numbered in the
// order of the parts, each unlike every code name kept, as VBA would have
// them unique. Nothing but a VBA project refers to a code name, and a
// workbook with one is refused (Parse), so no other place changes.
func (s *scanner) codeNames() {
	used := s.keptCodes
	n := 0
	for _, c := range s.codes {
		name := ""
		if c.workbook && !used["thisworkbook"] {
			name = "ThisWorkbook"
		}
		for name == "" || used[strings.ToLower(name)] {
			n++
			name = fmt.Sprintf("Sheet%d", n)
		}
		used[strings.ToLower(name)] = true
		s.d.fixed = append(s.d.fixed, splice{c.raw, name})
	}
}

func (s *scanner) scan(i int) error {
	s.i, s.e = i, s.d.entries[i]
	s.other, s.names, s.sheetS, s.sanitised, s.refs = nil, nil, nil, nil, nil
	s.pending = map[*ooxml.Element]func(ooxml.Span){}
	s.seq = map[string]int{}
	s.fieldNo, s.itemNo, s.recordNo, s.cacheNo = 0, 0, 0, 0
	s.recordDef = -1
	if di, ok := s.recordsOf[i]; ok {
		s.recordDef = di
	}
	if s.e.kind == eStyles {
		if err := s.readStyles(); err != nil {
			return err
		}
	}
	if err := ooxml.Walk(s.e.xml, s.vocab, s); err != nil {
		return fmt.Errorf("xlsx: %s: %w", s.e.safe, err)
	}
	if len(s.sheetS) > 0 {
		s.parts = append(s.parts, pendingPart{name: s.e.safe + ":sheet names", sep: "\n", info: &partInfo{kind: pSheetNames, segs: s.sheetS}})
	}
	if len(s.names) > 0 {
		s.parts = append(s.parts, pendingPart{name: s.e.safe + ":names", sep: "\n", info: &partInfo{kind: pNames, segs: s.names}})
	}
	if len(s.sanitised) > 0 {
		s.parts = append(s.parts, pendingPart{name: s.e.safe + ":authors", sep: "\n", info: &partInfo{kind: pSanitised, segs: s.sanitised}})
	}
	if len(s.other) > 0 {
		s.parts = append(s.parts, pendingPart{name: s.e.safe, sep: "\n", info: &partInfo{kind: pSegs, segs: s.other}})
	}
	if len(s.refs) > 0 {
		s.parts = append(s.parts, pendingPart{name: s.e.safe + ":references", sep: "\n", info: &partInfo{kind: pSegs, segs: s.refs}})
	}
	return nil
}

type stylesXML struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Xfs []struct {
		NumFmt int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

func (s *scanner) readStyles() error {
	var st stylesXML
	if err := unmarshal(s.e.xml, &st); err != nil {
		return fmt.Errorf("xlsx: %s: %w", s.e.safe, err)
	}
	s.numFmts = map[int]string{}
	for _, f := range st.NumFmts {
		s.numFmts[f.ID] = f.Code
	}
	for _, x := range st.Xfs {
		s.styles = append(s.styles, x.NumFmt)
	}
	return nil
}

func (s *scanner) isDateStyle(style int) bool {
	if style < 0 || style >= len(s.styles) {
		return false
	}
	id := s.styles[style]
	return dateFormat(id, s.numFmts[id])
}

func attr(e *ooxml.Element, local string) (int, string) {
	for i, a := range e.Attrs {
		if a.Name.Local == local && a.Name.Space == "" {
			return i, a.Value
		}
	}
	return -1, ""
}

// take marks attribute local of e as handled and returns its span and value.
func (s *scanner) take(e *ooxml.Element, local string) (int, string, span, bool) {
	i, v := attr(e, local)
	if i < 0 {
		return -1, "", span{}, false
	}
	e.Attrs[i].Taken = true
	sp, err := e.AttrSpan(i)
	if err != nil {
		return -1, "", span{}, false
	}
	return i, v, span{s.i, sp.Start, sp.End}, true
}

func escText(t string) string { return ooxml.EscapeText(t) }
func escAttr(t string) string { return ooxml.EscapeAttr(t) }

// Start implements ooxml.Visitor.
func (s *scanner) Start(e *ooxml.Element) error {
	if s.tokens++; s.tokens%4096 == 0 {
		if err := s.ctx.Err(); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	ns, local := e.Name.Space, e.Name.Local
	if local == "sheetName" && isMain(ns) && e.Parent != nil && e.Parent.Name.Local == "sheetNames" {
		// a sheet of another workbook (an external link's list): its
		// name, chosen by that book's author, is replaced by
		// construction like a local one; a formula that refers to it
		// by that name is refused (externalSheetLeft)
		if _, v := attr(e, "val"); !keepName(v) {
			if _, v, sp, ok := s.take(e, "val"); ok {
				s.extSheets++
				s.sanitise(sp, v, fmt.Sprintf("External sheet %d", s.extSheets))
			}
		}
	}
	if (local == "sheetPr" || local == "workbookPr") && isMain(ns) {
		// a code name (VBA's name of the workbook or of a sheet): chosen
		// by the author when not a program's default, renamed by
		// construction after every part is read (codeNames)
		if _, v := attr(e, "codeName"); v != "" {
			if keepName(v) {
				s.keptCodes[strings.ToLower(v)] = true
			} else if _, v, sp, ok := s.take(e, "codeName"); ok {
				s.codes = append(s.codes, codeName{raw: sp, workbook: local == "workbookPr"})
				s.sanitised = append(s.sanitised, &seg{raw: sp, text: v})
			}
		}
	}
	if local == "definedName" && isMain(ns) && e.Parent != nil && e.Parent.Parent != nil && e.Parent.Parent.Name.Local == "externalBook" {
		// a defined name of another workbook, and the sheets it refers
		// to: chosen by that book's author, not renamed
		_, name := attr(e, "name")
		_, to := attr(e, "refersTo")
		bad := !keepName(name) && !reservedName(name)
		_, refs := scanFormula(to)
		for _, r := range refs {
			for _, end := range strings.Split(r.Name, ":") {
				bad = bad || !keepName(end)
			}
		}
		if bad {
			return fmt.Errorf("xlsx: %s: a defined name of another workbook, or the sheet it refers to, named by its author, which Veil does not rename: %w", s.e.safe, redactors.ErrUninspectable)
		}
	}
	if ident, ok := slicerNames[ns+" "+local]; ok {
		// the name of a slicer or timeline, and of its cache (which is
		// also a defined name): identifiers an author chose, Excel's
		// default being the field's name ("Slicer_<header>"), renamed by
		// construction like a defined name, in every place that names
		// them (session "sidedoor13", issue 13)
		for _, a := range ident {
			if _, v, sp, ok := s.take(e, a.attr); ok && v != "" {
				s.names = append(s.names, &seg{raw: sp, text: v, esc: func(string) string { return a.base }, slicer: a.slicer, always: a.base == pivotBase})
			}
		}
	}
	if isMain(ns) && (local == "cacheField" || local == "calculatedItem" || local == "calculatedMember") {
		// a calculated field's or item's formula names pivot fields and
		// items: kept only while none it names changes (calcConsistent)
		if i, v := attr(e, "formula"); i >= 0 && v != "" {
			if sp, err := e.AttrSpan(i); err == nil {
				s.d.calcs = append(s.d.calcs, pivotText{sp: span{s.i, sp.Start, sp.End}, text: strings.ToLower(v), orig: v, rewritable: local == "cacheField"})
			}
		}
	}
	if isMain(ns) && local == "dataField" {
		// a data field's name ("Sum of …"), which GETPIVOTDATA names
		if i, v := attr(e, "name"); i >= 0 && v != "" {
			if sp, err := e.AttrSpan(i); err == nil {
				s.d.pivotNames = append(s.d.pivotNames, pivotText{sp: span{s.i, sp.Start, sp.End}, text: strings.ToLower(v), orig: v})
			}
		}
	}
	if s.e.kind == eWorkbook && local == "absPath" {
		// x15ac:absPath: the folder the workbook was saved in
		// (C:\Users\<login>\Clients\<name>\), kept unless a detector
		// found the name in it: emptied by construction (session
		// "clipath", issue 13)
		if _, v, sp, ok := s.take(e, "url"); ok && v != "" {
			s.sanitise(sp, v, "")
			s.absPath = true
		}
	}
	switch s.e.kind {
	case eWorkbook:
		if !isMain(ns) {
			break
		}
		switch local {
		case "workbookPr":
			if _, v := attr(e, "date1904"); v == "1" || v == "true" {
				s.d.date1904 = true
			}
		case "sheet":
			_, name, sp, ok := s.take(e, "name")
			if !ok {
				return fmt.Errorf("xlsx: a sheet without a name: %w", redactors.ErrCorrupt)
			}
			sg := &seg{raw: sp, text: name, esc: escAttr}
			s.sheetS = append(s.sheetS, sg)
			sh := &sheet{name: name, seg: sg, entry: -1}
			for _, a := range e.Attrs {
				if a.Name.Local == "id" && isRel(a.Name.Space) {
					if k, ok := s.sheetByRID[a.Value]; ok {
						sh.entry = k
					}
				}
			}
			if _, st := attr(e, "state"); st == "hidden" || st == "veryHidden" {
				s.hiddenSheets++
			}
			s.d.sheets = append(s.d.sheets, sh)
		case "definedName":
			if _, name, sp, ok := s.take(e, "name"); ok && !strings.HasPrefix(name, "_xlnm.") {
				s.names = append(s.names, &seg{raw: sp, text: name, esc: func(string) string { return "Name" }})
			}
		}
	case eSheet:
		if !isMain(ns) {
			break
		}
		switch local {
		case "c":
			c := &cell{entry: s.i, sheet: s.sheetNo[s.i], tAttr: -1, sst: -1, tagEnd: e.TagEnd}
			_, ref, _, _ := s.take(e, "r")
			r, col, ok := parseRef(ref)
			if !ok {
				return fmt.Errorf("xlsx: %s: a cell without a reference Veil reads: %w", s.e.safe, redactors.ErrUninspectable)
			}
			c.row, c.col = r, col
			if ti, t, sp, ok := s.take(e, "t"); ok {
				c.typ, c.tAttr, c.tSpan = t, ti, sp
			}
			if _, st, _, ok := s.take(e, "s"); ok {
				c.style, _ = strconv.Atoi(st)
			}
			if e.Empty {
				return nil
			}
			s.cur = c
		case "v":
			if s.cur != nil && e.Parent != nil && e.Parent.Name.Local == "c" {
				c := s.cur
				s.pending[e] = func(end ooxml.Span) { c.v = &span{s.i, e.Start, end.End} }
			}
		case "is":
			if s.cur != nil {
				c := s.cur
				c.inline = []*seg{}
				s.pending[e] = func(end ooxml.Span) { c.isSpan = span{s.i, e.Start, end.End} }
			}
		}
	case eSST:
		if isMain(ns) && local == "si" {
			s.si = &sstItem{entry: s.i, start: e.Start, tagEnd: e.TagEnd}
			si := s.si
			s.pending[e] = func(end ooxml.Span) {
				si.inner = span{s.i, e.TagEnd, end.Start}
				if e.Empty {
					si.inner = span{s.i, e.Start, e.TagEnd}
				}
			}
			if e.Empty {
				s.d.sst = append(s.d.sst, si)
				s.si = nil
			}
		}
	case eComments:
		if isMain(ns) && local == "comment" {
			_, s.commentAt, _, _ = s.take(e, "ref")
			s.comment = []*seg{}
		}
	case ePersons:
		if local == "person" && ns == nsThreaded {
			if _, v, sp, ok := s.take(e, "displayName"); ok {
				s.sanitise(sp, v, "Author")
				s.authors++
			}
			if _, v, sp, ok := s.take(e, "userId"); ok {
				s.sanitise(sp, v, "")
			}
		}
	case eThreaded:
		if local == "threadedComment" && ns == nsThreaded {
			s.tc = []*seg{}
		}
	case eTable:
		if isMain(ns) && local == "table" {
			for _, a := range []string{"name", "displayName"} {
				if _, v, sp, ok := s.take(e, a); ok {
					s.names = append(s.names, &seg{raw: sp, text: v, esc: func(string) string { return "Table" }})
				}
			}
		}
	case ePivotDef, ePivotRecords:
		if !isMain(ns) {
			break
		}
		switch local {
		case "cacheField":
			var fi int
			fi, s.field = attr(e, "name")
			if fi >= 0 && s.field != "" {
				sp, err := e.AttrSpan(fi)
				if err != nil {
					return err
				}
				s.d.pivotNames = append(s.d.pivotNames, pivotText{sp: span{s.i, sp.Start, sp.End}, text: strings.ToLower(s.field), orig: s.field, field: true})
			}
			s.fieldNo++
			s.itemNo = 0
			s.fields[s.i] = append(s.fields[s.i], s.field)
		case "worksheetSource":
			if _, v, sp, ok := s.take(e, "sheet"); ok {
				s.d.sheetAttrs = append(s.d.sheetAttrs, &formula{raw: sp, text: v, attr: true})
			}
		case "sharedItems":
			for _, a := range []string{"minValue", "maxValue", "minDate", "maxDate"} {
				if i, _ := attr(e, a); i >= 0 {
					e.Attrs[i].Taken = true
					sp, err := e.AttrWhole(i)
					if err != nil {
						return err
					}
					s.d.fixed = append(s.d.fixed, splice{span{s.i, sp.Start, sp.End}, ""})
					s.minmax++
				}
			}
		case "r":
			if s.e.kind == ePivotRecords {
				s.fieldIdx = 0
				s.recordNo++
				s.inRecord = true
			}
		case "s", "n", "d", "e", "b", "x", "m":
			p := e.Parent
			if p == nil {
				break
			}
			inShared := p.Name.Local == "sharedItems"
			inRecord := s.e.kind == ePivotRecords && p.Name.Local == "r"
			if !inShared && !inRecord {
				break
			}
			field := s.field
			where := fmt.Sprintf("field %d item %d", s.fieldNo, s.itemNo)
			s.itemNo++
			if inRecord {
				where = fmt.Sprintf("record %d field %d", s.recordNo, s.fieldIdx+1)
				if names := s.fields[s.recordDef]; s.fieldIdx < len(names) {
					field = names[s.fieldIdx]
				} else {
					field = ""
				}
				s.fieldIdx++
			}
			if local == "x" || local == "m" || local == "b" || local == "e" {
				break
			}
			_, v, sp, ok := s.take(e, "v")
			if !ok {
				break
			}
			sg := &seg{raw: sp, text: v, esc: escAttr}
			if inShared && v != "" {
				s.d.pivotNames = append(s.d.pivotNames, pivotText{sp: sp, text: strings.ToLower(v), orig: v})
			}
			if local != "s" {
				el := &span{s.i, e.Start, e.TagEnd}
				if !e.Empty {
					s.pending[e] = func(end ooxml.Span) { el.end = end.End }
				}
				sg.alt = func(string) ([]splice, error) { return []splice{{*el, "<m/>"}}, nil }
			}
			s.parts = append(s.parts, pendingPart{name: fmt.Sprintf("%s:cache %s", s.e.safe, where), field: field, info: &partInfo{kind: pSegs, segs: []*seg{sg}}})
		}
	case eChart:
		if isChart(ns) && (local == "strCache" || local == "numCache" || local == "strLit" || local == "numLit" || local == "multiLvlStrCache") {
			s.cacheNo++
		}
	case eRels:
		if e.Name.Space == nsPkgRel && e.Name.Local == "Relationship" && e.Empty {
			_, t := attr(e, "Target")
			_, mode := attr(e, "TargetMode")
			_, typ := attr(e, "Type")
			switch {
			case !strings.EqualFold(mode, "External"):
				s.links = append(s.links, link{span{s.i, e.Start, e.TagEnd}, relTarget(relSource(s.e.name), t)})
			case !strings.HasSuffix(typ, "/hyperlink"):
				// A linked workbook's, image's or template's path
				// names its folders (C:\Users\<login>\Clients\…) and is
				// percent-encoded (a name glued to "%20" is no word a
				// detector sees): it is replaced by a neutral file name
				// whatever the edits (the link's cached values stay), and
				// shown decoded so that detection and verify read it.
				if _, v, sp, ok := s.take(e, "Target"); ok {
					s.sanitise(sp, ooxml.PercentDecode(v), neutralTarget(v))
					s.paths++
				}
			}
		}
	case eTypes:
		if e.Name.Space == nsTypes && e.Name.Local == "Override" && e.Empty {
			_, p := attr(e, "PartName")
			s.links = append(s.links, link{span{s.i, e.Start, e.TagEnd}, strings.ToLower(strings.TrimPrefix(path.Clean("/"+p), "/"))})
		}
	}
	return nil
}

// CharData implements ooxml.Visitor.
func (s *scanner) CharData(e *ooxml.Element, c ooxml.CharData) (bool, error) {
	ns, local := e.Name.Space, e.Name.Local
	raw := span{s.i, c.Raw.Start, c.Raw.End}
	esc := escText
	if c.CDATA {
		esc = ooxml.EscapeCDATA
	}
	switch {
	case formulaElems[local] && (isMain(ns) && s.e.kind != eOther || isChart(ns) && local == "f"):
		f := &formula{raw: raw, text: c.Text, part: -1, where: local}
		if c.CDATA {
			return false, nil // left as text where it is
		}
		if namesBook(c.Text) {
			return false, fmt.Errorf("xlsx: %s: a formula names a workbook by its file name, which Veil does not rename: %w", s.e.safe, redactors.ErrUninspectable)
		}
		f.lits, f.refs, f.names = scanFormulaNames(c.Text)
		if local == "f" && isMain(ns) && s.cur != nil {
			f.cell, s.cur.formula = s.cur, f
		}
		s.d.formulas = append(s.d.formulas, f)
		if p, ok := s.validationList(e, f); ok {
			s.parts = append(s.parts, p)
			return true, nil
		}
		if len(f.lits) > 0 {
			var segs []*seg
			for _, l := range f.lits {
				segs = append(segs, &seg{text: l.Value})
			}
			name := fmt.Sprintf("%s:formula %d", s.e.safe, s.nth("formula"))
			if f.cell != nil {
				name = s.e.safe + ":formula " + cellName(f.cell.row, f.cell.col)
			}
			s.parts = append(s.parts, pendingPart{name: name, sep: "\n", info: &partInfo{kind: pFormula, segs: segs, formula: f}})
		}
		return true, nil
	case s.e.kind == eSheet && isMain(ns) && local == "v" && s.cur != nil && e.Parent != nil && e.Parent.Name.Local == "c":
		s.cur.vText, s.cur.vRaw, s.cur.hasV = c.Text, raw, true
		return true, nil
	case s.e.kind == eSheet && isMain(ns) && local == "t" && s.cur != nil && s.cur.inline != nil && !e.Within(ns, "rPh"):
		s.cur.inline = append(s.cur.inline, &seg{raw: raw, text: c.Text, esc: esc})
		return true, nil
	case s.e.kind == eSST && isMain(ns) && local == "t" && s.si != nil && !e.Within(ns, "rPh"):
		s.si.text += c.Text
		s.si.segs = append(s.si.segs, &seg{raw: raw, text: c.Text, esc: esc})
		return true, nil
	case s.e.kind == eComments && isMain(ns) && local == "author":
		s.sanitise(raw, c.Text, "Author")
		s.authors++
		return true, nil
	case s.e.kind == eComments && isMain(ns) && local == "t" && s.comment != nil && !e.Within(ns, "rPh"):
		s.comment = append(s.comment, &seg{raw: raw, text: c.Text, esc: esc})
		return true, nil
	case s.e.kind == eThreaded && ns == nsThreaded && local == "text" && s.tc != nil:
		s.tc = append(s.tc, &seg{raw: raw, text: c.Text, esc: esc})
		return true, nil
	case s.e.kind == eCore && (ns == nsDC && local == "creator" || ns == nsCore && local == "lastModifiedBy"):
		s.sanitise(raw, c.Text, "")
		s.props++
		return true, nil
	case s.e.kind == eCustom && ns == nsVT && local != "lpwstr" && local != "lpstr" && local != "bstr" && e.Parent != nil:
		// a number, date or flag the vocabulary calls structure is still a
		// value of the document: shown, and made neutral on change (the
		// slot takes no text)
		sg := &seg{raw: raw, text: c.Text, esc: esc}
		neutral := ""
		switch local {
		case "bool":
			neutral = "false"
		case "filetime", "date":
			neutral = "1970-01-01T00:00:00Z"
		case "i1", "i2", "i4", "i8", "int", "ui1", "ui2", "ui4", "ui8", "uint", "r4", "r8", "decimal", "cy":
			neutral = "0"
		}
		sg.alt = func(string) ([]splice, error) { return []splice{{raw, neutral}}, nil }
		s.parts = append(s.parts, pendingPart{name: fmt.Sprintf("%s:value %d", s.e.safe, s.nth("value")), info: &partInfo{kind: pSegs, segs: []*seg{sg}}})
		return true, nil
	case s.e.kind == eChart && isChart(ns) && local == "v":
		// chart caches: strings are rewritten, numbers become missing points
		sg := &seg{raw: raw, text: c.Text, esc: esc}
		if e.Within(ns, "numCache") || e.Within(ns, "numLit") {
			if pt := e.Parent; pt != nil && pt.Name.Local == "pt" {
				el := &span{s.i, pt.Start, pt.TagEnd}
				s.pending[pt] = func(end ooxml.Span) { el.end = end.End }
				sg.alt = func(string) ([]splice, error) { return []splice{{*el, ""}}, nil }
			}
		}
		_, idx := attr(e.Parent, "idx")
		if _, err := strconv.Atoi(idx); err != nil {
			idx = "?"
		}
		s.parts = append(s.parts, pendingPart{name: fmt.Sprintf("%s:cache %d point %s", s.e.safe, s.cacheNo, idx), info: &partInfo{kind: pSegs, segs: []*seg{sg}}})
		return true, nil
	}
	return false, nil
}

// Text implements ooxml.Visitor: a value nobody took, text where it is.
func (s *scanner) Text(e *ooxml.Element, t ooxml.Text) error {
	raw := span{s.i, t.Raw.Start, t.Raw.End}
	sg := &seg{raw: raw, text: t.Value, ref: s.isRef(e, t)}
	sg.pivotSource = t.Attr < 0 && s.e.kind == eChart && isChart(e.Name.Space) && e.Name.Local == "name" &&
		e.Parent != nil && e.Parent.Name.Local == "pivotSource"
	switch {
	case t.Attr >= 0:
		sg.esc = escAttr
	case t.CDATA:
		sg.esc = ooxml.EscapeCDATA
	default:
		sg.esc = escText
	}
	if headerFooter[e.Name.Local] && t.Attr < 0 && !t.CDATA {
		return s.headerFooter(t)
	}
	if t.Class == ooxml.Date {
		// a date slot takes no text: the attribute or element goes
		if t.Attr >= 0 {
			sp, err := e.AttrWhole(t.Attr)
			if err != nil {
				return err
			}
			cut := span{s.i, sp.Start, sp.End}
			sg.alt = func(string) ([]splice, error) { return []splice{{cut, ""}}, nil }
		} else {
			el := &span{s.i, e.Start, e.TagEnd}
			s.pending[e] = func(end ooxml.Span) { el.end = end.End }
			sg.alt = func(string) ([]splice, error) { return []splice{{*el, ""}}, nil }
		}
	}
	if sg.ref {
		s.refs = append(s.refs, sg)
		return nil
	}
	if strings.ContainsAny(t.Value, "\n\r") {
		// one value a line: a value over lines is its own part
		s.parts = append(s.parts, pendingPart{name: fmt.Sprintf("%s:value %d", s.e.safe, s.nth("value")), info: &partInfo{kind: pSegs, segs: []*seg{sg}}})
		return nil
	}
	s.other = append(s.other, sg)
	return nil
}

// End implements ooxml.Visitor.
func (s *scanner) End(e *ooxml.Element, end ooxml.Span) error {
	if f, ok := s.pending[e]; ok {
		f(end)
		delete(s.pending, e)
	}
	ns, local := e.Name.Space, e.Name.Local
	switch {
	case s.e.kind == eSheet && isMain(ns) && local == "c" && s.cur != nil:
		s.endCell()
	case s.e.kind == eSST && isMain(ns) && local == "si" && s.si != nil:
		s.d.sst = append(s.d.sst, s.si)
		s.si = nil
	case s.e.kind == eComments && isMain(ns) && local == "comment" && s.comment != nil:
		s.parts = append(s.parts, pendingPart{name: fmt.Sprintf("%s:comment %d %s", s.e.safe, s.nth("comment"), s.commentAt), info: &partInfo{kind: pSegs, segs: s.comment}})
		s.comment = nil
	case s.e.kind == eThreaded && ns == nsThreaded && local == "threadedComment" && s.tc != nil:
		s.parts = append(s.parts, pendingPart{name: fmt.Sprintf("%s:threaded comment %d", s.e.safe, s.nth("threaded")), sep: "\n", info: &partInfo{kind: pSegs, segs: s.tc}})
		s.tc = nil
	}
	return nil
}

// endCell gives a cell its text.
func (s *scanner) endCell() {
	c := s.cur
	s.cur = nil
	switch {
	case c.inline != nil:
		var b strings.Builder
		for _, sg := range c.inline {
			b.WriteString(sg.text)
		}
		c.text = b.String()
	case !c.hasV:
		return
	case c.typ == "s":
		k, err := strconv.Atoi(strings.TrimSpace(c.vText))
		if err != nil || k < 0 || k >= len(s.d.sst) {
			c.text = c.vText // an index Veil cannot follow: read as it is
			break
		}
		c.sst = k
		c.text = s.d.sst[k].text
		s.d.sst[k].refs = append(s.d.sst[k].refs, c)
	case (c.typ == "" || c.typ == "n") && s.isDateStyle(c.style):
		if t, ok := serialDate(c.vText, s.d.date1904); ok {
			c.text, c.isDate = t, true
			break
		}
		c.text = c.vText
	default:
		c.text = c.vText
	}
	if c.typ == "b" || c.typ == "e" || strings.TrimSpace(c.text) == "" {
		return
	}
	s.d.cells = append(s.d.cells, c)
}

// headerFooter reads a header or footer: its text runs between the
// &-codes (&L, &P, &"Arial,Bold", &12…) are values, one a line, so that
// detection reads "Prepared for …" and not "&CPrepared"; a replacement
// writes "&" as "&&".
func (s *scanner) headerFooter(t ooxml.Text) error {
	raw := s.e.xml[t.Raw.Start:t.Raw.End]
	v, off, err := ooxml.DecodeText(raw, false, true)
	if err != nil || v != t.Value {
		return fmt.Errorf("xlsx: %s: header text: %w", s.e.safe, redactors.ErrCorrupt)
	}
	run := func(a, b int) {
		if strings.TrimSpace(v[a:b]) == "" {
			return
		}
		s.other = append(s.other, &seg{raw: span{s.i, t.Raw.Start + off[a], t.Raw.Start + off[b]}, text: strings.ReplaceAll(v[a:b], "&&", "&"),
			esc: func(n string) string { return ooxml.EscapeText(strings.ReplaceAll(n, "&", "&&")) }})
	}
	start := 0
	for i := 0; i < len(v); {
		if v[i] != '&' {
			i++
			continue
		}
		j := i + 1
		if j < len(v) && v[j] == '&' {
			i = j + 1 // "&&" is an "&" of the text
			continue
		}
		run(start, i)
		switch {
		case j < len(v) && v[j] == '"':
			if k := strings.IndexByte(v[j+1:], '"'); k >= 0 {
				j += k + 2
			} else {
				j = len(v)
			}
		case j < len(v) && v[j] >= '0' && v[j] <= '9':
			for j < len(v) && v[j] >= '0' && v[j] <= '9' {
				j++
			}
		case j < len(v):
			j++ // &L, &P …
		}
		i, start = j, j
	}
	run(start, len(v))
	return nil
}

// neutralTarget is what an external target becomes: "external" with the
// target's extension when it is a short run of letters and digits.
func neutralTarget(target string) string {
	ext := path.Ext(ooxml.PercentDecode(target))
	for i := 1; i < len(ext); i++ {
		if c := ext[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			ext = ""
			break
		}
	}
	if len(ext) > 6 {
		ext = ""
	}
	return "external" + ext
}

// nth counts things of a kind in the entry: 1, 2, 3…
func (s *scanner) nth(kind string) int {
	s.seq[kind]++
	return s.seq[kind]
}

// sanitise replaces a value whatever the edits, and shows it in the
// entry's ":authors" part.
func (s *scanner) sanitise(raw span, value, repl string) {
	s.d.fixed = append(s.d.fixed, splice{raw, repl})
	if strings.TrimSpace(value) != "" && value != repl {
		s.sanitised = append(s.sanitised, &seg{raw: raw, text: value})
	}
}

// Markup implements ooxml.Visitor: comments and processing instructions
// are removed.
func (s *scanner) Markup(kind ooxml.MarkupKind, sp ooxml.Span) error {
	s.d.fixed = append(s.d.fixed, splice{span{s.i, sp.Start, sp.End}, ""})
	s.markup++
	return nil
}

var _ ooxml.Visitor = (*scanner)(nil)

// isRef reports a value that names a sheet or a defined name, or holds a
// reference to one, outside the formulas this package reads: the titles
// of parts of docProps/app.xml (sheet and range names), a hyperlink's
// location ("'<sheet>'!A1") or relationship target ("#<sheet>!A1"), a
// formula of an extension (x14's xm:f of
// data validations, conditional formats, sparklines), a pivot cache's
// source name.
func (s *scanner) isRef(e *ooxml.Element, t ooxml.Text) bool {
	switch {
	case s.e.kind == eApp:
		return t.Attr < 0 && e.Within(nsApp, "TitlesOfParts")
	case t.Attr >= 0:
		a := e.Attrs[t.Attr].Name.Local
		// a drawing object's name: a slicer's frame is named as the
		// slicer, and renamed with it
		if e.Name.Local == "cNvPr" && a == "name" && e.Name.Space == nsXdr {
			return true
		}
		return e.Name.Local == "hyperlink" && a == "location" || e.Name.Local == "worksheetSource" && a == "name" ||
			s.e.kind == eRels && e.Name.Local == "Relationship" && a == "Target" && strings.HasPrefix(t.Value, "#")
	default:
		return e.Name.Local == "f"
	}
}

// validationList reads the list of a data validation written in its
// formula ("Orsolya Quillanby,Tamsin Everard" in quotes): each item is a
// value of the column the validation applies to, so the list is a part of
// its own, the items as the list writes them (a list of names reads as
// one), whose Field is that column's header (set in assemble), so that
// detection reads the items as values of that column (session
// "sheetdoor", issue 13). False for any other formula.
func (s *scanner) validationList(e *ooxml.Element, f *formula) (pendingPart, bool) {
	p := e.Parent
	if s.e.kind != eSheet || e.Name.Local != "formula1" || p == nil || p.Name.Local != "dataValidation" || !isMain(p.Name.Space) {
		return pendingPart{}, false
	}
	if _, typ := attr(p, "type"); typ != "list" || len(f.lits) != 1 {
		return pendingPart{}, false
	}
	if t := strings.TrimSpace(f.text); len(t) < 2 || t[0] != '"' || t[len(t)-1] != '"' {
		return pendingPart{}, false
	}
	var segs []*seg
	for _, it := range strings.Split(f.lits[0].Value, ",") {
		segs = append(segs, &seg{text: it})
	}
	at := &redactors.Cell{Table: s.sheetNo[s.i]}
	_, sqref := attr(p, "sqref")
	first, _, _ := strings.Cut(strings.TrimSpace(sqref), " ")
	first, _, _ = strings.Cut(first, ":")
	if r, c, ok := parseRef(strings.ReplaceAll(first, "$", "")); ok {
		at.Row, at.Col = r, c
	}
	return pendingPart{name: fmt.Sprintf("%s:validation list %d", s.e.safe, s.nth("validation")), sep: ",",
		info: &partInfo{kind: pList, segs: segs, formula: f}, listAt: at}, true
}
