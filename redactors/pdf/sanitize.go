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

// catalogKeep are the catalog entries kept.
var catalogKeep = []string{"Pages", "ViewerPreferences", "PageLayout", "Lang", "OutputIntents", "OCProperties", "Dests"}

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
		if names["Dests"] != nil {
			nc["Names"] = types.Dict{"Dests": names["Dests"]}
		}
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
		_, node := d.r.resolve(n["Kids"]).(types.Array)
		for k := range n {
			if !pageKeep[k] || (node && k == "Resources") {
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
	switch {
	case a["Dest"] != nil:
		out["Dest"] = a["Dest"]
	case a["A"] != nil:
		act := d.r.dict(a["A"])
		if act == nil || d.r.name(act["S"]) != "GoTo" || act["D"] == nil {
			return nil
		}
		out["A"] = types.Dict{"S": types.Name("GoTo"), "D": act["D"]}
	default:
		return nil
	}
	if out["Rect"] == nil {
		return nil
	}
	return out
}
