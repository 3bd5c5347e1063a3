package pipeline

import (
	"crypto/sha256"
	"sync"
)

// The first pass over a case (gather.go) analyses every file to learn who
// is who, and the second pass analyses each again before planning it: the
// same detection twice, a third of a run's CPU time on text. analysedDocs
// keeps the first pass's analyses for the second, within a memory budget:
// a Doc holds its parsed document and findings, a few times its input, so
// only files up to analysedFileMax bytes are kept, and at most
// analysedMax bytes of input at once; the others are analysed again, as
// before. An analysis depends on the file's bytes only (never on the
// case table, which the first pass is building), so the second pass takes
// a kept Doc only for a file whose bytes, read again, have the same
// SHA-256 (Doc.sum); a file that changed between the passes is analysed
// again. Only analyses that completed without error within the file's
// budget are kept: a failure (a parse error, a detector cut short) is
// met again, with its own reason and budget, in the second pass.
const (
	analysedMax     = 16 << 20
	analysedFileMax = 2 << 20
)

// analysedDocs is a bounded store of first-pass analyses by source key,
// safe for concurrent use. The zero value is ready.
type analysedDocs struct {
	mu    sync.Mutex
	docs  map[string]*Doc
	bytes int64 // input bytes of the docs held
}

// put keeps d, the first pass's analysis of its source key, if the budget
// allows.
func (a *analysedDocs) put(d *Doc) {
	if d == nil || d.err != nil || d.Size > analysedFileMax {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.bytes+d.Size > analysedMax {
		return
	}
	if a.docs == nil {
		a.docs = map[string]*Doc{}
	}
	if old, ok := a.docs[d.SourceKey]; ok {
		a.bytes -= old.Size
	}
	a.docs[d.SourceKey] = d
	a.bytes += d.Size
}

// take returns and forgets the kept analysis of key if data is the input
// it was made from, or nil.
func (a *analysedDocs) take(key string, data []byte) *Doc {
	d := a.drop(key)
	if d == nil || d.Size != int64(len(data)) || d.sum != sha256.Sum256(data) {
		return nil
	}
	return d
}

// drop forgets the kept analysis of key (a file the second pass does not
// analyse: finished by an earlier attempt) and returns it.
func (a *analysedDocs) drop(key string) *Doc {
	a.mu.Lock()
	defer a.mu.Unlock()
	d, ok := a.docs[key]
	if !ok {
		return nil
	}
	delete(a.docs, key)
	a.bytes -= d.Size
	return d
}
