package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/veilhq/veil/pipeline/storage"
)

// location is a parsed SOURCE or DEST argument.
type location struct {
	raw   string
	local *storage.Local
}

func parseLocation(arg, what string) (*location, error) {
	if strings.Contains(arg, "://") {
		return nil, withCode(exitFatal, fmt.Errorf("%s %q: only local folders are supported in this version", what, arg))
	}
	l, err := storage.NewLocal(arg)
	if err != nil {
		return nil, withCode(exitFatal, fmt.Errorf("%s: %w", what, err))
	}
	return &location{raw: arg, local: l}, nil
}

// checkSource requires an existing folder.
func (l *location) checkSource() error {
	info, err := os.Stat(l.local.Root())
	if err != nil {
		return withCode(exitFatal, fmt.Errorf("SOURCE %s: %w", l.raw, err))
	}
	if !info.IsDir() {
		return withCode(exitFatal, fmt.Errorf("SOURCE %s is a file; use `veil redact FILE` for one file", l.raw))
	}
	return nil
}

// inside reports whether a is b or lies inside b.
func inside(a, b string) bool {
	rel, err := filepath.Rel(b, a)
	return err == nil && (rel == "." || (!strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel)))
}

// checkDisjoint refuses a destination that overlaps the source: outputs
// must never overwrite originals, and the source walk must not read outputs.
func checkDisjoint(src, dst *location, what string) error {
	a, _ := filepath.EvalSymlinks(src.local.Root())
	if a == "" {
		a = src.local.Root()
	}
	b := dst.local.Root()
	if rb, err := filepath.EvalSymlinks(b); err == nil {
		b = rb
	}
	if inside(a, b) || inside(b, a) {
		return withCode(exitFatal, fmt.Errorf("%s %s overlaps SOURCE %s: choose a folder outside it (originals are never overwritten)", what, dst.raw, src.raw))
	}
	return nil
}
