package names

import (
	"strings"

	"github.com/veilhq/veil/ner"
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		for _, k := range ner.Fold(w) {
			m[k] = true
		}
	}
	return m
}

// abbrevTitles are titles that may precede a lower-case or ALL-CAPS name
// ("dr. john bowman", "MRS LEY").
var abbrevTitles = set("dr", "mr", "mrs", "ms", "mx", "miss", "prof", "messrs", "mmes", "mme", "mlle",
	"herr", "frau")

// lowerTitles are titles that only count before a capitalised word: they
// are ordinary words too ("sister", "pan") or lower case in their language
// ("ông Nguyễn").
var lowerTitles = set("professor", "doctor", "judge", "justice", "officer", "detective", "nurse",
	"attorney", "counsel", "sister", "father", "pastor", "rabbi", "imam", "bishop", "dame", "sir",
	"lady", "lord", "rev", "sgt", "det", "hon", "president", "senator", "governor", "ambassador",
	"colonel", "captain", "lieutenant", "sergeant", "inspector", "commissioner", "constable",
	"pan", "pani", "panna", "ông", "bà", "chị", "cô", "chú", "bác")

func isTitleKey(k string) bool { return abbrevTitles[k] || lowerTitles[k] }

// isTitle reports whether t is a title word where it stands: the long and
// foreign titles must be capitalised unless they are Vietnamese.
func isTitle(text string, t *tok) bool {
	if abbrevTitles[t.Key] || roleTitles[t.Key] {
		return true
	}
	if !lowerTitles[t.Key] {
		return false
	}
	switch t.Key {
	case "ong", "ba", "chi", "co", "chu", "bac":
		// Vietnamese titles are lower case mid-sentence, but their folded
		// forms are English words: require the diacritics.
		for _, r := range text[t.Start:t.End] {
			if r >= 0x80 {
				return true
			}
		}
		return false
	}
	return t.Capital
}

// credentials follow a name ("Kozicki, RRT").
var credentials = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range []string{"RN", "RRT", "NP", "MD", "LPN", "CNA", "LCSW", "LICSW", "LMSW", "MSW", "APRN",
		"CRNA", "FNP", "DNP", "PHD", "PSYD", "PHARMD", "RPH", "RD", "LMFT", "LPC", "MBBS", "FRCP", "QC", "KC",
		"ESQ", "SC", "CPA", "BSN", "MSN", "RNC", "CCRN"} {
		m[c] = true
	}
	return m
}()

// personContext are words after which a name often follows ("daughter
// peggy", "patient Natalie").
var personContext = set("patient", "client", "wife", "husband", "son", "sons", "daughter", "daughters",
	"dtr", "dtrs", "brother", "brothers", "sister", "sisters", "mother", "father", "mom", "mum", "dad",
	"niece", "neice", "nephew", "aunt", "uncle", "cousin", "grandson", "granddaughter", "grandmother",
	"grandfather", "grandma", "grandpa", "friend", "boyfriend", "girlfriend", "partner", "fiance",
	"fiancee", "spouse", "widow", "widower", "proxy", "guardian", "attorney", "lawyer", "counsel",
	"solicitor", "nurse", "resident", "intern", "attending", "physician", "surgeon", "therapist",
	"counselor", "counsellor", "psychiatrist", "psychologist", "caseworker", "np", "rn", "named",
	"applicant", "applicants", "plaintiff", "defendant", "claimant", "petitioner", "respondent",
	"witness", "victim", "accused", "suspect", "employee", "employer", "tenant", "landlord", "neighbour",
	"neighbor", "colleague", "supervisor", "manager", "agent", "judge", "prosecutor", "caregiver",
	"sitter", "companion", "visitor", "pcp", "sw", "chaplain", "per")

// personContext2 are two-word contexts ("met with Ellison").
var personContext2 = set2("met with", "spoke with", "spoke to", "talked to", "talked with", "seen by",
	"visited by", "accompanied by", "referred by", "signed by", "represented by", "son of", "daughter of",
	"wife of", "husband of", "known as", "contact person", "case manager", "social worker",
	"care of", "called by", "examined by", "treated by", "cc to", "significant other", "health proxy",
	"care proxy", "spoke w", "per dr")

func set2(pairs ...string) map[string]bool {
	m := map[string]bool{}
	for _, p := range pairs {
		ks := ner.Fold(p)
		if len(ks) == 2 {
			m[ks[0]+" "+ks[1]] = true
		}
	}
	return m
}

// stopWords never start or continue a name, although some are given names
// too ("Will", "May").
var stopWords = set("the", "a", "an", "and", "or", "of", "to", "in", "at", "on", "for", "with", "by",
	"from", "is", "was", "are", "were", "be", "been", "has", "had", "have", "will", "would", "may",
	"might", "can", "could", "shall", "should", "must", "did", "does", "do", "not", "no", "yes", "he",
	"she", "her", "his", "him", "they", "them", "their", "who", "whom", "which", "that", "this", "it",
	"its", "also", "very", "still", "just", "here", "there", "home", "now", "then", "today",
	"tonight", "tomorrow", "yesterday", "well", "per", "up", "down", "out", "over", "after", "before",
	"into", "as", "but", "if", "so", "all", "any", "some", "my", "our", "your", "we", "you", "i", "me",
	"us", "said", "says", "states", "stated", "reports", "reported", "aware", "notified", "called",
	"came", "went", "made", "updated", "informed", "present", "here", "pt", "patient",
	"january", "february", "march", "april", "june", "july", "august", "september", "october",
	"november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

// particles are lower-case name words between given name and surname.
var particles = set("van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le",
	"ter", "ten", "bin", "ibn", "al", "el", "dos", "das", "zu", "y")

// orgHeads end (or start, before "of") organisation names.
var orgHeads = set("court", "courts", "tribunal", "university", "college", "school", "academy", "institute",
	"hospital", "hosp", "clinic", "clinique", "centre", "center", "council", "ministry", "authority",
	"agency", "commission", "board", "bank", "company", "corporation", "corp", "inc", "ltd", "llc", "plc",
	"ab", "ag", "bv", "nv", "spa", "srl", "sarl", "oy", "oyj", "kft", "sro",
	"gmbh", "group", "foundation", "association", "society", "trust", "union", "party", "prison",
	"police", "gendarmerie", "church", "mosque", "synagogue", "hotel", "factory", "firm", "solicitors",
	"partners", "chambers", "railways", "railway", "insurance", "pharmacy", "laboratories", "services",
	"logistics", "healthcare", "rehab", "memorial", "directorate", "inspectorate", "prefecture",
	"governorate", "office", "department", "home", "medicine", "associates", "practice", "health", "borough", "county", "province", "region", "village", "town",
	"city", "parish", "district", "canton", "oblast", "voivodeship", "municipality", "ward", "committee")

// placeHeads make a head-word name a place rather than an organisation.
var placeHeads = set("borough", "county", "province", "region", "village", "town", "city", "parish",
	"district", "canton", "oblast", "voivodeship", "municipality", "ward")

// connectors may stand inside an organisation name.
var connectors = set("of", "and", "for", "the", "de", "du", "des", "la", "le", "der", "di", "del")

// saints make an ordinary word specific in a hospital's name ("Sacred
// Heart", "St Mary").
var saints = set("st", "saint", "holy", "sacred", "mount", "mt", "san", "santa", "sankt", "memorial",
	"mercy", "samaritan", "sam", "providence", "baptist", "methodist", "presbyterian", "lutheran",
	"adventist", "shriners", "union", "general")

// strongHeads are the organisation heads trusted in ALL-CAPS text, where
// capitals tell nothing.
var strongHeads = set("hospital", "hosp", "clinic", "center", "centre", "university", "college", "school",
	"court", "bank", "rehab", "memorial", "va", "vamc", "prison", "church")

// titleStop are words that follow a title without being a name ("DR
// ORDERS", "per MD note").
var titleStop = set("orders", "order", "ordered", "note", "notes", "office", "team", "paged", "page",
	"made", "bedside", "visit", "rounds", "ok", "okd", "wants", "want", "aware", "notified", "informed",
	"called", "here", "in", "at", "to", "on", "of", "and", "by", "for", "with", "re", "about", "spoke",
	"said", "says", "states", "stated", "feels", "thinks", "requests", "requested", "recommends",
	"following", "follow", "service", "consult", "consulted", "also", "who", "was", "is", "has", "had",
	"will", "would", "may", "did", "does", "saw", "seen", "came", "come", "gave", "given", "placed",
	"increased", "decreased", "changed", "started", "stopped", "d/c", "dc", "plan", "plans", "reports",
	"md", "rn", "np", "pa", "x", "s", "am", "pm")

// placeVerbs and placePreps introduce places ("transferred to", "lives in").
var (
	placeVerbs = set("transferred", "transfered", "tranfered", "transfer", "admitted", "presented",
		"brought", "sent", "discharged", "returned", "moved", "lives", "living", "lived", "resides",
		"residing", "born", "arrived", "travelled", "traveled", "relocated", "visiting", "works", "worked",
		"working", "employed", "studied", "attended", "attends", "taken", "flown", "screened", "evaluated",
		"fly", "flew", "flying", "drove", "driving", "flighted", "transported", "transport", "leave",
		"visit", "settled", "raised", "grew", "stayed", "staying", "live", "lived", "bakery", "business",
		"retired", "store", "shop", "house", "farm", "go", "going", "goes", "went", "headed", "enroute", "en")
	placePreps = set("to", "from", "at", "in", "into", "near", "by")
	placeStop  = set("ccu", "icu", "micu", "sicu", "csru", "nicu", "picu", "er", "ed", "ew", "or", "pacu",
		"cath", "osh", "snf", "rehab", "floor", "unit", "home", "bed", "vna", "ct", "mri", "ir", "ep", "us",
		"ekg", "ecg", "echo", "xray", "pt", "ot", "hd", "tcu", "ltc", "nh", "ltac", "lab", "ccl", "cvicu",
		"ctu", "ward", "room", "rm", "the", "his", "her", "a", "an", "bedside", "chair", "commode", "dialysis",
		"surgery", "radiology", "nuclear", "stress", "ap", "pa", "iv", "po", "prn", "md", "np", "rn",
		"court", "prison", "hospital", "school", "work", "jail", "custody", "detention")
)

// koreanSurnames are the first syllables of the most frequent Korean
// family names.
var koreanSurnames = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반라왕금옥육인맹제모탁국어은편용예경봉사부가복태목형계피두감음빈동온호범좌팽승간상갈시단견당" {
		m[r] = true
	}
	return m
}()

// institutional is the vocabulary of the names of public bodies: names made
// of these and a head word ("Supreme Administrative Court", "Social
// Insurance Authority") name an institution, not a party.
var institutional = set("supreme", "administrative", "constitutional", "regional", "district",
	"provincial", "municipal", "national", "federal", "state", "social", "insurance", "security",
	"military", "civil", "criminal", "high", "higher", "appeal", "appeals", "cassation", "labour",
	"labor", "human", "rights", "public", "health", "education", "justice", "interior", "defence",
	"defense", "foreign", "affairs", "finance", "agriculture", "economy", "environment", "transport",
	"employment", "pension", "pensions", "immigration", "police", "prosecution", "general", "central",
	"first", "instance", "european", "international", "law", "legal", "president", "united", "nations",
	"commonwealth", "council", "county", "city", "town", "family", "youth", "juvenile", "magistrates",
	"crown", "assize", "peace", "commercial", "tax", "customs", "revenue", "land", "registry",
	"cadastral", "audit", "accounts", "election", "electoral", "broadcasting", "media", "data",
	"protection", "competition", "financial", "supervisory", "medical", "mental", "psychiatric",
	"university", "state's", "chief", "principal", "office", "department", "ministry", "new", "old",
	"penitentiary", "agricultural", "remand", "veterans", "disability", "employment", "registration", "appeals",
	"civil", "enforcement", "probation", "forestry", "cadastre", "planning", "building", "housing", "welfare")

// koreanStop are words before 님/씨 that are roles, not names ("선생님").
var koreanStop = map[string]bool{"선생": true, "교수": true, "사장": true, "부장": true, "과장": true, "팀장": true,
	"원장": true, "회장": true, "기사": true, "간호사": true, "의사": true, "환자": true, "고객": true, "손님": true,
	"여러분": true, "박사": true, "소장": true, "실장": true, "차장": true, "대리": true, "이사": true, "형님": true}

// usStates are the postal abbreviations and names of US states.
var usStates = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY " +
		"ALABAMA ALASKA ARIZONA ARKANSAS CALIFORNIA COLORADO CONNECTICUT DELAWARE FLORIDA GEORGIA HAWAII IDAHO ILLINOIS INDIANA IOWA KANSAS KENTUCKY LOUISIANA MAINE MARYLAND MASSACHUSETTS MICHIGAN MINNESOTA MISSISSIPPI MISSOURI MONTANA NEBRASKA NEVADA OHIO OKLAHOMA OREGON PENNSYLVANIA TENNESSEE TEXAS UTAH VERMONT VIRGINIA WASHINGTON WISCONSIN WYOMING") {
		m[s] = true
	}
	return m
}()

// awareWords follow a clinician's name in notes ("md wyman aware").
var awareWords = set("aware", "notified", "paged", "informed", "ordered", "called")

// roleWords stand before a clinician's name in notes ("md wyman", "np
// grace").
var roleWords = set("md", "np", "rn", "pa", "ho", "resident", "intern", "fellow", "attending", "nurse",
	"dr", "doctor", "per", "team", "cardiologist", "surgeon", "physician", "rrt", "rt", "sw", "pcp")

// relations are family words ("SON ROB").
var relations = set("wife", "husband", "son", "sons", "daughter", "daughters", "dtr", "dtrs", "brother",
	"sister", "mother", "father", "mom", "dad", "niece", "neice", "nephew", "aunt", "uncle", "cousin",
	"grandson", "granddaughter", "friend", "boyfriend", "girlfriend", "partner", "spouse", "fiance")

// hospitalHeads make one capitalised word before them a hospital's name.
var hospitalHeads = set("hospital", "hosp", "clinic", "rehab", "infirmary", "sanatorium", "hospice")

// homeKinds make "Home" an organisation ("Care Home").
var homeKinds = set("care", "nursing", "funeral", "group", "children's", "childrens", "retirement",
	"residential", "foster", "convalescent")

// roleTitles are clinical roles that notes write before a name like a
// title ("HO SCHWARZ", "np grace", "W/MD SPEARS").
var roleTitles = set("md", "ho", "np", "rn")

// companyForms are the legal forms after a company's name, written in
// capitals ("Strix Television AB", "MotoMeter AG").
var companyForms = set("ab", "ag", "bv", "nv", "spa", "srl", "sarl", "oy", "oyj", "kft", "sro", "llc", "plc", "ltd", "inc", "gmbh")
