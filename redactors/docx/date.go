package docx

import (
	"bytes"
	"encoding/xml"
	"time"

	"github.com/veilhq/veil/redactors"
)

var _ redactors.Dated = (*Document)(nil)

// Date implements redactors.Dated: the creation date of the document's
// core properties (dcterms:created), as read, before Redact empties
// identifying properties.
func (d *Document) Date() (time.Time, bool, bool) {
	for _, e := range d.entries {
		if e.f == nil || e.f.Name != "docProps/core.xml" || e.xml == nil {
			continue
		}
		dec := xml.NewDecoder(bytes.NewReader(e.xml))
		in := false
		for {
			tok, err := dec.Token()
			if err != nil {
				return time.Time{}, false, false
			}
			switch t := tok.(type) {
			case xml.StartElement:
				in = t.Name.Local == "created" && t.Name.Space == "http://purl.org/dc/terms/"
			case xml.CharData:
				if in {
					if ts, err := time.Parse(time.RFC3339, string(bytes.TrimSpace(t))); err == nil {
						return ts, false, true
					}
				}
			case xml.EndElement:
				in = false
			}
		}
	}
	return time.Time{}, false, false
}
