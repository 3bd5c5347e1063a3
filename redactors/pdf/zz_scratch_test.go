package pdf

import (
	"os"
	"testing"
)

func TestZZScratch(t *testing.T) {
	data, err := os.ReadFile("/tmp/fieldslo/t.pdf")
	if err != nil {
		t.Skip()
	}
	d, err := New(Options{}).Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Parts() {
		t.Logf("%s: %q", p.Name, p.Text)
	}
}
