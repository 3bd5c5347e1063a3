package profiles

import (
	"bytes"
	"testing"
)

func TestCaseSnapshot(t *testing.T) {
	k, err := NewKeys(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []*Keys{nil, k} {
		c := NewCase()
		a := c.Alias(c.Link("PERSON", "maria sandoval"), "Person")
		b, err := c.Snapshot(key)
		if err != nil {
			t.Fatal(err)
		}
		if key != nil && bytes.Contains(b, []byte("sandoval")) {
			t.Fatal("sealed snapshot holds a name")
		}
		c2, err := LoadSnapshot(b, key)
		if err != nil {
			t.Fatal(err)
		}
		if got := c2.Alias(c2.Link("PERSON", "sandoval"), "Person"); got != a || !c2.Changed() {
			t.Fatalf("after snapshot: %s (want %s), changed %v", got, a, c2.Changed())
		}
		if nb := c2.Alias(c2.Link("PERSON", "john fielding"), "Person"); nb != "Person B" {
			t.Fatalf("next alias %s", nb)
		}
	}
}
