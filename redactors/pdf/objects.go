package pdf

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

// The objects part: everything the output will hold that a reader can
// decode besides the text of the pages, read so that the detectors see it.
// The walk starts where the writer starts (the catalog entries sanitize
// keeps, the pages with the entries sanitize keeps, the resources a page
// draws) and leaves out what the writer leaves out (dropKeys, the names of
// layers and embedded fonts, property lists other than layers). It reads:
//
//   - strings (as PDF text strings) and names, keys included, that are not
//     PDF vocabulary (pdfnames.txt) or glyph names (Differences, CharSet,
//     CharProcs: a font's repertoire, not text);
//   - content streams the interpreter ran (pages, forms, patterns, soft
//     mask groups), Type 3 glyph procedures and PostScript calculator
//     functions: everything but operators, numbers and the strings shown
//     as text (those are page text): comments, other strings, names;
//   - CMaps: comments, literal strings and names (their hex strings are
//     codes);
//   - any other stream that is not an image, a font program, an ICC
//     profile or sampled data: its runs of four or more printable
//     characters, as strings(1) reads them.
//
// Veil does not rewrite these places: an edit in the objects part makes
// Redact fail (ErrUninspectable, with the object's number), so the file is
// quarantined rather than written with the value.

// objectsPartName is the name of the objects part.
const objectsPartName = "file objects"

// objSpan says which object a stretch of the objects part comes from.
type objSpan struct {
	start, end int
	nr         int
	what       string
}

// objWalker builds the objects part.
type objWalker struct {
	d       *Document
	seen    map[int]bool
	b       strings.Builder
	spans   []objSpan
	shown   map[int][]int32 // content streams the interpreter ran -> shown strings
	held    map[int][]byte  // their decoded bytes
	special map[int]string  // streams read in a particular way: "cmap", "procs"
	err     error
}

// add appends one piece of text read from object nr, white space folded
// and producers' generated resource names ("F1", "Im0", "T1_0") left out.
func (w *objWalker) add(nr int, what, s string) {
	fs := strings.Fields(s)
	k := 0
	for _, t := range fs {
		if !generatedName(t) {
			fs[k] = t
			k++
		}
	}
	f := strings.Join(fs[:k], " ")
	if f == "" {
		return
	}
	if !utf8.ValidString(f) {
		f = latin1(f) // bytes of a name or string in no Unicode encoding
	}
	if w.b.Len() > 0 {
		w.b.WriteByte('\n')
	}
	start := w.b.Len()
	w.b.WriteString(f)
	if n := len(w.spans); n > 0 && w.spans[n-1].nr == nr && w.spans[n-1].what == what && w.spans[n-1].end == start-1 {
		w.spans[n-1].end = w.b.Len()
		return
	}
	w.spans = append(w.spans, objSpan{start: start, end: w.b.Len(), nr: nr, what: what})
}

// latin1 reads each byte of s as the Latin-1 character of that code, as
// a reader that knows no encoding shows it; the result is valid UTF-8.
func latin1(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

// generatedName reports a token shaped like the resource names producers
// generate: one or two letters, or up to five letters and a digit, then
// digits and separators ("F1", "Fm", "Im12", "GS0", "TT2", "T1_0",
// "Image18"). Such a token holds no name, date or number of a person.
func generatedName(t string) bool {
	i := 0
	for i < len(t) && (t[i] >= 'a' && t[i] <= 'z' || t[i] >= 'A' && t[i] <= 'Z') {
		i++
	}
	if i == 0 || i > 5 || i > 2 && (i == len(t) || t[i] < '0' || t[i] > '9') {
		return false
	}
	for ; i < len(t); i++ {
		if !(t[i] >= '0' && t[i] <= '9' || t[i] == '_' || t[i] == '.') {
			return false
		}
	}
	return true
}

// readObjects returns the objects part's text and where each stretch of
// it comes from. It runs after every page was read.
func (d *Document) readObjects() (string, []objSpan, error) {
	w := &objWalker{d: d, seen: map[int]bool{}, shown: d.shownStrings(), held: d.decodedContent(), special: map[int]string{}}
	for nr := range d.dropImg {
		w.seen[nr] = true // written as a blank
	}
	cat := d.r.dict(*d.ctx.XRefTable.Root)
	for _, k := range catalogKeep {
		if k != "Pages" && cat[k] != nil {
			w.value(cat[k], d.ctx.XRefTable.Root.ObjectNumber.Value(), 0)
		}
	}
	for i := range d.pages {
		p, pm := &d.pages[i], d.models[i]
		nr := p.ref.ObjectNumber.Value()
		for k, v := range p.dict {
			switch k {
			case "Parent", "Kids", "Contents", "Resources", "Annots":
				continue // links keep no text (safeLink); the rest below
			}
			if pageKeep[k] {
				w.key(k, nr)
				w.value(v, nr, 1)
			}
		}
		w.value(d.pageResources(p.res, pm), nr, 1)
		inst := &pm.insts[0]
		cnr := nr
		for _, part := range pm.parts {
			if part.nr > 0 {
				cnr = part.nr
				w.seen[part.nr] = true
				break
			}
		}
		w.add(cnr, "page content", contentView(markedBlanks(inst.data), sortSpans(append([]int32(nil), inst.shown...))))
	}
	return w.b.String(), w.spans, w.err
}

func (w *objWalker) key(k string, nr int) {
	if !pdfName(k) {
		w.add(nr, "dictionary key", k)
	}
}

// value reads o, found in object nr.
func (w *objWalker) value(o types.Object, nr, depth int) {
	if depth > 64 || w.err != nil {
		return
	}
	switch v := o.(type) {
	case types.IndirectRef:
		n := v.ObjectNumber.Value()
		if w.seen[n] {
			return
		}
		w.seen[n] = true
		r := w.d.r.resolve(v)
		if sd, ok := r.(types.StreamDict); ok {
			w.stream(&sd, n, depth)
			return
		}
		w.value(r, n, depth+1)
	case types.Dict:
		w.dict(v, nr, depth)
	case types.StreamDict:
		w.stream(&v, nr, depth)
	case types.Array:
		for _, e := range v {
			w.value(e, nr, depth+1)
		}
	case types.StringLiteral, types.HexLiteral:
		w.add(nr, "string", textString([]byte(stringBytes(v))))
	case types.Name:
		if !pdfName(string(v)) {
			w.add(nr, "name", string(v))
		}
	case types.LazyObjectStreamObject:
		w.value(w.d.r.resolve(v), nr, depth+1)
	}
}

// dict reads a dictionary as the writer writes it.
func (w *objWalker) dict(d types.Dict, nr, depth int) {
	r := w.d.r
	switch r.name(d["Type"]) {
	case "Page", "Pages":
		return // read with the pages
	}
	ocg := r.name(d["Type"]) == "OCG"
	nameKey := embeddedFontKey(r, d)
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := d[k]
		if dropKeys[k] || k == "Parent" || ocg && (k == "Name" || k == "Usage") || nameKey != "" && (k == nameKey || k == "FontFamily") {
			continue
		}
		switch k {
		case "FontFile", "FontFile2", "FontFile3":
			if ref, ok := v.(types.IndirectRef); ok {
				w.seen[ref.ObjectNumber.Value()] = true // outlines, not text
			}
			continue
		case "Differences", "CharSet":
			continue // glyph names: the font's repertoire
		case "CIDSystemInfo":
			if registeredCIDSystem(r, r.dict(v)) {
				continue // a character collection's registered name
			}
		case "CharProcs":
			for _, p := range r.dict(v) {
				if ref, ok := p.(types.IndirectRef); ok {
					w.special[ref.ObjectNumber.Value()] = "procs"
				}
				w.value(p, nr, depth+1)
			}
			continue
		case "ToUnicode":
			if ref, ok := v.(types.IndirectRef); ok {
				w.special[ref.ObjectNumber.Value()] = "cmap"
			}
		case "Encoding", "UseCMap":
			if ref, ok := v.(types.IndirectRef); ok {
				if sd, _ := r.stream(ref); sd != nil {
					w.special[ref.ObjectNumber.Value()] = "cmap"
				}
			}
		case "Properties":
			if pd := r.dict(v); pd != nil {
				w.value(w.d.propertyLists(pd), nr, depth+1)
				continue
			}
		}
		w.key(k, nr)
		w.value(v, nr, depth+1)
	}
}

// registeredCIDSystem reports whether a CIDSystemInfo dictionary names
// the Adobe registry and one of its published orderings (Identity, the
// Unicode ordering of ToUnicode CMaps, the CJK collections): standard
// words, like PDF names, that say nothing of a document. Any other
// registry or ordering is read as text.
func registeredCIDSystem(r *reader, d types.Dict) bool {
	if d == nil || len(d) > 3 {
		return false
	}
	str := func(k string) string {
		v, _ := r.resolve(d[k]).(types.StringLiteral)
		return string(v)
	}
	switch str("Ordering") {
	case "Identity", "UCS", "Japan1", "GB1", "CNS1", "Korea1", "KR":
		return str("Registry") == "Adobe"
	}
	return false
}

// embeddedFontKey returns the key that names an embedded font (BaseFont,
// FontName), which the writer replaces by a neutral name, or "".
func embeddedFontKey(r *reader, d types.Dict) string {
	var key string
	var fd types.Dict
	typ := r.name(d["Type"])
	if typ == "" && d["FontName"] != nil && d["Flags"] != nil {
		typ = "FontDescriptor" // producers leave Type out
	}
	switch typ {
	case "FontDescriptor":
		key, fd = "FontName", d
	case "Font":
		key = "BaseFont"
		if r.name(d["Subtype"]) == "Type0" {
			if kids, ok := r.resolve(d["DescendantFonts"]).(types.Array); ok && len(kids) > 0 {
				fd = r.dict(r.dict(kids[0])["FontDescriptor"])
			}
		} else {
			fd = r.dict(d["FontDescriptor"])
		}
	default:
		return ""
	}
	if fd == nil || fd["FontFile"] == nil && fd["FontFile2"] == nil && fd["FontFile3"] == nil {
		return ""
	}
	return key
}

// stream reads a stream object: its dictionary, then its data as its kind
// asks.
func (w *objWalker) stream(sd *types.StreamDict, nr, depth int) {
	r := w.d.r
	w.dict(sd.Dict, nr, depth+1)
	if binaryStream(r, sd.Dict) || w.fontProgram(nr) {
		return
	}
	ft, isFunc := r.numOK(sd.Dict["FunctionType"])
	if isFunc && ft != 4 {
		return // sampled data or no data
	}
	if data, ok := w.held[nr]; ok {
		// Read as the rewriter writes it: without the marked-content
		// properties and custom tags it drops (marked.go).
		w.add(nr, "content stream", contentView(markedBlanks(data), w.shown[nr]))
		return
	}
	data, err := r.decodeOnce(sd, 0)
	if err != nil {
		w.err = fmt.Errorf("object %d cannot be decoded for inspection: %w", nr, redactors.ErrUninspectable)
		return
	}
	switch {
	case w.special[nr] == "cmap" || r.name(sd.Dict["Type"]) == "CMap":
		w.add(nr, "CMap", cmapView(data))
	case w.special[nr] == "procs" || isFunc || r.name(sd.Dict["Subtype"]) == "Form" || r.name(sd.Dict["Type"]) == "Pattern":
		// Glyph procedures, calculator functions, and forms and patterns
		// no page draws: every string in them is read.
		w.add(nr, "content stream", contentView(data, nil))
	default:
		w.add(nr, "stream", printableRuns(data))
	}
}

// fontProgram reports whether object nr is an embedded font program.
func (w *objWalker) fontProgram(nr int) bool {
	if w.d.fontFiles == nil {
		w.d.fontFiles = fontFiles(w.d)
	}
	return w.d.fontFiles[nr]
}

// fontFiles returns the object numbers of the embedded font programs.
func fontFiles(d *Document) map[int]bool {
	out := map[int]bool{}
	for _, e := range d.ctx.XRefTable.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		if fd, ok := e.Object.(types.Dict); ok && d.r.name(fd["Type"]) == "FontDescriptor" {
			for _, k := range []string{"FontFile", "FontFile2", "FontFile3"} {
				if ref, ok := fd[k].(types.IndirectRef); ok {
					out[ref.ObjectNumber.Value()] = true
				}
			}
		}
	}
	return out
}

// cmapView reads a CMap without its hex strings (codes and their
// targets): comments, literal strings, names that are not vocabulary. The
// strings of /Registry and /Ordering name a character collection
// ("Adobe", "UCS", "Japan1"), and a /CMapName shaped like the public
// CMaps' names (Registry-Ordering-Suffix: "Adobe-Identity-UCS",
// "Adobe-Japan1-UCS2") names one: vocabulary too.
func cmapView(data []byte) string {
	var b strings.Builder
	l := &lexer{data: data}
	last := 0
	collection := false // the previous token is /Registry or /Ordering
	cmapNamed := false  // the previous token is /CMapName
	for {
		t := l.next()
		b.Write(commentsIn(data[last:t.start]))
		if t.kind == tEOF {
			break
		}
		last = t.end
		was, afterName := collection, cmapNamed
		collection, cmapNamed = false, false
		switch t.kind {
		case tStr:
			if !was {
				b.WriteByte(' ')
				b.WriteString(textString(literalBytes(data[t.start:t.end])))
			}
		case tName:
			n := nameString(data[t.start:t.end])
			collection = n == "Registry" || n == "Ordering"
			if afterName && cmapNameShape.MatchString(n) {
				break
			}
			cmapNamed = n == "CMapName"
			if !pdfName(n) && !cmapWords[n] {
				b.WriteByte(' ')
				b.WriteString(n)
			}
		}
	}
	return b.String()
}

// commentsIn returns the comments in white space between tokens.
func commentsIn(b []byte) []byte {
	var out []byte
	for len(b) > 0 {
		i := strings.IndexByte(string(b), '%')
		if i < 0 {
			break
		}
		b = b[i+1:]
		j := strings.IndexAny(string(b), "\r\n")
		if j < 0 {
			j = len(b)
		}
		out = append(out, ' ')
		out = append(out, b[:j]...)
		b = b[j:]
	}
	return out
}

// cmapNameShape is the shape of the public CMaps' names.
var cmapNameShape = regexp.MustCompile(`^[A-Za-z]+-[A-Za-z0-9]+-(UCS2?|H|V|[0-9]+)$`)

// cmapWords are the names CMaps define (ISO 32000-1 9.7.5, Adobe TN 5014).
var cmapWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`CIDInit ProcSet CMapName CMapType CMapVersion CIDSystemInfo Registry Ordering Supplement UIDOffset XUID WMode CMap`) {
		cmapWords[w] = true
	}
}

// printableRuns returns the runs of four or more printable ASCII
// characters of b, one a line.
func printableRuns(b []byte) string {
	var out strings.Builder
	start := -1
	for i := 0; i <= len(b); i++ {
		if i < len(b) && b[i] >= 0x20 && b[i] < 0x7f {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start >= 4 {
			out.Write(b[start:i])
			out.WriteByte('\n')
		}
		start = -1
	}
	return out.String()
}

// objectsError is the error for edits in the objects part: the first
// edit's object, never its text.
func (d *Document) objectsError(e redactors.Edit) error {
	for _, s := range d.objSpans {
		if e.Start < s.end && e.End > s.start || e.Start == s.start {
			return fmt.Errorf("a detected value lies in object %d (a %s outside the page text), which Veil does not rewrite: %w", s.nr, s.what, redactors.ErrUninspectable)
		}
	}
	return fmt.Errorf("a detected value lies outside the page text, which Veil does not rewrite: %w", redactors.ErrUninspectable)
}
