package profiles

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/ner"
)

// ColumnKind is what a profile says a table column holds.
type ColumnKind string

// The kinds of column rule.
const (
	// ColumnDetect: detection decides, cell by cell, with the header as
	// context. It is what happens to a column the profile does not list.
	ColumnDetect ColumnKind = "detect"
	// ColumnKeep: nothing in the column is changed, whatever detection
	// finds (a column of lab values or codes the custodian vouches for).
	ColumnKeep ColumnKind = "keep"
	// ColumnDrop: every cell of the column is emptied.
	ColumnDrop ColumnKind = "drop"
	// ColumnEntity: every non-empty cell is one value of Column.Rule's
	// entity, replaced whole by that rule (the profile's rule for the
	// entity, or the column's own).
	ColumnEntity ColumnKind = "entity"
)

// ColumnBasis is the basis of a column rule that does not give its own.
const ColumnBasis = "column rule of the profile (columns:): the data custodian's decision"

// Column is a profile's rule for the cells of the table columns with one
// header (CSV, TSV and XLSX; the header is the text of the column's first
// row when the file has a header row).
//
// In YAML a column is a word or a rule:
//
//	columns:
//	  "Patient Name": PERSON        # the profile's PERSON rule, whole cell
//	  "MRN": MEDICAL_RECORD_NUMBER
//	  "Notes": detect               # detection decides (the default)
//	  "Ward": keep                  # left as it is
//	  "Comments": drop              # emptied
//	  "Admitted": {entity: DATE, action: date_shift, max_days: 30, basis: "…"}
type Column struct {
	Kind ColumnKind
	// Rule is the column's own rule (Kind ColumnEntity written as a
	// rule), or only its Entity (written as an entity name: the profile's
	// rule for the entity applies).
	Rule Rule
}

// Own reports whether the column has its own rule (an action), rather
// than the profile's rule for its entity.
func (c Column) Own() bool { return c.Kind == ColumnEntity && c.Rule.Action != "" }

// UnmarshalYAML implements yaml.Unmarshaler.
func (c *Column) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		w := strings.TrimSpace(n.Value)
		switch ColumnKind(w) {
		case ColumnDetect, ColumnKeep, ColumnDrop:
			*c = Column{Kind: ColumnKind(w)}
			return nil
		}
		if ner.Entity(w).Valid() {
			*c = Column{Kind: ColumnEntity, Rule: Rule{Entity: ner.Entity(w)}}
			return nil
		}
		if _, isAction := actions[Action(w)]; isAction {
			return fmt.Errorf("line %d: %q is an action: say what the column holds (an entity such as PERSON, whose rule applies), or write a rule: {entity: PERSON, action: %s, basis: …}", n.Line, w, w)
		}
		return fmt.Errorf("line %d: %q is not detect, keep, drop or an entity (%s)", n.Line, w, entityList())
	case yaml.MappingNode:
		var r Rule
		// Decoded strictly: an unknown key in a column's rule is an
		// error, as in the rules: list.
		if err := strictDecode(n, &r); err != nil {
			return err
		}
		if r.Action == "" {
			return fmt.Errorf("line %d: a column rule needs action: (or name the entity alone, PERSON, for the profile's rule)", n.Line)
		}
		r.pos = fmt.Sprintf("line %d", n.Line)
		*c = Column{Kind: ColumnEntity, Rule: r}
		return nil
	}
	return fmt.Errorf("line %d: a column is a word (detect, keep, drop, an entity) or a rule", n.Line)
}

// strictDecode decodes a mapping node into v, refusing unknown keys.
func strictDecode(n *yaml.Node, v any) error {
	b, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	return nil
}

// MarshalYAML implements yaml.Marshaler: the short form where there is one.
func (c Column) MarshalYAML() (any, error) {
	switch {
	case c.Kind == ColumnEntity && !c.Own():
		return string(c.Rule.Entity), nil
	case c.Kind == ColumnEntity:
		return c.Rule, nil
	}
	return string(c.Kind), nil
}

// HeaderKey is the form in which headers are compared: white space
// collapsed, trimmed, lower case ("Patient  Name " and "patient name" are
// one header).
func HeaderKey(h string) string {
	return strings.ToLower(strings.Join(strings.Fields(h), " "))
}

// Column returns the profile's rule for the column headed header; false
// when it has none (detection decides).
func (p *Profile) Column(header string) (Column, bool) {
	if len(p.byColumn) == 0 || header == "" {
		return Column{}, false
	}
	c, ok := p.byColumn[HeaderKey(header)]
	return c, ok
}

// ColumnRule returns the rule that replaces the cells of column c: its own
// rule, the profile's rule for its entity, or for a drop column a drop
// rule with the column basis.
func (p *Profile) ColumnRule(c Column) Rule {
	switch {
	case c.Own():
		return c.Rule
	case c.Kind == ColumnEntity:
		return p.For(c.Rule.Entity)
	case c.Kind == ColumnDrop:
		return Rule{Entity: ner.Other, Action: Drop, Basis: ColumnBasis}
	}
	return Rule{Entity: ner.Other, Action: Keep}
}

// validateColumns checks the columns: and indexes them by HeaderKey.
func (p *Profile) validateColumns() error {
	p.byColumn = map[string]Column{}
	headers := make([]string, 0, len(p.Columns))
	for h := range p.Columns {
		headers = append(headers, h)
	}
	sort.Strings(headers)
	for _, h := range headers {
		c := p.Columns[h]
		where := fmt.Sprintf("columns: %q", h)
		k := HeaderKey(h)
		if k == "" {
			return fmt.Errorf("%s: an empty header", where)
		}
		if _, dup := p.byColumn[k]; dup {
			return fmt.Errorf("%s: a second rule for the same header (headers are compared without case and extra spaces)", where)
		}
		switch c.Kind {
		case ColumnDetect, ColumnKeep, ColumnDrop:
		case ColumnEntity:
			r := c.Rule
			if !r.Entity.Valid() {
				return fmt.Errorf("%s: a column rule needs entity: (known: %s)", where, entityList())
			}
			if r.Role != "" {
				return fmt.Errorf("%s: role: does not apply to a column (the column's people get their roles from the case)", where)
			}
			if c.Own() {
				if len(r.Context) > 0 {
					return fmt.Errorf("%s: context: is only used by role rules", where)
				}
				if err := r.validate(); err != nil {
					return fmt.Errorf("%s: %w", where, err)
				}
			}
		default:
			return errors.New(where + ": unknown column kind")
		}
		p.byColumn[k] = c
	}
	return nil
}
