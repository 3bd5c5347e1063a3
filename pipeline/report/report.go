// Package report builds Veil's change report: report.json (versioned schema),
// report.md for people, and redaction-log.csv, the log a court production
// hands to the other side.
//
// A report never holds an original value: every field is a key, a code, a
// count, a location in the output, or replacement text that is in the output
// anyway. Per-file records are spooled to a temporary file as they arrive so
// that memory does not grow with the number of files.
package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Schema identifies the report.json format. Bump the version on any
// incompatible change.
const Schema = "veil.report/v1"

// File statuses.
const (
	StatusRedacted    = "redacted"    // written with changes (redactions, or sanitising the format did: see Notes)
	StatusUnchanged   = "unchanged"   // written byte for byte as read: nothing to change
	StatusQuarantined = "quarantined" // not written: could not be processed safely
	StatusFailed      = "failed"      // processed, but the write failed
)

// Change is one redaction.
type Change struct {
	// Part names where the change is ("body", "word/document.xml", "page 2").
	Part string `json:"part"`
	Page int    `json:"page,omitempty"`
	// Start and End locate the replacement in the OUTPUT part's text (byte
	// offsets), so they reveal nothing about the length of the original.
	Start       int     `json:"start"`
	End         int     `json:"end"`
	Entity      string  `json:"entity"`
	Rule        string  `json:"rule"`
	Score       float64 `json:"score"`
	Action      string  `json:"action"`
	Replacement string  `json:"replacement"`
	Basis       string  `json:"basis"`
	// Bates is the production number of the page, when Bates numbering is on.
	Bates string `json:"bates,omitempty"`
	// Category and Reason say in plain language what was redacted and
	// what was done ("Social Security number", "last four digits shown"):
	// the profile rule's log wording (profiles.LogText), or a deny list's.
	// Location says where a reader finds it in the output ("page 3",
	// "paragraph 12", "message header (To)"). The redaction log shows
	// these; the codes above stay in report.json.
	Category string `json:"category,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Location string `json:"location,omitempty"`
	// Privileged marks a change that withholds privileged material; its
	// document goes in the privilege log. Privilege names the privilege
	// asserted, when known.
	Privileged bool   `json:"privileged,omitempty"`
	Privilege  string `json:"privilege,omitempty"`
}

// LogText returns the change as the redaction log words it:
// "Social Security number — last four digits shown". Records written
// before the wording existed fall back to fallback(entity).
func (c Change) LogText(fallback func(entity string) string) string {
	cat := c.Category
	if cat == "" && fallback != nil {
		cat = fallback(c.Entity)
	}
	if c.Reason == "" {
		return cat
	}
	return cat + " — " + c.Reason
}

// File is the record of one source object.
type File struct {
	// Key is the output key. When the source key held identifying words
	// they are replaced (KeyRedacted) so the report does not leak them.
	Key         string `json:"key"`
	KeyRedacted bool   `json:"key_redacted,omitempty"`
	Format      string `json:"format,omitempty"`
	Status      string `json:"status"`
	// Reason is a stable code for quarantined and failed files; Detail is
	// a message that never contains document text.
	Reason string `json:"reason,omitempty"`
	Detail string `json:"detail,omitempty"`
	Bytes  int64  `json:"bytes"`
	// Found counts findings per entity, changed or not (an age under 90
	// is found and kept); Entities counts the changes.
	Found    map[string]int `json:"found,omitempty"`
	Entities map[string]int `json:"entities,omitempty"`
	Actions  map[string]int `json:"actions,omitempty"`
	// Notes are facts about the file the reader must know (content not
	// inspected, such as images); never document text.
	Notes []string `json:"notes,omitempty"`
	// Bates is the range of production numbers stamped on the file's pages
	// ("ABC000001–ABC000012", or "ABC000007" for one page), when Bates
	// numbering is on.
	Bates string `json:"bates,omitempty"`
	// Pages is the page count of a paged output.
	Pages int `json:"pages,omitempty"`
	// Date is the document's date for the privilege log (2024-03-14, or
	// 2024-03, or 2024, as far as it is known), from its metadata or its
	// first dated line; only for documents with privileged changes, and
	// only when the profile keeps dates (then it is no secret).
	Date string `json:"date,omitempty"`
	// Production is where the file went in a production volume
	// (--production), and the numbers of its load-file row.
	Production *Production `json:"production,omitempty"`
	// Review says what a reviewer's decisions (veil run --decisions) did
	// to this file; nil without decisions.
	Review  *FileReview `json:"review,omitempty"`
	Changes []Change    `json:"changes,omitempty"`
	// StillIdentify lists, by place and kind and never by value, what the
	// output still says that a reader who knows the person's world could
	// recognise her by (a rare occupation, a small place, a named event):
	// the supervision and research profiles leave it for a person to
	// judge (pipeline/residual.go).
	StillIdentify []Residual `json:"could_still_identify,omitempty"`
}

// Residual is one detail of an output that could still identify someone.
type Residual struct {
	// Kind is what the detail is: "rare occupation", "small place",
	// "population of a place", "named event", "vessel", "media mention",
	// "public office", "unusual family fact".
	Kind string `json:"kind"`
	// Part and Location are where it is in the source (as in Change).
	Part     string `json:"part"`
	Location string `json:"location,omitempty"`
}

// FileReview counts what a reviewer's decisions did to one file, in
// findings (occurrences), never values.
type FileReview struct {
	// Reviewed: the reviewer marked the file as reviewed.
	Reviewed bool `json:"reviewed"`
	// Accepted counts changes made as planned that the reviewer accepted;
	// Rejected the findings left in place because the reviewer rejected
	// them; Added the changes made because the reviewer added them.
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Added    int `json:"added"`
	// Changed: the file is not the one reviewed (its content changed), so
	// only the reviewer's additions and case-wide decisions applied.
	Changed bool `json:"changed,omitempty"`
}

// Review summarises the decisions file a run applied.
type Review struct {
	// Reviewer is who made the decisions (--reviewer, or the name the
	// decisions file holds).
	Reviewer string `json:"reviewer,omitempty"`
	// Accepted, Rejected and Added count the reviewer's decisions (one
	// decision covers a value wherever it occurs in its document, or in
	// the case); Stale those that did not apply to any file of this run.
	Accepted int `json:"accepted"`
	Rejected int `json:"rejected"`
	Added    int `json:"added"`
	Stale    int `json:"stale"`
	// Documents counts the documents of the decisions file, Reviewed
	// those marked reviewed.
	Documents int `json:"documents"`
	Reviewed  int `json:"reviewed"`
}

// Privileged reports whether any change of f withholds privileged
// material.
func (f *File) Privileged() bool {
	for _, c := range f.Changes {
		if c.Privileged {
			return true
		}
	}
	return false
}

// BatesRange returns the first and last production numbers of f ("" when
// it has none).
func (f *File) BatesRange() (first, last string) {
	if f.Bates == "" {
		return "", ""
	}
	first, last, ok := strings.Cut(f.Bates, BatesRangeSep)
	if !ok {
		last = first
	}
	return first, last
}

// BatesRangeSep joins the first and last numbers of File.Bates.
const BatesRangeSep = "–"

// Totals summarise a run.
type Totals struct {
	Files       int            `json:"files"`
	Redacted    int            `json:"redacted"`
	Unchanged   int            `json:"unchanged"`
	Quarantined int            `json:"quarantined"`
	Failed      int            `json:"failed"`
	Bytes       int64          `json:"bytes"`
	Redactions  int            `json:"redactions"`
	Found       map[string]int `json:"found,omitempty"`
	Entities    map[string]int `json:"entities"`
	Actions     map[string]int `json:"actions"`
	Reasons     map[string]int `json:"reasons,omitempty"`
	// Logged counts the redactions by their log wording ("Social
	// Security number — last four digits shown").
	Logged map[string]int `json:"logged,omitempty"`
	// Numbered counts the files with Bates numbers; Privileged the
	// files with privileged changes (entries of the privilege log).
	Numbered   int `json:"numbered,omitempty"`
	Privileged int `json:"privileged,omitempty"`
}

// NotWritten returns how many files were not written.
func (t Totals) NotWritten() int { return t.Quarantined + t.Failed }

// Meta describes the run.
type Meta struct {
	Tool     string    `json:"tool"`
	Version  string    `json:"version"`
	Command  string    `json:"command"`
	DryRun   bool      `json:"dry_run,omitempty"`
	Profile  string    `json:"profile"`
	Source   string    `json:"source"`
	Dest     string    `json:"dest,omitempty"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Notices are statements the reader must see (e.g. that the output is
	// pseudonymised, not anonymous).
	Notices []string `json:"notices,omitempty"`
	// Categories are the headings of the profile's rule (HIPAA Safe
	// Harbor (A)–(R)); the report counts per category what was found and
	// what was changed.
	Categories []Category `json:"-"`
	// Shard is "i/n" for one part of a sharded run; Parts is the number of
	// parts a merged report joins. Attempts counts the attempts of a
	// resumed run.
	Shard    string `json:"shard,omitempty"`
	Parts    int    `json:"parts,omitempty"`
	Attempts int    `json:"attempts,omitempty"`
	// Review summarises the reviewer's decisions the run applied
	// (--decisions); nil without.
	Review *Review `json:"review,omitempty"`
}

// Category is a group of entities the report counts together.
type Category struct {
	ID, Name, Basis string
	Entities        []string
	// Note says what to check by hand; categories without entities cannot
	// be detected in text.
	Note string
}

// CategoryCount is a category with its counts, as report.json has it.
type CategoryCount struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Basis    string   `json:"basis"`
	Entities []string `json:"entities"`
	// Detectable is false for categories Veil cannot find in text.
	Detectable bool   `json:"detectable"`
	Found      int    `json:"found"`
	Removed    int    `json:"removed"`
	Note       string `json:"note,omitempty"`
}

// Count returns the categories with the counts of t.
func (t Totals) Count(cs []Category) []CategoryCount {
	out := make([]CategoryCount, 0, len(cs))
	for _, c := range cs {
		cc := CategoryCount{ID: c.ID, Name: c.Name, Basis: c.Basis, Entities: append([]string{}, c.Entities...), Detectable: len(c.Entities) > 0, Note: c.Note}
		for _, e := range c.Entities {
			cc.Found += t.Found[e]
			cc.Removed += t.Entities[e]
		}
		out = append(out, cc)
	}
	return out
}

// Builder collects file records. Add is safe for concurrent use; records
// appear in the report in the order they were added.
type Builder struct {
	mu     sync.Mutex
	spool  *os.File
	enc    *json.Encoder
	buf    *bufio.Writer
	rows   *rowSpool // the log's and report.md's rows (reportrows.go)
	totals Totals
	err    error
}

// NewBuilder starts a report. Close releases the spool file.
func NewBuilder() (*Builder, error) {
	f, err := os.CreateTemp("", "veil-report-*.jsonl")
	if err != nil {
		return nil, fmt.Errorf("report: spool: %w", err)
	}
	rows, err := newRowSpool()
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 1<<16)
	return &Builder{
		spool: f, buf: buf, enc: json.NewEncoder(buf), rows: rows,
		totals: Totals{Found: map[string]int{}, Entities: map[string]int{}, Actions: map[string]int{}, Reasons: map[string]int{}, Logged: map[string]int{}},
	}, nil
}

// Add records one file.
func (b *Builder) Add(f File) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := &b.totals
	t.Files++
	t.Bytes += f.Bytes
	switch f.Status {
	case StatusRedacted:
		t.Redacted++
	case StatusUnchanged:
		t.Unchanged++
	case StatusQuarantined:
		t.Quarantined++
	case StatusFailed:
		t.Failed++
	}
	if f.Reason != "" {
		t.Reasons[f.Reason]++
	}
	for e, n := range f.Found {
		t.Found[e] += n
	}
	for e, n := range f.Entities {
		t.Entities[e] += n
		t.Redactions += n
	}
	for a, n := range f.Actions {
		t.Actions[a] += n
	}
	for _, c := range f.Changes {
		t.Logged[c.LogText(entityWords)]++
	}
	if f.Bates != "" {
		t.Numbered++
	}
	if f.Privileged() {
		t.Privileged++
	}
	if b.err == nil {
		b.err = b.enc.Encode(f)
	}
	if b.err == nil {
		b.err = b.rows.add(&f)
	}
}

// Totals returns the totals so far.
func (b *Builder) Totals() Totals {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.totals
	t.Found, t.Entities, t.Actions, t.Reasons, t.Logged = copyMap(t.Found), copyMap(t.Entities), copyMap(t.Actions), copyMap(t.Reasons), copyMap(t.Logged)
	return t
}

func copyMap(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Close removes the spool files.
func (b *Builder) Close() error {
	b.spool.Close()
	err := os.Remove(b.spool.Name())
	if rerr := b.rows.close(); err == nil {
		err = rerr
	}
	return err
}

// eachRows streams the rows rendered for each record (rowSpool), in
// order.
func (b *Builder) eachRows(fn func(*recordRows) error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return fmt.Errorf("report: spool: %w", b.err)
	}
	if err := b.rows.w.Flush(); err != nil {
		return fmt.Errorf("report: spool: %w", err)
	}
	return b.rows.read(fn)
}

// each streams the spooled records in order, decoded.
func (b *Builder) each(fn func(raw []byte, f *File) error) error {
	return b.scan(func(raw []byte) error {
		var f File
		if err := json.Unmarshal(raw, &f); err != nil {
			return fmt.Errorf("report: spool: %w", err)
		}
		return fn(raw, &f)
	})
}

// scan streams the spooled records in order, as they are spooled (JSON,
// one line each): decoding a record, its changes most, is most of the
// cost of reading the spool, and report.json copies them as they are.
func (b *Builder) scan(fn func(raw []byte) error) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.err != nil {
		return fmt.Errorf("report: spool: %w", b.err)
	}
	if err := b.buf.Flush(); err != nil {
		return fmt.Errorf("report: spool: %w", err)
	}
	r, err := os.Open(b.spool.Name())
	if err != nil {
		return fmt.Errorf("report: spool: %w", err)
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<30)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// WriteJSON writes report.json.
func (b *Builder) WriteJSON(w io.Writer, m Meta) error {
	bw := bufio.NewWriter(w)
	t := b.Totals()
	head := struct {
		Schema string `json:"schema"`
		Meta
		Totals     Totals          `json:"totals"`
		Categories []CategoryCount `json:"categories,omitempty"`
	}{Schema, m, t, t.Count(m.Categories)}
	hb, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return err
	}
	// Stream the files array into the object: drop the closing brace.
	bw.Write(hb[:len(hb)-2])
	bw.WriteString(",\n  \"files\": [")
	first := true
	err = b.scan(func(raw []byte) error {
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n    ")
		_, err := bw.Write(raw)
		return err
	})
	if err != nil {
		return err
	}
	if !first {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

// entityWords words a change recorded before changes carried their log
// wording (a journal of an earlier version): neutral, never a code.
func entityWords(string) string { return "Redacted information" }

// CSVHeader is the header of redaction-log.csv: the columns of a court
// redaction log, in the words of the people who read it.
var CSVHeader = []string{"Document", "Bates range", "Bates number", "Page", "Location", "Category", "Reason", "Basis", "Shown as"}

// Removed is what the log's "Shown as" column says of a value removed
// without a replacement.
const Removed = "(removed)"

// WriteCSV writes redaction-log.csv: one row per redaction, no values.
// Veil's codes (entities, actions, part names) stay in report.json.
func (b *Builder) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	// The rows were rendered by Add (rowSpool): no record is decoded.
	err := b.eachRows(func(r *recordRows) error {
		_, err := bw.Write(r.csv)
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// MaxMarkdownRows caps the per-file table of report.md; report.json has all.
const MaxMarkdownRows = 2000

// writeMarkdownHead writes report.md from its title to the categories:
// everything before the per-file sections.
func writeMarkdownHead(bw *bufio.Writer, t Totals, m Meta) {
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	title := "Veil report"
	if m.DryRun {
		title += " (dry run: nothing written)"
	}
	p("# %s\n\n", title)
	p("| | |\n|---|---|\n")
	p("| profile | %s |\n| source | %s |\n", mdCell(m.Profile), mdCell(m.Source))
	if m.Dest != "" {
		p("| destination | %s |\n", mdCell(m.Dest))
	}
	p("| started | %s |\n| finished | %s |\n| veil | %s |\n\n", m.Started.UTC().Format(time.RFC3339), m.Finished.UTC().Format(time.RFC3339), mdCell(m.Version))
	for _, n := range m.Notices {
		p("> **Note:** %s\n\n", n)
	}
	if r := m.Review; r != nil {
		who := "a reviewer"
		if r.Reviewer != "" {
			who = mdCell(r.Reviewer)
		}
		p("## Review\n\nReviewed by %s: %d of %d documents marked reviewed; decisions applied: %d accepted, %d rejected, %d added", who, r.Reviewed, r.Documents, r.Accepted, r.Rejected, r.Added)
		if r.Stale > 0 {
			p("; **%d not applied** (the value is no longer there, or the file changed since the review)", r.Stale)
		}
		p(".\n\n")
	}
	p("## Totals\n\n")
	p("| files | redacted | unchanged | quarantined | write failed | redactions |\n|---:|---:|---:|---:|---:|---:|\n")
	p("| %d | %d | %d | %d | %d | %d |\n\n", t.Files, t.Redacted, t.Unchanged, t.Quarantined, t.Failed, t.Redactions)
	if len(t.Logged) > 0 {
		p("### Redactions by category\n\n| category | count |\n|---|---:|\n")
		for _, k := range sortedKeys(t.Logged) {
			p("| %s | %d |\n", mdCell(k), t.Logged[k])
		}
		p("\n")
	}
	if t.Privileged > 0 {
		p("%s withholding privileged material: see privilege-log.csv (and .md, .docx); complete the entries marked %s before serving it.\n\n", plural(t.Privileged, "document"), ToComplete)
	}
	if len(m.Categories) > 0 {
		p("## Categories\n\nFound: occurrences of the category's entities. Removed: replaced or generalised as the profile says (an age under 90 is found and kept).\n\n")
		p("| | category | found | removed | basis |\n|---|---|---:|---:|---|\n")
		var manual []CategoryCount
		for _, c := range t.Count(m.Categories) {
			if !c.Detectable {
				p("| %s | %s | — | — | %s |\n", mdCell(c.ID), mdCell(c.Name), mdCell(c.Basis))
				manual = append(manual, c)
				continue
			}
			p("| %s | %s | %d | %d | %s |\n", mdCell(c.ID), mdCell(c.Name), c.Found, c.Removed, mdCell(c.Basis))
		}
		p("\n")
		if len(manual) > 0 {
			p("**Check by hand** — Veil cannot detect these in text:\n\n")
			for _, c := range manual {
				p("- (%s) %s: %s\n", mdCell(c.ID), mdCell(c.Name), mdCell(c.Note))
			}
			p("\n")
		}
	}
}

// WriteMarkdown writes report.md.
func (b *Builder) WriteMarkdown(w io.Writer, m Meta) error {
	t := b.Totals()
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	writeMarkdownHead(bw, t, m)
	if t.NotWritten() > 0 {
		p("## Files not written\n\nThese files were **not** written to the destination. Handle them by hand or fix the cause and run again.\n\n")
		p("| file | reason | detail |\n|---|---|---|\n")
		err := b.eachRows(func(r *recordRows) error {
			_, err := bw.Write(r.notWritten)
			return err
		})
		if err != nil {
			return err
		}
		p("\n")
	}
	// One reading of the rows Add rendered (rowSpool) for the two tables
	// that follow, each held to MaxMarkdownRows rows until it is written.
	var still, files bytes.Buffer
	stillRows, rows := 0, 0
	err := b.eachRows(func(r *recordRows) error {
		for _, row := range r.still {
			if stillRows++; stillRows <= MaxMarkdownRows {
				still.Write(row)
			}
		}
		rows++
		if rows > MaxMarkdownRows {
			return nil
		}
		if t.Numbered > 0 {
			files.Write(r.fileBates)
			return nil
		}
		files.Write(r.file)
		return nil
	})
	if err != nil {
		return err
	}
	return writeMarkdownTail(bw, t, still.Bytes(), files.Bytes(), stillRows, rows)
}

// writeMarkdownTail writes the could-still-identify and file tables of
// report.md from their rendered rows (each held to MaxMarkdownRows) and
// the counts of all rows, and flushes bw.
func writeMarkdownTail(bw *bufio.Writer, t Totals, still, files []byte, stillRows, rows int) error {
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	if stillRows > 0 {
		p("## Could still identify\n\nThese details are left in the output as the profile says, but a reader who knows the person's world could recognise her by them. Read each place and generalise or remove what identifies (a deny list, or veil review); the values are not repeated here.\n\n")
		p("| file | where | kind |\n|---|---|---|\n")
		bw.Write(still)
	}
	if stillRows > MaxMarkdownRows {
		p("\n%d more: see could_still_identify in report.json.\n", stillRows-MaxMarkdownRows)
	}
	if stillRows > 0 {
		p("\n")
	}
	if t.Numbered > 0 {
		p("## Files\n\n| file | Bates range | format | status | redactions |\n|---|---|---|---|---:|\n")
	} else {
		p("## Files\n\n| file | format | status | redactions |\n|---|---|---|---:|\n")
	}
	bw.Write(files)
	if rows > MaxMarkdownRows {
		p("\n%d more files: see report.json.\n", rows-MaxMarkdownRows)
	}
	return bw.Flush()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// mdCell makes s one cell of a Markdown table row.
func mdCell(s string) string { return mdCells.Replace(s) }

var mdCells = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ")

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
