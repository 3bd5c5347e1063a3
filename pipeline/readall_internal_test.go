package pipeline

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// readAll gives what io.ReadAll over a LimitReader gives, whatever size
// the listing claimed (right, too small, too large, unknown) and however
// the reader splits its reads.
func FuzzReadAll(f *testing.F) {
	f.Add([]byte("Orsolya Quillanby"), int64(17), int64(100), false)
	f.Add([]byte("Orsolya Quillanby"), int64(3), int64(100), true)
	f.Add([]byte("Orsolya Quillanby"), int64(40), int64(10), false)
	f.Add([]byte(""), int64(0), int64(1), false)
	f.Add([]byte("x"), int64(-1), int64(1), true)
	f.Fuzz(func(t *testing.T, data []byte, size, limit int64, oneByte bool) {
		if limit <= 0 || limit > 1<<16 || size > 1<<16 {
			return
		}
		var r io.Reader = bytes.NewReader(data)
		if oneByte {
			r = iotest.OneByteReader(r)
		}
		got, err := readAll(r, size, limit)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := io.ReadAll(io.LimitReader(bytes.NewReader(data), limit))
		if !bytes.Equal(got, want) {
			t.Fatalf("size %d limit %d: got %q, want %q", size, limit, got, want)
		}
	})
}

// A read error is returned, not taken for the end.
func TestReadAllError(t *testing.T) {
	boom := errors.New("boom")
	_, err := readAll(io.MultiReader(bytes.NewReader([]byte("Tamsin")), iotest.ErrReader(boom)), 6, 100)
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
}
