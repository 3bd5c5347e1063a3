package gazetteer

import (
	"fmt"
	"testing"

	"github.com/veilhq/veil/internal/strindex"
)

// placeReference is place as it was: the keys in their order.
func (t *table) placeReference() {
	mask := uint64(len(t.slots) - 1)
	for i := range t.ends {
		s := strindex.HashBytes(t.key(i)) & mask
		for t.slots[s] != 0 {
			s = (s + 1) & mask
		}
		t.slots[s] = uint32(i + 1)
	}
}

// TestPlaceAgreesWithReference checks that the tables of the word lists
// placed bucket by bucket answer every lookup as the tables placed key by
// key do: each key of the lists (and a variant of it that is no key, or
// another key) gets the same flags, and every slot holds a key.
func TestPlaceAgreesWithReference(t *testing.T) {
	src := tables().flags
	ref := &table{blob: src.blob, ends: src.ends, flags: src.flags, slots: make([]uint32, len(src.slots))}
	ref.placeReference()
	got := &table{blob: src.blob, ends: src.ends, flags: src.flags, slots: make([]uint32, len(src.slots))}
	got.place()
	filled := 0
	for s, e := range got.slots {
		if e != 0 {
			filled++
			if int(e) > len(got.ends) {
				t.Fatalf("slot %d holds %d of %d keys", s, e, len(got.ends))
			}
		}
	}
	if filled != len(got.ends) {
		t.Fatalf("%d slots filled, %d keys", filled, len(got.ends))
	}
	for i := range got.ends {
		k := string(got.key(i))
		for _, q := range []string{k, k + "x", "x" + k, k[:len(k)/2]} {
			if a, b := got.get(q), ref.get(q); a != b {
				t.Fatalf("get(%q) = %b, reference %b", q, a, b)
			}
			if a, b := got.getBytes([]byte(q)), ref.getBytes([]byte(q)); a != b {
				t.Fatalf("getBytes(%q) = %b, reference %b", q, a, b)
			}
		}
	}
	// small tables, which have fewer slots than buckets
	for n := 1; n < 3000; n = n*3 + 1 {
		a, b := newTable(1), newTable(1)
		for i := 0; i < n; i++ {
			k := fmt.Sprintf("k%d", i*7919%10007)
			a.add(k, Flags(1)<<(i%6))
			b.add(k, Flags(1)<<(i%6))
		}
		clear(a.slots)
		a.place()
		clear(b.slots)
		b.placeReference()
		for i := 0; i < 2*n; i++ {
			k := fmt.Sprintf("k%d", i*7919%10007)
			if a.get(k) != b.get(k) {
				t.Fatalf("%d keys: get(%q) = %b, reference %b", n, k, a.get(k), b.get(k))
			}
		}
	}
}
