package pipeline

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/veilhq/veil/ner"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/profiles"
)

// gathering is what a first pass over a case learns before anything is
// written (RunConfig.CaseFirst, Engine.Gather): every spelling of a person
// the files name and the roles each spelling was given. It holds only
// these short strings, never the documents, so that its memory is the
// case table's. Settle links them all in one order that does not depend
// on the order of the files, and gives the people their roles, so that a
// minor named in the first file planned is a minor there too, and her
// father who shares her surname is not.
type gathering struct {
	mu    sync.Mutex
	roles map[gatherKey]roleSet
}

type gatherKey struct{ ns, identity string }

type roleSet struct{ client, minor bool }

// Gather records the people d names and their roles in the case that
// Settle will build; it keeps nothing of d. Analyze d first; it is safe
// to call from several goroutines at once.
func (e *Engine) Gather(d *Doc) {
	if d.err != nil {
		return
	}
	p := e.planner
	if !d.cued {
		d.clients, d.minors = readRoles(p.roles, d.parts, d.found, (&profiles.Env{Year: p.year}).RefYear())
		d.cued = true
	}
	found := map[gatherKey]roleSet{}
	for i, part := range d.parts {
		key := func(j int) (gatherKey, bool) {
			f := d.found[i][j]
			if f.Entity != ner.Person && !perPerson(p.profile.For(f.Entity).Action) {
				return gatherKey{}, false
			}
			ident := profiles.Identity(part.Text[f.Start:f.End])
			return gatherKey{string(f.Entity), ident}, ident != ""
		}
		for j := range d.found[i] {
			if k, ok := key(j); ok {
				found[k] = found[k]
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
	g := &e.gathered
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.roles == nil {
		g.roles = map[gatherKey]roleSet{}
	}
	for k, r := range found {
		have := g.roles[k]
		g.roles[k] = roleSet{client: have.client || r.client, minor: have.minor || r.minor}
	}
}

// Settle links every spelling gathered to a person of the case, the
// fullest spellings first, then in byte order, so that who is who does
// not depend on the order the files came in, and gives each person the
// roles gathered for any of its spellings. Call it once after Gather was
// called for every file of the case and before the first Plan.
func (e *Engine) Settle() {
	g := &e.gathered
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
	c := e.planner.cases
	for _, k := range keys {
		id := c.Link(k.ns, k.identity)
		r := g.roles[k]
		if r.client {
			c.AddRole(id, profiles.Client)
		}
		if r.minor {
			c.AddRole(id, profiles.Minor)
		}
		if k.ns == string(ner.Person) {
			for _, m := range e.planner.minors {
				if c.Matches(id, m) {
					c.AddRole(id, profiles.Minor)
				}
			}
		}
	}
	g.roles = nil
}

// gatherCase is the first pass of a run with CaseFirst: it reads and
// analyses every file of the run (of the shard, less those an earlier
// attempt finished), Gathers what each names and drops it, then Settles
// the case. Files that cannot be read or analysed are left to the second
// pass, which quarantines them.
func (c *RunConfig) gatherCase(ctx context.Context) error {
	objs := make(chan storage.Object)
	var wg sync.WaitGroup
	for i := 0; i < c.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range objs {
				if o.Size > c.MaxFileSize {
					continue
				}
				data, _, err := c.read(ctx, o)
				if err != nil {
					continue
				}
				fctx, cancel := context.WithCancel(ctx)
				if b := c.budget(len(data)); b > 0 {
					st := stage{budget: b, left: b, grown: &growth{per: c.ocrPage()}}
					cancel()
					fctx, cancel = st.within(ctx) // grows with OCR pages (run.go)
				}
				d := c.Engine.Analyze(fctx, o.Key, data)
				cancel()
				c.Engine.Gather(d)
			}
		}()
	}
	err := c.Source.Walk(ctx, func(o storage.Object) error {
		if !c.Shard.Has(o.Key) {
			return nil
		}
		if c.Ledger != nil {
			if _, ok, err := c.Ledger.Done(ctx, o); err != nil || ok {
				return err
			}
		}
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
		return err
	}
	if err := ctx.Err(); err != nil {
		return context.Cause(ctx)
	}
	c.Engine.Settle()
	return nil
}
