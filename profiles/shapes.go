package profiles

// FixedReplacements returns the fixed texts this rule may write in place of
// a value (a label, "90+"). `veil verify` blanks them before re-detecting so
// that a replacement is not mistaken for an identifier. Aliases are not
// fixed texts; see Alias.
func (r Rule) FixedReplacements() []string {
	var out []string
	switch r.Action {
	case Label, Year, MonthYear, DateShift, CityState, Pseudonym, Initials, ZIP3:
		out = []string{r.label()}
	case Age90:
		out = []string{"90+", r.label()}
	}
	if r.AggregateOver89 {
		out = append(out, Over89)
	}
	return out
}

// TokenPrefix returns the prefix of the pseudonyms the rule writes
// ("PERSON" in "PERSON-7f3a9c01").
func (r Rule) TokenPrefix() string { return r.prefix() }
