package pipeline

import (
	"context"
	"testing"

	"github.com/veilhq/veil/profiles"
)

// planScan makes an engine of the built-in profile with a key made from
// key (a test phrase, not a secret), analyses and plans data as the file
// name, and fails the test when the analysis does. The OCR tests of
// verify and of the re-blanking start from it.
func planScan(t *testing.T, profile, name string, data []byte, key string) (*Engine, *Doc) {
	t.Helper()
	p, err := profiles.Load(profile)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := profiles.NewKeys([]byte(key))
	e, err := NewEngine(Options{Profile: p, Secrets: keys})
	if err != nil {
		t.Fatal(err)
	}
	d := e.Analyze(context.Background(), name, data)
	e.Plan(d)
	if d.err != nil {
		t.Fatalf("analyze: %v", d.err)
	}
	return e, d
}
