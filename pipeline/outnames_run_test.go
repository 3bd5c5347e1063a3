package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
)

// TestOutNamesQuarantinedFolders: a folder's rename applies to every key
// under it, written or quarantined, whatever the order of the files: a
// refused file next to a written one does not keep, in the report or the
// log, the folder names the written file's key renamed (session
// "sidefix37"; the refused file sorts first).
func TestOutNamesQuarantinedFolders(t *testing.T) {
	src := t.TempDir()
	dir := filepath.Join(src, "Orsolya Quillanby matter", "dev", "src", "Quillanby-notes")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"intake Quillanby.txt":       "Client: Orsolya Quillanby, seen on 4 May 2024. Ms Quillanby is well.\n",
		"Orsolya Quillanby photo.md": "Photo.\n![x](data:text/plain,hello)\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, profile := range []string{"research", "supervision"} {
		t.Run(profile, func(t *testing.T) {
			out, rep, log, totals := runFolder(t, profile, src, pipeline.Options{NoNER: true})
			if totals.Quarantined != 1 {
				t.Fatalf("%d quarantined, want 1", totals.Quarantined)
			}
			written := readTree(t, out)
			if len(written) != 1 {
				t.Fatalf("%d files written, want 1", len(written))
			}
			for k := range written {
				if strings.Contains(k, "Quillanby") {
					t.Fatalf("written key %s keeps the name", k)
				}
				folder := k[:strings.LastIndexByte(k, '/')]
				if !strings.Contains(string(rep["report.md"]), folder+"/") {
					t.Errorf("report.md does not name the quarantined file under the written file's folder %s", folder)
				}
			}
			for name, b := range rep {
				if strings.Contains(string(b), "Quillanby") {
					t.Errorf("%s keeps the name", name)
				}
			}
			if strings.Contains(log, "Quillanby") {
				t.Errorf("the log keeps the name")
			}
		})
	}
}
