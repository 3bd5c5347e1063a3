package pdf

import (
	"regexp"
	"strconv"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"github.com/veilhq/veil/redactors"
)

var _ redactors.Dated = (*Document)(nil)

// Date implements redactors.Dated: the CreationDate of the document
// information dictionary, as read (Redact drops the dictionary).
func (d *Document) Date() (time.Time, bool, bool) {
	if d.r == nil || d.ctx == nil || d.ctx.XRefTable.Info == nil {
		return time.Time{}, false, false
	}
	info := d.r.dict(*d.ctx.XRefTable.Info)
	if info == nil {
		return time.Time{}, false, false
	}
	var s string
	switch v := d.r.resolve(info["CreationDate"]).(type) {
	case types.StringLiteral:
		s = string(v)
	case types.HexLiteral:
		b, err := v.Bytes()
		if err != nil {
			return time.Time{}, false, false
		}
		s = string(b)
	default:
		return time.Time{}, false, false
	}
	t, ok := pdfDate(s)
	return t, false, ok
}

// pdfDateRe matches a PDF date (ISO 32000-1, 7.9.4): D:YYYYMMDDHHmmSS
// with every part after the year optional.
var pdfDateRe = regexp.MustCompile(`^(?:D:)?([0-9]{4})([0-9]{2})?([0-9]{2})?`)

// pdfDate reads the day of a PDF date string; a date without its day is
// not used.
func pdfDate(s string) (time.Time, bool) {
	m := pdfDateRe.FindStringSubmatch(s)
	if m == nil || m[3] == "" {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	day, _ := strconv.Atoi(m[3])
	if y < 1900 || mo < 1 || mo > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	return time.Date(y, time.Month(mo), day, 0, 0, 0, 0, time.UTC), true
}
