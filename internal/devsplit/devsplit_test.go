package devsplit

import (
	"fmt"
	"testing"
)

func TestGroupByPatient(t *testing.T) {
	for id, want := range map[string]string{
		"deid:12-3":           "deid:12",
		"deid:12-14":          "deid:12",
		"deid:7":              "deid:7",
		"tab:001-91094":       "tab:001-91094",
		"conll2003-testa-001": "conll2003-testa-001",
	} {
		if got := Group(id); got != want {
			t.Errorf("Group(%q) = %q, want %q", id, got, want)
		}
	}
}

func TestPartKeepsPatientsTogether(t *testing.T) {
	for p := 1; p < 200; p++ {
		first := Part(fmt.Sprintf("deid:%d-1", p))
		for n := 2; n < 20; n++ {
			if got := Part(fmt.Sprintf("deid:%d-%d", p, n)); got != first {
				t.Fatalf("patient %d: note %d in %s, note 1 in %s", p, n, got, first)
			}
		}
	}
}

func TestPartShare(t *testing.T) {
	n, measured := 5000, 0
	for i := 0; i < n; i++ {
		if Part(fmt.Sprintf("doc-%d", i)) == Measured {
			measured++
		}
	}
	if share := float64(measured) / float64(n) * 100; share < MeasuredPercent-3 || share > MeasuredPercent+3 {
		t.Errorf("measured share %.1f %%, want about %d %%", share, MeasuredPercent)
	}
}

func TestIn(t *testing.T) {
	id := "tab:001-1"
	if !In(id, All) || In(id, Measured) == In(id, Tune) {
		t.Errorf("a document is in All and in exactly one of Measured and Tune")
	}
	if !Valid(Measured) || !Valid(Tune) || !Valid(All) || Valid("dev") {
		t.Errorf("Valid")
	}
}
