// Command veil redacts and de-identifies case files: plain text, Markdown
// (DOCX and PDF to come) from a folder, with a profile for clinical
// supervision, court filings or research releases, and writes redacted
// copies plus a change report.
//
// main is the only place that exits; commands return errors that carry an
// exit code (exitError).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"
)

// Exit codes. Scripts rely on them; README.md documents them.
const (
	exitOK          = 0 // every file was processed and written (or scanned)
	exitFatal       = 1 // bad usage, bad profile, unreadable source, interrupted run
	exitNotWritten  = 2 // the run finished, but some files were quarantined or failed
	exitIdentifiers = 3 // `veil verify` found identifiers in outputs
)

// exitError is an error with an exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error { return &exitError{code, err} }

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func main() {
	err := newApp().RunContext(interrupts(), os.Args)
	code := exitCode(err)
	if err != nil && code != exitOK {
		fmt.Fprintln(os.Stderr, errorText(err))
	}
	os.Exit(code)
}

// interrupts returns the context of every command: the first SIGINT or
// SIGTERM cancels it, so that a run stops taking files, abandons the
// files in flight and writes its journal and report (veil run exits 1,
// and --resume continues); a second signal exits at once, with 128 + the
// signal's number (130 for SIGINT, 143 for SIGTERM), writing nothing more.
func interrupts() context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		fmt.Fprintf(os.Stderr, "veil: %s: stopping (the files in flight are abandoned, the journal and report written; a second signal exits at once)\n", signalName(s))
		cancel(fmt.Errorf("interrupted by %s", signalName(s)))
		s = <-sigs
		fmt.Fprintf(os.Stderr, "veil: %s again: exiting at once\n", signalName(s))
		code := exitFatal
		if n, ok := s.(syscall.Signal); ok {
			code = 128 + int(n)
		}
		os.Exit(code)
	}()
	return ctx
}

func signalName(s os.Signal) string {
	if s == syscall.SIGTERM {
		return "SIGTERM"
	}
	if s == os.Interrupt {
		return "SIGINT"
	}
	return s.String()
}

// errorText is what main prints for an error: "veil: " and the error,
// unless the error names the command itself ("veil run needs …").
func errorText(err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, "veil ") {
		return msg
	}
	return "veil: " + msg
}

// exitCode maps an error from a command to the process exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitFatal
}

func newApp() *cli.App {
	app := &cli.App{
		Name:    "veil",
		Usage:   "redact and de-identify case files",
		Version: version(),
		Description: `Veil finds names and identifiers in case files and writes redacted copies
in the same format, with a change report. A profile says what happens to
each kind of identifier (veil profiles list describes them):

` + profileSummaries() + `

Start with:
   veil run --profile supervision samples/cases out/

Aliases and pseudonyms that last across batches of a case: veil keygen
FILE, then --key-file FILE --mapping CASE.veilmap; veil reidentify
shows who an alias stands for, and which source file each output came
from, to whoever holds the key.

Files Veil cannot process completely (unsupported, corrupt, not UTF-8,
empty…) are never written: they are listed in the report with the reason,
and the exit code says so.

Exit codes:
   0  every file processed and written
   1  fatal: bad flags or profile, source unreadable, run interrupted
   2  run finished, but some files were not written (see the report)
   3  veil verify found identifiers in outputs`,
		Commands: []*cli.Command{
			runCommand(),
			scanCommand(),
			redactCommand(),
			verifyCommand(),
			reviewCommand(),
			profilesCommand(),
			keygenCommand(),
			reidentifyCommand(),
			evalCommand(),
			reportCommand(),
		},
		ExitErrHandler: func(*cli.Context, error) {}, // main decides the exit code
		// Values are file names and names ("Brennan, Walter"): never split
		// them at commas; repeat a flag instead.
		DisableSliceFlagSeparator: true,
		HideHelpCommand:           true,
	}
	installUsageHandlers(app)
	return app
}
