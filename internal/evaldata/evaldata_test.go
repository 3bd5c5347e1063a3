package evaldata

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTexts(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "shared", "eval", "data", "x.jsonl")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	body := `{"id":"1","text":"Orsolya Quillanby called."}` + "\nnot json\n" + `{"id":"2","text":""}` + "\n" + `{"id":"3","text":"Tamsin Everard"}` + "\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := Texts(p), []string{"Orsolya Quillanby called.", "Tamsin Everard"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Texts = %q, want %q", got, want)
	}
	if Texts(filepath.Join(dir, "missing.jsonl")) != nil {
		t.Error("a missing file gives texts")
	}
	sub := filepath.Join(dir, "a", "b", "c")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	if got := Path("x.jsonl"); got == "" || Texts(got) == nil {
		t.Errorf("Path from three folders below = %q", got)
	}
	if got := Path("y.jsonl"); got != "" {
		t.Errorf("Path of a missing set = %q", got)
	}
}

// FuzzPieces: Pieces keeps every byte once, in order, and cuts a valid
// UTF-8 text only between runes, in pieces no longer than n plus a rune's
// continuation bytes (the benchmarks' former copies lost the bytes after
// a rune longer than n: seed 1).
func FuzzPieces(f *testing.F) {
	f.Add("Orsolya Quillanby called Tamsin Everard.", 8)
	f.Add("Séndoval é\u00e9\U0001F600 x", 3)
	f.Add("", 1)
	f.Fuzz(func(t *testing.T, doc string, n int) {
		if n < 1 || n > 1<<10 {
			return
		}
		ps := Pieces([]string{doc, doc}, n)
		if got := strings.Join(ps, ""); got != doc+doc {
			t.Fatalf("pieces %q join to %q", ps, got)
		}
		if !utf8.ValidString(doc) {
			return
		}
		for _, p := range ps {
			if len(p) > n+3 || p == "" {
				t.Fatalf("piece of %d bytes for n %d", len(p), n)
			}
			if !utf8.ValidString(p) {
				t.Fatalf("piece %q cuts a rune", p)
			}
		}
	})
}
