package evaldata

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
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
