package pdf

import (
	"testing"
	"time"
)

func TestPDFDate(t *testing.T) {
	for in, want := range map[string]string{
		"D:20240314101500-05'00'": "2024-03-14",
		"D:20240314":              "2024-03-14",
		"20231201093000Z":         "2023-12-01",
		"D:2024":                  "",
		"D:202403":                "",
		"D:20241399":              "",
		"Thursday":                "",
	} {
		got, ok := pdfDate(in)
		s := ""
		if ok {
			s = got.Format(time.DateOnly)
		}
		if s != want {
			t.Errorf("pdfDate(%q) = %q, want %q", in, s, want)
		}
	}
}
