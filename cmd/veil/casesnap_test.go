package main

import (
	"bytes"
	"testing"

	"github.com/veilhq/veil/profiles"
)

// TestCaseSnapshots: an unchanged table gives the ledger the same sealed
// bytes again (which it skips); a changed table, or another case's, is
// sealed anew and opens to the table as it is now; without keys the
// snapshot is the plaintext.
func TestCaseSnapshots(t *testing.T) {
	keys, err := profiles.NewKeys(bytes.Repeat([]byte("k"), profiles.MinKeyBytes))
	if err != nil {
		t.Fatal(err)
	}
	cs, caseKey := profiles.NewCase(), ""
	cs.Link("PERSON", "orsolya quillanby")
	snap := caseSnapshots(func() (string, *profiles.Case) { return caseKey, cs }, keys)
	open := func(b []byte) int {
		t.Helper()
		c, err := profiles.LoadSnapshot(b, keys)
		if err != nil {
			t.Fatal(err)
		}
		return len(c.Entries())
	}
	_, first, err := snap()
	if err != nil {
		t.Fatal(err)
	}
	if _, again, _ := snap(); !bytes.Equal(first, again) {
		t.Fatal("the same table sealed twice gives other bytes")
	}
	cs.Link("PERSON", "tamsin everard")
	_, changed, _ := snap()
	if bytes.Equal(first, changed) || open(first) != 1 || open(changed) != 2 {
		t.Fatalf("changed table: same bytes %v, entries %d then %d", bytes.Equal(first, changed), open(first), open(changed))
	}
	caseKey = "case-2"
	if key, other, _ := snap(); key != "case-2" || bytes.Equal(other, changed) {
		t.Fatalf("another case's table: key %q, same bytes %v", key, bytes.Equal(other, changed))
	}
	plain, _ := cs.Snapshot(nil)
	if _, b, _ := caseSnapshots(func() (string, *profiles.Case) { return "", cs }, nil)(); !bytes.Equal(b, plain) {
		t.Fatal("without keys: not the plaintext")
	}
}
