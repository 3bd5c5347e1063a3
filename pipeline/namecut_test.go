package pipeline_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

// redactLines runs the supervision profile (rules only) over each line as
// a one-line .txt file and returns the outputs in order ("" for a file
// that was not written).
func redactLines(t *testing.T, lines []string) []string {
	t.Helper()
	src, out := t.TempDir(), t.TempDir()
	for i, l := range lines {
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("note%02d.txt", i)), []byte(l+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	source, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	rb, _ := report.NewBuilder()
	defer rb.Close()
	err = pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Source: source, Sink: sink, Report: rb, Workers: 1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(lines))
	for i := range lines {
		b, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("note%02d.txt", i)))
		if err == nil {
			got[i] = strings.TrimSpace(string(b))
		}
	}
	return got
}

// TestSupervisionNoteNamesWhole: in one-line clinical notes the rules that
// keep note words out of names (deid36) leave no part of a name: a
// hyphenated given name in capitals, a lone W or C (with) before a
// surname, a surname that is an ordinary word after MS or MR, an ordinary
// word that names a facility before a kind of care ("CARDIAC REHAB"), a
// given name or surname that is an ordinary word. Every word listed in gone must be redacted; an
// unwritten file fails the test too. Names are invented.
func TestSupervisionNoteNamesWhole(t *testing.T) {
	cases := []struct {
		text string
		gone []string
	}{
		{"PT JI-AN EVERARD STABLE.", []string{"JI", "AN", "EVERARD"}},
		{"MR JAE-IN EVERARD ADMITTED.", []string{"JAE", "IN", "EVERARD"}},
		{"MS EUN-MI QUILLANBY SEEN.", []string{"EUN", "MI", "QUILLANBY"}},
		{"MS EUN-MI PARK SEEN.", []string{"EUN", "MI", "PARK"}},
		{"DISCUSSED W EVERARD TODAY.", []string{"EVERARD"}},
		{"MS FIELDS BASELINE.", []string{"FIELDS"}},
		{"MR RIVERS ADMITTED.", []string{"RIVERS"}},
		{"MS STABLE QUILLANBY SEEN.", []string{"QUILLANBY"}},
		{"SUNRISE CARDIAC REHAB REFERRAL.", []string{"SUNRISE"}},
		{"REFERRED TO LANTERN CARDIAC REHAB.", []string{"LANTERN"}},
		{"MR WILL EVERARD", []string{"WILL", "EVERARD"}},
		{"SUPERVISION C QUILLANBY TODAY.", []string{"QUILLANBY"}},
		{"Nurse Mark Sing", []string{"Mark", "Sing"}},
		{"Tamsin Over-Quillanby", []string{"Tamsin", "Over", "Quillanby"}},
	}
	var lines []string
	for _, c := range cases {
		lines = append(lines, c.text)
	}
	got := redactLines(t, lines)
	for i, c := range cases {
		if got[i] == "" {
			t.Errorf("%q: not written", c.text)
			continue
		}
		words := map[string]bool{}
		for _, w := range strings.FieldsFunc(got[i], func(r rune) bool { return r == ' ' || r == '-' || r == '.' }) {
			words[w] = true
		}
		for _, w := range c.gone {
			if words[w] {
				t.Errorf("%q -> %q: %s left", c.text, got[i], w)
			}
		}
	}
}
