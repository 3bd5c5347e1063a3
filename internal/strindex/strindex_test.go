package strindex

import (
	"fmt"
	"testing"
)

// TestStrIndex compares the index with a map over strings that make it
// grow several times, with repeats, the empty string and lookups of
// strings it does not hold, by string and by bytes.
func TestStrIndex(t *testing.T) {
	x := New(0)
	want := map[string]int32{}
	var order []string
	for i := range 5000 {
		k := fmt.Sprintf("k%d", i%3700)
		if i == 17 {
			k = ""
		}
		n, isNew := x.Add(k)
		m, had := want[k]
		if isNew == had {
			t.Fatalf("Add(%q): new %v, the map had it: %v", k, isNew, had)
		}
		if !had {
			m = int32(len(order))
			want[k] = m
			order = append(order, k)
		}
		if n != m {
			t.Fatalf("Add(%q) = %d, want %d", k, n, m)
		}
	}
	if x.Len() != len(want) {
		t.Fatalf("Len %d, want %d", x.Len(), len(want))
	}
	for k, m := range want {
		if n, ok := x.Get(k); !ok || n != m {
			t.Fatalf("Get(%q) = %d, %v; want %d", k, n, ok, m)
		}
		if n, ok := x.GetBytes([]byte(k)); !ok || n != m {
			t.Fatalf("GetBytes(%q) = %d, %v; want %d", k, n, ok, m)
		}
	}
	for _, k := range []string{"k3700", "x", "k", "k00"} {
		if _, ok := x.Get(k); ok {
			t.Errorf("Get(%q): found, was never added", k)
		}
		if _, ok := x.GetBytes([]byte(k)); ok {
			t.Errorf("GetBytes(%q): found, was never added", k)
		}
	}
	for i, k := range order {
		if x.keys[i] != k {
			t.Fatalf("key %d is %q, want %q (the order of adding)", i, x.keys[i], k)
		}
	}
}

// TestStrIndexPlace shows that keys pushed and placed at once are found
// as added ones are, by string and by bytes, numbered in the order pushed,
// and that a key pushed twice makes place fail.
func TestStrIndexPlace(t *testing.T) {
	for _, n := range []int{0, 1, 31, 32, 5000, 70000} {
		x := New(0)
		for i := range n {
			x.Push(fmt.Sprintf("v%d", i))
		}
		if !x.Place() {
			t.Fatalf("%d distinct keys: Place reports a repeat", n)
		}
		for i := range n {
			k := fmt.Sprintf("v%d", i)
			if j, ok := x.Get(k); !ok || j != int32(i) {
				t.Fatalf("%d keys: Get(%q) = %d, %v", n, k, j, ok)
			}
			if j, ok := x.GetBytes([]byte(k)); !ok || j != int32(i) {
				t.Fatalf("%d keys: GetBytes(%q) = %d, %v", n, k, j, ok)
			}
		}
		if _, ok := x.Get(fmt.Sprintf("v%d", n)); ok {
			t.Fatalf("%d keys: found one never pushed", n)
		}
		if n > 0 {
			x.Push(fmt.Sprintf("v%d", n/2))
			if x.Place() {
				t.Fatalf("%d keys and a repeat: Place reports none", n)
			}
		}
	}
}

// TestHashFixed shows that Hash gives the same answers in every process
// and on every machine (the values below were computed once: tables made
// at go generate time store slots found with them), that HashBytes agrees
// with it, and that every byte of a key counts.
func TestHashFixed(t *testing.T) {
	for _, c := range []struct {
		s string
		h uint64
	}{
		{"", 0x88f60bea30a4d095},
		{"a", 0x129c01ffde2f4ef0},
		{"ab", 0x73154718e4c09bed},
		{"abc", 0x63872d70e76b6295},
		{"abcd", 0xde204a13c8e53dbe},
		{"Quillanby", 0x74f05f2ff32f75b},
		{"tamsin everard", 0xe7445468d4d49b05},
		{"orsolya quillanby of the eastern ward", 0xf5ed1601f39e9541},
		{"é\xff\x80", 0x4cbdadec9fb67f43}, // UTF-8 and bytes that are none
		{"\xffquillanby\x80é of the ward", 0xc15af32ea0f122f1},
	} {
		if got := Hash(c.s); got != c.h {
			t.Errorf("Hash(%q) = %#x, want %#x: a changed Hash makes every stored table stale (go generate)", c.s, got, c.h)
		}
		if got := HashBytes([]byte(c.s)); got != c.h {
			t.Errorf("HashBytes(%q) = %#x, want %#x", c.s, got, c.h)
		}
	}
	const text = "the keys of Tamsin Everard's lists, made at go generate time, 0123456789"
	seen := map[uint64]string{}
	for l := 0; l <= len(text); l++ {
		for i := 0; i < l; i++ {
			b := []byte(text[:l])
			b[i] ^= 1
			if Hash(string(b)) == Hash(text[:l]) {
				t.Errorf("a byte %d of %d changed, same hash", i, l)
			}
		}
		if o, ok := seen[Hash(text[:l])]; ok {
			t.Errorf("%q and %q hash alike", o, text[:l])
		}
		seen[Hash(text[:l])] = text[:l]
	}
}

// TestPlaceAt shows that an index whose slots are taken with PlaceAt, as
// Slots reported them, answers as the index they came from, and that
// PlaceAt refuses slots that cannot be an index's.
func TestPlaceAt(t *testing.T) {
	for _, n := range []int{0, 1, 31, 5000} {
		src := New(0)
		for i := range n {
			src.Add(fmt.Sprintf("w%d", i*7919%10007))
		}
		var order []int
		var at []int
		slots := src.Slots(func(i, s int) { order = append(order, i); at = append(at, s) })
		dst := New(0)
		table := make([]uint32, slots)
		for j, i := range order {
			dst.Push(src.Key(i))
			table[at[j]] = uint32(j + 1)
		}
		if !dst.PlaceAt(table) {
			t.Fatalf("%d keys: PlaceAt refused Slots's slots", n)
		}
		for i := range n {
			k := src.Key(i)
			if j, ok := dst.Get(k); !ok || dst.Key(int(j)) != k {
				t.Fatalf("%d keys: Get(%q) = %d, %v", n, k, j, ok)
			}
		}
		if _, ok := dst.Get("no such key"); ok {
			t.Fatalf("%d keys: found a key never pushed", n)
		}
	}
	x := New(0)
	x.Push("a")
	x.Push("b")
	for _, bad := range [][]uint32{nil, {1, 2}, {1, 0, 2}, {1, 0, 0, 3}, make([]uint32, 6)} {
		if x.PlaceAt(bad) {
			t.Errorf("PlaceAt(%v) accepted", bad)
		}
	}
}
