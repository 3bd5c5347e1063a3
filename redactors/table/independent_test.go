package table

import (
	"strings"
	"testing"

	xunicode "golang.org/x/text/encoding/unicode"
)

func TestIndependentText(t *testing.T) {
	texts := func(d *Document, data []byte) (parts, indep map[string]bool) {
		parts, indep = map[string]bool{}, map[string]bool{}
		for _, p := range d.Parts() {
			parts[p.Text] = true
		}
		ps, err := d.IndependentText(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if strings.Contains(p.Name, "Quenby") || strings.Contains(p.Name, "Harriet") {
				t.Errorf("a part name holds text: %q", p.Name)
			}
			indep[p.Text] = true
		}
		return parts, indep
	}

	// Where the readers agree (semicolons, UTF-16, a quoted line break,
	// doubled quotes), the independent reading shows the cells.
	src := "Name;Note\n\"Quenby, Harriet\";\"said \"\"fine\"\"\nthen left\"\nTobias Wrenfield;\n"
	data, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().Bytes([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	d := parseDoc(t, CSV(Options{}), data)
	parts, indep := texts(d, data)
	if len(indep) != len(parts) {
		t.Errorf("%d texts read, %d cells", len(indep), len(parts))
	}
	for s := range indep {
		if !parts[s] {
			t.Errorf("read %q, no cell of it", s)
		}
	}

	// Where they do not (a quoted value with text after its closing
	// quote), the independent reading keeps what it read, for verify to
	// judge: a name the scanner split off is read whole with its
	// neighbour.
	src = "Name,Ward\n\"Harriet\" Quenby,4B\n"
	d = parseDoc(t, CSV(Options{}), []byte(src))
	parts, indep = texts(d, []byte(src))
	other := ""
	for s := range indep {
		if !parts[s] {
			other = s
		}
	}
	if !strings.Contains(other, "Quenby") {
		t.Errorf("the reading that differs is lost: %v", indep)
	}
}
