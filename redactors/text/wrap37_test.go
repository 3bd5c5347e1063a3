package text

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
)

// TestDataImageWrapped: an image's base64 wrapped at 76 columns (as MIME
// writes it) inside "<img src>" is refused as uninspectable (not read),
// not as a corrupt image, which its first line alone decodes to
// (session "sidefix37").
func TestDataImageWrapped(t *testing.T) {
	png, _ := imagetest.PNG("Orsolya Quillanby")
	b := base64.StdEncoding.EncodeToString(png)
	var w strings.Builder
	for len(b) > 76 {
		w.WriteString(b[:76] + "\r\n")
		b = b[76:]
	}
	w.WriteString(b)
	for _, f := range []Format{MarkdownWith(unreadImages()), PlainWith(unreadImages())} {
		_, err := f.Parse([]byte("<p>x</p><img src=\"data:image/png;base64," + w.String() + "\"> End.\n"))
		if !errors.Is(err, redactors.ErrUninspectable) || errors.Is(err, redactors.ErrCorrupt) {
			t.Errorf("%s: %v, want uninspectable", f.Name(), err)
		}
	}
}
