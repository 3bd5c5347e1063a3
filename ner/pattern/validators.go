package pattern

import (
	"math/big"
	"net/netip"
	"strconv"
	"strings"
)

// Validator reports whether a matched value is a plausible identifier of its
// kind (a checksum, a range check). It must not panic on any input.
type Validator func(value string) bool

// validators are referenced by name from rules.yaml.
var validators = map[string]Validator{
	"luhn":             luhn,
	"card_prefix":      cardPrefix,
	"ssn":              ssn,
	"iban":             iban,
	"nanp":             nanp,
	"phone_digits":     phoneDigits,
	"nanp_local":       nanpLocal,
	"nanp_local_range": nanpLocalRange,
	"min6_digits":      func(v string) bool { return len(digits(v)) >= 6 },
	"has_digit":        func(v string) bool { return strings.ContainsAny(v, "0123456789") },
	"ipv4":             ipv4,
	"ipv6":             ipv6,
	"age":              age,
	"not_fraction":     notFraction,
	"vin":              vin,
	"pesel":            pesel,
	"nip":              nip,
	"regon":            regon,
	"pl_id_card":       plIDCard,
	"rrn":              rrn,
	"vn_cccd":          vnCCCD,
	"nhs":              nhs,
	"ni_number":        niNumber,
	"eu_vat":           euVAT,
	"not_repeated":     notRepeated,
}

// ValidatorNames returns the names rules may use in validate:.
func ValidatorNames() []string {
	out := make([]string, 0, len(validators))
	for k := range validators {
		out = append(out, k)
	}
	return out
}

func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// luhn checks the Luhn (mod 10) check digit of a 13–19 digit number.
func luhn(v string) bool {
	d := digits(v)
	return len(d) >= 13 && len(d) <= 19 && luhnDigits(d)
}

// cardPrefix accepts the issuer ranges of the major networks with the
// lengths they issue (ISO/IEC 7812 as the networks publish it): Visa 4
// (13, 16 or 19 digits), American Express 34 and 37 (15), Diners 30, 36,
// 38 and 39 (14 to 16), Mastercard 2 and 5 (16; Maestro 5 and 6 up to 19),
// Discover, JCB, UnionPay and Maestro 3 and 6 (16 to 19). It rejects
// numbers of one repeated digit. The lengths keep out other Luhn numbers
// (South African identity numbers have 13 digits and begin with a year).
func cardPrefix(v string) bool {
	d := digits(v)
	if len(d) < 13 || strings.Count(d, d[:1]) == len(d) {
		return false
	}
	n := len(d)
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19
	case d[:2] == "34" || d[:2] == "37":
		return n == 15
	case d[:2] == "30" || d[:2] == "36" || d[:2] == "38" || d[:2] == "39":
		return n >= 14 && n <= 16
	case d[0] == '2' || d[0] == '5':
		return n >= 16 && n <= 19
	case d[0] == '3' || d[0] == '6':
		return n >= 16 && n <= 19
	}
	return false
}

// ssn rejects numbers the Social Security Administration never issues:
// area 000, 666 or 900–999, group 00, serial 0000.
func ssn(v string) bool {
	d := digits(v)
	if len(d) != 9 {
		return false
	}
	area, group, serial := d[:3], d[3:5], d[5:]
	if area == "000" || area == "666" || area[0] == '9' {
		return false
	}
	return group != "00" && serial != "0000"
}

// iban checks length and the ISO 7064 mod-97 check digits.
func iban(v string) bool {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	rearranged := s[4:] + s[:4]
	var num strings.Builder
	for _, c := range rearranged {
		switch {
		case c >= '0' && c <= '9':
			num.WriteRune(c)
		case c >= 'A' && c <= 'Z':
			num.WriteString(strconv.Itoa(int(c-'A') + 10))
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(num.String(), 10)
	if !ok {
		return false
	}
	return new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// nanp checks the length of a North American number (ten digits, or
// eleven with the country code 1) and rejects one repeated digit. Area codes
// and exchanges are not checked: numbers in records are often
// made-up or mistyped, and they identify all the same.
func nanp(v string) bool {
	// an extension after the number ("x45", "ext. 12") is not one of its
	// digits; lower-cased byte for byte, so that offsets stay those of v
	// (strings.ToLower changes the length of invalid or non-ASCII text)
	lower := []byte(v)
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + 32
		}
	}
	for _, sep := range []string{"extension", "ext", "x"} {
		if i := strings.Index(string(lower), sep); i > 0 {
			v = v[:i]
			break
		}
	}
	d := digits(v)
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	return len(d) == 10 && notRepeated(d)
}

// nanpLocal checks a North American local number (seven digits, an
// extension after them aside): its exchange begins with 2–9 and is not a
// service code (N11: 211, 311 … 911), and its digits are not all the same.
// Two groups joined by a hyphen whose second is the larger with no leading
// zero ("500-1000", "760-1240") read as a range of values first: those are
// nanpLocalRange's, which a rule takes only with a telephone word before.
func nanpLocal(v string) bool {
	return localNumber(v) && !ascendingRange(v)
}

// nanpLocalRange accepts the local numbers nanpLocal leaves to context: a
// hyphenated pair that also reads as an ascending range.
func nanpLocalRange(v string) bool {
	return localNumber(v) && ascendingRange(v)
}

// localNumber checks the digits of a seven-digit NANP local number.
func localNumber(v string) bool {
	if i := strings.IndexAny(v, "xXeE"); i > 0 {
		v = v[:i]
	}
	d := digits(v)
	return len(d) == 7 && d[0] >= '2' && d[1:3] != "11" && notRepeated(d)
}

// ascendingRange reports whether v starts with three digits, a hyphen and
// four digits without a leading zero that count more than the three.
func ascendingRange(v string) bool {
	if len(v) < 8 || v[3] != '-' || v[4] == '0' {
		return false
	}
	return num(digits(v[4:8])) > num(digits(v[:3]))
}

// notRepeated rejects values whose digits are all the same.
func notRepeated(v string) bool {
	d := digits(v)
	return d != "" && strings.Count(d, d[:1]) != len(d)
}

// weighted returns the sum of the digits of d times weights.
func weighted(d string, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	return sum
}

// pesel checks a Polish PESEL: 11 digits, a valid birth date (the month
// carries the century) and the check digit (weights 1,3,7,9,...).
func pesel(v string) bool {
	d := digits(v)
	if len(d) != 11 || !notRepeated(d) {
		return false
	}
	month := int(d[2]-'0')*10 + int(d[3]-'0')
	day := int(d[4]-'0')*10 + int(d[5]-'0')
	if month%20 < 1 || month%20 > 12 || day < 1 || day > 31 {
		return false
	}
	check := (10 - weighted(d, []int{1, 3, 7, 9, 1, 3, 7, 9, 1, 3})%10) % 10
	return int(d[10]-'0') == check
}

// nip checks a Polish tax number (NIP): 10 digits, mod-11 check digit.
func nip(v string) bool {
	d := digits(v)
	if len(d) != 10 || !notRepeated(d) {
		return false
	}
	c := weighted(d, []int{6, 5, 7, 2, 3, 4, 5, 6, 7}) % 11
	return c != 10 && int(d[9]-'0') == c
}

// regon checks a Polish business register number (REGON) of 9 or 14
// digits.
func regon(v string) bool {
	d := digits(v)
	switch len(d) {
	case 9:
		return notRepeated(d) && weighted(d, []int{8, 9, 2, 3, 4, 5, 6, 7})%11%10 == int(d[8]-'0')
	case 14:
		return notRepeated(d) && weighted(d, []int{2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8})%11%10 == int(d[13]-'0')
	}
	return false
}

// plIDCard checks a Polish identity card number: three letters, six digits,
// the first digit a check digit over the others (weights 7,3,1,7,3).
func plIDCard(v string) bool {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if len(s) != 9 {
		return false
	}
	weights := []int{7, 3, 1, 0, 7, 3, 1, 7, 3}
	sum := 0
	for i := 0; i < 9; i++ {
		c := s[i]
		var n int
		switch {
		case i < 3 && c >= 'A' && c <= 'Z':
			n = int(c-'A') + 10
		case i >= 3 && c >= '0' && c <= '9':
			n = int(c - '0')
		default:
			return false
		}
		sum += n * weights[i]
	}
	return sum%10 == int(s[3]-'0')
}

// rrn checks a Korean resident registration number: YYMMDD, a sex and
// century digit, and the check digit of numbers issued before October 2020
// (later numbers have none, so a valid date and sex digit with context is
// enough for the rule's context score; without the check digit the value
// must come with context, see rules.yaml).
func rrn(v string) bool {
	d := digits(v)
	if len(d) != 13 {
		return false
	}
	month := int(d[2]-'0')*10 + int(d[3]-'0')
	day := int(d[4]-'0')*10 + int(d[5]-'0')
	if month < 1 || month > 12 || day < 1 || day > 31 || d[6] < '1' || d[6] > '8' {
		return false
	}
	check := (11 - weighted(d, []int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5})%11) % 10
	return int(d[12]-'0') == check
}

// vnCCCD checks the shape of a Vietnamese 12-digit citizen identity number
// (căn cước công dân): a province code 001–096 and a sex/century digit.
// It has no check digit.
func vnCCCD(v string) bool {
	d := digits(v)
	if len(d) != 12 || !notRepeated(d) {
		return false
	}
	province := int(d[0]-'0')*100 + int(d[1]-'0')*10 + int(d[2]-'0')
	return province >= 1 && province <= 96
}

// nhs checks a UK NHS number: 10 digits, mod-11 check digit (weights
// 10..2; a remainder giving 10 is never issued).
func nhs(v string) bool {
	d := digits(v)
	if len(d) != 10 || !notRepeated(d) {
		return false
	}
	c := 11 - weighted(d, []int{10, 9, 8, 7, 6, 5, 4, 3, 2})%11
	if c == 11 {
		c = 0
	}
	return c != 10 && int(d[9]-'0') == c
}

// niNumber checks a UK National Insurance number: two prefix letters (not
// D, F, I, Q, U, V; second not O; not BG, GB, KN, NK, NT, TN, ZZ), six
// digits, suffix A–D.
func niNumber(v string) bool {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if len(s) != 9 {
		return false
	}
	p := s[:2]
	switch p {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	if strings.ContainsAny(p, "DFIQUV") || p[1] == 'O' {
		return false
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[8] >= 'A' && s[8] <= 'D'
}

// euVAT checks an EU VAT number: the Polish ones by the NIP check digit,
// the others by shape only (their rules differ per country), and rejects
// repeated digits.
func euVAT(v string) bool {
	s := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
	if len(s) < 4 {
		return false
	}
	if strings.HasPrefix(s, "PL") {
		return nip(s[2:])
	}
	return notRepeated(s[2:])
}

// phoneDigits accepts 8 to 15 digits (E.164 allows at most 15).
func phoneDigits(v string) bool {
	n := len(digits(v))
	return n >= 8 && n <= 15
}

func ipv4(v string) bool {
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is4()
}

func ipv6(v string) bool {
	if strings.Count(v, ":") < 2 {
		return false
	}
	a, err := netip.ParseAddr(v)
	return err == nil && a.Is6()
}

func age(v string) bool {
	n, err := strconv.Atoi(digits(v))
	return err == nil && n <= 125 && len(digits(v)) == len(strings.TrimSpace(v))
}

// notFraction rejects month/day pairs that are far more often fractions or
// scores: common fractions and equal halves ("5/5" strength, "4/4" bottles).
func notFraction(v string) bool {
	switch v {
	case "1/2", "1/3", "1/4", "2/3", "3/4", "1/8", "3/8", "5/8", "7/8":
		return false
	}
	a, b, ok := strings.Cut(v, "/")
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	return !ok || a != b || len(a) != 1 || a > "5"
}

// vin checks the ISO 3779 check digit (position 9) of a 17-character VIN,
// as used in North America, and requires both letters and digits.
func vin(v string) bool {
	if len(v) != 17 {
		return false
	}
	translit := func(c byte) (int, bool) {
		switch {
		case c >= '0' && c <= '9':
			return int(c - '0'), true
		case c >= 'A' && c <= 'H':
			return int(c-'A') + 1, true
		case c >= 'J' && c <= 'N':
			return int(c-'J') + 1, true
		case c == 'P':
			return 7, true
		case c == 'R':
			return 9, true
		case c >= 'S' && c <= 'Z':
			return int(c-'S') + 2, true
		}
		return 0, false
	}
	weights := [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}
	sum, letters := 0, 0
	for i := 0; i < 17; i++ {
		n, ok := translit(v[i])
		if !ok {
			return false
		}
		if v[i] > '9' {
			letters++
		}
		sum += n * weights[i]
	}
	check := byte('0' + sum%11)
	if sum%11 == 10 {
		check = 'X'
	}
	return v[8] == check && letters > 0 && letters < 17
}
