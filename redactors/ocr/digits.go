package ocr

import "unicode"

// Numbers misread. On a fax or a noisy scan OCR reads a digit as the
// letter it resembles most, most often at the start of a word: "Q3/16/1978",
// "@5/28/1959", "O7700 900123", "l2/04/2001". Detection then sees no date
// or number, and the value is missed. Text reads such a word as the digits
// it shows (Digits), so that the chain finds the value and Redact blanks
// the word it came from.

// digitLike maps the characters OCR gives for a digit to that digit.
var digitLike = map[rune]rune{
	'O': '0', 'o': '0', 'Q': '0', 'D': '0', '@': '0', 'Ø': '0', 'ø': '0',
	'l': '1', 'I': '1', '|': '1', 'i': '1', '!': '1',
	'Z': '2', 'z': '2',
	'S': '5', 's': '5', '$': '5',
	'G': '6', 'b': '6',
	'B': '8',
	'g': '9', 'q': '9',
}

// Digits returns w read as a number when it is one with misread digits: at
// least four digits, at most a quarter of its digit positions (and at
// most two) given as look-alike characters (digitLike), and nothing else
// but the separators of dates, telephone and record numbers ("/", "-",
// ".", "(", ")", ","). A look-alike must stand beside a digit or a
// separator, so that words ("Sol", "2nd", "B12") stay as they are.
// Otherwise w is returned as it is.
func Digits(w string) string {
	rs := []rune(w)
	digits, like := 0, 0
	for _, r := range rs {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case isSep(r):
		default:
			if _, ok := digitLike[r]; !ok {
				return w
			}
			like++
		}
	}
	if like == 0 || digits < 4 || like > 2 || like*4 > digits+like {
		return w
	}
	out := make([]rune, len(rs))
	for i, r := range rs {
		out[i] = r
		if d, ok := digitLike[r]; ok {
			near := func(j int) bool {
				return j >= 0 && j < len(rs) && (unicode.IsDigit(rs[j]) || isSep(rs[j]))
			}
			if !near(i-1) && !near(i+1) {
				return w
			}
			out[i] = d
		}
	}
	return string(out)
}

func isSep(r rune) bool {
	switch r {
	case '/', '-', '.', '(', ')', ',':
		return true
	}
	return false
}
