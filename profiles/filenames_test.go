package profiles

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// The mapping file keeps, per run, which source key each redacted output
// name came from; a run that continues the last one (a resume) records
// into it; nothing is recorded before BeginRun.
func TestCaseRecordsFileNames(t *testing.T) {
	k := testKeys(t, "file names test key, not a secret")
	c := NewCase()
	c.RecordName("intake_Odessa_Vantreight.md", "intake_Person-A.md")
	if len(c.NameRuns()) != 0 || c.Changed() || c.Renamed() != 1 {
		t.Fatalf("recorded before BeginRun: %+v, changed %v, renamed %d", c.NameRuns(), c.Changed(), c.Renamed())
	}
	c.BeginRun("/cases/in", "/cases/out")
	c.RecordName("intake_Odessa_Vantreight.md", "intake_Person-A.md")
	c.RecordName("notes/Quillfeather.txt", "notes/Person-B.txt")
	c.BeginRun("/cases/in", "/cases/out") // the same run, resumed
	c.RecordName("notes/Quillfeather.txt", "notes/Person-B.txt")
	c.BeginRun("/cases/in2", "/cases/out2")
	c.RecordName("Vantreight.md", "Person-A.md")
	c.RecordName("Quillfeather.md", "Person-B.md")
	// The run again, after the source changed: a file that kept its
	// source key gets a new name, and a new file takes the name of one
	// that is gone (whose entry is no longer true).
	c.BeginRun("/cases/in2", "/cases/out2")
	c.RecordName("Vantreight.md", "Person-A-2.md")
	c.RecordName("Vantreight_2.md", "Person-A.md")
	c.RecordName("Marek_Quillfeather.md", "Person-B.md")
	if !c.Changed() {
		t.Fatal("recording names does not mark the case changed")
	}

	var buf bytes.Buffer
	if err := c.Save(&buf, k); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("Vantreight")) {
		t.Fatal("the sealed mapping file shows a source name")
	}
	c2, err := LoadCase(bytes.NewReader(buf.Bytes()), k)
	if err != nil {
		t.Fatal(err)
	}
	want := []NameRun{
		{Source: "/cases/in", Dest: "/cases/out", Files: map[string]string{
			"intake_Odessa_Vantreight.md": "intake_Person-A.md", "notes/Quillfeather.txt": "notes/Person-B.txt"}},
		{Source: "/cases/in2", Dest: "/cases/out2", Files: map[string]string{
			"Vantreight_2.md": "Person-A.md", "Vantreight.md": "Person-A-2.md", "Marek_Quillfeather.md": "Person-B.md"}},
	}
	if got := c2.NameRuns(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after save and load:\n got %+v\nwant %+v", got, want)
	}
	if got := want[0].SourceKeys(); !reflect.DeepEqual(got, []string{"intake_Odessa_Vantreight.md", "notes/Quillfeather.txt"}) {
		t.Fatalf("SourceKeys %v", got)
	}

	// A resumable run's snapshot keeps them too.
	snap, err := c2.Snapshot(k)
	if err != nil {
		t.Fatal(err)
	}
	c3, err := LoadSnapshot(snap, k)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c3.NameRuns(), want) {
		t.Fatalf("after a snapshot: %+v", c3.NameRuns())
	}
}

// Mapping files of version 1 (no file names) still open; a newer version
// than this veil reads, and damaged runs, are refused.
func TestMappingFileVersions(t *testing.T) {
	k := testKeys(t, "file names test key, not a secret")
	open := func(plain string) (*Case, error) {
		return LoadCase(bytes.NewReader(k.seal([]byte(plain))), k)
	}
	c, err := open(`{"version":1,"next":{"PERSON":1},"people":[{"ns":"PERSON","identities":["odessa vantreight"],"alias":"Person A"}]}`)
	if err != nil || len(c.Entries()) != 1 || len(c.NameRuns()) != 0 {
		t.Fatalf("version 1: %v, %+v", err, c)
	}
	for plain, want := range map[string]string{
		`{"version":3,"people":[]}`:                                                          "version 3",
		`{"version":2,"runs":[{"source":"a","dest":"","files":{}}]}`:                         "no source or destination",
		`{"version":2,"runs":[{"source":"a","dest":"b","files":{"x":"o.txt","y":"o.txt"}}]}`: "repeated file name",
	} {
		if _, err := open(plain); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", plain, err, want)
		}
	}
}
