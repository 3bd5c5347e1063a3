package pdf

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/encoding/charmap"

	"github.com/veilhq/veil/redactors"
)

// Forms (ISO 32000-1 12.7): a filled field's value is text of the
// document, which a reader sees on the page its widget sits on. Sanitize
// drops the form (the AcroForm, every widget annotation, XFA), so that a
// value would silently leave the page: before the pages are read, each
// visible widget's appearance is drawn into its page's content instead
// (flattened), so that the value is page text, detected, redacted and boxed
// like any other; a widget on each of several pages is drawn on each.
// Where the form asks viewers to build appearances (NeedAppearances) or a
// text or choice field with a value has none, one is generated from the
// value and the default appearance (/DA): Helvetica, the /DA size (or one
// fitted to the widget), left aligned, one line per line of the value.
// A paper-forms barcode field (/PMD) is never drawn, in any form: its
// bars encode the form's values and nothing reads them; it leaves with
// the form, with a note.
// Under FormsDrop the form is dropped as before and the notes say how many
// filled fields left with it. XFA data is dropped with a note. A dynamic
// XFA form (NeedsRendering), whose pages may be only a placeholder, is
// uninspectable unless it has an AcroForm fallback (fields of /Fields with
// a widget shown on a page that shows values: a text or choice field, a
// check box or radio button with a value, no barcode) that shows every
// value of the XFA data and field defaults (xfa.go; an empty fallback next
// to filled XFA data is refused, the values would be dropped unseen):
// then XFA and NeedsRendering go with a note and the fields are flattened
// as above.

// FormsPolicy says what happens to the fields of an interactive form.
type FormsPolicy string

const (
	// FormsFlatten draws every visible widget's appearance into its page
	// and drops the form (the default).
	FormsFlatten FormsPolicy = ""
	// FormsDrop drops the form with its values (the notes count them).
	FormsDrop FormsPolicy = "drop"
)

// Annotation flags (ISO 32000-1 12.5.3).
const (
	annotInvisible = 1 << 0
	annotHidden    = 1 << 1
	annotNoView    = 1 << 5
)

// Field flags (ISO 32000-1 12.7.4).
const (
	fieldMultiline = 1 << 12
	fieldPassword  = 1 << 13
)

// maxFieldDepth bounds the /Parent chain of a field.
const maxFieldDepth = 32

// maxFieldValue bounds the length of a value drawn by a generated
// appearance: longer values make the file uninspectable.
const maxFieldValue = 1 << 16

// flattenForms draws the widgets of the document's form into the pages
// (FormsFlatten) or counts the filled fields that go (FormsDrop), and
// notes what happens to XFA. It runs before the pages are read.
func (d *Document) flattenForms() error {
	cat := d.r.dict(*d.ctx.XRefTable.Root)
	acro := d.r.dict(cat["AcroForm"])
	if acro != nil && acro["XFA"] != nil {
		// The XFA packets describe the form for XFA viewers. With
		// NeedsRendering those draw the pages from XFA alone, and the
		// pages in the file are a placeholder ("Please wait..."): what
		// the reader sees is not there. Otherwise every viewer shows the
		// pages and the AcroForm fields, which are flattened.
		// A dynamic form may still carry AcroForm fields with widgets on
		// the pages: the fallback that every viewer without XFA shows.
		// Then XFA and NeedsRendering go (the catalog is rebuilt without
		// them) and the fields are flattened like any form's; without
		// such a fallback, what a reader sees is XFA alone.
		if b, ok := d.r.resolve(cat["NeedsRendering"]).(types.Boolean); ok && bool(b) {
			w, shown := d.acroFallback(acro, needAppearances(d, acro))
			if w == 0 {
				return fmt.Errorf("a dynamic XFA form with no AcroForm field shown on a page to fall back on (a text or choice field, or a check box or radio button with a value; push buttons and barcodes are none; NeedsRendering: viewers draw it from XFA, which Veil does not read): %w", redactors.ErrUninspectable)
			}
			// The fallback stands in for the XFA form only if it shows
			// what XFA holds: XFA leaves the output, and a value only
			// it holds would be dropped unseen.
			vals, err := d.xfaValues(acro["XFA"])
			if err != nil {
				return fmt.Errorf("a dynamic XFA form with %v, so whether its AcroForm fallback shows its values is not known (NeedsRendering: viewers draw it from XFA, which Veil does not read): %w", err, redactors.ErrUninspectable)
			}
			// Values the generated appearances do not draw may still be
			// on the pages (a widget's own appearance, flattened into
			// them): those are looked for in the page text once the
			// pages are read (xfaShown).
			d.xfaUnshown, d.xfaTotal = unshownValues(vals, shown), len(vals)
			d.notes = append(d.notes, fmt.Sprintf("removed: a dynamic XFA form's XFA data and NeedsRendering (what an XFA viewer drew from it is not in the output); its AcroForm fallback is kept: the pages and %d field widgets (text, choice, check box or radio; no barcode), as viewers other than XFA ones show them", w))
		} else {
			d.notes = append(d.notes, "removed: XFA form data (viewers other than XFA ones show the pages and the AcroForm fields, which are kept)")
		}
	}
	need := needAppearances(d, acro)
	flattened, dropped, barcodes := 0, 0, 0
	for i := range d.pages {
		p := &d.pages[i]
		annots, _ := d.r.resolve(p.dict["Annots"]).(types.Array)
		var draw strings.Builder
		xobjs := map[string]types.IndirectRef{}
		for _, ao := range annots {
			a := d.r.dict(ao)
			if a == nil || d.r.name(a["Subtype"]) != "Widget" {
				continue
			}
			f := int(d.r.num(a["F"]))
			if f&(annotHidden|annotNoView) != 0 {
				continue // never shown
			}
			if d.opts.Forms == FormsDrop {
				if hasValue(d, a) {
					dropped++
				}
				continue
			}
			if d.isBarcode(a) {
				// A paper-forms barcode's appearance encodes the form's
				// values in bars that nothing reads: never drawn; the
				// widget leaves with the form.
				barcodes++
				continue
			}
			ap, err := d.widgetAppearance(a, acro, need)
			if err != nil {
				return fmt.Errorf("page %d: form field: %w", i+1, err)
			}
			if ap == nil {
				continue
			}
			cm, ok := d.appearanceMatrix(a, ap)
			if !ok {
				continue
			}
			name := d.freshName(p.res, "VeilW")
			xobjs[name] = *ap
			fmt.Fprintf(&draw, "q %s cm /%s Do Q\n", cm, name)
			flattened++
		}
		if draw.Len() == 0 {
			continue
		}
		res := d.resourcesWith(p.res, xobjs, nil)
		p.res = res
		p.dict["Resources"] = res
		arr := types.Array{d.addStream(types.Dict{}, []byte("q\n"))}
		arr = append(arr, d.contentRefs(p)...)
		arr = append(arr, d.addStream(types.Dict{}, []byte("\nQ\n"+draw.String())))
		p.dict["Contents"] = arr
	}
	if barcodes > 0 {
		d.notes = append(d.notes, fmt.Sprintf("removed: %d barcode form field widgets (a barcode field encodes the form's values; not drawn)", barcodes))
	}
	if flattened > 0 {
		d.notes = append(d.notes, fmt.Sprintf("%d form field widgets flattened into the page content (what they show is page content, read and redacted like it)", flattened))
	}
	if dropped > 0 {
		d.notes = append(d.notes, fmt.Sprintf("removed: %d filled form fields (forms: drop)", dropped))
	}
	return nil
}

// inherited returns a field attribute of a widget: its own, or its
// nearest ancestor's (/Parent chain, bounded, loops stopped).
func (d *Document) inherited(a types.Dict, key string) types.Object {
	for i := 0; a != nil && i < maxFieldDepth; i++ {
		if v, ok := a[key]; ok && v != nil {
			return v
		}
		a = d.r.dict(a["Parent"])
	}
	return nil
}

// acroFallback counts the widgets a viewer without XFA shows for the
// AcroForm acro: widget annotations of the pages, not hidden, that belong
// to a field of acro's /Fields tree (a widget that is no field of the
// form is no fallback) and show a value (fallbackField). 0 when /Fields
// is empty or holds only push buttons, barcodes or empty boxes. shown are
// the values those widgets show: a text or choice field's value, a check
// box's or radio button's state name. A text or choice field shows its
// value only where flattening draws it (drawsValue); a field whose own
// appearance is drawn, or a password field, shows none: what its
// appearance draws is not known here, and a value only XFA held would be
// dropped unseen (pdffix37).
func (d *Document) acroFallback(acro types.Dict, need bool) (n int, shown []string) {
	fields := map[int]bool{}
	var walk func(o types.Object, depth int)
	walk = func(o types.Object, depth int) {
		ref, ok := o.(types.IndirectRef)
		if !ok || depth > maxFieldDepth || fields[ref.ObjectNumber.Value()] {
			return
		}
		fields[ref.ObjectNumber.Value()] = true
		if kids, ok := d.r.resolve(d.r.dict(ref)["Kids"]).(types.Array); ok {
			for _, k := range kids {
				walk(k, depth+1)
			}
		}
	}
	if fs, ok := d.r.resolve(acro["Fields"]).(types.Array); ok {
		for _, f := range fs {
			walk(f, 0)
		}
	}
	for i := range d.pages {
		annots, _ := d.r.resolve(d.pages[i].dict["Annots"]).(types.Array)
		for _, ao := range annots {
			ref, ok := ao.(types.IndirectRef)
			a := d.r.dict(ao)
			if !ok || a == nil || d.r.name(a["Subtype"]) != "Widget" || int(d.r.num(a["F"]))&(annotHidden|annotNoView) != 0 {
				continue
			}
			if fields[ref.ObjectNumber.Value()] && d.fallbackField(a) {
				n++
				switch d.r.name(d.inherited(a, "FT")) {
				case "Tx", "Ch":
					if d.drawsValue(a, need) {
						shown = append(shown, d.fieldValue(a))
					}
				case "Btn":
					shown = append(shown, d.r.name(d.inherited(a, "V")), d.r.name(a["AS"]))
				}
			}
		}
	}
	return n, shown
}

// fieldPushbutton is the button field flag of a push button (ISO 32000-1
// 12.7.4.2).
const fieldPushbutton = 1 << 16

// fallbackField reports a widget that can stand in for what an XFA viewer
// shows: a text or choice field, or a check box or radio button with a
// value, with an area on the page and no barcode (whose bars are never
// drawn). A push button or a barcode on a placeholder page is no fallback:
// every value the XFA form showed would be dropped unseen.
func (d *Document) fallbackField(a types.Dict) bool {
	if d.isBarcode(a) {
		return false
	}
	rect := d.r.numbers(a["Rect"])
	if len(rect) != 4 || rect[0] == rect[2] || rect[1] == rect[3] {
		return false
	}
	switch d.r.name(d.inherited(a, "FT")) {
	case "Tx", "Ch":
		return true
	case "Btn":
		return int(d.r.num(d.inherited(a, "Ff")))&fieldPushbutton == 0 && hasValue(d, a)
	}
	return false
}

// hasValue reports a widget whose field holds a value.
func hasValue(d *Document, a types.Dict) bool {
	switch v := d.r.resolve(d.inherited(a, "V")).(type) {
	case types.StringLiteral, types.HexLiteral:
		return stringBytes(v) != ""
	case types.Name:
		return v != "Off"
	case types.Array:
		return len(v) > 0
	}
	return false
}

// widgetAppearance returns the form XObject that shows a widget: its
// normal appearance (the state /AS selects for a button), or one generated
// from the field's value where the form needs appearances or a text or
// choice field has none. nil when the widget shows nothing.
func (d *Document) widgetAppearance(a, acro types.Dict, need bool) (*types.IndirectRef, error) {
	ft := d.r.name(d.inherited(a, "FT"))
	n := d.normalAppearance(a)
	text := ft == "Tx" || ft == "Ch"
	if text && (need || n == nil) {
		return d.generatedAppearance(a, acro, ft)
	}
	ref, ok := n.(types.IndirectRef)
	if !ok {
		return nil, nil // a direct stream cannot be drawn by name; nothing shown
	}
	sd, _ := d.r.stream(ref)
	if sd == nil || sd.Dict == nil {
		return nil, nil
	}
	// Appearance streams are form XObjects; some producers leave the
	// type out.
	if sd.Dict["Subtype"] == nil {
		sd.Dict["Subtype"] = types.Name("Form")
	}
	if d.r.name(sd.Dict["Subtype"]) != "Form" {
		return nil, nil
	}
	// Viewers draw an appearance without resources with the form's
	// default resources (/DR), where its fonts are.
	if sd.Dict["Resources"] == nil && acro != nil && acro["DR"] != nil {
		sd.Dict["Resources"] = acro["DR"]
	}
	return &ref, nil
}

// normalAppearance returns a widget's normal appearance stream: /AP /N,
// or the state /AS (else the field's value) selects of a dictionary of
// states (check boxes, radio buttons); nil when there is none.
func (d *Document) normalAppearance(a types.Dict) types.Object {
	var n types.Object
	if ap := d.r.dict(a["AP"]); ap != nil {
		n = ap["N"]
	}
	if sd, _ := d.r.stream(n); sd == nil {
		if states := d.r.dict(n); states != nil {
			st := d.r.name(a["AS"])
			if st == "" {
				st = d.r.name(d.inherited(a, "V"))
			}
			return states[st]
		}
		return nil
	}
	return n
}

// drawsValue reports whether flattening draws a text or choice field's
// value as it is: with the appearance generated from it (widgetAppearance:
// the form needs appearances or the widget has none of its own), and not
// as a password field's asterisks.
func (d *Document) drawsValue(a types.Dict, need bool) bool {
	ft := d.r.name(d.inherited(a, "FT"))
	if ft != "Tx" && ft != "Ch" {
		return false
	}
	if ft == "Tx" && int(d.r.num(d.inherited(a, "Ff")))&fieldPassword != 0 {
		return false
	}
	return need || d.normalAppearance(a) == nil
}

// needAppearances reports a form that asks viewers to build the
// appearances of its fields (/NeedAppearances true).
func needAppearances(d *Document, acro types.Dict) bool {
	if acro == nil {
		return false
	}
	b, ok := d.r.resolve(acro["NeedAppearances"]).(types.Boolean)
	return ok && bool(b)
}

// fieldValue returns the text a text or choice field shows, lines
// separated by "\n".
func (d *Document) fieldValue(a types.Dict) string {
	switch v := d.r.resolve(d.inherited(a, "V")).(type) {
	case types.StringLiteral, types.HexLiteral:
		return textString([]byte(stringBytes(v)))
	case types.Array:
		var lines []string
		for _, e := range v {
			switch s := d.r.resolve(e).(type) {
			case types.StringLiteral, types.HexLiteral:
				lines = append(lines, textString([]byte(stringBytes(s))))
			}
		}
		return strings.Join(lines, "\n")
	}
	return ""
}

// generatedAppearance builds the appearance of a text or choice field
// from its value and default appearance; nil for an empty value.
func (d *Document) generatedAppearance(a, acro types.Dict, ft string) (*types.IndirectRef, error) {
	value := d.fieldValue(a)
	if strings.TrimSpace(value) == "" {
		return nil, nil
	}
	if len(value) > maxFieldValue {
		return nil, fmt.Errorf("a value longer than %d bytes: %w", maxFieldValue, redactors.ErrUninspectable)
	}
	ff := int(d.r.num(d.inherited(a, "Ff")))
	if ft == "Tx" && ff&fieldPassword != 0 {
		value = strings.Repeat("*", len([]rune(value)))
	}
	rect := d.r.numbers(a["Rect"])
	if len(rect) != 4 {
		return nil, nil
	}
	w, h := math.Abs(rect[2]-rect[0]), math.Abs(rect[3]-rect[1])
	if w == 0 || h == 0 {
		return nil, nil
	}
	da := ""
	if s := d.inherited(a, "DA"); s != nil {
		da = stringBytes(d.r.resolve(s))
	} else if acro != nil {
		da = stringBytes(d.r.resolve(acro["DA"]))
	}
	size, color := daSizeColor(da)
	lines := strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(value), "\n")
	if ft == "Tx" && ff&fieldMultiline == 0 && len(lines) > 1 {
		lines = []string{strings.Join(lines, " ")}
	}
	if size <= 0 {
		size = min(12, max(4, (h-4)/float64(len(lines))/1.15))
	}
	enc := charmap.Windows1252.NewEncoder()
	var c strings.Builder
	fmt.Fprintf(&c, "/Tx BMC q 1 1 %s %s re W n BT /VeilF %s Tf %s", num(w-2), num(h-2), num(size), color)
	lead := size * 1.15
	y := h - 2 - size
	if len(lines) == 1 {
		y = (h - size*0.78) / 2 // one line: centred on the baseline's cap height
	}
	fmt.Fprintf(&c, " %s TL 2 %s Td", num(lead), num(y))
	for i, l := range lines {
		b, err := enc.Bytes([]byte(l))
		if err != nil {
			return nil, fmt.Errorf("a value has characters outside WinAnsi that the generated appearance cannot draw: %w", redactors.ErrUninspectable)
		}
		if i > 0 {
			c.WriteString(" T*")
		}
		c.WriteString(" (")
		for _, ch := range b {
			switch {
			case ch == '(' || ch == ')' || ch == '\\':
				c.WriteByte('\\')
				c.WriteByte(ch)
			case ch < 0x20 || ch >= 0x7f:
				fmt.Fprintf(&c, "\\%03o", ch)
			default:
				c.WriteByte(ch)
			}
		}
		c.WriteString(") Tj")
	}
	c.WriteString(" ET Q EMC\n")
	font := types.Dict{"Type": types.Name("Font"), "Subtype": types.Name("Type1"), "BaseFont": types.Name("Helvetica"), "Encoding": types.Name("WinAnsiEncoding")}
	// Unfiltered: the reader decodes what pdfcpu read, by its filter
	// pipeline, which a new stream does not have.
	ref := d.addStream(types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Form"),
		"BBox":      types.Array{types.Integer(0), types.Integer(0), types.Float(w), types.Float(h)},
		"Resources": types.Dict{"Font": types.Dict{"VeilF": d.addObject(font)}},
	}, []byte(c.String()))
	return &ref, nil
}

// daSizeColor reads the font size and the fill colour operator of a
// default appearance string ("/Helv 0 Tf 0 g"): size 0 (or none) means
// fitted to the widget; the colour is black when none is given.
func daSizeColor(da string) (float64, string) {
	toks := strings.Fields(da)
	size, color := 0.0, "0 g"
	for i, t := range toks {
		switch t {
		case "Tf":
			if i >= 1 {
				if f, err := strconv.ParseFloat(toks[i-1], 64); err == nil && f > 0 && f < 1000 {
					size = f
				}
			}
		case "g", "rg", "k":
			n := map[string]int{"g": 1, "rg": 3, "k": 4}[t]
			if i >= n {
				ok := true
				for _, v := range toks[i-n : i] {
					if _, err := strconv.ParseFloat(v, 64); err != nil {
						ok = false
					}
				}
				if ok {
					color = strings.Join(toks[i-n:i+1], " ")
				}
			}
		}
	}
	return size, color
}

// num formats a number for a content stream.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// appearanceMatrix returns the cm operands that place a widget's
// appearance on the page (ISO 32000-1 12.5.5): the appearance's bounding
// box, transformed by its matrix, is fitted to the widget's rectangle.
func (d *Document) appearanceMatrix(a types.Dict, ap *types.IndirectRef) (string, bool) {
	rect := d.r.numbers(a["Rect"])
	sd, _ := d.r.stream(*ap)
	if len(rect) != 4 || sd == nil {
		return "", false
	}
	bb := d.r.numbers(sd.Dict["BBox"])
	if len(bb) != 4 {
		return "", false
	}
	m := identity
	if v := d.r.numbers(sd.Dict["Matrix"]); len(v) == 6 {
		if fm := (matrix{v[0], v[1], v[2], v[3], v[4], v[5]}); fm.finite() {
			m = fm
		}
	}
	// The bounding box of the transformed BBox.
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range [][2]float64{{bb[0], bb[1]}, {bb[2], bb[1]}, {bb[0], bb[3]}, {bb[2], bb[3]}} {
		x, y := m.apply(c[0], c[1])
		x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
	}
	rx0, ry0, rx1, ry1 := min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])
	if x1-x0 <= 0 || y1-y0 <= 0 || rx1-rx0 <= 0 || ry1-ry0 <= 0 {
		return "", false
	}
	sx, sy := (rx1-rx0)/(x1-x0), (ry1-ry0)/(y1-y0)
	return fmt.Sprintf("%s 0 0 %s %s %s", num(sx), num(sy), num(rx0-x0*sx), num(ry0-y0*sy)), true
}

// isBarcode reports a widget of a paper-forms barcode field: one with
// paper metadata (/PMD, Adobe Supplement to ISO 32000 ExtensionLevel 3,
// Table 8.39b), on the widget or a field it inherits from. Its appearance
// is bars that encode the form's values.
func (d *Document) isBarcode(a types.Dict) bool {
	return d.inherited(a, "PMD") != nil
}
