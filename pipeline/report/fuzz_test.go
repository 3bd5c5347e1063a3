package report

import (
	"bytes"
	"testing"
	"time"
)

// FuzzRead feeds arbitrary bytes to Read (veil report merge reads report
// parts written by other shards): it returns an error or records, never
// panics.
func FuzzRead(f *testing.F) {
	b, _ := NewBuilder()
	b.Add(File{Key: "a.txt", Status: StatusRedacted, Entities: map[string]int{"SSN": 1},
		Changes: []Change{{Part: "body", Entity: "SSN", Action: "keep_last", Replacement: "XXX-XX-1234"}}})
	b.Add(File{Key: "b.txt", Status: StatusQuarantined, Reason: "encoding"})
	var js bytes.Buffer
	b.WriteJSON(&js, Meta{Tool: "veil", Started: time.Unix(0, 0), Finished: time.Unix(0, 0)})
	b.Close()
	f.Add(js.Bytes())
	f.Add([]byte(`{"schema":"veil.report/v1","files":[`))
	f.Add([]byte(`{"files":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n := 0
		Read(bytes.NewReader(data), func(File) error { n++; return nil })
	})
}
