package main

import (
	"context"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/veilhq/veil/pipeline"
	"github.com/veilhq/veil/pipeline/storage"
	"github.com/veilhq/veil/redactors"
)

func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "re-detect identifiers in a folder of redacted files",
		ArgsUsage: "DEST",
		Description: `Runs every detector again over the files in DEST (the veil-report folder is
skipped) and lists each identifier the profile would still change, by file,
entity and location — never the value. It runs the check veil run makes
before it writes a file: the profile's whole detection chain (identifier
rules, name rules and name lists, deny list, then the statistical model's
vote unless --no-ner, and maximum recall where the profile has it) over
every part of each file and over the format's independent reading of it.
Replacements the profile writes (labels, aliases) are not counted, nor is
a word that only the model or maximum recall flags right next to one (its
context changed with the replacement).

With --decisions (and --key-file), the values a reviewer kept (rejected in
veil review) are not counted: exactly those values, in any file.

Exit codes: 0 nothing found; 3 identifiers found; 2 some files could not be
checked (unsupported or unreadable); 1 fatal.

Example:
   veil run -p research --key-file case.key notes/ released/ && veil verify -p research released/`,
		Flags:  append(append(engineFlags(), workersFlag, maxSizeFlag, quietFlag, decisionsFlag), s3Flags()...),
		Action: doVerify,
	}
}

type checked struct {
	key       string
	leftovers []pipeline.Leftover
	err       error
}

func doVerify(c *cli.Context) error {
	if err := needArgs(c, "DEST"); err != nil {
		return err
	}
	dst, err := parseLocation(c, c.Args().First(), "DEST")
	if err != nil {
		return err
	}
	if err := dst.checkSource(c.Context, "DEST"); err != nil {
		return err
	}
	maxSize, err := maxFileSize(c)
	if err != nil {
		return err
	}
	ceng, err := buildEngine(c, true)
	if err != nil {
		return err
	}
	eng := ceng.Engine
	ctx := c.Context
	jobs := make(chan storage.Object)
	var mu sync.Mutex
	var found []checked // only files with leftovers or errors
	files := 0
	var wg sync.WaitGroup
	for i := 0; i < max(1, c.Int(workersFlag.Name)); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for o := range jobs {
				r := checkOne(ctx, eng, dst.store(), o, maxSize)
				mu.Lock()
				files++
				if len(r.leftovers) > 0 || r.err != nil {
					found = append(found, r)
				}
				mu.Unlock()
			}
		}()
	}
	walkErr := dst.store().Walk(ctx, func(o storage.Object) error {
		if strings.HasPrefix(o.Key, reportDir+"/") {
			return nil
		}
		select {
		case jobs <- o:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(jobs)
	wg.Wait()
	if walkErr != nil {
		return withCode(exitFatal, walkErr)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].key < found[j].key })
	left, unchecked := 0, 0
	for _, r := range found {
		if r.err != nil {
			unchecked++
			rs := redactors.ReasonOf(r.err)
			fmt.Fprintf(c.App.Writer, "%s: not checked: %s (%s)\n", r.key, rs.Message, rs.Code)
			continue
		}
		for _, l := range r.leftovers {
			left++
			where := l.Part
			if l.Page > 0 && !strings.Contains(where, "page") {
				where += fmt.Sprintf(" page %d", l.Page)
			}
			fmt.Fprintf(c.App.Writer, "%s: %s in %s at %d (%s)\n", r.key, l.Entity, where, l.Start, l.Rule)
		}
	}
	if !c.Bool(quietFlag.Name) {
		fmt.Fprintf(c.App.ErrWriter, "veil verify: %s checked, %s found, %d not checked\n",
			plural(files, "file"), plural(left, "identifier"), unchecked)
	}
	switch {
	case left > 0:
		return withCode(exitIdentifiers, fmt.Errorf("%d identifiers found in DEST", left))
	case unchecked > 0:
		return withCode(exitNotWritten, fmt.Errorf("%d files could not be checked", unchecked))
	}
	return nil
}

func checkOne(ctx context.Context, eng *pipeline.Engine, src storage.Source, o storage.Object, maxSize int64) checked {
	r := checked{key: o.Key}
	if o.Size < 0 || o.Size > maxSize {
		r.err = fmt.Errorf("%w", redactors.ErrTooLarge)
		if o.Size < 0 {
			r.err = fmt.Errorf("not a regular file: %w", redactors.ErrUnsupported)
		}
		return r
	}
	rc, err := src.Open(ctx, o.Key)
	if err != nil {
		r.err = fmt.Errorf("%w: %v", redactors.ErrRead, err)
		return r
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxSize+1))
	rc.Close()
	if err != nil {
		r.err = fmt.Errorf("%w: %v", redactors.ErrRead, err)
		return r
	}
	if int64(len(data)) > maxSize {
		r.err = fmt.Errorf("grew past the limit: %w", redactors.ErrTooLarge)
		return r
	}
	key := o.Key
	if k, text, ok := loadFileText(key, data); ok {
		key, data = k, text
	}
	r.leftovers, r.err = eng.Check(ctx, key, data)
	return r
}

// loadFileText returns a production volume's load file (NAME/DATA/*.dat,
// *.opt) as plain text for the text checker: its fields are file names
// and paths, which must hold no identifier either. The .dat's delimiters
// (DC4, þ, ®) become a tab, nothing and a line break.
func loadFileText(key string, data []byte) (string, []byte, bool) {
	ext := strings.ToLower(path.Ext(key))
	if (ext != ".dat" && ext != ".opt") || path.Base(path.Dir(key)) != "DATA" {
		return "", nil, false
	}
	s := strings.NewReplacer("\x14", "\t", "\u00fe", "", "\u00ae", "\n").Replace(string(data))
	return key + ".txt", []byte(s), true
}
