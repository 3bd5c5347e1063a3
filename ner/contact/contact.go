// Package contact finds contact details that a regular expression cannot
// judge alone: telephone numbers checked against the numbering plan of
// their country (the libphonenumber metadata, through
// github.com/nyaruka/phonenumbers), numbers spelled in words ("five five
// five, one two three four"), and e-mail addresses written to slip past
// filters ("name [at] example [dot] com").
//
// Numbers in North American shape (with their extensions and made-up
// exchanges) and numbers after a fax or pager keyword stay with the rules
// of ner/pattern; this detector adds the numbering plans of every region.
package contact

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"

	"github.com/veilhq/veil/ner"
)

// Detector finds telephone numbers, spelled numbers and disguised e-mail
// addresses. It is immutable and safe for concurrent use.
type Detector struct {
	regions []string
}

var _ ner.Detector = (*Detector)(nil)

// DefaultRegions are the regions a number without a country code is
// tried in, in order (ISO 3166-1 codes): the countries whose records Veil
// reads most.
var DefaultRegions = []string{"US", "GB", "PL", "KR", "VN", "DE", "FR", "ES", "IT", "NL", "IE", "SE", "FI", "AU", "CA", "IN", "SG", "ZA", "PH", "TR", "TH"}

// New returns a detector that tries numbers without a country code in
// regions (DefaultRegions when none are given).
func New(regions ...string) *Detector {
	if len(regions) == 0 {
		regions = DefaultRegions
	}
	return &Detector{regions: append([]string(nil), regions...)}
}

// Name implements ner.Detector.
func (d *Detector) Name() string { return "contact" }

// Detect implements ner.Detector.
func (d *Detector) Detect(ctx context.Context, text string) ([]ner.Finding, error) {
	var out []ner.Finding
	var err error
	if out, err = d.appendPhones(ctx, out, text); err != nil {
		return nil, err
	}
	out = appendSpelled(out, text)
	out = appendDisguisedEmails(out, text)
	return out, nil
}

// Scores of telephone numbers by the evidence for them.
const (
	scoreContext   = 0.95 // a phone word before it
	scoreFax       = 0.97 // a fax word before it
	scoreIntl      = 0.9  // +CC or 00CC, valid in that country
	scoreGrouped   = 0.8  // grouped as numbers are, valid in a region with a trunk prefix or NANP
	scorePlain     = 0.55 // ten digits or more in one run, valid
	scoreNoPrefix  = 0.6  // grouped, valid only where numbers have no trunk prefix
	scoreLoneShort = 0.4  // any other valid number: research's threshold, not the others'
)

// maxCandidate bounds the length of a candidate number (libphonenumber
// refuses inputs over 250 characters; no number is written that long).
const maxCandidate = 40

// appendPhones appends the telephone numbers of text.
func (d *Detector) appendPhones(ctx context.Context, out []ner.Finding, text string) ([]ner.Finding, error) {
	for i := 0; i < len(text); {
		if i&0x3ff == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		lo, hi, ok := candidateAt(text, i)
		if !ok {
			i++
			continue
		}
		i = hi
		if f, ok := d.judge(text, lo, hi); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// candidateAt returns the candidate number that starts at i: a '+', '('
// or digit not glued to a word or a longer number, then digits and single
// separators (space, hyphen, dot, slash, brackets), ending in a digit.
func candidateAt(text string, i int) (int, int, bool) {
	c := text[i]
	if !(isDigit(c) || (c == '+' || c == '(') && i+1 < len(text) && (isDigit(text[i+1]) || text[i+1] == ' ' && i+2 < len(text) && isDigit(text[i+2]))) {
		return 0, 0, false
	}
	if i > 0 {
		p := text[i-1]
		if isDigit(p) || p == '+' || p == '_' || p >= 0x80 || p >= 'a' && p <= 'z' || p >= 'A' && p <= 'Z' || (p == '.' || p == ',' || p == '/' || p == '-' || p == ':') && i > 1 && isDigit(text[i-2]) {
			return 0, 0, false
		}
	}
	j, last, digits, seps := i, -1, 0, 0
	for j < len(text) && j-i < maxCandidate {
		b := text[j]
		switch {
		case isDigit(b):
			digits++
			last = j
			j++
			continue
		case b == ' ' || b == '-' || b == '.' || b == '/' || b == '(' || b == ')' || b == '+' && j == i:
			if j+1 < len(text) && (text[j+1] == ' ' || text[j+1] == '-' || text[j+1] == '.') && b != ')' && b != '+' {
				// two separators: only ") ", " (", "- " and " -" go on
				if !(text[j+1] == ' ' && b == '-' || b == ' ' && text[j+1] == '-') {
					break
				}
			}
			seps++
			j++
			continue
		}
		break
	}
	if last < 0 || digits < 7 || digits > 17 {
		return 0, 0, false
	}
	hi := last + 1
	if hi < len(text) && (isDigit(text[hi]) || text[hi] >= 'a' && text[hi] <= 'z' || text[hi] >= 'A' && text[hi] <= 'Z' || text[hi] == '_') {
		return 0, 0, false
	}
	if hi < len(text) && text[hi] >= 0x80 {
		// letters glue to a number, but Korean and Japanese particles
		// follow it without a space ("010-1234-5678입니다")
		r, _ := utf8.DecodeRuneInString(text[hi:])
		if !unicode.In(r, unicode.Hangul, unicode.Hiragana, unicode.Han) {
			return 0, 0, false
		}
	}
	// a closing bracket belongs to the number only if it opened there
	lo := i
	if text[lo] == '(' && !strings.Contains(text[lo:hi], ")") {
		lo++
	}
	return lo, hi, true
}

// judge decides whether text[lo:hi] is a telephone number.
func (d *Detector) judge(text string, lo, hi int) (ner.Finding, bool) {
	cand := text[lo:hi]
	if looksLikeOther(cand) {
		return ner.Finding{}, false
	}
	ctxWords := wordsBefore(text, lo, 5)
	phoneCtx, faxCtx := hasAny(ctxWords, phoneWords), hasAny(ctxWords, faxWords)
	digits := digitsOf(cand)
	if strings.Count(digits, digits[len(digits)-4:len(digits)-3]) >= len(digits)-1 {
		return ner.Finding{}, false // one digit over and over
	}
	international := cand[0] == '+' || strings.HasPrefix(digits, "00") || strings.HasPrefix(digits, "011")
	if !phoneCtx && !faxCtx && !phoneGrouping(cand) {
		return ner.Finding{}, false
	}
	if !phoneCtx && !faxCtx && !international {
		// Without a phone word a number must look like one before the
		// numbering plans are asked (which is costly): grouped with
		// eight digits or more, or ten in one run, and not after a
		// word that names another kind of number.
		grouped := strings.IndexFunc(cand, func(r rune) bool { return r < '0' || r > '9' }) >= 0
		if grouped && len(digits) < 8 || !grouped && len(digits) < 10 || hasAny(wordsBefore(text, lo, 2), numberLabels) {
			return ner.Finding{}, false
		}
		// a run of digits alone is a number of North America or one
		// written with its trunk prefix, or no telephone number
		if !grouped && digits[0] != '0' && !nanpShape(digits) {
			return ner.Finding{}, false
		}
	}
	var score float64
	switch {
	case strings.HasPrefix(cand, "+"):
		n, err := phonenumbers.Parse(cand, "ZZ")
		if err != nil || !phonenumbers.IsPossibleNumber(n) {
			return ner.Finding{}, false
		}
		// "+CC" says telephone; a number the plan no longer has (an old
		// London 171 number) is one all the same, with less certainty
		score = scoreIntl
		if !phonenumbers.IsValidNumber(n) {
			score = scoreGrouped
		}
	case strings.HasPrefix(digits, "00") || strings.HasPrefix(digits, "011"):
		from := "DE"
		if strings.HasPrefix(digits, "011") {
			from = "US"
		}
		n, err := phonenumbers.Parse(cand, from)
		if err != nil || !phonenumbers.IsValidNumber(n) || n.GetCountryCode() == 0 {
			return ner.Finding{}, false
		}
		score = scoreIntl
	default:
		region, ok := d.region(cand)
		if !ok {
			return ner.Finding{}, false
		}
		grouped := strings.IndexFunc(cand, func(r rune) bool { return r < '0' || r > '9' }) >= 0
		trunk := digits[0] == '0' || region == "US" || region == "CA"
		switch {
		case grouped && trunk:
			score = scoreGrouped
		case grouped:
			score = scoreNoPrefix
		case len(digits) >= 10:
			score = scorePlain
		default:
			score = scoreLoneShort
		}
	}
	e := ner.Phone
	switch {
	case faxCtx && (!phoneCtx || lastOf(ctxWords, faxWords) > lastOf(ctxWords, phoneWords)):
		e, score = ner.Fax, scoreFax
	case phoneCtx:
		score = max(score, scoreContext)
	}
	return ner.Finding{Start: lo, End: hi, Entity: e, Score: score, Rule: "contact/phone"}, true
}

// region returns the first of the detector's regions where cand is a
// valid number written nationally.
func (d *Detector) region(cand string) (string, bool) {
	digits := digitsOf(cand)
	for _, r := range d.regions {
		if digits[0] == '0' && !trunkZero[r] || digits[0] != '0' && !noTrunk[r] {
			continue // a national number starts with 0 exactly where the trunk prefix is 0
		}
		n, err := phonenumbers.Parse(cand, r)
		if err != nil {
			continue
		}
		if phonenumbers.IsValidNumberForRegion(n, r) {
			return r, true
		}
	}
	return "", false
}

// trunkZero are the regions where a number written nationally may begin
// with 0 (the trunk prefix, or a 0 that is part of the number, as in
// Italy); noTrunk those where it may begin with another digit.
var (
	trunkZero = set("GB", "DE", "FR", "KR", "VN", "IT", "NL", "IE", "SE", "FI", "AU", "IN", "ZA", "PH", "TR", "TH", "AT", "BE", "CH", "JP", "CN", "NZ", "BR", "MX")
	noTrunk   = set("US", "CA", "PL", "ES", "IT", "SG", "IN", "DK", "NO", "PT", "GR", "LU", "CZ", "SK", "MX", "CN")
)

func set(xs ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

var (
	ipv4Shape = regexp.MustCompile(`^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$`)
	dateShape = regexp.MustCompile(`^(?:[0-9]{1,4}[./\-][0-9]{1,2}[./\-][0-9]{1,4})$`)
	decimal   = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)
)

// phoneGrouping reports whether the digit groups of c are written as
// telephone numbers are, not as the readings, scores and amounts of a
// text: no group of one digit but a leading country or trunk code, no run
// of two-digit groups only that does not begin with 0, no decimals ("639.55"),
// no spaced hyphens ("46 - 104"), no range for its first two groups
// ("0700-1900", "800-1000"), no mix of dots and hyphens.
func phoneGrouping(c string) bool {
	if strings.Contains(c, " - ") || strings.Contains(c, "- ") || strings.Contains(c, " -") {
		return false
	}
	if strings.Contains(c, ".") && strings.Contains(c, "-") {
		return false
	}
	var groups []string
	var seps []byte
	cur := ""
	for i := 0; i < len(c); i++ {
		if isDigit(c[i]) {
			cur += c[i : i+1]
			continue
		}
		if cur != "" {
			groups = append(groups, cur)
			seps = append(seps, c[i])
			cur = ""
		}
	}
	if cur != "" {
		groups = append(groups, cur)
	}
	twos := 0
	for i, g := range groups {
		if len(g) == 1 && !(i == 0 && (c[0] == '+' || g == "1" || g == "0") || i == 1 && c[0] == '+') {
			return false
		}
		if len(g) == 2 {
			twos++
		}
		if i > 0 && seps[i-1] == '.' && len(g) < 3 {
			return false
		}
	}
	if len(groups) >= 3 && twos == len(groups) && groups[0][0] != '0' && c[0] != '+' {
		return false // "68 72 70 74"
	}
	for i := 0; i+1 < len(groups); i++ {
		if seps[i] != '-' {
			continue
		}
		a, b := groups[i], groups[i+1]
		if len(a) == 4 && len(b) == 4 && hhmm(a) && hhmm(b) && atoi(a) < atoi(b) {
			return false // a span of clock times: "0700-1900"
		}
		if (len(groups) == 2 || i+1 < len(seps) && seps[i+1] == ' ') && len(a) <= 4 && len(b) <= 4 && len(a) <= len(b) && atoi(a) < atoi(b) {
			return false // a range: "800-1000", "650-900 20"
		}
	}
	return true
}

// hhmm reports whether four digits are a time of day.
func hhmm(s string) bool { return atoi(s[:2]) < 24 && atoi(s[2:]) < 60 }

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// looksLikeOther rejects candidates that are something else: an IP
// address, a date, a decimal number, lab values and blood pressures.
func looksLikeOther(c string) bool {
	if ipv4Shape.MatchString(c) || dateShape.MatchString(c) || decimal.MatchString(c) {
		return true
	}
	// slashes: one, after an area code with its trunk prefix ("030/1234567");
	// more, or with decimals or ranges, are readings ("118/36/7.41/24",
	// "92-128/58-66")
	if n := strings.Count(c, "/"); n > 1 || n == 1 && (c[0] != '0' || strings.ContainsAny(c, ".-")) {
		return true
	}
	return false
}

// nanpShape reports whether ten digits (or eleven after a 1) could be a
// North American number: area code and exchange begin with 2–9.
func nanpShape(d string) bool {
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	return len(d) == 10 && d[0] >= '2' && d[3] >= '2'
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// phoneWords introduce a telephone number, in the languages of Veil's
// records; faxWords a fax number; numberLabels other numbers.
var (
	phoneWords = []string{"phone", "phones", "telephone", "tel", "tel.", "mobile", "mob", "mob.", "cell", "cellphone", "call", "called", "calling", "contact", "ph", "ph.", "text", "sms", "whatsapp", "reach", "hotline", "landline", "number:",
		"kontakt", "numerem", "zadzwoń", "anrufen", "erreichbar", "appeler", "appelez", "llamar", "llame", "chiamare",
		"telefon", "telefonu", "tel:", "komórka", "komórkowy", "kom.", "téléphone", "tél", "tél.", "portable", "teléfono", "móvil", "telefono", "cellulare", "handy", "rufnummer", "telefoon",
		"전화", "전화번호", "휴대폰", "핸드폰", "연락처", "điện", "thoại", "đt", "đt:", "sđt", "sđt:", "sdt", "động"}
	faxWords     = []string{"fax", "fax:", "telefax", "faks", "팩스"}
	numberLabels = []string{
		// other numbers of everyday records
		"invoice", "order", "account", "acct", "ref", "ref.", "reference", "case", "docket", "claim", "policy", "member", "group", "mrn", "chart",
		"card", "serial", "isbn", "issn", "page", "pages", "id", "no.", "nr", "nr.", "#", "no", "item", "sku", "part", "model", "code", "batch", "lot",
		"ticket", "tracking", "receipt", "transaction", "txn", "patient", "record", "amount", "total", "usd", "eur", "pln", "$", "€", "£",
		"faktura", "zamówienie", "rechnung", "bestellnummer", "artikel", "koodi", "sipariş", "주문번호", "번호",
		"factura", "pedido", "facture", "commande", "fattura", "ordine", "mã", "đơn", "hóa",
		// identifiers, whose check digits decide what they are
		"ssn", "itin", "ein", "tin", "npi", "dea", "mbi", "medicare", "medicaid", "routing", "aba", "rtn", "iban", "licence", "license", "dl", "passport", "vin", "imei",
		"nhs", "nino", "sin", "nas", "tfn", "abn", "acn", "irn", "pesel", "nip", "regon", "dni", "nie", "nif", "idnr", "steuer-id", "versicherungsnummer", "svnr",
		"personnummer", "pnr", "hetu", "henkilötunnus", "kimlik", "tckn", "aadhaar", "uid", "pan", "gstin", "nric", "fin", "uen", "sss", "philhealth", "umid", "crn", "psn", "pcn",
		"rrn", "주민등록번호", "외국인등록번호", "주민번호", "운전면허번호", "cccd", "cmnd"}
)

// wordsBefore returns the n words (lower case, trailing punctuation other
// than '.' and ':' removed) before offset at, looking back at most 80 bytes.
func wordsBefore(text string, at, n int) []string {
	lo := max(0, at-80)
	for lo > 0 && lo < len(text) && !utf8.RuneStart(text[lo]) {
		lo++
	}
	fs := strings.Fields(strings.ToLower(text[lo:at]))
	if lo > 0 && len(fs) > 0 {
		fs = fs[1:] // perhaps cut
	}
	if len(fs) > n {
		fs = fs[len(fs)-n:]
	}
	for i, f := range fs {
		fs[i] = strings.TrimRight(f, ",;)(\"'")
	}
	return fs
}

func hasAny(words, set []string) bool { return lastOf(words, set) >= 0 }

// lastOf returns the index of the last of words that is in set (or, for
// set entries of letters, begins with one followed by ':' or '.'), or -1.
func lastOf(words, set []string) int {
	for i := len(words) - 1; i >= 0; i-- {
		w := words[i]
		for _, s := range set {
			if w == s || strings.TrimRight(w, ":.") == s {
				return i
			}
		}
	}
	return -1
}

// numberWords are the digits in words (English).
var numberWords = map[string]byte{"zero": '0', "oh": '0', "o": '0', "nought": '0', "one": '1', "two": '2', "three": '3', "four": '4', "five": '5', "six": '6', "seven": '7', "eight": '8', "nine": '9'}

// appendSpelled appends telephone numbers spelled in words: seven or more
// digit words in a row ("five five five, one two three four"), with
// "double" and "triple" before a digit word, separated by spaces, commas
// or hyphens.
func appendSpelled(out []ner.Finding, text string) []ner.Finding {
	type word struct {
		lo, hi int
		w      string
	}
	var run []word
	digits := 0
	repeat := 1
	flush := func() {
		// a run may not begin with "o"/"oh" alone (an interjection)
		for len(run) > 0 && (run[0].w == "o" || run[0].w == "oh") {
			run = run[1:]
		}
		if digits >= 7 && len(run) > 0 {
			lo, hi := run[0].lo, run[len(run)-1].hi
			score := 0.85
			if hasAny(wordsBefore(text, lo, 5), phoneWords) {
				score = 0.95
			}
			out = append(out, ner.Finding{Start: lo, End: hi, Entity: ner.Phone, Score: score, Rule: "contact/phone-words"})
		}
		run, digits, repeat = run[:0], 0, 1
	}
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf && !isLetter(c) {
			// an ASCII byte that is no letter: what the rune path below
			// does with it, without decoding
			if !(c == ' ' || c == ',' || c == '-' || c == '\n' || c == '\t') {
				flush()
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			if !(r == ' ' || r == ',' || r == '-' || r == '\n' || r == '\t') {
				flush()
			}
			i += n
			continue
		}
		j := i
		ascii := true
		for j < len(text) {
			if c := text[j]; c < utf8.RuneSelf {
				if !isLetter(c) {
					break
				}
				j++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) {
				break
			}
			ascii = false
			j += n
		}
		// The words looked for are ASCII of six letters at most: a longer
		// ASCII word is none of them, and a short one is lower-cased on
		// the stack, not in a new string. Other words are lower-cased as
		// before (İ and the Kelvin sign lower-case to ASCII letters).
		var w string
		if !ascii {
			w = strings.ToLower(text[i:j])
		} else if j-i <= 6 {
			var buf [6]byte
			for k := i; k < j; k++ {
				c := text[k]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf[k-i] = c
			}
			lw := buf[:j-i]
			if string(lw) == "double" || string(lw) == "triple" || numberWords[string(lw)] != 0 {
				w = string(lw)
			}
		}
		switch {
		case w == "double" || w == "triple":
			run = append(run, word{i, j, w})
			repeat = 2
			if w == "triple" {
				repeat = 3
			}
		case numberWords[w] != 0:
			run = append(run, word{i, j, w})
			digits += repeat
			repeat = 1
		default:
			flush()
		}
		i = j
	}
	flush()
	return out
}

// Disguised e-mail addresses: "name [at] example [dot] com", "name(at)
// example(dot)com", "name @ example . com", "name at example dot com".
// Bracketed markers go with any dot; a bare "at" only with a spelled
// "dot", so that "look at example.com" is no address.
var (
	emailBracketed = regexp.MustCompile(`(?i)\b[a-z0-9][a-z0-9._%+\-]{0,63}\s*(?:\[\s*(?:at|@)\s*\]|\(\s*(?:at|@)\s*\)|\{\s*(?:at|@)\s*\}|<\s*at\s*>|\s@\s|\s@|@\s)\s*[a-z0-9][a-z0-9\-]{0,62}(?:\s*` + dotAny + `\s*[a-z0-9][a-z0-9\-]{0,62}){0,3}\s*` + dotAny + `\s*` + tld + `\b`)
	emailSpelled   = regexp.MustCompile(`(?i)\b[a-z0-9][a-z0-9._%+\-]{0,63}\s+at\s+[a-z0-9][a-z0-9\-]{0,62}(?:\s*` + dotWord + `\s*[a-z0-9][a-z0-9\-]{0,62}){0,3}\s*` + dotWord + `\s*` + tld + `\b`)
)

const (
	dotWord = `(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\}|<\s*dot\s*>|\s+dot\s+)`
	dotAny  = `(?:\[\s*dot\s*\]|\(\s*dot\s*\)|\{\s*dot\s*\}|<\s*dot\s*>|\s+dot\s+|\[\.\]|\(\.\)|\.)`
	tld     = `(?:com|org|net|edu|gov|mil|int|info|biz|io|co|us|uk|ca|au|de|fr|pl|kr|vn|es|it|nl|eu|me|app|dev|ai|ie|se|fi|in|sg|za|ph|tr|th|jp|cn|ch|at|be)`
)

// appendDisguisedEmails appends the disguised e-mail addresses of text,
// looking only around their markers.
func appendDisguisedEmails(out []ner.Finding, text string) []ner.Finding {
	return disguisedEmails(out, text, true)
}

// disguisedEmails is appendDisguisedEmails; with gate, an expression
// runs over a window only when the window holds what each of its matches
// holds (emailSpelled: a spelled "dot", every alternative of dotWord;
// emailBracketed: one of "@[({<", in every alternative of its "at"
// marker), which skips the windows of the common " at " where neither
// can match. Without gate (tests), both run over every window.
func disguisedEmails(out []ner.Finding, text string, gate bool) []ner.Finding {
	lower := asciiLower(text) // offsets as in text
	markers := []string{"[at]", "(at)", "{at}", "<at>", "[ at ]", "( at )", " @", "@ ", "[@]", "(@)"}
	var hits []int
	if strings.Contains(lower, "dot") {
		// "at" between spaces, tabs or line breaks, as emailSpelled's \s+at\s+
		for off := 0; ; {
			k := indexSpacedAt(lower, off)
			if k < 0 {
				break
			}
			hits = append(hits, k)
			off = k + 3
		}
	}
	for _, m := range markers {
		for off := 0; ; {
			k := strings.Index(lower[off:], m)
			if k < 0 {
				break
			}
			hits = append(hits, off+k)
			off += k + len(m)
		}
	}
	if len(hits) == 0 {
		return out
	}
	// windows around the markers, merged, each scanned once
	wins := windows(text, hits, 80, 160)
	for _, w := range wins {
		for _, re := range []*regexp.Regexp{emailBracketed, emailSpelled} {
			if gate && re == emailBracketed && !strings.ContainsAny(text[w[0]:w[1]], "@[({<") {
				continue
			}
			if gate && re == emailSpelled && !strings.Contains(lower[w[0]:w[1]], "dot") {
				continue // (?i) folds no other rune to d, o or t
			}
			for _, m := range re.FindAllStringIndex(text[w[0]:w[1]], -1) {
				lo, hi := w[0]+m[0], w[0]+m[1]
				if strings.Contains(text[lo:hi], "@") && !strings.ContainsAny(text[lo:hi], " \t\n[({<") {
					continue // a plain address: the e-mail rule's
				}
				if !domainHasLetter(text[lo:hi]) {
					continue // "due @ 2000. CO": a time, not a host
				}
				out = append(out, ner.Finding{Start: lo, End: hi, Entity: ner.Email, Score: 0.9, Rule: "contact/email-disguised"})
			}
		}
	}
	return out
}

// windows returns [lo,hi) ranges around each hit (sorted or not), back
// bytes before and ahead after, snapped to spaces and merged.
func windows(text string, hits []int, back, ahead int) [][2]int {
	sort.Ints(hits)
	var out [][2]int
	for _, h := range hits {
		lo, hi := max(0, h-back), min(len(text), h+ahead)
		for lo > 0 && !isSpace(text[lo-1]) {
			lo--
		}
		for hi < len(text) && !isSpace(text[hi]) {
			hi++
		}
		if n := len(out); n > 0 && lo <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], hi)
			continue
		}
		out = append(out, [2]int{lo, hi})
	}
	return out
}

// isLetter reports whether an ASCII byte is a letter (unicode.IsLetter
// of it).
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSpace(b byte) bool { return b == ' ' || b == '\n' || b == '\t' || b == '\r' }

// asciiLower lower-cases ASCII letters only, so that offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// indexSpacedAt returns the index in lower (ASCII lower case) of the
// first white space at or after off that is followed by "at" and another
// white space (space, tab, line break, form feed: \s of regexp), or -1.
func indexSpacedAt(lower string, off int) int {
	for off < len(lower) {
		k := strings.Index(lower[off:], "at")
		if k < 0 {
			return -1
		}
		k += off
		if k > 0 && k+2 < len(lower) && regexpSpace(lower[k-1]) && regexpSpace(lower[k+2]) {
			return k - 1
		}
		off = k + 1
	}
	return -1
}

// regexpSpace reports whether c is in \s of Go's regexp: [\t\n\f\r ].
func regexpSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// domainHasLetter reports whether the host of a disguised address (after
// its "at" marker, its dot markers taken out, its top-level domain left
// out) holds a letter.
func domainHasLetter(s string) bool {
	l := asciiLower(s)
	i := -1
	for _, m := range []string{"[at]", "(at)", "{at}", "<at>", "[ at ]", "( at )", "@"} {
		if k := strings.Index(l, m); k >= 0 && (i < 0 || k < i) {
			i = k + len(m)
		}
	}
	if k := indexSpacedAt(l, 0); k >= 0 && (i < 0 || k < i) {
		i = k + 4 // after "at" and the space that follows it
	}
	if i < 0 {
		return false
	}
	host := strings.NewReplacer("[dot]", ".", "(dot)", ".", "{dot}", ".", "<dot>", ".", " dot ", ".").Replace(l[i:])
	if j := strings.LastIndexByte(host, '.'); j > 0 {
		host = host[:j]
	}
	return strings.IndexFunc(host, func(r rune) bool { return r >= 'a' && r <= 'z' }) >= 0
}
