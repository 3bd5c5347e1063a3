package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// BenchmarkPDF measures the format alone (no detection) on the PDFs of the
// folder VEIL_PDF_BENCH: parse, redact the three most frequent capitalised
// words of six letters or more (as scripts/pdf-terms picks them), parse the
// output again and run the leak check, as the engine does. Files that are
// quarantined are skipped. Reports pages/s and MB/s.
//
//	VEIL_PDF_BENCH=/work/shared/pdfs/real go test ./redactors/pdf -run - -bench PDF -benchtime 3x
func BenchmarkPDF(b *testing.B) {
	dir := os.Getenv("VEIL_PDF_BENCH")
	if dir == "" {
		b.Skip("VEIL_PDF_BENCH names a folder of PDFs")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.[pP][dD][fF]"))
	type input struct {
		data  []byte
		terms []string
	}
	var ins []input
	pages, size := 0, 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		d, err := New().Parse(data)
		if err != nil {
			continue
		}
		ins = append(ins, input{data, topWords(d)})
		pages += d.(*Document).PageCount()
		size += len(data)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, in := range ins {
			d, err := New().Parse(in.data)
			if err != nil {
				b.Fatal(err)
			}
			var out bytes.Buffer
			if err := d.Redact(&out, pageEdits(d, editsFor(d, "REDACTED", in.terms...))); err != nil {
				continue
			}
			d2, err := New().Parse(out.Bytes())
			if err != nil {
				continue
			}
			d2.(*Document).Leaks(out.Bytes(), func(s string) bool { return strings.Contains(s, in.terms[0]) })
		}
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(pages)/secs, "pages/s")
	b.ReportMetric(float64(size)/1e6/secs, "MB/s")
}

var capWord = regexp.MustCompile(`\b[A-Z][a-z]{5,}\b`)

// pageEdits keeps the edits of the page texts (the first PageCount parts):
// what the benchmark measures, however many other parts a document has.
func pageEdits(d redactors.Document, edits []redactors.Edit) []redactors.Edit {
	n := d.(*Document).PageCount()
	out := edits[:0]
	for _, e := range edits {
		if e.Part < n {
			out = append(out, e)
		}
	}
	return out
}

func topWords(d redactors.Document) []string {
	n := map[string]int{}
	for _, p := range d.Parts()[:d.(*Document).PageCount()] {
		for _, w := range capWord.FindAllString(p.Text, -1) {
			n[w]++
		}
	}
	ws := make([]string, 0, len(n))
	for w := range n {
		ws = append(ws, w)
	}
	sort.Slice(ws, func(i, j int) bool { return n[ws[i]] > n[ws[j]] || n[ws[i]] == n[ws[j]] && ws[i] < ws[j] })
	if len(ws) > 3 {
		ws = ws[:3]
	}
	if len(ws) == 0 {
		ws = []string{"\x00none"}
	}
	return ws
}
