package pipeline

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/profiles"
)

// Leftover is an identifier found in a file that should already be redacted:
// the profile would still change it. It holds a location, never the value.
type Leftover struct {
	Part   string
	Page   int
	Start  int
	End    int
	Entity ner.Entity
	Rule   string
}

// Check re-detects identifiers in an already redacted file (veil verify).
// Text that has the shape of this profile's replacements (labels, aliases)
// is not an identifier. withNER adds the statistical model, whose output
// shifts with context: a label next to a word can make it tag that word, so
// it is off by default. It returns the leftovers, or an error when the file
// cannot be read (its Reason says why).
// A panic in a parser or detector is the file's error (ErrInternal), not
// the end of the command.
func (e *Engine) Check(ctx context.Context, key string, data []byte, withNER bool) (out []Leftover, err error) {
	err = catch(func() error {
		out, err = e.check(ctx, key, data, withNER)
		return err
	})
	return out, err
}

func (e *Engine) check(ctx context.Context, key string, data []byte, withNER bool) ([]Leftover, error) {
	f, ok := e.formats.ForKey(key)
	if !ok {
		return nil, unsupported(key)
	}
	d, err := f.Parse(data)
	if err != nil {
		return nil, err
	}
	mask := e.replacementMask()
	var det ner.Detector = e.chains.Verify
	if withNER {
		det = e.chains.VerifyModel
	}
	scratch := &profiles.Env{Case: profiles.NewCase(), Year: e.year}
	var out []Leftover
	for _, p := range d.Parts() {
		masked := mask(p.Text)
		fs, err := inChunks(ctx, masked, det.Detect)
		if err != nil {
			return nil, err
		}
		for _, fd := range ner.Resolve(e.filter(fs, masked)) {
			value := masked[fd.Start:fd.End]
			rule := e.profile.For(fd.Entity)
			if !rule.Changes(value) {
				continue
			}
			// Idempotent actions (year, month_year) leave their own output
			// as it is: that output is not a leftover.
			if repl, changed := rule.Replace(value, "", scratch); !changed || repl == value {
				continue
			}
			out = append(out, Leftover{Part: p.Name, Page: p.Page, Start: fd.Start, End: fd.End, Entity: fd.Entity, Rule: fd.Rule})
		}
	}
	return out, nil
}

// replacementMask blanks the replacement texts this profile writes, keeping
// byte offsets: every label, every alias ("Person A", "Client BC"), every
// keyed pseudonym ("PERSON-7f3a9c01").
func (e *Engine) replacementMask() func(string) string {
	var labels []string
	var prefixes, tokens []string
	seen := map[string]bool{}
	rules := e.profile.RoleRules()
	for _, ent := range ner.Entities() {
		rules = append(rules, e.profile.For(ent))
	}
	for _, r := range rules {
		for _, l := range r.FixedReplacements() {
			if !seen[l] {
				labels = append(labels, l)
				seen[l] = true
			}
		}
		switch r.Action {
		case profiles.Alias:
			if !seen["alias:"+r.Alias] {
				prefixes = append(prefixes, regexp.QuoteMeta(r.Alias))
				seen["alias:"+r.Alias] = true
			}
		case profiles.Pseudonym:
			if p := r.TokenPrefix(); !seen["token:"+p] {
				tokens = append(tokens, regexp.QuoteMeta(p))
				seen["token:"+p] = true
			}
		}
	}
	sort.Slice(labels, func(i, j int) bool { return len(labels[i]) > len(labels[j]) })
	var pairs []string
	for _, l := range labels {
		pairs = append(pairs, l, strings.Repeat(" ", len(l)))
	}
	labelRp := strings.NewReplacer(pairs...)
	var alts []string
	if len(prefixes) > 0 {
		sort.Strings(prefixes)
		alts = append(alts, `\b(?:`+strings.Join(prefixes, "|")+`) [A-Z]{1,3}\b`)
	}
	if len(tokens) > 0 {
		sort.Strings(tokens)
		alts = append(alts, `\b(?:`+strings.Join(tokens, "|")+`)-[0-9a-f]{`+strconv.Itoa(profiles.PseudonymLen)+`}\b`)
	}
	var aliasRe *regexp.Regexp
	if len(alts) > 0 {
		aliasRe = regexp.MustCompile(strings.Join(alts, "|"))
	}
	return func(s string) string {
		if len(pairs) > 0 {
			s = labelRp.Replace(s)
		}
		if aliasRe != nil {
			s = aliasRe.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
		}
		return s
	}
}
