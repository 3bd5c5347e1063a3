package report

import (
	"io"
	"strconv"

	"github.com/veilhq/veil/pipeline/loadfile"
)

// Production is a file's place in a production volume (--production) and
// the fields of its load-file rows. Paths are relative to the folder that
// holds the volume, with backslashes, as load files write them
// ("VOL001\IMAGES\ACME000001.pdf").
type Production struct {
	Volume    string `json:"volume"`
	BegBates  string `json:"begbates"`
	EndBates  string `json:"endbates"`
	BegAttach string `json:"begattach,omitempty"`
	EndAttach string `json:"endattach,omitempty"`
	// PageCount is the number of pages of the image (PDF); 0 for a file
	// produced in native form only.
	PageCount  int    `json:"pagecount"`
	FileName   string `json:"filename"`
	NativePath string `json:"nativepath,omitempty"`
	ImagePath  string `json:"imagepath,omitempty"`
	TextPath   string `json:"textpath,omitempty"`
	Redacted   bool   `json:"redacted"`
}

// DATFields are the fields of the production's Concordance .dat, in order.
var DATFields = []string{"BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH", "PAGECOUNT", "FILENAME", "TEXTPATH", "NATIVEPATH", "REDACTED"}

// row returns p's .dat record.
func (p *Production) row() []string {
	red := "N"
	if p.Redacted {
		red = "Y"
	}
	beg, end := p.BegAttach, p.EndAttach
	if beg == "" {
		beg, end = p.BegBates, p.EndBates
	}
	return []string{p.BegBates, p.EndBates, beg, end, strconv.Itoa(p.PageCount), p.FileName, p.TextPath, p.NativePath, red}
}

// WriteDAT writes the Concordance .dat of the production: one record per
// produced file, in production (Bates) order.
func (b *Builder) WriteDAT(w io.Writer) error {
	dw, err := loadfile.NewDATWriter(w, DATFields)
	if err != nil {
		return err
	}
	err = b.each(func(_ []byte, f *File) error {
		if f.Production == nil {
			return nil
		}
		return dw.Write(f.Production.row())
	})
	if err != nil {
		return err
	}
	return dw.Flush()
}

// WriteOPT writes the Opticon .opt of the production: one line per image
// (a multi-page PDF is one image, with its page count).
func (b *Builder) WriteOPT(w io.Writer) error {
	ow := loadfile.NewOPTWriter(w)
	err := b.each(func(_ []byte, f *File) error {
		p := f.Production
		if p == nil || p.ImagePath == "" {
			return nil
		}
		return ow.Write(loadfile.Image{ID: p.BegBates, Volume: p.Volume, Path: p.ImagePath, DocBreak: true, PageCount: p.PageCount})
	})
	if err != nil {
		return err
	}
	return ow.Flush()
}
