package ooxml

import (
	"encoding/xml"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var vocabReport = flag.Bool("vocab-report", false, "list every slot of the corpus the vocabulary leaves as text")

// collector takes nothing: every attribute value and character data of a
// part reaches Text unless the vocabulary calls it structural.
type collector struct {
	part  string
	vocab *Vocabulary
	texts []found
}

type found struct {
	part, slot, value string
	class             Class
}

func (c *collector) Start(*Element) error                      { return nil }
func (c *collector) CharData(*Element, CharData) (bool, error) { return false, nil }
func (c *collector) End(*Element, Span) error                  { return nil }
func (c *collector) Markup(MarkupKind, Span) error             { return nil }
func (c *collector) Text(e *Element, t Text) error {
	attr := TextSlot
	if t.Attr >= 0 {
		attr = c.qname(e.Attrs[t.Attr].Name, false)
	}
	c.texts = append(c.texts, found{c.part, c.qname(e.Name, true) + " " + attr, t.Value, t.Class})
	return nil
}

func (c *collector) qname(n xml.Name, elem bool) string {
	if n.Space == "" {
		return n.Local
	}
	if p := c.vocab.Prefix(n.Space); p != "" {
		return p + ":" + n.Local
	}
	if n.Space == "xmlns" {
		return "xmlns:" + n.Local
	}
	return "{" + n.Space + "}" + n.Local
}

// corpusParts returns every XML part of the documents under
// testdata/corpus (Word- and LibreOffice-made packages, unpacked).
func corpusParts(t *testing.T) map[string][]byte {
	t.Helper()
	parts := map[string][]byte{}
	err := filepath.WalkDir("testdata/corpus", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".rels") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			parts[strings.TrimPrefix(filepath.ToSlash(p), "testdata/corpus/")] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) < 20 {
		t.Fatalf("corpus has %d parts", len(parts))
	}
	return parts
}

// TestVocabularyCoversCorpus keeps the vocabulary honest from one side:
// every attribute and every character data of every part of the corpus of
// real documents is classified by a rule (structural, known text, or a
// date), and the value of a structural slot has the slot's shape. A slot
// the vocabulary does not know would be text (safe, but noise for the
// detectors and a risk of over-redaction); a misfit means a shape is wrong.
func TestVocabularyCoversCorpus(t *testing.T) {
	v := Standard()
	slots := map[string]map[Class]int{}
	samples := map[string]string{}
	var names []string
	parts := corpusParts(t)
	for name := range parts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c := &collector{part: name, vocab: v}
		if err := Walk(parts[name], v, c); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range c.texts {
			if slots[f.slot] == nil {
				slots[f.slot] = map[Class]int{}
			}
			slots[f.slot][f.class]++
			if f.class != Structural {
				if _, ok := samples[f.slot]; !ok {
					samples[f.slot] = f.part + ": " + fmt.Sprintf("%.60q", f.value)
				}
			}
		}
	}
	var bad, text []string
	for slot, cls := range slots {
		if cls[Unknown]+cls[Misfit] > 0 {
			bad = append(bad, fmt.Sprintf("%-50s unknown %d misfit %d  e.g. %s", slot, cls[Unknown], cls[Misfit], samples[slot]))
		}
		if cls[KnownText]+cls[Date] > 0 {
			text = append(text, fmt.Sprintf("%-50s text %d date %d  e.g. %s", slot, cls[KnownText], cls[Date], samples[slot]))
		}
	}
	sort.Strings(bad)
	sort.Strings(text)
	if *vocabReport {
		for _, b := range bad {
			fmt.Println(b)
		}
		fmt.Println("-- text slots --")
		for _, b := range text {
			fmt.Println(b)
		}
	}
	if len(bad) > 0 {
		t.Errorf("%d slots of the corpus are not classified (go test -run Corpus -vocab-report lists them):\n%s", len(bad), strings.Join(bad[:min(len(bad), 40)], "\n"))
	}
	r, e := v.Len()
	t.Logf("%d parts; vocabulary: %d rules, %d list entries (%s)", len(parts), r, e, strings.Join(v.Lists(), ", "))
}

// identifying values an attacker would hide in a slot. None may be called
// structural in any slot of the vocabulary: they all have letters, and no
// list holds them.
var identifying = []string{
	"Maria Sandoval", "Sandoval", "SANDOVAL", "msandoval", "m.sandoval@example.net",
	"Sandoval Exhibit %1:", "Dr. Helen Fielding", "Client_Maria_Sandoval", "MRN 00482913",
	"DOB 1985-02-11", "c:\\Users\\msandoval\\Clients.xlsx", "Sandoval2024", "HF-Sandoval",
	"Maria;Sandoval", "maria:sandoval", "position:absolute;font-family:Sandoval",
}

// TestNoSlotHidesAName keeps the vocabulary honest from the other side:
// for every rule, a value that names a person is text, never structural.
func TestNoSlotHidesAName(t *testing.T) {
	v := Standard()
	root := &Element{Name: xml.Name{Local: "root"}}
	root.prefixes = []string{"w", "w14", "mc"}
	n := 0
	for k, r := range v.rules {
		e := &Element{Name: xml.Name{Local: k.elem}, Parent: root}
		for _, val := range identifying {
			if c := v.classify(r, e, val); c == Structural {
				t.Errorf("%s:%s %s:%s (line %d) calls %q structural", k.elemNS, k.elem, k.attrNS, k.attr, r.line, val)
			}
			n++
		}
	}
	t.Logf("%d rule × value pairs", n)
}

// TestClassify: what is not in the vocabulary, or does not fit its slot,
// is text; only fitting values of listed slots are structural.
func TestClassify(t *testing.T) {
	v := Standard()
	w := "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	el := func(space, local string) *Element {
		root := &Element{Name: xml.Name{Space: w, Local: "document"}, prefixes: []string{"w", "w14"}}
		return &Element{Name: xml.Name{Space: space, Local: local}, Parent: root}
	}
	a := func(space, local string) xml.Name { return xml.Name{Space: space, Local: local} }
	cases := []struct {
		name  string
		e     *Element
		attr  xml.Name
		value string
		want  Class
	}{
		{"font size", el(w, "sz"), a(w, "val"), "22", Structural},
		{"font size that is a name", el(w, "sz"), a(w, "val"), "Sandoval", Misfit},
		{"record number in a size", el(w, "sz"), a(w, "val"), "00482913", Misfit},
		{"numbering text", el(w, "lvlText"), a(w, "val"), "%1.", Structural},
		{"numbering text with a name", el(w, "lvlText"), a(w, "val"), "Sandoval Exhibit %1:", KnownText},
		{"Word's hollow bullet", el(w, "lvlText"), a(w, "val"), "o", Structural},
		{"built-in style", el(w, "pStyle"), a(w, "val"), "Heading1", Structural},
		{"custom style", el(w, "pStyle"), a(w, "val"), "SandovalLetterhead", KnownText},
		{"content-control tag", el(w, "tag"), a(w, "val"), "Sandoval", KnownText},
		{"permission editor", el(w, "permStart"), a(w, "ed"), "m.sandoval@example.net", KnownText},
		{"revision date", el(w, "ins"), a(w, "date"), "2024-03-01T14:31:00Z", Date},
		{"revision date that is not a date", el(w, "ins"), a(w, "date"), "Maria", Misfit},
		{"unknown attribute of a known element", el(w, "p"), a(w, "client"), "Maria Sandoval", Unknown},
		{"unknown attribute holding a number", el(w, "p"), a(w, "mrn"), "00482913", Unknown},
		{"unknown namespace", el("urn:example:ehr", "Patient"), a("", "name"), "Maria Sandoval", Unknown},
		{"unknown namespace, date", el("urn:example:ehr", "Patient"), a("", "dob"), "1985-02-11", Unknown},
		{"unknown element text", el("urn:example:ehr", "Patient"), a("", TextSlot), "x", Unknown},
		{"whitespace", el("urn:example:ehr", "Patient"), a("", "name"), "  ", Structural},
		{"declared prefixes", el(w, "document"), a("http://schemas.openxmlformats.org/markup-compatibility/2006", "Ignorable"), "w14", Structural},
		{"undeclared prefix", el(w, "document"), a("http://schemas.openxmlformats.org/markup-compatibility/2006", "Ignorable"), "w14 maria", Misfit},
		{"chart number", el("http://schemas.openxmlformats.org/drawingml/2006/chart", "v"), a("", TextSlot), "4.5", Structural},
		{"chart literal", el("http://schemas.openxmlformats.org/drawingml/2006/chart", "v"), a("", TextSlot), "Maria Sandoval", KnownText},
		{"custom property integer", el("http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes", "i4"), a("", TextSlot), "482913", Structural},
		{"custom property date", el("http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes", "filetime"), a("", TextSlot), "1985-02-11T00:00:00Z", Date},
	}
	for _, c := range cases {
		var got Class
		if c.attr.Local == TextSlot {
			got = v.ClassifyText(c.e, c.value)
		} else {
			got = v.ClassifyAttr(c.e, c.attr, c.value)
		}
		if got != c.want {
			t.Errorf("%s: %q is %s, want %s", c.name, c.value, got, c.want)
		}
	}
	if c := v.ClassifyAttr(el(w, "document"), a("xmlns", "ehr"), "urn:example:ehr"); c != Unknown {
		t.Errorf("an unknown namespace declaration is %s", c)
	}
	if c := v.ClassifyAttr(el(w, "document"), a("xmlns", "w"), w); c != Structural {
		t.Errorf("a known namespace declaration is %s", c)
	}
}

// TestShapes: every shape with values it takes and values it refuses.
func TestShapes(t *testing.T) {
	v := Standard()
	root := &Element{prefixes: []string{"w", "w14"}}
	e := &Element{Parent: root}
	for _, c := range []struct {
		shape    string
		yes, not []string
	}{
		{"int", []string{"0", "-1", "22", "51206400", "-2147483648"}, []string{"00482913", "1.5", "12pt", "", "x"}},
		{"uint", []string{"0", "9"}, []string{"-1"}},
		{"dec", []string{"4.5", "6.0999999999999996", "-0.25", "1E-3", "0"}, []string{"", ".", "1.2.3", "x1"}},
		{"measure", []string{"12pt", "1.5in", "50%", "-3.6pt", "0", "21600f"}, []string{"pt", "12 pt", "Sandoval"}},
		{"hex", []string{"00A41C2D", "BF", "020F0502020204030204"}, []string{"0x1F", "G1"}},
		{"color", []string{"2F5496", "#fff", "FFFFFF00"}, []string{"auto", "2F549"}},
		{"bool", []string{"true", "0", "t", "off"}, []string{"yes", "2"}},
		{"guid", []string{"{62F939B6-93AF-4DB8-9C6B-D6C7DFDC589F}", "62f939b6-93af-4db8-9c6b-d6c7dfdc589f"}, []string{"{62F939B6}"}},
		{"relid", []string{"rId1", "rId13", "R3f2a9c417b1d4e6a"}, []string{"rIdSandoval", "Maria"}},
		{"lang", []string{"en-US", "zh-CN", "sr-Latn-RS", "x-none", "0409", "de"}, []string{"english", "Sandoval"}},
		{"partname", []string{"/word/document.xml", "media/image1.png", "../customXml/item1.xml", "/_rels/.rels", "embeddings/Microsoft_Excel_Worksheet.xlsx"}, []string{"https://example.org/a.xml", "word/Maria Sandoval.png", "file:///C:/x.xml"}},
		{"bookmark", []string{"_Toc160000001", "_GoBack", "__RefHeading___Toc123_456"}, []string{"Sandoval", "steps"}},
		{"vmlid", []string{"_x0000_s1026", "_x0000_t202", "#_x0000_t202", "shape_0"}, []string{"Text Box 2"}},
		{"software", []string{"Microsoft Office Word", "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2"}, []string{"Sandoval Office"}},
		{"appversion", []string{"16.0000", "15.0000"}, []string{"16"}},
		{"vmlpath", []string{"m,l,21600r21600,l21600,xe", "m@0,l@0@1e"}, []string{"maria"}},
		{"vmlformula", []string{"sum #0 0 10800", "val #0"}, []string{"sum Maria"}},
		{"numlist", []string{"21600,21600", "0,0 100,100", "@0,@1", "91440emu,45720emu"}, []string{"Maria", "1,Maria"}},
		{"enum", []string{"left", "accent1", "Cover Pages", "Office Theme"}, []string{"Left", "Sandoval"}},
		{"enums", []string{"left right"}, []string{"left Sandoval"}},
		{"ns", []string{"http://schemas.openxmlformats.org/wordprocessingml/2006/main"}, []string{"urn:example:ehr"}},
		{"uri", []string{"http://schemas.openxmlformats.org/drawingml/2006/picture", "{28A0092B-C50C-407E-A947-70E740481C1C}"}, []string{"https://example.org"}},
		{"reltype", []string{"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"}, []string{"http://schemas.openxmlformats.org/officeDocument/2006/relationships/Sandoval"}},
		{"ctype", []string{"image/png", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"}, []string{"application/vnd.openxmlformats-officedocument.sandoval+xml"}},
		{"font", []string{"Calibri", "Liberation Serif", "+mn-lt", "@MS Gothic", "Liberation Sans Unicode MS", "Arial CE", "Times New Roman (Central European)", "DejaVu Sans Bold Oblique"},
			[]string{"Sandoval Script", "Liberation Sans Sandoval", "Sandoval Bold", "Arial  CE", "Bold", "Arial (Central)"}},
		{"stylename", []string{"heading 1", "Heading 1 Char", "Grid Table 4 Accent 1", "List Number 3", "Footnote Characters"}, []string{"Sandoval Letterhead"}},
		{"styleid", []string{"Heading1", "Heading1Char", "GridTable4-Accent1", "CommentText", "Annotationtext", "Caption1", "TOC3"}, []string{"SandovalLetterhead"}},
		{"prefixes", []string{"w14", "w w14"}, []string{"w15", "maria"}},
		{"lvltext", []string{"%1.", "%1.%2)", "(%3)", "", "o", "§ %1", "-"}, []string{"Exhibit %1", "Sandoval %1:", "oo"}},
		{"numfmt", []string{"General", "0.00", "#,##0", "m/d/yyyy", "[$-409]mmmm d, yyyy;@", "[Red]0.0", "0%", "h:mm AM/PM"}, []string{`"Maria"0`, "Sandoval 0"}},
		{"datefmt", []string{"M/d/yyyy", "MMMM d, yyyy", "dddd, MMMM dd, yyyy", "h:mm am/pm"}, []string{"'Maria' d"}},
		{"css", []string{"position:absolute;margin-left:134.7pt;width:185.9pt;z-index:251659264;visibility:visible;mso-position-horizontal:right"}, []string{"position:absolute;font-family:Sandoval", "maria:1pt"}},
		{"base64", []string{"UEsDBBQABgAIAAAAIQC2gziS/gAAAOEBAAATAAAAW0NvbnRlbnRfVHlwZXNdLnhtbJSRQU7DMBBF"}, []string{"MariaSandovalAbc", "short"}},
		{"sym", []string{".", ",", "•", "-"}, []string{"a", "1", "....."}},
		{"docpart", []string{"DefaultPlaceholder_-1854013437", "7B83DF5B1F4E4D3F9C9A2B4E0C3E1F2A"}, []string{"Sandoval"}},
		{"gdname", []string{"adj", "adj2", "x1"}, []string{"sandoval"}},
		{"gdfmla", []string{"val 50000", "*/ w adj 100000", "pin 0 adj1 50000"}, []string{"val Sandoval"}},
		{"ext", []string{"png", "rels", "xml", "xlsx"}, []string{"maria"}},
		{"script", []string{"Jpan", "Deva"}, []string{"Mari"}},
		{"progid", []string{"Word.Document.12", "Excel.Sheet.12", "Equation.3"}, []string{"Sandoval.Record"}},
	} {
		sh, err := v.shape(c.shape)
		if err != nil {
			t.Fatalf("%s: %v", c.shape, err)
		}
		for _, y := range c.yes {
			if !sh(y, e) {
				t.Errorf("%s refuses %q", c.shape, y)
			}
		}
		for _, n := range c.not {
			if sh(n, e) {
				t.Errorf("%s takes %q", c.shape, n)
			}
		}
	}
}

// TestParseVocabularyErrors: a vocabulary that does not load says where.
func TestParseVocabularyErrors(t *testing.T) {
	base := "[namespaces]\nw http://w\n[list enum]\nx\n[list font]\nx\n[list stylename]\nx\n[list reltype]\nx\n[list ctype]\nx\n[list uri]\nx\n[list cssprop]\nx\n[list category]\nx\n[rules]\n"
	for _, c := range []struct{ data, want string }{
		{base + "w:a w:b nosuchshape\n", "unknown shape"},
		{base + "w:a w:b int\nw:a w:b int\n", "again"},
		{base + "q:a w:b int\n", "undeclared prefix"},
		{base + "a w:b int\n", "needs a prefix"},
		{base + "w:a int\n", "ELEMENT ATTRIBUTE SHAPE"},
		{"[namespaces]\nw http://w\n[rules]\nw:a w:b enum\n", "needs [list enum]"},
		{"x\n", "outside a section"},
		{"[section]\n", "unknown section"},
	} {
		_, err := ParseVocabulary(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.data[max(0, len(c.data)-40):], err, c.want)
		}
	}
	if _, err := ParseVocabulary(base + "w:{a|b} w:{c|d} int text\n"); err != nil {
		t.Errorf("valid: %v", err)
	}
}

// TestClassifierAgrees: a Classifier (the slot cache) classifies every
// attribute and character data of the corpus as the Vocabulary does, with
// the walker's interned names, with names that are copies, and through a
// single Classifier for the whole corpus (keys of many parts colliding).
func TestClassifierAgrees(t *testing.T) {
	v := Standard()
	all := v.NewClassifier()
	defer all.Release()
	for name, x := range corpusParts(t) {
		var c attrCollector
		if err := Walk(x, v, &c); err != nil {
			t.Fatal(err)
		}
		cl := v.NewClassifier()
		for _, e := range c.elems {
			for _, a := range e.Attrs {
				want := v.ClassifyAttr(e, a.Name, a.Value)
				cp := xml.Name{Space: strings.Clone(a.Name.Space), Local: strings.Clone(a.Name.Local)}
				for _, got := range []Class{cl.ClassifyAttr(e, a.Name, a.Value), cl.ClassifyAttr(e, cp, a.Value), all.ClassifyAttr(e, a.Name, a.Value)} {
					if got != want {
						t.Fatalf("%s: %s %s=%q: %v, the vocabulary says %v", name, e.Name.Local, a.Name.Local, a.Value, got, want)
					}
				}
			}
			if got, want := cl.ClassifyText(e, "Tamsin Everard"), v.ClassifyText(e, "Tamsin Everard"); got != want {
				t.Fatalf("%s: text of %s: %v, the vocabulary says %v", name, e.Name.Local, got, want)
			}
		}
		cl.Release()
	}
}

// TestSlotCacheKeepsVocabulariesApart: slot caches are pooled across
// walks, so a walk with another vocabulary must not take the rule the
// standard one found for the same names.
func TestSlotCacheKeepsVocabulariesApart(t *testing.T) {
	lists := "[list enum]\nx\n[list font]\nx\n[list stylename]\nx\n[list reltype]\nx\n[list ctype]\nx\n[list uri]\nx\n[list cssprop]\nx\n[list category]\nx\n"
	other, err := ParseVocabulary("[namespaces]\nq urn:q\n" + lists + "[rules]\n* plain int\n")
	if err != nil {
		t.Fatal(err)
	}
	x := []byte(`<root plain="12" other="Tamsin Everard"/>`)
	for range 3 {
		var std, oth collector
		std.vocab, oth.vocab = Standard(), other
		if err := Walk(x, Standard(), &std); err != nil {
			t.Fatal(err)
		}
		if err := Walk(x, other, &oth); err != nil {
			t.Fatal(err)
		}
		if len(std.texts) != 2 || len(oth.texts) != 1 {
			t.Fatalf("standard %v, other %v: want both attributes from the standard vocabulary, only the unlisted one from the other", std.texts, oth.texts)
		}
	}
}

// TestFamilyNamespaces: a namespace URI of the OOXML, ODF or Microsoft
// extension families is structure in an xmlns attribute even when
// [namespaces] does not list it (x14's xm:, ODF modules); a URI under a
// family's root whose path holds any other word (it could be a name) is
// not, nor is a URI of another host (session sheetdoor2, issue 13).
func TestFamilyNamespaces(t *testing.T) {
	v := Standard()
	e := &Element{Name: xml.Name{Space: "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main", Local: "dataValidations"}}
	for u, want := range map[string]bool{
		"http://schemas.microsoft.com/office/excel/2006/main":                  true,
		"http://schemas.microsoft.com/office/spreadsheetml/2017/richdata2":     true,
		"urn:oasis:names:tc:opendocument:xmlns:table:1.0":                      true,
		"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0": true,
		"http://www.w3.org/1998/Math/MathML":                                   true,
		"http://schemas.openxmlformats.org/spreadsheetml/2006/main":            true,
		"http://schemas.microsoft.com/office/quillanby/2006/main":              false,
		"http://schemas.openxmlformats.org/orsolya-quillanby":                  false,
		"urn:oasis:names:tc:opendocument:xmlns:quillanby:1.0":                  false,
		"http://example.org/2006/main":                                         false,
		"https://schemas.microsoft.com/office/excel/2006/main":                 false,
	} {
		for _, a := range []xml.Name{{Space: "xmlns", Local: "xm"}, {Local: "xmlns"}} {
			if got := v.ClassifyAttr(e, a, u) == Structural; got != want {
				t.Errorf("%s=%q: structural %v, want %v", a.Local, u, got, want)
			}
		}
		if got := v.IsNamespace(u); got != want {
			t.Errorf("IsNamespace(%q) = %v", u, got)
		}
	}
}
