package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// ToComplete marks a privilege-log field that Veil cannot know (author,
// recipients) or did not find (a date): the paralegal fills it in before
// the log is served.
const ToComplete = "[to be completed]"

// PrivilegeEntry is one entry of the privilege log (FRCP 26(b)(5)(A)):
// a document produced with privileged material withheld, described so
// that the other side can assess the claim without learning what is
// withheld.
type PrivilegeEntry struct {
	Number     int
	Bates      string // "ACME000004–ACME000006", or the document's name when it has no number
	Document   string
	Date       string
	Type       string
	Author     string
	Recipients string
	Privilege  string
	// Description says what kind of document it is and the nature of
	// what is withheld, from the log wording of its privileged changes,
	// never their content.
	Description string
	// Withheld says how much: "redacted in part (3 passages; pages 1, 2)".
	Withheld string
}

// PrivilegeHeader is the header of privilege-log.csv.
var PrivilegeHeader = []string{"Entry", "Bates range", "Document", "Date", "Document type", "Author", "Recipients", "Privilege asserted", "Description", "Withheld"}

func (e PrivilegeEntry) row() []string {
	return []string{strconv.Itoa(e.Number), e.Bates, e.Document, e.Date, e.Type, e.Author, e.Recipients, e.Privilege, e.Description, e.Withheld}
}

// documentTypes words the formats for the privilege log's document type.
var documentTypes = map[string]string{
	"pdf":      "PDF document",
	"docx":     "Word document",
	"email":    "Email",
	"mbox":     "Email archive",
	"msg":      "Email",
	"text":     "Text document",
	"markdown": "Text document",
	"images":   "Image",
}

// DocumentType words format f for a log ("Word document").
func DocumentType(format string) string {
	if t, ok := documentTypes[format]; ok {
		return t
	}
	return ToComplete
}

// privilegeEntry builds f's entry, or false when f withholds nothing
// privileged.
func privilegeEntry(f *File, n int) (PrivilegeEntry, bool) {
	if !f.Privileged() {
		return PrivilegeEntry{}, false
	}
	e := PrivilegeEntry{Number: n, Document: f.Key, Date: f.Date, Type: DocumentType(f.Format), Author: ToComplete, Recipients: ToComplete}
	if e.Date == "" {
		e.Date = ToComplete
	}
	e.Bates = f.Bates
	if e.Bates == "" {
		e.Bates = "—"
	}
	privs, reasons := map[string]bool{}, map[string]bool{}
	unnamed := false
	pages := map[int]bool{}
	count := 0
	for _, c := range f.Changes {
		if !c.Privileged {
			continue
		}
		count++
		if c.Privilege == "" {
			// The profile's generic rule: its reason ("privileged
			// material withheld; see the privilege log") describes
			// nothing; the paralegal says what the privilege covers.
			unnamed = true
		} else {
			privs[c.Privilege] = true
			if c.Reason != "" {
				reasons[c.Reason] = true
			}
		}
		if c.Page > 0 {
			pages[c.Page] = true
		}
	}
	names := sortedSet(privs)
	if unnamed {
		names = append(names, ToComplete)
	}
	e.Privilege = strings.Join(names, "; ")
	what := sortedSet(reasons)
	if unnamed {
		what = append(what, "privileged material (nature "+ToComplete+")")
	}
	e.Description = e.Type + " containing " + strings.Join(what, "; ")
	e.Withheld = "redacted in part (" + plural(count, "passage")
	if len(pages) > 0 {
		var ps []int
		for p := range pages {
			ps = append(ps, p)
		}
		sort.Ints(ps)
		var s []string
		for _, p := range ps {
			s = append(s, strconv.Itoa(p))
		}
		label := "page "
		if len(s) > 1 {
			label = "pages "
		}
		e.Withheld += "; " + label + strings.Join(s, ", ")
	}
	e.Withheld += ")"
	return e, true
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// eachPrivileged calls fn with the privilege-log entry of every file that
// withholds privileged material, numbered in report order.
func (b *Builder) eachPrivileged(fn func(PrivilegeEntry) error) error {
	n := 0
	return b.each(func(_ []byte, f *File) error {
		if f.Status != StatusRedacted {
			return nil
		}
		e, ok := privilegeEntry(f, n+1)
		if !ok {
			return nil
		}
		n++
		return fn(e)
	})
}

// WritePrivilegeCSV writes privilege-log.csv.
func (b *Builder) WritePrivilegeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(PrivilegeHeader); err != nil {
		return err
	}
	if err := b.eachPrivileged(func(e PrivilegeEntry) error { return cw.Write(e.row()) }); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// privilegeTitle and privilegeNote open the Markdown and DOCX logs.
const (
	privilegeTitle = "Privilege Log"
	privilegeBasis = "Documents produced with privileged material withheld, described under Fed. R. Civ. P. 26(b)(5)(A)."
	privilegeNote  = "Prepared by Veil from the production. Complete every field marked " + ToComplete + " and review each description before serving this log."
)

// WritePrivilegeMarkdown writes privilege-log.md, for filing or editing.
func (b *Builder) WritePrivilegeMarkdown(w io.Writer, m Meta) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n%s\n\n> %s\n\n", privilegeTitle, privilegeBasis, privilegeNote)
	fmt.Fprintf(bw, "| %s |\n|%s\n", strings.Join(PrivilegeHeader, " | "), strings.Repeat("---|", len(PrivilegeHeader)))
	n := 0
	err := b.eachPrivileged(func(e PrivilegeEntry) error {
		n++
		cells := e.row()
		for i := range cells {
			cells[i] = mdCell(cells[i])
		}
		_, err := fmt.Fprintf(bw, "| %s |\n", strings.Join(cells, " | "))
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintf(bw, "\nNo document of this production withholds privileged material.\n")
	}
	return bw.Flush()
}

// WritePrivilegeDOCX writes privilege-log.docx: the same table in a Word
// document (landscape, a header row repeated on every page) that opens
// in Word and LibreOffice for the paralegal to complete.
func (b *Builder) WritePrivilegeDOCX(w io.Writer, m Meta) error {
	doc := newWordDoc()
	doc.heading(privilegeTitle)
	doc.para(privilegeBasis, false)
	doc.para(privilegeNote, true)
	rows := [][]string{PrivilegeHeader}
	err := b.eachPrivileged(func(e PrivilegeEntry) error {
		rows = append(rows, e.row())
		return nil
	})
	if err != nil {
		return err
	}
	if len(rows) == 1 {
		doc.para("No document of this production withholds privileged material.", false)
	} else {
		doc.table(rows, []int{5, 12, 12, 8, 9, 9, 9, 11, 16, 9})
	}
	return doc.write(w)
}
