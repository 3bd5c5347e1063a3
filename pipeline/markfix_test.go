package pipeline_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// markfixCases are a safety reviewer's findings on sidedoor13's markup
// reading (session "markfix", issue 13): each kept a value on main.
// Invented values only.
var markfixCases = []struct {
	name, profile, text string
	gone                []string
}{
	// 1. a percent-encoded name in a link target with no "://"
	{"md link relative", "research", `See [the chart](chart.html?patient=Tamsin%20Everard) for details.`, []string{"Everard"}},
	{"md link plus", "research", `See [the chart](chart.html?patient=Tamsin+Everard&x=1) for details.`, []string{"Everard"}},
	{"md link path", "research", `See [the chart](/patients/Tamsin%20Everard/chart) for details.`, []string{"Everard"}},
	{"md link scheme-relative", "research", `See [the chart](//example.org/p?patient=Tamsin%20Everard) for details.`, []string{"Everard"}},
	{"md link file", "research", `See [the scan](Tamsin%20Everard.pdf) for details.`, []string{"Everard"}},
	{"md reference", "research", "See [the chart][ref] for details.\n\n[ref]: chart.html?patient=Tamsin%20Everard&mrn=48213907", []string{"Everard", "48213907"}},
	// 3. an edit that starts in markup is cut to a fragment
	{"abbr title cue", "supervision", `Seen by <abbr title="Orsolya Quillanby">OQ</abbr> today.`, []string{"Quillanby"}},
	{"abbr unclosed", "supervision", `Seen by <abbr title="Orsolya Quillanby">OQ today.`, []string{"Quillanby"}},
	{"abbr no end", "supervision", `Seen by <abbr title="Orsolya Quillanby"`, []string{"Quillanby"}},
	// 4. data: URLs (refused: their content is not read)
	{"data url", "research", `Open <a href="data:text/plain;base64,VGFtc2luIEV2ZXJhcmQ=">this</a> now.`, []string{"VGFtc2luIEV2ZXJhcmQ"}},
	{"data url md", "research", `Open [this](data:text/plain;base64,VGFtc2luIEV2ZXJhcmQ=) now.`, []string{"VGFtc2luIEV2ZXJhcmQ"}},
	// 2. encoded values in structural attributes
	{"class refs", "research", `The <span class="&#84;amsin &#69;verard">patient</span> came.`, []string{"&#69;verard"}},
	{"id hex refs", "research", `The <span id="&#x54;amsin&#x20;&#x45;verard">patient</span> came.`, []string{"&#x45;verard"}},
	{"datetime refs", "research", `Born <time datetime="1984&#45;03&#45;07">then</time>.`, []string{"03&#45;07"}},
	{"id percent", "research", `The <span id="Tamsin%20Everard">patient</span> came.`, []string{"Everard"}},
}

// TestMarkfixLeaks: none of the values above is written (the file may be
// quarantined: fail closed), and verify (Engine.Check, as `veil verify`
// runs it) finds each in the unredacted text, so a redactor bypassed
// would be caught.
func TestMarkfixLeaks(t *testing.T) {
	for _, c := range markfixCases {
		for _, ext := range []string{".txt", ".md"} {
			t.Run(c.name+ext, func(t *testing.T) {
				src := t.TempDir()
				if err := os.WriteFile(filepath.Join(src, "note"+ext), []byte(c.text+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				out, _, _, totals := runFolder(t, c.profile, src, pipeline.Options{})
				b, err := os.ReadFile(filepath.Join(out, "note"+ext))
				if err != nil {
					if totals.NotWritten() == 0 {
						t.Fatal(err)
					}
					if strings.HasPrefix(c.name, "data url") {
						return // refused, as it must be
					}
					t.Fatalf("quarantined: %+v", totals)
				}
				if strings.HasPrefix(c.name, "data url") {
					t.Fatalf("a data: URL written:\n%s", b)
				}
				got := string(b)
				for _, s := range c.gone {
					if strings.Contains(got, s) {
						t.Errorf("%q left in the output:\n%s", s, got)
					}
				}
			})
		}
	}
}

// TestMarkfixCheck: verify reads each value decoded on its own (a
// leftover in a reading other than the raw text), so a redactor that
// missed it would be caught.
func TestMarkfixCheck(t *testing.T) {
	engines := map[string]*pipeline.Engine{}
	for _, c := range markfixCases {
		e := engines[c.profile]
		if e == nil {
			p, err := profiles.Load(c.profile)
			if err != nil {
				t.Fatal(err)
			}
			if e, err = pipeline.NewEngine(pipeline.Options{Profile: p, Secrets: testKeys(t), Year: testYear}); err != nil {
				t.Fatal(err)
			}
			engines[c.profile] = e
		}
		for _, key := range []string{"note.txt", "note.md"} {
			ls, err := e.Check(context.Background(), key, []byte(c.text+"\n"))
			if err != nil && strings.HasPrefix(c.name, "data url") && errors.Is(err, redactors.ErrUninspectable) {
				continue // refused by verify too
			}
			if err != nil {
				t.Fatalf("%s %s: %v", c.name, key, err)
			}
			// found in a decoded reading, not only in the raw text
			decoded := false
			for _, l := range ls {
				decoded = decoded || l.Part != "body" && l.Part != "raw bytes"
			}
			if c.profile == "research" && !decoded {
				t.Errorf("%s %s: verify finds nothing decoded in %q: %+v", c.name, key, c.text, ls)
			}
		}
	}
}
