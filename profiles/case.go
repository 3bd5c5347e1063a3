package profiles

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/ner/lexicon"
)

// PersonID names one person (or other linked value) of a Case.
type PersonID int

// Case is the case table, what lasts across the files of a case: which
// spellings name the same person, the alias each person was given, the
// roles known (client, minor), and the pseudonyms handed out. With a key
// it is saved to and loaded from an encrypted mapping file, so that
// tomorrow's batch gives the same alias to the same person. Case is safe
// for concurrent use.
//
// Linking: values are normalised (Identity) and compared by their
// significant words (folded, two letters or more, not name particles). A
// value links to the one known person whose words include all of its words
// ("Ms Sandoval", "Maria" -> Maria Sandoval); a fuller name takes over the
// one person known only by part of it ("Sandoval", then "Maria Sandoval"). A
// value that fits several people ("Sandoval" when Maria and her sister Elena
// Sandoval are known, "Maria Elena Sandoval" then) links to none of them and
// is a person of its own: relatives are never merged.
type Case struct {
	mu      sync.Mutex
	people  []*person
	byIdent map[string]PersonID // ns\x00identity
	next    map[string]int      // ns -> next alias letter
	changed bool
	// redacted file names, per run (filenames.go)
	runs    []*NameRun
	current *NameRun
	renamed int
	// Indexes for link, so that linking a new spelling costs about the
	// same with ten people as with a million (a long document of many
	// names): byWord lists the people of a namespace who have a word
	// (ns\x00word), bySet those whose words are exactly a set (ns\x00the
	// words sorted, see setKey).
	byWord map[string][]PersonID
	bySet  map[string][]PersonID
}

type person struct {
	NS         string   `json:"ns"`
	Identities []string `json:"identities"` // first seen first
	Alias      string   `json:"alias,omitempty"`
	Roles      []Role   `json:"roles,omitempty"`
	Tokens     []string `json:"tokens,omitempty"` // pseudonyms handed out
	words      map[string]bool
	// canonical is the index in Identities of the fullest spelling (see
	// Canonical), canonicalN its number of significant words.
	canonical, canonicalN int
	setKey                string // ns\x00setKey(words), its key in Case.bySet
}

// NewCase returns an empty case.
func NewCase() *Case {
	return &Case{byIdent: map[string]PersonID{}, next: map[string]int{}, byWord: map[string][]PersonID{}, bySet: map[string][]PersonID{}}
}

// maxSubsetWords bounds the word sets link enumerates to find the people a
// spelling takes over (2^words): names have a few words; a value of more
// words is compared with the people who share a word instead.
const maxSubsetWords = 10

// Link returns the person that identity (a normalised value, see Identity)
// names in namespace ns (the entity), adding a person if none fits.
func (c *Case) Link(ns, identity string) PersonID {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.link(ns, identity)
}

func (c *Case) link(ns, identity string) PersonID {
	key := ns + "\x00" + identity
	if id, ok := c.byIdent[key]; ok {
		return id
	}
	w := sigWords(identity)
	within := c.within(ns, w, 2)
	id := PersonID(-1)
	switch {
	case len(within) == 1:
		id = within[0]
	case len(within) == 0:
		if takeOver := c.takeOver(ns, w); len(takeOver) == 1 {
			id = takeOver[0]
		}
	}
	if id < 0 {
		id = PersonID(len(c.people))
		c.people = append(c.people, &person{NS: ns, words: map[string]bool{}, canonicalN: -1})
	}
	c.addIdentity(id, identity, w)
	c.byIdent[key] = id
	c.changed = true
	return id
}

// within returns the people of namespace ns whose words include all of w,
// in the order they were added; it stops at max (link needs two). It
// reads only the people who have the rarest word of w.
func (c *Case) within(ns string, w map[string]bool, max int) []PersonID {
	if len(w) == 0 {
		return nil
	}
	var rarest []PersonID
	first := true
	for k := range w {
		if ps := c.byWord[ns+"\x00"+k]; first || len(ps) < len(rarest) {
			rarest, first = ps, false
		}
	}
	var out []PersonID
	for _, id := range rarest {
		if subset(w, c.people[id].words) {
			if out = append(out, id); len(out) == max {
				break
			}
		}
	}
	return out
}

// takeOver returns the people of namespace ns whose words are all in w
// (and are not all of w: those are within), stopping at two.
func (c *Case) takeOver(ns string, w map[string]bool) []PersonID {
	words := make([]string, 0, len(w))
	for k := range w {
		words = append(words, k)
	}
	sort.Strings(words)
	var out []PersonID
	seen := map[PersonID]bool{}
	add := func(id PersonID) bool {
		if !seen[id] && subset(c.people[id].words, w) && !subset(w, c.people[id].words) {
			seen[id] = true
			out = append(out, id)
		}
		return len(out) >= 2
	}
	if len(words) > maxSubsetWords {
		for _, k := range words {
			for _, id := range c.byWord[ns+"\x00"+k] {
				if add(id) {
					return out
				}
			}
		}
		return out
	}
	// Every proper, non-empty subset of the words, as a set key.
	sub := make([]string, 0, len(words))
	for mask := 1; mask < 1<<len(words)-1; mask++ {
		sub = sub[:0]
		for b, k := range words {
			if mask&(1<<b) != 0 {
				sub = append(sub, k)
			}
		}
		for _, id := range c.bySet[ns+"\x00"+strings.Join(sub, " ")] {
			if add(id) {
				return out
			}
		}
	}
	return out
}

// addIdentity records identity (with significant words w) as a spelling
// of person id, and keeps the indexes and the canonical spelling.
func (c *Case) addIdentity(id PersonID, identity string, w map[string]bool) {
	p := c.people[id]
	p.Identities = append(p.Identities, identity)
	if len(w) > p.canonicalN {
		p.canonical, p.canonicalN = len(p.Identities)-1, len(w)
	}
	grew := false
	for k := range w {
		if !p.words[k] {
			p.words[k] = true
			c.byWord[p.NS+"\x00"+k] = append(c.byWord[p.NS+"\x00"+k], id)
			grew = true
		}
	}
	if !grew && p.setKey != "" {
		return
	}
	// The person's word set changed: move it in bySet.
	if p.setKey != "" {
		ids := c.bySet[p.setKey]
		for i, x := range ids {
			if x == id {
				ids = append(ids[:i:i], ids[i+1:]...)
				break
			}
		}
		if len(ids) == 0 {
			delete(c.bySet, p.setKey)
		} else {
			c.bySet[p.setKey] = ids
		}
	}
	p.setKey = p.NS + "\x00" + setKey(p.words)
	c.bySet[p.setKey] = append(c.bySet[p.setKey], id)
}

// setKey returns the words of a set sorted and joined by spaces.
func setKey(w map[string]bool) string {
	words := make([]string, 0, len(w))
	for k := range w {
		words = append(words, k)
	}
	sort.Strings(words)
	return strings.Join(words, " ")
}

// Alias returns the person's alias, giving it prefix and the next free
// letter on first use ("Client A", then "Person B"). Letters are shared by
// all prefixes of a namespace, so a letter always means one person.
func (c *Case) Alias(id PersonID, prefix string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.people[id]
	if p.Alias == "" {
		p.Alias = prefix + " " + Letters(c.next[p.NS])
		c.next[p.NS]++
		c.changed = true
	}
	return p.Alias
}

// AddRole records that the person has role r.
func (c *Case) AddRole(id PersonID, r Role) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.people[id]
	for _, have := range p.Roles {
		if have == r {
			return
		}
	}
	p.Roles = append(p.Roles, r)
	sort.Slice(p.Roles, func(i, j int) bool { return p.Roles[i] < p.Roles[j] })
	c.changed = true
}

// HasRole reports whether the person has role r.
func (c *Case) HasRole(id PersonID, r Role) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, have := range c.people[id].Roles {
		if have == r {
			return true
		}
	}
	return false
}

// Matches reports whether every significant word of identity is a word of
// the person (a --minors list entry naming a person).
func (c *Case) Matches(id PersonID, identity string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := sigWords(identity)
	return len(w) > 0 && subset(w, c.people[id].words)
}

// Canonical returns the fullest spelling of the person: the identity with
// the most significant words, the first seen among equals.
func (c *Case) Canonical(id PersonID) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.canonical(id)
}

func (c *Case) canonical(id PersonID) string {
	p := c.people[id]
	if len(p.Identities) == 0 {
		return ""
	}
	return p.Identities[p.canonical]
}

// Pseudonym returns the keyed pseudonym of the person, computed from the
// significant words of its canonical spelling, folded and sorted, so that
// case, accents, spacing, titles, middle initials and word order do not
// matter ("Mr. Walter J. Brennan", "BRENNAN, Walter", "Walter Brennan's").
// The token is recorded for re-identification.
func (c *Case) Pseudonym(id PersonID, prefix string, k *Keys) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.people[id]
	tok := k.Pseudonym(prefix, p.NS, SubjectKey(c.canonical(id)))
	for _, t := range p.Tokens {
		if t == tok {
			return tok
		}
	}
	p.Tokens = append(p.Tokens, tok)
	c.changed = true
	return tok
}

// NameInitials returns the initials of the person's canonical spelling:
// "walter j brennan" -> "W.J.B.", "anne-marie o'neill" -> "A.-M.O.".
func (c *Case) NameInitials(id PersonID) string {
	return InitialsOf(c.Canonical(id))
}

// InitialsOf returns the initials of a name, titles left out.
func InitialsOf(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(Identity(name)) {
		for i, part := range strings.Split(w, "-") {
			r, _ := utf8.DecodeRuneInString(strings.TrimLeft(part, "'’"))
			if r == utf8.RuneError || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				continue
			}
			if i > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToUpper(r))
			b.WriteByte('.')
		}
	}
	return b.String()
}

// Changed reports whether the case has changed since it was loaded or
// created (then it should be saved).
func (c *Case) Changed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// Entry is one person of a case, for re-identification.
type Entry struct {
	NS         string   // entity
	Alias      string   // "" if none was handed out
	Tokens     []string // pseudonyms handed out
	Roles      []Role
	Identities []string // the normalised spellings seen
}

// Entries returns every person of the case in the order they were first
// seen.
func (c *Case) Entries() []Entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Entry, 0, len(c.people))
	for _, p := range c.people {
		out = append(out, Entry{NS: p.NS, Alias: p.Alias, Tokens: append([]string(nil), p.Tokens...),
			Roles: append([]Role(nil), p.Roles...), Identities: append([]string(nil), p.Identities...)})
	}
	return out
}

// mappingVersion is the version of the plaintext inside a mapping file.
// Version 2 added the redacted file names of each run; version 1 files
// are read as having none. An older veil refuses a version 2 file rather
// than drop its file names when it saves.
const mappingVersion = 2

type mappingFile struct {
	Version int            `json:"version"`
	Next    map[string]int `json:"next"`
	People  []*person      `json:"people"`
	Runs    []*NameRun     `json:"runs,omitempty"`
}

// Save writes the case, encrypted with k (AES-256-GCM), to w.
func (c *Case) Save(w io.Writer, k *Keys) error {
	plain, err := c.encode()
	if err != nil {
		return err
	}
	if _, err := w.Write(k.seal(plain)); err != nil {
		return fmt.Errorf("mapping: write: %w", err)
	}
	return nil
}

// LoadCase reads a case saved with Save. A file that does not open with k is
// ErrMappingKey.
func LoadCase(r io.Reader, k *Keys) (*Case, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("mapping: read: %w", err)
	}
	plain, err := k.open(data)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	return decodeCase(plain)
}

// encode returns the plaintext of a mapping file.
func (c *Case) encode() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	plain, err := json.Marshal(mappingFile{Version: mappingVersion, Next: c.next, People: c.people, Runs: c.runs})
	if err != nil {
		return nil, fmt.Errorf("mapping: encode: %w", err)
	}
	return plain, nil
}

// decodeCase reads the plaintext of a mapping file.
func decodeCase(plain []byte) (*Case, error) {
	var m mappingFile
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, fmt.Errorf("mapping: decode: %w", err)
	}
	if m.Version < 1 || m.Version > mappingVersion {
		return nil, fmt.Errorf("mapping: version %d, this veil reads 1 to %d", m.Version, mappingVersion)
	}
	if err := checkRuns(m.Runs); err != nil {
		return nil, err
	}
	c := NewCase()
	for ns, n := range m.Next {
		if n < 0 {
			return nil, fmt.Errorf("mapping: negative alias counter")
		}
		c.next[ns] = n
	}
	for i, p := range m.People {
		if p == nil || p.NS == "" || len(p.Identities) == 0 {
			return nil, fmt.Errorf("mapping: person %d has no namespace or identity", i+1)
		}
		for _, s := range p.Identities {
			if s == "" {
				return nil, fmt.Errorf("mapping: person %d has an empty identity", i+1)
			}
			if prev, dup := c.byIdent[p.NS+"\x00"+s]; dup {
				return nil, fmt.Errorf("mapping: persons %d and %d share an identity", prev+1, i+1)
			}
		}
		ids := p.Identities
		p.Identities, p.words, p.canonicalN = nil, map[string]bool{}, -1
		c.people = append(c.people, p)
		for _, s := range ids {
			c.addIdentity(PersonID(i), s, sigWords(s))
			c.byIdent[p.NS+"\x00"+s] = PersonID(i)
		}
	}
	c.runs = m.Runs
	return c, nil
}

// LoadCaseFile reads a mapping file; a file that does not exist gives an
// empty case (the first run of a case).
func LoadCaseFile(path string, k *Keys) (*Case, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return NewCase(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	defer f.Close()
	return LoadCase(f, k)
}

// SaveFile writes the case to path atomically (a temporary file in the
// same folder, renamed), readable by the owner only.
func (c *Case) SaveFile(path string, k *Keys) error {
	plain, err := c.encode()
	if err != nil {
		return err
	}
	if err := WriteSealedFile(path, MappingFile, k, plain); err != nil {
		return fmt.Errorf("mapping: %w", err)
	}
	return nil
}

// Letters returns the spreadsheet-style name of n: 0 -> A, 25 -> Z, 26 -> AA.
func Letters(n int) string {
	s := ""
	for n >= 0 {
		s = string(rune('A'+n%26)) + s
		n = n/26 - 1
	}
	return s
}

// SubjectKey returns the order-free key of a normalised identity: its
// significant words, folded, sorted and joined by spaces.
func SubjectKey(identity string) string {
	ws := make([]string, 0, 4)
	for w := range sigWords(identity) {
		ws = append(ws, w)
	}
	sort.Strings(ws)
	return strings.Join(ws, " ")
}

// sigWords returns the significant words of a normalised identity: folded,
// a given name's short form as the full name it stands for
// (ner.FullGivenName: "bob" is "robert", so "Bob Hale" and "Robert Hale"
// are one person with one pseudonym), two runes or more, not a name
// particle. An identity with none uses all
// its folded words.
func sigWords(identity string) map[string]bool {
	out := map[string]bool{}
	var all []string
	for _, w := range strings.Fields(identity) {
		k := strings.Join(ner.Fold(w), "")
		if k == "" {
			continue
		}
		all = append(all, k)
		if full, ok := ner.FullGivenName(k); ok {
			k = full // "bob" is "robert"
		}
		if utf8.RuneCountInString(k) >= 2 && !particles[k] {
			out[k] = true
		}
	}
	if len(out) == 0 {
		for _, k := range all {
			out[k] = true
		}
	}
	return out
}

// particles are name words that never identify on their own (folded).
var particles = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range lexicon.MustSet("particles").Words() {
		m[strings.Join(ner.Fold(w), "")] = true
	}
	return m
}()

func subset(a, b map[string]bool) bool {
	if len(a) == 0 || len(a) > len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// Namespace returns the namespace (the entity) of the person.
func (c *Case) Namespace(id PersonID) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.people[id].NS
}

// Fits returns the people of namespace ns, up to max, whose words include
// every significant word of identity, in the order they were added: the
// people a name that fits several of them could be (a surname relatives
// share).
func (c *Case) Fits(ns, identity string, max int) []PersonID {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.within(ns, sigWords(identity), max)
}
