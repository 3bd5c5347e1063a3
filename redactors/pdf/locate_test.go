package pdf

import (
	"bytes"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/pdf/pdftest"
)

// Locate puts a word where poppler (pdftotext -bbox, an independent
// reading) says it is drawn, within a few points.
func TestLocateAgreesWithPoppler(t *testing.T) {
	bin := tool(t, "pdftotext")
	data := pdftest.OnePage("Invoice for Wilhelmina Quartermaine", "paid in full on arrival")
	cmd := exec.Command(bin, "-bbox", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	page := regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)"`).FindSubmatch(out)
	word := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">Quartermaine</word>`).FindSubmatch(out)
	if page == nil || word == nil {
		t.Fatalf("pdftotext -bbox output not understood:\n%s", out)
	}
	num := func(b []byte) float64 { f, _ := strconv.ParseFloat(string(b), 64); return f }
	pw, ph := num(page[1]), num(page[2])
	want := [4]float64{num(word[1]) / pw, num(word[2]) / ph, num(word[3]) / pw, num(word[4]) / ph}

	doc, err := New().Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	d := doc.(*Document)
	text := d.Parts()[0].Text
	i := strings.Index(text, "Quartermaine")
	rs := d.Locate(0, i, i+len("Quartermaine"))
	if len(rs) != 1 {
		t.Fatalf("%d rects, want 1", len(rs))
	}
	got := [4]float64{rs[0].X0, rs[0].Y0, rs[0].X1, rs[0].Y1}
	for k := range got {
		// 4 points of the page, at most: box padding and font metrics.
		tol := 4 / pw
		if k%2 == 1 {
			tol = 4 / ph
		}
		if math.Abs(got[k]-want[k]) > tol {
			t.Errorf("rect %v, poppler %v", got, want)
			break
		}
	}
	if d.Locate(0, 0, 0) != nil || d.Locate(5, 0, 1) != nil {
		t.Error("an empty span or a part that does not exist has a place")
	}
}

// Rotated pages: the corners of the page go where a viewer shows them.
func TestDisplayedRotation(t *testing.T) {
	for _, c := range []struct {
		rot        int
		u, v, x, y float64
	}{
		{0, 0.1, 0.2, 0.1, 0.2},
		{90, 0, 0, 1, 0}, {90, 0, 1, 0, 0}, {90, 0.1, 0.2, 0.8, 0.1},
		{180, 0, 0, 1, 1}, {180, 0.1, 0.2, 0.9, 0.8},
		{270, 0, 0, 0, 1}, {270, 1, 0, 0, 0}, {270, 0.1, 0.2, 0.2, 0.9},
	} {
		if x, y := displayed(c.u, c.v, c.rot); math.Abs(x-c.x) > 1e-9 || math.Abs(y-c.y) > 1e-9 {
			t.Errorf("displayed(%v, %v, %d) = %v, %v, want %v, %v", c.u, c.v, c.rot, x, y, c.x, c.y)
		}
	}
}
