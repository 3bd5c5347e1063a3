package pipeline_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/state"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

// aCase is one invented supervision case: a client named in every form
// (full, title and surname, "LAST, FIRST", initial, given name), her
// brother by his given name and its diminutive, a referrer, a neighbour
// and a colleague. The keys are the files' names without a folder.
var aCase = map[string]string{
	"intake.txt":  "Client: Odile Brannigan\nReferred by Dr. Hamish Okonkwo on 3 March 2026.\n",
	"note1.txt":   "Ms. Brannigan described a quarrel with her brother Gregory Brannigan. Greg Brannigan called the next day.\n",
	"note2.txt":   "Odile Brannigan said her neighbour Priya Vasquez drove her. Form signed BRANNIGAN, ODILE.\n",
	"letter.txt":  "Dear Dr. Okonkwo,\n\nThank you for referring O. Brannigan. Priya Vasquez came to the second session.\n",
	"summary.txt": "Gregory Brannigan and Odile Brannigan met Greta Holmqvist, the team's social worker.\n",
}

// runCase writes files (key -> text) under src, runs them with the
// supervision profile (CaseBy caseBy) and returns the outputs by key.
func runCase(t *testing.T, files map[string]string, caseBy int, shard pipeline.Shard) map[string]string {
	t.Helper()
	src, out := t.TempDir(), t.TempDir()
	for k, v := range files {
		p := filepath.Join(src, filepath.FromSlash(k))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	p, err := profiles.Load("supervision")
	if err != nil {
		t.Fatal(err)
	}
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	source, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	rb, err := report.NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	if err := pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Source: source, Sink: sink, Report: rb, Workers: 3, CaseBy: caseBy, Shard: shard, FileTimeout: -1}); err != nil {
		t.Fatal(err)
	}
	return treeOf(t, out)
}

// The same case in several file orders (the files renamed so that they
// sort differently) gives every file the same output, byte for byte:
// the same people, roles and alias letters.
func TestCaseOutputIndependentOfFileOrder(t *testing.T) {
	var bases []string
	for k := range aCase {
		bases = append(bases, k)
	}
	sort.Strings(bases)
	orders := [][]string{append([]string(nil), bases...)}
	rev := append([]string(nil), bases...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	orders = append(orders, rev)
	rng := rand.New(rand.NewSource(17))
	for n := 0; n < 3; n++ {
		o := append([]string(nil), bases...)
		rng.Shuffle(len(o), func(i, j int) { o[i], o[j] = o[j], o[i] })
		orders = append(orders, o)
	}
	var want map[string]string
	for n, order := range orders {
		files := map[string]string{}
		for pos, b := range order {
			files[fmt.Sprintf("%02d-%s", pos, b)] = aCase[b]
		}
		got := map[string]string{}
		for k, v := range runCase(t, files, 0, pipeline.Shard{}) {
			got[k[strings.Index(k, "-")+1:]] = v
		}
		if len(got) != len(aCase) {
			t.Fatalf("order %d: %d outputs, want %d", n, len(got), len(aCase))
		}
		if n == 0 {
			want = got
			for k, v := range got {
				if strings.Contains(strings.ToLower(v), "brannigan") || strings.Contains(v, "Odile") || strings.Contains(v, "Greg") {
					t.Errorf("%s: a form of a name is left:\n%s", k, v)
				}
			}
			// One alias per person in every form: the client is Client A
			// wherever she is named, her brother one Person in both forms.
			if !strings.Contains(got["intake.txt"], "Client: Client A") || strings.Count(got["note2.txt"], "Client A") < 2 ||
				!strings.Contains(got["letter.txt"], "referring Client A") {
				t.Errorf("the client is not Client A in every form:\n%s\n%s\n%s", got["intake.txt"], got["note2.txt"], got["letter.txt"])
			}
			brother := strings.TrimRight(strings.Join(strings.Fields(strings.SplitAfter(got["note1.txt"], "her brother ")[1])[:2], " "), ".")
			if strings.Count(got["note1.txt"], brother) != 2 || !strings.HasPrefix(got["note1.txt"], "Client A") {
				t.Errorf("the brother and his diminutive are two people:\n%s", got["note1.txt"])
			}
			continue
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("order %d (%v): %s differs:\n%s\n--- first order:\n%s", n, order, k, got[k], w)
			}
		}
	}
}

// With --case-by 1 every client folder is a case of its own: each client
// is Client A, and the letters of one folder do not move those of another.
// As one case, the second client is Client B.
func TestCaseByFolder(t *testing.T) {
	files := map[string]string{}
	for k, v := range aCase {
		files["alpha/"+k] = v
	}
	files["beta/intake.txt"] = "Client: Wendell Achterberg\nReferred by his sister Marit Achterberg.\n"
	files["beta/notes/n1.txt"] = "Mr. Achterberg spoke of his sister Marit Achterberg.\n"
	files["top.txt"] = "Index of the cases: nothing here names anyone.\n"
	by := runCase(t, files, 1, pipeline.Shard{})
	if !strings.Contains(by["beta/intake.txt"], "Client: Client A") || !strings.Contains(by["alpha/intake.txt"], "Client: Client A") {
		t.Errorf("each folder's client is not Client A:\n%s\n%s", by["alpha/intake.txt"], by["beta/intake.txt"])
	}
	alone := runCase(t, map[string]string{"beta/intake.txt": files["beta/intake.txt"], "beta/notes/n1.txt": files["beta/notes/n1.txt"]}, 0, pipeline.Shard{})
	for _, k := range []string{"beta/intake.txt", "beta/notes/n1.txt"} {
		if by[k] != alone[k] {
			t.Errorf("%s: the other folder changed this one's output:\n%s\n--- alone:\n%s", k, by[k], alone[k])
		}
	}
	one := runCase(t, files, 0, pipeline.Shard{})
	if !strings.Contains(one["beta/intake.txt"], "Client: Client B") {
		t.Errorf("one case for both folders: the second client is not Client B:\n%s", one["beta/intake.txt"])
	}
	// Shards take whole cases: two shards together write what one
	// process writes, each folder in one shard only.
	union := map[string]string{}
	for i := 0; i < 2; i++ {
		for k, v := range runCase(t, files, 1, pipeline.Shard{I: i, N: 2}) {
			union[k] = v
		}
	}
	if fmt.Sprint(union) != fmt.Sprint(by) {
		t.Errorf("two shards by case differ from one process:\n%v\n%v", union, by)
	}
}

func TestCaseKey(t *testing.T) {
	for _, c := range []struct {
		key   string
		depth int
		want  string
	}{
		{"clients/dunmore/notes/a.docx", 2, "clients/dunmore/"},
		{"clients/dunmore/a.docx", 2, "clients/dunmore/"},
		{"clients/index.txt", 2, "clients/index.txt"},
		{"a.txt", 1, "a.txt"},
		{"a/b.txt", 1, "a/"},
		{"a/b.txt", 0, ""},
	} {
		if got := pipeline.CaseKey(c.key, c.depth); got != c.want {
			t.Errorf("CaseKey(%q, %d) = %q, want %q", c.key, c.depth, got, c.want)
		}
	}
}

// listedAs lists a local source in a given order, which need not be the
// ascending key order storage.Source promises.
type listedAs struct {
	*storage.Local
	keys []string
}

func (l listedAs) Walk(ctx context.Context, fn func(storage.Object) error) error {
	objs := map[string]storage.Object{}
	if err := l.Local.Walk(ctx, func(o storage.Object) error { objs[o.Key] = o; return nil }); err != nil {
		return err
	}
	for _, k := range l.keys {
		if err := fn(objs[k]); err != nil {
			return err
		}
	}
	return nil
}

// A source that lists the objects of a case apart (not in key order)
// cannot be gathered case by case: the run stops with an error that names
// no key, and writes nothing of the case it was reading when the listing
// went back to an earlier one.
func TestCaseListedApart(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	for _, k := range []string{"alpha/1.txt", "beta/1.txt", "alpha/2.txt"} {
		os.MkdirAll(filepath.Join(src, filepath.Dir(k)), 0o755)
		os.WriteFile(filepath.Join(src, k), []byte("Client: Odile Brannigan\n"), 0o600)
	}
	p, _ := profiles.Load("supervision")
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	local, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	rb, _ := report.NewBuilder()
	defer rb.Close()
	err = pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Report: rb, Sink: sink, Workers: 2, CaseBy: 1,
		Source: listedAs{local, []string{"alpha/1.txt", "beta/1.txt", "alpha/2.txt"}}})
	if err == nil || !strings.Contains(err.Error(), "listed the objects of a case apart") {
		t.Fatalf("run: %v", err)
	}
	if strings.Contains(err.Error(), "alpha") || strings.Contains(err.Error(), "beta") {
		t.Errorf("the error names a key: %v", err)
	}
	got := treeOf(t, out)
	if _, ok := got["alpha/1.txt"]; !ok {
		t.Errorf("the first case, complete, was not written: %v", got)
	}
	for _, k := range []string{"beta/1.txt", "alpha/2.txt"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s written after the listing went back to a closed case", k)
		}
	}
}

// The case table in a resumable run's state is sealed with the key file:
// the journal holds no name of the case.
func TestCaseSnapshotSealed(t *testing.T) {
	state.FlushLines = 1
	defer func() { state.FlushLines = 1000 }()
	src, out, stDir := t.TempDir(), t.TempDir(), t.TempDir()
	for k, v := range aCase {
		os.WriteFile(filepath.Join(src, k), []byte(v), 0o600)
	}
	p, _ := profiles.Load("supervision")
	keys := testKeys(t)
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true, Secrets: keys})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, _ := storage.NewLocal(stDir)
	l, err := state.Open(ctx, st, state.Manifest{Source: src, Dest: out, Profile: "supervision"}, false)
	if err != nil {
		t.Fatal(err)
	}
	l.SnapshotCaseOf(func() (string, []byte, error) {
		key, cs := e.CurrentCase()
		b, err := cs.Snapshot(keys)
		return key, b, err
	})
	source, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	rb, _ := report.NewBuilder()
	defer rb.Close()
	if err := pipeline.Run(ctx, pipeline.RunConfig{Engine: e, Source: source, Sink: sink, Report: rb, Workers: 2, Ledger: l}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	snaps := 0
	for k, v := range treeOf(t, stDir) {
		if strings.Contains(strings.ToLower(v), "brannigan") || strings.Contains(v, "Okonkwo") {
			t.Errorf("%s holds a name of the case", k)
		}
		snaps += strings.Count(v, `"case":`)
	}
	if snaps == 0 {
		t.Fatal("no case table in the state")
	}
	l2, err := state.Open(ctx, st, state.Manifest{Source: src, Dest: out, Profile: "supervision"}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	cs, err := profiles.LoadSnapshot(l2.Case(), keys)
	if err != nil {
		t.Fatal(err)
	}
	if cs.Entries()[0].Identities == nil {
		t.Error("the table in the state is empty")
	}
}

// A case an earlier attempt settled is restored (RunConfig.Settled), not
// gathered again: its aliases are the ones written.
func TestCaseSettledRestored(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(src, "alpha"), 0o755)
	os.WriteFile(filepath.Join(src, "alpha", "intake.txt"), []byte(aCase["intake.txt"]), 0o600)
	restored := profiles.NewCase()
	for _, other := range []string{"ingrid castellane", "radu marchetti", "fenna oyelaran"} {
		restored.Alias(restored.Link("PERSON", other), "Person")
	}
	id := restored.Link("PERSON", "odile brannigan")
	restored.AddRole(id, profiles.Client)
	restored.Alias(id, "Client")
	p, _ := profiles.Load("supervision")
	e, err := pipeline.NewEngine(pipeline.Options{Profile: p, NoNER: true})
	if err != nil {
		t.Fatal(err)
	}
	source, _ := storage.NewLocal(src)
	sink, _ := storage.NewLocal(out)
	rb, _ := report.NewBuilder()
	defer rb.Close()
	var asked []string
	settled := func(key string) (*profiles.Case, error) {
		asked = append(asked, key)
		if key == "alpha/" {
			return restored, nil
		}
		return nil, nil
	}
	if err := pipeline.Run(context.Background(), pipeline.RunConfig{Engine: e, Source: source, Sink: sink, Report: rb, Workers: 2, CaseBy: 1, Settled: settled}); err != nil {
		t.Fatal(err)
	}
	got := treeOf(t, out)["alpha/intake.txt"]
	if !strings.Contains(got, "Client: Client D") || fmt.Sprint(asked) != "[alpha/]" {
		t.Errorf("asked %v; output:\n%s", asked, got)
	}
}
