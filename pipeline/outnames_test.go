package pipeline

import (
	"context"
	"path"
	"strings"
	"testing"

	"github.com/veilhq/veil/profiles"
)

// A bare sequence number in a file name is not an identifier: it keeps
// its name, also when maximum recall takes the same number out of the
// text (research). A long number still goes, and a redacted name is
// recorded, with its source, in the case for the mapping file.
func TestSequenceNumbersKeepTheirNames(t *testing.T) {
	p, err := profiles.Load("research")
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := profiles.NewKeys([]byte("sequence test key, not a secret"))
	cs := profiles.NewCase()
	cs.BeginRun("/in", "/out")
	e, err := NewEngine(Options{Profile: p, NoNER: true, Secrets: keys, Case: cs, Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	out := map[string]string{}
	for key, text := range map[string]string{
		"00017.txt":                    "Record 00017\nVisit with Odessa Vantreight on 4 May 2024.\n",
		"export/0000123.md":            "Seen today.\n",
		"patient_00482913.txt":         "Seen today.\n",
		"intake_Odessa_Vantreight.txt": "Client: Odessa Vantreight.\n",
	} {
		b, rec := e.Redact(ctx, key, []byte(text))
		if b == nil {
			t.Fatalf("%s not written: %s", key, rec.Reason)
		}
		if key == "00017.txt" && (strings.Contains(string(b), "Vantreight") || strings.Contains(string(b), "00017")) {
			// the number too: what the name must not take over from the text
			t.Fatalf("%s: body not redacted as this test expects: %s", key, b)
		}
		out[key] = rec.Key
	}
	for _, key := range []string{"00017.txt", "export/0000123.md"} {
		if out[key] != key {
			t.Errorf("%s became %s: a sequence number is not an identifier", key, out[key])
		}
	}
	for _, key := range []string{"patient_00482913.txt", "intake_Odessa_Vantreight.txt"} {
		if out[key] == key {
			t.Errorf("%s kept its name", key)
		}
	}
	runs := cs.NameRuns()
	if len(runs) != 1 || len(runs[0].Files) != 2 ||
		runs[0].Files["intake_Odessa_Vantreight.txt"] != out["intake_Odessa_Vantreight.txt"] ||
		runs[0].Files["patient_00482913.txt"] != out["patient_00482913.txt"] {
		t.Fatalf("recorded names %+v, outputs %v", runs, out)
	}
}

// An output name holds none of the forms a file name gives the people of
// its document (initial and surname, surname and initial, dotted, glued),
// and keeps its extension, also when a rule reads the extension as part
// of a value (an e-mail address before ".txt").
func TestOutputNamesDropPersonForms(t *testing.T) {
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEngine(Options{Profile: p, NoNER: true, Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	body := "Client: Odessa Vantreight, seen on Monday. Ms Vantreight is well.\n"
	for _, key := range []string{
		"ovantreight_note.txt", "2024-03_VantreightO.txt", "o.vantreight/intake.md", "vantreight_o.md",
		"OdessaVantreight.txt", "notes/odessavantreight-plan.txt", "odessa.vantreight@example.net.txt",
	} {
		out, rec := e.Redact(context.Background(), key, []byte(body))
		if out == nil {
			t.Fatalf("%s not written: %s", key, rec.Reason)
		}
		if strings.Contains(strings.ToLower(rec.Key), "vantreight") {
			t.Errorf("%s: output name %s keeps the name", key, rec.Key)
		}
		if path.Ext(rec.Key) != path.Ext(key) {
			t.Errorf("%s: output name %s lost its extension", key, rec.Key)
		}
	}
	// A word that only shares letters with the name stays.
	if _, rec := e.Redact(context.Background(), "vantage_report.txt", []byte(body)); rec.Key != "vantage_report.txt" {
		t.Errorf("vantage_report.txt became %s", rec.Key)
	}
}
