package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
)

// TestRedTeamSession33 runs the red team's leaks of session 33 (issue 13)
// through the whole engine, each in the profile that wrote it: an
// extension header's value with no label but the header's name, a local
// telephone number without its area code, a name split by a code span or
// HTML tags in Markdown under a deny list. Invented values only.
func TestRedTeamSession33(t *testing.T) {
	cases := []struct {
		name, profile, file, text string
		deny                      []string
		gone                      []string
		kept                      []string
	}{
		{"extension headers", "supervision", "visit.eml",
			"From: desk@clinic.example.org\r\nTo: intake@clinic.example.org\r\nSubject: Visit\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\n" +
				"X-Patient-MRN: 48213907\r\nX-Patient: Orsolya Quillanby\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVisit confirmed.\r\n",
			nil, []string{"48213907", "Quillanby", "Orsolya"}, []string{"Visit confirmed."}},
		{"local phone number", "supervision", "note.txt",
			"Notes from the session.\nShe gave 555-0143 as the number to use, or 555.0143 at work.\nVolumes 500-1000 ml.\n",
			nil, []string{"555-0143", "555.0143"}, []string{"500-1000"}},
		{"markdown code span and tags", "court", "note.md",
			"# Notes\n\nAlso `Quill`anby and Qu<b></b>illanby attended.\n",
			[]string{"Quillanby"}, []string{"`Quill`anby", "Qu<b></b>illanby", "illanby"}, []string{"attended"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := t.TempDir()
			if err := os.WriteFile(filepath.Join(src, c.file), []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			var o pipeline.Options
			if len(c.deny) > 0 {
				o.DenyList = c.deny
			}
			out, rep, _, totals := runFolder(t, c.profile, src, o)
			if totals.NotWritten() != 0 {
				t.Fatalf("not written: %+v\n%s", totals, rep["report.md"])
			}
			b, err := os.ReadFile(filepath.Join(out, c.file))
			if err != nil {
				t.Fatal(err)
			}
			got := string(b)
			for _, s := range c.gone {
				if strings.Contains(got, s) {
					t.Errorf("%q left in the output:\n%s", s, got)
				}
			}
			for _, s := range c.kept {
				if !strings.Contains(got, s) {
					t.Errorf("%q was redacted:\n%s", s, got)
				}
			}
		})
	}
}
