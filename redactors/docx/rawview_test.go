package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/docx"
	"github.com/veilhq/veil/redactors/docx/docxtest"
)

// Leaks searches the whole file's raw bytes less the compressed data of
// the entries it read inflated, alone and with the entries the
// independent reading handed over: a pair of letters only compressed
// bytes spell is no leak; a value in a local header only (the central
// directory's copy of the name changed) is one.
func TestLeaksRawView(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	syll := []string{"ka", "lo", "mi", "ren", "sa", "tu", "vel", "zo", "qui", "bran"}
	leaks := func(t *testing.T, data []byte, value string) [2][]string {
		t.Helper()
		d, err := docx.New(docx.Options{}).Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		find := func(s string) bool { return strings.Contains(s, value) }
		var out [2][]string
		if out[0], err = d.(redactors.LeakChecker).Leaks(data, find); err != nil {
			t.Fatal(err)
		}
		if _, err := d.(redactors.IndependentReader).IndependentText(data); err != nil {
			t.Fatal(err)
		}
		if out[1], err = d.(redactors.LeakChecker).Leaks(data, find); err != nil {
			t.Fatal(err)
		}
		return out
	}
	found := false
	for try := 0; try < 50 && !found; try++ {
		var text strings.Builder
		for i := 0; i < 300; i++ {
			for j := 0; j < 1+rng.Intn(3); j++ {
				text.WriteString(syll[rng.Intn(len(syll))])
			}
			text.WriteByte(' ')
		}
		data := docxtest.Doc{Body: docxtest.P(text.String())}.Build()
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			off, err := f.DataOffset()
			if err != nil || f.Method != zip.Deflate {
				continue
			}
			// a pair inside the compressed data (its last byte aside),
			// nowhere else in the file
			for i := off; i+2 < off+int64(f.CompressedSize64) && !found; i++ {
				a, b := data[i], data[i+1]
				if a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z' && bytes.Count(data, data[i:i+2]) == 1 {
					if got := leaks(t, data, string(data[i:i+2])); len(got[0])+len(got[1]) > 0 {
						t.Errorf("%q, only in compressed bytes, found in %v", data[i:i+2], got)
					}
					found = true
				}
			}
		}
	}
	if !found {
		t.Fatal("no document made a pair of letters in compressed bytes alone")
	}

	const value = "Quillanby"
	data := docxtest.Doc{
		Body:  docxtest.P("Seen on Monday."),
		Files: []docxtest.File{{Name: "customXml/" + value + ".xml", Data: `<r a="1"/>`}},
	}.Build()
	end := bytes.LastIndex(data, []byte("PK\x05\x06"))
	cd := data[binary.LittleEndian.Uint32(data[end+16:]):end]
	copy(cd[bytes.Index(cd, []byte(value)):], "xxxxxxxxx")
	if got := leaks(t, data, value); fmt.Sprint(got) != "[[the file's raw bytes] [the file's raw bytes]]" {
		t.Errorf("a value in a local header only: %v", got)
	}
}
