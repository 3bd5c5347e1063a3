package names

import (
	"fmt"
	"strings"
	"testing"
)

// TestNoteWordsAroundHeads covers what ends a facility's name before or
// after its head where case tells nothing (ALL-CAPS or lower-case notes),
// and the verbs after a clinician's title (names.go orgs, titles). Names
// and places are invented.
func TestNoteWordsAroundHeads(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		// "and", "for", a clinical abbreviation or a word that follows a
		// title end a name before the head
		{"PT TO BE ASSESSED FOR REHAB NEXT WEEK.", ""},
		{"PLAN: MAY WALK OOB AND START CARDIAC REHAB.", ""},
		{"CONT ORTHO REHAB TWICE WEEKLY.", ""},
		{"REFUSED MEALS AND HOSPITAL GOWN.", ""},
		// a kind of care before the head: the words before it must name
		// something
		{"DC TO QUORVATH CARDIAC REHAB.", "names/org-suffix=QUORVATH CARDIAC REHAB"},
		{"FROM ST ELSPETH HOSPITAL.", "names/org-suffix=ST ELSPETH HOSPITAL"},
		{"pt came from university of quorvath hospital.", "names/org-suffix=university of quorvath hospital"},
		// after the head, "for" and "of" take no stop word or clinical
		// abbreviation
		{"TRANSFERRED FROM QUILLBY HOSPITAL FOR ECHO.", "names/org-suffix=QUILLBY HOSPITAL"},
		{"FROM UNIVERSITY OF NEVADA MEDICAL TODAY WITH SOB.", "names/org-suffix=UNIVERSITY OF NEVADA MEDICAL"},
		{"FROM UNIVERSITY OF PA MEDICAL CENTER.", "names/org-suffix=UNIVERSITY OF PA MEDICAL CENTER"},
		// a title before a verb
		{"RN gave update to family.", ""},
		{"md notified of change.", ""},
		{"NP updated family at bedside.", ""},
		{"per Dr. Quillanby, no change.", "names/title=Quillanby"},
		{"RN quillanby at bedside.", "names/title=quillanby"},
		// a title that is a clinical abbreviation before an ordinary word
		{"NEURO: MS BASELINE, MAE X4.", ""},
		{"Will check MS. Continue plan overnight.", ""},
		{"SEEN BY DR QUILLANBY TODAY.", "names/title=QUILLANBY"},
		// a word joined by a hyphen to a name that is a stop word or
		// clinical abbreviation is not part of it
		{"call from daughter Tamsin-who says she will visit.", "names/context=Tamsin"},
		{"PER T. QUILLANBY-PT TOLERATING WEAN.", "names/context=T. QUILLANBY"},
		{"Seen by Dr. Everard-Quillanby today.", "names/title=Everard-Quillanby"},
		// "with" written short, a common word after a verb of movement
		{"BLEEDING W CLOTS OVERNIGHT.", ""},
		{"C CP SINCE AM.", ""},
		{"PT GOING TO NAP NOW.", ""},
		{"TRANSFERRED TO QMC FOR ECHO.", "names/place=QMC"},
		{"HAD EXTENDED HOSPITAL COURSE.", ""},
		{"SWABS SENT FROM OUTSIDE CLINIC.", ""},
		{"spoke with niece via phone today.", ""},
	}
	for _, c := range cases {
		got := spans(t, c.text)
		var keep []string
		for _, s := range got {
			if strings.HasPrefix(s, "names/org-suffix=") || strings.HasPrefix(s, "names/title=") || strings.HasPrefix(s, "names/context=") || strings.HasPrefix(s, "names/initial=") || strings.HasPrefix(s, "names/place=") {
				keep = append(keep, s)
			}
		}
		if strings.Join(keep, "|") != c.want {
			t.Errorf("%q: got %s, want %q", c.text, fmt.Sprint(got), c.want)
		}
	}
}
