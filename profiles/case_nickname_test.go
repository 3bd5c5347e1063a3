package profiles

import (
	"bytes"
	"testing"
)

// A short form of a given name is the full name: "Bob Hale" and "Robert
// Hale" are one person, in either order, with one pseudonym; his brother
// "Tom", then "Thomas", too; a short form of several names ("Al") links
// to none by its given name.
func TestCaseLinksDiminutives(t *testing.T) {
	k, err := NewKeys(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	pseudo := func(order []string) (string, int) {
		c := NewCase()
		var ids []PersonID
		for _, s := range order {
			ids = append(ids, c.Link("PERSON", Identity(s)))
		}
		for _, id := range ids[1:] {
			if id != ids[0] {
				t.Errorf("%q: linked to %d people", order, len(c.Entries()))
			}
		}
		return c.Pseudonym(ids[0], "Patient", k), len(c.Entries())
	}
	a, n := pseudo([]string{"Robert Hale", "Bob Hale", "Bob", "Mr. Hale", "HALE, ROBERT"})
	b, _ := pseudo([]string{"Bob Hale", "HALE, Bobby", "Robert Hale"})
	if a != b || n != 1 {
		t.Errorf("pseudonyms %q and %q (people %d): want one", a, b, n)
	}
	if _, n := pseudo([]string{"Tom", "Thomas", "Tommy"}); n != 1 {
		t.Errorf("Tom and Thomas are %d people", n)
	}
	c := NewCase()
	alan, al := c.Link("PERSON", Identity("Alan Hale")), c.Link("PERSON", Identity("Al Price"))
	if alan == al {
		t.Error("Al Price linked to Alan Hale")
	}
}
