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
//   - every font name of a VML style attribute (WordArt's v:textpath, a
//     shape's text: font-family, Office's mso-…-font-family and
//     mso-font-alt, the family of the font shorthand) by genericFont,
//     whatever else the style holds: the rest of the style is kept, and
//     read as text when it is not structure;
//   - a theme's or a scheme's name, and the theme family's
//     (thm15:themeFamily), by "Office";
//   - a glossary building block's name (w:docPartPr/w:name) by
//     "Building Block N" (ooxml.NeutralDocPartName), one N for each
//     distinct value in the package, and the placeholders that name it
//     (w:docPart) the same way; the names Word generates (DefaultPlaceholder_N,
//     GUIDs) are kept, they are structure;
//   - a building block category's name (w:docPartPr/w:category/w:name) by
//     "Category N" (ooxml.NeutralCategoryName), one N for each distinct
//     value in the package, and the content controls that filter on it
//     (w:docPartCategory) the same way, unless it is one of the names Word
//     writes itself ([list category] of the vocabulary: "General",
//     "Built-In"); a category's gallery (w:gallery) that is not a value of
//     ST_DocPartGallery by "default", and a content control's gallery
//     (w:docPartGallery) that is not a gallery's name by "Quick Parts";
//   - the values of custom XML and smart tag attributes (w:attr w:val in
//     w:customXmlPr, w:smartTagPr: a record's name, number, birth date)
//     are emptied; their element and attribute names are the schema's.
// The report notes how many of each, never the names.

// genericFont replaces a font name that is not widely shipped.
const genericFont = "Arial"

// Typographic names that are replaced when not structural.
const (
	typoNone        attrKind = iota + 100
	typoFont                 // a font name
	typoFontEntry            // a font table entry's name: the entry goes
	typoStyleID              // a style id, or a reference to one
	typoStyleName            // a style name (or a numbering definition's)
	typoRemove               // aliases, latent style exceptions: the element goes
	typoTheme                // a theme's or colour, font or format scheme's name
	typoCSS                  // a VML style attribute: every font name of the style (cssFonts)
	typoDocPart              // a building block's name, or a reference to one
	typoCategory             // a building block category's name, or a reference to one
	typoGallery              // a building block category's gallery
	typoGalleryName          // the gallery a content control offers blocks of
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
		case el == "name" && local == "val" && parent != nil && parent.class == nsW && parent.name.Local == "category",
			el == "docPartCategory" && local == "val":
			return typoCategory
		case el == "gallery" && local == "val" && parent != nil && parent.class == nsW && parent.name.Local == "category":
			return typoGallery
		case el == "docPartGallery" && local == "val" && parent != nil && parent.class == nsW &&
			(parent.name.Local == "docPartObj" || parent.name.Local == "docPartList"):
			return typoGalleryName
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
	if id {
		return s.neutralName(s.neutralIDs, ooxml.NeutralStyleID, &s.styleIDs, v)
	}
	return s.neutralName(s.neutralNames, ooxml.NeutralStyleName, &s.styleNames, v)
}

// neutralName is the neutral name of v in m (prefix and its number in
// m, from 1), the same for every occurrence of v in the package; a new
// one counts in *count and makes the current entry's scan shared.
func (s *scanner) neutralName(m map[string]string, prefix string, count *int, v string) string {
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
func (v *visitor) typography(o *open, kind attrKind, a *ooxml.Attr, sp span) error {
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
		s.fontNames++
		if !v.cssText {
			s.fixed = append(s.fixed, splice{sp, ooxml.EscapeAttr(v.cssFont)})
			break
		}
		// the rest is not structure: it is text, read with its font names
		// emptied (a detector sees no name, not even genericFont's, which
		// a redaction would then find again in the output) and always
		// written back, redacted where found, its fonts genericFont
		// (valueGroup.encode)
		empty, _ := cssFonts(a.Value, "")
		if _, err := s.addDecoded(v.attrs, plainValue, empty, sp, true, "", true); err != nil {
			return err
		}
	case typoDocPart:
		s.fixed = append(s.fixed, splice{sp, ooxml.EscapeAttr(s.neutralName(s.neutralParts, ooxml.NeutralDocPartName, &s.partNames, a.Value))})
	case typoCategory:
		s.fixed = append(s.fixed, splice{sp, ooxml.EscapeAttr(s.neutralName(s.neutralCats, ooxml.NeutralCategoryName, &s.catNames, a.Value))})
	case typoGallery:
		s.fixed = append(s.fixed, splice{sp, neutralGallery})
		s.catNames++
	case typoGalleryName:
		s.fixed = append(s.fixed, splice{sp, neutralGalleryName})
		s.catNames++
	}
	return nil
}

// neutralGallery replaces a category's gallery that is not a value of
// ST_DocPartGallery: the entry then shows in no particular gallery.
const neutralGallery = "default"

// neutralGalleryName replaces the gallery a content control offers
// (w:docPartGallery, which names galleries as Word shows them: "Cover
// Pages", "Quick Parts") when it is none of the vocabulary's names: there
// is no gallery of another name, so the control offers what it offered.
const neutralGalleryName = "Quick Parts"

// takeTypography reports whether attribute a of element e, of typographic
// kind t, is replaced by construction: when its value is not structure by
// the vocabulary, with three exceptions. A building block name is renamed
// unless it is structure (ooxml.DocPartStructural), whatever the vocabulary
// says of the slot, so that a name
// and its references are renamed alike; a category name likewise unless
// it has the vocabulary's "category" shape (the slot of w:name is shared
// with style names, which the shape of the slot would let through). A VML
// style that is not structure is taken when it names a font
// (cssFonts): v.cssFont then holds it with its fonts genericFont, and
// v.cssText says whether that is still not structure (then it is text,
// read by the detectors and written back whatever they find). A style
// that names no font is left whole to the text route.
func (v *visitor) takeTypography(e *ooxml.Element, t attrKind, a *ooxml.Attr) bool {
	switch t {
	case typoNone:
		return false
	case typoDocPart:
		return strings.TrimSpace(a.Value) != "" && !ooxml.DocPartStructural(a.Value)
	case typoCategory:
		return strings.TrimSpace(a.Value) != "" && !v.s.vocab.Fits("category", a.Value)
	}
	if v.s.vocab.ClassifyAttr(e, a.Name, a.Value) == ooxml.Structural {
		return false
	}
	if t != typoCSS {
		return true
	}
	out, found := cssFonts(a.Value, genericFont)
	if !found {
		return false
	}
	v.cssFont, v.cssText = out, v.s.vocab.ClassifyAttr(e, a.Name, out) != ooxml.Structural
	return true
}

// cssFonts returns style with every font name replaced by family
// (quoted), the other declarations and the other words of a font
// shorthand as they are; found says whether there was one. A font name is
// the value of a font property (fontProperty), or what follows the size
// in the font shorthand ("bold 12pt Orsolya Hand": from "Orsolya" on; the
// whole value when no size is found).
func cssFonts(style, family string) (out string, found bool) {
	decls := strings.Split(style, ";")
	for k, decl := range decls {
		p, val, ok := strings.Cut(decl, ":")
		if !ok {
			continue
		}
		name := strings.ToLower(strings.TrimSpace(p))
		switch {
		case fontProperty(name):
			found = true
			decls[k] = p + ":\"" + family + "\""
		case name == "font":
			found = true
			decls[k] = p + ":" + fontShorthandFamily(val, family)
		}
	}
	return strings.Join(decls, ";"), found
}

// fontProperty reports whether CSS property name (lower case) holds font
// family names: font-family, and Office's mso-ascii-font-family,
// mso-hansi-font-family, mso-fareast-font-family, mso-bidi-font-family
// (any mso-…font-family but the generic family, an enumeration) and
// mso-font-alt.
func fontProperty(name string) bool {
	return name == "font-family" || name == "mso-font-alt" ||
		strings.HasPrefix(name, "mso-") && strings.HasSuffix(name, "font-family") && name != "mso-generic-font-family"
}

// fontShorthandFamily returns the value of a font shorthand with its
// family replaced by family (quoted): the words up to the size (a word that
// starts with a digit or a dot: "12pt", "10pt/12pt") are kept, the rest
// replaced; with no size, the whole value is.
func fontShorthandFamily(val, family string) string {
	words := strings.Fields(val)
	for k, w := range words {
		if w[0] >= '0' && w[0] <= '9' || w[0] == '.' {
			return strings.Join(words[:k+1], " ") + " \"" + family + "\""
		}
	}
	return "\"" + family + "\""
}
