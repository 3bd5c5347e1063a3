package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// testKeyFile writes a new key file with veil keygen.
func testKeyFile(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "case.key")
	if code, msg := veil(t, "keygen", p); code != exitOK {
		t.Fatalf("keygen: %d %s", code, msg)
	}
	return p
}

// captureStdout runs fn with os.Stdout going to a file and returns what
// was written.
func captureStdout(t *testing.T, fn func()) string {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = f
	fn()
	os.Stdout = old
	f.Close()
	b, _ := os.ReadFile(f.Name())
	return string(b)
}

// The same case in two batches: with --key-file and --mapping, tomorrow's
// batch gives the same alias to the same person; the mapping never lands
// in DEST, the report says the output is pseudonymised, and whoever holds
// the key can re-identify.
func TestMappingAcrossBatches(t *testing.T) {
	key := testKeyFile(t)
	mapping := filepath.Join(t.TempDir(), "case.veilmap")
	in1, in2 := t.TempDir(), t.TempDir()
	write(t, in1, map[string][]byte{"a.txt": []byte("Client: Maria Sandoval\nHer sister Elena Sandoval called Dr. Helen Fielding.\n")})
	write(t, in2, map[string][]byte{"b.txt": []byte("Dr. Fielding saw Maria Sandoval again. Greg Tomlinson called.\n")})
	out1, out2 := filepath.Join(t.TempDir(), "o1"), filepath.Join(t.TempDir(), "o2")
	for _, run := range [][2]string{{in1, out1}, {in2, out2}} {
		if code, msg := veil(t, "run", "-q", "--no-ner", "-p", "supervision", "--key-file", key, "--mapping", mapping, run[0], run[1]); code != exitOK {
			t.Fatalf("run: %d %s", code, msg)
		}
	}
	a, _ := os.ReadFile(filepath.Join(out1, "a.txt"))
	b, _ := os.ReadFile(filepath.Join(out2, "b.txt"))
	if string(a) != "Client: Client A\nHer sister Person B called Dr. Person C.\n" ||
		string(b) != "Dr. Person C saw Client A again. Person D called.\n" {
		t.Fatalf("batch 1 %q\nbatch 2 %q", a, b)
	}
	if info, err := os.Stat(mapping); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mapping file: %v %v", info, err)
	}
	raw, _ := os.ReadFile(mapping)
	if strings.Contains(strings.ToLower(string(raw)), "sandoval") {
		t.Fatal("mapping file in the clear")
	}
	for _, out := range []string{out1, out2} {
		filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && strings.Contains(p, "veilmap") {
				t.Errorf("mapping in DEST: %s", p)
			}
			return nil
		})
		md, _ := os.ReadFile(filepath.Join(out, "veil-report", "report.md"))
		if !strings.Contains(string(md), "pseudonymised, not anonymous (GDPR Art. 4(5))") {
			t.Errorf("report.md does not say the output is pseudonymised")
		}
	}
	got := captureStdout(t, func() {
		if code, msg := veil(t, "reidentify", "--key-file", key, "--mapping", mapping, "Client A"); code != exitOK {
			t.Fatalf("reidentify: %d %s", code, msg)
		}
	})
	if !strings.Contains(got, "Client A") || !strings.Contains(got, "maria sandoval") || strings.Contains(got, "elena") {
		t.Fatalf("reidentify: %q", got)
	}
	// Another key does not open the mapping.
	if code, msg := veil(t, "reidentify", "--key-file", testKeyFile(t), "--mapping", mapping); code != exitFatal || !strings.Contains(msg, "does not open with this key") {
		t.Fatalf("wrong key: %d %s", code, msg)
	}
}

func TestPseudonymsAndReidentifyByName(t *testing.T) {
	key := testKeyFile(t)
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "o")
	write(t, in, map[string][]byte{"a.txt": []byte("Ms. Maria Sandoval called.\n")})
	if code, msg := veil(t, "run", "-q", "--no-ner", "-p", "research", "--key-file", key, in, out); code != exitOK {
		t.Fatalf("run: %d %s", code, msg)
	}
	a, _ := os.ReadFile(filepath.Join(out, "a.txt"))
	tok := regexp.MustCompile(`PERSON-[0-9a-f]{8}`).FindString(string(a))
	got := captureStdout(t, func() {
		if code, msg := veil(t, "reidentify", "--key-file", key, "--name", "SANDOVAL, Maria"); code != exitOK {
			t.Fatalf("reidentify: %d %s", code, msg)
		}
	})
	if tok == "" || !strings.HasPrefix(got, tok) {
		t.Fatalf("output %q, reidentify %q", a, got)
	}
}

func TestKeyAndMappingErrors(t *testing.T) {
	key := testKeyFile(t)
	src, dst := t.TempDir(), filepath.Join(t.TempDir(), "out")
	write(t, src, map[string][]byte{"a.txt": []byte("Maria Sandoval\n")})
	short := filepath.Join(t.TempDir(), "short.key")
	os.WriteFile(short, []byte("abc\n"), 0o600)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"keygen", key}, "never overwritten"},
		{[]string{"run", "-p", "research", src, dst}, "--key-file"},
		{[]string{"run", "-p", "research", "--key-file", short, src, dst}, "fewer than 16 bytes"},
		{[]string{"run", "-p", "supervision", "--mapping", filepath.Join(t.TempDir(), "m"), src, dst}, "--mapping needs --key-file"},
		{[]string{"run", "-p", "supervision", "--key-file", key, "--mapping", filepath.Join(dst, "case.veilmap"), src, dst}, "inside DEST"},
		{[]string{"run", "-p", "supervision", "--key-file", key, "--mapping", filepath.Join(src, "case.veilmap"), src, dst}, "inside SOURCE"},
		{[]string{"run", "-p", "court", "--minors", "/nonexistent", src, dst}, "--minors"},
		{[]string{"reidentify", "--key-file", key}, "--mapping FILE or --name"},
	}
	for _, c := range cases {
		code, msg := veil(t, c.args...)
		if code != exitFatal || !strings.Contains(msg, c.want) {
			t.Errorf("%v: exit %d %q, want 1 and %q", c.args, code, msg, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dst, "case.veilmap")); err == nil {
		t.Error("mapping written into DEST")
	}
}

// A deny list names its own label; a minors list turns names into
// initials in a court filing.
func TestDenyListLabelAndMinorsList(t *testing.T) {
	dir := t.TempDir()
	src, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	write(t, dir, map[string][]byte{
		"in/a.txt":       []byte("Project Falcon involved Ms. Jamie Doe and Thomas Ellison.\n"),
		"privileged.txt": []byte("# label: REDACTED – ATTORNEY WORK PRODUCT\n# basis: FRCP 26(b)(3)\nProject Falcon\n"),
		"minors.txt":     []byte("# minors in the case\nJamie Doe\n"),
	})
	code, msg := veil(t, "run", "-q", "--no-ner", "-p", "court", "--deny-list", filepath.Join(dir, "privileged.txt"),
		"--minors", filepath.Join(dir, "minors.txt"), src, out)
	if code != exitOK {
		t.Fatalf("%d %s", code, msg)
	}
	got, _ := os.ReadFile(filepath.Join(out, "a.txt"))
	if string(got) != "REDACTED – ATTORNEY WORK PRODUCT involved Ms. J.D. and Thomas Ellison.\n" {
		t.Fatalf("%q", got)
	}
	csv, _ := os.ReadFile(filepath.Join(out, "veil-report", "redaction-log.csv"))
	for _, want := range []string{
		"a.txt,,,,line 1,Privileged,attorney work product,FRCP 26(b)(3),REDACTED – ATTORNEY WORK PRODUCT",
		"a.txt,,,,line 1,Name of a minor,initials shown,Fed. R. Civ. P. 5.2(a)(3),J.D.",
	} {
		if !strings.Contains(string(csv), want) {
			t.Errorf("log lacks %q:\n%s", want, csv)
		}
	}
	if strings.Contains(strings.ToLower(string(csv)), "deny") || strings.Contains(string(csv), "CUSTOM_TERM") {
		t.Errorf("the log tells how the terms were chosen:\n%s", csv)
	}
	// The work-product term makes a privilege log entry.
	priv, err := os.ReadFile(filepath.Join(out, "veil-report", "privilege-log.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(priv), "1,—,a.txt,[to be completed],Text document,[to be completed],[to be completed],Attorney work product,Text document containing attorney work product,redacted in part (1 passage)") {
		t.Errorf("privilege log:\n%s", priv)
	}
}
