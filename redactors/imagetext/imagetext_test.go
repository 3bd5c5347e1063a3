package imagetext_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors/imagemeta"
	"github.com/veilhq/veil/redactors/imagemeta/imagetest"
	"github.com/veilhq/veil/redactors/imagetext"
)

const secret = "Ysolde Farquharson-Pell"

// fixtures are imagetest's images whose every metadata place names the
// secret, and the kinds of field Read must find it in.
func fixtures() map[string]struct {
	data  []byte
	kinds []string
} {
	jpg, _ := imagetest.JPEG(secret)
	png, _ := imagetest.PNG(secret)
	gif, _ := imagetest.GIF(secret)
	webp, _ := imagetest.WebP(secret)
	tif, _ := imagetest.TIFF(secret)
	type f = struct {
		data  []byte
		kinds []string
	}
	return map[string]f{
		"a.jpg":  {jpg, []string{"EXIF", "XMP", "IPTC", "JPEG comment", "JPEG application segment", "bytes after the image"}},
		"a.png":  {png, []string{"PNG text", "XMP", "EXIF", "bytes after the image"}},
		"a.gif":  {gif, []string{"GIF comment", "GIF plain text", "XMP", "bytes after the image"}},
		"a.webp": {webp, []string{"EXIF", "XMP", "WebP chunk"}},
		"a.tif":  {tif, []string{"TIFF"}},
	}
}

// Read finds the secret in every kind of place the fixtures put it, and
// in none once imagemeta has stripped the image; exiftool, the judge,
// agrees: it reads the secret in every original and in no stripped image.
func TestRead(t *testing.T) {
	stripped := map[string][]byte{}
	originals := map[string][]byte{}
	for name, f := range fixtures() {
		originals[name] = f.data
		found := map[string]bool{}
		for _, fl := range imagetext.Read(f.data) {
			if strings.Contains(fl.Text, secret) {
				found[fl.Kind] = true
			}
			if strings.Contains(fl.Kind, "Ysolde") {
				t.Errorf("%s: a kind holds the secret", name)
			}
		}
		for _, k := range f.kinds {
			if !found[k] {
				t.Errorf("%s: the secret is not read in %s (read in %v)", name, k, found)
			}
		}
		out, _, err := imagemeta.Strip(f.data)
		if err != nil {
			t.Fatalf("%s: strip: %v", name, err)
		}
		stripped[name] = out
		if fs := imagetext.Read(out); len(fs) > 0 {
			t.Errorf("%s: stripped, still %d fields: %+v", name, len(fs), fs)
		}
	}
	for name, rep := range exiftool(t, originals) {
		if !strings.Contains(rep, "Farquharson") {
			t.Errorf("exiftool does not read the secret in the original %s", name)
		}
	}
	for name, rep := range exiftool(t, stripped) {
		if strings.Contains(rep, "Farquharson") {
			t.Errorf("exiftool reads the secret in the stripped %s", name)
		}
	}
}

// Malformed input never panics and stays linear: every prefix of every
// fixture.
func TestReadTruncated(t *testing.T) {
	for _, f := range fixtures() {
		for n := 0; n < len(f.data); n += 1 + n/64 {
			imagetext.Read(f.data[:n])
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, fx := range fixtures() {
		f.Add(fx.data)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, fl := range imagetext.Read(b) {
			if !strings.HasPrefix(fl.Text, strings.TrimSpace(fl.Text)) || fl.Text == "" {
				t.Fatalf("field %q not trimmed or empty", fl.Kind)
			}
		}
	})
}

// exiftool returns exiftool's report of every tag (unknown and duplicate
// ones and embedded documents too) of each image, by file name; under
// CI=true a missing exiftool fails the test, elsewhere it skips it.
func exiftool(t *testing.T, images map[string][]byte) map[string]string {
	t.Helper()
	bin, err := exec.LookPath("exiftool")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("exiftool not found: scripts/setup installs it (Debian libimage-exiftool-perl)")
		}
		t.Skip("exiftool not installed")
	}
	dir := t.TempDir()
	args := []string{"-a", "-u", "-G1", "-s", "-ee"}
	for name, b := range images {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil && len(out) == 0 {
		t.Fatalf("exiftool: %v", err)
	}
	reports := map[string]string{}
	for _, part := range strings.Split(string(out), "======== ")[1:] {
		path, rest, _ := strings.Cut(part, "\n")
		reports[filepath.Base(strings.TrimSpace(path))] = rest
	}
	if len(reports) != len(images) {
		t.Fatalf("exiftool reported %d of %d images", len(reports), len(images))
	}
	return reports
}
