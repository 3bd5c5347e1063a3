package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
)

var _ redactors.IndependentReader = (*Document)(nil)

// PdftotextBudget is the time pdftotext may take over one file before the
// independent reading fails (and the file with it).
const PdftotextBudget = 2 * time.Minute

// IndependentText implements redactors.IndependentReader with poppler's
// pdftotext, a reader that shares no code with this package: its own
// parser, font handling (ToUnicode, encodings, embedded programs) and
// text layout, which orders words by their position on the page (its
// default, reading-order mode), not by the order the content draws them.
// The file goes to its standard input and the text comes back on its
// standard output (nothing is written to disk); it must finish within
// PdftotextBudget. Each page with text is a part, "page N (pdftotext)",
// normalised as Veil's page text is (normalisePoppler): white space runs
// folded to one space, a line that ends in a hyphen inside a word joined
// to the next, compatibility ligatures spelled out, so that the verify
// step compares readings, not typesetting.
//
// pdftotext reads what a PDF viewer shows and copies: the page content,
// forms, patterns and annotation appearances; it does not read the
// document's strings and streams that nothing shows, which the parse's
// "file objects" part and Leaks read. A missing pdftotext, a run over its
// budget or a failure on the file is an error (ErrUninspectable): what
// cannot be read again is not verified.
func (d *Document) IndependentText(data []byte) ([]redactors.Part, error) {
	ctx := d.stop
	if ctx == nil {
		ctx = context.Background()
	}
	out, err := runPdftotext(ctx, data)
	if err != nil {
		return nil, err
	}
	var parts []redactors.Part
	for i, page := range strings.Split(strings.ToValidUTF8(string(out), " "), "\f") {
		text := normalisePoppler(page)
		if strings.TrimSpace(text) == "" {
			continue
		}
		parts = append(parts, redactors.Part{Name: fmt.Sprintf("page %d (pdftotext)", i+1), Text: text, Page: i + 1})
	}
	return parts, nil
}

var pdftotext struct {
	once sync.Once
	path string
}

// runPdftotext returns pdftotext's reading of data (UTF-8, pages ended by
// form feeds).
func runPdftotext(ctx context.Context, data []byte) ([]byte, error) {
	pdftotext.once.Do(func() { pdftotext.path, _ = exec.LookPath("pdftotext") })
	if pdftotext.path == "" {
		return nil, fmt.Errorf("pdf: independent reading needs pdftotext (poppler-utils), which is not installed: %w", redactors.ErrUninspectable)
	}
	ctx, cancel := context.WithTimeout(ctx, PdftotextBudget)
	defer cancel()
	cmd := exec.CommandContext(ctx, pdftotext.path, "-q", "-enc", "UTF-8", "-eol", "unix", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	var out bytes.Buffer
	cmd.Stdout = &out
	// Its standard error can quote the file: it is not kept.
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("pdf: independent reading: pdftotext over its time budget of %s: %w", PdftotextBudget, redactors.ErrUninspectable)
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("pdf: independent reading: pdftotext fails on the file (exit code %d): %w", ee.ExitCode(), redactors.ErrUninspectable)
		}
		return nil, fmt.Errorf("pdf: independent reading: pdftotext does not run: %w", redactors.ErrUninspectable)
	}
	return out.Bytes(), nil
}

// normalisePoppler folds what differs between pdftotext's typesetting of
// a page and Veil's page text without being text: runs of white space
// within a line become one space and lines are trimmed (pdftotext pads
// columns), blank lines go, a line ending in a hyphen that follows a
// letter or a digit joins the next line when that starts with a letter
// or a digit (the hyphen dropped before a lower-case letter, kept
// otherwise: "Elli-"+"son", "Whitfield-"+"Barrett", "234-56-"+"7890",
// as Veil joins them), and the
// Unicode compatibility ligatures (U+FB00–FB06) are spelled out.
func normalisePoppler(page string) string {
	var lines []string
	for _, l := range strings.Split(page, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, ligatures.Replace(l))
		}
	}
	var b strings.Builder
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		for i+1 < len(lines) {
			j, ok := hyphenJoin(l, lines[i+1])
			if !ok {
				break
			}
			l = j
			i++
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// hyphenJoin joins line l, when it ends in a hyphen after a letter or a
// digit, to next (see normalisePoppler).
func hyphenJoin(l, next string) (string, bool) {
	if len(l) < 2 || !strings.HasSuffix(l, "-") {
		return "", false
	}
	prev, _ := utf8.DecodeLastRuneInString(l[:len(l)-1])
	first, _ := utf8.DecodeRuneInString(next)
	switch {
	case unicode.IsLetter(prev) && unicode.IsLower(first):
		return l[:len(l)-1] + next, true
	case unicode.IsLetter(prev) && unicode.IsUpper(first), unicode.IsDigit(prev) && unicode.IsDigit(first):
		return l + next, true
	}
	return "", false
}

var ligatures = strings.NewReplacer("\uFB00", "ff", "\uFB01", "fi", "\uFB02", "fl", "\uFB03", "ffi", "\uFB04", "ffl", "\uFB05", "st", "\uFB06", "st")
