package pipeline

import (
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/redactors/pdf"
	"github.com/veilhq/veil/redactors/text"
)

// keptInputs hands bytes over only for the object they were read as, only
// for analyses the second pass can take, only if they are still the bytes
// analysed, and within keptMax.
func TestKeptInputs(t *testing.T) {
	data := []byte("Orsolya Quillanby, SSN 536-21-4478.\n")
	obj := storage.Object{Key: "a.txt", Size: int64(len(data)), ETag: "e1"}
	doc := func(b []byte) *Doc { return &Doc{SourceKey: "a.txt", sum: sha256.Sum256(b), format: text.Plain()} }
	var k keptInputs
	k.put(obj, data, "text/plain", doc(data))
	if got, ct, ok := k.take(obj); !ok || string(got) != string(data) || ct != "text/plain" {
		t.Fatalf("take: %q %q %v", got, ct, ok)
	}
	if _, _, ok := k.take(obj); ok {
		t.Fatal("taken twice")
	}
	// takeSum hands over the sum put computed of the bytes, the analysis's.
	k.put(obj, data, "text/plain", doc(data))
	if got, _, sum, ok := k.takeSum(obj); !ok || string(got) != string(data) || sum != sha256.Sum256(data) {
		t.Fatalf("takeSum: %q %x %v", got, sum, ok)
	}
	if k.bytes != 0 {
		t.Fatalf("%d bytes counted after take", k.bytes)
	}
	for name, o := range map[string]storage.Object{
		"other ETag": {Key: "a.txt", Size: obj.Size, ETag: "e2"},
		"other size": {Key: "a.txt", Size: obj.Size + 1, ETag: "e1"},
	} {
		k.put(obj, data, "", doc(data))
		if _, _, ok := k.take(o); ok {
			t.Errorf("%s: taken", name)
		}
		if k.bytes != 0 {
			t.Errorf("%s: %d bytes left counted", name, k.bytes)
		}
	}
	refused := map[string]func(){
		"no ETag":      func() { k.put(storage.Object{Key: "a.txt", Size: obj.Size}, data, "", doc(data)) },
		"not the sum":  func() { k.put(obj, []byte("Tamsin Everard, SSN 536-21-4478.\n"), "", doc(data)) },
		"not text":     func() { k.put(obj, data, "", &Doc{SourceKey: "a.txt", sum: sha256.Sum256(data), format: pdf.Format{}}) },
		"failed":       func() { d := doc(data); d.err = errors.New("parse failed"); k.put(obj, data, "", d) },
		"over the cap": func() { big := make([]byte, keptMax+1); k.put(obj, big, "", doc(big)) },
	}
	for name, put := range refused {
		put()
		if len(k.m) != 0 || k.bytes != 0 {
			t.Errorf("%s: kept (%d bytes)", name, k.bytes)
		}
		k.m, k.bytes = nil, 0
	}
}
