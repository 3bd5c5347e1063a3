package pdf

import (
	_ "embed"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// glyphlist.txt is the Adobe Glyph List 2.0 (BSD-3-Clause, see the header
// of the file), taken from fontTools' copy of adobe-type-tools/agl-aglfn.
//
//go:embed glyphlist.txt
var glyphList string

var (
	aglOnce sync.Once
	agl     map[string]string
)

func loadAGL() {
	agl = make(map[string]string, 4400)
	for _, line := range strings.Split(glyphList, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		name, codes, ok := strings.Cut(line, ";")
		if !ok {
			continue
		}
		var b strings.Builder
		for _, h := range strings.Fields(codes) {
			v, err := strconv.ParseUint(h, 16, 32)
			if err == nil {
				b.WriteRune(rune(v))
			}
		}
		agl[name] = b.String()
	}
	// Names common in TeX and older fonts that the AGL lacks.
	for k, v := range map[string]string{
		"ff": "ff", "fi": "fi", "fl": "fl", "ffi": "ffi", "ffl": "ffl",
		"dotlessj": "ȷ", "nbspace": "\u00a0", "sfthyphen": "\u00ad", "nonbreakingspace": "\u00a0",
		"visiblespace": "␣", "dieresis.alt": "¨", "sharp": "♯", "flat": "♭", "natural": "♮",
	} {
		if _, ok := agl[k]; !ok {
			agl[k] = v
		}
	}
}

// glyphRunes maps a glyph name to its text (Adobe Glyph List
// specification): AGL names, uniXXXX[XXXX…], uXXXX[XX], ligatures joined by
// '_', suffixes after '.' dropped.
func glyphRunes(name string) (string, bool) {
	aglOnce.Do(loadAGL)
	if s, ok := agl[name]; ok {
		return s, true
	}
	if i := strings.IndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	if name == "" {
		return "", false
	}
	var b strings.Builder
	for _, part := range strings.Split(name, "_") {
		s, ok := glyphComponent(part)
		if !ok {
			return "", false
		}
		b.WriteString(s)
	}
	return b.String(), b.Len() > 0
}

func glyphComponent(c string) (string, bool) {
	if s, ok := agl[c]; ok {
		return s, true
	}
	if strings.HasPrefix(c, "uni") && len(c) > 3 && (len(c)-3)%4 == 0 {
		var b strings.Builder
		for i := 3; i < len(c); i += 4 {
			v, err := strconv.ParseUint(c[i:i+4], 16, 32)
			if err != nil || !validRune(rune(v)) {
				return "", false
			}
			b.WriteRune(rune(v))
		}
		return b.String(), true
	}
	if strings.HasPrefix(c, "u") && len(c) >= 5 && len(c) <= 7 {
		v, err := strconv.ParseUint(c[1:], 16, 32)
		if err == nil && validRune(rune(v)) {
			return string(rune(v)), true
		}
	}
	return "", false
}

func validRune(r rune) bool {
	return utf8.ValidRune(r) && r != 0
}
