package profiles

import (
	"regexp"
	"strconv"
	"strings"
)

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"}

// Date holds the parts of a date that could be read; zero means unknown.
type Date struct{ Year, Month, Day int }

var (
	year4Re   = regexp.MustCompile(`\b(1[89][0-9]{2}|20[0-9]{2})\b`)
	monthRe   = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?`)
	numericRe = regexp.MustCompile(`^\s*([0-9]{1,4})([/.\-])([0-9]{1,2})(?:([/.\-])([0-9]{2,4}))?\s*$`)
	dayRe     = regexp.MustCompile(`\b([0-9]{1,2})(?:st|nd|rd|th)?\b`)
)

// ParseDate reads the year, month and day of the date forms the pattern
// rules detect: 02/17/1951, 2/17/51, 17.02.1951, 1951-02-17, March 3, 1987,
// 3 March 1987, March 1998, 5/13. Numeric dates are read month first (US
// usage) unless the first number cannot be a month or the separator is a dot.
func ParseDate(s string) Date {
	if m := numericRe.FindStringSubmatch(s); m != nil {
		return parseNumeric(m)
	}
	var d Date
	if m := year4Re.FindStringSubmatch(s); m != nil {
		d.Year, _ = strconv.Atoi(m[1])
	}
	if m := monthRe.FindStringSubmatch(s); m != nil {
		for i, name := range monthNames {
			if strings.EqualFold(name[:3], m[1]) {
				d.Month = i + 1
			}
		}
		rest := strings.Replace(s, m[0], " ", 1)
		if y := year4Re.FindString(rest); y != "" {
			rest = strings.Replace(rest, y, " ", 1)
		}
		if dm := dayRe.FindStringSubmatch(rest); dm != nil {
			if n, _ := strconv.Atoi(dm[1]); n >= 1 && n <= 31 {
				d.Day = n
			}
		}
	}
	return d
}

func parseNumeric(m []string) Date {
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[3])
	var c int
	hasC := m[5] != ""
	if hasC {
		c, _ = strconv.Atoi(m[5])
	}
	var d Date
	switch {
	case len(m[1]) == 4: // ISO y-m-d
		d = Date{Year: a, Month: b}
		if hasC {
			d.Day = c
		}
	case m[2] == "." || a > 12: // day first
		d = Date{Day: a, Month: b}
		if hasC {
			d.Year = fullYear(c, len(m[5]))
		}
	default:
		d = Date{Month: a, Day: b}
		if hasC {
			d.Year = fullYear(c, len(m[5]))
		}
	}
	if d.Month < 1 || d.Month > 12 {
		d.Month = 0
	}
	return d
}

// fullYear widens a two-digit year: 00–29 is 20xx, 30–99 is 19xx.
func fullYear(y, digits int) int {
	if digits == 4 {
		return y
	}
	if digits != 2 {
		return 0
	}
	if y < 30 {
		return 2000 + y
	}
	return 1900 + y
}
