package pattern

import (
	"context"
	"testing"

	"github.com/veilhq/veil/ner"
)

// A seven-digit pair after a word that cites a section, a chapter or a
// title is a citation, not a local telephone number, and a dotted pair is
// one only with a telephone word before it (the safety review of session
// 33: statute sections were masked as PHONE under supervision). A
// telephone number beside them is still found.
func TestLocalPhoneNotCitation(t *testing.T) {
	d := Default()
	for _, text := range []string{
		"under section 412.0871, Statutes of the state",
		"the court applied section 627.7315 today",
		"12 U.S.C. 482 5530 and 12 USC 482-5530",
		"section 455-0173 applies, as does § 455-0173 and §455-0173",
		"see Sec. 412.0871 and ch. 719.1034, Stat. 628.3345",
		"Article 455-0173, chapter 455 2210, title 455-0173, vol 455-0173, para. 455-0173",
		"the ratio was 455.2210 at noon",
	} {
		fs, err := d.Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if f.Entity == ner.Phone && f.Score >= minScore {
				t.Errorf("%q: %q found as %s (%s %.2f)", text, text[f.Start:f.End], f.Entity, f.Rule, f.Score)
			}
		}
	}
	for _, c := range []struct{ text, want string }{
		{"call her at 455.2210 tonight", "455.2210"},
		{"she said 455-0173 after six", "455-0173"},
		{"section 12 is done; call 455-2210", "455-2210"},
	} {
		fs, err := d.Detect(context.Background(), c.text)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range fs {
			found = found || f.Entity == ner.Phone && f.Score >= minScore && c.text[f.Start:f.End] == c.want
		}
		if !found {
			t.Errorf("%q: %q not found as PHONE", c.text, c.want)
		}
	}
}
