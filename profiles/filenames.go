package profiles

import (
	"fmt"
	"sort"
)

// File names are redacted like the text ("intake_Maria_Sandoval.md" becomes
// "intake_Person-A.md"), so the output no longer says which input it came
// from. The case keeps that link for whoever holds the key: every redacted
// name of a run, with the source key it came from, is saved in the
// encrypted mapping file (and in the snapshots of a resumable run), never in
// the report. veil reidentify --files prints them.

// NameRun is one run's redacted file names: SOURCE and DEST as the run was
// given them, and for each source key whose name was redacted, its output
// key.
type NameRun struct {
	Source string            `json:"source"`
	Dest   string            `json:"dest"`
	Files  map[string]string `json:"files"` // source key -> output key
	byOut  map[string]string // output key -> source key, built on first use
}

// BeginRun starts recording the redacted names of a run from source to
// dest: until it is called, RecordName only counts. A run that continues
// the last one recorded (same source and dest, as a resumed run does)
// records into it.
func (c *Case) BeginRun(source, dest string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := len(c.runs); n > 0 && c.runs[n-1].Source == source && c.runs[n-1].Dest == dest {
		c.current = c.runs[n-1]
		return
	}
	c.current = &NameRun{Source: source, Dest: dest, Files: map[string]string{}}
	c.runs = append(c.runs, c.current)
}

// RecordName notes that the file at source key src is written (or
// reported) under the redacted key out. Memory grows with the number of
// redacted names of runs that record them (BeginRun), as the run's own set
// of output names does.
func (c *Case) RecordName(src, out string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.renamed++
	r := c.current
	if r == nil || r.Files[src] == out {
		return
	}
	if r.byOut == nil {
		r.byOut = make(map[string]string, len(r.Files))
		for s, o := range r.Files {
			r.byOut[o] = s
		}
	}
	// A name another source had in an earlier run to the same DEST now
	// holds this file's output: the older entry is no longer true.
	if old, ok := r.byOut[out]; ok {
		delete(r.Files, old)
	}
	if prev, ok := r.Files[src]; ok {
		delete(r.byOut, prev)
	}
	r.Files[src] = out
	r.byOut[out] = src
	c.changed = true
}

// Renamed returns how many redacted names RecordName was given since the
// case was made or loaded, recorded or not.
func (c *Case) Renamed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.renamed
}

// NameRuns returns a copy of the recorded runs, oldest first.
func (c *Case) NameRuns() []NameRun {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]NameRun, 0, len(c.runs))
	for _, r := range c.runs {
		files := make(map[string]string, len(r.Files))
		for k, v := range r.Files {
			files[k] = v
		}
		out = append(out, NameRun{Source: r.Source, Dest: r.Dest, Files: files})
	}
	return out
}

// SourceKeys returns the run's source keys in order.
func (r NameRun) SourceKeys() []string {
	keys := make([]string, 0, len(r.Files))
	for k := range r.Files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkRuns validates the runs of a mapping file.
func checkRuns(runs []*NameRun) error {
	for i, r := range runs {
		if r == nil || r.Source == "" || r.Dest == "" {
			return fmt.Errorf("mapping: run %d has no source or destination", i+1)
		}
		outs := map[string]bool{}
		for src, out := range r.Files {
			if src == "" || out == "" || outs[out] {
				return fmt.Errorf("mapping: run %d has an empty or repeated file name", i+1)
			}
			outs[out] = true
		}
		if r.Files == nil {
			r.Files = map[string]string{}
		}
	}
	return nil
}
