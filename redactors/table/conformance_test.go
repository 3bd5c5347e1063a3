package table_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/formattest"
	"github.com/veilhq/veil/redactors/table"
	"github.com/veilhq/veil/redactors/table/tabletest"
)

// markerCSV shows formattest.Marker in every kind of cell: plain, quoted,
// quoted over two lines, next to doubled quotes, in the header row, with a
// UTF-8 byte-order mark and semicolons.
func markerCSV() []byte {
	const m = formattest.Marker
	rows := [][]string{
		{"Client", "Note about " + m, "Phone"},
		{m, "Seen today.\nCalled \"" + m + "\" back.", "(503) 555-0100"},
		{"Zoë Ærensen", m + "; follow-up", ""},
	}
	return append([]byte{0xEF, 0xBB, 0xBF}, tabletest.CSV(rows, ";", "\r\n")...)
}

func utf16CSV() []byte {
	b, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().Bytes([]byte(
		tabletest.CSV([][]string{{"Name", "Phone"}, {"Linnea Vashti-Moor", "(458) 555-0160"}, {"Cassius Thornquist", "n/a"}}, ",", "\r\n")))
	if err != nil {
		panic(err)
	}
	return b
}

// python finds python3 (scripts/setup installs it): under CI=true a
// missing one fails the test.
func python(t testing.TB) string { return formattest.Tool(t, "python3") }

// readScript reads delimited files as an adversary would, with Python's
// codecs and csv module, which share nothing with this package: the
// encoding from the byte-order mark, else UTF-8, else cp1252; the
// delimiter given. Arguments are pairs of path and delimiter; it prints a
// JSON list of {text, rows}, one per file (Python starts slowly: one run
// reads them all).
const readScript = `
import csv, io, json, sys
out = []
args = sys.argv[1:]
for path, delim in zip(args[0::2], args[1::2]):
    data = open(path, 'rb').read()
    if data.startswith(b'\xef\xbb\xbf'):
        text = data.decode('utf-8-sig')
    elif data.startswith(b'\xff\xfe') or data.startswith(b'\xfe\xff'):
        text = data.decode('utf-16')
    else:
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError:
            text = data.decode('cp1252')
    rows = list(csv.reader(io.StringIO(text, newline=''), delimiter=delim))
    out.append({'text': text, 'rows': rows})
json.dump(out, sys.stdout)
`

type pyRead struct {
	Text string     `json:"text"`
	Rows [][]string `json:"rows"`
}

// pyReadFiles reads files (with their delimiters) in one Python run.
func pyReadFiles(t testing.TB, files [][]byte, delims []byte) []pyRead {
	t.Helper()
	dir := t.TempDir()
	args := []string{"-c", readScript}
	for i, data := range files {
		p := filepath.Join(dir, fmt.Sprintf("f%d.csv", i))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p, string(delims[i]))
	}
	out, err := exec.Command(python(t), args...).Output()
	if err != nil {
		t.Fatalf("python csv: %v", err)
	}
	var r []pyRead
	if err := json.Unmarshal(out, &r); err != nil || len(r) != len(files) {
		t.Fatalf("python csv: %v (%d readings)", err, len(r))
	}
	return r
}

// judge reads a delimited file as an adversary would, with code that
// shares nothing with this package's reader: the encoding from the
// byte-order mark, else UTF-8, else Windows-1252 (golang.org/x/text), then
// the standard library's encoding/csv, leniently, with every delimiter
// this package sniffs. It returns the whole text and every cell of every
// reading, one a line.
func judge(t testing.TB, data []byte) string {
	var text string
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		text = string(data[3:])
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		b, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			t.Fatalf("judge: UTF-16: %v", err)
		}
		text = string(b)
	case utf8.Valid(data):
		text = string(data)
	default:
		b, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			t.Fatalf("judge: Windows-1252: %v", err)
		}
		text = string(b)
	}
	var b strings.Builder
	b.WriteString(text + "\n")
	for _, d := range []rune{',', ';', '\t', '|'} {
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.LazyQuotes, r.FieldsPerRecord = d, true, -1
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				break // what it could not read is in the whole text above
			}
			for _, c := range rec {
				b.WriteString(c + "\n")
			}
		}
	}
	return b.String()
}

func leakCases() []formattest.LeakCase {
	w1252 := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			panic(err)
		}
		return b
	}
	return []formattest.LeakCase{
		{Name: "EHR export", File: tabletest.EHRCSV(), Secrets: tabletest.EHRSecrets()},
		{Name: "Windows-1252 TSV", File: tabletest.WesternTSV(), Secrets: tabletest.WesternSecrets},
		{Name: "name in the header row", File: []byte("Notes for Wendeline Ashgrove,Date\nstable,01/02/2024\n"), Secrets: []string{"Wendeline Ashgrove"}},
		{Name: "name over a line break in a quoted cell", File: []byte("id,note\r\n1,\"Called Wendeline\r\nAshgrove at home\"\r\n"), Secrets: []string{"Wendeline Ashgrove"}},
		{Name: "name around doubled quotes", File: []byte("id,note\n1,\"Dr \"\"Nell\"\" Fairweather-Lusk\"\n"), Secrets: []string{"Fairweather-Lusk", `"Nell"`}},
		{Name: "text after a closing quote", File: []byte("id,name\n1,\"Wende\"line Ashgrove\n"), Secrets: []string{"Ashgrove"}},
		{Name: "quote never closed", File: []byte("id,name\n1,\"Wendeline Ashgrove, room 4\n2,x\n"), Secrets: []string{"Wendeline Ashgrove"}},
		{Name: "pipes and a lone CR", File: []byte("id|name|phone\r1|Wendeline Ashgrove|(503) 555-0111\r"), Secrets: []string{"Wendeline Ashgrove", "555-0111"}},
		{Name: "UTF-16", File: utf16CSV(), Secrets: []string{"Linnea Vashti-Moor", "Cassius Thornquist", "(458) 555-0160"}},
		{Name: "Windows-1252 name with a euro sign", File: w1252("Nom;Montant\nAurélie Vandermeersch;40 €\n"), Secrets: []string{"Aurélie Vandermeersch"}},
	}
}

func options(t testing.TB, f table.Format, fx ...formattest.Fixture) formattest.Options {
	return formattest.Options{
		Format:   f,
		Fixtures: fx,
		Leaks:    leakCases(),
		Judge:    judge,
		// A replacement that would make the output read in another
		// encoding is refused (see Document.Redact).
		RedactMayRefuse: []*redactors.Reason{redactors.ErrEncoding},
	}
}

func csvOptions(t testing.TB) formattest.Options {
	return options(t, table.CSV(table.Options{}),
		formattest.Fixture{Name: "marker", Data: markerCSV()},
		formattest.Fixture{Name: "ehr", Data: tabletest.EHRCSV()},
		formattest.Fixture{Name: "utf16", Data: utf16CSV()},
	)
}

func TestConformanceCSV(t *testing.T) { formattest.Run(t, csvOptions(t)) }

func TestConformanceTSV(t *testing.T) {
	marker := tabletest.CSV([][]string{{"Name", "Note"}, {formattest.Marker, "tab\tinside"}}, "\t", "\n")
	formattest.Run(t, options(t, table.TSV(table.Options{}),
		formattest.Fixture{Name: "marker", Data: []byte(marker)},
		formattest.Fixture{Name: "western", Data: tabletest.WesternTSV()},
	))
}

func FuzzParse(f *testing.F) { formattest.Fuzz(f, csvOptions(f)) }

// TestPythonRoundTrip: Python's csv module reads each fixture and its
// redacted output with the same shape (rows, and fields per row), every
// cell as the reference splice of the input cell, and the untouched
// cells byte for byte.
func TestPythonRoundTrip(t *testing.T) {
	type rt struct {
		name    string
		format  table.Format
		data    []byte
		secrets []string
		doc     *table.Document
		edits   []redactors.Edit
		out     []byte
	}
	cases := []*rt{
		{name: "ehr", format: table.CSV(table.Options{}), data: tabletest.EHRCSV(), secrets: tabletest.EHRSecrets()},
		{name: "western", format: table.TSV(table.Options{}), data: tabletest.WesternTSV(), secrets: tabletest.WesternSecrets},
		{name: "marker", format: table.CSV(table.Options{}), data: markerCSV(), secrets: []string{formattest.Marker}},
		{name: "utf16", format: table.CSV(table.Options{}), data: utf16CSV(), secrets: []string{"Linnea Vashti-Moor", "(458) 555-0160"}},
	}
	var files [][]byte
	var delims []byte
	for _, c := range cases {
		doc, err := c.format.Parse(c.data)
		if err != nil {
			t.Fatal(err)
		}
		c.doc = doc.(*table.Document)
		c.edits = formattest.EditsRemoving(c.doc.Parts(), "[RE\"DACTED, X]", c.secrets...)
		if len(c.edits) == 0 {
			t.Fatalf("%s: no edits", c.name)
		}
		var out bytes.Buffer
		if err := c.doc.Redact(&out, c.edits); err != nil {
			t.Fatal(err)
		}
		c.out = out.Bytes()
		files = append(files, c.data, c.out)
		delims = append(delims, c.doc.Delimiter(), c.doc.Delimiter())
	}
	read := pyReadFiles(t, files, delims)
	for k, c := range cases {
		in, got := read[2*k], read[2*k+1]
		t.Run(c.name, func(t *testing.T) {
			if len(in.Rows) != len(got.Rows) {
				t.Fatalf("%d rows in, %d out", len(in.Rows), len(got.Rows))
			}
			want := map[[2]int]string{}
			for i, p := range c.doc.Parts() {
				want[[2]int{p.Cell.Row, p.Cell.Col}] = redactors.Splice(p.Text, redactors.EditsOf(c.edits, i))
			}
			for r := range in.Rows {
				if len(in.Rows[r]) != len(got.Rows[r]) {
					t.Errorf("row %d: %d fields in, %d out", r+1, len(in.Rows[r]), len(got.Rows[r]))
					continue
				}
				for k := range in.Rows[r] {
					w, ok := want[[2]int{r + 1, k + 1}]
					if !ok {
						w = in.Rows[r][k]
					}
					if got.Rows[r][k] != w {
						t.Errorf("row %d, column %d: Python reads %q, want %q", r+1, k+1, got.Rows[r][k], w)
					}
				}
			}
			for _, s := range c.secrets {
				if strings.Contains(got.Text, s) {
					t.Errorf("a secret survives in the output text")
				}
			}
			if strings.Count(got.Text, "\r\n") != strings.Count(in.Text, "\r\n") {
				t.Errorf("line endings changed")
			}
		})
	}
}
