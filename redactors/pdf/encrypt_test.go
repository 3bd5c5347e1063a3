package pdf

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
)

// A file encrypted with an empty user password (an owner password and
// permissions only) is opened, redacted and written unprotected, with a
// note; a file with a user password is still refused (issue 19).
func TestEmptyUserPassword(t *testing.T) {
	qpdf := tool(t, "qpdf")
	plain := pagesDoc([]string{"BT /F1 12 Tf 72 700 Td (Visit notes of Maria Sandoval) Tj ET"}, helvRes, nil)
	dir := t.TempDir()
	src := filepath.Join(dir, "plain.pdf")
	os.WriteFile(src, plain, 0o644)
	encrypt := func(user string) []byte {
		dst := filepath.Join(dir, "enc-"+user+".pdf")
		if b, err := exec.Command(qpdf, "--encrypt", user, "owner-secret", "256", "--print=none", "--extract=n", "--", src, dst).CombinedOutput(); err != nil {
			t.Fatalf("qpdf --encrypt: %v\n%s", err, b)
		}
		b, _ := os.ReadFile(dst)
		return b
	}
	in := encrypt("")
	out, d := redact(t, in, func(d redactors.Document) []redactors.Edit { return editsIn(d, 0, "NAME", "Sandoval") })
	if !strings.Contains(strings.Join(d.Notes(), "; "), "encryption") {
		t.Errorf("notes %q do not say that protection was removed", d.Notes())
	}
	if strings.Contains(qdfText(t, out), "/Encrypt") {
		t.Errorf("the output is still encrypted")
	}
	judge(t, in, out, []string{"Sandoval"}, []string{"Visit notes of"})

	if _, err := (Format{}).Parse(encrypt("user-secret")); !errors.Is(err, redactors.ErrEncrypted) {
		t.Errorf("Parse with a user password: %v, want ErrEncrypted", err)
	}
}
