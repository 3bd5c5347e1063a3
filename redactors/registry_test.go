package redactors

import (
	"io"
	"testing"
)

type fakeFormat struct{ name string }

func (f fakeFormat) Name() string                        { return f.name }
func (f fakeFormat) Extensions() []string                { return []string{".docx", ".DOTX"} }
func (f fakeFormat) Parse(data []byte) (Document, error) { return nil, io.EOF }

// TestRegistryWith: With adds formats that win their extensions, and
// leaves the registry it was called on as it was.
func TestRegistryWith(t *testing.T) {
	base := NewRegistry(fakeFormat{"old"})
	r := base.With(fakeFormat{"new"})
	for _, k := range []string{"a.docx", "b.dotx"} {
		if f, ok := r.ForKey(k); !ok || f.Name() != "new" {
			t.Errorf("%s: %v", k, f)
		}
		if f, _ := base.ForKey(k); f.Name() != "old" {
			t.Errorf("base changed for %s", k)
		}
	}
}
