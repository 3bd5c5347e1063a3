// Command devsplit writes the documents of an annotated JSONL file (one
// document a line, with an "id") that belong to one part of the
// development split (internal/devsplit): scripts/eval measures on them.
//
//	devsplit -part measured|tune|all IN.jsonl > OUT.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/veilhq/veil/internal/devsplit"
)

func main() {
	part := flag.String("part", devsplit.Measured, "measured, tune or all")
	flag.Parse()
	if !devsplit.Valid(*part) || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: devsplit -part measured|tune|all IN.jsonl > OUT.jsonl")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *part); err != nil {
		fmt.Fprintln(os.Stderr, "devsplit:", err)
		os.Exit(1)
	}
}

func run(path, part string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(os.Stdout)
	for line := 1; sc.Scan(); line++ {
		var d struct {
			ID string `json:"id"`
		}
		if len(sc.Bytes()) == 0 {
			continue
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil || d.ID == "" {
			return fmt.Errorf("line %d: no document id", line)
		}
		if devsplit.In(d.ID, part) {
			w.Write(sc.Bytes())
			w.WriteByte('\n')
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return w.Flush()
}
