// Package state keeps what a killed run needs to resume: which source
// objects are finished (keyed by source key, ETag and size) with their
// report records and the engine's counters after each, and snapshots of the
// case (who is who, the aliases handed out).
//
// The state lives in its own location (a local folder or an S3 prefix),
// never in DEST or the report: it names source objects, and source keys can
// hold client names. It is as private as the source.
//
// Layout:
//
//	manifest.json                     the run it belongs to (source, dest, profile, shard, attempt)
//	journal/a000001-s000001.jsonl     lines appended by attempt 1, in segments
//	journal/a000002-s000001.jsonl     attempt 2 (the first resume)…
//
// Every segment is written whole (storage.Sink.Put is atomic), so a killed
// run loses at most the lines of the segment it had not flushed yet: those
// objects are redone, and written again under the same output key. A
// segment starts with a snapshot of the case when it changed, taken after
// the segment's last record was planned.
package state

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/report"
	"github.com/veilhq/veil/pipeline/storage"
)

// Schema identifies the state format.
const Schema = "veil.state/v1"

const (
	manifestKey = "manifest.json"
	journalDir  = "journal/"
)

// Flush thresholds: a segment is written when it holds this many lines or
// bytes, or FlushInterval after its first line.
var (
	FlushLines    = 1000
	FlushBytes    = 1 << 20
	FlushInterval = time.Second
)

// Store is where the state lives.
type Store interface {
	storage.Source
	storage.Sink
}

// Manifest says which run a state belongs to.
type Manifest struct {
	Schema  string    `json:"schema"`
	Source  string    `json:"source"`
	Dest    string    `json:"dest"`
	Profile string    `json:"profile"`
	Shard   string    `json:"shard,omitempty"`
	Started time.Time `json:"started"` // when the first attempt started
	Attempt int       `json:"attempt"` // 1 for the first attempt
}

func (m Manifest) sameRun(o Manifest) bool {
	return m.Source == o.Source && m.Dest == o.Dest && m.Profile == o.Profile && m.Shard == o.Shard
}

// line is one journal line: a case snapshot, or a finished object.
type line struct {
	Case []byte `json:"case,omitempty"`
	// CaseOf is the key of the case the snapshot is the table of
	// (pipeline.CaseKey; "" for the whole run).
	CaseOf string             `json:"case_of,omitempty"`
	Key    string             `json:"key,omitempty"`
	ETag   string             `json:"etag,omitempty"`
	Size   int64              `json:"size,omitempty"`
	Rec    *report.File       `json:"rec,omitempty"`
	Mark   *pipeline.PlanMark `json:"mark,omitempty"`
}

// Ledger records a run's progress in a Store. It implements
// pipeline.Ledger.
type Ledger struct {
	st Store
	m  Manifest

	// from earlier attempts
	cursors     []*cursor
	caseSnap    []byte
	caseOf      string
	reserved    []string
	frontierKey string // the last key finished, in key order
	frontier    pipeline.PlanMark
	earlier     int  // objects finished by earlier attempts
	vanished    bool // some were not seen again in the source

	snapshot func() (string, []byte, error)
	durable  func(ctx context.Context) error // BeforeFlush

	// fmu makes flushes one at a time and guards what only they change;
	// a flush takes it before mu, and writes holding fmu alone, so that
	// Finish never waits for a flush's writes.
	fmu      sync.Mutex
	seg      int
	lastSnap [sha256.Size]byte

	mu      sync.Mutex
	buf     bytes.Buffer
	lines   int
	first   time.Time // of the oldest unflushed line
	closed  bool
	stopped chan struct{}
	flushed chan struct{}
}

var _ pipeline.Ledger = (*Ledger)(nil)

// Open starts an attempt of the run m describes. With resume, the journal
// of earlier attempts is read (their manifest must describe the same run);
// without, any earlier state at st is deleted and the run starts over.
func Open(ctx context.Context, st Store, m Manifest, resume bool) (*Ledger, error) {
	m.Schema = Schema
	m.Attempt = 1
	if m.Started.IsZero() {
		m.Started = time.Now().UTC()
	}
	old, err := readManifest(ctx, st)
	switch {
	case errors.Is(err, storage.ErrNotExist):
		old = nil
	case err != nil:
		return nil, err
	}
	l := &Ledger{st: st, stopped: make(chan struct{}), flushed: make(chan struct{})}
	segs, err := segments(ctx, st)
	if err != nil {
		return nil, err
	}
	switch {
	case resume && old != nil:
		if !old.sameRun(m) {
			return nil, fmt.Errorf("state %s belongs to another run (source %s, dest %s, profile %s, shard %q): give another --state, or run without --resume to start over", st, old.Source, old.Dest, old.Profile, old.Shard)
		}
		m.Started, m.Attempt = old.Started, old.Attempt+1
		if err := l.load(ctx, segs); err != nil {
			return nil, err
		}
	default:
		for _, s := range segs {
			if err := st.Delete(ctx, s.key); err != nil {
				return nil, fmt.Errorf("state: clear earlier journal: %w", err)
			}
		}
	}
	l.m = m
	if err := writeJSON(ctx, st, manifestKey, m); err != nil {
		return nil, fmt.Errorf("state: write manifest: %w", err)
	}
	go l.flusher()
	return l, nil
}

func readManifest(ctx context.Context, st Store) (*Manifest, error) {
	rc, err := st.Open(ctx, manifestKey)
	if err != nil {
		if errors.Is(err, storage.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("state: read manifest: %w", err)
	}
	defer rc.Close()
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&m); err != nil {
		return nil, fmt.Errorf("state %s: manifest.json: %w", st, err)
	}
	if m.Schema != Schema {
		return nil, fmt.Errorf("state %s: schema %q, this veil reads %q", st, m.Schema, Schema)
	}
	return &m, nil
}

func writeJSON(ctx context.Context, st Store, key string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	return retry(ctx, func() error { return st.Put(ctx, key, bytes.NewReader(b), int64(len(b)), "application/json") })
}

type segment struct {
	key     string
	attempt int
	seq     int
}

// segments lists the journal in order (attempt, then segment).
func segments(ctx context.Context, st Store) ([]segment, error) {
	var out []segment
	err := st.Walk(ctx, func(o storage.Object) error {
		if !strings.HasPrefix(o.Key, journalDir) {
			return nil
		}
		var s segment
		if _, err := fmt.Sscanf(strings.TrimPrefix(o.Key, journalDir), "a%06d-s%06d.jsonl", &s.attempt, &s.seq); err != nil {
			return nil // not ours
		}
		s.key = o.Key
		out = append(out, s)
		return nil
	})
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) { // a local state folder not made yet
			return nil, nil
		}
		return nil, fmt.Errorf("state: list journal: %w", err)
	}
	return out, nil
}

// load reads the earlier attempts once for aliases and reserved keys, and
// opens one cursor per attempt for Done.
func (l *Ledger) load(ctx context.Context, segs []segment) error {
	byAttempt := map[int][]string{}
	var order []int
	for _, s := range segs {
		if _, ok := byAttempt[s.attempt]; !ok {
			order = append(order, s.attempt)
		}
		byAttempt[s.attempt] = append(byAttempt[s.attempt], s.key)
	}
	for _, a := range order {
		err := scanSegments(ctx, l.st, byAttempt[a], func(ln *line) error {
			switch {
			case ln.Case != nil:
				l.caseSnap, l.caseOf = ln.Case, ln.CaseOf // the latest wins
			case ln.Rec != nil:
				l.earlier++
				if ln.Rec.KeyRedacted {
					l.reserved = append(l.reserved, ln.Rec.Key)
				}
				if ln.Key >= l.frontierKey {
					l.frontierKey = ln.Key
					l.frontier = pipeline.PlanMark{}
					if ln.Mark != nil {
						l.frontier = *ln.Mark
					}
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		l.cursors = append(l.cursors, &cursor{st: l.st, segs: byAttempt[a]})
	}
	for _, c := range l.cursors {
		if err := c.next(ctx); err != nil {
			return err
		}
	}
	return nil
}

// scanSegments calls fn for each line of the segments, in order.
func scanSegments(ctx context.Context, st Store, keys []string, fn func(*line) error) error {
	for _, k := range keys {
		err := scanSegment(ctx, st, k, fn)
		if err != nil {
			return err
		}
	}
	return nil
}

func scanSegment(ctx context.Context, st Store, key string, fn func(*line) error) error {
	rc, err := openRetry(ctx, st, key)
	if err != nil {
		return fmt.Errorf("state: read %s: %w", key, err)
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), 256<<20)
	for sc.Scan() {
		var ln line
		if err := json.Unmarshal(sc.Bytes(), &ln); err != nil {
			return fmt.Errorf("state: %s: %w", key, err)
		}
		if err := fn(&ln); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("state: read %s: %w", key, err)
	}
	return nil
}

// Manifest returns the manifest of this attempt.
func (l *Ledger) Manifest() Manifest { return l.m }

// Earlier returns how many objects earlier attempts finished.
func (l *Ledger) Earlier() int { return l.earlier }

// Vanished reports whether objects that an earlier attempt finished were
// not seen again in the source (it changed between attempts).
func (l *Ledger) Vanished() bool { return l.vanished }

// ReservedKeys returns the redacted output keys earlier attempts wrote;
// pass each to Engine.ReserveKey before the run.
func (l *Ledger) ReservedKeys() []string { return l.reserved }

// Case returns the latest case snapshot of earlier attempts, or nil.
func (l *Ledger) Case() []byte { return l.caseSnap }

// CaseOf returns the key of the case whose table Case is (see
// SnapshotCaseOf; "" for the whole run).
func (l *Ledger) CaseOf() string { return l.caseOf }

// Frontier returns the engine's counters after the last object (in key
// order) that earlier attempts finished; pass it to Engine.RestoreMark.
func (l *Ledger) Frontier() pipeline.PlanMark { return l.frontier }

// SnapshotCase makes every segment start with snap's result when it
// changed since the last segment: the case the segment's records were
// planned with (or a later one). Call it before the run.
func (l *Ledger) SnapshotCase(snap func() ([]byte, error)) {
	l.SnapshotCaseOf(func() (string, []byte, error) {
		b, err := snap()
		return "", b, err
	})
}

// SnapshotCaseOf is SnapshotCase for a run split in cases: snap returns
// the table the run plans with now and the key of its case, which Case
// and CaseOf give back to the resumed run. The table goes into the state
// as snap returns it: sealed with the key file when the run has one.
func (l *Ledger) SnapshotCaseOf(snap func() (caseKey string, table []byte, err error)) {
	l.fmu.Lock()
	defer l.fmu.Unlock()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.snapshot = snap
	if l.caseSnap != nil {
		l.lastSnap = sha256.Sum256(append([]byte(l.caseOf+"\x00"), l.caseSnap...))
	}
}

// BeforeFlush makes every segment wait for durable(ctx) before it is
// written: the records of a segment say their outputs are stored, so a
// sink that makes its writes durable in batches (storage.Syncer) must do
// so first. An error keeps the lines buffered, as a failed write does.
// Call it before the run.
func (l *Ledger) BeforeFlush(durable func(ctx context.Context) error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.durable = durable
}

// Done implements pipeline.Ledger: it walks the journals of earlier
// attempts alongside the source listing (both in key order), so it holds
// one line per attempt in memory, whatever the number of objects. ctx
// bounds the reads of the journals.
func (l *Ledger) Done(ctx context.Context, o storage.Object) (report.File, bool, error) {
	var best *line
	for _, c := range l.cursors {
		for c.head != nil && c.head.Key < o.Key {
			l.vanished = true
			if err := c.next(ctx); err != nil {
				return report.File{}, false, err
			}
		}
		if c.head != nil && c.head.Key == o.Key {
			best = c.head // later attempts win
			if err := c.next(ctx); err != nil {
				return report.File{}, false, err
			}
		}
	}
	if best == nil || best.ETag != o.ETag || best.Size != o.Size || best.Rec == nil {
		return report.File{}, false, nil
	}
	return *best.Rec, true, nil
}

// Finish implements pipeline.Ledger. The record is buffered; ctx bounds
// the write of the journal segment when the buffer is full.
func (l *Ledger) Finish(ctx context.Context, o storage.Object, rec report.File, m pipeline.PlanMark) error {
	ln := line{Key: o.Key, ETag: o.ETag, Size: o.Size, Rec: &rec}
	if m != (pipeline.PlanMark{}) {
		ln.Mark = &m
	}
	return l.append(ctx, ln)
}

func (l *Ledger) append(ctx context.Context, ln line) error {
	b, err := json.Marshal(ln)
	if err != nil {
		return err
	}
	l.mu.Lock()
	if l.buf.Len() == 0 {
		l.first = time.Now()
	}
	l.buf.Write(b)
	l.buf.WriteByte('\n')
	l.lines++
	full := l.lines >= FlushLines || l.buf.Len() >= FlushBytes
	l.mu.Unlock()
	if full {
		return l.flush(ctx, 0)
	}
	return nil
}

// flush writes the buffered lines as the next segment if the oldest has
// waited at least age. It takes the lines out of the buffer and writes
// them without holding mu, so that Finish goes on meanwhile; flushes run
// one at a time (fmu). On error the lines go back to the front of the
// buffer for the next try.
func (l *Ledger) flush(ctx context.Context, age time.Duration) error {
	l.fmu.Lock()
	defer l.fmu.Unlock()
	l.mu.Lock()
	if l.buf.Len() == 0 || age > 0 && time.Since(l.first) < age {
		l.mu.Unlock()
		return nil
	}
	data := bytes.Clone(l.buf.Bytes())
	lines, first := l.lines, l.first
	l.buf.Reset()
	l.lines = 0
	l.mu.Unlock()
	err := l.write(ctx, data)
	if err != nil {
		l.mu.Lock()
		rest := append(data, l.buf.Bytes()...)
		l.buf.Reset()
		l.buf.Write(rest)
		l.lines += lines
		l.first = first
		l.mu.Unlock()
	}
	return err
}

// write writes data, buffered lines, as the next segment, after the
// outputs they record are durable. The caller holds fmu.
func (l *Ledger) write(ctx context.Context, data []byte) error {
	if l.durable != nil {
		if err := l.durable(ctx); err != nil {
			return fmt.Errorf("state: make outputs durable: %w", err)
		}
	}
	key := fmt.Sprintf("%sa%06d-s%06d.jsonl", journalDir, l.m.Attempt, l.seg+1)
	var snapHash [sha256.Size]byte
	if l.snapshot != nil {
		// Taken now, after the buffered records were planned.
		key, snap, err := l.snapshot()
		if err != nil {
			return fmt.Errorf("state: case snapshot: %w", err)
		}
		if snapHash = sha256.Sum256(append([]byte(key+"\x00"), snap...)); snapHash != l.lastSnap {
			head, err := json.Marshal(line{Case: snap, CaseOf: key})
			if err != nil {
				return err
			}
			data = append(append(head, '\n'), data...)
		}
	}
	err := retry(ctx, func() error {
		return l.st.Put(ctx, key, bytes.NewReader(data), int64(len(data)), "application/x-ndjson")
	})
	if err != nil {
		return fmt.Errorf("state: write journal: %w", err)
	}
	l.seg++
	l.lastSnap = snapHash
	return nil
}

func (l *Ledger) flusher() {
	defer close(l.flushed)
	t := time.NewTicker(FlushInterval / 4)
	defer t.Stop()
	for {
		select {
		case <-l.stopped:
			return
		case <-t.C:
			l.flush(context.Background(), FlushInterval) // an error keeps the lines; Close reports it
		}
	}
}

// Close writes what is buffered and stops the ledger.
func (l *Ledger) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	close(l.stopped)
	<-l.flushed
	for _, c := range l.cursors {
		c.close()
	}
	return l.flush(context.Background(), 0)
}

// Remove deletes the state: the manifest and every journal segment. A run
// that finished calls it so that no list of source keys is left behind.
func (l *Ledger) Remove(ctx context.Context) error {
	segs, err := segments(ctx, l.st)
	if err != nil {
		return err
	}
	for _, s := range segs {
		if err := l.st.Delete(ctx, s.key); err != nil {
			return fmt.Errorf("state: remove: %w", err)
		}
	}
	return l.st.Delete(ctx, manifestKey)
}

// cursor reads the finished-object lines of one attempt in order.
type cursor struct {
	st   Store
	segs []string
	rc   io.ReadCloser
	sc   *bufio.Scanner
	head *line
}

func (c *cursor) next(ctx context.Context) error {
	for {
		if c.sc == nil {
			if len(c.segs) == 0 {
				c.head = nil
				return nil
			}
			rc, err := openRetry(ctx, c.st, c.segs[0])
			if err != nil {
				return fmt.Errorf("state: read %s: %w", c.segs[0], err)
			}
			c.segs = c.segs[1:]
			c.rc, c.sc = rc, bufio.NewScanner(rc)
			c.sc.Buffer(make([]byte, 64<<10), 256<<20)
		}
		if !c.sc.Scan() {
			err := c.sc.Err()
			c.close()
			if err != nil {
				return fmt.Errorf("state: read journal: %w", err)
			}
			continue
		}
		var ln line
		if err := json.Unmarshal(c.sc.Bytes(), &ln); err != nil {
			return fmt.Errorf("state: journal: %w", err)
		}
		if ln.Rec != nil {
			c.head = &ln
			return nil
		}
	}
}

func (c *cursor) close() {
	if c.rc != nil {
		c.rc.Close()
	}
	c.rc, c.sc = nil, nil
}

func openRetry(ctx context.Context, st Store, key string) (rc io.ReadCloser, err error) {
	err = retry(ctx, func() error {
		rc, err = st.Open(ctx, key)
		return err
	})
	return rc, err
}

// retry tries op up to four times while the store is unavailable.
func retry(ctx context.Context, op func() error) error {
	wait := pipeline.RetryBackoff
	for try := 0; ; try++ {
		err := op()
		if err == nil || !errors.Is(err, storage.ErrUnavailable) || try == pipeline.DefaultRetries {
			return err
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return err
		}
		wait *= 2
	}
}
