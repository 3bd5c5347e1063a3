package xlsx_test

import (
	"archive/zip"
	"bytes"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/xlsx"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

var update = flag.Bool("update", false, "write testdata/done-when-libreoffice.xlsx again (needs soffice)")

// loFixture is the Done-when workbook as LibreOffice Calc saves it: with
// the pivot cache's records and the chart's string and number caches,
// which excelize does not write. TestLibreOfficeFixture -update writes it.
const loFixture = "testdata/done-when-libreoffice.xlsx"

func xlsxFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	wb, err := xlsxtest.Workbook()
	if err != nil {
		t.Fatal(err)
	}
	mk, err := xlsxtest.MarkerWorkbook(formattest.Marker)
	if err != nil {
		t.Fatal(err)
	}
	lo, err := os.ReadFile(loFixture)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{"done_when": wb, "marker": mk, "done_when_libreoffice": lo, "handmade": xlsxtest.Handmade(), "context_free": xlsxtest.ContextFree()}
}

// judge reads a workbook as an adversary would, sharing nothing with the
// format: every zip entry unzipped (archive/zip), its bytes raw, with
// character references decoded, and with the tags taken out.
func judge(t testing.TB, file []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatalf("judge: not a zip: %v", err)
	}
	var b strings.Builder
	tags := regexp.MustCompile(`<[^>]*>`)
	for _, f := range zr.File {
		b.WriteString(f.Name + "\n")
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("judge: %v", err)
		}
		x, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("judge: %v", err)
		}
		raw := string(x)
		dec := html.UnescapeString(raw)
		b.WriteString(raw + "\n" + dec + "\n" + tags.ReplaceAllString(dec, " ") + "\n")
		// formulas double the quotes of their literals
		b.WriteString(strings.ReplaceAll(dec, `""`, `"`) + "\n")
	}
	return b.String()
}

// compare is the contract of Redact: a part without edits is kept as it
// is; an edited part reads as the reference splice, or is gone (a
// formula's cached value, a number of a cache or property: removed), or
// has each of its lines either spliced or made neutral: a sheet renamed
// "Sheet<n>", a date slot set to 1970-01-01, a header's "&" doubled. A
// cell whose formula's literals changed may lose its cached value.
func compare(in []redactors.Part, edits []redactors.Edit, out []redactors.Part) error {
	got := map[string]string{}
	for _, p := range out {
		if _, dup := got[p.Name]; dup {
			return fmt.Errorf("two output parts named %s", p.Name)
		}
		got[p.Name] = p.Text
	}
	formulaEdited := map[string]bool{}
	for i, p := range in {
		if n := strings.Index(p.Name, ":formula "); n >= 0 && len(redactors.EditsOf(edits, i)) > 0 {
			formulaEdited[p.Name[:n]+":"+p.Name[n+len(":formula "):]] = true
		}
	}
	for i, p := range in {
		es := redactors.EditsOf(edits, i)
		g, ok := got[p.Name]
		if strings.HasSuffix(p.Name, ":authors") {
			continue // sanitised
		}
		if len(es) == 0 {
			if !ok && formulaEdited[p.Name] {
				continue
			}
			if !ok {
				return fmt.Errorf("part %s without edits is missing from the output", p.Name)
			}
			if g != p.Text {
				return fmt.Errorf("part %s without edits changed: %q → %q", p.Name, p.Text, g)
			}
			continue
		}
		want := redactors.Splice(p.Text, es)
		if !ok || g == want {
			continue
		}
		// a value emptied by its edit is no text any more: its line goes
		wl, gl := nonEmpty(want), nonEmpty(g)
		if strings.HasSuffix(p.Name, ":sheet names") || strings.HasSuffix(p.Name, ":names") {
			wl, gl = strings.Split(want, "\n"), strings.Split(g, "\n") // every sheet keeps a name
		}
		ok = func() bool {
			if strings.Contains(p.Name, ":value ") && len(gl) == 1 && (gl[0] == "0" || gl[0] == "false" || strings.HasPrefix(gl[0], "1970-01-01")) {
				return true // a typed property made neutral
			}
			line := func(w, g string) bool {
				return w == g || strings.HasPrefix(g, "1970-01-01") || strings.ReplaceAll(w, "&", "&&") == g ||
					strings.HasSuffix(p.Name, "names") && regexp.MustCompile(`^(Sheet|Name|Table)[0-9]+$`).MatchString(g) ||
					strings.Contains(p.Name, ":value ") && (g == "0" || g == "false" || g == "")
			}
			if strings.HasSuffix(p.Name, "names") {
				if len(wl) != len(gl) {
					return false
				}
				for k := range wl {
					if !line(wl[k], gl[k]) {
						return false
					}
				}
				return true
			}
			// a date slot an edit touched is removed: its line goes
			k := 0
			for _, w := range wl {
				if k < len(gl) && line(w, gl[k]) {
					k++
				}
			}
			return k == len(gl)
		}()
		if !ok {
			return fmt.Errorf("part %s: %q, want %q", p.Name, g, want)
		}
	}
	return nil
}

func leakCases(t testing.TB) []formattest.LeakCase {
	fx := xlsxFixtures(t)
	return []formattest.LeakCase{
		{Name: "done_when", File: fx["done_when"], Secrets: xlsxtest.Secrets()},
		{Name: "done_when_libreoffice", File: fx["done_when_libreoffice"], Secrets: xlsxtest.Secrets()},
		{Name: "handmade", File: fx["handmade"], Secrets: xlsxtest.SideDoors},
	}
}

func options(t testing.TB, fixtures ...string) formattest.Options {
	var fs []formattest.Fixture
	all := xlsxFixtures(t)
	for _, n := range fixtures {
		fs = append(fs, formattest.Fixture{Name: n, Data: all[n]})
	}
	return formattest.Options{
		Format:   xlsx.New(xlsx.Options{}),
		Fixtures: fs,
		Compare:  compare,
		// authors are replaced, and names not of the vocabulary renamed
		// with the references to them (names.go), whatever the edits
		Sanitised: func(p redactors.Part) bool {
			for _, k := range []string{":authors", ":sheet names", ":names", ":references"} {
				if strings.HasSuffix(p.Name, k) {
					return true
				}
			}
			return false
		},
		// values one a line: the line ends are in no byte of the XML
		Kept: func(p redactors.Part) string {
			switch {
			case strings.Contains(p.Name, ":validation list "):
				return "," // the list's separators: written back between the items
			case p.Cell.Table == 0:
				return "\n"
			}
			return ""
		},
		RedactMayRefuse: []*redactors.Reason{redactors.ErrUninspectable},
	}
}

func TestConformance(t *testing.T) {
	o := options(t, "marker", "done_when", "done_when_libreoffice", "handmade", "context_free")
	o.Leaks, o.Judge = leakCases(t), judge
	formattest.Run(t, o)
}

func FuzzParse(f *testing.F) {
	o := options(f, "handmade", "marker", "context_free")
	o.Fixtures = append(o.Fixtures, formattest.Fixture{Name: "nameless_cache_field", Data: namelessCacheFieldBook(f)})
	formattest.Fuzz(f, o)
}

func nonEmpty(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
