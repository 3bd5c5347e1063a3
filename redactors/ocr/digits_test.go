package ocr

import "testing"

func TestDigits(t *testing.T) {
	for in, want := range map[string]string{
		"Q3/16/1978":  "03/16/1978",
		"@5/28/1959":  "05/28/1959",
		"l2/04/2001":  "12/04/2001",
		"4821337O":    "48213370",
		"(555)":       "(555)",
		"O7/O4/1990":  "07/04/1990",
		"48213377":    "48213377",
		"Sol":         "Sol",
		"B12":         "B12",
		"2nd":         "2nd",
		"1978":        "1978",
		"Room":        "Room",
		"OO/OO/19":    "OO/OO/19", // too many look-alikes
		"S.O.S.":      "S.O.S.",
		"mg/kg":       "mg/kg",
		"10/12/2O2O":  "10/12/2020",
		"(555)2l9-33": "(555)219-33",
	} {
		if got := Digits(in); got != want {
			t.Errorf("Digits(%q) = %q, want %q", in, got, want)
		}
	}
}
