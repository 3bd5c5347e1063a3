package profiles

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
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

// ShiftDate moves a full date (day, month and year all readable) by days,
// and writes it in the layout of the original: 02/26/2024 -> 01/12/2024,
// 2024-02-11 -> 2023-12-28, March 14, 2024 -> January 29, 2024. It returns
// false for anything that is not a full, valid date, and for results
// outside 1800–2099.
func ShiftDate(value string, days int) (string, bool) {
	d := ParseDate(value)
	if d.Year == 0 || d.Month == 0 || d.Day == 0 {
		return "", false
	}
	t := time.Date(d.Year, time.Month(d.Month), d.Day, 12, 0, 0, 0, time.UTC)
	if t.Day() != d.Day { // 31 February
		return "", false
	}
	t = t.AddDate(0, 0, days)
	if t.Year() < 1800 || t.Year() > 2099 { // outside what ParseDate reads
		return "", false
	}
	if m := numericRe.FindStringSubmatch(value); m != nil {
		field := func(n int, like string) string {
			if len(like) >= 2 {
				return fmt.Sprintf("%02d", n)
			}
			return strconv.Itoa(n)
		}
		year := strconv.Itoa(t.Year())
		if len(m[1]) != 4 && len(m[5]) == 2 {
			year = fmt.Sprintf("%02d", t.Year()%100)
		}
		switch {
		case len(m[1]) == 4:
			return year + m[2] + field(int(t.Month()), m[3]) + m[4] + field(t.Day(), m[5]), true
		case m[2] == "." || mustAtoi(m[1]) > 12:
			return field(t.Day(), m[1]) + m[2] + field(int(t.Month()), m[3]) + m[4] + year, true
		default:
			return field(int(t.Month()), m[1]) + m[2] + field(t.Day(), m[3]) + m[4] + year, true
		}
	}
	month := monthNames[t.Month()-1]
	mi := monthRe.FindStringIndex(value)
	di := dayRe.FindStringIndex(value)
	if mi != nil && di != nil && di[0] < mi[0] {
		return fmt.Sprintf("%d %s %d", t.Day(), month, t.Year()), true
	}
	return fmt.Sprintf("%s %d, %d", month, t.Day(), t.Year()), true
}

func mustAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
