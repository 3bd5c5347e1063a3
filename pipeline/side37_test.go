package pipeline_test

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/redactors/formattest"
)

// TestChatSpeakers: a chat log's speaker tags are people's handles by the
// line's shape, whatever the word (session "side37", issue 13). On
// 4a8049e supervision and research wrote "<mark>", "<pear>", "<quill>",
// "<ruby>" and "orsolya:", "bramble:" as they were (common words, lower
// case, no context). A file of HTML lines that start with a tag is no
// chat log, nor a form of "Label: value" lines: both are written as
// before. Every nick is invented; "mark", "ruby", "pear" are chosen as
// ordinary words (two of them HTML elements).
func TestChatSpeakers(t *testing.T) {
	chats := map[string]struct {
		text  string
		nicks []string
	}{
		"chat.log": {"[10:41] <mark> morning all, the intake for Tamsin Everard is done\n" +
			"[10:42] <pear> thanks, I will file it\n" +
			"[10:43] <tamsin> I can check the chart later\n" +
			"[10:44] <mark> ok pear, send it to tamsin when ready\n", []string{"mark", "pear", "tamsin"}},
		"irc.txt": {"<quill> did you see the note\n<ruby> yes, it is filed\n* quill nods\n<quill> good\n", []string{"quill", "ruby"}},
		"slack.txt": {"orsolya: can you take the 3 pm slot\nbramble: yes, I can\norsolya: thanks\r\nbramble: no problem\n",
			[]string{"orsolya", "bramble"}},
	}
	plain := map[string]string{
		"page.md":   "<p> The first paragraph.\n<p> The second paragraph.\n<b> A bold start.\n",
		"list.txt":  "<li> first item\n<li> second item\n",
		"mixed.txt": "<b> Bold</b> start\n<i> italic start\n",
		"form.txt":  "Colour: blue\nShape: round\nSize: large\nWeight: light\n",
	}
	speaker := regexp.MustCompile(`(?m)^(?:\[[0-9:]+\] )?(?:<([^>]*)>|\* (\S+)|([^:\n]+):)`)
	for _, profile := range []string{"supervision", "research"} {
		t.Run(profile, func(t *testing.T) {
			src := t.TempDir()
			for name, c := range chats {
				if err := os.WriteFile(filepath.Join(src, name), []byte(c.text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for name, text := range plain {
				if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out, rep, _, totals := runFolder(t, profile, src, pipeline.Options{})
			if totals.NotWritten() != 0 {
				t.Fatalf("files not written:\n%s", rep["report.md"])
			}
			for name, c := range chats {
				// the output's name may change (a name read in it):
				// found by the last words of its second message
				marker := strings.SplitN(c.text, "\n", 3)[1]
				marker = marker[len(marker)-8:]
				m, _ := filepath.Glob(filepath.Join(out, "*"+filepath.Ext(name)))
				var b []byte
				for _, f := range m {
					if x, _ := os.ReadFile(f); strings.Contains(string(x), marker) {
						b = x
					}
				}
				if b == nil {
					t.Fatalf("%s: no output among %q", name, m)
				}
				for _, sm := range speaker.FindAllStringSubmatch(string(b), -1) {
					got := sm[1] + sm[2] + sm[3]
					for _, n := range c.nicks {
						if strings.EqualFold(got, n) {
							t.Errorf("%s: speaker %q written:\n%s", name, n, b)
						}
					}
				}
				if name == "chat.log" && profile == "supervision" {
					// "<tamsin>" is the person the first line names
					lines := strings.Split(string(b), "\n")
					first := strings.TrimSuffix(strings.SplitN(lines[0], "intake for ", 2)[1], " is done")
					if sm := speaker.FindStringSubmatch(lines[2]); sm == nil || sm[1] != first {
						t.Errorf("tamsin's speaker tag and Tamsin Everard read differently:\n%s", b)
					}
				}
			}
			for name, text := range plain {
				b, err := os.ReadFile(filepath.Join(out, name))
				if err != nil || string(b) != text {
					t.Errorf("%s changed (%v):\n%s", name, err, b)
				}
			}
		})
	}
}

// TestCalculatedPivotFieldRun: a workbook whose column is headed by a
// client's (invented) name, with a pivot table and a calculated field
// computing with that column, goes through the engine: the name is
// redacted in the header, the cache field and the formula alike, the
// formula names the cache field's new name (quoted), and verify passes
// (session "side37"; on 4a8049e the workbook was refused).
func TestCalculatedPivotFieldRun(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Data"); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{{"Month", "Region", "Tamsin Everard"}, {"Jan", "North", 3}, {"Feb", "South", 4}, {"Mar", "North", 5}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Data", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("Pivot"); err != nil {
		t.Fatal(err)
	}
	if err := f.AddPivotTable(&excelize.PivotTableOptions{DataRange: "Data!A1:C4", PivotTableRange: "Pivot!A1:C8",
		Rows: []excelize.PivotTableField{{Data: "Region"}}, Data: []excelize.PivotTableField{{Data: "Tamsin Everard", Name: "Total", Subtotal: "Sum"}}}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	book := formattest.RewriteZip(t, b.Bytes(), func(name, x string) string {
		if !strings.Contains(name, "pivotCacheDefinition") {
			return x
		}
		return strings.Replace(x, `</cacheFields>`, `<cacheField name="Fee" numFmtId="0" formula="'Tamsin Everard'*2" databaseField="0"/></cacheFields>`, 1)
	})
	for _, profile := range []string{"supervision", "research"} {
		t.Run(profile, func(t *testing.T) {
			src := t.TempDir()
			if err := os.WriteFile(filepath.Join(src, "billing.xlsx"), book, 0o644); err != nil {
				t.Fatal(err)
			}
			out, rep, _, totals := runFolder(t, profile, src, pipeline.Options{})
			if totals.NotWritten() != 0 {
				t.Fatalf("not written:\n%s", rep["report.md"])
			}
			m, _ := filepath.Glob(filepath.Join(out, "*.xlsx"))
			if len(m) != 1 {
				t.Fatalf("outputs %q", m)
			}
			data, err := os.ReadFile(m[0])
			if err != nil {
				t.Fatal(err)
			}
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			var all strings.Builder
			for _, e := range zr.File {
				rc, err := e.Open()
				if err != nil {
					t.Fatal(err)
				}
				x, _ := io.ReadAll(rc)
				rc.Close()
				all.Write(x)
			}
			text := all.String()
			if strings.Contains(text, "Everard") || strings.Contains(text, "Tamsin") {
				t.Errorf("the name is left")
			}
			fm := regexp.MustCompile(`<cacheField name="Fee"[^>]* formula="([^"]*)"`).FindStringSubmatch(text)
			if fm == nil {
				t.Fatal("no calculated field")
			}
			formula := html.UnescapeString(fm[1])
			name, ok := strings.CutSuffix(formula, "*2")
			name = strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(name, "'"), "'"), "''", "'")
			if !ok || !strings.Contains(text, `<cacheField name="`+html.EscapeString(name)+`"`) && !strings.Contains(text, `<cacheField name="`+name+`"`) {
				t.Errorf("the formula %q names no cache field", formula)
			}
		})
	}
}
