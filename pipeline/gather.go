package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

// gathering is what a first pass over a case learns before anything is
// written (Engine.Gather, and Run for every case): every spelling of a
// person the files name, the roles each spelling was given and how often
// it was named. It holds only these short strings, never the documents,
// so that its memory is the case table's. settle links them all in one
// order that does not depend on the order of the files, gives the people
// their roles, so that a minor named in the first file planned is a minor
// there too, and her father who shares her surname is not, and hands out
// the aliases in an order that does not depend on the files' order
// either.
type gathering struct {
	mu    sync.Mutex
	roles map[gatherKey]roleSet
}

type gatherKey struct{ ns, identity string }

type roleSet struct {
	client, minor bool
	mentions      int
}

// Gather records the people d names and their roles in the case that
// Settle will build; it keeps nothing of d. Analyze d first; it is safe
// to call from several goroutines at once.
func (e *Engine) Gather(d *Doc) { e.gathered.add(e.planner, d) }

// add records the people d names (in its text and its file name) and
// their roles.
func (g *gathering) add(p *planner, d *Doc) {
	if d.err == nil && !d.cued {
		d.clients, d.minors = readRoles(p.roles, d.parts, d.found, (&profiles.Env{Year: p.year}).RefYear())
		d.cued = true
	}
	found := map[gatherKey]roleSet{}
	keyOf := func(f ner.Finding, value string) (gatherKey, bool) {
		if f.Entity != ner.Person && !perPerson(p.profile.For(f.Entity).Action) {
			return gatherKey{}, false
		}
		ident := profiles.Identity(value)
		return gatherKey{string(f.Entity), ident}, ident != ""
	}
	for i, part := range d.parts {
		if d.err != nil {
			break // a file that will not be written: its name only
		}
		key := func(j int) (gatherKey, bool) {
			f := d.found[i][j]
			return keyOf(f, part.Text[f.Start:f.End])
		}
		for j := range d.found[i] {
			if k, ok := key(j); ok {
				r := found[k]
				r.mentions++
				found[k] = r
			}
		}
		for _, j := range d.clients[i] {
			if k, ok := key(j); ok {
				r := found[k]
				r.client = true
				found[k] = r
			}
		}
		for _, j := range d.minors[i] {
			if k, ok := key(j); ok {
				r := found[k]
				r.minor = true
				found[k] = r
			}
		}
	}
	// The forms of a name in the file's name ("intake_dunmore.docx").
	for _, f := range d.nameFs {
		if f.Start < 0 || f.End > len(d.SourceKey) || f.Start >= f.End {
			continue
		}
		if k, ok := keyOf(f, d.SourceKey[f.Start:f.End]); ok {
			r := found[k]
			r.mentions++
			found[k] = r
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.roles == nil {
		g.roles = map[gatherKey]roleSet{}
	}
	for k, r := range found {
		have := g.roles[k]
		g.roles[k] = roleSet{client: have.client || r.client, minor: have.minor || r.minor, mentions: have.mentions + r.mentions}
	}
}

// Settle links every spelling gathered to a person of the case, gives
// the people their roles and their aliases (see planner.settle). Call it
// once after Gather was called for every file of the case and before the
// first Plan.
func (e *Engine) Settle() { e.planner.settle(&e.gathered, e.planner.cases) }

// settle links every spelling g gathered to a person of case c, the
// fullest spellings first, then in byte order, so that who is who does
// not depend on the order the files came in; gives each person the roles
// gathered for any of its spellings; then hands out the aliases of the
// people whose rule is an alias, in an order that does not depend on the
// files' order either (settleOrder). g is empty afterwards.
func (p *planner) settle(g *gathering, c *profiles.Case) {
	g.mu.Lock()
	defer g.mu.Unlock()
	keys := make([]gatherKey, 0, len(g.roles))
	words := map[gatherKey]int{}
	for k := range g.roles {
		keys = append(keys, k)
		words[k] = len(strings.Fields(profiles.SubjectKey(k.identity)))
	}
	sort.Slice(keys, func(a, b int) bool {
		ka, kb := keys[a], keys[b]
		if words[ka] != words[kb] {
			return words[ka] > words[kb]
		}
		if ka.ns != kb.ns {
			return ka.ns < kb.ns
		}
		return ka.identity < kb.identity
	})
	mentions := map[profiles.PersonID]int{}
	for _, k := range keys {
		id := c.Link(k.ns, k.identity)
		r := g.roles[k]
		mentions[id] += r.mentions
		if r.client {
			c.AddRole(id, profiles.Client)
		}
		if r.minor {
			c.AddRole(id, profiles.Minor)
		}
		if k.ns == string(ner.Person) {
			for _, m := range p.minors {
				if c.Matches(id, m) {
					c.AddRole(id, profiles.Minor)
				}
			}
		}
	}
	g.roles = nil
	for _, id := range p.settleOrder(c, mentions) {
		// The rule planner.ruleFor would give, on c.
		ns := c.Namespace(id)
		r := p.profile.For(ner.Entity(ns))
		if ns == string(ner.Person) {
			for _, rr := range p.profile.RoleRules() {
				if c.HasRole(id, rr.Role) {
					r = rr
					break
				}
			}
		}
		if r.Action == profiles.Alias {
			c.Alias(id, r.Alias)
		}
	}
}

// settleOrder returns the people of mentions in the order their aliases
// are handed out: people with a role rule first (the client is "Client
// A"), then the most often named, then by a hash of their order-free
// name, so that neither the order of the files nor the alphabetical order
// of the names shows in the letters.
func (p *planner) settleOrder(c *profiles.Case, mentions map[profiles.PersonID]int) []profiles.PersonID {
	type person struct {
		id   profiles.PersonID
		role int // index of the first role rule the person has; len(rules) for none
		n    int
		hash [sha256.Size]byte
	}
	rules := p.profile.RoleRules()
	ps := make([]person, 0, len(mentions))
	for id, n := range mentions {
		x := person{id: id, role: len(rules), n: n}
		for i, r := range rules {
			if c.HasRole(id, r.Role) {
				x.role = i
				break
			}
		}
		x.hash = sha256.Sum256([]byte(c.Namespace(id) + "\x00" + profiles.SubjectKey(c.Canonical(id))))
		ps = append(ps, x)
	}
	sort.Slice(ps, func(a, b int) bool {
		pa, pb := ps[a], ps[b]
		if pa.role != pb.role {
			return pa.role < pb.role
		}
		if pa.n != pb.n {
			return pa.n > pb.n
		}
		if c := bytes.Compare(pa.hash[:], pb.hash[:]); c != 0 {
			return c < 0
		}
		return pa.id < pb.id // one canonical name, two people: their order of linking
	})
	out := make([]profiles.PersonID, len(ps))
	for i, x := range ps {
		out[i] = x.id
	}
	return out
}

// CaseKey returns the case of a source key when every folder depth
// levels below the source is a case of its own (RunConfig.CaseBy): the
// key's first depth folders ("clients/dunmore/" for
// "clients/dunmore/notes/2026-01.docx" and depth 2), or, for a key in
// fewer folders, the key itself (a file above the case folders is a case
// of its own). depth 0 is the whole run: "".
//
// In a listing in ascending byte order of keys (storage.Source.Walk) the
// keys of one case are contiguous and the cases come in ascending order
// of CaseKey: the keys with a prefix form one interval, and a case key
// that is not a folder has fewer folders than any folder case, so it is
// never inside one.
func CaseKey(key string, depth int) string {
	if depth <= 0 {
		return ""
	}
	n := 0
	for i := 0; i < len(key); i++ {
		if key[i] == '/' {
			if n++; n == depth {
				return key[:i+1]
			}
		}
	}
	return key
}

// caseOf returns the case of a source key under c.CaseBy.
func (c *RunConfig) caseOf(key string) string { return CaseKey(key, c.CaseBy) }

// inShard reports whether a source key belongs to the run's shard: by its
// case when cases are folders (a case is never split between shards, so
// that its people keep one alias each), else by the key itself.
func (c *RunConfig) inShard(key string) bool {
	if c.CaseBy > 0 {
		return c.Shard.Has(c.caseOf(key))
	}
	return c.Shard.Has(key)
}

// errCaseOrder stops a run whose source lists the objects of a case
// apart (not in ascending key order, against storage.Source's contract):
// the case's table was settled and let go, and a case planned in two
// pieces would give one person two aliases.
var errCaseOrder = errors.New("the source listed the objects of a case apart (not in ascending key order): a case must be gathered whole; nothing of the later objects was written")

// gather is the first pass over the objects of one case: it reads and
// analyses each (every worker of the run at once), records what it names
// and drops it, or keeps it for the second pass within a memory budget
// (analysed.go), with the bytes it read (keptInputs). Files that cannot
// be read or analysed are left to the second pass, which quarantines
// them. Done files are gathered too, so that the case is the same
// whatever an earlier attempt finished.
func (c *RunConfig) gather(ctx context.Context, walk func(func(storage.Object) error) error) (*gathering, error) {
	g := &gathering{}
	objs := make(chan storage.Object)
	var wg sync.WaitGroup
	for i := 0; i < c.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range objs {
				if o.Size < 0 || o.Size > c.MaxFileSize {
					continue
				}
				data, ctype, err := c.read(ctx, o)
				if err != nil {
					continue
				}
				fctx, cancel := context.WithCancel(ctx)
				var grown *growth
				if b := c.budget(len(data)); b > 0 {
					st := stage{budget: b, left: b, grown: &growth{per: c.ocrPage()}}
					cancel()
					fctx, cancel = st.within(ctx) // grows with OCR pages (run.go)
					grown = st.grown
				}
				t0 := time.Now()
				d := c.Engine.Analyze(fctx, o.Key, data)
				spent := time.Since(t0)
				if fctx.Err() == nil { // not cut short
					g.add(c.Engine.planner, d)
					added, _ := grown.take()
					// for the second pass, with what the analysis cost
					// and what its OCR pages added (analysed.go)
					c.analysed.put(d, spent, added)
					c.kept.put(o, data, ctype, d)
				}
				cancel()
			}
		}()
	}
	err := walk(func(o storage.Object) error {
		c.Engine.warmup() // a file to analyse: load the lists meanwhile
		select {
		case objs <- o:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	})
	close(objs)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, context.Cause(ctx)
	}
	return g, nil
}

// settleRun builds the case table of a run that is one case (CaseBy 0)
// before its files are planned: the table an earlier attempt settled
// (Settled), or a first pass over every file of the run (of the shard)
// settled into the engine's table.
func (c *RunConfig) settleRun(ctx context.Context) error {
	if c.Settled != nil {
		cs, err := c.Settled("")
		if err != nil {
			return err
		}
		if cs != nil {
			c.Engine.SetCase(cs)
			return nil
		}
	}
	if c.SinglePass {
		return nil
	}
	g, err := c.gather(ctx, func(yield func(storage.Object) error) error {
		return c.Source.Walk(ctx, func(o storage.Object) error {
			if !c.inShard(o.Key) {
				return nil
			}
			return yield(o)
		})
	})
	if err != nil {
		return err
	}
	c.Engine.planner.settle(g, c.Engine.Case())
	return nil
}

// settleCase builds the table of one case of a run split in cases
// (CaseBy), from the objects the listing gave for it: the table an
// earlier attempt settled, or a new one from a first pass over them.
func (c *RunConfig) settleCase(ctx context.Context, key string, jobs []job) (*profiles.Case, error) {
	if c.Settled != nil {
		cs, err := c.Settled(key)
		if err != nil || cs != nil {
			return cs, err
		}
	}
	cs := profiles.NewCase()
	todo := false
	for _, j := range jobs {
		todo = todo || j.done == nil
	}
	if c.SinglePass || !todo {
		return cs, nil
	}
	g, err := c.gather(ctx, func(yield func(storage.Object) error) error {
		for _, j := range jobs {
			if err := yield(j.obj); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.Engine.planner.settle(g, cs)
	return cs, nil
}

// keptMax bounds the bytes of the inputs the first pass hands to the
// second (keptInputs). A read saved is worth little (an open and a read
// from the page cache, some 11 µs of CPU for a 3 kB file), and bytes held
// through the first pass raise the peak heap by about twice their size
// (the collector's headroom): at 32 MiB, 4,972 court judgments (28 MB)
// peaked at 238 MB RSS against 188 MB. 4 MiB keeps a small batch whole
// (scripts/bench's 3.3 MB corpora) for a peak that grows by 8 MB at most.
const keptMax = 4 << 20

// keptInputs hands the bytes of the text files the first pass read and
// analysed to the second pass, so that each is opened and read once, not
// twice (analysed.go keeps the findings; the second pass parses the bytes
// again and takes the findings: put checks the bytes against the
// analysis's SHA-256 and keeps the sum, which the second pass compares
// with the analysis's instead of hashing the bytes again). It holds at most keptMax bytes; the files over it are read
// again, as before. The second pass takes a file's bytes only for the
// object the first pass read: same key, size and ETag in the second
// listing (for a local folder, the size, the modification time and on
// Linux the inode's change time, which no process can set back: see
// storage localETag; resume trusts the same fingerprint); a file that changed
// between the passes is read again. Safe for concurrent use; the zero
// value is ready.
type keptInputs struct {
	mu    sync.Mutex
	m     map[string]keptInput
	bytes int64
}

type keptInput struct {
	obj   storage.Object
	data  []byte
	ctype string
	sum   [sha256.Size]byte // data's SHA-256, computed by put
}

// put keeps data, the content of o as the first pass read it (with its
// stored content type), which d is the analysis of, if d is an analysis
// the second pass can take (a text format, no error) and the bound allows.
// data must be the bytes d was made from, unchanged: the check of d's
// SHA-256 guards it.
func (k *keptInputs) put(o storage.Object, data []byte, ctype string, d *Doc) {
	if k == nil || o.ETag == "" || d == nil || d.err != nil || d.format == nil || !analysedFormats[d.format.Name()] {
		return
	}
	n := int64(cap(data))
	k.mu.Lock()
	full := k.bytes+n > keptMax
	k.mu.Unlock()
	if full {
		return
	}
	sum := sha256.Sum256(data)
	if sum != d.sum {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]keptInput{}
	}
	if old, ok := k.m[o.Key]; ok {
		k.bytes -= int64(cap(old.data))
	}
	if k.bytes+n > keptMax {
		delete(k.m, o.Key)
		return
	}
	k.m[o.Key] = keptInput{obj: o, data: data, ctype: ctype, sum: sum}
	k.bytes += n
}

// take returns and forgets the bytes kept for o, if they are those of the
// object o is (same size and ETag).
func (k *keptInputs) take(o storage.Object) (data []byte, ctype string, ok bool) {
	data, ctype, _, ok = k.takeSum(o)
	return data, ctype, ok
}

// takeSum is take that also returns the bytes' SHA-256, as put computed
// it: the bytes are held here unchanged since (put's contract), so the
// second pass compares it with the analysis's instead of hashing the
// bytes a third time (analysedDocs.takeSummed).
func (k *keptInputs) takeSum(o storage.Object) (data []byte, ctype string, sum [sha256.Size]byte, ok bool) {
	in, ok := k.drop(o.Key)
	if !ok || in.obj.Size != o.Size || in.obj.ETag != o.ETag || o.ETag == "" {
		return nil, "", sum, false
	}
	return in.data, in.ctype, in.sum, true
}

// drop forgets the bytes kept for key.
func (k *keptInputs) drop(key string) (keptInput, bool) {
	if k == nil {
		return keptInput{}, false
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	in, ok := k.m[key]
	if ok {
		delete(k.m, key)
		k.bytes -= int64(cap(in.data))
	}
	return in, ok
}
