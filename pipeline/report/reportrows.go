package report

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// rowSpool holds, for every record added, the lines redaction-log.csv and
// report.md's tables show of it, rendered once by Add from the File in
// hand. Before it, WriteCSV and WriteMarkdown each read the JSON spool
// back and decoded every record (json.Unmarshal and its validity scan):
// 1.7 % of a whole run's CPU samples on 226 judgments or 984 notes, all
// of it after the last file, on one core (branch runprof). Rendering the
// rows costs a few fields' formatting per file, and the writers now copy
// bytes.
//
// The rows are those the decoded record gave: every string passes through
// asDecoded, which changes it as a JSON round trip does (each byte of
// invalid UTF-8 becomes U+FFFD); the other fields the rows show (counts,
// page numbers) survive JSON unchanged. TestRowsMatchDecoded compares the
// outputs with the decoding writers on records that fill every field.
//
// A record's entry is five length-prefixed (uvarint) byte strings after a
// count: its CSV rows; the count of its could-still-identify rows, then
// each row; its "Files not written" row ("" when it was written); its
// files-table row without, then with, the Bates column (which one report.md
// shows depends on every record: Totals.Numbered).
type rowSpool struct {
	f   *os.File
	w   *bufio.Writer
	buf bytes.Buffer // one record's CSV rows
	csv *csv.Writer  // writes to buf
	num [binary.MaxVarintLen64]byte
}

func newRowSpool() (*rowSpool, error) {
	f, err := os.CreateTemp("", "veil-report-*.rows")
	if err != nil {
		return nil, fmt.Errorf("report: spool: %w", err)
	}
	s := &rowSpool{f: f, w: bufio.NewWriterSize(f, 1<<16)}
	s.csv = csv.NewWriter(&s.buf)
	return s, nil
}

func (s *rowSpool) close() error {
	s.f.Close()
	return os.Remove(s.f.Name())
}

func (s *rowSpool) put(b []byte) {
	s.w.Write(s.num[:binary.PutUvarint(s.num[:], uint64(len(b)))])
	s.w.Write(b)
}

func (s *rowSpool) putString(str string) {
	s.w.Write(s.num[:binary.PutUvarint(s.num[:], uint64(len(str)))])
	s.w.WriteString(str)
}

// add renders f's rows. The caller holds the Builder's lock.
func (s *rowSpool) add(f *File) error {
	key, bates := asDecoded(f.Key), asDecoded(f.Bates)

	// redaction-log.csv: as WriteCSV wrote them from csvFile.
	s.buf.Reset()
	for _, c := range f.Changes {
		page := ""
		if c.Page > 0 {
			page = strconv.Itoa(c.Page)
		}
		cat := asDecoded(c.Category)
		if cat == "" {
			cat = entityWords(c.Entity)
		}
		shown := asDecoded(c.Replacement)
		if shown == "" {
			shown = Removed
		}
		loc := asDecoded(c.Location)
		if loc == "" {
			loc = asDecoded(c.Part)
		}
		if err := s.csv.Write([]string{key, bates, asDecoded(c.Bates), page, loc, cat, asDecoded(c.Reason), asDecoded(c.Basis), shown}); err != nil {
			return err
		}
	}
	s.csv.Flush()
	if err := s.csv.Error(); err != nil {
		return err
	}
	s.put(s.buf.Bytes())

	// report.md: could still identify.
	s.w.Write(s.num[:binary.PutUvarint(s.num[:], uint64(len(f.StillIdentify)))])
	for _, r := range f.StillIdentify {
		where := asDecoded(r.Part)
		if l := asDecoded(r.Location); l != "" {
			where = l
		}
		s.putString("| " + mdCell(key) + " | " + mdCell(where) + " | " + mdCell(asDecoded(r.Kind)) + " |\n")
	}

	// report.md: files not written.
	status := asDecoded(f.Status)
	if status == StatusQuarantined || status == StatusFailed {
		s.putString("| " + mdCell(key) + " | " + asDecoded(f.Reason) + " | " + mdCell(asDecoded(f.Detail)) + " |\n")
	} else {
		s.putString("")
	}

	// report.md: files.
	n := 0
	for _, v := range f.Entities {
		n += v
	}
	if len(f.Notes) > 0 {
		// The notes name parts and PDF keys: report.json has them.
		status += " — " + plural(len(f.Notes), "note") + " on metadata and hidden content (report.json)"
	}
	format, count := asDecoded(f.Format), strconv.Itoa(n)
	s.putString("| " + mdCell(key) + " | " + format + " | " + status + " | " + count + " |\n")
	if bates == "" {
		bates = "—"
	}
	s.putString("| " + mdCell(key) + " | " + mdCell(bates) + " | " + format + " | " + status + " | " + count + " |\n")
	return nil
}

// recordRows is one record's entry, as rowSpool.add wrote it. Its slices are
// valid until the next record is read.
type recordRows struct {
	csv        []byte
	still      [][]byte
	notWritten []byte
	file       []byte // without the Bates column
	fileBates  []byte // with it
}

// read streams the entries of the records in the order they were added.
// The caller holds the Builder's lock and has flushed s.w.
func (s *rowSpool) read(fn func(*recordRows) error) error {
	r, err := os.Open(s.f.Name())
	if err != nil {
		return fmt.Errorf("report: spool: %w", err)
	}
	defer r.Close()
	br := bufio.NewReaderSize(r, 1<<16)
	var (
		rs  recordRows
		buf []byte
	)
	// next reads one length-prefixed string into buf, after what is in it.
	next := func() (start int, err error) {
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return 0, err
		}
		start = len(buf)
		buf = slices.Grow(buf, int(n))[:start+int(n)]
		_, err = io.ReadFull(br, buf[start:])
		return start, err
	}
	for {
		buf = buf[:0]
		csvAt, err := next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("report: spool: %w", err)
		}
		ends := []int{len(buf)}
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return fmt.Errorf("report: spool: %w", noEOF(err))
		}
		for range n + 3 {
			if _, err := next(); err != nil {
				return fmt.Errorf("report: spool: %w", noEOF(err))
			}
			ends = append(ends, len(buf))
		}
		// Slices into buf, taken once it no longer grows.
		rs.csv = buf[csvAt:ends[0]]
		rs.still = rs.still[:0]
		for i := range int(n) {
			rs.still = append(rs.still, buf[ends[i]:ends[i+1]])
		}
		k := int(n)
		rs.notWritten = buf[ends[k]:ends[k+1]]
		rs.file = buf[ends[k+1]:ends[k+2]]
		rs.fileBates = buf[ends[k+2]:ends[k+3]]
		if err := fn(&rs); err != nil {
			return err
		}
	}
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// asDecoded returns s as encoding/json gives it back after encoding it:
// unchanged when it is valid UTF-8, else with each byte that is not part
// of a valid sequence replaced by U+FFFD (as json.Marshal writes it).
func asDecoded(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
