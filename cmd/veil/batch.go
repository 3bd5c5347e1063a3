package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/state"
	"github.com/veilhq/veil/profiles"
)

// Flags for batch runs at archive scale: sharding, resume, retries.
var (
	shardFlag = &cli.StringFlag{
		Name: "shard", EnvVars: []string{"VEIL_SHARD"},
		Usage: "process shard `i/n` of SOURCE (keys split by a stable hash); the report becomes part i of n, joined by `veil report merge`",
	}
	resumeFlag = &cli.BoolFlag{
		Name:  "resume",
		Usage: "continue an interrupted run: objects finished before (same ETag and size) are not processed again, and the report covers the whole run",
	}
	stateFlag = &cli.StringFlag{
		Name: "state", EnvVars: []string{"VEIL_STATE"},
		Usage: "`LOCATION` (folder or s3://bucket/prefix) of the run's resume state, outside DEST and the report: it names source objects. Default: $XDG_STATE_HOME/veil/runs/ID (~/.local/state/veil/runs/ID), ID from SOURCE and DEST",
	}
	keepStateFlag = &cli.BoolFlag{
		Name:  "keep-state",
		Usage: "keep the resume state after a run that finished (it is deleted by default)",
	}
	notWrittenCodeFlag = &cli.IntFlag{
		Name: "not-written-exit-code", Value: exitNotWritten,
		Usage: "exit code when the run finished but some files were not written (the report lists them); 0 for job runners that would retry",
	}
	retriesFlag = &cli.IntFlag{
		Name: "retries", Value: pipeline.DefaultRetries,
		Usage: "tries again, with backoff, a read or write while the storage is unavailable; then the run stops (resumable)",
	}
)

func batchFlags() []cli.Flag {
	return []cli.Flag{shardFlag, resumeFlag, stateFlag, keepStateFlag, retriesFlag, notWrittenCodeFlag}
}

func parseShard(c *cli.Context) (pipeline.Shard, error) {
	if !c.IsSet(shardFlag.Name) || c.String(shardFlag.Name) == "" {
		return pipeline.Shard{}, nil
	}
	s, err := pipeline.ParseShard(c.String(shardFlag.Name))
	if err != nil {
		return s, withCode(exitFatal, fmt.Errorf("--%s: %w", shardFlag.Name, err))
	}
	return s, nil
}

// shardDir names a shard's folder in the report and the state.
func shardDir(s pipeline.Shard) string {
	return "shard-" + strconv.Itoa(s.I) + "-of-" + strconv.Itoa(s.N)
}

// stateLocation returns where the run's state goes: --state, else a folder
// under the user's state directory named by a hash of SOURCE and DEST (not
// of any object key). Each shard has its own sub-folder.
func stateLocation(c *cli.Context, src, dst, rep *location, shard pipeline.Shard) (*location, error) {
	var loc *location
	if arg := c.String(stateFlag.Name); arg != "" {
		l, err := parseLocation(c, arg, "--state")
		if err != nil {
			return nil, err
		}
		loc = l
	} else {
		base := os.Getenv("XDG_STATE_HOME")
		if base == "" {
			home, err := os.UserHomeDir()
			if err != nil {
				return nil, withCode(exitFatal, fmt.Errorf("no home folder for the resume state; give --state: %w", err))
			}
			base = filepath.Join(home, ".local", "state")
		}
		h := sha256.Sum256([]byte(src.String() + "\n" + dst.String()))
		l, err := parseLocation(c, filepath.Join(base, "veil", "runs", hex.EncodeToString(h[:8])), "--state")
		if err != nil {
			return nil, err
		}
		// a hash under the user's state folder: no client's name
		l.name = l.raw
		loc = l
	}
	if shard.Sharded() {
		loc = loc.sub(shardDir(shard))
	}
	for _, o := range []struct {
		l    *location
		what string
	}{{src, "SOURCE"}, {dst, "DEST"}, {rep, "report location"}} {
		if overlaps(loc, o.l) {
			return nil, withCode(exitFatal, fmt.Errorf("%s overlaps the %s: the state names source objects and must stay outside the data", role("--state"), role(o.what)))
		}
	}
	if loc.local != nil {
		// Private: the state names source objects.
		if err := os.MkdirAll(loc.local.Root(), 0o700); err != nil {
			return nil, withCode(exitFatal, fmt.Errorf("%s: %s", role("--state"), problem(err)))
		}
		// A journal segment a killed run was writing.
		if err := loc.local.RemoveStaleTemp(); err != nil {
			return nil, withCode(exitFatal, fmt.Errorf("%s: %s", role("--state"), problem(err)))
		}
	} else if err := loc.prepareSink(c.Context, "--state", nil); err != nil {
		return nil, err
	}
	return loc, nil
}

// openLedger opens the run's state for this attempt.
func openLedger(ctx context.Context, c *cli.Context, loc *location, src, dst *location, shard pipeline.Shard, started time.Time) (*state.Ledger, error) {
	m := state.Manifest{Source: src.String(), Dest: dst.String(), Profile: c.String(profileFlag.Name), Shard: shard.String(), Started: started}
	l, err := state.Open(ctx, loc.store(), m, c.Bool(resumeFlag.Name))
	if err != nil {
		return nil, withCode(exitFatal, err)
	}
	return l, nil
}

// partsDir holds the report parts of a sharded run, one folder per shard.
const partsDir = "parts"

// batchNotices are the report notices about resume and shards.
func batchNotices(l *state.Ledger, shard pipeline.Shard, caseBy int) []string {
	var n []string
	if a := l.Manifest().Attempt; a > 1 {
		n = append(n, fmt.Sprintf("This run was resumed (%d attempts). Files finished by an earlier attempt were not processed again; their records are the ones written then.", a))
	}
	if l.Vanished() {
		n = append(n, "Some objects finished by an earlier attempt are no longer in SOURCE: their outputs stay in DEST but are not in this report.")
	}
	switch {
	case shard.Sharded() && caseBy > 0:
		n = append(n, shardCaseNotice)
	case shard.Sharded():
		n = append(n, shardNotice)
	}
	return n
}

const shardNotice = "The run was split in shards. Aliases (Person A, Person B…) are handed out per shard: the same alias in files of two shards can name different people. Keyed pseudonyms (--key-file) are the same in every shard. Redacted file names carry shard-specific numbers so that shards never overwrite each other."

const shardCaseNotice = "The run was split in shards, each taking whole cases (--case-by): the people of a case keep one alias each. Keyed pseudonyms (--key-file) are the same in every shard. Redacted file names carry shard-specific numbers so that shards never overwrite each other."

func resumeHint(l *state.Ledger, loc *location) string {
	if l == nil {
		return ""
	}
	return fmt.Sprintf("; run the same command with --resume to continue (state in %s)", loc.Name())
}

// removeState deletes a finished run's state, and its folders when local.
func removeState(l *state.Ledger, loc *location) error {
	if err := l.Remove(context.Background()); err != nil {
		return err
	}
	if loc.local != nil {
		os.Remove(filepath.Join(loc.local.Root(), "journal"))
		os.Remove(loc.local.Root())
	}
	return nil
}

// resumeEngine restores what earlier attempts of the run left in the
// state (reserved output keys, the Bates counter), makes the ledger
// snapshot the case table as the run goes (sealed with --key-file), and
// returns how the run gets back the table an earlier attempt settled for
// a case (pipeline.RunConfig.Settled): the latest snapshot, when it is
// that case's.
func resumeEngine(l *state.Ledger, eng *engine) (func(string) (*profiles.Case, error), error) {
	snap, of := l.Case(), l.CaseOf()
	var whole *profiles.Case // the run's one table, restored now
	if snap != nil {
		cs, err := profiles.LoadSnapshot(snap, eng.keys)
		if err != nil {
			return nil, withCode(exitFatal, fmt.Errorf("resume: the case in the state does not open (another --key-file?): %w", err))
		}
		if of == "" {
			// Before the mapping file's BeginRun, which it records
			// the file names of this run in.
			eng.SetCase(cs)
			eng.cs, whole = cs, cs
		}
	}
	for _, k := range l.ReservedKeys() {
		eng.ReserveKey(k)
	}
	eng.RestoreMark(l.Frontier())
	l.SnapshotCaseOf(caseSnapshots(eng.CurrentCase, eng.keys))
	return func(key string) (*profiles.Case, error) {
		switch {
		case key == "":
			return whole, nil
		case snap == nil || key != of:
			return nil, nil
		}
		return profiles.LoadSnapshot(snap, eng.keys)
	}, nil
}

// notWrittenCode is the exit code for a run that finished with files not
// written: 2, or --not-written-exit-code where the command has it.
func notWrittenCode(c *cli.Context) int {
	for _, f := range c.Command.Flags {
		if f == notWrittenCodeFlag {
			return c.Int(notWrittenCodeFlag.Name)
		}
	}
	return exitNotWritten
}

// caseSnapshots returns the ledger's case snapshot (state.Ledger.
// SnapshotCaseOf) of the table current returns, sealed with keys when
// not nil. Sealing takes a random nonce, so the same table sealed twice
// is two different byte strings, which the ledger, comparing each
// segment's snapshot with the last one written, took for a change: every
// segment of the journal held the whole table again (a flush a second).
// A table whose plaintext is the one sealed last (same case key) gets
// the same sealed bytes back, and the ledger skips it. Not safe for
// concurrent use (the ledger calls it from one flush at a time).
func caseSnapshots(current func() (string, *profiles.Case), keys *profiles.Keys) func() (string, []byte, error) {
	var lastKey string
	var lastPlain, lastSealed []byte
	return func() (string, []byte, error) {
		key, cs := current()
		plain, err := cs.Snapshot(nil)
		if err != nil || keys == nil {
			return key, plain, err
		}
		if lastSealed == nil || key != lastKey || !bytes.Equal(plain, lastPlain) {
			lastKey, lastPlain, lastSealed = key, plain, keys.Seal(profiles.MappingFile, plain)
		}
		return key, lastSealed, nil
	}
}
