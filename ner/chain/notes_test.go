package chain

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/veilhq/veil/ner"
)

// notesThreshold is the threshold of the measurement profiles
// (scripts/eval-mask-all.yaml) and of the research profile.
const notesThreshold = 0.4

// noteLine strips the «» of a line of testdata/notes.txt and returns the
// text and the marked spans.
func noteLine(t *testing.T, s string) (string, [][2]int) {
	t.Helper()
	var b strings.Builder
	var spans [][2]int
	for {
		i := strings.Index(s, "«")
		if i < 0 {
			break
		}
		j := strings.Index(s, "»")
		if j < i {
			t.Fatalf("unbalanced «» in %q", s)
		}
		b.WriteString(s[:i])
		lo := b.Len()
		b.WriteString(s[i+len("«") : j])
		spans = append(spans, [2]int{lo, b.Len()})
		s = s[j+len("»"):]
	}
	if strings.Contains(s, "»") {
		t.Fatalf("unbalanced «» in %q", s)
	}
	b.WriteString(s)
	return b.String(), spans
}

// TestNoteLines runs the invented note lines of testdata/notes.txt
// through the text chain: every marked identifier is masked, nothing in
// the lines that hold none is, and the known misses are reported.
func TestNoteLines(t *testing.T) {
	f, err := os.Open("testdata/notes.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := Build(Config{}).Text
	var pos, found, known int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		neg, miss := strings.HasPrefix(line, "!"), strings.HasPrefix(line, "?")
		if neg || miss {
			line = line[1:]
		}
		text, spans := noteLine(t, line)
		fs := detectNotes(t, d, text)
		if neg {
			if len(fs) > 0 {
				t.Errorf("masked in %q: %v", text, fs)
			}
			continue
		}
		ok := true
		for _, s := range spans {
			ok = ok && covered(fs, s[0], s[1], "", true)
		}
		pos++
		switch {
		case ok:
			found++
			if miss {
				t.Errorf("known miss now found (remove its \"?\"): %q", line)
			}
		case miss:
			known++
			t.Logf("known miss: %q %v", line, fs)
		default:
			t.Errorf("missed: %q %v", line, fs)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d lines found whole (%d known misses)", found, pos, known)
}

func detectNotes(t *testing.T, d *ner.Chain, text string) []ner.Finding {
	t.Helper()
	fs, err := d.Detect(t.Context(), text)
	if err != nil {
		t.Fatal(err)
	}
	return ner.Filter(fs, notesThreshold)
}
