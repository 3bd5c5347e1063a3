package xlsx_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/xlsx"
	"github.com/veilhq/veil/redactors/xlsx/xlsxtest"
)

// soffice runs LibreOffice Calc headless on files in dir with args, in a
// profile of its own.
func soffice(t *testing.T, dir string, args ...string) {
	t.Helper()
	bin := formattest.Tool(t, "soffice", "libreoffice")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	prof := "-env:UserInstallation=file://" + filepath.Join(dir, "profile")
	cmd := exec.CommandContext(ctx, bin, append([]string{prof, "--headless", "--norestore"}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
}

// TestLibreOfficeFixture writes testdata/done-when-libreoffice.xlsx with
// -update: the excelize workbook opened and saved by LibreOffice Calc,
// which computes the formulas and writes the pivot cache records and the
// chart caches. Without -update it checks that the file is there.
func TestLibreOfficeFixture(t *testing.T) {
	if !*update {
		if _, err := os.Stat(loFixture); err != nil {
			t.Fatalf("%s is missing: go test ./redactors/xlsx -run TestLibreOfficeFixture -update", loFixture)
		}
		return
	}
	wb, err := xlsxtest.Workbook()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.xlsx"), wb, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "lo"), 0o755); err != nil {
		t.Fatal(err)
	}
	soffice(t, dir, "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", "lo", "in.xlsx")
	b, err := os.ReadFile(filepath.Join(dir, "lo", "in.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(loFixture, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// csvFilter exports every sheet to its own CSV file (the last token, -1),
// UTF-8 (76), comma-separated, formulas as their results.
const csvFilter = `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1`

// shapes converts each file with LibreOffice Calc to one CSV per sheet and
// returns, per file, the rows × columns of its sheets (sorted: renamed
// sheets change the file names) and all the text LibreOffice shows.
func shapes(t *testing.T, files map[string][]byte) (map[string][]string, map[string]string) {
	dir := t.TempDir()
	var args []string
	for name, b := range files {
		p := name + ".xlsx"
		if err := os.WriteFile(filepath.Join(dir, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	sort.Strings(args)
	if err := os.Mkdir(filepath.Join(dir, "csv"), 0o755); err != nil {
		t.Fatal(err)
	}
	soffice(t, dir, append([]string{"--convert-to", csvFilter, "--outdir", "csv"}, args...)...)
	out, text := map[string][]string{}, map[string]string{}
	entries, err := os.ReadDir(filepath.Join(dir, "csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		for name := range files {
			if !strings.HasPrefix(e.Name(), name+"-") && e.Name() != name+".csv" {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, "csv", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			r := csv.NewReader(bytes.NewReader(b))
			r.FieldsPerRecord = -1
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatalf("%s: LibreOffice's CSV does not parse: %v", e.Name(), err)
			}
			cols := 0
			for _, row := range rows {
				cols = max(cols, len(row))
			}
			out[name] = append(out[name], fmt.Sprintf("%dx%d", len(rows), cols))
			text[name] += string(b)
		}
	}
	for name := range out {
		sort.Strings(out[name])
	}
	return out, text
}

// TestLibreOffice checks that redacted workbooks open in LibreOffice Calc
// and keep their shape: every sheet with the same rows and columns as the
// input's, and none of the secrets in what Calc shows. The inputs are
// converted too, and must show the secrets, so that their absence means
// something.
func TestLibreOffice(t *testing.T) {
	formattest.Tool(t, "soffice", "libreoffice")
	files := map[string][]byte{}
	secrets := map[string][]string{}
	for _, c := range leakCases(t) {
		doc, err := xlsx.New(xlsx.Options{}).Parse(c.File)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := doc.Redact(&out, distinctEdits(doc.Parts(), c.Secrets)); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		files[c.Name+"_in"], files[c.Name+"_out"] = c.File, out.Bytes()
		secrets[c.Name] = c.Secrets
	}
	got, text := shapes(t, files)
	for name, sec := range secrets {
		in, out := got[name+"_in"], got[name+"_out"]
		if len(in) == 0 {
			t.Fatalf("%s: LibreOffice showed no sheet of the input", name)
		}
		if strings.Join(in, " ") != strings.Join(out, " ") {
			t.Errorf("%s: sheets in %v, out %v", name, in, out)
		}
		seen := 0
		for _, s := range sec {
			if strings.Contains(text[name+"_in"], s) {
				seen++
			}
			if strings.Contains(text[name+"_out"], s) {
				t.Errorf("%s: LibreOffice shows a secret in the output: %q", name, s)
			}
		}
		if seen == 0 {
			t.Errorf("%s: LibreOffice shows none of the secrets in the input: the check proves nothing", name)
		}
		if !strings.Contains(text[name+"_out"], "[R1]") {
			t.Errorf("%s: LibreOffice does not show the replacements", name)
		}
	}
}

// distinctEdits removes every secret with a label of its own ("[R1]",
// "[R2]"…), as pseudonyms do, so that a pivot table over the redacted
// column keeps one row per person; a secret inside another one's edit
// is that edit's.
func distinctEdits(parts []redactors.Part, secrets []string) []redactors.Edit {
	var all []redactors.Edit
	for i, s := range secrets {
		for _, e := range formattest.EditsRemoving(parts, fmt.Sprintf("[R%d]", i+1), s) {
			overlaps := false
			for _, o := range all {
				if o.Part == e.Part && o.Start < e.End && e.Start < o.End {
					overlaps = true
					break
				}
			}
			if !overlaps {
				all = append(all, e)
			}
		}
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].Part != all[b].Part {
			return all[a].Part < all[b].Part
		}
		return all[a].Start < all[b].Start
	})
	return all
}
