package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"
)

// writeCSVReference is WriteCSV as it was before csvFile: every record
// decoded whole.
func (b *Builder) writeCSVReference(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	err := b.each(func(_ []byte, f *File) error {
		for _, c := range f.Changes {
			page := ""
			if c.Page > 0 {
				page = strconv.Itoa(c.Page)
			}
			cat := c.Category
			if cat == "" {
				cat = entityWords(c.Entity)
			}
			shown := c.Replacement
			if shown == "" {
				shown = Removed
			}
			loc := c.Location
			if loc == "" {
				loc = c.Part
			}
			if err := cw.Write([]string{f.Key, f.Bates, c.Bates, page, loc, cat, c.Reason, c.Basis, shown}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// TestWriteCSVMatchesReference: the log written from csvFile is the one
// written from whole Files, byte for byte, over records that fill every
// field of File and Change (empty or not, quotes, commas, line breaks).
func TestWriteCSVMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	words := []string{"", "body", "page 2", "PERSON", "SSN", "a,b", "say \"x\"", "line\nbreak", "Person A", "keep_last",
		"ACME000001", "né", "paragraph 12", "names/rule", "attorney-client"}
	pick := func() string { return words[rng.IntN(len(words))] }
	b, err := NewBuilder()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rows := 0
	for i := range 300 {
		f := File{Key: fmt.Sprintf("dir/f%d.txt", i), KeyRedacted: i%5 == 0, Format: pick(), Status: StatusRedacted,
			Reason: pick(), Detail: pick(), Bytes: int64(i * 100), Found: map[string]int{pick(): i}, Entities: map[string]int{pick(): 1},
			Actions: map[string]int{pick(): 2}, Notes: []string{pick()}, Bates: pick(), Pages: i % 4, Date: "2024-03",
			StillIdentify: []Residual{{Part: pick(), Kind: pick()}}}
		if i%7 == 0 {
			f.Status = StatusQuarantined
		}
		for range rng.IntN(6) {
			f.Changes = append(f.Changes, Change{Part: pick(), Page: rng.IntN(3), Start: rng.IntN(99), End: 100 + rng.IntN(9),
				Entity: pick(), Rule: pick(), Score: rng.Float64(), Action: pick(), Replacement: pick(), Basis: pick(),
				Bates: pick(), Category: pick(), Reason: pick(), Location: pick(), Privileged: i%3 == 0, Privilege: pick()})
			rows++
		}
		b.Add(f)
	}
	var got, want bytes.Buffer
	if err := b.WriteCSV(&got); err != nil {
		t.Fatal(err)
	}
	if err := b.writeCSVReference(&want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		t.Fatalf("redaction-log.csv differs:\n%s\nwant\n%s", got.String(), want.String())
	}
	if n := bytes.Count(want.Bytes(), []byte("dir/f")); n < rows || rows < 300 {
		t.Fatalf("test input: %d rows of %d changes", n, rows)
	}
}

// BenchmarkWriteCSV writes the log of 5,000 records of 30 changes each
// from csvFile (impl=narrow) and from whole Files (impl=reference):
// `benchstat -col /impl`.
func BenchmarkWriteCSV(b *testing.B) {
	bl, err := NewBuilder()
	if err != nil {
		b.Fatal(err)
	}
	defer bl.Close()
	for i := range 5000 {
		f := File{Key: fmt.Sprintf("c%02d-%04d.txt", i%44, i), Status: StatusRedacted, Bytes: 4000,
			Found: map[string]int{"PERSON": 20, "DATE": 9}, Entities: map[string]int{"PERSON": 20, "DATE": 9}, Actions: map[string]int{"alias": 29}}
		for k := range 30 {
			f.Changes = append(f.Changes, Change{Part: "body", Start: k * 100, End: k*100 + 9, Entity: "PERSON", Rule: "names/title",
				Score: 0.93, Action: "alias", Replacement: "Person A", Basis: "profile supervision: PERSON", Category: "name", Reason: "replaced by an alias", Location: "paragraph 3"})
		}
		bl.Add(f)
	}
	for _, impl := range []string{"narrow", "reference"} {
		b.Run("impl="+impl, func(b *testing.B) {
			for b.Loop() {
				var err error
				if impl == "narrow" {
					err = bl.WriteCSV(io.Discard)
				} else {
					err = bl.writeCSVReference(io.Discard)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
