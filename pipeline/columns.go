package pipeline

import (
	"strings"
	"unicode"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
	"github.com/veilhq/veil/redactors"
)

// Table columns (CSV, TSV and XLSX cells: parts with a Cell and, under a
// header row, a Field) get two things documents do not: the profile's
// columns: rules (this file), and the column refiner (colrefine.go). The
// planner binds the dates of a row to its person (rows.go).

// columnRule is the rule id of the findings a profile's columns: rule
// makes: one per non-blank cell of a column that holds an entity or is
// dropped.
const columnRule = "profile/columns"

// columnOf returns the profile's rule for the column of a table cell; false
// for parts that are not cells, cells without a header, and columns the
// profile does not list.
func columnOf(p *profiles.Profile, part redactors.Part) (profiles.Column, bool) {
	if part.Cell.Table == 0 || part.Field == "" {
		return profiles.Column{}, false
	}
	return p.Column(part.Field)
}

// columnFindings returns the findings of a cell whose column the profile
// decides (keep: none; drop or an entity: the whole cell, white space
// around it excepted), and true; false when detection decides (detect, or
// no rule). A value on the allow list is never redacted, in a column
// either.
func (ff *findingFilter) columnFindings(part redactors.Part) ([]ner.Finding, bool) {
	c, ok := columnOf(ff.profile, part)
	if !ok || c.Kind == profiles.ColumnDetect {
		return nil, false
	}
	if c.Kind == profiles.ColumnKeep {
		return nil, true
	}
	start, end := trimSpan(part.Text)
	if start == end {
		return nil, true
	}
	e := ner.Other
	if c.Kind == profiles.ColumnEntity {
		e = c.Rule.Entity
	}
	f := ner.Finding{Start: start, End: end, Entity: e, Score: 1, Rule: columnRule}
	if c.Kind == profiles.ColumnDrop {
		f.Start, f.End = 0, len(part.Text)
	}
	if len(ff.allow) > 0 && ff.allow[strings.Join(ner.Fold(part.Text[f.Start:f.End]), " ")] {
		return nil, true
	}
	return []ner.Finding{f}, true
}

// columnKept reports whether the profile keeps the column of a part:
// re-detection leaves it alone (a value the plan removed elsewhere is
// still searched for in it, so a kept column never keeps a name the rest
// of the file lost).
func columnKept(p *profiles.Profile, part redactors.Part) bool {
	c, ok := columnOf(p, part)
	return ok && c.Kind == profiles.ColumnKeep
}

// columnDecides applies the profile's column rules to the findings of d
// after propagation: a kept column loses what propagation added, a
// column of an entity or a dropped one holds its one finding again.
func (ff *findingFilter) columnDecides(d *Doc) {
	if len(ff.profile.Columns) == 0 {
		return
	}
	for i, p := range d.parts {
		if fs, ok := ff.columnFindings(p); ok {
			d.found[i] = fs
		}
	}
}

// trimSpan returns the span of s without white space at its ends.
func trimSpan(s string) (int, int) {
	start := len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
	end := len(strings.TrimRightFunc(s, unicode.IsSpace))
	if end < start {
		end = start
	}
	return start, end
}

// columnRuleFor returns the rule for a finding a profile's columns: rule
// made in part: the column's own rule, the drop rule of a dropped column,
// or rule (the profile's rule for the entity, with role rules for people).
func (p *planner) columnRuleFor(part redactors.Part, rule profiles.Rule) profiles.Rule {
	if c, ok := columnOf(p.profile, part); ok && (c.Own() || c.Kind == profiles.ColumnDrop) {
		return p.profile.ColumnRule(c)
	}
	return rule
}

// columnVerifyRule returns the rule re-detection judges a finding of
// entity e in part by: the column's own rule when the profile gives the
// part's column one for e (a column of dates kept to the year where the
// profile shifts dates is not a leftover), else the profile's rule for e.
func columnVerifyRule(p *profiles.Profile, part redactors.Part, e ner.Entity) profiles.Rule {
	if c, ok := columnOf(p, part); ok && c.Own() && c.Rule.Entity == e {
		return c.Rule
	}
	return p.For(e)
}
