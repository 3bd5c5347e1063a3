package pipeline_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	dt "github.com/veilhq/veil/redactors/docx/docxtest"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/ocr/ocrtest"

	"github.com/veilhq/veil/pipeline"
)

// TestDataImages: images in data: URLs of Markdown and text go through
// the image path as images inside a DOCX do (session "side37", issue 13;
// on 4a8049e every one was refused): a scanned referral inline in a
// Markdown file is read by OCR, its values blanked, written again
// without metadata; a photograph without text whose metadata names the
// person is written blank (supervision: images_unread drop) or refused
// (court: images_unread quarantine; court keeps the scan's values, FRCP
// 5.2 does not list them). A data: URL that is not an image,
// or does not decode, is still refused. Outputs are judged by
// independent tools: the data: URL decoded by this test, tesseract run
// on the image, the image's bytes searched for the values.
func TestDataImages(t *testing.T) {
	ocrtest.Require(t)
	tess := formattest.Tool(t, "tesseract")
	p := ocrtest.NewPerson(37)
	scan, _ := dt.ScannedReferral(p)
	photo := dt.Photo(p.Name())
	b64 := base64.StdEncoding.EncodeToString
	files := map[string]string{
		"referral.md": "Referral received today.\n\n![scan](data:image/png;base64," + b64(scan) + ")\n\nFiled.\n",
		"photo.txt":   "Photo of the visit: <img alt=\"photo\" src=\"data:image/jpeg;base64," + b64(photo) + "\"> end.\n",
		"other.md":    "See ![x](data:text/plain;base64," + b64([]byte("Seen by "+p.Name())) + ") here.\n",
		"broken.md":   "See ![x](data:image/png;base64,AAAAAAAA) here.\n",
	}
	values := []string{p.Family, p.MRN, p.Phone[6:], p.DOB}
	url := regexp.MustCompile(`data:image/[a-z]+;base64,([A-Za-z0-9+/=]+)`)
	for _, c := range []struct {
		profile string
		written []string
	}{
		{"supervision", []string{"referral.md", "photo.txt"}},
		{"court", []string{"referral.md"}},
	} {
		t.Run(c.profile, func(t *testing.T) {
			src := t.TempDir()
			for name, text := range files {
				if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out, rep, _, _ := runFolder(t, c.profile, src, pipeline.Options{})
			var r struct {
				Files []struct{ Key, Status, Reason, Message string }
			}
			if err := json.Unmarshal(rep["report.json"], &r); err != nil {
				t.Fatal(err)
			}
			status := map[string]string{}
			for _, f := range r.Files {
				status[f.Key] = f.Status
				for _, v := range append(values, p.Given) {
					if strings.Contains(f.Message, v) {
						t.Errorf("%s: the reason names a value: %s", f.Key, f.Message)
					}
				}
			}
			for _, name := range []string{"other.md", "broken.md"} {
				if status[name] != "quarantined" {
					t.Errorf("%s: %s, want quarantined\n%s", name, status[name], rep["report.md"])
				}
			}
			for _, name := range c.written {
				b, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Errorf("%s not written (%s):\n%s", name, status[name], rep["report.md"])
					continue
				}
				m := url.FindSubmatch(b)
				if m == nil {
					t.Fatalf("%s: no image written:\n%.300s", name, b)
				}
				img, err := base64.StdEncoding.DecodeString(string(m[1]))
				if err != nil {
					t.Fatalf("%s: the image does not decode: %v", name, err)
				}
				rest := strings.Replace(string(b), string(m[1]), "", 1)
				if want := strings.SplitN(files[name], "data:", 2)[0]; !strings.HasPrefix(rest, want) {
					t.Errorf("%s: the text around the image changed:\n%.300s", name, rest)
				}
				cmd := exec.Command(tess, "-", "-", "--psm", "3")
				cmd.Stdin = bytes.NewReader(img)
				read, err := cmd.Output()
				if err != nil {
					t.Fatalf("%s: tesseract: %v", name, err)
				}
				for _, v := range append(values, p.Given) {
					if c.profile == "court" {
						break // court keeps adults' names and record numbers
					}
					if bytes.Contains(img, []byte(v)) {
						t.Errorf("%s: the image's bytes hold %q", name, v)
					}
					if strings.Contains(string(read), v) {
						t.Errorf("%s: tesseract reads %q in the image:\n%s", name, v, read)
					}
				}
				if name == "referral.md" && !strings.Contains(string(read), "Referral") {
					t.Errorf("%s: the scan's text is gone, not redacted:\n%s", name, read)
				}
			}
			if c.profile == "court" && status["photo.txt"] != "quarantined" {
				t.Errorf("photo.txt: %s under court (images_unread: quarantine)", status["photo.txt"])
			}
		})
	}
}
