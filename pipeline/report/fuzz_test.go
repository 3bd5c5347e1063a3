package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzRead feeds arbitrary bytes to Read (veil report merge reads report
// parts written by other shards). Read returns an error that names the
// report, or the records it read; what it accepts, written again with
// WriteJSON, reads back to the same records, meta and totals; the report
// WriteJSON made is read whole; an error from the callback stops Read and
// comes back unchanged.
func FuzzRead(f *testing.F) {
	b, _ := NewBuilder()
	b.Add(File{Key: "a.txt", Status: StatusRedacted, Entities: map[string]int{"SSN": 1},
		Changes: []Change{{Part: "body", Entity: "SSN", Action: "keep_last", Replacement: "XXX-XX-1234"}}})
	b.Add(File{Key: "b.txt", Status: StatusQuarantined, Reason: "encoding"})
	var js bytes.Buffer
	b.WriteJSON(&js, Meta{Tool: "veil", Started: time.Unix(0, 0), Finished: time.Unix(0, 0)})
	b.Close()
	seed := js.Bytes()
	f.Add(seed)
	f.Add([]byte(`{"schema":"veil.report/v1","files":[`))
	f.Add([]byte(`{"files":{}}`))
	f.Add([]byte(`{"schema":"veil.report/v1","files":[{"key":"x"}],"totals":{"files":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got []File
		m, tot, err := Read(bytes.NewReader(data), func(f File) error { got = append(got, f); return nil })
		if bytes.Equal(data, seed) {
			if err != nil || len(got) != 2 || got[0].Key != "a.txt" || got[1].Key != "b.txt" || tot.Files != 2 || tot.Redacted != 1 {
				t.Fatalf("the report WriteJSON wrote reads as %d records, totals %+v, error %v", len(got), tot, err)
			}
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "report: ") {
				t.Fatalf("error does not name the report: %v", err)
			}
			return
		}
		// What Read accepts survives a round trip through the writer.
		b, err := NewBuilder()
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		for _, f := range got {
			b.Add(f)
		}
		var out bytes.Buffer
		if err := b.WriteJSON(&out, m); err != nil {
			t.Fatalf("write what was read: %v", err)
		}
		var again []File
		m2, tot2, err := Read(bytes.NewReader(out.Bytes()), func(f File) error { again = append(again, f); return nil })
		if err != nil {
			t.Fatalf("read what was written: %v", err)
		}
		if a, b := mustJSON(t, got), mustJSON(t, again); a != b {
			t.Fatalf("records changed in a round trip:\n%s\n%s", a, b)
		}
		if a, b := mustJSON(t, m)+mustJSON(t, m.Categories), mustJSON(t, m2)+mustJSON(t, m2.Categories); a != b {
			t.Fatalf("meta changed in a round trip:\n%s\n%s", a, b)
		}
		if tot2.Files != len(got) {
			t.Fatalf("totals of the rewritten report count %d files, %d were read", tot2.Files, len(got))
		}

		// A callback's error stops Read at the first record.
		if len(got) > 0 {
			stop := errors.New("stop")
			n := 0
			if _, _, err := Read(bytes.NewReader(data), func(File) error { n++; return stop }); err != stop || n != 1 {
				t.Fatalf("callback error: Read returned %v after %d records", err, n)
			}
		}
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
