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
