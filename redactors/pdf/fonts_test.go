package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// Fonts as real tools embed them (issue 19): Ghostscript's ps2pdf writes
// Type 1C (bare CFF) programs, groff's gropdf embeds Type 1 programs.
// Each file is then stripped of what would have made the font program
// unnecessary (its ToUnicode map, its Encoding), so that only the program
// says what each code is, as in the files that were quarantined; the
// judges (pdftotext, mutool) read the same stripped file.

// fontLetter is invented text: a name to redact among ordinary words,
// ligatures and a few accented letters.
const fontLetter = `.LP
The tenant Quillon Brevard signed the lease for the Marrowgate flat.
.LP
Zyx fjord waltz quickly: office, baffle, fluffy; caf\['e] na\[:i]ve.
`

// toolPDF builds the fixture with tool "gs" (groff -Tps | ps2pdf) or
// "groff" (groff -Tpdf with every font embedded).
func toolPDF(t *testing.T, tool string) []byte {
	t.Helper()
	groff := judgeTool(t, "groff")
	dir := t.TempDir()
	src := filepath.Join(dir, "a.ms")
	if err := os.WriteFile(src, []byte(fontLetter), 0o644); err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	switch tool {
	case "gs":
		ps2pdf := judgeTool(t, "ps2pdf")
		ps, err := exec.Command(groff, "-ms", "-Tps", src).Output()
		if err != nil {
			t.Fatalf("groff -Tps: %v", err)
		}
		cmd = exec.Command(ps2pdf, "-", "-")
		cmd.Stdin = bytes.NewReader(ps)
	case "groff":
		judgeTool(t, "gropdf")
		cmd = exec.Command(groff, "-ms", "-Tpdf", "-P-e", src)
	}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return out
}

// stripFontKeys renames the given keys where they point at objects (a
// font's /ToUnicode 12 0 R, /Encoding 9 0 R) in qpdf's uncompressed form
// of data, so that readers no longer see them; the renamed key keeps its
// length, so offsets hold.
func stripFontKeys(t *testing.T, data []byte, keys ...string) []byte {
	t.Helper()
	raw := rawObjects(t, data)
	for _, k := range keys {
		re := regexp.MustCompile(`/` + k + `( \d+ 0 R)`)
		n := 0
		raw = re.ReplaceAllFunc(raw, func(m []byte) []byte {
			n++
			return append([]byte("/"+k[:len(k)-1]+"X"), m[len(k)+1:]...)
		})
		if n == 0 {
			t.Fatalf("no /%s to strip", k)
		}
	}
	return raw
}

// pdftotextOf returns pdftotext's reading of data, white space folded.
func pdftotextOf(t *testing.T, data []byte) string {
	t.Helper()
	return judgeRead(t, data).pdftotext
}

// unligature spells out ligature characters, as pdftotext does.
var unligature = strings.NewReplacer("\ufb00", "ff", "\ufb01", "fi", "\ufb02", "fl", "\ufb03", "ffi", "\ufb04", "ffl")

func TestToolFonts(t *testing.T) {
	for _, c := range []struct {
		name, tool string
		strip      []string
		font       string // what pdffonts would call it
	}{
		{"Type 1C without ToUnicode", "gs", []string{"ToUnicode"}, "/Type1C"},
		{"Type 1C, built-in encoding only", "gs", []string{"ToUnicode", "Encoding"}, "/Type1C"},
		{"Type 1 without ToUnicode", "groff", []string{"ToUnicode"}, "/FontFile "},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := toolPDF(t, c.tool)
			if c.tool == "gs" {
				// ps2pdf writes no ToUnicode for these fonts: strip
				// what there is.
				c.strip = c.strip[1:]
			}
			if len(c.strip) > 0 {
				in = stripFontKeys(t, in, c.strip...)
			}
			if !bytes.Contains(rawObjects(t, in), []byte(c.font)) {
				t.Fatalf("the fixture has no %s font", c.font)
			}
			if bytes.Contains(rawObjects(t, in), []byte("/ToUnicode ")) {
				t.Fatal("the fixture still has a ToUnicode map")
			}
			want := pdftotextOf(t, in)
			if !strings.Contains(want, "Quillon Brevard") {
				t.Fatalf("pdftotext reads %q: the fixture does not hold the name", want)
			}
			d := parse(t, in)
			got := unligature.Replace(strings.Join(strings.Fields(d.Parts()[0].Text), " "))
			if got != want {
				t.Errorf("Veil reads\n%q\npdftotext\n%q", got, want)
			}
			out := redactWith(t, in, func(d redactors.Document) []redactors.Edit {
				return editsIn(d, 0, "[X]", "Brevard")
			})
			judgeClean(t, out, []string{"Brevard"}, []string{"Quillon", "Marrowgate"})
		})
	}
}
