package pipeline

import "testing"

// A replacement of several words is blanked however another reader lays
// its words out; offsets and line breaks stay, other text stays.
func TestMaskSpread(t *testing.T) {
	m := maskSpread([]string{"January 2024", "Person A", "[email]"})
	for in, want := range map[string]string{
		"seen January\n2024 at":   "seen        \n     at",
		"Person  A and Person B":  "          and Person B",
		"January 2025":            "January 2025",
		"[email] stays for masks": "[email] stays for masks",
	} {
		if got := m(in); got != want {
			t.Errorf("maskSpread(%q) = %q, want %q", in, got, want)
		}
	}
	if got := maskSpread(nil)("January\n2024"); got != "January\n2024" {
		t.Errorf("no replacements: %q", got)
	}
}
