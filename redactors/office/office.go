// Package office converts documents to PDF with LibreOffice, for the
// pages of a Bates-numbered production: a Word document has no pages of
// its own until a layout engine makes them.
//
// The converter is found at run time (soffice or libreoffice on PATH;
// scripts/setup installs Debian's libreoffice-writer-nogui). Every
// conversion runs in a fresh private folder (mode 0700) that holds the
// input under a neutral name, a LibreOffice user profile of its own
// (-env:UserInstallation), HOME and TMPDIR, and is removed afterwards, so
// that nothing of the document stays on disk and conversions can run side
// by side. Errors never carry LibreOffice's output.
package office

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/veilhq/veil/redactors"
)

// ErrNoConverter is the reason a document that must be converted is not
// written when LibreOffice is not installed.
var ErrNoConverter = &redactors.Reason{
	Code:    "no_converter",
	Message: "a Bates-numbered production needs Word documents as PDF pages, and LibreOffice (soffice) was not found: install it (scripts/setup installs libreoffice-writer-nogui) or run without --bates",
}

// ErrConversion is the reason for a document LibreOffice could not
// convert.
var ErrConversion = &redactors.Reason{
	Code:    "conversion_failed",
	Message: "LibreOffice could not convert the document to PDF",
}

// Timeout bounds one conversion.
var Timeout = 3 * time.Minute

// Converter runs LibreOffice. It is safe for concurrent use.
type Converter struct {
	path string
}

// Find returns the converter on PATH, or an error wrapping ErrNoConverter.
func Find() (*Converter, error) {
	for _, n := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(n); err == nil {
			return &Converter{path: p}, nil
		}
	}
	return nil, fmt.Errorf("office: %w", ErrNoConverter)
}

// Path returns the program the converter runs.
func (c *Converter) Path() string { return c.path }

// exportOptions turn off what the PDF would carry besides the pages:
// comments, bookmarks (heading texts as outlines), form fields and the
// structure tree. Veil's PDF reader removes them anyway; not making them
// is one place fewer where text can hide.
const exportOptions = `pdf:writer_pdf_Export:{` +
	`"ExportNotes":{"type":"boolean","value":"false"},` +
	`"ExportNotesPages":{"type":"boolean","value":"false"},` +
	`"ExportBookmarks":{"type":"boolean","value":"false"},` +
	`"ExportFormFields":{"type":"boolean","value":"false"},` +
	`"UseTaggedPDF":{"type":"boolean","value":"false"}}`

// ToPDF converts a document (ext names its format, ".docx") to PDF.
func (c *Converter) ToPDF(ctx context.Context, data []byte, ext string) (_ []byte, err error) {
	dir, err := os.MkdirTemp("", "veil-office-*") // mode 0700
	if err != nil {
		return nil, fmt.Errorf("office: temporary folder: %w", err)
	}
	defer func() {
		if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
			err = fmt.Errorf("office: remove temporary folder: %w", rerr)
		}
	}()
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("office: temporary folder: %w", err)
	}
	in := filepath.Join(dir, "document"+ext)
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("office: write input: %w", err)
	}
	home, tmp := filepath.Join(dir, "home"), filepath.Join(dir, "tmp")
	for _, d := range []string{home, tmp} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return nil, fmt.Errorf("office: temporary folder: %w", err)
		}
	}
	profile := (&url.URL{Scheme: "file", Path: filepath.Join(dir, "profile")}).String()
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.path, "-env:UserInstallation="+profile,
		"--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
		"--convert-to", exportOptions, "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+home, "TMPDIR="+tmp, "TMP="+tmp, "TEMP="+tmp)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out // kept from the error: it names files
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("office: conversion stopped after %s: %w", Timeout, ErrConversion)
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("office: exit status %d: %w", ee.ExitCode(), ErrConversion)
		}
		return nil, fmt.Errorf("office: cannot run LibreOffice: %w", ErrConversion)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "document.pdf"))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return nil, fmt.Errorf("office: no PDF written: %w", ErrConversion)
	}
	return pdf, nil
}
