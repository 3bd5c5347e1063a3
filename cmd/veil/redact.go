package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
)

func redactCommand() *cli.Command {
	return &cli.Command{
		Name:      "redact",
		Usage:     "redact one file, or text from stdin (-) to stdout",
		ArgsUsage: "FILE|-",
		Description: `Redacts one document. With -, reads UTF-8 text from stdin and writes the
redacted text to stdout. With FILE, writes to --output (text formats may
go to stdout). A summary goes to stderr; --report DIR also writes the full
report. Nothing is written when the file cannot be processed completely
(exit code 2).

Examples:
   echo "Call Maria Sandoval at (503) 555-0147" | veil redact -p supervision -
   veil redact -p court -o redacted.txt declaration.txt`,
		Flags: append(append(engineFlags(), batesFlags()...), quietFlag, maxSizeFlag,
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the redacted file to `FILE` (default stdout for text)"},
			&cli.StringFlag{Name: "format", Value: "txt", Usage: "format of stdin, as a file extension (txt, md)"},
			&cli.StringFlag{Name: "report", Usage: "also write report.json, report.md and redaction-log.csv to `DIR`"},
		),
		Action: doRedact,
	}
}

func doRedact(c *cli.Context) error {
	if err := needArgs(c, "FILE (or - for stdin)"); err != nil {
		return err
	}
	started := time.Now()
	arg := c.Args().First()
	eng, err := newEngine(c)
	if err != nil {
		return err
	}
	maxSize, err := maxFileSize(c)
	if err != nil {
		return err
	}
	key := filepath.Base(arg)
	in := io.Reader(os.Stdin)
	if arg == "-" {
		key = "stdin." + strings.TrimPrefix(c.String("format"), ".")
	}
	if f, ok := eng.Formats().ForKey(key); ok && c.String("output") == "" && f.Name() != "text" && f.Name() != "markdown" {
		// Said before the work, not after it.
		return usageError(c.Command, fmt.Sprintf("veil redact writes a %s file: give --output FILE", f.Name()))
	}
	if arg != "-" {
		f, err := os.Open(arg)
		if err != nil {
			// The file's name is not repeated: it may identify.
			return withCode(exitFatal, fmt.Errorf("read input: %s", problem(err)))
		}
		defer f.Close()
		in = f
	}
	// Never more than the limit in memory, whatever the input's size.
	data, err := io.ReadAll(io.LimitReader(in, maxSize+1))
	if err != nil {
		return withCode(exitFatal, fmt.Errorf("read input: %w", stripPathErr(err)))
	}
	if int64(len(data)) > maxSize {
		return withCode(exitNotWritten, fmt.Errorf("input larger than --%s %d bytes; nothing written", maxSizeFlag.Name, maxSize))
	}
	out, rec := eng.Redact(c.Context, key, data)
	if out != nil {
		if err := eng.saveMapping(); err != nil {
			return err
		}
	}

	if dir := c.String("report"); dir != "" {
		if err := redactReport(dir, eng, rec, started, arg); err != nil {
			return withCode(exitFatal, err)
		}
	}
	if out == nil {
		return withCode(exitNotWritten, fmt.Errorf("not redacted: %s (%s); nothing written", rec.Detail, rec.Reason))
	}
	if o := c.String("output"); o != "" {
		if want := filepath.Ext(rec.Key); !strings.EqualFold(want, filepath.Ext(o)) && strings.EqualFold(want, ".pdf") {
			// A Word document numbered with --bates is written as PDF.
			return withCode(exitNotWritten, fmt.Errorf("the output is a PDF (Bates numbers need pages): give --output FILE.pdf; nothing written"))
		}
		dst, err := storage.NewLocal(filepath.Dir(o))
		if err == nil {
			err = dst.Put(context.Background(), filepath.Base(o), strings.NewReader(string(out)), int64(len(out)), "")
		}
		if err != nil {
			return withCode(exitFatal, fmt.Errorf("write --output: %w", err))
		}
	} else {
		if rec.Format != "text" && rec.Format != "markdown" {
			return withCode(exitFatal, fmt.Errorf("%s output is binary: give --output FILE", rec.Format))
		}
		if _, err := c.App.Writer.Write(out); err != nil {
			return withCode(exitFatal, err)
		}
	}
	if !c.Bool(quietFlag.Name) {
		var parts []string
		for e, n := range rec.Entities {
			parts = append(parts, fmt.Sprintf("%s %d", e, n))
		}
		sort.Strings(parts)
		n := len(rec.Changes)
		if n == 0 {
			fmt.Fprintln(c.App.ErrWriter, "veil: nothing to redact")
		} else {
			fmt.Fprintf(c.App.ErrWriter, "veil: %d redactions (%s)\n", n, strings.Join(parts, ", "))
		}
	}
	return nil
}

func redactReport(dir string, eng *engine, rec report.File, started time.Time, src string) error {
	rb, err := report.NewBuilder()
	if err != nil {
		return err
	}
	defer rb.Close()
	rb.Add(rec)
	sink, err := storage.NewLocal(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(sink.Root(), 0o755); err != nil {
		return err
	}
	meta := report.Meta{Tool: "veil", Version: version(), Command: "redact", Profile: eng.Profile().Name,
		Source: rec.Key, Started: started, Finished: time.Now(), Notices: eng.notices(), Categories: eng.categories()}
	return writeReport(context.Background(), rb, meta, sink, "")
}

// stripPathErr drops the path from an OS error: a file name may identify.
func stripPathErr(err error) error {
	var pe *os.PathError
	if ok := asPathErr(err, &pe); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

func asPathErr(err error, pe **os.PathError) bool { return errors.As(err, pe) }
