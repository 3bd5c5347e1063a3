package pdf

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Labels and Bates numbers are drawn in Go Bold (golang.org/x/image/font/
// gofont, BSD-style licence, see NOTICE), embedded in every output that
// uses it as a subset: a Type0 font with Identity-H codes (the glyph ids)
// and a ToUnicode map, so that e-filing checks find every font embedded
// and the label text can be extracted and checked. One font object per
// document; its program is made from the glyphs the pages used, once all
// are drawn (embed).

// goBold is the parsed program, shared by every document.
var goBold = sync.OnceValues(func() (*sfnt.Font, error) { return sfnt.Parse(gobold.TTF) })

// labelFont is the label font of one document.
type labelFont struct {
	f    *sfnt.Font
	buf  sfnt.Buffer
	upem float64
	ref  types.IndirectRef // the Type0 font dictionary
	dict types.Dict
	// used maps the glyphs drawn to the text each stands for.
	used map[sfnt.GlyphIndex]rune
	adv  map[rune]float64 // advance of a rune in ems
	gid  map[rune]sfnt.GlyphIndex
}

// The font's vertical metrics, in ems (Go Bold: hhea ascent and descent,
// OS/2 cap height).
const (
	labelAscent    = 0.945
	labelDescent   = -0.211
	labelCapHeight = 0.723
)

// labels returns the document's label font, adding its (still empty)
// dictionary to the document on first use.
func (d *Document) labels() (*labelFont, error) {
	if d.lab.font != nil {
		return d.lab.font, nil
	}
	f, err := goBold()
	if err != nil {
		return nil, fmt.Errorf("label font: %w", err)
	}
	lf := &labelFont{f: f, upem: float64(f.UnitsPerEm()), used: map[sfnt.GlyphIndex]rune{},
		adv: map[rune]float64{}, gid: map[rune]sfnt.GlyphIndex{}}
	lf.dict = types.Dict{"Type": types.Name("Font"), "Subtype": types.Name("Type0"), "Encoding": types.Name("Identity-H")}
	lf.ref = d.addObject(lf.dict)
	d.lab.font = lf
	return lf, nil
}

// glyph returns the glyph of r, and the rune it draws ('?' for a rune the
// font lacks).
func (lf *labelFont) glyph(r rune) (sfnt.GlyphIndex, rune) {
	if g, ok := lf.gid[r]; ok {
		return g, r
	}
	g, err := lf.f.GlyphIndex(&lf.buf, r)
	if err != nil || g == 0 {
		if r == '?' {
			return 0, r
		}
		return lf.glyph('?')
	}
	lf.gid[r] = g
	return g, r
}

// advance returns the advance of r in ems.
func (lf *labelFont) advance(r rune) float64 {
	if a, ok := lf.adv[r]; ok {
		return a
	}
	g, _ := lf.glyph(r)
	a, err := lf.f.GlyphAdvance(&lf.buf, g, fixed.Int26_6(lf.upem*64), xfont.HintingNone)
	w := 0.6
	if err == nil {
		w = float64(a) / 64 / lf.upem
	}
	lf.adv[r] = w
	return w
}

// width returns the width of s at size points.
func (lf *labelFont) width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += lf.advance(r)
	}
	return w * size
}

// encode returns s as a hex string of two-byte glyph ids for Tj, and
// records the glyphs as used.
func (lf *labelFont) encode(s string) string {
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range s {
		g, shown := lf.glyph(r)
		if _, ok := lf.used[g]; !ok {
			lf.used[g] = shown
		}
		fmt.Fprintf(&b, "%04x", uint16(g))
	}
	b.WriteByte('>')
	return b.String()
}

// embed fills the font dictionary: the subset program, widths, descriptor
// and ToUnicode map of the glyphs used.
func (lf *labelFont) embed(d *Document) error {
	keep := map[uint16]bool{}
	gids := make([]int, 0, len(lf.used))
	for g := range lf.used {
		keep[uint16(g)] = true
		gids = append(gids, int(g))
	}
	sort.Ints(gids)
	prog, err := subsetTrueType(gobold.TTF, keep)
	if err != nil {
		return fmt.Errorf("label font: %w", err)
	}
	// A subset's name has a tag made from its glyphs (ISO 32000-1, 9.6.4).
	sum := sha256.Sum256([]byte(fmt.Sprint(gids)))
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	name := types.Name(string(tag) + "+GoBold")
	w := types.Array{}
	for _, g := range gids {
		a, err := lf.f.GlyphAdvance(&lf.buf, sfnt.GlyphIndex(g), fixed.Int26_6(lf.upem*64), xfont.HintingNone)
		if err != nil {
			return fmt.Errorf("label font: %w", err)
		}
		w = append(w, types.Integer(g), types.Array{types.Integer(int(float64(a)/64/lf.upem*1000 + 0.5))})
	}
	file := d.newStream(types.Dict{"Length1": types.Integer(len(prog))}, prog)
	desc := d.addObject(types.Dict{
		"Type": types.Name("FontDescriptor"), "FontName": name, "Flags": types.Integer(4),
		"FontBBox":    types.Array{types.Integer(-221), types.Integer(-241), types.Integer(1070), types.Integer(1119)},
		"ItalicAngle": types.Integer(0), "Ascent": types.Integer(labelAscent * 1000), "Descent": types.Integer(labelDescent * 1000),
		"CapHeight": types.Integer(labelCapHeight * 1000), "StemV": types.Integer(140), "FontFile2": file,
	})
	cid := d.addObject(types.Dict{
		"Type": types.Name("Font"), "Subtype": types.Name("CIDFontType2"), "BaseFont": name,
		"CIDSystemInfo":  types.Dict{"Registry": types.StringLiteral("Adobe"), "Ordering": types.StringLiteral("Identity"), "Supplement": types.Integer(0)},
		"FontDescriptor": desc, "DW": types.Integer(1000), "W": w, "CIDToGIDMap": types.Name("Identity"),
	})
	lf.dict["BaseFont"] = name
	lf.dict["DescendantFonts"] = types.Array{cid}
	lf.dict["ToUnicode"] = d.newStream(types.Dict{}, lf.toUnicode(gids))
	return nil
}

// toUnicode returns the ToUnicode CMap of the glyphs used.
func (lf *labelFont) toUnicode(gids []int) []byte {
	var b strings.Builder
	// No CIDSystemInfo or CMapName: viewers read the code space and the
	// bfchar entries, and the file objects part (objects.go) would read
	// their strings as text Veil added.
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(gids); i += 100 {
		chunk := gids[i:min(len(gids), i+100)]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			fmt.Fprintf(&b, "<%04x> <", g)
			for _, u := range utf16.Encode([]rune{lf.used[sfnt.GlyphIndex(g)]}) {
				fmt.Fprintf(&b, "%04x", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nend\nend\n")
	return []byte(b.String())
}
