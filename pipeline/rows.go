package pipeline

import (
	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
)

// A row of a table is one record: a date in a row with a person belongs to
// that person. date_shift moves a date by its subject's offset; in a
// document the subject is its first client (plan.go), in a table row it is
// the row's person, so that the intervals between one patient's dates are
// kept across the rows and files that hold them, whoever else the file
// is about:
//
//   - the first person of the row with the client role, else
//   - the first person named in the row (in column order),
//
// and a row that names nobody takes the document's subject.

// rowKey names a row of a table of a document.
type rowKey struct{ table, row int }

// bindRows finds the subject of every table row that names a person.
func (pl *docPlan) bindRows() {
	first := map[rowKey]profiles.PersonID{}
	client := map[rowKey]profiles.PersonID{}
	for i, part := range pl.d.parts {
		if part.Cell.Table == 0 {
			continue
		}
		k := rowKey{part.Cell.Table, part.Cell.Row}
		for j, f := range pl.d.found[i] {
			id := pl.ids[i][j]
			if f.Entity != ner.Person || id < 0 {
				continue
			}
			if _, ok := first[k]; !ok {
				first[k] = id
			}
			if _, ok := client[k]; !ok && pl.p.cases.HasRole(id, profiles.Client) {
				client[k] = id
			}
		}
	}
	if len(first) == 0 {
		return
	}
	pl.rowSubject = map[rowKey]string{}
	for k, id := range first {
		if c, ok := client[k]; ok {
			id = c
		}
		pl.rowSubject[k] = profiles.SubjectKey(pl.p.cases.Canonical(id))
	}
}

// envFor returns the Env for the findings of part i: the document's, with
// the row's subject for a cell of a row that names a person.
func (pl *docPlan) envFor(i int) *profiles.Env {
	c := pl.d.parts[i].Cell
	if c.Table == 0 || pl.rowSubject == nil {
		return pl.env
	}
	s, ok := pl.rowSubject[rowKey{c.Table, c.Row}]
	if !ok || s == pl.env.Subject {
		return pl.env
	}
	env := *pl.env
	env.Subject = s
	return &env
}
