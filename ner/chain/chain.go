// Package chain builds Veil's detection chains: the one place that lists
// every detector and refiner and the order they run in, so that a reader
// sees the whole of detection at once (trufflehog's buildDetectorList).
//
// It knows detectors, not profiles: the pipeline reads the profile and the
// command's options into a Config.
package chain

import (
	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/contact"
	"github.com/veilhq/veil/ner/filename"
	"github.com/veilhq/veil/ner/model"
	"github.com/veilhq/veil/ner/names"
	"github.com/veilhq/veil/ner/pattern"
	"github.com/veilhq/veil/ner/prose"
)

// Config says which passes the chains hold.
type Config struct {
	// DenyList terms are CUSTOM_TERM findings under rule ner.DenyListRule;
	// a term that names a person is found in every form of the name
	// (names.PersonTerms), as are those of Lists.
	DenyList []string
	// Lists are further term lists, each with its own entity and rule
	// id (a privileged deny list, the list of minors).
	Lists []List
	// Model adds prose/v2's vote (prose.Vote) to the text chain.
	Model bool
	// Tagger adds Veil's own statistical model (ner/model) to the text
	// chain over all of the text; with MaxRecall, the model leads maximum
	// recall (model.MaxRecall).
	Tagger bool
	// Threshold is the profile's threshold, for the model's vote: a
	// finding scoring at least this much has decided its words.
	Threshold float64
	// MaxRecall adds the maximum-recall fallback to the text chain.
	MaxRecall bool
	// KeepMeasurements leaves the numbers that measure something to the
	// rules in maximum-recall mode (names.Judgement).
	KeepMeasurements bool
}

// List is a term list detected under its own entity and rule id.
type List struct {
	Terms  []string
	Entity ner.Entity
	Rule   string
}

// Set is every chain a run uses. Each is immutable and safe for
// concurrent use.
type Set struct {
	// Text detects in a text part of a document: the rule detectors,
	// then the refiners. Verification re-reads outputs with it too.
	Text *ner.Chain
	// Verify is Text's detectors without the refiners, whose output
	// shifts with context (a label next to a word can make the model
	// tag it): the base of file-name detection, and what tells a rule's
	// finding from a refiner's in an output seen alone.
	Verify *ner.Chain
	// FileName detects in file names, keys and folder paths: Verify's
	// detectors plus the name lists and long digit runs.
	FileName ner.Detector
	// Load loads the models that Text loads on first use (prose's), for
	// a run's warm-up; nil when it has none.
	Load func()
}

// Build returns the chains of c. The order of detectors does not change
// the outcome (the pipeline resolves their findings); the order of
// refiners does: each reads the findings of everything before it.
func Build(c Config) Set {
	detectors := []ner.Detector{pattern.Default(), contact.New(), names.New()}
	if len(c.DenyList) > 0 {
		detectors = append(detectors, names.NewListed(c.DenyList, ner.Custom, ner.DenyListRule))
	}
	for _, l := range c.Lists {
		detectors = append(detectors, names.NewListed(l.Terms, l.Entity, l.Rule))
	}
	var refiners []ner.Refiner
	if c.Tagger && !c.MaxRecall {
		refiners = append(refiners, model.Refiner{})
	}
	if c.Model {
		refiners = append(refiners, prose.Vote{Threshold: c.Threshold})
	}
	switch {
	case c.MaxRecall && c.Tagger:
		refiners = append(refiners, model.MaxRecall{KeepMeasurements: c.KeepMeasurements})
	case c.MaxRecall:
		refiners = append(refiners, names.MaxRecallRefiner{KeepMeasurements: c.KeepMeasurements})
	}
	// Last: what any pass before took for a person or place may be a
	// clinical eponym ("Parkinson's disease"), a date a clinical reading
	// ("pain 7/10"), a number maximum recall flagged a measurement or a time
	// of day ("2000cc", "0700"), a month and day after "on" or "from" a
	// date ("cultures from 3-5"), an initial and a word shorthand ("N/V. Foley"); a
	// pager or extension follows its cue ("paged at 4-4321"), an owner
	// names a home ("at tamsin's house"); a
	// word joined to what is left by "and" is a name of its kind, a word
	// before a hospital's unit names the hospital ("Oakvale ER"), the
	// words before the credentials of a line that signs a note are the
	// writer's name ("Quillanby, Orsolya RN"), a name explained by a tie
	// in parentheses is a person ("TAMSIN (WIFE)"), and a
	// name before a care facility's head word is the facility's name
	// ("Oakridge General"). A date in a law's name or of its entry into
	// force dates no one's case ("the Law of 3 May 1999"), nor does an
	// ordinal that counts a noun ("the 2nd Chamber").
	refiners = append(refiners, names.Eponyms{}, names.LawDates{}, names.OrdinalNouns{}, Readings{}, Measures{}, ShortDates{}, Initials{}, Shorthand{}, Contacts{}, Homes{}, Coordination{}, CareUnits{}, SignOffs{}, Relations{}, Facilities{})
	if c.MaxRecall {
		// Maximum recall also masks what names a party without naming a
		// person: a political party ("the Agrarian Party"), the citation of a
		// reported case ("[1997] 2 WLR 311"), a place after a cue of where
		// someone lives or works ("practising in Wexmoorshire").
		refiners = append(refiners, Parties{}, Citations{}, Whereabouts{})
	}
	// Very last, after every pass that may have changed what a name is:
	// two unknown capitalised words that are a label's whole value are a
	// name ("Intake: Orsolya Quillanby"), a name rule's person wins over a
	// statistical pass's one-word organisation inside it, and a person's
	// name extends over the capitalised word beside it that no list knows
	// ("Orsolya Quillanby" where a pass read only "Orsolya").
	refiners = append(refiners, LabelNames{}, Continuations{})
	verify := ner.NewChain("verify", detectors)
	s := Set{
		Text:     ner.NewChain("text", detectors, refiners...),
		Verify:   verify,
		FileName: filename.New(verify),
	}
	if c.Model {
		s.Load = prose.Load
	}
	return s
}
