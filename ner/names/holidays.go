package names

import (
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// HolidayScore is the score of a holiday's name.
const HolidayScore = 0.7

// holidayWords is the longest holiday name of the list, in words.
const holidayWords = 5

// holidays are the names of holidays and feast days (en/holidays), each
// as its folded words joined by spaces ("all saints day"); holidayFirst
// holds their first words.
var holidays, holidayFirst = func() (map[string]bool, map[string]bool) {
	m, first := map[string]bool{}, map[string]bool{}
	for _, e := range lexicon.MustSet("holidays").Words() {
		keys := ner.Fold(e)
		if len(keys) == 0 || len(keys) > holidayWords {
			panic("names: holiday of 1 to 5 words: " + e)
		}
		m[strings.Join(keys, " ")] = true
		first[keys[0]] = true
	}
	return m, first
}()

// holidayNames finds the names of holidays and feast days ("on All
// Souls' Day", "during Ramadan", "CHRISTMAS EVE"): a holiday is a day of
// the year, so it dates what happened on it as a date does, and a
// profile's rule for dates applies to it. The name's first and last words
// are capitalised (a feast's name is a proper noun); the longest name of
// the list that starts at a word wins ("Christmas Eve" before
// "Christmas").
func (d *run) holidayNames() {
	var b strings.Builder
	for i := 0; i < len(d.toks); i++ {
		t := &d.toks[i]
		if !t.Capital || d.claimed[i] || !holidayFirst[t.Key] {
			continue
		}
		// the words of one stretch: short gaps on one line ("Souls’ Day",
		// "al-Adha")
		n := 1
		for n < holidayWords && i+n < len(d.toks) {
			gap := d.text[d.toks[i+n-1].End:d.toks[i+n].Start]
			if len(gap) > 4 || strings.ContainsAny(gap, "\n.,;:()") {
				break
			}
			n++
		}
		for ; n >= 1; n-- {
			if !d.toks[i+n-1].Capital {
				continue
			}
			b.Reset()
			for k := i; k < i+n; k++ {
				if k > i {
					b.WriteByte(' ')
				}
				b.WriteString(d.toks[k].Key)
			}
			if holidays[b.String()] {
				break
			}
		}
		if n >= 1 {
			d.add(i, i+n-1, ner.Date, HolidayScore, "holiday")
			i += n - 1
		}
	}
}
