package profiles

// FixedReplacements returns the fixed texts this rule may write in place of
// a value (a label, "90+"). `veil verify` blanks them before re-detecting so
// that a replacement is not mistaken for an identifier. Aliases are not
// fixed texts; see Alias.
func (r Rule) FixedReplacements() []string {
	switch r.Action {
	case Label, Year, MonthYear:
		return []string{r.label()}
	case Age90:
		return []string{"90+", r.label()}
	}
	return nil
}
