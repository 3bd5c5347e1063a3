package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartupErrorsNameNoPath runs the real binary with SOURCE, DEST,
// --state and flag-file paths holding a client's (invented) name, each
// wrong in its own way: stderr names the argument by its role and says what is wrong (not
// found, permission denied, a file, an overlap), and never repeats the path
// (session "side36", issue 13: a folder can be named after a client, and
// on 3442e9e every one of these messages quoted it).
func TestStartupErrorsNameNoPath(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := veilBinary(t)
	const client = "Quillanby"
	base := filepath.Join(t.TempDir(), "Orsolya "+client+" matter")
	src := filepath.Join(base, "intake "+client)
	write(t, src, map[string][]byte{"note.txt": []byte("Seen by Tamsin Everard.\n")})
	file := filepath.Join(base, client+".txt")
	write(t, base, map[string][]byte{client + ".txt": []byte("x\n")})
	locked := filepath.Join(base, "locked "+client)
	if err := os.MkdirAll(locked, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(locked, 0o000); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	rootless := os.Geteuid() != 0 // root reads a folder whatever its mode
	out := filepath.Join(t.TempDir(), "out")
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"source not found", []string{"run", "-p", "court", filepath.Join(base, "missing "+client), out},
			[]string{"source folder (SOURCE)", "no such file or folder"}},
		{"source is a file", []string{"run", "-p", "court", file, out}, []string{"source folder (SOURCE) is a file"}},
		{"dest is a file", []string{"run", "-p", "court", src, file}, []string{"destination (DEST) is a file"}},
		{"dest inside source", []string{"run", "-p", "court", src, filepath.Join(src, client+" out")},
			[]string{"destination (DEST) overlaps the source folder (SOURCE)"}},
		{"dest not creatable", []string{"run", "-p", "court", src, filepath.Join(file, "out")},
			[]string{"destination (DEST)"}},
		{"state inside source", []string{"run", "-p", "court", "--state", filepath.Join(src, "state "+client), src, out},
			[]string{"state folder (--state) overlaps the source folder (SOURCE)"}},
		{"state on a file", []string{"run", "-p", "court", "--state", file, src, out}, []string{"state folder (--state)"}},
		{"verify not found", []string{"verify", "-p", "court", filepath.Join(base, "released "+client)},
			[]string{"destination (DEST)", "no such file or folder"}},
		{"not a URL", []string{"run", "-p", "court", "ftp://" + client + "/x", out}, []string{"source folder (SOURCE)", "local folder or s3://"}},
		{"bad bucket", []string{"run", "-p", "court", src, "s3://" + client + "/x"}, []string{"destination (DEST)", "not an s3://bucket/prefix URL"}},
		{"key file not found", []string{"run", "-p", "research", "--key-file", filepath.Join(base, client+".key"), src, out},
			[]string{"--key-file: no such file or folder"}},
		{"deny list not found", []string{"run", "-p", "court", "--deny-list", filepath.Join(base, client+" terms.txt"), src, out},
			[]string{"--deny-list: no such file or folder"}},
		{"no report parts", []string{"report", "merge", filepath.Join(base, "report "+client)}, []string{"report location (REPORT)"}},
		{"allow list is a folder", []string{"run", "-p", "court", "--allow-list", src, src, out},
			[]string{"--allow-list: is a folder, not a file"}},
	}
	if rootless {
		cases = append(cases, struct {
			name string
			args []string
			want []string
		}{"source unreadable", []string{"run", "-p", "court", filepath.Join(locked, "in"), out},
			[]string{"source folder (SOURCE)", "permission denied"}})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, c.args...)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != exitFatal {
				t.Errorf("exit %d, want %d\n%s", code, exitFatal, stderr.String())
			}
			all := stdout.String() + stderr.String()
			if strings.Contains(strings.ToLower(all), strings.ToLower(client)) {
				t.Errorf("the path's name is in the output:\n%s", all)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
		})
	}
}

// TestRunMessagesNameNoPath runs the real binary on paths holding a
// client's (invented) name and checks what it prints after start-up: the
// run summary's report line and "N of M files not written; see …" name
// the report by role (DEST/veil-report, --report, REPORT), keygen on an
// existing file and eval on a missing gold file name no path (session
// "clipath", issue 13: on 95f88ca each of these quoted the path).
func TestRunMessagesNameNoPath(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := veilBinary(t)
	const client = "Quillanby"
	base := filepath.Join(t.TempDir(), "Orsolya "+client+" matter")
	src := filepath.Join(base, "intake "+client)
	// the larger file goes over --max-file-size: not written
	write(t, src, map[string][]byte{"note.txt": []byte("Seen by Tamsin Everard.\n"), "long.txt": []byte(strings.Repeat("Seen by Tamsin Everard.\n", 20))})
	key := filepath.Join(base, client+".key")
	write(t, base, map[string][]byte{client + ".key": []byte("x\n")})
	dest := filepath.Join(base, client+"-out")
	rep := filepath.Join(base, client+"-report")
	cases := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"run", []string{"run", "-p", "court", "--no-ner", "--max-file-size", "100", src, dest}, exitNotWritten,
			[]string{"report       DEST/veil-report\n", "1 of 2 files not written; see DEST/veil-report"}},
		{"dry run", []string{"run", "-p", "court", "--no-ner", "--max-file-size", "100", "--dry-run", src, dest + "2"}, exitNotWritten,
			[]string{"report       DEST/veil-report\n", "1 of 2 files would not be written; see DEST/veil-report"}},
		{"run --report", []string{"run", "-p", "court", "--no-ner", "--max-file-size", "100", "--report", rep, src, dest + "3"}, exitNotWritten,
			[]string{"report       --report\n", "see --report"}},
		// a shard may hold no file too large (exit 0 then, -1 takes either)
		{"shard 0", []string{"run", "-p", "court", "--no-ner", "--max-file-size", "100", "--shard", "0/2", "--report", rep + "s", src, dest + "4"}, -1,
			[]string{"report       --report/parts/shard-0-of-2\n"}},
		{"shard 1", []string{"run", "-p", "court", "--no-ner", "--max-file-size", "100", "--shard", "1/2", "--report", rep + "s", src, dest + "4"}, -1,
			[]string{"report       --report/parts/shard-1-of-2\n"}},
		{"merge", []string{"report", "merge", rep + "s"}, exitNotWritten,
			[]string{"report       REPORT\n", "1 of 2 files not written; see REPORT"}},
		{"keygen exists", []string{"keygen", key}, exitFatal, []string{"keygen FILE: the file exists; an existing key is never overwritten"}},
		{"gold not found", []string{"eval", "-p", "court", filepath.Join(base, client+" gold.jsonl")}, exitFatal,
			[]string{"GOLD.jsonl: no such file or folder"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, c.args...)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			cmd.Run()
			if code := cmd.ProcessState.ExitCode(); code != c.code && (c.code != -1 || code != exitOK && code != exitNotWritten) {
				t.Errorf("exit %d, want %d\n%s", code, c.code, stderr.String())
			}
			all := stdout.String() + stderr.String()
			if strings.Contains(strings.ToLower(all), strings.ToLower(client)) {
				t.Errorf("the path's name is in the output:\n%s", all)
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
		})
	}
}
