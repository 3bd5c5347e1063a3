package pattern

import (
	"hash/crc32"
	"strconv"
)

// rules_gen.go holds rules.yaml decoded (generatedRules, generatedMacros)
// and the word lists' macros it refers to (generatedLexRefs), as Go
// composite literals that the compiler lays out as static data: a start
// decodes no YAML. It records rulesSum of the rules.yaml it was made
// from (generatedRulesSum), and Default reads rules.yaml instead when
// that differs. Made by
//
//	go generate ./ner/pattern
//
//go:generate go test . -count=1 -run ^TestGeneratedRules$ -update-rules

// rulesSum is rules.yaml's size and CRC-32C.
func rulesSum(data []byte) string {
	return strconv.Itoa(len(data)) + " " + strconv.FormatUint(uint64(crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli))), 10)
}
