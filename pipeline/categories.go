package pipeline

import (
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/profiles"
)

// ReportCategories returns the profile's categories (Safe Harbor (A)–(R)
// for research) for report.Meta.
func ReportCategories(p *profiles.Profile) []report.Category {
	var out []report.Category
	for _, c := range p.Categories {
		rc := report.Category{ID: c.ID, Name: c.Name, Basis: c.Basis, Note: c.Note}
		for _, e := range c.Entities {
			rc.Entities = append(rc.Entities, string(e))
		}
		out = append(out, rc)
	}
	return out
}
