package xlsx_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// TestListEditAcrossItems: an edit that spans items of a validation list
// ("Orsolya Quillanby,Tamsin Everard" found as one) is made in each item
// it covers: no item is left empty (safety review of sheetdoor, F6: the
// list became "Person A,", its second item gone).
func TestListEditAcrossItems(t *testing.T) {
	d := parse(t, xlsxtest.ContextFree())
	pi := -1
	for i, p := range d.Parts() {
		if p.Text == "Orsolya Quillanby,Tamsin Everard" {
			pi = i
		}
	}
	if pi < 0 {
		t.Fatal("no part of the clients' list")
	}
	for _, e := range []redactors.Edit{
		{Part: pi, Start: 0, End: len("Orsolya Quillanby,Tamsin Everard"), Replacement: "Person A"},
		{Part: pi, Start: len("Orsolya "), End: len("Orsolya Quillanby,Tamsin"), Replacement: "[X]"},
	} {
		var out bytes.Buffer
		if err := d.Redact(&out, []redactors.Edit{e}); err != nil {
			t.Fatal(err)
		}
		x := string(unzipEntry(t, out.Bytes(), "xl/worksheets/sheet1.xml"))
		i := strings.Index(x, `sqref="G3:G20"><formula1>"`)
		if i < 0 {
			t.Fatalf("no list in %s", x)
		}
		list, _, _ := strings.Cut(x[i+len(`sqref="G3:G20"><formula1>"`):], `"`)
		items := strings.Split(list, ",")
		if len(items) != 2 {
			t.Fatalf("%q: items %q", e.Replacement, items)
		}
		for _, it := range items {
			if strings.TrimSpace(it) == "" || strings.Contains(it, "Quillanby") || strings.Contains(it, "Tamsin") {
				t.Errorf("%q: list %q", e.Replacement, list)
			}
		}
	}
}
