package pdf

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// Text drawn through a singular matrix is on no page a reader sees, but
// every extractor reads its string, glued ("OrsolyaQuillanby,MRN48213907"):
// the red team's documents of issue 13 wrote it out under the court profile
// with a deny list (0 Tz: the deny-listed name, the birth date and the SSN
// kept). Such text is refused, never read glued; ordinary scaling is read.
func TestDegenerateTextMatrixRefused(t *testing.T) {
	const secret = "(Orsolya Quillanby, MRN 48213907, DOB 03/11/1961) Tj ET"
	res := func(b *builder) string { return fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", b.add(helvFont)) }
	for _, c := range []struct {
		name, content string
		refused       bool
	}{
		{"horizontal scaling 0", "BT /F1 10 Tf 0 Tz 72 280 Td " + secret, true},
		{"Tm with a zero axis", "BT /F1 10 Tf 0 0 0 10 72 280 Tm " + secret, true},
		{"Tm all zero", "BT /F1 10 Tf 0 0 0 0 72 280 Tm " + secret, true},
		{"cm collapsing y", "q 1 0 0 0 0 0 cm BT /F1 10 Tf 72 280 Td " + secret + " Q", true},
		{"ordinary", "BT /F1 10 Tf 72 280 Td " + secret, false},
		{"condensed 50%", "BT /F1 10 Tf 50 Tz 72 280 Td " + secret, false},
		{"tiny font", "BT /F1 0.1 Tf 72 280 Td " + secret, false},
		{"mirrored", "BT /F1 10 Tf -1 0 0 1 300 280 Tm " + secret, false},
		{"only spaces at 0 Tz", "BT /F1 10 Tf 0 Tz 72 280 Td (   ) Tj ET BT /F1 10 Tf 100 Tz 72 300 Td (Visit) Tj ET", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := pagesDoc([]string{c.content}, res, nil)
			d, err := New().Parse(in)
			if c.refused {
				if !errors.Is(err, redactors.ErrUninspectable) {
					t.Fatalf("Parse: %v; want uninspectable", err)
				}
				if strings.Contains(err.Error(), "Quillanby") || strings.Contains(err.Error(), "48213907") {
					t.Errorf("the error names a value: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := partsText(d); !strings.Contains(got, "Quillanby") && !strings.Contains(got, "Visit") {
				t.Errorf("parts do not show the text:\n%s", got)
			}
		})
	}
}
