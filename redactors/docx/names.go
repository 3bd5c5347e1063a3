package docx

import (
	"fmt"
	"strings"
)

// Zip entry names become part names in reports and errors. Word names its
// parts from a small vocabulary ("word/header2.xml", "word/media/image3.png");
// a name outside it could carry document text (a producer may call a part
// anything), so it is shown by its position instead ("zip entry 7").
//
// A name is Office's own when it is "[Content_Types].xml", or folders of
// safeDirs, each followed by "/", then a file name: one of safeBases or
// none, decimal digits, and extensions of safeExts, each after a dot.
// (This is the regular expression the name was matched against before,
// `^(?:\[Content_Types\]\.xml|(?:(?:DIR)/)*(?:_rels/)?(?:BASE)?\d*(?:\.(?:EXT))*)$`,
// read without the regexp package, which cost 1–2 % of a DOCX run: every
// reading of every file names every entry. FuzzSafeName compares the two.)
var (
	safeDirs = setOf("word", "docProps", "customXml", "glossary", "media", "theme", "charts", "diagrams", "embeddings", "fonts", "activeX",
		"printerSettings", "webextensions", "_rels")
	safeBases = []string{"document", "stylesWithEffects", "styles", "settings", "webSettings", "fontTable", "theme", "numbering", "footnotes",
		"endnotes", "commentsExtended", "commentsExtensible", "commentsIds", "comments", "people", "header", "footer", "core", "app",
		"customizations", "custom", "itemProps", "item", "image", "chart", "colors", "style", "data", "layout", "quickStyle", "drawing", "oleObject", "package",
		"vbaProject", "vbaData", "font", "thumbnail", "printerSettings", "activeX", "webextension", "taskpanes", "afchunk",
		"Microsoft_Excel_Worksheet", "Microsoft_Word_Document", "Microsoft_PowerPoint_Presentation",
		"Microsoft_Excel_Chart"}
	safeExts = setOf("xml", "rels", "bin", "png", "jpg", "jpeg", "gif", "emf", "wmf", "tif", "tiff", "bmp", "svg", "wdp", "webp", "odttf", "ttf",
		"xlsx", "docx", "pptx", "mht")
)

func setOf(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, x := range s {
		m[x] = true
	}
	return m
}

// officeName reports whether name is one of Office's own names (above).
func officeName(name string) bool {
	if name == "[Content_Types].xml" {
		return true
	}
	// Every segment before the last "/" is a folder of safeDirs (the
	// optional "_rels/" is one of them); the file name has no "/".
	i := strings.LastIndexByte(name, '/')
	if i >= 0 {
		for dir := range strings.SplitSeq(name[:i], "/") {
			if !safeDirs[dir] {
				return false
			}
		}
	}
	file := name[i+1:]
	// Any base that begins file may be the one (a regular expression
	// tries them all), so each is tried, and none.
	if fileRest(file) {
		return true
	}
	for _, b := range safeBases {
		if strings.HasPrefix(file, b) && fileRest(file[len(b):]) {
			return true
		}
	}
	return false
}

// fileRest reports whether s is decimal digits, then extensions of
// safeExts, each after a dot.
func fileRest(s string) bool {
	for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
		s = s[1:]
	}
	if s == "" {
		return true
	}
	if s[0] != '.' {
		return false
	}
	for ext := range strings.SplitSeq(s[1:], ".") {
		if !safeExts[ext] {
			return false
		}
	}
	return true
}

// safeName returns a name for zip entry i that never holds document text.
// An entry of a nested archive ("outer!inner") is named by its outer entry.
func safeName(name string, i int) string {
	if outer, _, nested := strings.Cut(name, "!"); nested {
		return safeName(outer, i) + " (inside)"
	}
	if officeName(name) && !strings.HasSuffix(name, "/") && name != "" {
		return name
	}
	return fmt.Sprintf("zip entry %d", i)
}
