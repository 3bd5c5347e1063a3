package report

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestRowsMatchDecoded: redaction-log.csv and report.md written from the
// rows Add rendered (rowSpool) are those written by decoding every record
// from the JSON spool, byte for byte, over records that fill every field
// the rows show (empty or not, quotes, commas, pipes, line breaks, bytes
// of invalid UTF-8 that JSON turns into U+FFFD), quarantined and failed
// files, with and without Bates numbers, and past MaxMarkdownRows.
func TestRowsMatchDecoded(t *testing.T) {
	words := []string{"", "body", "page 2", "PERSON", "SSN", "a,b", "say \"x\"", "line\nbreak", "Person A", "keep_last",
		"ACME000001", "né", "paragraph 12", "a|b", "cr\rlf", "bad\xffbyte", "\xed\xa0\x80", "trunc\xe2\x82", "\ufffd", "<&>"}
	for _, tc := range []struct {
		name  string
		files int
		bates bool
	}{{"plain", 300, false}, {"bates", 300, true}, {"over the cap", MaxMarkdownRows + 150, false}, {"none", 0, false}} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(tc.files)))
			pick := func() string { return words[rng.IntN(len(words))] }
			b := build(t)
			statuses := []string{StatusRedacted, StatusUnchanged, StatusQuarantined, StatusFailed}
			for i := range tc.files {
				f := File{Key: fmt.Sprintf("dir/%s/f%d.txt", pick(), i), Format: pick(), Status: statuses[rng.IntN(len(statuses))],
					Reason: pick(), Detail: pick(), Bytes: int64(i), Entities: map[string]int{pick(): rng.IntN(4), pick(): rng.IntN(3)}}
				for range rng.IntN(3) {
					f.Notes = append(f.Notes, pick())
				}
				if tc.bates && i%3 != 0 {
					f.Bates = pick()
				}
				for range rng.IntN(4) {
					f.StillIdentify = append(f.StillIdentify, Residual{Kind: pick(), Part: pick(), Location: pick()})
				}
				for range rng.IntN(5) {
					f.Changes = append(f.Changes, Change{Part: pick(), Page: rng.IntN(3), Entity: pick(), Replacement: pick(), Basis: pick(),
						Bates: pick(), Category: pick(), Reason: pick(), Location: pick()})
				}
				b.Add(f)
			}
			if tc.bates && b.Totals().Numbered == 0 {
				t.Fatal("test input: no file numbered")
			}
			var got, want, ref bytes.Buffer
			if err := b.WriteCSV(&got); err != nil {
				t.Fatal(err)
			}
			if err := b.writeCSVDecoded(&want); err != nil {
				t.Fatal(err)
			}
			if err := b.writeCSVReference(&ref); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) || !bytes.Equal(got.Bytes(), ref.Bytes()) {
				t.Fatalf("redaction-log.csv differs:\n%s\nwant\n%s", got.String(), want.String())
			}
			got.Reset()
			want.Reset()
			if err := b.WriteMarkdown(&got, meta); err != nil {
				t.Fatal(err)
			}
			if err := b.writeMarkdownDecoded(&want, meta); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("report.md differs:\n%s\nwant\n%s", got.String(), want.String())
			}
			if tc.files > 0 && (!bytes.Contains(got.Bytes(), []byte("\ufffd")) || !bytes.Contains(got.Bytes(), []byte("Files not written"))) {
				t.Fatal("test input: no replaced byte or no file not written in report.md")
			}
		})
	}
}

// BenchmarkWriteRows writes redaction-log.csv and report.md of 5,000
// records of 30 changes each, Add included (impl=rows: rendered by Add;
// impl=decoded: each record decoded from the JSON spool by each writer,
// Add rendering the rows all the same), and times the rendering alone
// (impl=render): before rowSpool, a run paid decoded less render.
// `benchstat -col /impl`.
func BenchmarkWriteRows(b *testing.B) {
	files := make([]File, 5000)
	for i := range files {
		f := File{Key: fmt.Sprintf("c%02d-%04d.txt", i%44, i), Format: "text", Status: StatusRedacted, Bytes: 4000,
			Found: map[string]int{"PERSON": 20, "DATE": 9}, Entities: map[string]int{"PERSON": 20, "DATE": 9}, Actions: map[string]int{"alias": 29},
			StillIdentify: []Residual{{Kind: "small place", Part: "body", Location: "line 4"}}}
		for k := range 30 {
			f.Changes = append(f.Changes, Change{Part: "body", Start: k * 100, End: k*100 + 9, Entity: "PERSON", Rule: "names/title",
				Score: 0.93, Action: "alias", Replacement: "Person A", Basis: "profile supervision: PERSON", Category: "name", Reason: "replaced by an alias", Location: "paragraph 3"})
		}
		files[i] = f
	}
	b.Run("impl=render", func(b *testing.B) {
		s, err := newRowSpool()
		if err != nil {
			b.Fatal(err)
		}
		defer s.close()
		for b.Loop() {
			for i := range files {
				if err := s.add(&files[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	for _, impl := range []string{"rows", "decoded"} {
		b.Run("impl="+impl, func(b *testing.B) {
			for b.Loop() {
				bl, err := NewBuilder()
				if err != nil {
					b.Fatal(err)
				}
				for _, f := range files {
					bl.Add(f)
				}
				var out bytes.Buffer
				if impl == "rows" {
					err = bl.WriteCSV(&out)
					if err == nil {
						err = bl.WriteMarkdown(&out, meta)
					}
				} else {
					err = bl.writeCSVDecoded(&out)
					if err == nil {
						err = bl.writeMarkdownDecoded(&out, meta)
					}
				}
				bl.Close()
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzRows: for records whose strings are arbitrary bytes, the rows Add
// renders (rowSpool, its length-prefixed spool read back) give the
// redaction-log.csv and report.md the decoding writers give.
func FuzzRows(f *testing.F) {
	f.Add("a.txt", "body", "PERSON", "Person A", "ACME000001", "line 3", uint8(2))
	f.Add("bad\xff|key", "\xed\xa0\x80", "", "", "", "cr\rlf\n", uint8(0))
	f.Fuzz(func(t *testing.T, key, part, entity, repl, bates, loc string, n uint8) {
		b := build(t)
		statuses := []string{StatusRedacted, StatusUnchanged, StatusQuarantined, StatusFailed}
		for i := range int(n%4) + 1 {
			fl := File{Key: key, Format: part, Status: statuses[(int(n)+i)%4], Reason: entity, Detail: loc,
				Entities: map[string]int{entity: i}, Bates: bates}
			if i%2 == 1 {
				fl.Notes = []string{repl}
			}
			for j := range int(n) % 5 {
				fl.StillIdentify = append(fl.StillIdentify, Residual{Kind: repl, Part: part, Location: loc[:min(j, len(loc))]})
				fl.Changes = append(fl.Changes, Change{Part: part, Page: j, Entity: entity, Replacement: repl, Basis: loc,
					Bates: bates, Category: entity[:min(j, len(entity))], Reason: repl, Location: loc[:min(j, len(loc))]})
			}
			b.Add(fl)
		}
		var got, want bytes.Buffer
		if err := b.WriteCSV(&got); err != nil {
			t.Fatal(err)
		}
		if err := b.writeCSVDecoded(&want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("redaction-log.csv differs:\n%q\nwant\n%q", got.String(), want.String())
		}
		got.Reset()
		want.Reset()
		if err := b.WriteMarkdown(&got, meta); err != nil {
			t.Fatal(err)
		}
		if err := b.writeMarkdownDecoded(&want, meta); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("report.md differs:\n%q\nwant\n%q", got.String(), want.String())
		}
	})
}
