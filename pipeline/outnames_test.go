package pipeline

import (
	"context"
	"testing"

	"github.com/veilhq/veil/profiles"
)

// TestRedactLocation: locations shown in the report lose the words that
// identify, in the profile's terms, and keep the rest of the path.
func TestRedactLocation(t *testing.T) {
	cases := map[string]map[string]string{
		"supervision": {
			"/home/ops/cases/Maria_Sandoval":      "/home/ops/cases/PERSON",
			"s3://clinic-records/sandoval-maria/": "s3://clinic-records/PERSON-PERSON/",
			"/data/MRN-00123456/out":              "/data/MRN-ID-NUMBER/out",
			"s3://archive/2019/":                  "s3://archive/2019/",
			"samples/cases":                       "samples/cases",
		},
		// court keeps adults' names (FRCP 5.2 does not list them).
		"court": {
			"/home/ops/cases/Maria_Sandoval": "/home/ops/cases/Maria_Sandoval",
			"s3://archive/2019/":             "s3://archive/2019/",
		},
	}
	for name, want := range cases {
		p, err := profiles.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		e, err := NewEngine(Options{Profile: p, NoNER: true})
		if err != nil {
			t.Fatal(err)
		}
		for in, w := range want {
			if got := e.RedactLocation(context.Background(), in); got != w {
				t.Errorf("%s: RedactLocation(%q) = %q, want %q", name, in, got, w)
			}
		}
		// No alias is used up: the first person of the case is still A.
		if got := len(e.planner.cases.Entries()); got != 0 {
			t.Errorf("%s: RedactLocation linked %d people into the case", name, got)
		}
	}
}
