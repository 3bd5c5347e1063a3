package profiles

import (
	"encoding/json"
	"testing"
)

// FuzzDecodeCase feeds arbitrary plaintext to the mapping-file decoder: it
// returns an error or a case that still links names and hands out
// non-empty aliases, never panics.
func FuzzDecodeCase(f *testing.F) {
	c := NewCase()
	id := c.Link("PERSON", "maria sandoval")
	c.Alias(id, "Person")
	c.AddRole(id, Client)
	c.BeginRun("/in", "/out")
	c.RecordName("notes_Maria.txt", "notes_Person-A.txt")
	k := testKeys(f, "fuzz secret of thirty-two bytes!")
	if snap, err := c.Snapshot(k); err == nil {
		if plain, err := k.open(snap); err == nil {
			f.Add(plain)
		}
	}
	f.Add([]byte(`{"version":1,"next":{"PERSON":-5},"people":[{"ns":"PERSON","identities":[""]}]}`))
	f.Add([]byte(`{"version":1,"people":[{"identities":["a b"]},{"identities":["a b"]}]}`))
	f.Fuzz(func(t *testing.T, plain []byte) {
		c, err := decodeCase(plain)
		if err != nil {
			return
		}
		id := c.Link("PERSON", "new person")
		if a := c.Alias(id, "Person"); a == "" || a == "Person " {
			t.Fatalf("empty alias %q from %s", a, mustJSON(plain))
		}
		c.Link("PERSON", "person")
		// A decoded case records names, saves and opens again.
		c.BeginRun("/in", "/out")
		c.RecordName("a.txt", "b.txt")
		enc, err := c.encode()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeCase(enc); err != nil {
			t.Fatalf("a case that decoded does not decode after a run: %v\n%s", err, mustJSON(plain))
		}
	})
}

func mustJSON(b []byte) string {
	var v any
	if json.Unmarshal(b, &v) != nil {
		return string(b)
	}
	out, _ := json.Marshal(v)
	return string(out)
}
