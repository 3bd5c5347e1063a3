// Package lexicon holds Veil's vocabulary as data: every word list the
// detectors and profiles read, one file per language and concept, embedded
// in the binary.
//
// A list is the file <lang>/<concept>.txt (or .txt.gz for large lists)
// under this package's folder, a table of records <lang>/<concept>.tsv.gz: <lang> is an ISO 639-1 code, or "xx" for
// lists that belong to no language (codes, symbols, names of people and
// places). A concept is what the list holds ("titles", "particles"); the
// same concept may exist in several languages, and MustSet merges them.
// Adding a language means adding a folder: the files are discovered, not
// registered.
//
// Every file starts with '#' comment lines that say what the list is
// (# what:), where it comes from (# source:) and under which licence
// (# licence:); a list taken from a public source says so with
// "# public: yes" (where its licence asks for it, the licence text lies
// beside it as LICENSE-*.txt).
// Then one entry a line: valid UTF-8 in NFC, no leading,
// trailing or doubled spaces, no tabs, sorted by the byte order of its
// lower-cased form (see Key) and unique in that form. A table names its
// columns in its header (# columns:) and holds one record a line, fields
// separated by tabs, each field an entry as above; records are sorted by
// the Key of their first field, then by their bytes, and unique. Entries keep the case
// they are written in ("RN", "District of Columbia"); lookups ignore case.
// TestFiles checks every file.
//
// Lists are parsed on first use into immutable Sets and Tables that are
// safe for concurrent use; small lists are parsed once and kept, large
// (.gz) ones are parsed for each caller, who keeps what it needs. A start
// does not check the entries again (TestFiles checks every file), and
// what is derived from the largest lists at every start is derived once
// instead and stored beside its user with the Digest of the lists it was
// made from (ner/gazetteer's tables, pipeline's small places): after a
// change to a list, run
//
//	go generate ./ner/gazetteer ./pipeline
//
// (their tests fail until then; a start meanwhile derives the data from
// the lists again, with the same result, at the old cost).
package lexicon

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

//go:embed */*.txt */*.txt.gz */*.tsv */*.tsv.gz
var embedded embed.FS

// files is what the lists are read from: embedded, except in tests.
var files fs.FS = embedded

// Set is an immutable set of entries. The zero Set is empty.
type Set struct {
	words []string            // entries as written, sorted by Key
	keys  map[string]struct{} // Key of each entry
}

// Has reports whether w is an entry, ignoring case (w is compared by its
// Key).
func (s Set) Has(w string) bool {
	if _, ok := s.keys[w]; ok {
		return true
	}
	_, ok := s.keys[Key(w)]
	return ok
}

// Words returns the entries as written, sorted by Key. The slice is the
// caller's.
func (s Set) Words() []string { return append([]string(nil), s.words...) }

// Len returns the number of entries.
func (s Set) Len() int { return len(s.words) }

// Each calls fn for every entry's Key, in order, without copying the list.
func (s Set) Each(fn func(key string)) {
	for _, w := range s.words {
		fn(Key(w))
	}
}

// NewSet returns a set of words that are not in the lexicon (a caller's
// own list).
func NewSet(words ...string) Set {
	s := Set{keys: make(map[string]struct{}, len(words))}
	for _, w := range words {
		k := Key(w)
		if _, dup := s.keys[k]; dup {
			continue
		}
		s.keys[k] = struct{}{}
		s.words = append(s.words, w)
	}
	sort.Slice(s.words, func(i, j int) bool { return Key(s.words[i]) < Key(s.words[j]) })
	return s
}

// Key returns the form entries are compared, sorted and looked up by:
// NFC, lower case.
func Key(w string) string {
	if isLowerASCII(w) {
		return w
	}
	return strings.ToLower(norm.NFC.String(w))
}

// isPlainASCII reports a non-empty entry of printable ASCII without
// leading, trailing or doubled spaces and not starting with '#'.
func isPlainASCII(w string) bool {
	if w == "" || w[0] == ' ' || w[0] == '#' || w[len(w)-1] == ' ' {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c < ' ' || c > '~' || c == ' ' && w[i-1] == ' ' {
			return false
		}
	}
	return true
}

func isLowerASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || c >= 'A' && c <= 'Z' {
			return false
		}
	}
	return true
}

// File describes one list or table.
type File struct {
	Path     string // relative to this package, e.g. "en/titles.txt"
	Lang     string // folder: ISO 639-1 code or "xx"
	Concept  string // file name without extension
	What     string // from the header
	Source   string
	Licence  string
	Public   bool     // "# public: yes": taken from a named public source
	Columns  []string // a table's columns ("# columns:"); nil for a list
	Compress bool     // stored gzip-compressed
	Table    bool     // a .tsv table of records
}

var (
	langRe    = regexp.MustCompile(`^(?:[a-z]{2}|xx)$`)
	conceptRe = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
)

// catalogue lists the embedded files, by concept, without reading them.
var catalogue = sync.OnceValue(func() map[string][]File {
	byConcept := map[string][]File{}
	langs, err := fs.ReadDir(files, ".")
	if err != nil {
		panic(fmt.Sprintf("lexicon: %v", err))
	}
	for _, l := range langs {
		if !l.IsDir() {
			continue
		}
		entries, err := fs.ReadDir(files, l.Name())
		if err != nil {
			panic(fmt.Sprintf("lexicon: %v", err))
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, "LICENSE") {
				continue // the licence text of the lists beside it
			}
			f := File{Path: path.Join(l.Name(), name), Lang: l.Name()}
			base := name
			if b, ok := strings.CutSuffix(base, ".gz"); ok {
				base, f.Compress = b, true
			}
			switch {
			case strings.HasSuffix(base, ".txt"):
				f.Concept = strings.TrimSuffix(base, ".txt")
			case strings.HasSuffix(base, ".tsv"):
				f.Concept, f.Table = strings.TrimSuffix(base, ".tsv"), true
			default:
				continue
			}
			byConcept[f.Concept] = append(byConcept[f.Concept], f)
		}
	}
	return byConcept
})

// Files returns every list and table, sorted by path, with its header. It
// reads the headers, not the entries.
func Files() ([]File, error) {
	var out []File
	for _, list := range catalogue() {
		for _, f := range list {
			h, _, err := parseWith(f, true)
			if err != nil {
				return nil, err
			}
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// Concepts returns the names of all concepts, sorted.
func Concepts() []string {
	var out []string
	for c := range catalogue() {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Languages returns the folders that hold lists, sorted.
func Languages() []string {
	seen := map[string]bool{}
	var out []string
	for _, list := range catalogue() {
		for _, f := range list {
			if !seen[f.Lang] {
				seen[f.Lang] = true
				out = append(out, f.Lang)
			}
		}
	}
	sort.Strings(out)
	return out
}

// loaded caches parsed files by path.
var loaded sync.Map // path -> func() (File, []string, error)

// lines returns the header and lines of a file, parsed once, without
// validating them again (read). Large (compressed) files are parsed on
// every call and not kept: their users keep what they need, in the form
// they need.
func lines(f File) (File, []string, error) {
	if f.Compress {
		return read(f)
	}
	v, _ := loaded.LoadOrStore(f.Path, sync.OnceValues(func() (parsed, error) {
		h, ls, err := read(f)
		return parsed{h, ls}, err
	}))
	p, err := v.(func() (parsed, error))()
	return p.f, p.lines, err
}

type parsed struct {
	f     File
	lines []string
}

func load(f File) (Set, error) {
	if f.Table {
		return Set{}, fmt.Errorf("lexicon: %s is a table, not a list", f.Path)
	}
	_, words, err := lines(f)
	if err != nil {
		return Set{}, err
	}
	keys := make(map[string]struct{}, len(words))
	for _, w := range words {
		keys[Key(w)] = struct{}{}
	}
	return Set{words: words, keys: keys}, nil
}

// Lang returns the list of one concept in one language folder; ok is false
// if there is none. It panics if the embedded file is malformed (a build
// defect that TestFiles reports).
func Lang(lang, concept string) (s Set, ok bool) {
	for _, f := range catalogue()[concept] {
		if f.Lang == lang {
			s, err := load(f)
			if err != nil {
				panic(err.Error())
			}
			return s, true
		}
	}
	return Set{}, false
}

// Get returns the union of the lists of the concepts over all languages.
// It fails if a concept has no list or a list is malformed.
func Get(concepts ...string) (Set, error) {
	var sets []Set
	for _, c := range concepts {
		list := catalogue()[c]
		if len(list) == 0 {
			return Set{}, fmt.Errorf("lexicon: no list for concept %q (want a file <lang>/%s.txt)", c, c)
		}
		for _, f := range list {
			s, err := load(f)
			if err != nil {
				return Set{}, err
			}
			sets = append(sets, s)
		}
	}
	if len(sets) == 1 {
		return sets[0], nil
	}
	return union(sets), nil
}

// MustSet is Get for package initialisation: it panics when a concept has
// no list, so that a misspelt or missing concept stops the program (and
// every test) at start-up instead of yielding an empty set.
func MustSet(concepts ...string) Set {
	s, err := Get(concepts...)
	if err != nil {
		panic(err.Error())
	}
	return s
}

func union(sets []Set) Set {
	n := 0
	for _, s := range sets {
		n += len(s.words)
	}
	keys := make(map[string]struct{}, n)
	words := make([]string, 0, n)
	for _, s := range sets {
		for _, w := range s.words {
			k := Key(w)
			if _, dup := keys[k]; dup {
				continue
			}
			keys[k] = struct{}{}
			words = append(words, w)
		}
	}
	sort.Slice(words, func(i, j int) bool { return Key(words[i]) < Key(words[j]) })
	return Set{words: words, keys: keys}
}

// Digest returns a digest of the stored bytes of every file of the
// concepts (SHA-256 over their paths and each file's size and CRC-32C, in
// path order), for data derived from the lists at build time: if it
// differs from the digest the data was made from, a list changed since,
// and the data is stale. Each file is summed once per process. The files'
// sums are CRC-32C, which the processor computes (megabytes in well under
// a millisecond), not SHA-256 (a few milliseconds of every start, which
// checks the gazetteer's tables against the lists): they catch a list
// edited without go generate, which is all a digest is for here.
func Digest(concepts ...string) (string, error) {
	var list []File
	for _, c := range concepts {
		if len(catalogue()[c]) == 0 {
			return "", fmt.Errorf("lexicon: no list for concept %q", c)
		}
		list = append(list, catalogue()[c]...)
	}
	return digestOf(list)
}

// digestOf is Digest of the files of list.
func digestOf(list []File) (string, error) {
	list = append([]File(nil), list...)
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	h := sha256.New()
	for _, f := range list {
		v, _ := sums.LoadOrStore(f.Path, sync.OnceValues(func() (string, error) { return fileSum(f.Path) }))
		sum, err := v.(func() (string, error))()
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %s\n", f.Path, sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sums caches the SHA-256 of each file's stored bytes, by path.
var sums sync.Map // path -> func() (string, error)

func fileSum(name string) (string, error) {
	r, err := files.Open(name)
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := crc32.New(castagnoli)
	n, err := io.Copy(h, r)
	if err != nil {
		return "", fmt.Errorf("lexicon: %s: %w", name, err)
	}
	return fmt.Sprintf("%d %08x", n, h.Sum32()), nil
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Scan calls fn with the Key of every entry of the concept's lists, list
// by list, without building a Set: for large lists that the caller folds
// into a structure of its own. Keys may repeat across languages.
func Scan(concept string, fn func(key string)) error {
	list := catalogue()[concept]
	if len(list) == 0 {
		return fmt.Errorf("lexicon: no list for concept %q", concept)
	}
	for _, f := range list {
		if f.Table {
			return fmt.Errorf("lexicon: %s is a table, not a list", f.Path)
		}
		if err := each(f, func(l string) { fn(fastKey(l)) }); err != nil {
			return err
		}
	}
	return nil
}

// ScanTable calls fn with every record of a table concept, file by file,
// without keeping them. fn must not modify or keep row.
func ScanTable(concept string, fn func(row []string)) error {
	list := catalogue()[concept]
	if len(list) == 0 {
		return fmt.Errorf("lexicon: no table for concept %q", concept)
	}
	var row []string
	for _, f := range list {
		if !f.Table {
			return fmt.Errorf("lexicon: %s is a list, not a table", f.Path)
		}
		err := each(f, func(l string) {
			row = row[:0]
			for {
				field, rest, ok := strings.Cut(l, "\t")
				row = append(row, field)
				if !ok {
					break
				}
				l = rest
			}
			fn(row)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Table is an immutable table of records, each a row of fields in the
// order of Columns. It is safe for concurrent use.
type Table struct {
	columns []string
	rows    [][]string
}

// Columns returns the names of the columns.
func (t Table) Columns() []string { return append([]string(nil), t.columns...) }

// Len returns the number of records.
func (t Table) Len() int { return len(t.rows) }

// Each calls fn for every record in order. fn must not modify or keep row.
func (t Table) Each(fn func(row []string)) {
	for _, r := range t.rows {
		fn(r)
	}
}

// GetTable returns the records of a table concept over all languages, in
// the order of the files (their records in file order).
func GetTable(concept string) (Table, error) {
	list := catalogue()[concept]
	if len(list) == 0 {
		return Table{}, fmt.Errorf("lexicon: no table for concept %q (want a file <lang>/%s.tsv.gz)", concept, concept)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	var t Table
	for _, f := range list {
		if !f.Table {
			return Table{}, fmt.Errorf("lexicon: %s is a list, not a table", f.Path)
		}
		h, recs, err := lines(f)
		if err != nil {
			return Table{}, err
		}
		if t.columns == nil {
			t.columns = h.Columns
		} else if strings.Join(t.columns, " ") != strings.Join(h.Columns, " ") {
			return Table{}, fmt.Errorf("lexicon: %s: columns differ from the other files of %s", f.Path, concept)
		}
		for _, r := range recs {
			t.rows = append(t.rows, strings.Split(r, "\t"))
		}
	}
	return t, nil
}

// MustTable is GetTable that panics on an error.
func MustTable(concept string) Table {
	t, err := GetTable(concept)
	if err != nil {
		panic(err.Error())
	}
	return t
}

func open(f File) (io.ReadCloser, error) {
	r, err := files.Open(f.Path)
	if err != nil {
		return nil, err
	}
	if !f.Compress {
		return r, nil
	}
	zr, err := gzip.NewReader(r)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("lexicon: %s: %w", f.Path, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{zr, r}, nil
}

// parseWith reads a file's header and, unless headerOnly, its entries or
// records, and validates both.
func parseWith(f File, headerOnly bool) (File, []string, error) {
	var out []string
	h, err := scanFile(f, headerOnly, func(l, _ string) { out = append(out, l) })
	if err != nil {
		return h, nil, err
	}
	return h, out, nil
}

// scanFile reads a file's header and, unless headerOnly, calls emit for
// each of its entries or records, with the Key of the entry (of a record's
// first field), validating both.
func scanFile(f File, headerOnly bool, emit func(line, key string)) (File, error) {
	fail := func(line int, format string, args ...any) (File, error) {
		return f, fmt.Errorf("lexicon: %s:%d: %s", f.Path, line, fmt.Sprintf(format, args...))
	}
	if !langRe.MatchString(f.Lang) {
		return fail(0, "folder %q is not a language code (two letters, or xx)", f.Lang)
	}
	if !conceptRe.MatchString(f.Concept) {
		return fail(0, "concept %q: use lower-case words joined by '-'", f.Concept)
	}
	r, err := open(f)
	if err != nil {
		return f, err
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	line, header, prev, prevLine, n := 0, true, "", "", 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if header && strings.HasPrefix(text, "#") {
			if err := headerLine(&f, text); err != nil {
				return fail(line, "%v", err)
			}
			continue
		}
		if header {
			header = false
			switch {
			case f.What == "":
				return fail(line, "header lacks '# what:'")
			case f.Source == "":
				return fail(line, "header lacks '# source:'")
			case f.Licence == "":
				return fail(line, "header lacks '# licence:'")
			case f.Table && len(f.Columns) == 0:
				return fail(line, "table header lacks '# columns:'")
			case !f.Table && f.Columns != nil:
				return fail(line, "a list has no columns (name it .tsv to make it a table)")
			}
			if headerOnly {
				return f, nil
			}
		}
		first := text
		if f.Table {
			fields := strings.Split(text, "\t")
			if len(fields) != len(f.Columns) {
				return fail(line, "%d fields, want %d", len(fields), len(f.Columns))
			}
			for _, field := range fields {
				if err := checkEntry(field); err != nil {
					return fail(line, "%v", err)
				}
			}
			first = fields[0]
		} else if err := checkEntry(text); err != nil {
			return fail(line, "%v", err)
		}
		k := Key(first)
		switch {
		case n > 0 && k < prev:
			return fail(line, "entry out of order (sort by the byte order of the lower-cased NFC form)")
		case n > 0 && k == prev && !f.Table:
			return fail(line, "duplicate entry")
		case n > 0 && k == prev && text <= prevLine:
			if text == prevLine {
				return fail(line, "duplicate record")
			}
			return fail(line, "record out of order (equal first fields: sort by the whole line)")
		}
		prev, prevLine = k, text
		n++
		emit(text, k)
	}
	if err := sc.Err(); err != nil {
		return fail(line, "%v", err)
	}
	if header {
		return fail(line, "no entries")
	}
	return f, nil
}

// headerLine reads one '#' line of a file's header into f.
func headerLine(f *File, text string) error {
	field, value, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(text, "#")), ":")
	if !ok {
		return nil
	}
	value = strings.TrimSpace(value)
	switch strings.TrimSpace(field) {
	case "what":
		f.What = value
	case "source":
		f.Source = value
	case "licence", "license":
		f.Licence = value
	case "columns":
		f.Columns = strings.Fields(value)
	case "public":
		if value != "yes" && value != "no" {
			return fmt.Errorf("public: want yes or no")
		}
		f.Public = value == "yes"
	}
	return nil
}

// read returns a file's header and its entries or records as scanFile
// reads them, without checking them: TestFiles (and TestReadMatchesScan)
// check every embedded file with scanFile, so a start does not check
// again what the build checked. The file is read into one string and the
// entries are parts of it: one allocation for the text, one for the slice.
func read(f File) (File, []string, error) {
	text, err := readText(f)
	if err != nil {
		return f, nil, err
	}
	body, err := header(&f, text)
	if err != nil {
		return f, nil, err
	}
	out := make([]string, 0, strings.Count(body, "\n")+1)
	eachLine(body, func(l string) { out = append(out, l) })
	return f, out, nil
}

// each calls fn with every entry or record of a file, unchecked (see
// read), without a slice of them.
func each(f File, fn func(line string)) error {
	text, err := readText(f)
	if err != nil {
		return err
	}
	body, err := header(&f, text)
	if err != nil {
		return err
	}
	eachLine(body, fn)
	return nil
}

// header reads the '#' lines at the start of text into f and returns the
// rest.
func header(f *File, text string) (string, error) {
	for strings.HasPrefix(text, "#") {
		l, rest, _ := strings.Cut(text, "\n")
		if err := headerLine(f, strings.TrimSuffix(l, "\r")); err != nil {
			return "", fmt.Errorf("lexicon: %s: %v", f.Path, err)
		}
		text = rest
	}
	if text == "" {
		return "", fmt.Errorf("lexicon: %s: no entries", f.Path)
	}
	return text, nil
}

// eachLine calls fn with every line of text, as bufio.ScanLines splits
// them: without the newline and a carriage return before it, and no
// empty line after a final newline.
func eachLine(text string, fn func(line string)) {
	for text != "" {
		l, rest, _ := strings.Cut(text, "\n")
		fn(strings.TrimSuffix(l, "\r"))
		text = rest
	}
}

// fastKey is Key of an entry that TestFiles has checked to be in NFC.
func fastKey(w string) string {
	if isLowerASCII(w) {
		return w
	}
	return strings.ToLower(w)
}

// readText returns the whole text of a file, decompressed, as a string
// that nothing else holds (so its parts may be kept).
func readText(f File) (string, error) {
	r, err := files.Open(f.Path)
	if err != nil {
		return "", err
	}
	defer r.Close()
	size := 0
	if st, err := r.Stat(); err == nil {
		size = int(st.Size())
	}
	var src io.Reader = r
	if f.Compress {
		// gzip's trailer holds the size of the text (mod 4 GiB)
		if ra, ok := r.(io.ReaderAt); ok && size >= 4 {
			var n [4]byte
			if _, err := ra.ReadAt(n[:], int64(size-4)); err == nil {
				size = int(binary.LittleEndian.Uint32(n[:]))
			}
		}
		zr, err := gzip.NewReader(r)
		if err != nil {
			return "", fmt.Errorf("lexicon: %s: %w", f.Path, err)
		}
		src = zr
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead)) // no growth at EOF
	if _, err := buf.ReadFrom(src); err != nil {
		return "", fmt.Errorf("lexicon: %s: %w", f.Path, err)
	}
	b := buf.Bytes()
	if len(b) == 0 {
		return "", nil
	}
	return unsafe.String(&b[0], len(b)), nil // b is never written again
}

// checkEntry validates one entry or field. Errors never quote the entry.
func checkEntry(w string) error {
	if isPlainASCII(w) {
		return nil // the common case: printable ASCII, spaced right
	}
	switch {
	case w == "":
		return fmt.Errorf("empty line or field")
	case !utf8.ValidString(w):
		return fmt.Errorf("invalid UTF-8")
	case strings.HasPrefix(w, "#"):
		return fmt.Errorf("comment after the first entry (comments belong in the header)")
	case strings.TrimSpace(w) != w:
		return fmt.Errorf("leading or trailing white space")
	case strings.ContainsAny(w, "\t\r\v\f\u00a0") || strings.Contains(w, "  "):
		return fmt.Errorf("tab, odd space or doubled space")
	case !norm.NFC.IsNormalString(w):
		return fmt.Errorf("not in Unicode NFC")
	}
	return nil
}
