// Command gen writes the 20-document review case of package reviewtest
// to a folder, for a person to time a review with veil review.
//
//	go run ./pipeline/review/reviewtest/gen DIR
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/veilhq/veil/pipeline/review/reviewtest"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	for name, data := range reviewtest.Case20() {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("wrote %d files to %s\n", len(reviewtest.Case20()), dir)
}
