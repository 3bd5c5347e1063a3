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
