package ooxml

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// A shape recognises the values of one kind of structural slot. The set
// of shapes is closed (this file); the slots that use them, and the lists
// some of them read, are data (vocabulary.txt). Every shape is tight
// enough that a person's name does not fit it, unless the name is itself
// a value of the list the shape reads (an enumeration value "brown", a
// font called "Gautami"): such values are in every document of their kind
// and identify nobody.
type shape func(value string, e *Element) bool

// shapeNames are every shape of this file.
var shapeNames = strings.Fields(`int uint dec measure hex color bool guid relid lang partname bookmark
	vmlid software appversion vmlpath vmlformula progid docpart datefmt base64 gdname gdfmla sym ext
	script numlist enum reltype ctype cssprop enums uri ns font stylename styleid prefixes lvltext
	numfmt css cellref fieldtype fieldformat category`)

// listShapes are the shapes that read a list of vocabulary.txt (true:
// the list must exist).
var listShapes = map[string]bool{
	"enum": true, "font": true, "stylename": true, "reltype": true, "ctype": true, "uri": true, "cssprop": true,
	"category":  true,
	"fieldtype": false, "fieldformat": false, // read by the formats, not by rules
}

var (
	// whole numbers without leading zeros (a record number "00482913" is
	// not a measurement), up to 12 digits
	reDec = regexp.MustCompile(`^-?(0|[1-9][0-9]{0,14})?(\.[0-9]{1,17})?([eE][-+]?[0-9]{1,3})?$`)
	// a number with a unit (ST_UniversalMeasure, percentages, VML and
	// CSS lengths, fixed-point "f" of VML, EMU "emu")
	reMeasure = regexp.MustCompile(`^-?(0|[1-9][0-9]{0,11})?(\.[0-9]{1,12})?(pt|in|cm|mm|pc|pi|px|em|ex|%|f|fd|emu)?$`)
	reColor   = regexp.MustCompile(`^#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8}|[0-9A-Fa-f]{3})$`)
	reGUID    = regexp.MustCompile(`^\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?$`)
	// relationship ids as Word, LibreOffice and the Open XML SDK write them
	reRelID = regexp.MustCompile(`^(rId[0-9]{1,7}|R[0-9A-Fa-f]{8,32}|rel[0-9]{1,7}|id[0-9]{1,7})$`)
	// language tags as Office writes them: "en-US", "zh-CN", "sr-Latn-RS",
	// "x-none"; or a hexadecimal LCID
	reLang = regexp.MustCompile(`^([a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?|x-none|[0-9A-Fa-f]{4})$`)
	// part names and internal relationship targets made of the words
	// Office uses for its parts (see safeNameRE of docx for the same idea)
	rePartName = regexp.MustCompile(`^/?((\.\.|[A-Za-z]+|_rels|\[Content_Types\])/)*` +
		`(\[Content_Types\]|[A-Za-z_]+[0-9]*|)(\.(xml|rels|bin|png|jpe?g|gif|emf|wmf|tiff?|bmp|svg|wdp|odttf|ttf|fntdata|xlsx|xls|docx|pptx|mht|vml|jpeg|webp))+$`)
	reBookmark = regexp.MustCompile(`^(_Toc|_Ref|_Hlk|_GoBack|_Int_|_Hlt|_Ptr|__RefHeading___Toc|__RefNumPara__|__DdeLink__|_heading=h\.|__Fieldmark__)[A-Za-z0-9_.]*$`)
	reVMLID    = regexp.MustCompile(`^(shape_?[0-9]{1,10}|_x0000_[a-z][0-9]{1,10}|_x0000_t[0-9]{1,4}|#_x0000_t[0-9]{1,4}|_x[0-9]{1,10}_?|[0-9]{1,10})$`)
	// date and time values of xsd:dateTime, W3CDTF and VT_FILETIME
	reDate = regexp.MustCompile(`^[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?$`)
	// producers, as Word and LibreOffice write them in app.xml
	reSoftware   = regexp.MustCompile(`^(Microsoft (Office|Macintosh) Word|Microsoft Office Outlook|LibreOffice/[0-9.]+(\$[A-Za-z0-9_]+ LibreOffice_project/[0-9A-Za-z$-]+)?|OpenOffice\.org/[0-9.]+\$[A-Za-z0-9_]+ OpenOffice\.org_project/[0-9A-Za-z$-]+|Google Docs|WPS Office|Microsoft Office Word|Microsoft Office Excel|Microsoft Excel|Microsoft Office PowerPoint|Microsoft Macintosh Excel|Microsoft Macintosh PowerPoint|Microsoft Office Online)$`)
	reAppVersion = regexp.MustCompile(`^[0-9]{1,2}\.[0-9]{4}$`)
	// VML path commands (m, l, c, x, e …) and their arguments
	reVMLPath = regexp.MustCompile(`^((m|l|c|x|e|t|r|v|nf|ns|ae|al|at|ar|wa|wr|qx|qy|qb|[-@#0-9.,\s])*)$`)
	// VML formulas: an operation and its arguments
	reVMLFormula = regexp.MustCompile(`^(val|sum|prod|mid|abs|min|max|if|mod|atan2|sin|cos|cosfine|sinfine|sqrt|sumangle|ellipse|tan)(\s+(-?[0-9]{1,10}|[#@][0-9]{1,4}|width|height|xcenter|ycenter|xlimo|ylimo|xrange|yrange|pixelWidth|pixelHeight|pixelLineWidth|emuWidth|emuHeight|emuWidth2|emuHeight2|lineDrawn|hasStroke|hasFill)){0,3}$`)
	reNumList    = regexp.MustCompile(`^[-+#@0-9.,;\s%a-z]*$`)
	reNumListTok = regexp.MustCompile(`^(-?[0-9.]+(pt|in|cm|mm|px|f|fd|emu|%)?|@[0-9]+|#[0-9]+|[0-9.]+e-?[0-9]+)$`)
	// the name of an OLE class or a ProgID ("Word.Document.12")
	reDocPart = regexp.MustCompile(`^(DefaultPlaceholder_-?[0-9]{1,12}|[0-9A-Fa-f]{32}|\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?)$`)
	// a date picture of a date picker (no quoted literals)
	reDateFmt = regexp.MustCompile(`^[dMyHhmsgtAPap/.,:;\- ]{1,40}$`)
	// base64 (hashes, salts, the drawings VML keeps in o:gfxdata)
	reBase64 = regexp.MustCompile(`^[A-Za-z0-9+/\s]{16,}={0,2}$`)
	// a guide name or formula of a DrawingML custom geometry
	reGdName = regexp.MustCompile(`^(adj[0-9]{0,2}|[a-z]{1,4}[0-9]{0,3})$`)
	reGdFmla = regexp.MustCompile(`^(val|\*/|\+-|\+/|\?:|abs|at2|cat2|cos|max|min|mod|pin|sat2|sin|sqrt|tan)( (-?[0-9]{1,12}|adj[0-9]{0,2}|[a-z]{1,4}[0-9]{0,3})){1,3}$`)
	// SpreadsheetML cell references and ranges, one or more ("A1",
	// "$B$2:$C$9", "A:C", "1:3", "A1 C3:D4")
	reCellRef = regexp.MustCompile(`^(\$?[A-Z]{1,3}\$?[0-9]{1,7}(:\$?[A-Z]{1,3}\$?[0-9]{1,7})?|\$?[A-Z]{1,3}:\$?[A-Z]{1,3}|\$?[0-9]{1,7}:\$?[0-9]{1,7})( \$?[A-Z]{1,3}\$?[0-9]{1,7}(:\$?[A-Z]{1,3}\$?[0-9]{1,7})?)*$`)
	reProgID  = regexp.MustCompile(`^(Word|Excel|PowerPoint|Equation|Package|Paint|Visio|AcroExch|MSGraph|opendocument)(\.[A-Za-z0-9]+){1,3}$`)
)

func isDate(s string) bool { return reDate.MatchString(s) }

// isInt is reInt without the regular expression (the most common shape:
// sizes, ids, positions).
func isInt(s string) bool {
	if strings.HasPrefix(s, "-") {
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 12 || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isHex reports whether s is 1 to max hexadecimal digits.
func isHex(s string, max int) bool {
	if len(s) == 0 || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// shape returns the shape called name.
func (v *Vocabulary) shape(name string) (shape, error) {
	re := func(r *regexp.Regexp) shape { return func(s string, _ *Element) bool { return r.MatchString(s) } }
	list := func(l string) shape {
		m := v.lists[l]
		return func(s string, _ *Element) bool { return m[s] }
	}
	if _, ok := listShapes[name]; ok && v.lists[name] == nil {
		return nil, fmt.Errorf("shape %s needs [list %s] before the rules that use it", name, name)
	}
	switch name {
	case "int":
		return func(s string, _ *Element) bool { return isInt(s) }, nil
	case "uint":
		return func(s string, _ *Element) bool { return !strings.HasPrefix(s, "-") && isInt(s) }, nil
	case "dec":
		return func(s string, _ *Element) bool {
			return isInt(s) || s != "" && s != "-" && s != "." && reDec.MatchString(s)
		}, nil
	case "measure":
		return func(s string, _ *Element) bool {
			return isInt(s) || strings.ContainsAny(s, "0123456789") && reMeasure.MatchString(s)
		}, nil
	case "hex":
		return func(s string, _ *Element) bool { return isHex(s, 40) }, nil
	case "color":
		return func(s string, _ *Element) bool {
			h := strings.TrimPrefix(s, "#")
			return (len(h) == 6 || len(h) == 8 || len(h) == 3) && isHex(h, 8)
		}, nil
	case "bool":
		return func(s string, _ *Element) bool {
			switch s {
			case "true", "false", "on", "off", "0", "1", "t", "f", "True", "False", "TRUE", "FALSE":
				return true
			}
			return false
		}, nil
	case "guid":
		return re(reGUID), nil
	case "relid":
		return re(reRelID), nil
	case "lang":
		return re(reLang), nil
	case "partname":
		return re(rePartName), nil
	case "bookmark":
		return re(reBookmark), nil
	case "vmlid":
		return re(reVMLID), nil
	case "software":
		return re(reSoftware), nil
	case "appversion":
		return re(reAppVersion), nil
	case "vmlpath":
		return re(reVMLPath), nil
	case "vmlformula":
		return re(reVMLFormula), nil
	case "progid":
		return re(reProgID), nil
	case "cellref":
		return re(reCellRef), nil
	case "docpart":
		return func(s string, _ *Element) bool { return DocPartStructural(s) }, nil
	case "datefmt":
		return re(reDateFmt), nil
	case "base64":
		return func(s string, _ *Element) bool {
			return reBase64.MatchString(s) && strings.ContainsAny(s, "0123456789+/")
		}, nil
	case "gdname":
		return re(reGdName), nil
	case "gdfmla":
		return re(reGdFmla), nil
	case "sym":
		return func(s string, _ *Element) bool {
			n := 0
			for _, r := range s {
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					return false
				}
				n++
			}
			return n >= 1 && n <= 3
		}, nil
	case "ext":
		return func(s string, _ *Element) bool { return extensions[strings.ToLower(s)] }, nil
	case "script":
		return func(s string, _ *Element) bool { return scripts[s] }, nil
	case "numlist":
		return func(s string, _ *Element) bool {
			if !reNumList.MatchString(s) {
				return false
			}
			for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
				if !reNumListTok.MatchString(t) {
					return false
				}
			}
			return true
		}, nil
	case "enum", "reltype", "ctype", "cssprop":
		return list(name), nil
	case "fieldtype", "fieldformat": // field instructions, any case
		m := v.lists[name]
		return func(s string, _ *Element) bool { return m[strings.ToUpper(s)] }, nil
	case "enums": // space-separated enumeration values
		m := v.lists["enum"]
		return func(s string, _ *Element) bool {
			for _, t := range strings.Fields(s) {
				if !m[t] {
					return false
				}
			}
			return true
		}, nil
	case "uri":
		m := v.lists["uri"]
		return func(s string, _ *Element) bool { return m[s] || v.uris[s] || reGUID.MatchString(s) }, nil
	case "ns":
		return func(s string, _ *Element) bool { return v.IsNamespace(s) }, nil
	case "font":
		m, styles := v.lists["font"], v.lists["font-style"]
		return func(s string, _ *Element) bool {
			s = strings.TrimPrefix(s, "@") // a vertical-text face
			return m[s] || styledFont(s, m, styles)
		}, nil
	case "stylename":
		// w:name is the slot of style, building block and category names
		m, cats := v.lists["stylename"], v.lists["category"]
		return func(s string, _ *Element) bool {
			return m[s] || m[strings.ToLower(s)] || strings.HasSuffix(s, " Char") && m[strings.TrimSuffix(s, " Char")] ||
				cats[s] || numbered(s, NeutralStyleName) || numbered(s, NeutralDocPartName) || numbered(s, NeutralCategoryName)
		}, nil
	case "category": // a building block category: built in, or neutral
		m := v.lists["category"]
		return func(s string, _ *Element) bool { return m[s] || numbered(s, NeutralCategoryName) }, nil
	case "styleid":
		ids := map[string]bool{}
		for n := range v.lists["stylename"] {
			for _, id := range []string{styleID(n), libreOfficeStyleID(n)} {
				ids[id], ids[id+"Char"] = true, true
			}
		}
		for n := range v.lists["styleid"] {
			ids[n], ids[n+"Char"] = true, true
		}
		return func(s string, _ *Element) bool {
			// LibreOffice numbers a second style of one id: "Caption1"
			return ids[s] || ids[strings.TrimRightFunc(s, unicode.IsDigit)] || numbered(s, NeutralStyleID)
		}, nil
	case "prefixes":
		return func(s string, e *Element) bool {
			for _, p := range strings.Fields(s) {
				if e == nil || !e.Declared(p) {
					return false
				}
			}
			return true
		}, nil
	case "lvltext":
		return lvlText, nil
	case "numfmt":
		return numFmt, nil
	case "css":
		props, enums := v.lists["cssprop"], v.lists["enum"]
		fonts, styles := v.lists["font"], v.lists["font-style"]
		font := func(s string) bool { return fonts[s] || styledFont(s, fonts, styles) }
		return func(s string, _ *Element) bool { return css(s, props, enums, font) }, nil
	}
	return nil, fmt.Errorf("unknown shape %q", name)
}

// styleID is the id Word derives from a built-in style name: the letters
// and digits, each word capitalised ("heading 1" → "Heading1",
// "Normal (Web)" → "NormalWeb", "Grid Table 4 Accent 1" → "GridTable4-Accent1").
func styleID(name string) string {
	var b strings.Builder
	up := true
	for _, r := range name {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if up {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	id := b.String()
	if i := strings.Index(id, "Accent"); i > 0 && strings.Contains(name, " Accent ") {
		id = id[:i] + "-" + id[i:]
	}
	return id
}

// libreOfficeStyleID is the id LibreOffice derives from a style name: the
// letters and digits, the first capitalised ("annotation text" →
// "Annotationtext").
func libreOfficeStyleID(name string) string {
	var b strings.Builder
	for _, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if b.Len() == 0 {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// lvlText: a numbering level's text that holds only level placeholders
// (%1…%9), digits, punctuation, symbols and bullets, or the letter "o"
// alone (Word's hollow bullet in Courier New).
func lvlText(s string, _ *Element) bool {
	if s == "o" {
		return true
	}
	for _, r := range s {
		if unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// numFmt: a number format code ("General", "0.00", "#,##0", "m/d/yyyy",
// "[$-409]mmmm d, yyyy;@", "[Red]…") without quoted literal text: letters
// only of date and time codes, "General", colours and locales in brackets.
func numFmt(s string, _ *Element) bool {
	if strings.ContainsAny(s, `"\`) {
		return false
	}
	rest := s
	for {
		i := strings.IndexByte(rest, '[')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], ']')
		if j < 0 {
			return false
		}
		inner := rest[i+1 : i+j]
		switch {
		case strings.HasPrefix(inner, "$"), strings.HasPrefix(inner, ">"), strings.HasPrefix(inner, "<"), strings.HasPrefix(inner, "="):
			for _, r := range inner {
				if unicode.IsLetter(r) && !strings.ContainsRune("ABCDEFabcdef", r) && r != '$' {
					return false
				}
			}
		default:
			switch strings.ToLower(inner) {
			case "red", "black", "blue", "cyan", "green", "magenta", "white", "yellow", "h", "hh", "m", "mm", "s", "ss":
			default:
				if !strings.HasPrefix(strings.ToLower(inner), "color") {
					return false
				}
			}
		}
		rest = rest[:i] + rest[i+j+1:]
	}
	rest = strings.ReplaceAll(rest, "General", "")
	rest = strings.ReplaceAll(rest, "AM/PM", "")
	rest = strings.ReplaceAll(rest, "A/P", "")
	for _, r := range rest {
		if unicode.IsLetter(r) && !strings.ContainsRune("dmyhsEeBb", r) {
			return false
		}
	}
	return true
}

// css: a VML style attribute, "property:value;…", of known properties and
// values that are measures, enumeration values, colours or numbers, and a
// font-family that is one widely shipped font (font), quoted or not.
func css(s string, props, enums map[string]bool, font func(string) bool) bool {
	for _, decl := range strings.Split(s, ";") {
		decl = strings.TrimSpace(decl)
		if decl == "" {
			continue
		}
		p, val, ok := strings.Cut(decl, ":")
		val = strings.TrimSpace(val)
		if ok && strings.TrimSpace(p) == "font-family" {
			if f := strings.Trim(val, `"'`); f == "" || !font(f) {
				return false
			}
			continue
		}
		if !ok || !props[strings.TrimSpace(p)] {
			return false
		}
		if !(enums[val] || reMeasure.MatchString(val) || reColor.MatchString(val) || reDec.MatchString(val)) {
			return false
		}
	}
	return true
}

// extensions are the file extensions of parts Office writes.
var extensions = map[string]bool{}

// scripts are the ISO 15924 codes of the script slots of Office themes.
var scripts = map[string]bool{}

func init() {
	for _, e := range strings.Fields("rels xml png jpeg jpg jpe jfif gif bmp dib tif tiff emf wmf emz wmz svg wdp jxr webp ico pict bin xlsx xlsm xls docx docm doc pptx pptm ppt sldx odttf ttf otf fntdata vml mht mhtml htm html txt rtf glb mp3 mp4 wav wma wmv avi mov m4a m4v") {
		extensions[e] = true
	}
	for _, s := range strings.Fields("Jpan Hang Hans Hant Arab Hebr Thai Ethi Beng Gujr Khmr Knda Guru Cans Cher Yiii Tibt Thaa Deva Telu Taml Syrc Orya Mlym Laoo Sinh Mong Viet Uigh Geor Armn Bugi Bopo Java Lisu Mymr Nkoo Olck Osma Phag Syrn Syrj Syre Sora Tale Talu Tfng") {
		scripts[s] = true
	}
}

// The neutral names a format gives a style whose own name or id is not
// built in (docx): NeutralStyleName+"3", NeutralStyleID+"3". Both are
// structure.
const (
	NeutralStyleName = "Custom Style "
	NeutralStyleID   = "CustomStyle"
	// NeutralDocPartName+"3" is the neutral name of a glossary building
	// block (w:docPartPr/w:name, and the w:docPart references to it).
	NeutralDocPartName = "Building Block "
	// NeutralCategoryName+"3" is the neutral name of a building block
	// category (w:docPartPr/w:category/w:name, w:docPartCategory).
	NeutralCategoryName = "Category "
)

// DocPartStructural reports whether s is a building block name that is
// structure, not one a user chose: one Word generates (DefaultPlaceholder_N,
// a GUID, 32 hex digits) or a neutral one (NeutralDocPartName+"N").
func DocPartStructural(s string) bool {
	return reDocPart.MatchString(s) || numbered(s, NeutralDocPartName)
}

// numbered reports whether s is prefix followed by a number from 1 with no
// leading zero.
func numbered(s, prefix string) bool {
	n, ok := strings.CutPrefix(s, prefix)
	if !ok || n == "" || n[0] == '0' || len(n) > 9 {
		return false
	}
	for i := 0; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}

// styledFont reports whether s is a family of fonts followed by one or
// more style words: "Liberation Sans Unicode MS", "Arial CE", "Times New
// Roman (Central European)". The family is a listed name of whole words;
// the rest must be style words (an entry may have two words).
func styledFont(s string, fonts, styles map[string]bool) bool {
	if len(s) > 128 {
		return false
	}
	words := strings.Split(s, " ")
	// styled[k]: words[k:] is a sequence of style entries
	styled := make([]bool, len(words)+1)
	styled[len(words)] = true
	for k := len(words) - 1; k >= 1; k-- {
		styled[k] = styles[words[k]] && styled[k+1] ||
			k+2 <= len(words) && styles[words[k]+" "+words[k+1]] && styled[k+2]
	}
	for k := 1; k < len(words); k++ {
		if styled[k] && fonts[strings.Join(words[:k], " ")] {
			return true
		}
	}
	return false
}
