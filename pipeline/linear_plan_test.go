package pipeline

import (
	"bytes"
	"context"
	"testing"

	"github.com/veilhq/veil/ner/roles"
	"github.com/veilhq/veil/profiles"
)

// linearOptions returns engine options for a built-in profile, with a key
// for the profiles that need one.
func linearOptions(t *testing.T, name string) Options {
	t.Helper()
	p, err := profiles.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	k, err := profiles.NewKeys(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	// The model is measured on its own (TestLinearModel); here it would
	// only make the inputs slow to build.
	return Options{Profile: p, Secrets: k, NoNER: true}
}

// analyzed returns the analysis of text as a .txt file.
func analyzed(t *testing.T, o Options, text string) *Doc {
	t.Helper()
	e, err := NewEngine(o)
	if err != nil {
		t.Fatal(err)
	}
	d := e.Analyze(context.Background(), "note.txt", []byte(text))
	if d.Failed() != nil {
		t.Fatal(d.Failed())
	}
	return d
}

// planFresh plans a copy of analysed d with a new planner (a new case), so
// that every run does the same work.
func planFresh(t *testing.T, o Options) func(d *Doc) {
	return func(d *Doc) {
		pl, err := newPlanner(o)
		if err != nil {
			t.Fatal(err)
		}
		c := &Doc{SourceKey: d.SourceKey, Size: d.Size, sum: d.sum, format: d.format, doc: d.doc, parts: d.parts, found: d.found, nameFs: d.nameFs}
		pl.plan(c, nil)
		if c.err != nil {
			t.Fatal(c.err)
		}
	}
}

func TestLinearRoles(t *testing.T) {
	o := linearOptions(t, "court")
	cues := roles.New(profiles.DefaultContext(profiles.Client), profiles.DefaultContext(profiles.Minor), isTitle)
	for _, h := range hostileTexts {
		t.Run(h.name, func(t *testing.T) {
			assertLinear(t, 16<<10, func(n int) *Doc { return analyzed(t, o, h.build(n)) }, func(d *Doc) {
				text, fs := d.parts[0].Text, d.found[0]
				for _, f := range fs {
					cues.Client(text, f)
				}
				cues.Minors(text, fs, 2026)
			})
		})
	}
}

func TestLinearPlan(t *testing.T) {
	for _, profile := range []string{"supervision", "court", "research"} {
		o := linearOptions(t, profile)
		for _, h := range hostileTexts {
			t.Run(profile+"/"+h.name, func(t *testing.T) {
				assertLinear(t, 16<<10, func(n int) *Doc { return analyzed(t, o, h.build(n)) }, planFresh(t, o))
			})
		}
	}
}

func TestLinearApply(t *testing.T) {
	for _, profile := range []string{"supervision", "research"} {
		o := linearOptions(t, profile)
		for _, h := range hostileTexts {
			t.Run(profile+"/"+h.name, func(t *testing.T) {
				e, err := NewEngine(o)
				if err != nil {
					t.Fatal(err)
				}
				assertLinear(t, 16<<10, func(n int) *Doc {
					d := analyzed(t, o, h.build(n))
					e.Plan(d)
					return d
				}, func(d *Doc) {
					if _, err := e.apply(context.Background(), d); err != nil {
						t.Fatal(err)
					}
				})
			})
		}
	}
}
