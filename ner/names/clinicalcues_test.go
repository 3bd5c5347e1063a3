package names

import (
	"strings"
	"testing"
)

// TestClinicalWordsNoName: words of clinical notes in the places the name
// and place rules look at (a credential after a comma, a state after a
// comma, a list of medicines, a unit's kind after a verb of transfer, a
// rhythm before a rate) are no name; the names beside them still are.
// Each case gives the text and the findings wanted (rule=text,
// "|"-joined). Names are invented.
func TestClinicalWordsNoName(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		// a lower-case credential after a comma that goes on into its
		// sentence ("md aware", "sc heparin") closes no signature, and
		// a lower-case state that does so is no state
		// A word in no list before ", md aware" may be a surname in no
		// list: it stays a finding (over-redaction, the safe side).
		{"pt wants a larger quillet, md aware, will recheck.", "names/credential=quillet"},
		{"vte prophylaxis: on pneumoboots, sc enoxaparin, and po pantoprazole.", ""},
		{"report given by quillanby, rn\nplan: wean.", "names/credential=quillanby"},
		{"Orsolya Quillanby, MD aware of plan.", "names/credential=Orsolya Quillanby"},
		{"note by tamsin quillanby, rn aware of plan.", "names/credential=tamsin quillanby"},
		// one letter is no town before a state: potassium, calcium
		{"LYTES: K, CA, AND PHOS ALL GIVEN.", ""},
		{"LABS: NO K, OR CA GIVEN OVERNIGHT.", ""},
		// an item of a list of findings before MI is no town; a town in an
		// address, with its ZIP code after the state, still is
		{"PMH: DM, gout, hyperlipid, MI, PCI.", ""},
		{"lives at 4 Oak St, brackenfold, MI, 48213.", "names/place=Oak St|names/place=brackenfold"},
		{"moved to brackenfold, MI last year.", "names/place=brackenfold"},
		{"social: widowed, brackenfold, MI, retired", "names/place=brackenfold"},
		{"Hx: HTN, DM, brackenfold, MI, CABG x3", "names/place=brackenfold"},
		{"PMH: HTN, obesity, MI, CABG.", ""},
		{"pt from brenzholt, pa notified family", "names/place=brenzholt"},
		// a word among medicines is a medicine, short or misspelt; a
		// name after a medicine and a comma, with no list after it, stays
		{"receiving Vanko, Zosyn, Lasix.", ""},
		{"sedated on Fenta,Versed,Ativan drips.", ""},
		{"gave Tylenol, Everard notified.", "names/aware=Everard"},
		// a name before one medicine, or a given name before two, is a name
		{"called Everard, Tylenol given.", "names/lone-name=Everard"},
		{"called Tamsin, Tylenol, Motrin given.", "names/lone-name=Tamsin"},
		// a surname in no list before a comma and "md aware" is a name;
		// an ordinary word there is not
		{"spoke with quillanby, md aware of plan.", "names/credential=quillanby"},
		// a route before a medicine does not cut a name after a person cue
		{"called quillanby, sc heparin held tonight.", "names/credential=quillanby"},
		{"discussed with everard, sc heparin held tonight.", "names/credential=everard"},
		// a one-word intensive care unit's kind names no hospital; a name
		// before ICU still does
		{"Pt transferred to the NSICU where he was extubated.", ""},
		{"transferred to CVICU for monitoring.", ""},
		{"transferred to Quillmoor ICU.", "names/place=Quillmoor"},
		// a rhythm (SVT) before a rate is no ward; a ward before its number is
		{"converts on own to SVT 150 then back.", ""},
		{"moved to quillmoor 2 today.", "names/place=quillmoor"},
		// "C" for with before AMI (acute myocardial infarction); a given
		// name Ami in a name stays
		{"SEEN 3/4 C AMI, HX C CABG.", ""},
		{"MR AMI EVERARD SEEN.", "names/title=AMI EVERARD"},
		{"Ami Everard visited.", "names/first-last=Ami Everard"},
		// AMI is an abbreviation only in capitals among clinical
		// words or standing out in mixed case; a given name that is a
		// clinical abbreviation is a name before a surname or after a cue
		{"AMI QUILLANBY SEEN TODAY.", "names/first-last=AMI QUILLANBY"},
		{"sent to Nsb 5", "names/place=Nsb"},
		{"PT: LUA QUILLANBY, 7 YO", "names/context=LUA QUILLANBY"},
		{"daughter lua called", "names/context=lua"},
		{"PT C/O PAIN IN LUA, RX GIVEN.", ""},
	}
	for _, c := range cases {
		if got := strings.Join(spans(t, c.text), "|"); got != c.want {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
		}
	}
}
