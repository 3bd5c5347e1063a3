package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestNotWrittenExitCode(t *testing.T) {
	src := t.TempDir()
	write(t, src, map[string][]byte{"a.txt": []byte("Client Maria Sandoval.\n"), "empty.txt": nil})
	if code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "court", src, filepath.Join(t.TempDir(), "o")); code != exitNotWritten {
		t.Fatalf("default: exit %d: %s", code, msg)
	}
	if code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "court", "--not-written-exit-code", "0", src, filepath.Join(t.TempDir(), "o")); code != exitOK {
		t.Fatalf("--not-written-exit-code 0: exit %d: %s", code, msg)
	}
}

// The resume state names source objects: it may not live in the released
// data, and a finished run leaves none behind unless asked to.
func TestStateLocation(t *testing.T) {
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "out")
	write(t, src, map[string][]byte{"intake_Maria_Sandoval.txt": []byte("Client Maria Sandoval.\n")})
	for _, st := range []string{filepath.Join(dst, "state"), filepath.Join(dst, "veil-report", "st"), filepath.Join(src, "st")} {
		code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "supervision", "--state", st, src, dst)
		if code != exitFatal || !strings.Contains(msg, "--state") {
			t.Errorf("state %s: exit %d: %s", st, code, msg)
		}
	}
	st := filepath.Join(t.TempDir(), "state")
	if code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "supervision", "--keep-state", "--state", st, src, dst); code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if n := countFiles(st); n < 2 {
		t.Fatalf("--keep-state kept %d files", n)
	}
	// Nothing that names a source object reaches DEST or the report.
	for name, b := range readTree(t, dst) {
		if strings.Contains(name, "Sandoval") || strings.Contains(string(b), "Sandoval") {
			t.Errorf("%s holds the source name", name)
		}
	}
	rep, _ := os.ReadFile(filepath.Join(dst, "veil-report", "report.json"))
	if strings.Contains(string(rep), "Sandoval") {
		t.Error("the report holds the source name")
	}
	if code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "supervision", "--resume", "--state", st, src, dst); code != exitOK {
		t.Fatalf("resume of a finished run: exit %d: %s", code, msg)
	}
	if n := countFiles(st); n != 0 {
		t.Fatalf("state not removed after the run: %d files", n)
	}
}

// Review finding: notes_Zoe_Walker.txt redacted to the name of another
// source file, and one output overwrote the other with exit 0. Every file
// is written under a name of its own; the unchanged one keeps its name.
func TestRunKeepsOutputNamesApart(t *testing.T) {
	src, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	write(t, src, map[string][]byte{
		"notes_Person-A.txt":   []byte("Weekly note, nothing identifying.\n"),
		"notes_Zoe_Walker.txt": []byte("Session with Zoe Walker.\n"),
	})
	if code, msg := veil(t, "run", "-q", "--no-ner", "--profile", "supervision", src, out); code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	got := readTree(t, out)
	if len(got) != 2 || string(got["notes_Person-A.txt"]) != "Weekly note, nothing identifying.\n" {
		t.Fatalf("outputs %q", got)
	}
	for k, b := range got {
		if k != "notes_Person-A.txt" && (string(b) != "Session with Person A.\n" || strings.Contains(k, "Walker")) {
			t.Errorf("%s: %q", k, b)
		}
	}
	rj, err := os.ReadFile(filepath.Join(out, reportDir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, _, files := readReport(t, rj)
	if len(files) != 2 || files[0].Key == files[1].Key {
		t.Fatalf("report records %+v", files)
	}
}
