package pattern

import (
	"crypto/sha256"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/sha3"
)

// Validators of national and financial identifiers, each after the
// algorithm its issuer publishes (the source is named in each comment).
// They take the value as matched, with or without its separators, and
// never panic.

func init() {
	for name, v := range map[string]Validator{
		"luhn_any":         func(v string) bool { return luhnDigits(digits(v)) },
		"itin":             itin,
		"mbi":              mbi,
		"npi":              npi,
		"us_dl":            usDriverLicence,
		"aba":              abaRouting,
		"bank_account":     bankAccount,
		"uk_postcode":      ukPostcode,
		"uk_driving":       ukDrivingLicence,
		"mac":              macAddress,
		"btc_base58":       btcBase58,
		"btc_bech32":       btcBech32,
		"eth_address":      ethAddress,
		"ca_sin":           caSIN,
		"au_tfn":           auTFN,
		"au_abn":           auABN,
		"au_acn":           auACN,
		"au_medicare":      auMedicare,
		"de_steuer_id":     deSteuerID,
		"de_svnr":          deSVNR,
		"es_nif":           esNIF,
		"es_nie":           esNIE,
		"it_fiscal":        itFiscalCode,
		"fi_hetu":          fiHETU,
		"se_personnummer":  sePersonnummer,
		"in_aadhaar":       inAadhaar,
		"in_pan":           inPAN,
		"in_gstin":         inGSTIN,
		"sg_nric":          sgNRIC,
		"sg_uen":           sgUEN,
		"tr_kimlik":        trKimlik,
		"th_id":            thID,
		"za_id":            zaID,
		"kr_frn":           krFRN,
		"kr_rrn_shape":     krRRNShape,
		"kr_rrn_context":   krRRNContext,
		"not_date_like":    notDateLike,
		"ph_id":            phID,
		"kr_driver":        krDriver,
		"vn_cccd_strict":   vnCCCDStrict,
		"nanp_area":        nanpArea,
		"min9_digits":      func(v string) bool { return len(digits(v)) >= 9 },
		"min5_digits":      func(v string) bool { return len(digits(v)) >= 5 },
		"letters_digits":   lettersAndDigits,
		"postcode_country": postcodeCountry,
		"address_value":    addressValue,
		"postal_value":     postalValue,
		"name_value":       nameValue,
		"handle_value":     handleValue,
	} {
		validators[name] = v
	}
}

// compact returns v upper-cased without spaces, hyphens, dots and slashes.
func compact(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == ' ' || c == '-' || c == '.' || c == '/' || c == '\t' || c == '\n' || c == '\r':
		case c >= 'a' && c <= 'z':
			b.WriteByte(c - 32)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return s != ""
}

// luhnDigits checks the Luhn (ISO/IEC 7812-1) check digit of a string of
// digits of any length of at least two.
func luhnDigits(d string) bool {
	if len(d) < 2 || !allDigits(d) {
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

// luhnModN checks the Luhn mod N check character over alphabet (ISO/IEC
// 7812 generalised; used by the Indian GSTIN with the 36 characters 0-9A-Z).
func luhnModN(s, alphabet string) bool {
	n := len(alphabet)
	sum := 0
	for i := 0; i < len(s); i++ {
		v := strings.IndexByte(alphabet, s[len(s)-1-i])
		if v < 0 {
			return false
		}
		if i%2 == 1 {
			v *= 2
			v = v/n + v%n
		}
		sum += v
	}
	return sum%n == 0
}

// validDate reports whether day, month and a four-digit year make a date of
// the Gregorian calendar.
func validDate(year, month, day int) bool {
	if month < 1 || month > 12 || day < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month]
	if month == 2 && (year%4 == 0 && (year%100 != 0 || year%400 == 0)) {
		days = 29
	}
	return day <= days
}

func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// itin checks a US individual taxpayer identification number: nine digits,
// the first 9, the fourth and fifth 50–65, 70–88, 90–92 or 94–99 (IRS,
// "ITIN range" notices of 2011 and later).
func itin(v string) bool {
	d := digits(v)
	if len(d) != 9 || d[0] != '9' {
		return false
	}
	g := num(d[3:5])
	return g >= 50 && g <= 65 || g >= 70 && g <= 88 || g >= 90 && g <= 92 || g >= 94
}

// mbi checks the format of a Medicare Beneficiary Identifier (CMS, "MBI
// format specifications"): eleven characters, C A AN N A AN N A A N N, where
// C is 1–9, N 0–9 and A a letter other than S, L, O, I, B, Z.
func mbi(v string) bool {
	s := compact(v)
	if len(s) != 11 {
		return false
	}
	letter := func(c byte) bool { return c >= 'A' && c <= 'Z' && !strings.ContainsRune("SLOIBZ", rune(c)) }
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	an := func(c byte) bool { return letter(c) || digit(c) }
	kinds := []func(byte) bool{digit, letter, an, digit, letter, an, digit, letter, letter, digit, digit}
	for i, ok := range kinds {
		if !ok(s[i]) {
			return false
		}
	}
	return s[0] != '0'
}

// npi checks a US National Provider Identifier: ten digits, the first 1 or
// 2, the Luhn check digit computed with the prefix 80840 (CMS, "Requirements
// for the NPI check digit").
func npi(v string) bool {
	d := digits(v)
	return len(d) == 10 && (d[0] == '1' || d[0] == '2') && luhnDigits("80840"+d)
}

// usDLFormats are the shapes of US driver's licence numbers, separators
// removed, after the formats the states publish (AAMVA DL/ID card design
// standard, annex of jurisdiction formats). L is a letter, 9 a digit.
var usDLFormats = []string{
	"L999999", "L9999999", "L99999999", "L999999999", "L9999999999", "L99999999999", "L999999999999", "L9999999999999", "L99999999999999",
	"LL999999", "LL9999999", "LL99999999", "LL999999999",
	"999LL9999", "L999LL999", "99LLL99999", "LLL999999", "9999999L", "999L99999", "L99L999999",
	"LLLLL999LL", "LLLLLLL999LL", "LLLLLL999LL", "LLLL999LL",
}

// usDriverLicence accepts the number of a US driver's licence written after
// a licence keyword: one of usDLFormats, or 7 to 13 digits.
func usDriverLicence(v string) bool {
	s := compact(v)
	if len(s) < 5 || len(s) > 15 {
		return false
	}
	if allDigits(s) {
		return len(s) >= 7 && len(s) <= 13 && notRepeated(s)
	}
	shape := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			shape[i] = '9'
		case c >= 'A' && c <= 'Z':
			shape[i] = 'L'
		default:
			return false
		}
	}
	for _, f := range usDLFormats {
		if f == string(shape) {
			return true
		}
	}
	return false
}

// abaRouting checks an ABA routing transit number: nine digits whose first
// two are a Federal Reserve routing symbol (00–12, 21–32, 61–72, 80) and
// whose weighted sum 3-7-1 is a multiple of 10 (ABA, "Key to Routing
// Numbers").
func abaRouting(v string) bool {
	d := digits(v)
	if len(d) != 9 || !notRepeated(d) {
		return false
	}
	p := num(d[:2])
	if !(p <= 12 || p >= 21 && p <= 32 || p >= 61 && p <= 72 || p == 80) {
		return false
	}
	return weighted(d, []int{3, 7, 1, 3, 7, 1, 3, 7, 1})%10 == 0
}

// bankAccount accepts 5 to 20 digits, not all the same, not a date.
func bankAccount(v string) bool {
	d := digits(v)
	return len(d) >= 5 && len(d) <= 20 && notRepeated(d) && notDateLike(v)
}

// notDateLike rejects values that read as a date ("2023-04-17",
// "17.04.2023", "04/17/2023").
func notDateLike(v string) bool {
	v = strings.TrimSpace(v)
	for _, sep := range []string{"-", ".", "/"} {
		parts := strings.Split(v, sep)
		if len(parts) != 3 {
			continue
		}
		a, b, c := parts[0], parts[1], parts[2]
		if !allDigits(a) || !allDigits(b) || !allDigits(c) {
			continue
		}
		if len(a) == 4 && len(b) <= 2 && len(c) <= 2 && validDate(num(a), num(b), num(c)) {
			return false
		}
		if len(c) == 4 && len(a) <= 2 && len(b) <= 2 && (validDate(num(c), num(a), num(b)) || validDate(num(c), num(b), num(a))) {
			return false
		}
	}
	return true
}

// ukPostcodeAreas are the 121 postcode areas of the United Kingdom (Royal
// Mail, "Postcode Address File programmers' guide": the outward code
// begins with one of them), plus the non-geographic BX and the Crown
// dependencies GY, JE and IM.
var ukPostcodeAreas = map[string]bool{}

func init() {
	for _, a := range strings.Fields(`AB AL B BA BB BD BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY
		E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU
		M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY
		TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE`) {
		ukPostcodeAreas[a] = true
	}
}

// ukPostcode checks a UK postcode: an outward code of a known area (one
// or two letters, a digit, an optional digit or letter) and an inward code
// (a digit and two letters other than C, I, K, M, O, V).
func ukPostcode(v string) bool {
	s := compact(v)
	if len(s) < 5 || len(s) > 7 {
		return false
	}
	in, out := s[len(s)-3:], s[:len(s)-3]
	if in[0] < '0' || in[0] > '9' || !allLetters(in[1:]) || strings.ContainsAny(in[1:], "CIKMOV") {
		return false
	}
	area := out
	for i := 0; i < len(out); i++ {
		if out[i] >= '0' && out[i] <= '9' {
			area = out[:i]
			break
		}
	}
	if area == "" || len(area) > 2 || !allLetters(area) || !ukPostcodeAreas[area] {
		return false
	}
	district := out[len(area):]
	return len(district) >= 1 && len(district) <= 2 && district[0] >= '0' && district[0] <= '9'
}

// ukDrivingLicence checks a driving licence number of Great Britain (DVLA):
// five characters of the surname (letters, padded with 9), the decade of
// birth, the month of birth (plus 50 for women), the day, the year digit,
// two initials (padded with 9), a digit and two check characters.
func ukDrivingLicence(v string) bool {
	s := compact(v)
	if len(s) == 18 {
		s = s[:16] // a two-digit issue number after the licence number
	}
	if len(s) != 16 {
		return false
	}
	for i := 0; i < 5; i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z' || s[i] == '9') {
			return false
		}
	}
	if s[0] == '9' || !allDigits(s[5:11]) {
		return false
	}
	month, day := num(s[6:8]), num(s[8:10])
	if month > 50 {
		month -= 50
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	for i := 11; i < 13; i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z' || s[i] == '9') {
			return false
		}
	}
	return s[11] != '9' && s[13] >= '0' && s[13] <= '9' && isAlnum(s[14]) && isAlnum(s[15])
}

func isAlnum(c byte) bool { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }

// macAddress checks an IEEE 802 MAC address written as six pairs of hex
// digits separated by colons or hyphens (consistently), or three groups
// of four separated by dots; all-zero, broadcast and one-digit addresses
// are no device's.
func macAddress(v string) bool {
	var hex strings.Builder
	var seps []byte
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			hex.WriteByte(c | 0x20)
		case c == ':' || c == '-' || c == '.':
			seps = append(seps, c)
		default:
			return false
		}
	}
	h := hex.String()
	if len(h) != 12 {
		return false
	}
	for _, s := range seps {
		if s != seps[0] {
			return false
		}
	}
	return strings.Count(h, h[:1]) != len(h)
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// btcBase58 checks a Bitcoin address in Base58Check (BIP-13 and the
// Bitcoin wiki, "Base58Check encoding"): 25 bytes, version 0 (P2PKH,
// "1…") or 5 (P2SH, "3…"), and the first four bytes of the double SHA-256
// of the rest as checksum.
func btcBase58(v string) bool {
	if len(v) < 26 || len(v) > 35 {
		return false
	}
	n := new(big.Int)
	b58 := big.NewInt(58)
	for i := 0; i < len(v); i++ {
		k := strings.IndexByte(base58Alphabet, v[i])
		if k < 0 {
			return false
		}
		n.Mul(n, b58).Add(n, big.NewInt(int64(k)))
	}
	raw := n.Bytes()
	lead := 0
	for lead < len(v) && v[lead] == '1' {
		lead++
	}
	raw = append(make([]byte, lead), raw...)
	if len(raw) != 25 || (raw[0] != 0 && raw[0] != 5) {
		return false
	}
	h1 := sha256.Sum256(raw[:21])
	h2 := sha256.Sum256(h1[:])
	return string(h2[:4]) == string(raw[21:])
}

// btcBech32 checks a segregated-witness Bitcoin address (BIP-173, and
// BIP-350 for witness versions above 0): human-readable part bc, one
// case, the bech32 (version 0) or bech32m (later versions) checksum, and
// a program of 20 or 32 bytes for version 0.
func btcBech32(v string) bool {
	if len(v) < 14 || len(v) > 90 {
		return false
	}
	lower := strings.ToLower(v)
	if lower != v && strings.ToUpper(v) != v {
		return false
	}
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	sep := strings.LastIndexByte(lower, '1')
	if sep < 1 || lower[:sep] != "bc" || len(lower)-sep-1 < 7 {
		return false
	}
	var data []int
	for i := sep + 1; i < len(lower); i++ {
		k := strings.IndexByte(charset, lower[i])
		if k < 0 {
			return false
		}
		data = append(data, k)
	}
	gen := [5]int{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := 1
	values := []int{}
	for i := 0; i < sep; i++ {
		values = append(values, int(lower[i])>>5)
	}
	values = append(values, 0)
	for i := 0; i < sep; i++ {
		values = append(values, int(lower[i])&31)
	}
	values = append(values, data...)
	for _, x := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ x
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	version := data[0]
	if version > 16 {
		return false
	}
	progBits := (len(data) - 7) * 5
	progBytes := progBits / 8
	if version == 0 {
		return chk == 1 && (progBytes == 20 || progBytes == 32)
	}
	return chk == 0x2bc830a3 && progBytes >= 2 && progBytes <= 40
}

// ethAddress checks an Ethereum address: 0x and 40 hex digits; written in
// mixed case, the EIP-55 checksum (a letter is upper case where the
// Keccak-256 of the lower-case address has a nibble of 8 or more).
func ethAddress(v string) bool {
	if len(v) != 42 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X') {
		return false
	}
	h := v[2:]
	hasUpper, hasLower := false, false
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
			hasLower = true
		case c >= 'A' && c <= 'F':
			hasUpper = true
		default:
			return false
		}
	}
	lower := strings.ToLower(h)
	if strings.Count(lower, lower[:1]) == len(lower) {
		return false
	}
	if !hasUpper || !hasLower {
		return true // no checksum written
	}
	k := sha3.NewLegacyKeccak256()
	k.Write([]byte(lower))
	sum := k.Sum(nil)
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c <= '9' {
			continue
		}
		nibble := sum[i/2] >> 4
		if i%2 == 1 {
			nibble = sum[i/2] & 0xf
		}
		if (nibble >= 8) != (c <= 'F') {
			return false
		}
	}
	return true
}

// caSIN checks a Canadian social insurance number: nine digits, Luhn, not
// starting with 8, which begins business numbers (Employment and Social
// Development Canada).
func caSIN(v string) bool {
	d := digits(v)
	return len(d) == 9 && d[0] != '8' && notRepeated(d) && luhnDigits(d)
}

// auTFN checks an Australian tax file number (ATO): nine digits with
// weights 1,4,3,7,5,8,6,9,10, or eight with 10,7,8,4,6,3,5,1, summing to
// a multiple of 11.
func auTFN(v string) bool {
	d := digits(v)
	switch len(d) {
	case 9:
		return notRepeated(d) && weighted(d, []int{1, 4, 3, 7, 5, 8, 6, 9, 10})%11 == 0
	case 8:
		return notRepeated(d) && weighted(d, []int{10, 7, 8, 4, 6, 3, 5, 1})%11 == 0
	}
	return false
}

// auABN checks an Australian business number (ABR, "Format of the ABN"):
// eleven digits; subtract 1 from the first, weigh by 10,1,3,5,…,19, and
// the sum is a multiple of 89.
func auABN(v string) bool {
	d := digits(v)
	if len(d) != 11 || d[0] == '0' || !notRepeated(d) {
		return false
	}
	w := []int{10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19}
	sum := (int(d[0]-'0') - 1) * w[0]
	for i := 1; i < 11; i++ {
		sum += int(d[i]-'0') * w[i]
	}
	return sum%89 == 0
}

// auACN checks an Australian company number (ASIC): nine digits, the last
// the complement to 10 of the first eight weighted 8 down to 1.
func auACN(v string) bool {
	d := digits(v)
	if len(d) != 9 || !notRepeated(d) {
		return false
	}
	return (10-weighted(d, []int{8, 7, 6, 5, 4, 3, 2, 1})%10)%10 == int(d[8]-'0')
}

// auMedicare checks an Australian Medicare card number (Services
// Australia): ten digits (or eleven with the individual reference number),
// the first 2–6, the ninth the weighted sum 1,3,7,9,1,3,7,9 of the first
// eight modulo 10.
func auMedicare(v string) bool {
	d := digits(v)
	if len(d) != 10 && len(d) != 11 {
		return false
	}
	if d[0] < '2' || d[0] > '6' {
		return false
	}
	return weighted(d, []int{1, 3, 7, 9, 1, 3, 7, 9})%10 == int(d[8]-'0')
}

// mod11_10 checks an ISO 7064 MOD 11,10 check digit.
func mod11_10(d string) bool {
	check := 5
	for i := 0; i < len(d); i++ {
		if check == 0 {
			check = 10
		}
		check = (check*2%11 + int(d[i]-'0')) % 10
	}
	return check == 1
}

// deSteuerID checks a German tax identification number (Steuerliche
// Identifikationsnummer, § 139b AO; Bundeszentralamt für Steuern): eleven
// digits, not starting with 0, one digit twice or three times among the
// first ten and no other repeated, ISO 7064 MOD 11,10 check digit.
func deSteuerID(v string) bool {
	d := digits(v)
	if len(d) != 11 || d[0] == '0' {
		return false
	}
	var count [10]int
	for i := 0; i < 10; i++ {
		count[d[i]-'0']++
	}
	repeated := 0
	for _, c := range count {
		switch {
		case c == 2 || c == 3:
			repeated++
		case c > 3:
			return false
		}
	}
	return repeated == 1 && mod11_10(d)
}

// deSVNR checks a German social insurance number (Versicherungsnummer of
// the Deutsche Rentenversicherung, § 147 SGB VI): area (2 digits), birth
// date DDMMYY, the initial of the birth name, serial (2 digits) and a
// check digit: the letter becomes its two-digit place in the alphabet,
// the twelve digits are weighed 2,1,2,5,7,1,2,1,2,1,2,1, and the sum of
// the digit sums of the products modulo 10 is the check digit.
func deSVNR(v string) bool {
	s := compact(v)
	if len(s) != 12 || !allDigits(s[:8]) || s[8] < 'A' || s[8] > 'Z' || !allDigits(s[9:]) {
		return false
	}
	day, month := num(s[2:4]), num(s[4:6])
	if day > 31 || month > 12 || day == 0 && month != 0 {
		return false // day 00 and month 00 stand for unknown
	}
	letter := int(s[8]-'A') + 1
	d := s[:8] + string(rune('0'+letter/10)) + string(rune('0'+letter%10)) + s[9:11]
	w := []int{2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1}
	sum := 0
	for i, x := range w {
		p := int(d[i]-'0') * x
		sum += p/10 + p%10
	}
	return sum%10 == int(s[11]-'0')
}

const esLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// esNIF checks a Spanish NIF of a person (the DNI number, Real Decreto
// 1553/2005): eight digits and the letter of their value modulo 23.
func esNIF(v string) bool {
	s := compact(v)
	if len(s) != 9 || !allDigits(s[:8]) || !notRepeated(s[:8]) {
		return false
	}
	return esLetters[num(s[:8])%23] == s[8]
}

// esNIE checks a Spanish foreigner's identity number (NIE, Orden
// INT/2058/2008): X, Y or Z (read as 0, 1, 2), seven digits and the
// control letter of the NIF.
func esNIE(v string) bool {
	s := compact(v)
	if len(s) != 9 || !strings.ContainsRune("XYZ", rune(s[0])) || !allDigits(s[1:8]) {
		return false
	}
	return esLetters[num(string('0'+s[0]-'X')+s[1:8])%23] == s[8]
}

// itFiscalCode checks an Italian codice fiscale of a person (DM 23/12/1976,
// Agenzia delle Entrate): six letters, year, month letter, day (plus 40
// for women), a place code, and a check letter; digits may be replaced by
// the letters LMNPQRSTUV where codes collide (omocodia).
func itFiscalCode(v string) bool {
	s := compact(v)
	if len(s) != 16 || !allLetters(s[:6]) || !allLetters(s[8:9]) || !allLetters(s[11:12]) || !allLetters(s[15:]) {
		return false
	}
	const omocodia = "LMNPQRSTUV"
	plain := []byte(s)
	for _, i := range []int{6, 7, 9, 10, 12, 13, 14} {
		c := plain[i]
		if c >= '0' && c <= '9' {
			continue
		}
		k := strings.IndexByte(omocodia, c)
		if k < 0 {
			return false
		}
		plain[i] = byte('0' + k)
	}
	if !strings.ContainsRune("ABCDEHLMPRST", rune(s[8])) {
		return false
	}
	day := num(string(plain[9:11]))
	if day > 40 {
		day -= 40
	}
	if day < 1 || day > 31 {
		return false
	}
	odd := []int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}
	sum := 0
	for i := 0; i < 15; i++ {
		c := s[i]
		k := int(c - 'A')
		if c >= '0' && c <= '9' {
			k = int(c - '0')
		}
		if i%2 == 0 {
			sum += odd[k]
		} else {
			sum += k
		}
	}
	return s[15] == byte('A'+sum%26)
}

// fiHETU checks a Finnish personal identity code (henkilötunnus,
// Digital and Population Data Services Agency): DDMMYY, a century sign,
// an individual number 002–999 and the check character of the nine digits
// modulo 31.
func fiHETU(v string) bool {
	s := strings.ToUpper(strings.TrimSpace(v))
	if len(s) != 11 || !allDigits(s[:6]) || !allDigits(s[7:10]) {
		return false
	}
	var century int
	switch c := s[6]; {
	case c == '+':
		century = 1800
	case c == '-' || strings.ContainsRune("YXWVU", rune(c)):
		century = 1900
	case c >= 'A' && c <= 'F':
		century = 2000
	default:
		return false
	}
	if !validDate(century+num(s[4:6]), num(s[2:4]), num(s[:2])) || num(s[7:10]) < 2 {
		return false
	}
	const checks = "0123456789ABCDEFHJKLMNPRSTUVWXY"
	return checks[num(s[:6]+s[7:10])%31] == s[10]
}

// sePersonnummer checks a Swedish personal identity number (Skatteverket,
// SKV 704): YYMMDD (or YYYYMMDD), a separator, three digits and a Luhn
// check digit over the ten digits; coordination numbers add 60 to the day.
func sePersonnummer(v string) bool {
	d := digits(v)
	if len(d) == 12 {
		d = d[2:]
	}
	if len(d) != 10 {
		return false
	}
	month, day := num(d[2:4]), num(d[4:6])
	if day > 60 {
		day -= 60
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	return luhnDigits(d)
}

var (
	verhoeffD = [10][10]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
		{2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
		{4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
		{6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
		{8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0},
	}
	verhoeffP = [8][10]int{
		{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
		{5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
		{9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
		{2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8},
	}
)

// verhoeff checks the Verhoeff check digit (dihedral group D5) of d.
func verhoeff(d string) bool {
	c := 0
	for i := 0; i < len(d); i++ {
		c = verhoeffD[c][verhoeffP[i%8][int(d[len(d)-1-i]-'0')]]
	}
	return c == 0
}

// inAadhaar checks an Aadhaar number (UIDAI): twelve digits, the first
// 2–9, not a palindrome, with a Verhoeff check digit.
func inAadhaar(v string) bool {
	d := digits(v)
	if len(d) != 12 || d[0] < '2' || !notRepeated(d) {
		return false
	}
	palindrome := true
	for i := 0; i < 6; i++ {
		if d[i] != d[11-i] {
			palindrome = false
		}
	}
	return !palindrome && verhoeff(d)
}

// inPAN checks the format of an Indian permanent account number (Income
// Tax Department): five letters, the fourth the holder type (P person, C
// company, H HUF, F firm, A AOP, T trust, B BOI, L local authority, J
// artificial juridical person, G government, K krish), four digits not
// 0000, a letter.
func inPAN(v string) bool {
	s := compact(v)
	return len(s) == 10 && allLetters(s[:5]) && allDigits(s[5:9]) && s[5:9] != "0000" &&
		allLetters(s[9:]) && strings.ContainsRune("PCHFATBLJGK", rune(s[3]))
}

// inGSTIN checks an Indian goods and services tax identification number
// (CBIC): a state code 01–38 or 97, a PAN, an entity number, Z, and a
// Luhn mod 36 check character.
func inGSTIN(v string) bool {
	s := compact(v)
	if len(s) != 15 || !allDigits(s[:2]) {
		return false
	}
	state := num(s[:2])
	if !(state >= 1 && state <= 38 || state == 97 || state == 99) || !inPAN(s[2:12]) {
		return false
	}
	if !isAlnum(s[12]) || s[12] == '0' || s[13] != 'Z' || !isAlnum(s[14]) {
		return false
	}
	return luhnModN(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

// sgNRIC checks a Singapore NRIC or FIN (Immigration & Checkpoints
// Authority): a prefix S, T (citizens and residents born before and from
// 2000), F, G or M (foreigners), seven digits weighed 2,7,6,5,4,3,2 (plus
// 4 for T and G, 3 for M) and the check letter of the sum modulo 11.
func sgNRIC(v string) bool {
	s := compact(v)
	if len(s) != 9 || !allDigits(s[1:8]) || !allLetters(s[8:]) {
		return false
	}
	sum := weighted(s[1:8], []int{2, 7, 6, 5, 4, 3, 2})
	var table string
	switch s[0] {
	case 'S':
		table = "JZIHGFEDCBA"
	case 'T':
		sum += 4
		table = "JZIHGFEDCBA"
	case 'F':
		table = "XWUTRQPNMLK"
	case 'G':
		sum += 4
		table = "XWUTRQPNMLK"
	case 'M':
		sum += 3
		table = "XWUTRQPNJLK"
	default:
		return false
	}
	return table[sum%11] == s[8]
}

// sgUENTypes are the entity types of UENs of the "others" series (ACRA,
// "UEN issuance").
var sgUENTypes = strings.Fields("CC CD CH CL CM CP CS CX DP FB FC FM FN GA GB GS HS LL LP MB MC MD MH MM MQ NB NR PA PB PF RF RP SM SS TC TU VH XL")

// sgUEN checks the format of a Singapore unique entity number (ACRA): a
// business (eight digits and a letter), a local company (year, five
// digits, letter) or another entity (R/S/T, year, entity type, four
// digits, letter). UENs carry a check letter whose algorithm is not
// published; the format alone is checked.
func sgUEN(v string) bool {
	s := compact(v)
	switch {
	case len(s) == 9:
		return allDigits(s[:8]) && allLetters(s[8:]) && notRepeated(s[:8])
	case len(s) == 10 && allDigits(s[:9]):
		y := num(s[:4])
		return y >= 1800 && y <= 2099 && allLetters(s[9:])
	case len(s) == 10 && strings.ContainsRune("RST", rune(s[0])):
		for _, t := range sgUENTypes {
			if s[3:5] == t {
				return allDigits(s[1:3]) && allDigits(s[5:9]) && allLetters(s[9:])
			}
		}
	}
	return false
}

// trKimlik checks a Turkish identity number (T.C. Kimlik No, Nüfus ve
// Vatandaşlık İşleri): eleven digits, the first not 0; the tenth is
// (7 × the sum of the odd places − the sum of the even places) mod 10, the
// eleventh the sum of the first ten mod 10.
func trKimlik(v string) bool {
	d := digits(v)
	if len(d) != 11 || d[0] == '0' || !notRepeated(d) {
		return false
	}
	odd, even := 0, 0
	for i := 0; i < 9; i++ {
		if i%2 == 0 {
			odd += int(d[i] - '0')
		} else {
			even += int(d[i] - '0')
		}
	}
	d10 := ((odd*7-even)%10 + 10) % 10
	if int(d[9]-'0') != d10 {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		sum += int(d[i] - '0')
	}
	return sum%10 == int(d[10]-'0')
}

// thID checks a Thai national identification number (Department of
// Provincial Administration): thirteen digits, the first 1–8, the last
// (11 − the sum of the first twelve weighed 13 down to 2, mod 11) mod 10.
func thID(v string) bool {
	d := digits(v)
	if len(d) != 13 || d[0] < '1' || d[0] > '8' || !notRepeated(d) {
		return false
	}
	return (11-weighted(d, []int{13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2})%11)%10 == int(d[12]-'0')
}

// zaID checks a South African identity number (Department of Home
// Affairs): YYMMDD of birth, four digits of sequence (sex), a
// citizenship digit 0–2, a digit, and a Luhn check digit.
func zaID(v string) bool {
	d := digits(v)
	if len(d) != 13 || d[10] > '2' {
		return false
	}
	yy, mm, dd := num(d[:2]), num(d[2:4]), num(d[4:6])
	if !validDate(1900+yy, mm, dd) && !validDate(2000+yy, mm, dd) {
		return false
	}
	return luhnDigits(d)
}

// krRRNShape checks the date and sex digit of a Korean resident or
// foreign registration number without its check digit (numbers issued
// from October 2020 have none).
func krRRNShape(v string) bool {
	d := digits(v)
	if len(d) != 13 {
		return false
	}
	century := map[byte]int{'9': 1800, '0': 1800, '1': 1900, '2': 1900, '5': 1900, '6': 1900, '3': 2000, '4': 2000, '7': 2000, '8': 2000}
	c, ok := century[d[6]]
	return ok && validDate(c+num(d[:2]), num(d[2:4]), num(d[4:6]))
}

// krRRNContext accepts a Korean registration number written after its
// name: a valid date and sex digit, and the check digit of a resident or
// foreign number, unless the holder was born in 2020 or later (numbers
// issued from October 2020 have no check digit).
func krRRNContext(v string) bool {
	d := digits(v)
	if !krRRNShape(d) {
		return false
	}
	if strings.ContainsRune("3478", rune(d[6])) && num(d[:2]) >= 20 {
		return true
	}
	s := weighted(d, []int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}) % 11
	c := int(d[12] - '0')
	return (11-s)%10 == c || d[6] >= '5' && (13-s)%10 == c
}

// krFRN checks a Korean foreign registration number (외국인등록번호)
// issued before October 2020: a date of birth, a sex digit 5–8, and the
// check digit (13 − the sum weighed 2..9,2..5 mod 11) mod 10, as the
// Ministry of Justice issued it (some were issued with the resident
// number's check digit, which is accepted too).
func krFRN(v string) bool {
	d := digits(v)
	if len(d) != 13 || d[6] < '5' || d[6] > '8' || !krRRNShape(d) {
		return false
	}
	s := weighted(d, []int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}) % 11
	c := int(d[12] - '0')
	return (13-s)%10 == c || (11-s)%10 == c
}

// krDriver checks the format of a Korean driver's licence number (도로교통공단):
// a region code 11–28 (or a region's name before the number), two digits
// of the year, six of serial and two of check and reissue.
func krDriver(v string) bool {
	d := digits(v)
	switch len(d) {
	case 12:
		r := num(d[:2])
		return r >= 11 && r <= 28 && notRepeated(d)
	case 10:
		return notRepeated(d) // after the name of a region
	}
	return false
}

// vnProvinces are the codes of the 63 provinces and cities of Viet Nam in
// citizen identity numbers (Thông tư 07/2016/TT-BCA, annex I).
var vnProvinces = map[int]bool{}

func init() {
	for _, c := range []int{1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96} {
		vnProvinces[c] = true
	}
}

// vnCCCDStrict checks a Vietnamese citizen identity number (căn cước công
// dân, Thông tư 07/2016/TT-BCA): a province code of the annex, a
// sex/century digit, two digits of the year of birth and six of serial.
func vnCCCDStrict(v string) bool {
	d := digits(v)
	return len(d) == 12 && notRepeated(d) && vnProvinces[num(d[:3])]
}

// phID checks a Philippine identifier written in the grouping its issuer
// uses: the PhilSys number (4-4-4-4), SSS (2-7-1), PhilHealth (2-9-1),
// TIN (3-3-3 or 3-3-3-3/5), UMID (4-7-1). None has a published check digit;
// the grouping and context are the evidence.
func phID(v string) bool {
	d := digits(v)
	return len(d) >= 9 && len(d) <= 16 && notRepeated(d)
}

// nanpArea accepts a North American number whose area code and exchange
// begin with 2–9 (NANP numbering plan), as a number without separators
// needs.
func nanpArea(v string) bool {
	d := digits(v)
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	return len(d) == 10 && d[0] >= '2' && d[3] >= '2' && notRepeated(d)
}

// lettersAndDigits requires both a letter and a digit.
func lettersAndDigits(v string) bool {
	l, d := false, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		l = l || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		d = d || c >= '0' && c <= '9'
	}
	return l && d
}

// postcodeCountry checks a postal code written after its country prefix
// ("D-10115", "PL 00-950", "F-75001") against that country's format.
func postcodeCountry(v string) bool {
	s := strings.ToUpper(strings.TrimSpace(v))
	i := strings.IndexAny(s, "- ")
	if i < 1 {
		return false
	}
	return postalFormatOK(s[:i], strings.TrimLeft(s[i:], "- "))
}

// addressValue accepts the value of an address field: two words or more,
// a letter and a digit (a house number or a postal code), at most 200
// bytes.
func addressValue(v string) bool {
	return len(v) <= 200 && len(strings.Fields(v)) >= 2 && strings.IndexFunc(v, unicode.IsLetter) >= 0 && strings.ContainsAny(v, "0123456789")
}

// postalValue accepts the value of a postal-code field: 3 to 10
// characters without spaces, at most two words, a digit.
func postalValue(v string) bool {
	s := compact(v)
	return len(s) >= 3 && len(s) <= 10 && len(strings.Fields(v)) <= 2 && strings.ContainsAny(s, "0123456789")
}

// nameValue accepts the value of a name field: one to five words of
// letters (with hyphens, apostrophes and full stops), no digit, each
// capitalised but for particles ("van", "de"); written all in capitals it
// takes two words or more.
func nameValue(v string) bool {
	ws := strings.Fields(v)
	if len(ws) == 0 || len(ws) > 5 || len(v) > 60 {
		return false
	}
	caps := 0
	for _, w := range ws {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsLetter(r) {
			return false
		}
		for _, c := range w {
			if !(unicode.IsLetter(c) || c == '-' || c == '\'' || c == '’' || c == '.' || c == ',') {
				return false
			}
		}
		switch {
		case unicode.IsUpper(r):
			caps++
		case !nameParticles[strings.ToLower(w)]:
			return false
		}
	}
	if caps == 0 || strings.ToUpper(v) == v && len(ws) < 2 {
		return false
	}
	return true
}

// nameParticles may stand in lower case inside a name.
var nameParticles = map[string]bool{"van": true, "von": true, "de": true, "der": true, "den": true, "da": true, "di": true, "del": true, "della": true, "la": true, "le": true, "du": true, "dos": true, "das": true, "bin": true, "binti": true, "al": true, "el": true, "y": true, "e": true, "ten": true, "ter": true}

// handleValue accepts what names a person in any shape, under a label that
// says it does (author, owner, reviewer): a name in any case, a login, a
// handle; at most four words, and letters for at least half of its
// characters other than spaces (an amount or a date is no person), or one
// word in the shape of a login (loginShape: "oq1987").
func handleValue(v string) bool {
	ws := strings.Fields(v)
	if len(ws) == 0 || len(ws) > 4 {
		return false
	}
	if len(ws) == 1 && loginShape(ws[0]) {
		return true
	}
	letters, n := 0, 0
	for _, r := range v {
		if unicode.IsSpace(r) {
			continue
		}
		n++
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters*2 >= n
}

// loginShape is the shape of an account name (GitHub's and most sites'
// rules): 2 to 39 characters of ASCII letters, digits, '.', '_' and '-',
// at least one of them a letter, so that a login mostly of digits
// ("oq1987") is one, and a number or a date is not.
func loginShape(w string) bool {
	if len(w) < 2 || len(w) > 39 {
		return false
	}
	letter := false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letter = true
		case c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-':
		default:
			return false
		}
	}
	return letter
}
