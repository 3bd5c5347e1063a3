package names

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/veilhq/veil/internal/complexity"
)

// TestHolidayNames: a holiday's name is a date (holidays.go). Invented
// sentences.
func TestHolidayNames(t *testing.T) {
	cases := []struct {
		text string
		want string
	}{
		{"The meeting was banned on All Souls’ Day in that town.", "[names/holiday=All Souls’ Day]"},
		{"She visited her brother on Christmas Eve and left before New Year's Day.", "[names/holiday=Christmas Eve names/holiday=New Year's Day]"},
		{"He fasted during Ramadan and was arrested after Eid al-Fitr.", "[names/holiday=Ramadan names/holiday=Eid al-Fitr]"},
		{"PT HOME FOR CHRISTMAS PER FAMILY.", "[names/holiday=CHRISTMAS]"},
		{"The shop is closed for Labor Day.", "[names/holiday=Labor Day]"},
		// no holiday: lower case, an ordinary phrase, a place
		{"a christmas tree was set up in the day room.", "[]"},
		{"The ship reached Christmas Island in May.", "[]"}, // a country: the place rules judge it
		{"They spoke of a good friday evening.", "[]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(spans(t, c.text)); got != c.want {
			t.Errorf("%q: got %s, want %s", c.text, got, c.want)
		}
	}
}

// TestHolidayNamesLinearTime: the names detector's cost grows linearly
// on a text full of holiday names and first words of holiday names.
func TestHolidayNamesLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	unit := "Quillanby left on Christmas Eve, back after Easter Monday; Christmas Christmas New Year Eid al Good "
	d := New()
	build := func(n int) string { return strings.Repeat(unit, n/len(unit)+1) }
	complexity.Assert(t, 4<<10, build, func(text string) {
		if _, err := d.Detect(context.Background(), text); err != nil {
			t.Fatal(err)
		}
	})
}
