package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/veilhq/veil/profiles"
)

// run runs the CLI in-process with its output captured: the exit code, what
// main would print for the error, stdout and stderr.
func run(t *testing.T, args ...string) (code int, errLine, stdout, stderr string) {
	t.Helper()
	app := newApp()
	var out, errw bytes.Buffer
	app.Writer, app.ErrWriter = &out, &errw
	err := app.Run(append([]string{"veil"}, args...))
	if err != nil {
		errLine = errorText(err)
	}
	return exitCode(err), errLine, out.String(), errw.String()
}

// Mistakes on the command line: one sentence (with a suggestion where one
// fits) and a usage line, exit code 1, and never the help page.
func TestNewcomerUsageErrors(t *testing.T) {
	src := t.TempDir()
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"run", "--profle", "court", src, "out"},
			[]string{"veil run has no option --profle; did you mean --profile?", "usage: veil run [options] SOURCE DEST"}},
		{[]string{"run", "--dryrun", "-p", "court", src, "out"}, []string{"did you mean --dry-run?"}},
		{[]string{"verify", "--dry-run", "-p", "court", src}, []string{"veil verify has no option --dry-run (veil run has it)"}},
		{[]string{"frobnicate"}, []string{`veil has no command "frobnicate"`, "veil --help lists the commands"}},
		{[]string{"rnu", src}, []string{`veil has no command "rnu"; did you mean run?`}},
		{[]string{"profiles", "lsit"}, []string{`veil profiles has no command "lsit"; did you mean list?`}},
		{[]string{"--versoin"}, []string{"did you mean --version?"}},
		{[]string{"run", "-p", "court", src}, []string{"veil run needs SOURCE and DEST; got 1 argument (SOURCE), DEST is missing"}},
		{[]string{"run", "-p", "court"}, []string{"veil run needs SOURCE and DEST; got none"}},
		{[]string{"run", "-p", "court", src, "a", "b"}, []string{"got 3 arguments, 1 too many"}},
		{[]string{"run", src, "out", "--profile", "court"}, []string{"veil run reads options only before its arguments: move --profile before SOURCE"}},
		{[]string{"run", src, "out"}, []string{"veil run needs --profile NAME: one of " + strings.Join(profiles.BuiltinNames(), ", ")}},
		{[]string{"run", "--profile"}, []string{"--profile needs a value (--profile NAME)"}},
		{[]string{"run", "--workers", "many", "-p", "court", src, "out"}, []string{`--workers: "many" is not a whole number`}},
		{[]string{"keygen"}, []string{"veil keygen needs FILE; got none"}},
		{[]string{"redact", "-p", "court", "handout.docx"}, []string{"veil redact writes a docx file: give --output FILE"}},
		{[]string{"profiles", "show"}, []string{"veil profiles show needs NAME (or FILE); got none"}},
	}
	for _, c := range cases {
		code, msg, stdout, stderr := run(t, c.args...)
		if code != exitFatal {
			t.Errorf("%v: exit %d, want %d", c.args, code, exitFatal)
		}
		for _, w := range c.want {
			if !strings.Contains(msg, w) {
				t.Errorf("%v: message\n%s\nwant it to contain %q", c.args, msg, w)
			}
		}
		if n := strings.Count(msg, "\n"); n != 1 {
			t.Errorf("%v: %d lines, want a sentence and a usage line:\n%s", c.args, n+1, msg)
		}
		if stdout != "" || stderr != "" {
			t.Errorf("%v: printed help or more:\n%s%s", c.args, stdout, stderr)
		}
	}
}

// veil help CMD is veil CMD --help.
func TestHelpCommand(t *testing.T) {
	_, _, a, _ := run(t, "help", "run")
	_, _, b, _ := run(t, "run", "--help")
	if a == "" || a != b {
		t.Fatalf("veil help run:\n%s\nveil run --help:\n%s", a, b)
	}
}

// veil run --help lists every built-in profile and the real default of
// --reference-year.
func TestRunHelp(t *testing.T) {
	code, _, help, _ := run(t, "run", "--help")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, n := range profiles.BuiltinNames() {
		if !strings.Contains(help, n) {
			t.Errorf("run --help does not name profile %s", n)
		}
	}
	if year := strconv.Itoa(time.Now().Year()); !strings.Contains(help, "--reference-year YEAR") || !strings.Contains(help, "(default: "+year) {
		t.Errorf("run --help does not show --reference-year's default %s:\n%s", year, help)
	}
	// and the app's help names them too, with the first sentence of each
	_, _, top, _ := run(t, "--help")
	for _, n := range profiles.BuiltinNames() {
		p, _ := profiles.Load(n)
		first := strings.Fields(firstSentence(p.Description))
		if !strings.Contains(strings.Join(strings.Fields(top), " "), n+" "+strings.Join(first, " ")) {
			t.Errorf("veil --help lacks %s with %q", n, strings.Join(first, " "))
		}
	}
}

func TestFirstSentence(t *testing.T) {
	for in, want := range map[string]string{
		"Criminal filings under Fed. R. Crim. P. 49.1: as court. Second.": "Criminal filings under Fed. R. Crim. P. 49.1: as court.",
		"Supervision (APA 4.04, NASW Code 1.07). Every person gets":       "Supervision (APA 4.04, NASW Code 1.07).",
		"One sentence only": "One sentence only",
		"A title is no end: Dr. Who came. And more text.": "A title is no end: Dr. Who came.",
	} {
		if got := firstSentence(in); got != want {
			t.Errorf("firstSentence(%q) = %q, want %q", in, got, want)
		}
	}
}

// veil profiles list wraps every description whole to the terminal's width
// ($COLUMNS here), instead of cutting it at the first full stop.
func TestProfilesListWraps(t *testing.T) {
	t.Setenv("COLUMNS", "60")
	app := newApp()
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	app.Writer = f
	if err := app.Run([]string{"veil", "profiles", "list"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, _ := os.ReadFile(f.Name())
	out := string(b)
	for _, line := range strings.Split(out, "\n") {
		if utf8.RuneCountInString(line) >= 60 {
			t.Errorf("line of %d characters: %q", utf8.RuneCountInString(line), line)
		}
	}
	flat := strings.Join(strings.Fields(out), " ")
	for _, n := range profiles.BuiltinNames() {
		p, _ := profiles.Load(n)
		if want := n + " " + strings.Join(strings.Fields(p.Description), " "); !strings.Contains(flat, want) {
			t.Errorf("the description of %s is not there whole", n)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("aaa bbb ccc ddd eee", 28, 20)
	if got != "aaa bbb ccc ddd eee" { // width below indent+20 grows to 40
		t.Errorf("wrap = %q", got)
	}
	got = wrap("one two three four five six seven eight nine", 22, 0)
	if want := "one two three four\nfive six seven eight\nnine"; got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	if got := wrap("averyveryverylongword x", 0, 0); !strings.HasPrefix(got, "averyveryverylongword") {
		t.Errorf("a long word is cut: %q", got)
	}
}

func TestDamerau(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"profle", "profile", 1}, {"porfile", "profile", 1}, {"rnu", "run", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}} {
		if got := damerau(c.a, c.b); got != c.d {
			t.Errorf("damerau(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
	if s := closest("frobnicate", []string{"run", "scan", "redact", "verify", "profiles"}); s != "" {
		t.Errorf("closest suggested %q for a word like none", s)
	}
	if s := closest("prof", []string{"profile", "report"}); s != "profile" {
		t.Errorf("closest by prefix: %q", s)
	}
}

// veil verify ends its summary with a newline, on stderr; the findings go
// to stdout.
func TestVerifySummary(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string][]byte{"a.txt": []byte("Call 503-555-0147.\n"), "b.txt": []byte("Nothing here.\n")})
	code, _, stdout, stderr := run(t, "verify", "-p", "supervision", "--no-ner", dir)
	if code != exitIdentifiers {
		t.Fatalf("exit %d", code)
	}
	if want := "veil verify: 2 files checked, 1 identifier found, 0 not checked\n"; stderr != want {
		t.Errorf("summary %q, want %q", stderr, want)
	}
	if !strings.HasPrefix(stdout, "a.txt: PHONE in body") || !strings.HasSuffix(stdout, "\n") {
		t.Errorf("findings %q", stdout)
	}
}

// A run that fails at start-up leaves neither DEST nor DEST/veil-report
// behind when it created them; a DEST that was there stays.
func TestFailedStartLeavesNoFolders(t *testing.T) {
	src, base := t.TempDir(), t.TempDir()
	write(t, src, map[string][]byte{"a.txt": []byte("Odessa Vantreight\n")})
	notAKey := filepath.Join(base, "short.key")
	os.WriteFile(notAKey, []byte("short\n"), 0o600)
	dest := filepath.Join(base, "new", "out")
	for _, args := range [][]string{
		{"run", "-p", "surgery", src, dest},
		{"run", "-p", "court", "--deny-list", filepath.Join(base, "missing.txt"), src, dest},
		{"run", "-p", "research", "--key-file", filepath.Join(base, "missing.key"), src, dest},
		{"run", "-p", "research", "--key-file", notAKey, src, dest},
		{"run", "-p", "court", filepath.Join(base, "no-source"), dest},
		{"run", "-p", "court", "--s3-endpoint", "http://127.0.0.1:1", "--retries", "0", "s3://no-bucket/x", dest},
		// DEST is made, then the report location cannot be reached
		{"run", "-p", "court", "--s3-endpoint", "http://127.0.0.1:1", "--retries", "0", "--report", "s3://no-bucket/r", src, dest},
	} {
		code, msg, _, _ := run(t, args...)
		if code != exitFatal {
			t.Errorf("%v: exit %d %s", args, code, msg)
		}
		if _, err := os.Stat(filepath.Join(base, "new")); err == nil {
			t.Errorf("%v: left %s behind (%s)", args, filepath.Join(base, "new"), msg)
			os.RemoveAll(filepath.Join(base, "new"))
		}
	}
	// A DEST that existed stays, without a report folder.
	os.MkdirAll(dest, 0o755)
	run(t, "run", "-p", "surgery", src, dest)
	if _, err := os.Stat(dest); err != nil {
		t.Error("an existing DEST was removed")
	}
	if _, err := os.Stat(filepath.Join(dest, reportDir)); err == nil {
		t.Error("a failed start left DEST/veil-report")
	}
}

// Errors about files given with a flag name the flag, the file and the
// problem.
func TestFlagFileErrors(t *testing.T) {
	src, base := t.TempDir(), t.TempDir()
	short := filepath.Join(base, "short.key")
	os.WriteFile(short, []byte("short\n"), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "-p", "research", "--key-file", filepath.Join(base, "case.key"), src, filepath.Join(base, "o")},
			"veil: --key-file: no such file or folder"},
		{[]string{"run", "-p", "research", "--key-file", short, src, filepath.Join(base, "o")},
			"veil: --key-file: key file holds fewer than 16 bytes"},
		{[]string{"run", "-p", "research", "--key-file", base, src, filepath.Join(base, "o")},
			"veil: --key-file: is a folder, not a file"},
		{[]string{"run", "-p", "court", "--allow-list", "nope.txt", src, filepath.Join(base, "o")},
			"veil: --allow-list: no such file or folder"},
	} {
		if _, msg, _, _ := run(t, c.args...); !strings.HasPrefix(msg, c.want) {
			t.Errorf("%v:\n got %q\nwant %q…", c.args, msg, c.want)
		}
	}
	key := testKeyFile(t)
	if _, msg, _, _ := run(t, "keygen", key); !strings.Contains(msg, "the file exists; an existing key is never overwritten") {
		t.Errorf("keygen over a key: %q", msg)
	}
	// Locations say which argument they are and what is wrong.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"verify", "-p", "court", filepath.Join(base, "nothere")}, "veil: destination (DEST): no such file or folder"},
		{[]string{"run", "-p", "court", src, short}, "veil: destination (DEST) is a file, not a folder"},
		{[]string{"run", "-p", "court", "--log-format", "yaml", src, filepath.Join(base, "o")}, `veil: --log-format: "yaml" is not text or json`},
		{[]string{"redact", "-p", "court", filepath.Join(base, "intake_Odessa_Vantreight.txt")}, "veil: read input: no such file or folder"},
	} {
		if _, msg, _, _ := run(t, c.args...); !strings.HasPrefix(msg, c.want) {
			t.Errorf("%v:\n got %q\nwant %q…", c.args, msg, c.want)
		}
	}
}

// A data custodian can tell which output came from which input: a
// sequence number keeps its name; a redacted name is in the sealed mapping
// file, which veil reidentify --files reads, and in no report file; a run
// without --mapping says how to keep it.
func TestSourceOfEachOutput(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "in")
	write(t, src, map[string][]byte{
		"00017.txt":                    []byte("Record 00017. Call Marek Quillfeather on 503-555-0147.\n"),
		"intake_Odessa_Vantreight.txt": []byte("Client: Odessa Vantreight, seen on 4 May 2024.\n"),
	})
	key, mapping := testKeyFile(t), filepath.Join(dir, "case.veilmap")
	out := filepath.Join(dir, "out")
	code, msg, _, stderr := run(t, "run", "--no-ner", "-p", "research", "--key-file", key, "--mapping", mapping, src, out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if strings.Contains(stderr, "--mapping FILE") {
		t.Errorf("a run with --mapping gives the hint for runs without:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "00017.txt")); err != nil {
		t.Errorf("00017.txt was renamed: %v", err)
	}
	entries, _ := os.ReadDir(out)
	var redacted string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "intake_") {
			redacted = e.Name()
		}
	}
	if redacted == "" || strings.Contains(redacted, "Vantreight") {
		t.Fatalf("outputs %v", entries)
	}
	for _, f := range []string{"report.json", "report.md", "redaction-log.csv"} {
		b, _ := os.ReadFile(filepath.Join(out, reportDir, f))
		if bytes.Contains(b, []byte("Vantreight")) || bytes.Contains(b, []byte("intake_Odessa")) {
			t.Errorf("%s names the source file", f)
		}
	}
	code, msg, stdout, _ := run(t, "reidentify", "--key-file", key, "--mapping", mapping, "--files", redacted)
	want := filepath.Join(out, redacted) + "  <- " + filepath.Join(src, "intake_Odessa_Vantreight.txt") + "\n"
	if code != exitOK || stdout != want {
		t.Errorf("reidentify --files: exit %d %s\n got %q\nwant %q", code, msg, stdout, want)
	}
	if code, _, _, _ := run(t, "reidentify", "--key-file", key, "--mapping", mapping, "--files", "nothing.txt"); code != exitFatal {
		t.Errorf("reidentify --files of an unknown name: exit %d", code)
	}

	// Without --mapping the run says how to keep the link.
	_, _, _, stderr = run(t, "run", "--no-ner", "-p", "research", "--key-file", key, src, filepath.Join(dir, "out2"))
	if !strings.Contains(stderr, "1 file name was redacted") || !strings.Contains(stderr, "--mapping FILE") {
		t.Errorf("no hint without --mapping:\n%s", stderr)
	}
}

func TestErrorText(t *testing.T) {
	if got := errorText(usageError(nil, "veil run needs SOURCE")); !strings.HasPrefix(got, "veil run needs SOURCE\nusage: veil ") {
		t.Errorf("errorText = %q", got)
	}
	if got := errorText(os.ErrNotExist); got != "veil: file does not exist" {
		t.Errorf("errorText = %q", got)
	}
}
