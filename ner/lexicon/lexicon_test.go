package lexicon

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// TestFiles checks every embedded list: a header that says what it is,
// where it comes from and its licence; entries that are valid UTF-8 in
// NFC, without stray white space, sorted and unique by Key.
func TestFiles(t *testing.T) {
	fs, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) < 50 {
		t.Fatalf("only %d lists embedded", len(fs))
	}
	for _, f := range fs {
		// A start reads the lists without checking them (read): this is
		// where every entry of every list is checked.
		if _, _, err := parseWith(f, false); err != nil {
			t.Error(err)
			continue
		}
		if f.Table {
			if _, recs, err := lines(f); err != nil {
				t.Error(err)
			} else if len(recs) == 0 || len(f.Columns) == 0 {
				t.Errorf("%s: %d records, columns %q", f.Path, len(recs), f.Columns)
			}
			continue
		}
		s, err := load(f)
		if err != nil {
			t.Error(err)
			continue
		}
		if s.Len() == 0 {
			t.Errorf("%s: no entries", f.Path)
		}
		if f.What == "" || f.Source == "" || f.Licence == "" {
			t.Errorf("%s: header incomplete", f.Path)
		}
		if l, ok := Lang(f.Lang, f.Concept); !ok || l.Len() != s.Len() {
			t.Errorf("%s: Lang gives %d entries, the file has %d", f.Path, l.Len(), s.Len())
		}
		if f.Compress {
			continue // large public lists: Has is exercised by their users' tests
		}
		// Every entry must be found by lookup, in any case.
		for _, w := range s.words {
			up := strings.ToUpper(w)
			if !s.Has(w) || Key(up) == Key(w) && !s.Has(up) {
				t.Errorf("%s: an entry is not found by Has", f.Path)
				break
			}
		}
	}
}

// TestReadMatchesScan shows that the unchecked reading of a start (read,
// each, fastKey) gives what the checked one (scanFile) gives, for every
// embedded file: the same header, entries and keys.
func TestReadMatchesScan(t *testing.T) {
	fs, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		f := File{Path: f.Path, Lang: f.Lang, Concept: f.Concept, Compress: f.Compress, Table: f.Table}
		var want, wantKeys []string
		wh, err := scanFile(f, false, func(l, k string) { want, wantKeys = append(want, l), append(wantKeys, k) })
		if err != nil {
			t.Error(err)
			continue
		}
		gh, got, err := read(f)
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		if fmt.Sprint(gh) != fmt.Sprint(wh) {
			t.Errorf("%s: header %+v, want %+v", f.Path, gh, wh)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d entries, want %d", f.Path, len(got), len(want))
			continue
		}
		for i := range got {
			first, _, _ := strings.Cut(got[i], "\t")
			if got[i] != want[i] || fastKey(first) != wantKeys[i] {
				t.Errorf("%s: entry %d differs from the checked reading", f.Path, i+1)
				break
			}
		}
	}
}

// TestReadLines shows that read splits lines as bufio.ScanLines does.
func TestReadLines(t *testing.T) {
	const hdr = "# what: w\r\n# source: s\n# licence: l\n"
	for name, c := range map[string]struct {
		body string
		want []string
	}{
		"plain":      {hdr + "a\nb c\n", []string{"a", "b c"}},
		"no newline": {hdr + "a\nb", []string{"a", "b"}},
		"crlf":       {hdr + "a\r\nb\r\n", []string{"a", "b"}},
		"blank":      {hdr + "a\n\nb\n", []string{"a", "", "b"}},
	} {
		t.Run(name, func(t *testing.T) {
			old := files
			defer func() { files = old }()
			files = fstest.MapFS{"en/x.txt": {Data: []byte(c.body)}}
			f := File{Path: "en/x.txt", Lang: "en", Concept: "x"}
			var want []string
			if _, err := scanFile(f, false, func(l, _ string) { want = append(want, l) }); err != nil && name != "blank" {
				t.Fatal(err)
			}
			h, got, err := read(f)
			if err != nil || fmt.Sprintf("%q", got) != fmt.Sprintf("%q", c.want) || h.What != "w" || h.Licence != "l" {
				t.Fatalf("read: %q %+v %v, want %q", got, h, err, c.want)
			}
			if name != "blank" && fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
				t.Fatalf("read %q, scanFile %q", got, want)
			}
		})
	}
}

func BenchmarkParseSafeWords(b *testing.B) {
	f := File{Path: "en/safe-words.txt.gz", Lang: "en", Concept: "safe-words", Compress: true}
	for i := 0; i < b.N; i++ {
		if _, _, err := parseWith(f, false); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseRejects shows that each rule of the format is enforced, on
// files made here.
func TestParseRejects(t *testing.T) {
	const hdr = "# what: w\n# source: s\n# licence: l\n"
	for name, c := range map[string]struct{ path, body, want string }{
		"ok":           {"en/x.txt", hdr + "a\nB\nc d\n", ""},
		"no what":      {"en/x.txt", "# source: s\n# licence: l\na\n", "what"},
		"no source":    {"en/x.txt", "# what: w\n# licence: l\na\n", "source"},
		"no licence":   {"en/x.txt", "# what: w\n# source: s\na\n", "licence"},
		"unsorted":     {"en/x.txt", hdr + "b\na\n", "out of order"},
		"case order":   {"en/x.txt", hdr + "B\na\n", "out of order"},
		"duplicate":    {"en/x.txt", hdr + "a\nA\n", "duplicate"},
		"trailing":     {"en/x.txt", hdr + "a \n", "white space"},
		"leading":      {"en/x.txt", hdr + " a\n", "white space"},
		"tab":          {"en/x.txt", hdr + "a\tb\n", "tab"},
		"double space": {"en/x.txt", hdr + "a  b\n", "doubled"},
		"empty line":   {"en/x.txt", hdr + "a\n\nb\n", "empty"},
		"late comment": {"en/x.txt", hdr + "a\n# b\n", "comment"},
		"bad utf-8":    {"en/x.txt", hdr + "a\xff\n", "UTF-8"},
		"not NFC":      {"en/x.txt", hdr + "e\u0301\n", "NFC"},
		"no entries":   {"en/x.txt", hdr, "no entries"},
		"bad language": {"eng/x.txt", hdr + "a\n", "language"},
		"bad concept":  {"en/X_y.txt", hdr + "a\n", "concept"},
		"bad public":   {"en/x.txt", hdr + "# public: maybe\na\n", "public"},
		"table":        {"xx/t.tsv", hdr + "# columns: a b\nA\t1\na\t2\nb\t1\n", ""},
		"no columns":   {"xx/t.tsv", hdr + "a\t1\n", "columns"},
		"list columns": {"xx/t.txt", hdr + "# columns: a\na\n", "columns"},
		"few fields":   {"xx/t.tsv", hdr + "# columns: a b\na\n", "fields"},
		"empty field":  {"xx/t.tsv", hdr + "# columns: a b\na\t\n", "empty"},
		"dup record":   {"xx/t.tsv", hdr + "# columns: a b\na\t1\na\t1\n", "duplicate"},
		"record order": {"xx/t.tsv", hdr + "# columns: a b\na\t2\na\t1\n", "out of order"},
		"key order":    {"xx/t.tsv", hdr + "# columns: a b\nb\t1\na\t2\n", "out of order"},
	} {
		t.Run(name, func(t *testing.T) {
			old := files
			defer func() { files = old }()
			files = fstest.MapFS{c.path: {Data: []byte(c.body)}}
			lang, file, _ := strings.Cut(c.path, "/")
			f := File{Path: c.path, Lang: lang, Concept: strings.TrimSuffix(file, ".txt")}
			if name, ok := strings.CutSuffix(file, ".tsv"); ok {
				f.Concept, f.Table = name, true
			}
			_, words, err := parseWith(f, false)
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case c.want == "" && len(words) != 3:
				t.Fatalf("got %d entries", len(words))
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Fatalf("error %v, want one about %q", err, c.want)
			}
		})
	}
}

func TestMustSet(t *testing.T) {
	// A concept merges its languages.
	titles := MustSet("titles")
	for _, w := range []string{"Dr", "MRS", "pan", "Herr", "ông"} {
		if !titles.Has(w) {
			t.Errorf("titles lack %q", w)
		}
	}
	en, ok := Lang("en", "titles")
	if !ok || en.Has("pan") || !en.Has("dr") || en.Len() >= titles.Len() {
		t.Errorf("Lang(en, titles) is not the English list: %v %d", ok, en.Len())
	}
	// A union of concepts holds both, once each, sorted by Key.
	u := MustSet("months", "weekdays")
	if u.Len() != 19 || !u.Has("May") || !u.Has("sunday") {
		t.Errorf("months+weekdays: %d entries", u.Len())
	}
	ws := u.Words()
	for i := 1; i < len(ws); i++ {
		if Key(ws[i-1]) >= Key(ws[i]) {
			t.Errorf("Words not sorted: %q before %q", ws[i-1], ws[i])
		}
	}
	ws[0] = "changed"
	if u.Words()[0] == "changed" {
		t.Error("Words shares its slice with the set")
	}
	// A missing concept is an error, and a panic at initialisation.
	if _, err := Get("no-such-concept"); err == nil {
		t.Error("Get of a missing concept succeeded")
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "no-such-concept") {
			t.Errorf("MustSet of a missing concept: recover() = %v", r)
		}
	}()
	MustSet("titles", "no-such-concept")
}

func TestTable(t *testing.T) {
	tb := MustTable("cities")
	if got := strings.Join(tb.Columns(), " "); got != "name ascii country population seat" {
		t.Fatalf("columns %q", got)
	}
	if tb.Len() < 100000 {
		t.Errorf("%d cities", tb.Len())
	}
	n := 0
	tb.Each(func(r []string) {
		if len(r) != 5 {
			t.Fatalf("record of %d fields", len(r))
		}
		if r[0] == "Reykjavík" && r[1] == "Reykjavik" && r[2] == "IS" {
			n++
		}
	})
	if n != 1 {
		t.Errorf("Reykjavík, IS: %d records", n)
	}
	if _, err := GetTable("titles"); err == nil {
		t.Error("GetTable of a list succeeded")
	}
	if _, err := Get("cities"); err == nil {
		t.Error("Get of a table succeeded")
	}
}

func TestScan(t *testing.T) {
	// Scan gives the keys of Get, in the order of the files.
	var keys []string
	if err := Scan("months", func(k string) { keys = append(keys, k) }); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keys, " "); !strings.HasPrefix(got, "april august december") || len(keys) != MustSet("months").Len() {
		t.Errorf("Scan(months) = %q", got)
	}
	n := 0
	if err := Scan("first-names", func(k string) { n++ }); err != nil || n < 90000 {
		t.Errorf("Scan(first-names): %d, %v", n, err)
	}
	rows := 0
	err := ScanTable("cities", func(r []string) {
		if rows == 0 && len(r) != len(MustTable("cities").Columns()) {
			t.Errorf("ScanTable: a record of %d fields", len(r))
		}
		rows++
	})
	if err != nil || rows != MustTable("cities").Len() {
		t.Errorf("ScanTable(cities): %d records, %v", rows, err)
	}
	if Scan("cities", func(string) {}) == nil || ScanTable("months", func([]string) {}) == nil || Scan("no-such-concept", func(string) {}) == nil {
		t.Error("Scan of a table, ScanTable of a list or Scan of nothing succeeded")
	}
}

// TestSubsets checks the lists defined as parts of others.
func TestSubsets(t *testing.T) {
	for _, c := range []struct{ part, whole string }{
		{"strong-titles", "titles"},
		{"courtesy-titles", "titles"},
		{"clinical-role-titles", "clinical-roles"},
	} {
		whole := MustSet(c.whole)
		for _, w := range MustSet(c.part).Words() {
			if !whole.Has(w) {
				t.Errorf("%s: %q is not in %s", c.part, w, c.whole)
			}
		}
	}
}

func TestLanguagesAndConcepts(t *testing.T) {
	langs := strings.Join(Languages(), " ")
	for _, l := range []string{"en", "ko", "pl", "vi", "xx"} {
		if !strings.Contains(langs, l) {
			t.Errorf("languages %q lack %s", langs, l)
		}
	}
	cs := Concepts()
	if len(cs) < 50 {
		t.Errorf("%d concepts", len(cs))
	}
	for _, c := range cs {
		if _, err := Get(c); err != nil {
			if _, terr := GetTable(c); terr != nil {
				t.Errorf("%v; %v", err, terr)
			}
		}
	}
}

// TestDigest shows that the digest changes with a list's bytes and with
// the files asked for, and not otherwise.
func TestDigest(t *testing.T) {
	old := files
	defer func() { files = old; sums = sync.Map{} }()
	const hdr = "# what: w\n# source: s\n# licence: l\n"
	x, y := File{Path: "en/x.txt"}, File{Path: "en/y.txt"}
	digest := func(fs fstest.MapFS, list ...File) string {
		t.Helper()
		files, sums = fs, sync.Map{}
		d, err := digestOf(list)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	a := fstest.MapFS{"en/x.txt": {Data: []byte(hdr + "a\nb\n")}, "en/y.txt": {Data: []byte(hdr + "c\n")}}
	b := fstest.MapFS{"en/x.txt": {Data: []byte(hdr + "a\nc\n")}, "en/y.txt": {Data: []byte(hdr + "c\n")}}
	if digest(a, x) != digest(a, x) || digest(a, x) == digest(b, x) || digest(a, x) == digest(a, x, y) || digest(a, x, y) != digest(a, y, x) {
		t.Error("the digest does not follow the lists' bytes")
	}
	if digest(a, y) != digest(b, y) {
		t.Error("the digest of an unchanged list changed")
	}
	files, sums = old, sync.Map{}
	if _, err := Digest("no-such-concept"); err == nil {
		t.Error("Digest of a missing concept succeeded")
	}
	if d, err := Digest("months"); err != nil || len(d) != 64 {
		t.Errorf("Digest(months) = %q, %v", d, err)
	}
}
