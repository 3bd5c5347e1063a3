package pdf

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Sanitizing: what can hold text outside the page content is removed,
// whatever the profile, because Veil does not show it to the detectors:
// document information and XMP metadata, outlines, form fields, annotations
// other than internal links, attachments, scripts and actions, the
// structure tree (with its /Alt, /ActualText and /E), page thumbnails,
// page labels and private application data. The output is built from a
// new catalog, so whatever is no longer reachable is not written.

// catalogKeep are the catalog entries kept. Named destinations are not:
// their names are words of the document ("figure.4.2",
// "Chaptertitle.Appendix.A"); links that use them get the explicit
// destination instead.
var catalogKeep = []string{"Pages", "ViewerPreferences", "PageLayout", "Lang", "OutputIntents", "OCProperties"}

// pageKeep are the page (and page tree node) entries kept.
var pageKeep = map[string]bool{
	"Type": true, "Parent": true, "Kids": true, "Count": true, "Resources": true, "Contents": true,
	"MediaBox": true, "CropBox": true, "BleedBox": true, "TrimBox": true, "ArtBox": true,
	"Rotate": true, "Group": true, "Annots": true, "UserUnit": true,
}

// dropKeys are removed from every dictionary written: metadata, private
// data, associated files, actions, scripts and replacement texts.
var dropKeys = map[string]bool{
	"Metadata": true, "PieceInfo": true, "AF": true, "AA": true, "JS": true,
	"ActualText": true, "Alt": true, "Thumb": true, "LastModified": true,
	"StructParent": true, "StructParents": true, "OPI": true, "Ref": true,
}

// sanitize returns the new catalog and notes what was removed.
func (d *Document) sanitize() types.Dict {
	cat := d.r.dict(*d.ctx.XRefTable.Root)
	nc := types.Dict{"Type": types.Name("Catalog")}
	for _, k := range catalogKeep {
		if v, ok := cat[k]; ok {
			nc[k] = v
		}
	}
	switch m := d.r.name(cat["PageMode"]); m {
	case "", "UseNone", "UseOutlines", "UseThumbs", "UseAttachments", "UseOC":
	default:
		nc["PageMode"] = types.Name(m)
	}
	var removed []string
	if names := d.r.dict(cat["Names"]); names != nil {
		for _, k := range []string{"EmbeddedFiles", "JavaScript"} {
			if names[k] != nil {
				removed = append(removed, map[string]string{"EmbeddedFiles": "embedded files", "JavaScript": "JavaScript"}[k])
			}
		}
	}
	for k, what := range map[string]string{
		"Outlines": "outlines (bookmarks)", "AcroForm": "form fields", "Metadata": "XMP metadata",
		"StructTreeRoot": "structure tree (alternate texts)", "OpenAction": "open action", "AA": "document actions",
		"PageLabels": "page labels",
	} {
		if cat[k] != nil {
			removed = append(removed, what)
		}
	}
	if d.ctx.XRefTable.Info != nil {
		removed = append(removed, "document information")
	}
	// Page tree nodes and pages.
	annots, fields := 0, 0
	seen := map[int]bool{}
	var walk func(o types.Object, depth int)
	walk = func(o types.Object, depth int) {
		ref, ok := o.(types.IndirectRef)
		if !ok || depth > maxPageTreeDepth || seen[ref.ObjectNumber.Value()] {
			return
		}
		seen[ref.ObjectNumber.Value()] = true
		n := d.r.dict(ref)
		if n == nil {
			return
		}
		// A node as the reader (pages) takes it: a page with a stray /Kids
		// is a page, and keeps its resources.
		_, hasKids := d.r.resolve(n["Kids"]).(types.Array)
		typ := d.r.name(n["Type"])
		node := typ == "Pages" || hasKids && typ != "Page"
		for k := range n {
			if !pageKeep[k] || (node && k == "Resources") || (!node && k == "Kids") {
				delete(n, k)
			}
		}
		if a, ok := d.r.resolve(n["Annots"]).(types.Array); ok {
			var keep types.Array
			for _, ao := range a {
				ad := d.r.dict(ao)
				if ad == nil {
					continue
				}
				if link := d.safeLink(ad); link != nil {
					keep = append(keep, link)
					continue
				}
				if d.r.name(ad["Subtype"]) == "Widget" {
					fields++
				} else {
					annots++
				}
			}
			if len(keep) > 0 {
				n["Annots"] = keep
			} else {
				delete(n, "Annots")
			}
		} else {
			delete(n, "Annots")
		}
		if kids, ok := d.r.resolve(n["Kids"]).(types.Array); ok {
			for _, k := range kids {
				walk(k, depth+1)
			}
		}
	}
	walk(cat["Pages"], 0)
	if annots > 0 {
		removed = append(removed, fmt.Sprintf("%d annotations", annots))
	}
	if fields > 0 && cat["AcroForm"] == nil {
		removed = append(removed, fmt.Sprintf("%d form field widgets", fields))
	}
	if len(removed) > 0 {
		sort.Strings(removed)
		d.notes = append(d.notes, "removed: "+strings.Join(removed, ", "))
	}
	return nc
}

// safeLink returns a copy of a link annotation that only jumps within the
// document, with nothing else that could hold text, or nil.
func (d *Document) safeLink(a types.Dict) types.Dict {
	if d.r.name(a["Subtype"]) != "Link" {
		return nil
	}
	out := types.Dict{"Type": types.Name("Annot"), "Subtype": types.Name("Link")}
	for _, k := range []string{"Rect", "Border", "BS", "C", "H", "QuadPoints", "F"} {
		if v, ok := a[k]; ok {
			out[k] = v
		}
	}
	var dest types.Object
	switch {
	case a["Dest"] != nil:
		dest = d.explicitDest(a["Dest"])
	case a["A"] != nil:
		act := d.r.dict(a["A"])
		if act == nil || d.r.name(act["S"]) != "GoTo" || act["D"] == nil {
			return nil
		}
		dest = d.explicitDest(act["D"])
	}
	if dest == nil {
		return nil
	}
	out["Dest"] = dest
	if out["Rect"] == nil {
		return nil
	}
	return out
}

// Limits on reading named destinations.
const (
	maxNameTreeDepth = 32
	maxNamedDests    = 1 << 20
)

// explicitDest returns the explicit destination (an array starting with a
// page) that o stands for: o itself, or the destination a name or string
// names in the catalog's Dests dictionary or Dests name tree; nil if there
// is none.
func (d *Document) explicitDest(o types.Object) types.Object {
	switch v := d.r.resolve(o).(type) {
	case types.Array:
		if len(v) > 0 {
			if _, ok := v[0].(types.IndirectRef); ok {
				return v
			}
		}
		return nil
	case types.Name:
		return d.namedDest(string(v))
	case types.StringLiteral, types.HexLiteral:
		return d.namedDest(stringBytes(v))
	}
	return nil
}

// namedDest looks a destination name up, once the table is built.
func (d *Document) namedDest(name string) types.Object {
	if d.dests == nil {
		d.dests = d.readNamedDests()
	}
	v, ok := d.dests[name]
	if !ok {
		return nil
	}
	if dd := d.r.dict(v); dd != nil {
		v = dd["D"]
	}
	a, ok := d.r.resolve(v).(types.Array)
	if !ok || len(a) == 0 {
		return nil
	}
	if _, ok := a[0].(types.IndirectRef); !ok {
		return nil
	}
	return a
}

// readNamedDests reads the catalog's Dests dictionary (PDF 1.1) and the
// Dests name tree, bounded in depth and size, loops ignored.
func (d *Document) readNamedDests() map[string]types.Object {
	out := map[string]types.Object{}
	cat := d.r.dict(*d.ctx.XRefTable.Root)
	for k, v := range d.r.dict(cat["Dests"]) {
		out[k] = v
	}
	names := d.r.dict(cat["Names"])
	visited := map[int]bool{}
	var walk func(o types.Object, depth int)
	walk = func(o types.Object, depth int) {
		if depth > maxNameTreeDepth || len(out) >= maxNamedDests {
			return
		}
		if ref, ok := o.(types.IndirectRef); ok {
			if visited[ref.ObjectNumber.Value()] {
				return
			}
			visited[ref.ObjectNumber.Value()] = true
		}
		n := d.r.dict(o)
		if n == nil {
			return
		}
		if a, ok := d.r.resolve(n["Names"]).(types.Array); ok {
			for i := 0; i+1 < len(a) && len(out) < maxNamedDests; i += 2 {
				switch k := d.r.resolve(a[i]).(type) {
				case types.StringLiteral, types.HexLiteral:
					if _, dup := out[stringBytes(k)]; !dup {
						out[stringBytes(k)] = a[i+1]
					}
				}
			}
		}
		if kids, ok := d.r.resolve(n["Kids"]).(types.Array); ok {
			for _, k := range kids {
				walk(k, depth+1)
			}
		}
	}
	if names != nil {
		walk(names["Dests"], 0)
	}
	return out
}

// stringBytes returns the bytes of a string object, or "".
func stringBytes(o types.Object) string {
	switch v := o.(type) {
	case types.StringLiteral:
		b, err := types.Unescape(string(v))
		if err == nil {
			return string(b)
		}
	case types.HexLiteral:
		b, err := v.Bytes()
		if err == nil {
			return string(b)
		}
	}
	return ""
}

// propertyLists returns a resource dictionary's property lists with those
// that are not optional-content groups or memberships emptied: marked
// content refers to them by name, and producers keep metadata there
// (Illustrator writes the artwork's author and title).
func (d *Document) propertyLists(props types.Dict) types.Dict {
	out := types.Dict{}
	for k, v := range props {
		switch d.r.name(d.r.dict(v)["Type"]) {
		case "OCG", "OCMD":
			out[k] = v
		default:
			out[k] = types.Dict{}
		}
	}
	return out
}
