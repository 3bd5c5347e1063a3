package xlsx_test

import (
	"bytes"
	"strings"
	"testing"
)

// pivotChartBook is pivotNamedBook with its pivot table named pname and a
// pivot chart whose c:pivotSource/c:name is chartName.
func pivotChartBook(t *testing.T, pname, chartName string) []byte {
	t.Helper()
	chart := `<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:pivotSource><c:name>` + chartName + `</c:name><c:fmtId val="0"/></c:pivotSource><c:chart/></c:chartSpace>`
	in := rewriteEntries(t, pivotNamedBook(t, false), func(name, x string) string {
		x = strings.ReplaceAll(x, "Quillanby billing", pname)
		if name == "[Content_Types].xml" {
			return strings.Replace(x, "</Types>", `<Override PartName="/xl/charts/chart9.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/></Types>`, 1)
		}
		return x
	})
	return addEntry(t, in, "xl/charts/chart9.xml", chart)
}

// noneKeeps redacts in and fails when an output part still holds word
// (case-folded); a refusal (quarantine) is accepted.
func noneKeeps(t *testing.T, in []byte, word, what string) {
	t.Helper()
	d := parse(t, in)
	var out bytes.Buffer
	if err := d.Redact(&out, nil); err != nil {
		t.Logf("%s: refused: %v", what, err)
		return
	}
	for _, e := range mustZip(t, out.Bytes()) {
		if k := strings.Index(strings.ToLower(e[1]), word); k >= 0 {
			t.Errorf("%s: %s keeps the name: %q", what, e[0], e[1][max(0, k-60):min(len(e[1]), k+40)])
		}
	}
}

// TestPivotSourceNameWithBang: a pivot table whose (identifying) name
// holds '!' or ']' is renamed in a pivot chart's source too (session
// "clipath": the source was split at its last '!', and "Zorbel!" stayed).
func TestPivotSourceNameWithBang(t *testing.T) {
	for _, c := range []struct{ pname, chart string }{
		{"Zorbel!billing", "[Book1.xlsx]Pivot!Zorbel!billing"},
		{"Zorbel!billing", "Pivot!ZORBEL!BILLING"},
		{"Zorbel billing", "[Book1.xlsx]'Pivot'!Zorbel billing"},
		{"Zorbel billing", "Pivot!ZORBEL BILLING"},
		{"Zorbel]billing", "[Book1.xlsx]Pivot!Zorbel]billing"},
	} {
		noneKeeps(t, pivotChartBook(t, c.pname, c.chart), "zorbel", c.chart)
	}
}
