package ocrtest

import (
	"os"
	"testing"

	"github.com/veilhq/veil/redactors/ocr"
)

// Require skips the test when Tesseract (with langs, none for the
// default) is not installed, and fails it under CI=true, where
// scripts/setup installs tesseract-ocr and a test that needs it must run.
func Require(t testing.TB, langs ...string) {
	t.Helper()
	if err := ocr.Default().Check(langs); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("OCR is required under CI (scripts/setup installs tesseract-ocr): %v", err)
		}
		t.Skipf("no OCR: %v", err)
	}
}
