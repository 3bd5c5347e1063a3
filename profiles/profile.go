// Package profiles defines what Veil does with each kind of finding: the
// Profile (entity -> action, with the legal or professional basis of each
// rule), the built-in profiles as embedded YAML, and the actions themselves.
//
// A profile is data a user can read, copy and change. Loading is strict:
// unknown keys, unknown entities or actions, and missing parameters are
// errors that name the file, the line and the rule.
package profiles

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/veilhq/veil/ner"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Rule says what to do with findings of one entity.
type Rule struct {
	Entity ner.Entity `yaml:"entity"`
	Action Action     `yaml:"action"`
	// Label is the replacement text of the label action ("[PERSON]").
	Label string `yaml:"label,omitempty"`
	// Alias is the prefix of the alias action ("Person" gives "Person A").
	Alias string `yaml:"alias,omitempty"`
	// Digits is how many trailing digits keep_last keeps.
	Digits int `yaml:"digits,omitempty"`
	// Basis is the rule's legal or professional basis, carried into every
	// report row ("FRCP 5.2(a)(1)").
	Basis string `yaml:"basis"`

	line int // line in the source file, for error messages
}

// Profile is a validated profile. It is immutable after Load.
type Profile struct {
	Name        string  `yaml:"name"`
	Description string  `yaml:"description"`
	Threshold   float64 `yaml:"threshold"`
	Rules       []Rule  `yaml:"rules"`
	// Default applies to entities without a rule of their own.
	Default Rule `yaml:"default"`
	// Detection tunes the detectors for this profile.
	Detection Detection `yaml:"detection,omitempty"`

	// Source is "builtin" or the file the profile came from.
	Source string `yaml:"-"`
	byEnt  map[ner.Entity]Rule
}

// Detection holds profile settings of the detectors.
type Detection struct {
	// MaxRecall turns on maximum-recall mode (Philter style): every
	// capitalised word that is not an ordinary word, every unknown
	// lower-case word and every number that is not a reference to a
	// provision counts as identifying (entity OTHER unless the word lists
	// say more), except where a detector found something the profile
	// keeps.
	MaxRecall bool `yaml:"max_recall,omitempty"`
}

// For returns the rule for entity e.
func (p *Profile) For(e ner.Entity) Rule {
	if r, ok := p.byEnt[e]; ok {
		return r
	}
	r := p.Default
	r.Entity = e
	return r
}

// Redacts reports whether findings of e are changed in any way.
func (p *Profile) Redacts(e ner.Entity) bool { return p.For(e).Action != Keep }

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

// Load returns the built-in profile called nameOrPath, or parses the YAML
// file at nameOrPath.
func Load(nameOrPath string) (*Profile, error) {
	if b, ok := BuiltinSource(nameOrPath); ok {
		return Parse(b, "builtin:"+nameOrPath)
	}
	if !strings.ContainsAny(nameOrPath, `/\.`) {
		return nil, fmt.Errorf("profile %q: %w (built-in: %s)", nameOrPath, ErrUnknownProfile, strings.Join(BuiltinNames(), ", "))
	}
	b, err := os.ReadFile(nameOrPath)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", filepath.Base(nameOrPath), err)
	}
	return Parse(b, nameOrPath)
}

// Parse decodes and validates a profile. source names it in errors.
func Parse(data []byte, source string) (*Profile, error) {
	var p Profile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	// A second pass over the node tree recovers each rule's line.
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err == nil {
		lines := ruleLines(&root)
		for i := range p.Rules {
			if i < len(lines) {
				p.Rules[i].line = lines[i]
			}
		}
	}
	p.Source = source
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("profile %s: %w", source, err)
	}
	return &p, nil
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
	if p.Default.Entity != "" {
		return errors.New("default: entity must be empty")
	}
	if err := p.Default.validate(); err != nil {
		return fmt.Errorf("default: %w", err)
	}
	p.byEnt = map[ner.Entity]Rule{}
	for i, r := range p.Rules {
		where := fmt.Sprintf("rule %d", i+1)
		if r.line > 0 {
			where = fmt.Sprintf("line %d: rule %d", r.line, i+1)
		}
		if !r.Entity.Valid() {
			return fmt.Errorf("%s: unknown entity %q (known: %s)", where, r.Entity, entityList())
		}
		where += " (" + string(r.Entity) + ")"
		if _, dup := p.byEnt[r.Entity]; dup {
			return fmt.Errorf("%s: second rule for the same entity", where)
		}
		if err := r.validate(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		p.byEnt[r.Entity] = r
	}
	return nil
}

func (r Rule) validate() error {
	spec, ok := actions[r.Action]
	if !ok {
		return fmt.Errorf("unknown action %q (known: %s)", r.Action, actionList())
	}
	if spec.needsAlias && r.Alias == "" {
		return fmt.Errorf("action %s needs alias: (a prefix such as Person)", r.Action)
	}
	if !spec.needsAlias && r.Alias != "" {
		return fmt.Errorf("alias: is only used by the alias action, not %s", r.Action)
	}
	if spec.needsDigits && (r.Digits < 1 || r.Digits > 8) {
		return fmt.Errorf("action %s needs digits: between 1 and 8", r.Action)
	}
	if !spec.needsDigits && r.Digits != 0 {
		return fmt.Errorf("digits: is only used by keep_last, not %s", r.Action)
	}
	if r.Action == Keep && r.Label != "" {
		return errors.New("label: has no effect with keep")
	}
	if r.Basis == "" && r.Action != Keep {
		return errors.New("missing basis: every redaction must say why (e.g. FRCP 5.2(a)(1))")
	}
	return nil
}

func entityList() string {
	var s []string
	for _, e := range ner.Entities() {
		s = append(s, string(e))
	}
	return strings.Join(s, ", ")
}

// YAML returns the effective profile as YAML a user can save and edit.
func (p *Profile) YAML() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(p); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}
