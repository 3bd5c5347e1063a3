package pipeline

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/redactors"
)

// Production lays a Bates-numbered run out as a production volume, the
// layout review platforms load, under DEST:
//
//	NAME/IMAGES/ACME000001.pdf    paged documents (PDF, and Word documents
//	                              converted to PDF), stamped, one file each
//	NAME/NATIVES/ACME000004.eml   documents without pages (text, email,
//	                              images), one Bates number each, not stamped
//	NAME/TEXT/ACME000001.txt      the redacted text of each document, as the
//	                              verifier read it back from the output
//	NAME/DATA/NAME.dat, NAME.opt  the load files (report.WriteDAT, WriteOPT)
//
// Files are named by their first Bates number; the redacted output name
// goes in the load file's FILENAME field. An email is produced with its
// attachments inside it, so its family (BEGATTACH–ENDATTACH) is its own
// range.
type Production struct {
	// Name names the volume: its folder, its load files, the Volume field
	// of the .opt ("VOL001").
	Name string
}

var volumeName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$`)

// Validate checks the volume name: 1 to 40 letters, digits, '-', '_' or
// '.', starting with a letter or digit (it is a folder name and a field
// of the load files, which cannot hold a comma or a space).
func (p *Production) Validate() error {
	if !volumeName.MatchString(p.Name) {
		return fmt.Errorf("production: volume name %q: use 1 to 40 letters, digits, '-', '_' or '.'", p.Name)
	}
	return nil
}

// The folders of a volume.
const (
	imagesDir  = "IMAGES"
	nativesDir = "NATIVES"
	textDir    = "TEXT"
	dataDir    = "DATA"
)

// DATKey and OPTKey are where the load files of volume name go under DEST.
func DATKey(name string) string { return name + "/" + dataDir + "/" + name + ".dat" }

// OPTKey is the key of the volume's Opticon file.
func OPTKey(name string) string { return name + "/" + dataDir + "/" + name + ".opt" }

// placement is where one document goes in the volume.
type placement struct {
	file, text string // keys under DEST
	image      bool   // file is the document's image (PDF), not a native
}

// place decides where d goes in volume v (after Plan numbered it).
func (v *Production) place(d *Doc) *placement {
	if v == nil || len(d.bates) == 0 {
		return nil
	}
	beg := d.bates[0]
	pl := &placement{text: v.Name + "/" + textDir + "/" + beg + ".txt"}
	if _, paged := d.doc.(redactors.Stamper); paged {
		pl.file, pl.image = v.Name+"/"+imagesDir+"/"+beg+".pdf", true
	} else {
		pl.file = v.Name + "/" + nativesDir + "/" + beg + strings.ToLower(path.Ext(d.outputKey))
	}
	return pl
}

// record returns the load-file record of d, placed at pl.
func (v *Production) record(d *Doc, pl *placement, redacted bool) *report.Production {
	r := &report.Production{
		Volume: v.Name, BegBates: d.bates[0], EndBates: d.bates[len(d.bates)-1],
		FileName: path.Base(d.outputKey), TextPath: loadPath(pl.text), Redacted: redacted,
	}
	if pl.image {
		r.ImagePath, r.PageCount = loadPath(pl.file), len(d.bates)
	} else {
		r.NativePath = loadPath(pl.file)
	}
	// Each document is its own family: an email's attachments travel
	// inside it. A volume that splits families would give the parent
	// and each attachment the parent's BEGBATES and the last
	// attachment's ENDBATES here.
	r.BegAttach, r.EndAttach = r.BegBates, r.EndBates
	return r
}

// isPage reports whether p is the first reading of a page ("page 3").
func isPage(p redactors.Part) bool { return p.Page > 0 && p.Name == "page "+strconv.Itoa(p.Page) }

// loadPath writes a key under DEST as load files write paths: relative,
// with backslashes.
func loadPath(key string) string { return strings.ReplaceAll(key, "/", `\`) }

// extractedText is the text of a produced document for its TEXT file, from
// the verifier's reading of the output: its pages separated by form feeds
// (the first reading of each page only: a format may read a page more
// than one way), or for a document without pages its parts, an email's
// header fields as "Field: value" lines.
func extractedText(parts []redactors.Part, paged bool) []byte {
	var b strings.Builder
	for i, p := range parts {
		switch {
		case paged:
			if !isPage(p) {
				continue
			}
			if i > 0 {
				b.WriteString("\f")
			}
			b.WriteString(p.Text)
		case strings.HasPrefix(p.Name, "headers: "):
			b.WriteString(strings.TrimPrefix(p.Name, "headers: ") + ": " + p.Text + "\n")
		default:
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(p.Text)
			if !strings.HasSuffix(p.Text, "\n") {
				b.WriteString("\n")
			}
		}
	}
	s := strings.ReplaceAll(b.String(), "\r\n", "\n")
	return []byte(strings.ReplaceAll(s, "\n", "\r\n"))
}
