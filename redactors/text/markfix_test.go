package text

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

// TestIndependentMarkfix: verify's independent reading (IndependentText,
// which shares no URL or attribute finder with the redactor) shows each
// value of the safety reviewer's findings decoded (session "markfix",
// issue 13), so a redactor that missed it would be caught.
func TestIndependentMarkfix(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// 1. link targets of any scheme or none, percent-encoded
		{`See [the chart](chart.html?patient=Tamsin%20Everard) now.`, "\nTamsin Everard\n"},
		{`See [the chart](/patients/Tamsin%20Everard/chart) now.`, "\nTamsin Everard\n"},
		{`See [the chart](//example.org/p?patient=Tamsin%20Everard) now.`, "\nTamsin Everard\n"},
		{`See [the scan](Tamsin%20Everard.pdf) now.`, "Tamsin Everard.pdf"},
		{"[ref]: chart.html?patient=Tamsin%20Everard&mrn=48213907", "\nTamsin Everard\n"},
		{`See [the chart](chart.html?patient=Tamsin+Everard&x=1) now.`, "\nTamsin Everard\n"},
		{`See https://h.example/c?patient=Tamsin+Everard now.`, "\nTamsin Everard\n"},
		// 2. structural attributes written with references or escapes
		{`The <span class="&#84;amsin &#69;verard">x</span>.`, "Tamsin Everard\n"},
		{`The <span id="&#x54;amsin&#x20;&#x45;verard">x</span>.`, "Tamsin Everard\n"},
		{`Born <time datetime="1984&#45;03&#45;07">then</time>.`, "1984-03-07\n"},
		{`The <span id="Tamsin%20Everard">x</span>.`, "Tamsin Everard\n"},
	} {
		ps, err := (&Document{}).IndependentText([]byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		for _, p := range ps[1:] {
			got.WriteString("\n" + p.Text)
		}
		if !strings.Contains(got.String(), c.want) {
			t.Errorf("%s: %q not in %q", c.in, c.want, got.String())
		}
	}
	// 4. a base64 data: URL of a text type (the redactor refuses it): since
	// session "sidefix37" verify's own reading refuses any data: URL that
	// is not an image it reads again
	for _, in := range []string{
		`Open <a href="data:text/plain;base64,VGFtc2luIEV2ZXJhcmQ=">this</a> now.`,
		`Open [this](data:text/plain;base64,VGFtc2luIEV2ZXJhcmQ=) now.`,
	} {
		if _, err := (&Document{}).IndependentText([]byte(in)); !errors.Is(err, redactors.ErrUninspectable) {
			t.Errorf("%s: %v, want uninspectable", in, err)
		}
	}
}

// TestDataURLRefused: a data: URL in a URL attribute or a link target,
// whatever its type, and base64 data anywhere in a text are refused
// (ErrUninspectable, a reason without the value): their content is not
// read (session "markfix", finding 4).
func TestDataURLRefused(t *testing.T) {
	for _, in := range []string{
		`Open <a href="data:text/plain;base64,VGFtc2luIEV2ZXJhcmQ=">this</a> now.`,
		`Open <a href=" DATA:text/plain,Tamsin">this</a> now.`,
		`Open <a href="data&colon;text/plain,Tamsin">this</a> now.`,
		`Open [this](data:text/plain;base64,VGFtc2luIEV2ZXJhcmQ=) now.`,
		`<img src="data:image/png;base64,iVBORw0KGgo=">`,
		`Payload: text/plain;base64,VGFtc2luIEV2ZXJhcmQ= here.`,
	} {
		for _, f := range []Format{Plain(), Markdown()} {
			_, err := f.Parse([]byte(in))
			if !errors.Is(err, redactors.ErrUninspectable) {
				t.Errorf("%s %s: %v", f.Name(), in, err)
			} else if strings.Contains(err.Error(), "VGFt") || strings.Contains(err.Error(), "Tamsin") {
				t.Errorf("the value in the error: %v", err)
			}
		}
	}
}

// FuzzIndependentMarkfix: verify's readings of words with escapes and
// data: URLs (pctWords, dataLines) and of every attribute value never
// fail but for a data: URL verify refuses, and write valid UTF-8.
func FuzzIndependentMarkfix(f *testing.F) {
	for _, s := range []string{
		`See [c](chart.html?p=Tamsin%20Everard) and %zz %2 %e2%82`,
		`<a href="data:text/plain;base64,VGFtc2luIEV2ZXJhcmQ=">x</a> data:;base64,////`,
		`<span class="&#84;amsin" id="a%20b" datetime="1984&#45;03">`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ps, err := (&Document{}).IndependentText([]byte(in))
		if err != nil && !errors.Is(err, redactors.ErrUninspectable) {
			t.Fatal(err) // a data: URL not read again is refused (sidefix37)
		}
		for _, p := range ps {
			if !utf8.ValidString(p.Text) {
				t.Fatalf("%s: invalid UTF-8", p.Name)
			}
		}
	})
}

// TestURLLabelBrackets: a bracket label replacing part of a URL
// attribute's value keeps its brackets ("[url] 1x", not "%5Burl%5D 1x")
// while a space in it is still escaped (session "markfix", finding 5).
func TestURLLabelBrackets(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<img srcset="tamsin.png 1x">`, `<img srcset="[url] 1x">`},
		{`<a href="mailto:tamsin@example.net?subject=x">`, `<a href="mailto:[email]?subject=x">`},
	} {
		d, err := Plain().Parse([]byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		p := d.Parts()[1]
		i := strings.Index(p.Text, "tamsin")
		e := i + len("tamsin.png")
		if strings.Contains(c.in, "mailto:") {
			e = i + len("tamsin@example.net")
		}
		r := "[url]"
		if strings.Contains(c.in, "mailto:") {
			r = "[email]"
		}
		var out bytes.Buffer
		if err := d.Redact(&out, []redactors.Edit{{Part: 1, Start: i, End: e, Replacement: r}}); err != nil {
			t.Fatal(err)
		}
		if out.String() != c.want {
			t.Errorf("got %s, want %s", out.String(), c.want)
		}
	}
}
