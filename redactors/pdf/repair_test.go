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

// Damaged files that poppler and qpdf open are repaired on read, not
// quarantined: a cross-reference table whose offsets all point at the
// wrong places, a missing table, a wrong startxref. The page
// count never changes, the text is read and redacted as in the intact
// file (issue 19).
func TestRepairDamaged(t *testing.T) {
	qpdf := tool(t, "qpdf")
	contents := []string{
		"BT /F1 12 Tf 72 720 Td (Discharge note for Leopold Fairweather) Tj ET",
		"BT /F1 12 Tf 72 720 Td (Second page without names) Tj ET",
		"BT /F1 12 Tf 72 720 Td (Third page, Fairweather again) Tj ET",
	}
	intact := pagesDoc(contents, helvRes, nil)
	dir := t.TempDir()
	src := filepath.Join(dir, "intact.pdf")
	os.WriteFile(src, intact, 0o644)
	offsets := regexp.MustCompile(`(\d{10}) 00000 n`)
	shifted := offsets.ReplaceAll(intact, []byte("0000000077 00000 n"))
	// A startxref that points nowhere.
	badStart := regexp.MustCompile(`startxref\s+\d+`).ReplaceAll(bytes.Clone(intact), []byte("startxref\n17"))
	noTable := append(bytes.Clone(intact[:bytes.Index(intact, []byte("xref\n"))]), []byte("trailer\n<< /Root 1 0 R >>\n%%EOF\n")...)
	for _, c := range []struct {
		name     string
		data     []byte
		repaired bool // by Veil's rebuild, not pdfcpu's own repair
	}{
		{"shifted offsets", shifted, true},
		{"wrong startxref", badStart, false},
		{"no table", noTable, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			// The judges open it.
			f := filepath.Join(t.TempDir(), "d.pdf")
			os.WriteFile(f, c.data, 0o644)
			n, _ := exec.Command(qpdf, "--show-npages", f).Output()
			if strings.TrimSpace(string(n)) != "3" {
				t.Fatalf("fixture: qpdf reads %q pages", n)
			}
			if got := pdftotextOf(t, c.data); !strings.Contains(got, "Leopold Fairweather") {
				t.Fatalf("fixture: pdftotext reads %q", got)
			}
			out, d := redact(t, c.data, func(d redactors.Document) []redactors.Edit {
				es := editsIn(d, 0, "NAME", "Leopold Fairweather")
				return append(es, editsIn(d, 2, "NAME", "Fairweather")...)
			})
			if d.PageCount() != 3 {
				t.Errorf("page count %d, want 3", d.PageCount())
			}
			if got := strings.Contains(strings.Join(d.Notes(), "; "), "repaired"); got != c.repaired {
				t.Errorf("notes %q: repaired note %v, want %v", d.Notes(), got, c.repaired)
			}
			judge(t, c.data, out, []string{"Fairweather", "Leopold"}, []string{"Discharge note for", "Second page without names", "Third page,"})
		})
	}
	// Nothing to rebuild from: still corrupt.
	if _, err := New().Parse([]byte("%PDF-1.7\n1 0 obj\n<< /Type /Pages >>\nendobj\n%%EOF\n")); err == nil {
		t.Errorf("a file without a catalog parsed")
	}
}

// The rebuild lists the members of object streams and finds the catalog
// without any trailer.
func TestRebuildXRef(t *testing.T) {
	qpdf := tool(t, "qpdf")
	intact := pagesDoc([]string{"BT /F1 12 Tf 72 720 Td (Ward list of Octavia Penhallow) Tj ET"}, helvRes, nil)
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a.pdf"), filepath.Join(dir, "b.pdf")
	os.WriteFile(src, intact, 0o644)
	if b, err := exec.Command(qpdf, "--object-streams=generate", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("qpdf: %v\n%s", err, b)
	}
	packed, _ := os.ReadFile(dst)
	// The cross-reference stream's data garbled: only its dictionary
	// (the trailer) and the object streams' headers say where objects are.
	cut := bytes.Clone(packed)
	i := bytes.LastIndex(cut, []byte("/Type /XRef"))
	k := i + bytes.Index(cut[i:], []byte("stream\n")) + len("stream\n")
	for n := k; n < k+30; n++ {
		cut[n] ^= 0x5a
	}
	fixed := rebuildXRef(cut, 1<<20)
	if fixed == nil {
		t.Fatal("no rebuild")
	}
	d, err := New().Parse(fixed)
	if err != nil {
		t.Fatalf("parse rebuilt: %v", err)
	}
	if !strings.Contains(d.Parts()[0].Text, "Octavia Penhallow") {
		t.Errorf("page text %q", d.Parts()[0].Text)
	}
	if rebuildXRef([]byte("%PDF-1.4\nno objects at all\n"), 1<<20) != nil {
		t.Errorf("a rebuild without objects")
	}
}
