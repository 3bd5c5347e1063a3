package names

import (
	"context"
	"fmt"
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
		{"Mr. Ellison's card", "[names/title=Ellison]"},
		{"referred to Riverside Counseling Group today", "[names/org-suffix=Riverside Counseling Group]"},
		{"money at First Cascade Bank.", "[names/org-suffix=First Cascade Bank]"},
		{"Northwind Logistics, Inc. said", "[names/org-suffix=Northwind Logistics]"},
		{"produced by Strix Television AB and MotoMeter AG; THE AB TEAM", "[names/org-suffix=Strix Television AB names/org-suffix=MotoMeter AG]"},
		{"history of Mental Health treatment", "[]"},
		{"The Oregon Clinic called", "[names/org-suffix=Oregon Clinic]"},
		// the last head word names the institution; a place makes it local
		{"before the Kielce District Court and the Dornbirn District Administrative Authority", "[names/org-suffix=Kielce District Court names/org-suffix=Dornbirn District Administrative Authority]"},
		{"a lease from the Istanbul Municipality", "[names/org-suffix=Istanbul Municipality]"},
		{"the Supreme Administrative Court and the District Court", "[]"},
		// lower case and ALL CAPS notes
		{"pt of dr. john bowman.", "[names/title=john bowman]"},
		{"DR JONES AWARE.", "[names/title=JONES]"},
		{"PER DR. PRICE CAME BY", "[names/title=PRICE]"},
		{"MRS LEY HERE AND UPSET", "[names/title=LEY]"},
		// particles, initials, possessives
		{"Mr Pieter van der Berg", "[names/title=Pieter van der Berg]"},
		{"signed by J. Starling yesterday", "[names/context=J. Starling]"},
		{"as J. Starling said", "[names/initial=J. Starling]"},
		{"Mr Z.M. Necatigil, the Agent", "[names/title=Z.M. Necatigil]"},
		{"Agent, Mrs A. Wittling-Vogel, of", "[names/title=A. Wittling-Vogel]"},
		{"we met Kowalski's wife", "[names/lone-name=Kowalski]"},
		// context words and credentials
		{"daughter peggy staying overnight", "[names/context=peggy]"},
		{"wife, rose, left phone number", "[names/context=rose]"},
		{"pt's daughters sarah and margie visited", "[names/context=sarah names/context=margie]"},
		{"the son is here", "[]"},
		{"HERMAN W. EMPERATRICE, RRT", "[names/credential=HERMAN W. EMPERATRICE]"},
		{"met with Ellison about it", "[names/context=Ellison]"},
		// words joined by underscores, as in file names and tags
		{"Notes for Client_Maria_Sandoval_intake.docx", "[names/context=Maria_Sandoval]"},
		{"see Maria_Sandoval and snake_case_words", "[names/first-last=Maria_Sandoval]"},
		// places
		{"transferred to Quartermain 3 today", "[names/place=Quartermain]"},
		{"lives in parkville with son", "[names/place=parkville]"},
		{"transferred to CCU", "[]"},
		{"he had TURP at reisterstown hospital", "[names/org-suffix=reisterstown hospital]"},
		{"The Supreme Administrative Court quashed it", "[]"},
		// hospitals and wards in notes: acronyms, campuses, unit numbers
		{"TRANSFERRED TO VAMC ICU. PT MAY LEAVE GH, CONSULT FROM THE GBMC", "[names/place=VAMC names/place=GH names/place=GBMC]"},
		{"enroute to gh er; TO COUGH AND DEEP BREATHE; HIGH FLOW; AT 2A 8/25", "[names/place=gh]"},
		{"transferred from er mazur campus to the main campus", "[names/place=mazur campus]"},
		{"PLAN: QUARTERMAIN 2 WHEN BED AVAIL. QUARTERMAIN3 DEVELOPED CP", "[names/place=QUARTERMAIN names/place=QUARTERMAIN]"},
		{"replaced neutraphos 1 pkt; ORIENTEDX3; LOVENOX 40", "[]"},
		{"pt transferred to 209 quartermain.", "[names/place=quartermain]"},
		{"transferred from Good Sam s/p MI", "[names/place=Good Sam]"},
		{"detained in Kassel, Germany.", "[names/place=Kassel, Germany]"},
		{"he works for vista health. works for the city", "[names/employer=vista health]"},
		// names in notes: a surname in no list, a joined prefix
		{"psych nurse leslie kiezulas said", "[names/context=leslie kiezulas]"},
		{"mary o'hara np aware.", "[names/credential=mary o'hara]"},
		{"before the Kayseri Administrative Court.", "[names/org-suffix=Kayseri Administrative Court]"},
		{"within the Borough of Southwark", "[names/org-suffix=Borough of Southwark]"},
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
	f.Add("EUR 4,000 and 962,996,880 Turkish liras (TRL), 33%; Warsaw, Poland; Article 6 § 1")
	f.Add("김철수씨와 ông Nguyễn Văn Minh, Pan Kowalski")
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
