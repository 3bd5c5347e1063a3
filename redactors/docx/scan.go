package docx

import (
	"context"
	"strings"

	"github.com/veilhq/veil/redactors/ooxml"
)

// Namespaces, transitional and strict (Word can save both).
const (
	nsXML = "http://www.w3.org/XML/1998/namespace"
	nsVML = "urn:schemas-microsoft-com:vml"
	nsW15 = "http://schemas.microsoft.com/office/word/2012/wordml"
	nsVT  = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
)

type nsClass uint8

const (
	nsOther nsClass = iota
	nsW             // WordprocessingML main
	nsA             // DrawingML main
	nsM             // Office Math
	nsC             // DrawingML charts
	nsV             // VML
)

func classOf(space string) nsClass {
	switch space {
	case "http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main":
		return nsW
	case "http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main":
		return nsA
	case "http://schemas.openxmlformats.org/officeDocument/2006/math", "http://purl.oclc.org/ooxml/officeDocument/math":
		return nsM
	case "http://schemas.openxmlformats.org/drawingml/2006/chart", "http://purl.oclc.org/ooxml/drawingml/chart":
		return nsC
	case nsVML:
		return nsV
	}
	return nsOther
}

// role says what an XML entry is and so which of its text is exposed.
type role uint8

const (
	roleStory      role = iota // WordprocessingML and other XML: text elements and known attributes
	roleCore                   // docProps/core.xml
	roleApp                    // docProps/app.xml
	roleCustom                 // docProps/custom.xml
	roleCustomItem             // customXml/itemN.xml: data, all character data is text
	roleRels                   // relationships
	roleTypes                  // [Content_Types].xml
)

type pieceKind uint8

const (
	synthetic pieceKind = iota // a separator that is in no byte of the XML ("\n", "\t")
	segment                    // character data, mapped byte for byte
	value                      // a whole attribute value or element content
)

// span is a byte range of the decompressed XML of an entry.
type span struct{ entry, start, end int }

// piece is one stretch of a part's text.
type piece struct {
	kind   pieceKind
	text   string
	anchor span        // where it is; pieces inside removed XML are dropped
	raw    span        // segment: the raw character data
	cdata  bool        // segment: inside a CDATA section
	attr   bool        // segment: an attribute value
	elem   *textElem   // segment: the element holding it
	group  *valueGroup // value
	// label is shown before a value of a slot the vocabulary does not
	// know (synthetic, in no byte): the name of the attribute or element
	// that holds it, context for the detectors ("mrn: …", "dob: …"). A
	// name cannot be rewritten: an edit that touches a label removes its
	// attribute or element (drop).
	label   string
	isLabel bool // synthetic: a label
	drop    *labelDrop
	paraEnd bool // synthetic: the "\n" that ends a paragraph (not a line break)
}

// labelDrop is what an edit of a label removes: the attribute, or the
// element (known when it ends).
type labelDrop struct{ sp span }

// textElem is an element whose character data is text (w:t…); Redact may
// have to mark it xml:space="preserve" when an edit leaves edge spaces.
type textElem struct {
	entry    int
	gt       int  // offset of the '>' closing the start tag
	space    span // the xml:space value, end 0 if absent
	preserve bool // xml:space="preserve" already
	spaces   bool // Word trims edge spaces of this element unless preserved
}

type valueKind uint8

const (
	plainValue  valueKind = iota // kept unless edited
	authorValue                  // a person's name as author: "Author" unless edited
	blankValue                   // identifying metadata: emptied unless edited
	urlValue                     // a URI (percent-decoded for reading)
	pathValue                    // an external file path: reduced to its file name
	dateValue                    // a date in a typed slot: removed (occurrence.drop) when edited
	fixedValue                   // a part name or relationship: an edit refuses the file
)

// valueGroup is one distinct value in a list part ("authors"), with every
// place it occurs; all occurrences get the same replacement.
type valueGroup struct {
	part       string // the part it is shown in
	kind       valueKind
	text       string
	occ        []occurrence
	rawDiffers bool // some occurrence does not read as text (path directories, a VML style's fonts)
	css        bool // a VML style read with its fonts emptied: written with genericFont (typography.go)
}

type occurrence struct {
	raw  span
	attr bool
	// drop is what to cut when a dateValue changes: the whole attribute
	// or element (set when the element ends)
	drop span
}

// neutral is what a value becomes when no edit touches it.
func (g *valueGroup) neutral() string {
	switch g.kind {
	case authorValue:
		return "Author"
	case blankValue:
		return ""
	}
	return g.text
}

func (g *valueGroup) encode(s string, attr bool) string {
	if g.kind == urlValue || g.kind == pathValue {
		s = ooxml.PercentEncode(s)
	}
	if g.css {
		s, _ = cssFonts(s, genericFont)
	}
	if attr {
		return ooxml.EscapeAttr(s)
	}
	return ooxml.EscapeText(s)
}

type stream struct {
	name   string
	pieces []*piece
	cell   *tableCell // a cell of a table (cells.go), nil for other text
	// owner is the entry whose scan alone wrote the stream (noOwner: none
	// yet, several, or code outside a scan); reused, the part a Reparse
	// takes from the input for it (reuse.go), nil for a stream scanned.
	owner  int
	reused *reusedPart
}

type splice struct {
	span
	repl string
}

type relationship struct {
	entry    int
	id, typ  string
	target   string
	external bool
	elem     span // the whole <Relationship> element
}

// scanner collects the text, values and structural changes of all XML
// entries of one package.
type scanner struct {
	ctx       context.Context // checked every ctxEvery elements; nil: never
	streams   []*stream
	byName    map[string]*stream
	groups    map[groupKey]*valueGroup
	all       []*valueGroup // every group, in order of creation
	removals  []span        // XML to delete: accepted revisions, XML comments
	fixed     []splice      // changes made whatever the edits (sanitised metadata)
	elems     []*textElem
	rels      []relationship
	overrides []override // [Content_Types].xml Override elements

	tables []*docTable // top-level tables of every story, numbered from 1 (cells.go)

	revisions, xmlComments, initials, presence, dates       int
	procInsts, tags, perms, gfxdata, customProps, mailMerge int
	fldData, opaque                                         int
	strayText                                               int // character data in element-only WordprocessingML elements
	// names a user chose for typographic objects (typography.go): fonts
	// replaced, style names and ids renamed, aliases and latent styles
	// removed, theme names replaced, custom XML and smart tag values emptied
	fontNames, styleNames, styleIDs, styleOther, themeNames, xmlValues, partNames, catNames int
	vocab                                                                                   *ooxml.Vocabulary
	// neutral names given to styles, by their own name or id, and to
	// building blocks and their categories, by their own name
	neutralNames, neutralIDs, neutralParts, neutralCats map[string]string

	cur   int                // the entry being scanned, noOwner outside scanEntry
	scans map[int]*entryScan // what each entry's scan did (reuse.go)
}

type groupKey struct {
	part string
	kind valueKind
	text string
}

// ctxEvery is how many XML elements the scanner reads between checks of
// its context.
const ctxEvery = 4096

func newScanner() *scanner {
	return &scanner{byName: map[string]*stream{}, groups: map[groupKey]*valueGroup{}, vocab: ooxml.Standard(), cur: noOwner, scans: map[int]*entryScan{},
		neutralNames: map[string]string{}, neutralIDs: map[string]string{}, neutralParts: map[string]string{},
		neutralCats: map[string]string{}}
}

// override is an <Override> of [Content_Types].xml.
type override struct {
	part string // lower case, without the leading slash
	elem span
}

func (s *scanner) stream(name string) *stream {
	st := s.byName[name]
	if st == nil {
		st = &stream{name: name, owner: s.cur}
		s.byName[name] = st
		s.streams = append(s.streams, st)
		if sc := s.scans[s.cur]; sc != nil {
			sc.streams = append(sc.streams, name)
		}
	} else if st.owner != s.cur {
		st.owner = noOwner
		if sc := s.scans[s.cur]; sc != nil {
			sc.shared = true
		}
	}
	return st
}

// addValue adds one occurrence of a value to the list part named part.
func (s *scanner) addValue(part string, kind valueKind, raw []byte, sp span, attr bool) error {
	_, err := s.addOccurrence(part, kind, raw, sp, attr)
	return err
}

// addOccurrence is addValue that returns the group (nil when the value is
// blank and not kept); its occurrence is the group's last.
func (s *scanner) addOccurrence(part string, kind valueKind, raw []byte, sp span, attr bool) (*valueGroup, error) {
	return s.addLabeled(part, kind, raw, sp, attr, "")
}

// addLabeled is addOccurrence with a label shown before a new value.
func (s *scanner) addLabeled(part string, kind valueKind, raw []byte, sp span, attr bool, label string, drop ...*labelDrop) (*valueGroup, error) {
	var text string
	var err error
	if attr {
		text, err = ooxml.DecodeAttr(raw)
	} else {
		text, err = ooxml.DecodeMixed(raw)
	}
	if err != nil {
		return nil, err
	}
	return s.addDecoded(part, kind, text, sp, attr, label, false, drop...)
}

// addDecoded is addLabeled of a value already decoded (text). replaced
// says that text is not what the raw bytes at sp read but what they must
// become (a VML style with its fonts replaced, typography.go): every
// occurrence is then rewritten, redacted or not.
func (s *scanner) addDecoded(part string, kind valueKind, text string, sp span, attr bool, label string, replaced bool, drop ...*labelDrop) (*valueGroup, error) {
	shown := text
	switch kind {
	case urlValue:
		shown = ooxml.PercentDecode(text)
	case pathValue:
		shown = baseName(ooxml.PercentDecode(text))
	}
	if strings.TrimSpace(shown) == "" && kind != pathValue {
		return nil, nil
	}
	k := groupKey{part, kind, shown}
	g := s.groups[k]
	if g != nil {
		s.stream(part) // written by this scan too (an occurrence), for reuse.go
	}
	if kind == authorValue || kind == blankValue || kind == pathValue {
		if sc := s.scans[s.cur]; sc != nil {
			sc.shared = true // counted in the notes from the groups
		}
	}
	if g == nil {
		g = &valueGroup{part: part, kind: kind, text: shown}
		s.groups[k] = g
		s.all = append(s.all, g)
		st := s.stream(part)
		p := &piece{kind: value, text: shown, anchor: sp, group: g, label: label}
		if len(drop) > 0 {
			p.drop = drop[0]
		}
		st.pieces = append(st.pieces, p)
	}
	g.occ = append(g.occ, occurrence{raw: sp, attr: attr})
	if shown != text && kind == pathValue || replaced {
		g.rawDiffers = true
	}
	if replaced {
		g.css = true
	}
	return g, nil
}

// baseName is the last element of a path written with / or \.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// addField adds the arguments of a field instruction held in an attribute
// (w:fldSimple) to the fields part.
func (s *scanner) addField(fields string, x []byte, sp span) error {
	text, _, err := ooxml.DecodeText(x[sp.start:sp.end], false, false)
	if err != nil || strings.TrimSpace(text) == "" {
		return err
	}
	toks, err := fieldTokens(x, []*piece{{kind: segment, text: text, anchor: sp, raw: sp, attr: true}})
	if err != nil {
		return err
	}
	st := s.stream(fields)
	st.pieces = append(st.pieces, toks...)
	return nil
}

// fieldTokens turns the instruction text of the fields of a paragraph into
// pieces for their arguments only: the field type ("MERGEFIELD",
// "HYPERLINK") and switches with their formats ("\* MERGEFORMAT") are not
// text and must stay intact for the field to work; names, paths, URLs,
// quoted text and bookmark names are shown. An argument split over runs
// gives adjacent pieces, joined. Synthetic pieces in "in" separate fields.
func fieldTokens(x []byte, in []*piece) ([]*piece, error) {
	var out, field []*piece
	flush := func() error {
		toks, err := fieldArgs(x, field)
		if err != nil {
			return err
		}
		if len(toks) > 0 {
			out = append(out, toks...)
			out = append(out, &piece{kind: synthetic, text: "\n", anchor: toks[len(toks)-1].anchor})
		}
		field = nil
		return nil
	}
	for _, p := range in {
		if p.kind != segment {
			if err := flush(); err != nil {
				return nil, err
			}
			continue
		}
		field = append(field, p)
	}
	return out, flush()
}

func fieldArgs(x []byte, pcs []*piece) ([]*piece, error) {
	var b strings.Builder
	starts := make([]int, len(pcs))
	for k, p := range pcs {
		starts[k] = b.Len()
		b.WriteString(p.text)
	}
	t := b.String()
	var args [][2]int
	first, skipNext := true, false
	for i := 0; i < len(t); {
		c := t[i]
		if ooxml.IsSpace(c) {
			i++
			continue
		}
		a, end, next, isSwitch := i, i, i, false
		switch c {
		case '"':
			a = i + 1
			if j := strings.IndexByte(t[a:], '"'); j >= 0 {
				end, next = a+j, a+j+1
			} else {
				end, next = len(t), len(t)
			}
		case '\\':
			for end = i + 1; end < len(t) && !ooxml.IsSpace(t[end]); end++ {
			}
			next, isSwitch = end, true
		default:
			for end = i; end < len(t) && !ooxml.IsSpace(t[end]) && t[end] != '"'; end++ {
			}
			next = end
		}
		i = next
		switch {
		case isSwitch:
			sw := t[a:end]
			skipNext = sw == `\*` || sw == `\@` || sw == `\#`
			first = false
		case first:
			first = false // the field type
		case skipNext:
			skipNext = false // a format
		case end > a && ooxml.Standard().Fits("bookmark", t[a:end]):
			// a bookmark Word named itself (_Toc…, _Ref…): structure, as
			// in the bookmark it names
		case end > a:
			args = append(args, [2]int{a, end})
		}
	}
	var out []*piece
	for n, arg := range args {
		sep := len(out)
		for k, p := range pcs {
			ps, pe := starts[k], starts[k]+len(p.text)
			a, end := max(arg[0], ps), min(arg[1], pe)
			if a >= end {
				continue
			}
			sub, err := subPiece(x, p, a-ps, end-ps)
			if err != nil {
				return nil, err
			}
			out = append(out, sub)
		}
		if n > 0 && len(out) > sep {
			out = append(out[:sep+1], out[sep:]...)
			out[sep] = &piece{kind: synthetic, text: " ", anchor: out[sep+1].anchor}
		}
	}
	return out, nil
}

// subPiece is the part [a, b) of the text of a segment piece.
func subPiece(x []byte, p *piece, a, b int) (*piece, error) {
	if a == 0 && b == len(p.text) {
		return p, nil
	}
	_, off, err := ooxml.DecodeText(x[p.raw.start:p.raw.end], p.cdata, true)
	if err != nil || len(off) != len(p.text)+1 {
		return nil, ooxml.ErrXMLText
	}
	np := *p
	np.text = p.text[a:b]
	np.raw = span{p.raw.entry, p.raw.start + off[a], p.raw.start + off[b]}
	np.anchor = np.raw
	return &np, nil
}

func (s *scanner) addSynthetic(paras []*para, main, text string, at span) {
	p := &piece{kind: synthetic, text: text, anchor: at}
	if len(paras) > 0 {
		top := paras[len(paras)-1]
		top.main = append(top.main, p)
		return
	}
	st := s.stream(main)
	st.pieces = append(st.pieces, p)
}
