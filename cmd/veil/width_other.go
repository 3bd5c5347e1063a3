//go:build !unix

package main

import "os"

// ttyWidth returns 0: the terminal's width is not asked for here.
func ttyWidth(*os.File) int { return 0 }
