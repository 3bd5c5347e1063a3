package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/urfave/cli/v2"
)

// startProfiles starts the profiles that the hidden --cpuprofile,
// --blockprofile, --mutexprofile and --memprofile flags ask for
// (scripts/bench uses them), and returns the function that writes them.
// The allocation profile counts every allocation of the run (go tool
// pprof -sample_index=alloc_space). Profiles hold
// function names and counts, never document text.
func startProfiles(c *cli.Context) (stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	if path := c.String(cpuProfileFlag.Name); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return stop, withCode(exitFatal, fmt.Errorf("--%s: %w", cpuProfileFlag.Name, err))
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return stop, withCode(exitFatal, fmt.Errorf("--%s: %w", cpuProfileFlag.Name, err))
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	for _, p := range []struct {
		flag  *cli.StringFlag
		name  string
		start func()
	}{
		{blockProfileFlag, "block", func() { runtime.SetBlockProfileRate(int(1e5)) }}, // one sample per 100 µs blocked
		{mutexProfileFlag, "mutex", func() { runtime.SetMutexProfileFraction(5) }},
		{memProfileFlag, "allocs", func() {}}, // sampled by default (runtime.MemProfileRate)
	} {
		path := c.String(p.flag.Name)
		if path == "" {
			continue
		}
		f, err := os.Create(path)
		if err != nil {
			return stop, withCode(exitFatal, fmt.Errorf("--%s: %w", p.flag.Name, err))
		}
		p.start()
		name := p.name
		stops = append(stops, func() {
			if prof := pprof.Lookup(name); prof != nil {
				_ = prof.WriteTo(f, 0)
			}
			f.Close()
		})
	}
	return stop, nil
}
