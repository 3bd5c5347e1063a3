package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

// finalLedger records the files a run reports final (Ledger.Finish).
type finalLedger struct{ final map[string]report.File }

func (l *finalLedger) Done(context.Context, storage.Object) (report.File, bool, error) {
	return report.File{}, false, nil
}

func (l *finalLedger) Finish(_ context.Context, o storage.Object, rec report.File, _ pipeline.PlanMark) error {
	l.final[o.Key] = rec
	return nil
}

// budgetRun runs the supervision profile (rules only) over files with a
// file budget and returns the report records by key and the ledger.
func budgetRun(t *testing.T, files map[string][]byte, timeout time.Duration) (map[string]report.File, *finalLedger) {
	t.Helper()
	src, out := t.TempDir(), t.TempDir()
	for k, v := range files {
		p := filepath.Join(src, filepath.FromSlash(k))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, v, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := profiles.Load("supervision")
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	source, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	rb, _ := report.NewBuilder()
	defer rb.Close()
	l := &finalLedger{final: map[string]report.File{}}
	err = pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Source: source, Sink: sink, Report: rb, Workers: 2,
		FileTimeout: timeout, Ledger: l, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := rb.WriteJSON(&js, report.Meta{}); err != nil {
		t.Fatal(err)
	}
	var rep struct{ Files []report.File }
	if err := json.Unmarshal(js.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]report.File{}
	for _, f := range rep.Files {
		got[f.Key] = f
	}
	return got, l
}

// A file over its budget is quarantined as too_slow, for good (the ledger
// records it, so a resumed run does not try it again), and the run goes
// on. A budget of a nanosecond is over before any file starts.
func TestFileBudgetQuarantinesTooSlow(t *testing.T) {
	got, l := budgetRun(t, map[string][]byte{
		"a.txt": []byte("Client Maria Sandoval called (503) 555-0147.\n"),
		"b.txt": []byte("Plain words only.\n"),
	}, time.Nanosecond)
	for _, k := range []string{"a.txt", "b.txt"} {
		f := got[k]
		if f.Status != report.StatusQuarantined || f.Reason != "too_slow" {
			t.Errorf("%s: %s/%s (%s), want quarantined/too_slow", k, f.Status, f.Reason, f.Detail)
		}
		if l.final[k].Reason != "too_slow" {
			t.Errorf("%s: not recorded as finished too_slow: %+v", k, l.final[k])
		}
	}
}

// One 5 MiB line full of names in the middle of a batch does not hold the
// batch up: the files before and after it are redacted, and it finishes
// or is quarantined as too_slow when its budget (2 s + 2 s per MiB, about
// 12 s) runs out. The budget is wide enough that a small file finishes
// under any load seen on a shared machine; the hostile file stays above
// keptMax, so the second pass still reads it again from the source.
func TestFileBudgetHostileBatch(t *testing.T) {
	files := map[string][]byte{}
	for i := 0; i < 12; i++ {
		files[fmt.Sprintf("note-%02d.txt", i)] = fmt.Appendf(nil, "Session %d. Client Orsolya Quillanby called (503) 555-%04d on March 3, 2024.\n", i, i)
	}
	line := "Client Tamsin Everard called (503) 555-0182 on April 9, 2023 about her son Corvin. "
	const hostile = 5 << 20
	if hostile <= pipeline.KeptMax {
		t.Fatalf("the hostile file (%d bytes) must be above keptMax (%d) to exercise the re-read", hostile, pipeline.KeptMax)
	}
	files["note-05-hostile.txt"] = []byte(strings.Repeat(line, hostile/len(line)+1))
	got, _ := budgetRun(t, files, 2*time.Second)
	for k := range files {
		f := got[k]
		switch {
		case k == "note-05-hostile.txt":
			if f.Status != report.StatusRedacted && f.Reason != "too_slow" {
				t.Errorf("%s: %s/%s (%s), want redacted or too_slow", k, f.Status, f.Reason, f.Detail)
			}
			t.Logf("the hostile file: %s %s", f.Status, f.Reason)
		case f.Status != report.StatusRedacted:
			t.Errorf("%s: %s/%s (%s), want redacted", k, f.Status, f.Reason, f.Detail)
		}
	}
}
