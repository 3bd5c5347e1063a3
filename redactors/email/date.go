package email

import (
	"net/mail"
	"time"

	"github.com/veilhq/veil/redactors"
)

var _ redactors.Dated = (*Document)(nil)

// Date implements redactors.Dated: the message's Date header.
func (d *Document) Date() (time.Time, bool, bool) {
	if d.root == nil {
		return time.Time{}, false, false
	}
	for _, f := range d.root.fields {
		if f.canon != "Date" {
			continue
		}
		if t, err := mail.ParseDate(f.value); err == nil {
			return t, true, true
		}
	}
	return time.Time{}, false, false
}
