package docx

import (
	"encoding/xml"
	"strconv"
	"strings"

	"github.com/veilhq/veil/redactors/ooxml"
)

// Names of typographic objects are not read, they are replaced (issue 13).
//
// A font, a style, a theme are named by whoever made the document: a
// font called after a client, a style "Quillanby letter", a theme named
// after a firm. No detector can tell such a name, with no context, from the
// font's own, so no detector is asked: a name that is not structure by the
// vocabulary (the fonts Office, Windows, macOS, LibreOffice and Google
// Fonts ship, Word's and LibreOffice's built-in style names, Office's
// theme names) is replaced by construction, whatever the edits:
//   - a font name by genericFont (w:rFonts, w:sym, DrawingML typefaces of
//     themes and drawings, math and checkbox fonts, w:altName); a font
//     table entry (w:font) of such a name is removed whole, with its
//     alternative names and signatures (Word and LibreOffice fall back on
//     the family for a font the table does not describe);
//   - a style id by "CustomStyleN" and a style name by "Custom Style N"
//     (ooxml.NeutralStyleID, NeutralStyleName), one N for each distinct
//     value in the whole package, so that every reference (pStyle, rStyle,
//     tblStyle, basedOn, next, link, numStyleLink, styleLink,
//     defaultTableStyle, clickAndTypeStyle, docPartPr's style) still finds
//     its style; numbering definitions' names are renamed the same way;
//   - a style's aliases (w:aliases), and latent style exceptions
//     (w:lsdException) of names that are not built in, are removed;
//   - the font-family of a VML style attribute (WordArt's v:textpath, a
//     shape's text) by genericFont, the rest of the style kept;
//   - a theme's or a scheme's name, and the theme family's
//     (thm15:themeFamily), by "Office";
//   - a glossary building block's name (w:docPartPr/w:name) by
//     "Building Block N" (ooxml.NeutralDocPartName), one N for each
//     distinct value in the package, and the placeholders that name it
//     (w:docPart) the same way; the names Word generates (DefaultPlaceholder_N,
//     GUIDs) are kept, they are structure;
//   - the values of custom XML and smart tag attributes (w:attr w:val in
//     w:customXmlPr, w:smartTagPr: a record's name, number, birth date)
//     are emptied; their element and attribute names are the schema's.
// The report notes how many of each, never the names.

// genericFont replaces a font name that is not widely shipped.
const genericFont = "Arial"

// Typographic names that are replaced when not structural.
const (
	typoNone      attrKind = iota + 100
	typoFont               // a font name
	typoFontEntry          // a font table entry's name: the entry goes
	typoStyleID            // a style id, or a reference to one
	typoStyleName          // a style name (or a numbering definition's)
	typoRemove             // aliases, latent style exceptions: the element goes
	typoTheme              // a theme's or colour, font or format scheme's name
	typoCSS                // a VML style attribute: its font-family
	typoDocPart            // a building block's name, or a reference to one
)

const nsThm15 = "http://schemas.microsoft.com/office/thememl/2012/main"

// typographic says which typographic name attribute n of element o holds.
func typographic(o, parent *open, n xml.Name) attrKind {
	local, el := n.Local, o.name.Local
	switch o.class {
	case nsW:
		if classOf(n.Space) != nsW {
			return typoNone
		}
		switch {
		case el == "font" && local == "name":
			return typoFontEntry
		case el == "altName" && local == "val",
			el == "rFonts" && (local == "ascii" || local == "hAnsi" || local == "eastAsia" || local == "cs"),
			el == "sym" && local == "font":
			return typoFont
		case el == "style" && local == "styleId":
			return typoStyleID
		case el == "name" && local == "val" && parent != nil && parent.class == nsW && parent.name.Local == "docPartPr",
			el == "docPart" && local == "val":
			return typoDocPart
		case el == "lsdException" && local == "name":
			return typoRemove
		case local != "val":
			return typoNone
		case el == "pStyle" || el == "rStyle" || el == "tblStyle" || el == "basedOn" || el == "next" || el == "link" ||
			el == "numStyleLink" || el == "styleLink" || el == "defaultTableStyle" || el == "clickAndTypeStyle":
			return typoStyleID
		case el == "name" && parent != nil && parent.class == nsW && (parent.name.Local == "style" || parent.name.Local == "abstractNum"),
			el == "style" && parent != nil && parent.class == nsW && parent.name.Local == "docPartPr":
			return typoStyleName
		case el == "aliases":
			return typoRemove
		}
	case nsA:
		switch {
		case local == "typeface" && (el == "latin" || el == "ea" || el == "cs" || el == "sym" || el == "buFont" || el == "font"):
			return typoFont
		case local == "name" && (el == "theme" || el == "clrScheme" || el == "fontScheme" || el == "fmtScheme"):
			return typoTheme
		}
	case nsM:
		if el == "mathFont" && local == "val" {
			return typoFont
		}
	case nsV:
		if local == "style" && n.Space == "" {
			return typoCSS
		}
	}
	if o.name.Space == nsThm15 && el == "themeFamily" && local == "name" && n.Space == "" {
		return typoTheme
	}
	switch {
	case local == "font" && (el == "checkedState" || el == "uncheckedState" || el == "symEx"):
		return typoFont
	}
	return typoNone
}

// neutralStyle is the neutral name or id of style value v, the same for
// every occurrence of v in the package.
func (s *scanner) neutralStyle(v string, id bool) string {
	m, prefix, count := s.neutralNames, ooxml.NeutralStyleName, &s.styleNames
	if id {
		m, prefix, count = s.neutralIDs, ooxml.NeutralStyleID, &s.styleIDs
	}
	if n, ok := m[v]; ok {
		return n
	}
	n := prefix + strconv.Itoa(len(m)+1)
	m[v] = n
	*count++
	if sc := s.scans[s.cur]; sc != nil {
		sc.shared = true // the numbering is the package's, not the entry's
	}
	return n
}

// typography replaces or removes a typographic name (kind from
// typographic): attribute a of o's element, whose value is at sp.
func (v *visitor) typography(o *open, kind attrKind, a *ooxml.Attr, sp span) {
	s := v.s
	switch kind {
	case typoFont:
		s.fixed = append(s.fixed, splice{sp, genericFont})
		s.fontNames++
	case typoFontEntry:
		o.remove = true
		s.fontNames++
	case typoStyleID:
		s.fixed = append(s.fixed, splice{sp, ooxml.EscapeAttr(s.neutralStyle(a.Value, true))})
	case typoStyleName:
		s.fixed = append(s.fixed, splice{sp, ooxml.EscapeAttr(s.neutralStyle(a.Value, false))})
	case typoRemove:
		o.remove = true
		s.styleOther++
	case typoTheme:
		s.fixed = append(s.fixed, splice{sp, "Office"})
		s.themeNames++
	case typoCSS:
		s.fixed = append(s.fixed, splice{sp, ooxml.EscapeAttr(v.cssFont)})
		s.fontNames++
	case typoDocPart:
		s.fixed = append(s.fixed, splice{sp, ooxml.EscapeAttr(s.neutralPart(a.Value))})
	}
}

// neutralPart is the neutral name of building block name v, the same for
// every occurrence of v in the package.
func (s *scanner) neutralPart(v string) string {
	if n, ok := s.neutralParts[v]; ok {
		return n
	}
	n := ooxml.NeutralDocPartName + strconv.Itoa(len(s.neutralParts)+1)
	s.neutralParts[v] = n
	s.partNames++
	if sc := s.scans[s.cur]; sc != nil {
		sc.shared = true // the numbering is the package's, not the entry's
	}
	return n
}

// takeTypography reports whether attribute a of element e, of typographic
// kind t, is replaced by construction: when its value is not structure by
// the vocabulary, with two exceptions. A building block name is renamed
// unless it is structure (ooxml.DocPartStructural), whatever the vocabulary
// says of the slot, so that a name
// and its references are renamed alike. A VML style that is not structure
// is taken when, its font-family replaced by genericFont, it is (v.cssFont
// then holds that value); otherwise it is left whole to the text route.
func (v *visitor) takeTypography(e *ooxml.Element, t attrKind, a *ooxml.Attr) bool {
	switch t {
	case typoNone:
		return false
	case typoDocPart:
		return strings.TrimSpace(a.Value) != "" && !ooxml.DocPartStructural(a.Value)
	}
	if v.s.vocab.ClassifyAttr(e, a.Name, a.Value) == ooxml.Structural {
		return false
	}
	if t != typoCSS {
		return true
	}
	out, found := cssGenericFont(a.Value)
	if !found || v.s.vocab.ClassifyAttr(e, a.Name, out) != ooxml.Structural {
		return false
	}
	v.cssFont = out
	return true
}

// cssGenericFont returns style with the value of every font-family
// declaration replaced by genericFont, the other declarations as they
// are; found says whether there was one.
func cssGenericFont(style string) (out string, found bool) {
	decls := strings.Split(style, ";")
	for k, decl := range decls {
		p, _, ok := strings.Cut(decl, ":")
		if ok && strings.EqualFold(strings.TrimSpace(p), "font-family") {
			found = true
			decls[k] = "font-family:\"" + genericFont + "\""
		}
	}
	return strings.Join(decls, ";"), found
}
