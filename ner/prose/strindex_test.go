package prose

import (
	"fmt"
	"testing"
)

// TestStrIndex compares the index with a map over strings that make it
// grow several times, with repeats, the empty string and lookups of
// strings it does not hold, by string and by bytes.
func TestStrIndex(t *testing.T) {
	x := newStrIndex(0)
	want := map[string]int32{}
	var order []string
	for i := range 5000 {
		k := fmt.Sprintf("k%d", i%3700)
		if i == 17 {
			k = ""
		}
		n, isNew := x.add(k)
		m, had := want[k]
		if isNew == had {
			t.Fatalf("add(%q): new %v, the map had it: %v", k, isNew, had)
		}
		if !had {
			m = int32(len(order))
			want[k] = m
			order = append(order, k)
		}
		if n != m {
			t.Fatalf("add(%q) = %d, want %d", k, n, m)
		}
	}
	if x.Len() != len(want) {
		t.Fatalf("Len %d, want %d", x.Len(), len(want))
	}
	for k, m := range want {
		if n, ok := x.get(k); !ok || n != m {
			t.Fatalf("get(%q) = %d, %v; want %d", k, n, ok, m)
		}
		if n, ok := x.getBytes([]byte(k)); !ok || n != m {
			t.Fatalf("getBytes(%q) = %d, %v; want %d", k, n, ok, m)
		}
	}
	for _, k := range []string{"k3700", "x", "k", "k00"} {
		if _, ok := x.get(k); ok {
			t.Errorf("get(%q): found, was never added", k)
		}
		if _, ok := x.getBytes([]byte(k)); ok {
			t.Errorf("getBytes(%q): found, was never added", k)
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
		x := newStrIndex(0)
		for i := range n {
			x.push(fmt.Sprintf("v%d", i))
		}
		if !x.place() {
			t.Fatalf("%d distinct keys: place reports a repeat", n)
		}
		for i := range n {
			k := fmt.Sprintf("v%d", i)
			if j, ok := x.get(k); !ok || j != int32(i) {
				t.Fatalf("%d keys: get(%q) = %d, %v", n, k, j, ok)
			}
			if j, ok := x.getBytes([]byte(k)); !ok || j != int32(i) {
				t.Fatalf("%d keys: getBytes(%q) = %d, %v", n, k, j, ok)
			}
		}
		if _, ok := x.get(fmt.Sprintf("v%d", n)); ok {
			t.Fatalf("%d keys: found one never pushed", n)
		}
		if n > 0 {
			x.push(fmt.Sprintf("v%d", n/2))
			if x.place() {
				t.Fatalf("%d keys and a repeat: place reports none", n)
			}
		}
	}
}
