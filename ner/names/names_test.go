package names

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func spans(t *testing.T, text string) []string {
	t.Helper()
	fs, err := New().Detect(context.Background(), text)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s=%s", f.Rule, text[f.Start:f.End]))
	}
	return out
}

func TestDetect(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		{"Seen by Dr. Fielding today.", "[names/title=Fielding]"},
		{"Ms Sandoval and Mr. Brian O'Neill arrived.", "[names/title=Sandoval names/title=Brian O'Neill]"},
		{"Judge Whitfield-Barrett presided.", "[names/title=Whitfield-Barrett]"},
		{"Dr. José García called.", "[names/title=José García]"},
		{"Dr. Fielding Reports show", "[names/title=Fielding]"},
		{"Margaret Ellison signed the form.", "[names/first-last=Margaret Ellison]"},
		{"The patient was calm.", "[]"},
		{"MARGARET ELLISON", "[names/first-last=MARGARET ELLISON]"}, // ALL-CAPS names
		{"Will Power is a phrase", "[]"},                            // "Will" is an ordinary word
		{"drive to the store", "[]"},
		{"Patient Walter J. Brennan was seen.", "[names/context=Walter J. Brennan]"},
		// after a party of a case a lower-case word is the narrative's verb
		{"Neither the claimant nor the respondent appeared; the claimant rose to speak.", "[]"},
		{"The applicant Orsolya Quillanby appealed.", "[names/context=Orsolya Quillanby]"},
		// "per" before a rate's denominator is no "according to"
		{"interest of 4% per annum and 12 euros per share, paid per month", "[]"},
		{"Plan discussed, per Tamsin Everard.", "[names/context=Tamsin Everard]"},
		{"Mr. Ellison's card", "[names/title=Ellison]"},
		{"referred to Riverside Counseling Group today", "[names/org-suffix=Riverside Counseling Group]"},
		{"money at First Cascade Bank.", "[names/org-suffix=First Cascade Bank]"},
		{"Northwind Logistics, Inc. said", "[names/org-suffix=Northwind Logistics]"},
		{"produced by Norrvik Television AB and Velmoraz Motoren AG; THE AB TEAM", "[names/org-suffix=Norrvik Television AB names/org-suffix=Velmoraz Motoren AG]"},
		{"history of Mental Health treatment", "[]"},
		{"The Oregon Clinic called", "[names/org-suffix=Oregon Clinic]"},
		// the last head word names the institution; a place makes it local
		{"before the Tartu District Court and the Tromsø District Administrative Authority", "[names/org-suffix=Tartu District Court names/org-suffix=Tromsø District Administrative Authority]"},
		{"a lease from the Istanbul Municipality", "[names/org-suffix=Istanbul Municipality]"},
		{"the Supreme Administrative Court or the District Court", "[]"},
		// lower case and ALL CAPS notes
		{"pt seen by dr. aldous fenwright.", "[names/title=aldous fenwright]"},
		{"DR JONES AWARE.", "[names/title=JONES]"},
		{"PER DR. BAKER PHONED IN", "[names/title=BAKER]"},
		{"MRS VOSK AT BEDSIDE, TEARFUL", "[names/title=VOSK]"},
		{"son is in vienna.", "[names/place=vienna]"}, // a known town where case says nothing
		{"daughter flying in from dublin", "[names/place=dublin]"},
		{"stable, c/o to marrowdale if bed available", "[names/place=marrowdale]"}, // called out to a ward
		{"pt c/o itching since lunch", "[]"},
		{"BACK FROM OR, NOW RESTING", "[]"},
		// particles, initials, possessives
		{"Mr Pieter van der Berg", "[names/title=Pieter van der Berg]"},
		{"signed by J. Starling yesterday", "[names/context=J. Starling]"},
		{"as J. Starling said", "[names/initial=J. Starling]"},
		{"Mr Z.M. Korvalainen, the Agent", "[names/title=Z.M. Korvalainen]"},
		{"Agent, Mrs A. Delacourte-Vogel, of", "[names/title=A. Delacourte-Vogel]"},
		{"we met Kowalski's wife", "[names/lone-name=Kowalski]"},
		// context words and credentials
		{"daughter hestia phoned twice", "[names/context=hestia]"},
		{"wife, iris, brought his glasses", "[names/context=iris]"},
		{"pt's daughters helen and margaret visited", "[names/context=helen names/context=margaret]"},
		{"the son is here", "[]"},
		{"HERMAN W. DELACOURTE, RRT", "[names/credential=HERMAN W. DELACOURTE]"},
		{"met with Ellison about it", "[names/context=Ellison]"},
		// words joined by underscores, as in file names and tags
		{"Notes for Client_Maria_Sandoval_intake.docx", "[names/context=Maria_Sandoval]"},
		{"see Maria_Sandoval and snake_case_words", "[names/first-last=Maria_Sandoval]"},
		// places
		{"transferred to Quillmoor 3 today", "[names/place=Quillmoor]"},
		{"lives in elmsbrook with son", "[names/place=elmsbrook]"},
		{"transferred to CCU", "[]"},
		{"she had a CABG at marrowdale hospital", "[names/org-suffix=marrowdale hospital]"},
		{"The Supreme Administrative Court set it aside", "[]"},
		// hospitals and wards in notes: acronyms, campuses, unit numbers
		{"SENT TO VAMC TODAY. PT MAY LEAVE GH, REFERRAL FROM THE KQMC", "[names/place=VAMC names/place=GH names/place=KQMC]"},
		{"sent on to gh er; TO TURN Q2H; LOW FLOW; AT 3C 11/14", "[names/place=gh]"},
		{"moved from er tolvane campus to the main campus", "[names/place=tolvane campus]"},
		{"PLAN: QUILLMOOR 2 ONCE A BED OPENS. QUILLMOOR3 DEVELOPED CP", "[names/place=QUILLMOOR names/place=QUILLMOOR]"},
		{"gave neutraphos 2 pkts; ORIENTEDX3; LOVENOX 30", "[]"},
		{"moved to 4417 quillmoor overnight", "[names/place=quillmoor]"},
		{"transferred from Holy Wendeline s/p MI", "[names/place=Holy Wendeline]"},
		{"detained in Niederbrunnstadt, Germany.", "[names/place=Niederbrunnstadt, Germany]"},
		{"detained in Reykjavík, Iceland.", "[names/place-name=Reykjavík, Iceland]"},
		{"she works for quorlane health. works for the county", "[names/employer=quorlane health]"},
		// names in notes: a surname in no list, a joined prefix
		{"psych nurse hester vandermolt said", "[names/context=hester vandermolt]"},
		{"ines o'falvey np notified.", "[names/credential=ines o'falvey]"},
		{"before the Tartu Administrative Court.", "[names/org-suffix=Tartu Administrative Court]"},
		{"within the Borough of Hallowmere", "[names/org-suffix=Borough of Hallowmere]"},
		// other languages
		{"Pan Jan Kowalski i Pani Anna Nowak", "[names/title=Jan Kowalski names/title=Anna Nowak]"},
		{"gặp ông Nguyễn Văn Minh tại", "[names/title=Nguyễn Văn Minh]"},
		{"김철수 씨와 이영희님", "[names/title-ko=김철수 names/title-ko=이영희]"},
		{"a pan of water", "[]"},
		{"김철수씨와 만났다", "[names/title-ko=김철수]"},
		{"선생님 말씀", "[]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(spans(t, c.text)); got != c.want && !(got == "[]" && c.want == "[]") {
			t.Errorf("%q: got %s, want %s", c.text, got, c.want)
		}
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("Dr. José García and Margaret Ellison")
	f.Add("Mr \xff\xfe O'")
	f.Add("EUR 7,300 and 518,204,771 yen (JPY), 33%; Reykjavík, Iceland; Article 6 § 1")
	f.Add("김철수씨와 ông Nguyễn Văn Minh, Pan Kowalski")
	f.Add("a permit (Arbeitsbewilligung) in the south-east of Latvia, northern Finland; Law no. 12, Article L. 3-4, the 1993 Act (")
	f.Add("pt transferred to")
	f.Add("PT FROM CEDAR RIDGE NURSING & REHAB; sent back from 4417 Brackenfold overnight; dc to fairview rehab")
	f.Add("visitor: orsolya quillanby; DAUGHTER FROM QUORVATH @ QUORVATH MEMORIAL; d/c to quorvath rehab from the SRMH; moved up to Quillmoor; CABG AT EVERARD; in Q")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // the Detector contract: text is valid UTF-8
		}
		fs, err := New().Detect(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, MaxRecall(text, fs)...)
		for _, f := range fs {
			if f.Start < 0 || f.Start >= f.End || f.End > len(text) ||
				!utf8.RuneStart(text[f.Start]) || (f.End < len(text) && !utf8.RuneStart(text[f.End])) {
				t.Fatalf("bad finding %v in %q", f, text)
			}
		}
	})
}

// TestHasUpper: hasUpper answers as a lookup of strings.ToUpper does.
func TestHasUpper(t *testing.T) {
	m := map[string]bool{"RN": true, "MSW": true, "ÉCOLE": true, strings.Repeat("X", 40): true}
	for _, s := range []string{"rn", "Rn", "RN", "rN", "msw", "ms", "mswx", "", "école", "École", "ecole",
		strings.Repeat("x", 40), strings.Repeat("x", 39), "r\u00adn", "1rn"} {
		if got, want := hasUpper(m, s), m[strings.ToUpper(s)]; got != want {
			t.Errorf("hasUpper(%q) = %v, want %v", s, got, want)
		}
	}
}
