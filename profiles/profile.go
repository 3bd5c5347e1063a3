// Package profiles defines what Veil does with each kind of finding: the
// Profile (entity -> action, with the legal or professional basis of each
// rule), the built-in profiles as embedded YAML, and the actions themselves.
//
// A profile is data a user can read, copy and change. Loading is strict:
// unknown keys, unknown entities or actions, and missing parameters are
// errors that name the file, the line and the rule.
//
// The package also holds the run-time state the actions work on, next to
// the actions that use it:
//
//	profile.go   Profile, Rule: the data, loading and validation
//	actions.go   the actions (Rule.Replace) and their Env
//	case.go      Case, the case table: which spellings are one person,
//	             aliases, roles, pseudonyms handed out; the sealed
//	             mapping file (snapshot.go: the same for a run's state)
//	keys.go      Keys, the secrets of a key file (--key-file): keyed
//	             pseudonyms, date shifts, the mapping file's cipher
//
// In a run, pipeline's planner is the one holder of the case table and the
// secrets (pipeline/plan.go).
package profiles

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Rule says what to do with findings of one entity, or with the names of
// people who play a role (client, minor). Exactly one of Entity and Role is
// set, except in a profile's default rule, where neither is.
type Rule struct {
	Entity ner.Entity `yaml:"entity,omitempty"`
	// Role makes the rule apply to PERSON findings of people with that
	// role instead of the PERSON rule.
	Role   Role   `yaml:"role,omitempty"`
	Action Action `yaml:"action"`
	// Label is the replacement text of the label action ("[PERSON]"), and
	// what other actions write when they cannot read a value.
	Label string `yaml:"label,omitempty"`
	// Alias is the prefix of the alias action ("Person" gives "Person A").
	Alias string `yaml:"alias,omitempty"`
	// Prefix is the prefix of the pseudonym action (default: the entity).
	Prefix string `yaml:"prefix,omitempty"`
	// Digits is how many trailing digits keep_last keeps.
	Digits int `yaml:"digits,omitempty"`
	// Titles says what happens to a title right before a name and to a
	// credential right after it ("Dr.", ", PsyD"): keep (default), drop,
	// or identifying (drop all but Mr, Mrs, Ms, Miss, Mx).
	Titles TitlePolicy `yaml:"titles,omitempty"`
	// Restricted lists the three-digit ZIP prefixes that zip3 turns into
	// 000.
	Restricted []string `yaml:"restricted,omitempty"`
	// MaxDays bounds the date_shift offset (default 365).
	MaxDays int `yaml:"max_days,omitempty"`
	// KeepStates keeps LOCATION values that are US states (or the
	// country): they are not smaller than a state (45 CFR
	// 164.514(b)(2)(i)(B)) or a region.
	KeepStates bool `yaml:"keep_states,omitempty"`
	// AggregateOver89 makes year, month_year and date_shift write
	// "[90 or older]" for birth dates that imply an age over 89.
	AggregateOver89 bool `yaml:"aggregate_over_89,omitempty"`
	// Context lists the words that mark a role (role rules only; see
	// DefaultContext).
	Context []string `yaml:"context,omitempty"`
	// Basis is the rule's legal or professional basis, carried into every
	// report row ("Fed. R. Civ. P. 5.2(a)(1)").
	Basis string `yaml:"basis"`
	// Log words the rule for the redaction log that a court, the other
	// side or a reviewer reads (logtext.go): what was redacted and what
	// was done, in plain language. Without it the log uses a wording
	// made from the entity and the action.
	Log LogText `yaml:"log,omitempty"`
	// Privileged marks the rule's redactions as withholding privileged
	// material: every document with one gets an entry in the privilege
	// log (FRCP 26(b)(5)(A)). Privilege names the privilege asserted
	// ("Attorney-client privilege"), when the rule knows it.
	Privileged bool   `yaml:"privileged,omitempty"`
	Privilege  string `yaml:"privilege,omitempty"`

	pos string // "line 7: rule 3", for error messages
}

// FormsPolicy is what happens to the fields of a PDF form.
type FormsPolicy string

const (
	// FormsFlatten draws each visible field into its page (the default).
	FormsFlatten FormsPolicy = "flatten"
	// FormsDrop drops the form with its values.
	FormsDrop FormsPolicy = "drop"
)

// ImagePolicy is what happens to the images of a document.
type ImagePolicy string

// The image policies. Passing an image through unread is not one of them.
const (
	// ImagesDrop replaces every image by a blank one of its size, unread.
	ImagesDrop ImagePolicy = "drop"
	// ImagesQuarantine refuses every file that holds an image.
	ImagesQuarantine ImagePolicy = "quarantine"
	// ImagesOCR reads every image by OCR, redacts its text on the pixels
	// and treats the images it cannot read as ImagesUnread says.
	ImagesOCR ImagePolicy = "ocr"
)

// NoTextPolicy is what happens, under images: ocr, to a picture on which
// OCR finds no text (ImagesNoText).
type NoTextPolicy string

// The policies for pictures without text.
const (
	// NoTextUnread treats such a picture as an image Veil cannot read.
	NoTextUnread NoTextPolicy = "unread"
	// NoTextKeep keeps it, without its metadata, listed in the report.
	NoTextKeep NoTextPolicy = "keep"
)

// TitlePolicy is what happens to titles and credentials around a name.
type TitlePolicy string

// The title policies.
const (
	TitlesKeep        TitlePolicy = "keep"
	TitlesDrop        TitlePolicy = "drop"
	TitlesIdentifying TitlePolicy = "identifying"
)

// Category groups entities under one heading of a rule, such as the
// identifiers (A)–(R) of HIPAA Safe Harbor. The report counts, per category,
// what was found and what was removed, and names the categories that Veil
// cannot detect in text (Entities empty) so that someone checks them by hand.
type Category struct {
	ID       string       `yaml:"id"`
	Name     string       `yaml:"name"`
	Entities []ner.Entity `yaml:"entities,flow"`
	Basis    string       `yaml:"basis"`
	// Note tells the reader what to check by hand.
	Note string `yaml:"note,omitempty"`
}

// Profile is a validated profile. It is immutable after Load.
type Profile struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
	// Extends names a built-in profile (or a file, relative to this one)
	// whose rules apply unless this profile has its own for the same
	// entity or role. The effective profile (YAML) has it resolved.
	Extends   string  `yaml:"extends,omitempty"`
	Threshold float64 `yaml:"threshold,omitempty"`
	Rules     []Rule  `yaml:"rules,omitempty"`
	// Default applies to entities without a rule of their own.
	Default    Rule       `yaml:"default"`
	Categories []Category `yaml:"categories,omitempty"`
	// Notices are statements every report of the profile opens with.
	Notices []string `yaml:"notices,omitempty"`
	// Detection tunes the detectors for this profile.
	Detection Detection `yaml:"detection,omitempty"`
	// LabelStyle makes every label of the profile one style (labelstyle.go):
	// "upper" ([MEDICAL RECORD NUMBER], REDACTED – PRIVILEGED) or
	// "lower" ([medical record number], [place]); the labels a rule does
	// not give are made in it from the entity's name. "": labels as the
	// rules give them, [ENTITY] otherwise.
	LabelStyle LabelStyle `yaml:"label_style,omitempty"`
	// ownStyle: the style is this profile's, not inherited; an inherited
	// style makes the missing labels but does not bind the profile's own.
	ownStyle bool
	// Images says what happens to the images inside a document (DOCX
	// pictures, email attachments): ocr (each is read by OCR and its text
	// redacted on the pixels, like a scan), drop (each is replaced by a
	// blank image of the same format and size, unread, with a note) or
	// quarantine (the file is not written). Empty means drop. A profile
	// that extends another inherits it unless it sets it.
	Images ImagePolicy `yaml:"images,omitempty"`
	// ImagesUnread says what happens, under images: ocr, to an image Veil
	// cannot read: a picture on which OCR finds no text (a photograph, a
	// signature: it can identify someone), an image of a format Veil
	// cannot decode or rewrite, or any image when OCR is not installed:
	// drop or quarantine, as for Images. Images that show nothing (blank,
	// one flat colour, a thin line) are kept. Empty means drop; inherited
	// like Images.
	ImagesUnread ImagePolicy `yaml:"images_unread,omitempty"`
	// ImagesNoText says what happens, under images: ocr, to a picture
	// without text in a PDF: an image that decodes and on which OCR, at
	// its resolution and magnified, finds no word it is confident in and
	// no line of text-like marks (a photograph, a diagram, a logo). keep
	// writes it as it is, its metadata removed, and the report's notes
	// list it by page and image for a person to look at; unread treats
	// it as images_unread says. Handwriting, stamps and faint print, on
	// which OCR reads text-like marks it is not sure of, stay unread
	// either way. Pictures in DOCX files and email attachments follow
	// images_unread whatever this says (not yet). Empty means unread;
	// inherited like Images.
	ImagesNoText NoTextPolicy `yaml:"images_no_text,omitempty"`
	// Forms says what happens to the filled fields of a PDF form:
	// flatten (each visible field's appearance is drawn into its page,
	// so that its value is page text, detected and redacted like any
	// other, and the form is dropped) or drop (the form leaves with its
	// values, which the report's notes count). Empty means flatten;
	// inherited like Images.
	Forms FormsPolicy `yaml:"forms,omitempty"`
	// Columns say what the columns of tables (CSV, TSV, XLSX) hold, by
	// header: an entity (every cell is one such value, replaced whole),
	// detect (the default), keep or drop; see Column. A profile that
	// extends another adds to its columns and replaces those with the
	// same header.
	Columns map[string]Column `yaml:"columns,omitempty"`

	// Source is "builtin:NAME" or the file the profile came from.
	Source string `yaml:"-"`
	byEnt  map[ner.Entity]Rule
	byRole map[Role]Rule
	roles  []Role // role rules in profile order
	// byColumn indexes Columns by HeaderKey.
	byColumn map[string]Column
}

// Detection holds profile settings of the detectors.
type Detection struct {
	// MaxRecall turns on maximum-recall mode (Philter style): every
	// capitalised word that is not an ordinary word, every unknown
	// lower-case word and every number that is not a reference to a
	// provision counts as identifying (entity OTHER unless the word lists
	// say more), except where a detector found something the profile
	// keeps.
	// A profile that extends another inherits the setting unless it sets
	// it itself (nil: not set).
	MaxRecall *bool `yaml:"max_recall,omitempty"`
	// Measurements, in maximum-recall mode, says what happens to numbers
	// no rule explains that read as measurements (a dose, a vital sign,
	// a laboratory value, a time of day: no group of more than four
	// digits, no year, nothing that introduces an identifier before
	// them): "redact" (the default) redacts them with every other
	// number, "keep" leaves them, as HIPAA's Safe Harbor allows. Numbers
	// that can identify are redacted either way. Inherited like
	// MaxRecall.
	Measurements string `yaml:"measurements,omitempty"`
}

// MaxRecall reports whether maximum-recall detection is on.
func (p *Profile) MaxRecall() bool { return p.Detection.MaxRecall != nil && *p.Detection.MaxRecall }

// KeepMeasurements reports whether maximum-recall detection leaves
// measurements alone (Detection.Measurements "keep").
func (p *Profile) KeepMeasurements() bool { return p.Detection.Measurements == "keep" }

// For returns the rule for entity e.
func (p *Profile) For(e ner.Entity) Rule {
	if r, ok := p.byEnt[e]; ok {
		return r
	}
	r := p.Default
	r.Entity = e
	p.LabelStyle.fill(&r)
	return r
}

// ForRole returns the rule for the names of people with role r, if the
// profile has one.
func (p *Profile) ForRole(r Role) (Rule, bool) {
	rule, ok := p.byRole[r]
	return rule, ok
}

// RoleRules returns the profile's role rules in the order they are checked:
// a person with several roles gets the first.
func (p *Profile) RoleRules() []Rule {
	out := make([]Rule, 0, len(p.roles))
	for _, r := range p.roles {
		out = append(out, p.byRole[r])
	}
	return out
}

// Redacts reports whether findings of e can be changed in any way (for
// PERSON, also by a role rule).
func (p *Profile) Redacts(e ner.Entity) bool {
	if p.For(e).Action != Keep {
		return true
	}
	if e == ner.Person {
		for _, r := range p.byRole {
			if r.Action != Keep {
				return true
			}
		}
	}
	return false
}

// NeedsKey lists the rules whose actions need a key (--key-file), as
// "PERSON: pseudonym"; empty when none does.
func (p *Profile) NeedsKey() []string {
	var out []string
	for _, r := range p.all() {
		if r.Action.UsesKey() {
			out = append(out, r.subject()+": "+string(r.Action))
		}
	}
	return out
}

// all returns the rules, the role rules and the default.
func (p *Profile) all() []Rule {
	return append(append([]Rule(nil), p.Rules...), p.Default)
}

// subject names what a rule applies to: "PERSON", "role minor", "default".
func (r Rule) subject() string {
	switch {
	case r.Role != "":
		return "role " + string(r.Role)
	case r.Entity != "":
		return string(r.Entity)
	}
	return "default"
}

// DefaultContext returns the words that mark role r when a role rule does
// not list its own: for a client, words right before the name on its line
// ("Client:", "| Patient |", "I am referring") or right after it ("(the
// client)"); for a minor, words near the name in its sentence (ages under
// 18 and recent birth years count too).
func DefaultContext(r Role) []string {
	switch r {
	case Client:
		return lexicon.MustSet("client-cues").Words()
	case Minor:
		return lexicon.MustSet("minor-cues").Words()
	}
	return nil
}

// BuiltinNames lists the embedded profiles.
func BuiltinNames() []string {
	entries, _ := builtinFS.ReadDir("builtin")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}

// BuiltinSource returns the YAML of a built-in profile.
func BuiltinSource(name string) ([]byte, bool) {
	b, err := builtinFS.ReadFile("builtin/" + name + ".yaml")
	return b, err == nil
}

// ErrUnknownProfile is returned by Load for a name that is neither a
// built-in profile nor a readable file.
var ErrUnknownProfile = errors.New("unknown profile")

// maxExtends bounds a chain of profiles extending each other.
const maxExtends = 8

// Load returns the built-in profile called nameOrPath, or parses the YAML
// file at nameOrPath.
func Load(nameOrPath string) (*Profile, error) {
	return load(nameOrPath, "", 0)
}

// load resolves nameOrPath: a built-in name, or a file path (relative to
// the folder of the profile that extends it, dir).
func load(nameOrPath, dir string, depth int) (*Profile, error) {
	if depth > maxExtends {
		return nil, fmt.Errorf("profile extends: more than %d profiles deep (a cycle?)", maxExtends)
	}
	if b, ok := BuiltinSource(nameOrPath); ok {
		return parse(b, "builtin:"+nameOrPath, depth)
	}
	if !strings.ContainsAny(nameOrPath, `/\.`) {
		return nil, fmt.Errorf("profile %q: %w (built-in: %s)", nameOrPath, ErrUnknownProfile, strings.Join(BuiltinNames(), ", "))
	}
	path := nameOrPath
	if dir != "" && !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the kind ("no such file or directory"), not the path
		}
		return nil, fmt.Errorf("%s: read: %w", sourceName(path, depth), err)
	}
	return parse(b, path, depth)
}

// sourceName names a profile's source in errors: a built-in by its name,
// a file by its role ("the --profile file"), never by its path, which
// can hold a client's name ("/cases/Client Name/p.yaml", session
// "sidefix37").
func sourceName(source string, depth int) string {
	switch {
	case strings.HasPrefix(source, "builtin:"):
		return "profile " + source
	case depth == 0:
		return "the --profile file"
	}
	return "the profile file it extends"
}

// Parse decodes and validates a profile. source names it in errors.
func Parse(data []byte, source string) (*Profile, error) {
	return parse(data, source, 0)
}

func parse(data []byte, source string, depth int) (*Profile, error) {
	var p Profile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: %w", sourceName(source, depth), err)
	}
	// A second pass over the node tree recovers each rule's line.
	var root yaml.Node
	var lines []int
	if err := yaml.Unmarshal(data, &root); err == nil {
		lines = ruleLines(&root)
	}
	p.ownStyle = p.LabelStyle != ""
	for i := range p.Rules {
		p.Rules[i].pos = fmt.Sprintf("rule %d", i+1)
		if i < len(lines) {
			p.Rules[i].pos = fmt.Sprintf("line %d: rule %d", lines[i], i+1)
		}
	}
	if p.Extends != "" {
		dir := ""
		if !strings.HasPrefix(source, "builtin:") {
			dir = filepath.Dir(source)
		}
		base, err := load(p.Extends, dir, depth+1)
		if err != nil {
			return nil, fmt.Errorf("%s: extends: %w", sourceName(source, depth), err)
		}
		p = merge(base, p)
	}
	p.Source = source
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", sourceName(source, depth), err)
	}
	return &p, nil
}

// merge returns child applied over base: child's rules replace base's rules
// for the same entity or role, new ones come after; unset fields inherit.
func merge(base *Profile, child Profile) Profile {
	out := child
	out.Extends = ""
	if out.Description == "" {
		out.Description = base.Description
	}
	if out.Threshold == 0 {
		out.Threshold = base.Threshold
	}
	if out.Default.Action == "" && out.Default.Basis == "" {
		out.Default = base.Default
	}
	if len(out.Categories) == 0 {
		out.Categories = base.Categories
	}
	if len(out.Notices) == 0 {
		out.Notices = base.Notices
	}
	if out.Detection.MaxRecall == nil {
		out.Detection.MaxRecall = base.Detection.MaxRecall
	}
	if out.Detection.Measurements == "" {
		out.Detection.Measurements = base.Detection.Measurements
	}
	if out.LabelStyle == "" {
		out.LabelStyle = base.LabelStyle
	}
	if out.Images == "" {
		out.Images = base.Images
	}
	if len(base.Columns) > 0 {
		cols := map[string]Column{}
		child := map[string]bool{}
		for h := range out.Columns {
			child[HeaderKey(h)] = true
		}
		for h, c := range base.Columns {
			if !child[HeaderKey(h)] {
				cols[h] = c
			}
		}
		for h, c := range out.Columns {
			cols[h] = c
		}
		out.Columns = cols
	}
	if out.ImagesUnread == "" {
		out.ImagesUnread = base.ImagesUnread
	}
	if out.ImagesNoText == "" {
		out.ImagesNoText = base.ImagesNoText
	}
	if out.Forms == "" {
		out.Forms = base.Forms
	}
	rules := append([]Rule(nil), base.Rules...)
	for i := range rules {
		rules[i].pos = "extended " + rules[i].subject() // base rules were valid in base
	}
	for _, r := range child.Rules {
		replaced := false
		for i := range rules {
			if (r.Entity != "" && rules[i].Entity == r.Entity) || (r.Role != "" && rules[i].Role == r.Role) {
				rules[i], replaced = r, true
				break
			}
		}
		if !replaced {
			rules = append(rules, r)
		}
	}
	out.Rules = rules
	return out
}

func ruleLines(root *yaml.Node) []int {
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 {
		return nil
	}
	m := root.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "rules" && m.Content[i+1].Kind == yaml.SequenceNode {
			var out []int
			for _, n := range m.Content[i+1].Content {
				out = append(out, n.Line)
			}
			return out
		}
	}
	return nil
}

func (p *Profile) validate() error {
	if p.Name == "" {
		return errors.New("missing name")
	}
	if p.Threshold <= 0 || p.Threshold > 1 {
		return fmt.Errorf("threshold %v outside (0,1]", p.Threshold)
	}
	if p.Default.Action == "" {
		return errors.New("missing default action (applies to entities without a rule)")
	}
	if err := setting(&p.Images, ImagesDrop, "images: %q is not ocr, drop or quarantine (images are never passed unread)", ImagesDrop, ImagesQuarantine, ImagesOCR); err != nil {
		return err
	}
	if err := setting(&p.ImagesUnread, ImagesDrop, "images_unread: %q is not drop or quarantine (an image Veil cannot read is never passed)", ImagesDrop, ImagesQuarantine); err != nil {
		return err
	}
	if err := setting(&p.ImagesNoText, NoTextUnread, "images_no_text: %q is not keep or unread", NoTextUnread, NoTextKeep); err != nil {
		return err
	}
	if err := setting(&p.Forms, FormsFlatten, "forms: %q is not flatten or drop (a filled field is never passed as a form)", FormsFlatten, FormsDrop); err != nil {
		return err
	}
	switch p.Detection.Measurements {
	case "", "redact", "keep":
	default:
		return fmt.Errorf("detection: measurements: %q is not redact or keep", p.Detection.Measurements)
	}
	if p.Default.Entity != "" || p.Default.Role != "" {
		return errors.New("default: entity and role must be empty")
	}
	if err := p.Default.validate(); err != nil {
		return fmt.Errorf("default: %w", err)
	}
	if err := p.checkStyle("default", p.Default); err != nil {
		return err
	}
	if len(actions[p.Default.Action].entities) > 0 || actions[p.Default.Action].person {
		return fmt.Errorf("default: action %s applies to some entities only; give it a rule per entity", p.Default.Action)
	}
	p.byEnt = map[ner.Entity]Rule{}
	p.byRole = map[Role]Rule{}
	p.roles = nil
	for i, r := range p.Rules {
		where := r.pos
		if where == "" {
			where = fmt.Sprintf("rule %d", i+1)
		}
		switch {
		case r.Entity != "" && r.Role != "":
			return fmt.Errorf("%s: give entity: or role:, not both", where)
		case r.Role != "":
			if !r.Role.valid() {
				return fmt.Errorf("%s: unknown role %q (known: client, minor)", where, r.Role)
			}
			where += " (role " + string(r.Role) + ")"
			if _, dup := p.byRole[r.Role]; dup {
				return fmt.Errorf("%s: second rule for the same role", where)
			}
			r.Entity = ner.Person
			if len(r.Context) == 0 {
				r.Context = DefaultContext(r.Role)
				p.Rules[i].Context = r.Context // the effective profile shows them
			}
		default:
			if !r.Entity.Valid() {
				return fmt.Errorf("%s: unknown entity %q (known: %s)", where, r.Entity, entityList())
			}
			where += " (" + string(r.Entity) + ")"
			if _, dup := p.byEnt[r.Entity]; dup {
				return fmt.Errorf("%s: second rule for the same entity", where)
			}
			if len(r.Context) > 0 {
				return fmt.Errorf("%s: context: is only used by role rules", where)
			}
		}
		if err := r.validate(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		if err := p.checkStyle(where, r); err != nil {
			return err
		}
		p.LabelStyle.fill(&r)
		if r.Role != "" {
			p.byRole[r.Role] = r
			p.roles = append(p.roles, r.Role)
		} else {
			p.byEnt[r.Entity] = r
		}
	}
	if err := p.validateColumns(); err != nil {
		return err
	}
	return p.validateCategories()
}

func (p *Profile) validateCategories() error {
	ids := map[string]bool{}
	owner := map[ner.Entity]string{}
	for i, c := range p.Categories {
		where := fmt.Sprintf("category %d", i+1)
		if c.ID == "" || c.Name == "" || c.Basis == "" {
			return fmt.Errorf("%s: id:, name: and basis: are required", where)
		}
		where += " (" + c.ID + ")"
		if ids[c.ID] {
			return fmt.Errorf("%s: second category with the same id", where)
		}
		ids[c.ID] = true
		if len(c.Entities) == 0 && c.Note == "" {
			return fmt.Errorf("%s: a category without entities needs note: (what to check by hand)", where)
		}
		for _, e := range c.Entities {
			if !e.Valid() {
				return fmt.Errorf("%s: unknown entity %q", where, e)
			}
			if prev, dup := owner[e]; dup {
				return fmt.Errorf("%s: %s is already in category %s", where, e, prev)
			}
			owner[e] = c.ID
		}
	}
	return nil
}

func (r Role) valid() bool { return r == Client || r == Minor }

func (r Rule) validate() error {
	spec, ok := actions[r.Action]
	if !ok {
		return fmt.Errorf("unknown action %q (known: %s)", r.Action, actionList())
	}
	only := func(field string, set bool, used bool, by string) error {
		if set && !used {
			return fmt.Errorf("%s is only used by %s, not %s", field, by, r.Action)
		}
		return nil
	}
	if spec.needsAlias && r.Alias == "" {
		return fmt.Errorf("action %s needs alias: (a prefix such as Person)", r.Action)
	}
	if spec.needsDigits && (r.Digits < 1 || r.Digits > 8) {
		return fmt.Errorf("action %s needs digits: between 1 and 8", r.Action)
	}
	for _, err := range []error{
		only("alias:", r.Alias != "", spec.needsAlias, "the alias action"),
		only("prefix:", r.Prefix != "", r.Action == Pseudonym, "pseudonym"),
		only("digits:", r.Digits != 0, spec.needsDigits, "keep_last"),
		only("restricted:", r.Restricted != nil, r.Action == ZIP3, "zip3"),
		only("max_days:", r.MaxDays != 0, r.Action == DateShift, "date_shift"),
		only("keep_states:", r.KeepStates, r.Entity == ner.Location && r.Action != Keep, "LOCATION rules that change the value"),
		only("aggregate_over_89:", r.AggregateOver89, r.Action == Year || r.Action == MonthYear || r.Action == DateShift, "year, month_year and date_shift"),
	} {
		if err != nil {
			return err
		}
	}
	if r.Entity != "" && len(spec.entities) > 0 && !slices.Contains(spec.entities, r.Entity) {
		return fmt.Errorf("action %s applies to %s only", r.Action, entityNames(spec.entities))
	}
	switch r.Titles {
	case "", TitlesKeep:
	case TitlesDrop, TitlesIdentifying:
		if r.Entity != ner.Person || r.Action == Keep {
			return errors.New("titles: applies to PERSON rules that change the name")
		}
	default:
		return fmt.Errorf("titles: %q is not keep, drop or identifying", r.Titles)
	}
	for _, z := range r.Restricted {
		if len(z) != 3 || !isDigits(z) {
			return fmt.Errorf("restricted: %q is not a three-digit ZIP prefix (quote it: \"036\")", z)
		}
	}
	if r.MaxDays < 0 || r.MaxDays > 3650 {
		return fmt.Errorf("max_days: %d outside 1..3650", r.MaxDays)
	}
	if (r.Action == Keep || r.Action == Drop) && r.Label != "" {
		return fmt.Errorf("label: has no effect with %s", r.Action)
	}
	if r.Basis == "" && r.Action != Keep {
		return errors.New("missing basis: every redaction must say why (e.g. FRCP 5.2(a)(1))")
	}
	if err := r.Log.validate(); err != nil {
		return err
	}
	if r.Privilege != "" && !r.Privileged {
		return errors.New("privilege: names the privilege of a rule marked privileged: true")
	}
	if r.Privileged && r.Action != Label && r.Action != Drop {
		return fmt.Errorf("privileged: applies to rules that withhold the value (label or drop), not %s", r.Action)
	}
	if err := checkLogWords("privilege", r.Privilege); err != nil {
		return err
	}
	return nil
}

func entityNames(es []ner.Entity) string {
	var s []string
	for _, e := range es {
		s = append(s, string(e))
	}
	return strings.Join(s, ", ")
}

func entityList() string { return entityNames(ner.Entities()) }

// YAML returns the effective profile as YAML a user can save and edit: any
// extends: resolved, every rule on one line.
func (p *Profile) YAML() ([]byte, error) {
	q := *p
	q.Extends = ""
	q.Rules = append([]Rule(nil), p.Rules...)
	var n yaml.Node
	if err := n.Encode(&q); err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "rules" {
			for _, r := range n.Content[i+1].Content {
				r.Style = yaml.FlowStyle
			}
		}
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

// Table returns the profile as a Markdown table, entity -> action -> basis
// -> what the redaction log says, as docs/PROFILES.md shows the built-ins.
func (p *Profile) Table() string {
	var b strings.Builder
	cell := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
	b.WriteString("| entity | action | basis | redaction log |\n|---|---|---|---|\n")
	for _, r := range p.Rules {
		what := "`" + string(r.Entity) + "`"
		if r.Role != "" {
			what = "`PERSON` (" + string(r.Role) + ")"
		}
		log := ""
		if r.Action != Keep {
			log = r.LogText().String()
			if r.Privileged {
				log += " (privilege log)"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", what, r.Describe(), cell(r.Basis), cell(log))
	}
	def, what := "", p.Default.Describe()
	if p.Default.Action != Keep {
		def = "the entity — " + p.Default.actionWords()
	}
	if p.Default.Action == Label && p.Default.Label == "" && p.LabelStyle != "" {
		ex := p.For(ner.ID)
		what = "label: the entity's name (`" + ex.Label + "`)"
	}
	fmt.Fprintf(&b, "| every other entity | %s | %s | %s |\n", what, cell(p.Default.Basis), def)
	return b.String()
}

// Describe says in a few words what the rule does: "last 4 digits
// (`XXXX1234`)", "alias `Client A`".
func (r Rule) Describe() string {
	var s string
	switch r.Action {
	case Label:
		s = "label `" + r.label() + "`"
		if r.Entity == "" && r.Label == "" {
			s = "label `[ENTITY]`"
		}
	case Alias:
		s = "alias `" + r.Alias + " A`, `" + r.Alias + " B`…"
	case Pseudonym:
		s = "keyed pseudonym `" + r.prefix() + "-7f3a9c01`"
		if r.Entity == "" && r.Prefix == "" {
			s = "keyed pseudonym `ENTITY-7f3a9c01`"
		}
	case KeepLast:
		s = fmt.Sprintf("last %d digits", r.Digits)
		switch {
		case r.Digits == 4 && r.Entity == ner.SSN:
			s += " (`XXX-XX-1234`)"
		case r.Digits == 4:
			s += " (`XXXX1234`)"
		}
	case Initials:
		s = "initials (`J.K.`)"
	case Year:
		s = "year only"
	case MonthYear:
		s = "month and year"
	case DateShift:
		s = fmt.Sprintf("shifted by a keyed per-person offset (up to %d days)", r.maxDays())
	case ZIP3:
		s = fmt.Sprintf("first three digits; `000` for %d restricted prefixes", len(r.Restricted))
	case Age90:
		s = "over 89 → `90+`, younger kept"
	case CityState:
		s = "city and state only"
	case Drop:
		s = "removed"
	case Keep:
		s = "kept"
	}
	if r.KeepStates {
		s += "; US states kept"
	}
	if r.AggregateOver89 {
		s += "; implying an age over 89 → `" + Over89 + "`"
	}
	switch r.Titles {
	case TitlesDrop:
		s += "; titles and credentials dropped"
	case TitlesIdentifying:
		s += "; titles of a rank or office dropped (Mr, Ms, Dr, Nurse kept)"
	}
	return s
}

// setting checks one enumerated setting: empty becomes def; a value not
// in valid is the error errf (with the value for its %q).
func setting[T ~string](v *T, def T, errf string, valid ...T) error {
	if *v == "" {
		*v = def
		return nil
	}
	if slices.Contains(valid, *v) {
		return nil
	}
	return fmt.Errorf(errf, string(*v))
}
