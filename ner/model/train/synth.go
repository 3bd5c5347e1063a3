package train

import (
	"cmp"
	"embed"
	"hash/fnv"
	"math/rand"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner/gazetteer"
)

//go:embed names/*.txt
var nameFiles embed.FS

// Nationality is a list of given names and surnames of one language or
// country (names/*.txt).
type Nationality struct {
	Code            string
	Given, Surnames []string
}

// HeldOut reports whether a name is kept out of training: a quarter of
// every list, by a hash of the name, builds the international test set.
func HeldOut(name string) bool {
	h := fnv.New32a()
	h.Write([]byte("veil-names-v1\x00" + name))
	return h.Sum32()%4 == 0
}

// Nationalities reads names/*.txt; heldOut selects the held-out quarter
// (true) or the training rest (false).
func Nationalities(heldOut bool) []Nationality {
	ents, _ := nameFiles.ReadDir("names")
	var out []Nationality
	for _, e := range ents {
		b, _ := nameFiles.ReadFile("names/" + e.Name())
		n := Nationality{Code: strings.TrimSuffix(e.Name(), ".txt")}
		for _, line := range strings.Split(string(b), "\n") {
			kind, list, ok := strings.Cut(line, ":")
			if !ok || strings.HasPrefix(line, "#") {
				continue
			}
			for _, w := range strings.Fields(list) {
				w = strings.ReplaceAll(w, "_", " ")
				if HeldOut(w) != heldOut {
					continue
				}
				if kind == "given" {
					n.Given = append(n.Given, w)
				} else {
					n.Surnames = append(n.Surnames, w)
				}
			}
		}
		if len(n.Given) > 0 && len(n.Surnames) > 0 {
			out = append(out, n)
		}
	}
	return out
}

// Generator writes synthetic annotated documents.
type Generator struct {
	rng    *rand.Rand
	nats   []Nationality
	en     int // index of the English list
	cities []string
	// philter's lists, sorted (map order is random)
	pfirst, plast []string
	safe          []string // ordinary words that are no name
	// Typos is the chance that a word gets a typing error.
	Typos float64
	// Intl makes every name come from the nationality lists (the
	// international test set).
	Intl bool
	// Rich turns on the documents of version 2 (rich.go): people who
	// recur in a document (a surname alone after the full name), more
	// written forms of a name ("QUILLANBY, Orsolya", "O.K. Quillanby"),
	// results lists and headlines in news, news spaced as tokenised
	// text. The international test set is written without it, so that
	// its documents stay the same across versions.
	Rich bool
	// RichNews and RichNames turn on one half of Rich each (model v3's
	// experiments, docs/QUALITY.md): RichNews the news items of rich.go
	// (results lists, headlines in capitals, tokenised spacing) with
	// names in version 1's forms; RichNames the recurring people and
	// the more written forms of a name in every kind of document.
	RichNews, RichNames bool
	// RichTables adds results tables to news (tables.go: ranked lines
	// "N. Given Surname ( Country ) time", draws, line-ups, scorers),
	// without rich.go's headlines in capitals, tokenised spacing or
	// lone surnames before scores (conllper2's experiments,
	// docs/QUALITY.md). TablesShare is the share of news items written
	// so; 0 means 0.3.
	RichTables  bool
	TablesShare float64
	// NewsShare is the share of news items written by rich.go's news
	// when RichNews or Rich is on; 0 means 0.6.
	NewsShare float64
	// RichClinical adds clinical.go's lines to notes (names with no cue
	// word, care facilities and units labelled as places, with and
	// without a cue) and types a fifth of names without their
	// diacritics (modelrecall's experiments, docs/QUALITY.md).
	RichClinical bool
	// RichFacilities is RichClinical without its lines of names with no
	// cue word: facilities, units and names without diacritics only.
	RichFacilities bool
}

func (g *Generator) richNews() bool  { return g.Rich || g.RichNews }
func (g *Generator) richNames() bool { return g.Rich || g.RichNames }

// NewGenerator returns a generator drawing from the training names
// (heldOut false) or the held-out ones.
func NewGenerator(seed int64, heldOut bool) *Generator {
	g := &Generator{rng: rand.New(rand.NewSource(seed)), nats: Nationalities(heldOut), Typos: 0.03}
	for i, n := range g.nats {
		if n.Code == "en" {
			g.en = i
		}
	}
	for p, city := range gazetteer.Places() {
		if city {
			g.cities = append(g.cities, titleWords(p))
		}
	}
	sort.Strings(g.cities)
	g.cities = append(g.cities, foreignTowns...)
	for _, w := range gazetteer.SafeWords().Words() {
		if f := gazetteer.Lookup(w); f&(gazetteer.First|gazetteer.Last) == 0 && len(w) > 1 {
			g.safe = append(g.safe, w)
		}
	}
	sort.Strings(g.safe)
	if !heldOut {
		g.pfirst = sortedSample(gazetteer.FirstNames(), 20000, 7)
		g.plast = sortedSample(gazetteer.LastNames(), 20000, 11)
	}
	return g
}

// sortedSample returns up to n words of s in a deterministic order.
func sortedSample(s gazetteer.Set, n int, salt uint32) []string {
	var all []string
	for _, w := range s.Words() {
		if len(w) >= 3 && !HeldOut(w) {
			all = append(all, w)
		}
	}
	sort.Strings(all)
	if len(all) <= n {
		return all
	}
	out := make([]string, 0, n)
	step := len(all) / n
	for i := int(salt) % step; i < len(all) && len(out) < n; i += step {
		out = append(out, all[i])
	}
	return out
}

func titleWords(s string) string {
	ws := strings.Fields(s)
	for i, w := range ws {
		r, n := utf8.DecodeRuneInString(w)
		ws[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(ws, " ")
}

var foreignTowns = strings.Fields(`Győr Debrecen Szeged Pécs Miskolc Kecskemét Brno Ostrava Plzeň Olomouc České_Budějovice Hradec_Králové Tampere Turku Oulu Jyväskylä Kuopio Lahti Coimbra Braga Setúbal Funchal Aveiro Évora Kraków Łódź Gdańsk Szczecin Lublin Rzeszów Huế Đà_Nẵng Hải_Phòng Cần_Thơ Nha_Trang Daegu Incheon Gwangju Daejeon Suwon Zaragoza Málaga Córdoba Valladolid Vigo Gijón A_Coruña Alicante Bursa Antalya Konya Adana Eskişehir Pune Chennai Kolkata Hyderabad Ahmedabad Lucknow Kochi Jaipur Thrissur Nagpur Graz Linz Innsbruck Bielefeld Münster Lyon Toulouse Nantes Rennes Lille Grenoble Bologna Firenze Torino Palermo Bari Utrecht Eindhoven Groningen Uppsala Malmö Bergen Trondheim Aarhus Odense Thessaloniki Patras Cluj-Napoca Timișoara Iași Kharkiv Lviv Odesa Dnipro Kazan Samara Tabriz Shiraz Mosul Basra Aleppo Homs Ibadan Enugu Kumasi Mombasa Kisumu Durban Cebu Davao Surabaya Bandung Medan Chiang_Mai Springfield Fairview Riverside Greenville Bristol Clinton Franklin Madison Georgetown Salem Ashland Milford Oxford Burlington Manchester Dover Hudson Lexington Marion Newport Quincy Waverly Brockton Framingham Worcester Lowell Pittsfield Bridgeport Stamford Torrington Waterbury Scranton Allentown Yonkers Utica Binghamton Trenton Camden Hoboken Paterson`)

func init() {
	for i, t := range foreignTowns {
		foreignTowns[i] = strings.ReplaceAll(t, "_", " ")
	}
}

func (g *Generator) pick(s []string) string { return s[g.rng.Intn(len(s))] }
func (g *Generator) chance(p float64) bool  { return g.rng.Float64() < p }

// nat picks the nationality of a person.
func (g *Generator) nat() *Nationality {
	if !g.Intl && g.chance(0.35) {
		return &g.nats[g.en]
	}
	return &g.nats[g.rng.Intn(len(g.nats))]
}

// given and surname of one person.
func (g *Generator) person() (given, surname string, n *Nationality) {
	n = g.nat()
	switch {
	case !g.Intl && g.pfirst != nil && g.chance(0.2):
		given, surname = titleWords(g.pick(g.pfirst)), titleWords(g.pick(g.plast))
	case !g.Intl && g.chance(0.2):
		given, surname = g.invented(), g.invented()
	default:
		given, surname = g.pick(n.Given), g.pick(n.Surnames)
		if n.Code == "es" && g.chance(0.3) {
			surname += " " + g.pick(n.Surnames)
		}
		if g.chance(0.05) {
			surname += "-" + g.pick(n.Surnames)
		}
	}
	return given, surname, n
}

var syllables = strings.Fields("ka ri mo lu ve an ta sel dor mi na bre kol vin ra zu em ost ul gar fen tis hal jo bel mar quin ash tor nev ric sa lo den pra vik zel ur")

func (g *Generator) invented() string {
	var b strings.Builder
	for i, n := 0, 2+g.rng.Intn(2); i < n; i++ {
		b.WriteString(g.pick(syllables))
	}
	return titleWords(b.String())
}

// doc builds one document piece by piece.
type doc struct {
	g      *Generator
	b      strings.Builder
	spans  []Span
	caseM  int // 0 as written, 1 lower, 2 upper
	cast   []person
	spaced bool // punctuation spaced off the words, as in tokenised news
	// asPrinted keeps names as written (no name typed in lower case or
	// capitals): results tables are printed, not typed.
	asPrinted bool
}

func (d *doc) cased(s string) string {
	switch d.caseM {
	case 1:
		return lowerSame(s)
	case 2:
		return upperSame(s)
	}
	return s
}

// lowerSame and upperSame change case rune by rune where the byte length
// stays the same, so that offsets hold.
func lowerSame(s string) string { return mapSame(s, unicode.ToLower) }
func upperSame(s string) string { return mapSame(s, unicode.ToUpper) }
func mapSame(s string, f func(rune) rune) string {
	var b strings.Builder
	for _, r := range s {
		m := f(r)
		if utf8.RuneLen(m) != utf8.RuneLen(r) {
			m = r
		}
		b.WriteRune(m)
	}
	return b.String()
}

// lit writes literal text, with typos.
func (d *doc) lit(s string) {
	s = d.cased(d.g.typos(s, d.g.Typos))
	if d.spaced {
		s = spacePunct(s)
	}
	d.b.WriteString(s)
}

// ent writes an entity of type t.
func (d *doc) ent(s string, t int) {
	if (d.g.RichClinical || d.g.RichFacilities) && t == Per && d.g.chance(0.2) {
		s = plain(s)
	}
	s = d.g.typos(s, d.g.Typos*0.7)
	s = d.cased(s)
	if d.caseM == 0 && t == Per && !d.asPrinted {
		switch r := d.g.rng.Float64(); {
		case r < 0.10:
			s = lowerSame(s)
		case r < 0.16:
			s = upperSame(s)
		}
	}
	start := d.b.Len()
	d.b.WriteString(s)
	d.spans = append(d.spans, Span{Start: start, End: d.b.Len(), Type: t})
}

// typos introduces typing errors into words of s with probability p each.
func (g *Generator) typos(s string, p float64) string {
	if p <= 0 || !g.chance(p*4) {
		return s
	}
	ws := strings.Split(s, " ")
	for i, w := range ws {
		r := []rune(w)
		if len(r) < 4 || !g.chance(p) {
			continue
		}
		k := 1 + g.rng.Intn(len(r)-2)
		switch g.rng.Intn(4) {
		case 0:
			r[k], r[k+1] = r[k+1], r[k]
		case 1:
			r = append(r[:k], r[k+1:]...)
		case 2:
			r = append(r[:k+1], r[k:]...)
		case 3:
			if unicode.IsLower(r[k]) {
				r[k] = rune('a' + g.rng.Intn(26))
			}
		}
		ws[i] = string(r)
	}
	return strings.Join(ws, " ")
}

// render expands a template: {per} a full name, {first}, {last}, {given
// and surname forms}, {city}, {hosp}, {org}, {court}, {date}, {year},
// {street}, {acro}, {n} a number, {drug}, {ward}; literal text otherwise.
func (d *doc) render(tpl string) {
	g := d.g
	for tpl != "" {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			d.lit(tpl)
			return
		}
		d.lit(tpl[:i])
		j := strings.IndexByte(tpl[i:], '}')
		slot := tpl[i+1 : i+j]
		tpl = tpl[i+j+1:]
		switch slot {
		case "per":
			if g.richNames() {
				d.ent(d.richName(), Per)
			} else {
				d.ent(g.fullName(), Per)
			}
		case "first":
			f, _, _ := d.person()
			d.ent(f, Per)
		case "last":
			_, l, _ := d.person()
			d.ent(l, Per)
		case "fl":
			f, l, _ := d.person()
			d.ent(f+" "+l, Per)
		case "city":
			d.ent(g.pick(g.cities), Loc)
		case "hosp":
			d.ent(g.hospital(), Org)
		case "org":
			d.ent(g.org(), Org)
		case "court":
			d.ent(g.pick(g.cities)+" "+g.pick(courtKinds), Org)
		case "date":
			d.lit(g.date())
		case "year":
			d.lit(itoa(1940 + g.rng.Intn(85)))
		case "street":
			d.lit(itoa(1+g.rng.Intn(900)) + " ")
			d.ent(g.street(), Loc)
		case "init":
			d.lit(string(rune('A' + g.rng.Intn(26))))
		case "salad":
			d.lit(g.salad())
		case "acro":
			d.ent(g.acronym(), Org)
		case "fac":
			d.ent(g.facility(), Loc)
		case "unit":
			d.ent(g.unit(), Loc)
		case "ward":
			_, l, _ := g.person()
			d.ent(l+" "+g.pick(strings.Fields("4 5 6 7 8 north south east west building")), Loc)
		case "n":
			d.lit(itoa(g.rng.Intn(100)))
		case "nn":
			d.lit(itoa(100 + g.rng.Intn(900)))
		case "drug":
			d.lit(g.pick(drugs))
		case "eponym":
			d.lit(g.pick(eponyms))
		case "body":
			d.lit(g.pick(nationalBodies))
		case "country":
			d.ent(g.pick(countries), Loc)
		case "score":
			d.lit(g.score())
		case "LAST":
			_, l, _ := d.person()
			d.ent(upperSame(l), Per)
		default:
			d.lit(slot)
		}
	}
}

// fullName is a person's name in one of the forms documents use.
func (g *Generator) fullName() string {
	f, l, n := g.person()
	switch r := g.rng.Float64(); {
	case n.Code == "vi" && r < 0.5, n.Code == "zh" && r < 0.3, n.Code == "ko" && r < 0.4, n.Code == "hu" && r < 0.3:
		return l + " " + f // family name first
	case r < 0.55:
		return f + " " + l
	case r < 0.68:
		f2, _, _ := g.person()
		return f + " " + string([]rune(f2)[:1]) + ". " + l
	case r < 0.78:
		return string([]rune(f)[:1]) + ". " + l
	case r < 0.86:
		return l + ", " + f
	case r < 0.93:
		return l
	default:
		return f
	}
}

var courtKinds = strings.Fields("Regional_Court District_Court Court_of_Appeal Magistrates'_Court Assize_Court Administrative_Court Public_Prosecutor's_Office Police_Department Prison Labour_Court County_Court")
var orgKinds = strings.Fields("Industries Construction Logistics Bank Insurance Holdings Foods Textiles Transport Motors Associates Partners Consulting Press Pharmacy")

func init() {
	for i, c := range courtKinds {
		courtKinds[i] = strings.ReplaceAll(c, "_", " ")
	}
}

func (g *Generator) hospital() string {
	_, l, _ := g.person()
	c := g.pick(g.cities)
	switch g.rng.Intn(9) {
	case 0:
		return c + " General Hospital"
	case 1:
		return "St. " + l + "'s Hospital"
	case 2:
		return l + " Memorial Hospital"
	case 3:
		return c + " Medical Center"
	case 4:
		return l + " Clinic"
	case 5:
		return c + " Rehab"
	case 6:
		return "University of " + c + " Hospital"
	case 7:
		return c + " Nursing Home"
	default:
		return g.acronym()
	}
}

func (g *Generator) org() string {
	_, l, _ := g.person()
	_, l2, _ := g.person()
	c := g.pick(g.cities)
	switch g.rng.Intn(8) {
	case 0:
		return l + " & " + l2 + " LLP"
	case 1:
		return l + " " + g.pick(orgKinds)
	case 2:
		return c + " " + g.pick(orgKinds)
	case 3:
		return c + " High School"
	case 4:
		return "University of " + c
	case 5:
		return c + " Police Department"
	case 6:
		return l + " Sp. z o.o."
	default:
		return l + " " + g.pick(strings.Fields("Inc. Ltd GmbH AB S.A. Kft."))
	}
}

func (g *Generator) acronym() string {
	n := 2 + g.rng.Intn(3)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('A' + g.rng.Intn(26)))
	}
	if g.chance(0.5) {
		b.WriteByte('H')
	}
	return b.String()
}

func (g *Generator) street() string {
	_, l, _ := g.person()
	return l + " " + g.pick(strings.Fields("Street St. Avenue Ave Road Rd Lane Drive Court Way utca ulica ulice katu rua"))
}

var months = strings.Fields("January February March April May June July August September October November December")

func (g *Generator) date() string {
	d, m, y := 1+g.rng.Intn(28), 1+g.rng.Intn(12), 1950+g.rng.Intn(76)
	mon := months[m-1]
	switch g.rng.Intn(11) {
	case 0:
		return itoa(m) + "/" + itoa(d)
	case 1:
		return itoa(m) + "/" + itoa(d) + "/" + itoa(y)
	case 2:
		return mon + " " + itoa(d)
	case 3:
		return itoa(d) + " " + mon + " " + itoa(y)
	case 4:
		return mon + " " + itoa(d) + ", " + itoa(y)
	case 5:
		return mon[:3] + " " + itoa(d) + "th"
	case 6:
		return itoa(y) + "-" + pad(m) + "-" + pad(d)
	case 7:
		return pad(d) + "." + pad(m) + "." + itoa(y)
	case 8:
		return mon + " " + itoa(y)
	case 9:
		return g.pick(strings.Fields("Christmas Thanksgiving Easter New_Year's_Eve Labor_Day Memorial_Day"))
	default:
		return itoa(m) + "/" + itoa(d) + "/" + pad(y%100)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func pad(n int) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

// Kinds of synthetic documents.
const (
	KindNote = iota
	KindLetter
	KindCourt
	KindForm
	KindNews
	numKinds
)

// Doc returns one synthetic document of a kind.
func (g *Generator) Doc(kind int) Example {
	d := &doc{g: g}
	switch kind {
	case KindNote:
		// ICU notes: half of them in one case
		switch r := g.rng.Float64(); {
		case r < 0.3:
			d.caseM = 1
		case r < 0.55:
			d.caseM = 2
		}
		g.note(d)
	case KindLetter:
		g.fill(d, letterLines, 4, 9)
	case KindCourt:
		g.fill(d, courtLines, 5, 12)
	case KindForm:
		if g.chance(0.3) {
			d.caseM = 2
		}
		g.fill(d, formLines, 5, 12)
	default:
		if share := g.NewsShare; g.richNews() && g.chance(cmp.Or(share, 0.6)) {
			g.news(d)
		} else if g.RichTables && g.chance(cmp.Or(g.TablesShare, 0.3)) {
			g.table(d)
		} else {
			g.fill(d, newsLines, 4, 10)
		}
	}
	txt := strings.ReplaceAll(d.b.String(), "_", " ")
	return Example{Text: txt, Spans: d.spans}
}

func (g *Generator) fill(d *doc, lines []string, lo, hi int) {
	n := lo + g.rng.Intn(hi-lo+1)
	for i := 0; i < n; i++ {
		d.render(g.pick(lines))
		if g.chance(0.6) {
			d.lit("\n")
		} else {
			d.lit(" ")
		}
	}
}

func (g *Generator) note(d *doc) {
	if g.chance(0.3) {
		d.render(g.pick(noteHeaders))
		d.lit("\n")
	}
	n := 4 + g.rng.Intn(10)
	for i := 0; i < n; i++ {
		if (g.RichClinical || g.RichFacilities) && g.chance(0.15) {
			if g.RichClinical && g.chance(0.5) {
				d.render(g.pick(clinicalNames))
			} else {
				d.render(g.pick(clinicalPlaces))
			}
		} else if g.chance(0.32) {
			d.render(g.pick(noteNames))
		} else {
			d.render(g.pick(noteClinical))
		}
		switch r := g.rng.Float64(); {
		case r < 0.5:
			d.lit("\n")
		case r < 0.6:
			d.lit("\n\n")
		default:
			d.lit(" ")
		}
	}
}

var abbrevs = strings.Fields("pt pt's s/p w/ c/o r/o h/o d/c'd prn q4h q2h bid tid qd po iv im sq sl ngt ogt ett cvl picc art_line a-line tf tpn ns lr d5w prbc ffp plt hct wbc bun cr k mg ca phos inr ptt abg vbg cxr ct mri ekg echo tee cath icu ccu micu sicu csru ed er or pacu ho md np pa rn cna pt/ot sw ss hs am pm o/n x1 x2 x3 sob cp n/v abd bs bm uo i/o lll rll rul lul bilat wnl nad mae perrla a+o rass cam-icu sbt psv cpap bipap peep fio2 nc nrb vt rr hr bp sbp map cvp pcwp co ci svr afib nsr st sb svt vt pvc pac dm htn cad chf copd cabg ptca mi stemi nstemi cva tia uti pna ards dvt pe gib aki esrd hd crrt")

// salad is a run of ordinary words and clinical shorthand, for the model
// to learn that a word in the lists of ordinary words is no name in any
// case.
func (g *Generator) salad() string {
	n := 3 + g.rng.Intn(10)
	ws := make([]string, n)
	for i := range ws {
		switch r := g.rng.Float64(); {
		case r < 0.55:
			ws[i] = g.pick(g.safe)
		case r < 0.8:
			ws[i] = strings.ReplaceAll(g.pick(abbrevs), "_", " ")
		case r < 0.9:
			ws[i] = itoa(g.rng.Intn(200)) + g.pick(strings.Fields(". / % mg cc ml x - : .5 /min"))
		default:
			ws[i] = g.pick(drugs)
		}
		if g.chance(0.15) {
			ws[i] = titleWords(ws[i])
		} else if g.chance(0.1) {
			ws[i] = strings.ToUpper(ws[i])
		}
	}
	return strings.Join(ws, g.pick([]string{" ", " ", " ", ", ", ". ", " - "}))
}
