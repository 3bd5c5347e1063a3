package ner

import (
	"strings"
	"sync"

	"github.com/veilhq/veil/ner/lexicon"
)

// diminutives reads the lexicon's given-name diminutives (concept
// "diminutives": "bob robert"): the full name of each short form that
// stands for one only, and every form of each name.
var diminutives = sync.OnceValues(func() (full map[string]string, variants map[string][]string) {
	fulls := map[string][]string{}
	variants = map[string][]string{}
	for _, e := range lexicon.MustSet("diminutives").Words() {
		short, long, ok := strings.Cut(e, " ")
		if !ok {
			continue
		}
		short, long = strings.Join(Fold(short), ""), strings.Join(Fold(long), "")
		fulls[short] = append(fulls[short], long)
		variants[short] = append(variants[short], long)
		variants[long] = append(variants[long], short)
	}
	full = map[string]string{}
	for short, ls := range fulls {
		if len(ls) == 1 {
			full[short] = ls[0]
		}
	}
	return full, variants
})

// FullGivenName returns the full given name that a folded short form stands
// for ("bob" -> "robert"), when it stands for one only ("al" stands for
// several).
func FullGivenName(key string) (string, bool) {
	full, _ := diminutives()
	f, ok := full[key]
	return f, ok
}

// GivenNameVariants returns the other forms of a folded given name: its
// short forms, or the full names of a short form ("robert" -> "bob",
// "bobby", "rob", "robbie"). The slice is shared: callers must not change
// it.
func GivenNameVariants(key string) []string {
	_, variants := diminutives()
	return variants[key]
}
