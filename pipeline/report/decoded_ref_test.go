package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// The writers as they were before rowSpool: every record decoded from
// the JSON spool (TestRowsMatchDecoded compares).

func (b *Builder) writeCSVDecoded(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	err := b.scan(func(raw []byte) error {
		// Only the fields the log shows are decoded (csvFile): a
		// record's counts, scores, offsets and rules were most of the
		// decoding of a whole File (0.45 CPU s of a 20 MB run's report).
		var f csvFile
		if err := json.Unmarshal(raw, &f); err != nil {
			return fmt.Errorf("report: spool: %w", err)
		}
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

// csvFile is what redaction-log.csv shows of a File: its fields of these
// names (the same JSON names, so a spooled File decodes into it).
type csvFile struct {
	Key     string      `json:"key"`
	Bates   string      `json:"bates"`
	Changes []csvChange `json:"changes"`
}

// csvChange is what redaction-log.csv shows of a Change.
type csvChange struct {
	Part        string `json:"part"`
	Page        int    `json:"page"`
	Entity      string `json:"entity"`
	Replacement string `json:"replacement"`
	Basis       string `json:"basis"`
	Bates       string `json:"bates"`
	Category    string `json:"category"`
	Reason      string `json:"reason"`
	Location    string `json:"location"`
}

// mdFile is what report.md shows of a File: its fields of these names.
type mdFile struct {
	Key           string         `json:"key"`
	Format        string         `json:"format"`
	Status        string         `json:"status"`
	Bates         string         `json:"bates"`
	Entities      map[string]int `json:"entities"`
	Notes         []string       `json:"notes"`
	StillIdentify []Residual     `json:"could_still_identify"`
}

// WriteMarkdown writes report.md.
func (b *Builder) writeMarkdownDecoded(w io.Writer, m Meta) error {
	t := b.Totals()
	bw := bufio.NewWriter(w)
	p := func(format string, a ...any) { fmt.Fprintf(bw, format, a...) }
	writeMarkdownHead(bw, t, m)
	if t.NotWritten() > 0 {
		p("## Files not written\n\nThese files were **not** written to the destination. Handle them by hand or fix the cause and run again.\n\n")
		p("| file | reason | detail |\n|---|---|---|\n")
		err := b.each(func(_ []byte, f *File) error {
			if f.Status == StatusQuarantined || f.Status == StatusFailed {
				p("| %s | %s | %s |\n", mdCell(f.Key), f.Reason, mdCell(f.Detail))
			}
			return nil
		})
		if err != nil {
			return err
		}
		p("\n")
	}
	// One reading of the spool for the two tables that follow, each
	// held to MaxMarkdownRows rows until it is written, and each record
	// decoded without its changes (mdFile), which these tables do not show.
	var still, files bytes.Buffer
	stillRows, rows := 0, 0
	err := b.scan(func(raw []byte) error {
		var f mdFile
		if err := json.Unmarshal(raw, &f); err != nil {
			return fmt.Errorf("report: spool: %w", err)
		}
		for _, r := range f.StillIdentify {
			if stillRows++; stillRows <= MaxMarkdownRows {
				where := r.Part
				if r.Location != "" {
					where = r.Location
				}
				fmt.Fprintf(&still, "| %s | %s | %s |\n", mdCell(f.Key), mdCell(where), mdCell(r.Kind))
			}
		}
		rows++
		if rows > MaxMarkdownRows {
			return nil
		}
		n := 0
		for _, v := range f.Entities {
			n += v
		}
		status := f.Status
		if len(f.Notes) > 0 {
			// The notes name parts and PDF keys: report.json has them.
			status += " — " + plural(len(f.Notes), "note") + " on metadata and hidden content (report.json)"
		}
		if t.Numbered > 0 {
			bates := f.Bates
			if bates == "" {
				bates = "—"
			}
			fmt.Fprintf(&files, "| %s | %s | %s | %s | %d |\n", mdCell(f.Key), mdCell(bates), f.Format, status, n)
			return nil
		}
		fmt.Fprintf(&files, "| %s | %s | %s | %d |\n", mdCell(f.Key), f.Format, status, n)
		return nil
	})
	if err != nil {
		return err
	}
	return writeMarkdownTail(bw, t, still.Bytes(), files.Bytes(), stillRows, rows)
}
