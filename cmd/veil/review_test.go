package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
)

// Every name, number and place here is invented.
const reviewNote = "Client: Odile Brannigan\nCall (503) 555-0183 to reschedule.\nAt the allotment she is the marrow queen.\n"

// writeDecisions seals decisions about reviewNote in note.txt with the key.
func writeDecisions(t *testing.T, keyFile, path string) {
	t.Helper()
	keys, err := profiles.ReadKeyFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(reviewNote))
	ds := &pipeline.Decisions{Profile: "supervision", Reviewer: "From The File", Documents: []pipeline.DocumentDecisions{{
		Key: "note.txt", SHA256: hex.EncodeToString(sum[:]), Reviewed: true,
		Decisions: []pipeline.Decision{
			{Verdict: pipeline.Reject, Entity: "PHONE", Value: "(503) 555-0183"},
			{Verdict: pipeline.Add, Entity: "PERSON", Value: "marrow queen", Scope: pipeline.ScopeCase},
			{Verdict: pipeline.Accept, Entity: "PERSON", Value: "Odile Brannigan"},
		},
	}}}
	if err := ds.SaveFile(path, keys); err != nil {
		t.Fatal(err)
	}
}

func readReviewReport(t *testing.T, dir string) (meta struct {
	Review *report.Review `json:"review"`
	Files  []report.File  `json:"files"`
}) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "veil-report", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &meta); err != nil {
		t.Fatal(err)
	}
	return meta
}

// veil run --decisions applies a review deterministically: the rejected
// number stays, the added nickname goes (in every file: it was added for
// the whole case), both runs write the same bytes, and the report counts
// the decisions and names the reviewer --reviewer gives.
func TestRunAppliesDecisions(t *testing.T) {
	src, tmp := t.TempDir(), t.TempDir()
	write(t, src, map[string][]byte{"note.txt": []byte(reviewNote), "other.txt": []byte("The marrow queen phoned.\n")})
	key := testKeyFile(t)
	dec := filepath.Join(tmp, "case.veildec")
	writeDecisions(t, key, dec)
	var outs []string
	for i, reviewer := range []string{"R. Tester", ""} {
		out := filepath.Join(tmp, "out"+string(rune('1'+i)))
		args := []string{"run", "-q", "-p", "supervision", "--no-ner", "--key-file", key, "--decisions", dec}
		if reviewer != "" {
			args = append(args, "--reviewer", reviewer)
		}
		if code, msg := veil(t, append(args, src, out)...); code != exitOK {
			t.Fatalf("run: %d %s", code, msg)
		}
		b, err := os.ReadFile(filepath.Join(out, "note.txt"))
		if err != nil {
			t.Fatal(err)
		}
		other, _ := os.ReadFile(filepath.Join(out, "other.txt"))
		outs = append(outs, string(b)+string(other))
		if !strings.Contains(string(b), "(503) 555-0183") || strings.Contains(string(b), "marrow") || strings.Contains(string(other), "marrow") || strings.Contains(string(b), "Brannigan") {
			t.Errorf("output:\n%s\n%s", b, other)
		}
		rep := readReviewReport(t, out)
		want := report.Review{Reviewer: reviewer, Accepted: 1, Rejected: 1, Added: 1, Documents: 1, Reviewed: 1}
		if reviewer == "" {
			want.Reviewer = "From The File"
		}
		if rep.Review == nil || *rep.Review != want {
			t.Errorf("report review %+v, want %+v", rep.Review, want)
		}
		for _, f := range rep.Files {
			if f.Key == "note.txt" && (f.Review == nil || *f.Review != (report.FileReview{Reviewed: true, Accepted: 1, Rejected: 1, Added: 1})) {
				t.Errorf("note.txt review %+v", f.Review)
			}
		}
		md, _ := os.ReadFile(filepath.Join(out, "veil-report", "report.md"))
		if !strings.Contains(string(md), "## Review") || !strings.Contains(string(md), "1 accepted, 1 rejected, 1 added") {
			t.Errorf("report.md has no review section")
		}
		for _, name := range []string{"report.json", "report.md", "redaction-log.csv"} {
			b, _ := os.ReadFile(filepath.Join(out, "veil-report", name))
			if strings.Contains(string(b), "marrow") || strings.Contains(string(b), "555-0183") {
				t.Errorf("%s holds a value of a decision", name)
			}
		}
	}
	if outs[0] != outs[1] {
		t.Errorf("two runs with the same decisions differ")
	}
	// veil verify with the profile finds the kept number: the decision is
	// the reviewer's, not the profile's.
	if code, _ := veil(t, "verify", "-q", "-p", "supervision", filepath.Join(tmp, "out1")); code != exitIdentifiers {
		t.Errorf("verify: exit %d, want %d", code, exitIdentifiers)
	}
	// With the decisions it does not count that number, and only that
	// one: another number in a released file is still found.
	if code, msg := veil(t, "verify", "-q", "-p", "supervision", "--key-file", key, "--decisions", dec, filepath.Join(tmp, "out1")); code != exitOK {
		t.Errorf("verify --decisions: exit %d %s", code, msg)
	}
	os.WriteFile(filepath.Join(tmp, "out1", "other.txt"), []byte("Call (503) 555-0199 or (503) 555-0183.\n"), 0o644)
	if code, _ := veil(t, "verify", "-q", "-p", "supervision", "--key-file", key, "--decisions", dec, filepath.Join(tmp, "out1")); code != exitIdentifiers {
		t.Errorf("verify --decisions with another number: exit %d, want %d", code, exitIdentifiers)
	}
}

// The decisions file, which holds original values, is refused inside
// SOURCE, DEST or the report, without the key, with another key or
// profile; veil review needs a key and a decisions file.
func TestDecisionsRefused(t *testing.T) {
	src, tmp := t.TempDir(), t.TempDir()
	write(t, src, map[string][]byte{"note.txt": []byte(reviewNote)})
	key := testKeyFile(t)
	out := filepath.Join(tmp, "out")
	dec := filepath.Join(tmp, "case.veildec")
	writeDecisions(t, key, dec)
	inSource := filepath.Join(src, "case.veildec")
	writeDecisions(t, key, inSource)
	inDest := filepath.Join(out, "case.veildec")
	os.MkdirAll(out, 0o755)
	writeDecisions(t, key, inDest)
	defer os.Remove(inSource)
	run := func(args ...string) (int, string) {
		return veil(t, append(append([]string{"run", "-q", "--no-ner"}, args...), src, out)...)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-p", "supervision", "--key-file", key, "--decisions", inSource}, "lies inside SOURCE"},
		{[]string{"-p", "supervision", "--key-file", key, "--decisions", inDest}, "lies inside DEST"},
		{[]string{"-p", "supervision", "--key-file", key, "--report", tmp, "--decisions", dec}, "lies inside the report folder"},
		{[]string{"-p", "supervision", "--decisions", dec}, "needs --key-file"},
		{[]string{"-p", "supervision", "--key-file", testKeyFile(t), "--decisions", dec}, "does not open with this key"},
		{[]string{"-p", "court", "--key-file", key, "--decisions", dec}, "--profile supervision"},
	} {
		code, msg := run(c.args...)
		if code != exitFatal || !strings.Contains(msg, c.want) {
			t.Errorf("%v: exit %d %q, want %q", c.args, code, msg, c.want)
		}
		if strings.Contains(msg, "marrow") || strings.Contains(msg, "Brannigan") {
			t.Errorf("the error holds a value: %s", msg)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"review", "-p", "supervision", "--decisions", dec, src, out}, "needs --key-file"},
		{[]string{"review", "-p", "supervision", "--key-file", key, src, out}, "needs --decisions"},
		{[]string{"review", "-p", "supervision", "--key-file", key, "--decisions", inDest, src, out}, "lies inside DEST"},
		{[]string{"review", "-p", "supervision", "--key-file", key, "--decisions", key, src, out}, "the key file"},
		{[]string{"review", "-p", "court", "--key-file", key, "--decisions", dec, src, out}, "--profile supervision"},
	} {
		code, msg := veil(t, c.args...)
		if code != exitFatal || !strings.Contains(msg, c.want) {
			t.Errorf("%v: exit %d %q, want %q", c.args, code, msg, c.want)
		}
	}
}
