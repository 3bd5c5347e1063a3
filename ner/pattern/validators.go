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
	"luhn":         luhn,
	"card_prefix":  cardPrefix,
	"ssn":          ssn,
	"iban":         iban,
	"nanp":         nanp,
	"phone_digits": phoneDigits,
	"min6_digits":  func(v string) bool { return len(digits(v)) >= 6 },
	"has_digit":    func(v string) bool { return strings.ContainsAny(v, "0123456789") },
	"ipv4":         ipv4,
	"ipv6":         ipv6,
	"age":          age,
	"not_fraction": notFraction,
	"vin":          vin,
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
	if len(d) < 13 || len(d) > 19 {
		return false
	}
	sum := 0
	for i := 0; i < len(d); i++ {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// cardPrefix accepts the issuer ranges of the major networks (American
// Express, Visa, Mastercard, Discover, JCB, UnionPay, Diners) and rejects
// numbers of one repeated digit.
func cardPrefix(v string) bool {
	d := digits(v)
	if d == "" || strings.Count(d, d[:1]) == len(d) {
		return false
	}
	switch d[0] {
	case '3', '4', '5', '6', '2':
		return true
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

// nanp checks a North American number: area code and exchange start with 2–9.
func nanp(v string) bool {
	d := digits(v)
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	if len(d) != 10 {
		return false
	}
	return d[0] >= '2' && d[3] >= '2'
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

// notFraction rejects month/day pairs that are far more often fractions.
func notFraction(v string) bool {
	switch v {
	case "1/2", "1/3", "1/4", "2/3", "3/4", "1/8", "3/8", "5/8", "7/8":
		return false
	}
	return true
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
