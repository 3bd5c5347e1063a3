package pipeline

import (
	"crypto/sha256"
	"sync"
	"time"
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
//
// Only analyses of text formats are kept (analysedFormats): a Doc of text
// holds the text and its findings, a few times its input, where a parsed
// PDF, DOCX, workbook, email or image holds its objects, decoded streams
// and pictures, many times its input (keeping them took a court run over
// 16 MB of small PDFs from 216 to 317 MiB peak RSS); those are analysed
// again.
const (
	analysedMax     = 16 << 20
	analysedFileMax = 2 << 20
)

// analysedFormats are the names of the formats whose analyses are kept.
var analysedFormats = map[string]bool{"text": true, "markdown": true, "csv": true, "tsv": true}

// analysedDocs is a bounded store of first-pass analyses by source key,
// safe for concurrent use. The zero value is ready.
type analysedDocs struct {
	mu    sync.Mutex
	docs  map[string]analysedDoc
	bytes int64 // input bytes of the docs held
}

// analysedDoc is a first-pass analysis with what it cost the file's
// budget (RunConfig.budget): the time it took, and the time the pages
// its OCR read added. The second pass counts both as if it had analysed
// the file itself, so that a file's budget is the same either way.
type analysedDoc struct {
	d            *Doc
	spent, grown time.Duration
}

// put keeps d, the first pass's analysis of its source key, which took
// spent and whose OCR pages added grown to the budget, if the budget of
// the store allows.
func (a *analysedDocs) put(d *Doc, spent, grown time.Duration) {
	if d == nil || d.err != nil || d.Size > analysedFileMax || d.format == nil || !analysedFormats[d.format.Name()] {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.bytes+d.Size > analysedMax {
		return
	}
	if a.docs == nil {
		a.docs = map[string]analysedDoc{}
	}
	if old, ok := a.docs[d.SourceKey]; ok {
		a.bytes -= old.d.Size
	}
	a.docs[d.SourceKey] = analysedDoc{d: d, spent: spent, grown: grown}
	a.bytes += d.Size
}

// take returns and forgets the kept analysis of key if data is the input
// it was made from; ok is false otherwise.
func (a *analysedDocs) take(key string, data []byte) (ad analysedDoc, ok bool) {
	ad, ok = a.drop(key)
	if !ok || ad.d.Size != int64(len(data)) || ad.d.sum != sha256.Sum256(data) {
		return analysedDoc{}, false
	}
	return ad, true
}

// drop forgets the kept analysis of key (a file the second pass does not
// analyse: finished by an earlier attempt) and returns it.
func (a *analysedDocs) drop(key string) (analysedDoc, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	ad, ok := a.docs[key]
	if !ok {
		return analysedDoc{}, false
	}
	delete(a.docs, key)
	a.bytes -= ad.d.Size
	return ad, true
}
