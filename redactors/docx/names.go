package docx

import (
	"fmt"
	"regexp"
	"strings"
)

// Zip entry names become part names in reports and errors. Word names its
// parts from a small vocabulary ("word/header2.xml", "word/media/image3.png");
// a name outside it could carry document text (a producer may call a part
// anything), so it is shown by its position instead ("zip entry 7").
var safeNameRE = regexp.MustCompile(`^(?:\[Content_Types\]\.xml|` +
	`(?:(?:word|docProps|customXml|glossary|media|theme|charts|diagrams|embeddings|fonts|activeX|` +
	`printerSettings|webextensions|_rels)/)*` +
	`(?:_rels/)?` +
	`(?:document|styles|stylesWithEffects|settings|webSettings|fontTable|theme|numbering|footnotes|` +
	`endnotes|comments|commentsExtended|commentsIds|commentsExtensible|people|header|footer|core|app|` +
	`custom|item|itemProps|image|chart|colors|style|data|layout|quickStyle|drawing|oleObject|package|` +
	`vbaProject|vbaData|font|thumbnail|printerSettings|activeX|webextension|taskpanes|afchunk|` +
	`Microsoft_Excel_Worksheet|Microsoft_Word_Document|Microsoft_PowerPoint_Presentation|` +
	`Microsoft_Excel_Chart|customizations)?` +
	`\d*(?:\.(?:xml|rels|bin|png|jpe?g|gif|emf|wmf|tiff?|bmp|svg|wdp|webp|odttf|ttf|xlsx|docx|pptx|mht))*)$`)

// safeName returns a name for zip entry i that never holds document text.
// An entry of a nested archive ("outer!inner") is named by its outer entry.
func safeName(name string, i int) string {
	if outer, _, nested := strings.Cut(name, "!"); nested {
		return safeName(outer, i) + " (inside)"
	}
	if safeNameRE.MatchString(name) && !strings.HasSuffix(name, "/") && name != "" {
		return name
	}
	return fmt.Sprintf("zip entry %d", i)
}
