package docx

import (
	"regexp"
	"testing"
)

// safeNameRE is the regular expression officeName reads without the regexp
// package: the two must agree on every name.
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

var officeNameSeeds = []string{
	"", "/", "[Content_Types].xml", "[Content_Types].xml.rels", "_rels/.rels", "_rels/", "word/document.xml", "word/_rels/document.xml.rels",
	"word/media/image3.png", "word/media/image12.jpeg", "word/media/image1.jpg.png", "word/commentsExtended.xml", "word/commentsExtensible.xml",
	"word/stylesWithEffects.xml", "word/styles.xml", "word/style1.xml", "word/charts/style1.xml", "word/charts/colors1.xml",
	"word/embeddings/Microsoft_Excel_Worksheet1.xlsx", "docProps/custom.xml", "docProps/customizations.xml", "customXml/itemProps1.xml",
	"customXml/item1.xml", "word/fonts/font1.odttf", "word/glossary/document.xml", "word/theme/theme1.xml", "word/1.xml", "word/.xml",
	"word/document.xml.", "word/document..xml", "word//document.xml", "/word/document.xml", "Word/document.xml", "word/Document.xml",
	"word/maria.xml", "maria_sandoval.xml", "word/document", "word/12", "word/media/image1.tif", "word/media/image1.tiff", "word/media/image1.tifff",
	"word/document.xml/x", "word/document.xml!inner", "word/printerSettings/printerSettings1.bin", "word/activeX/activeX1.xml",
	"word/document\xff.xml", "word/documént.xml", "word/fontTable.xml", "word/fontTable2.xml", "word/itemProps.xml",
}

func TestOfficeName(t *testing.T) {
	for _, s := range officeNameSeeds {
		if got, want := officeName(s), safeNameRE.MatchString(s); got != want {
			t.Errorf("officeName(%q) = %v, the regular expression says %v", s, got, want)
		}
	}
	// Office's names are kept, others named by position.
	if got := safeName("word/header2.xml", 3); got != "word/header2.xml" {
		t.Errorf("safeName of an Office name = %q", got)
	}
	if got := safeName("word/Quillanby.xml", 7); got != "zip entry 7" {
		t.Errorf("safeName of another name = %q", got)
	}
}

// FuzzSafeName checks that officeName accepts exactly the names the
// regular expression matches.
func FuzzSafeName(f *testing.F) {
	for _, s := range officeNameSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := officeName(s), safeNameRE.MatchString(s); got != want {
			t.Fatalf("officeName(%q) = %v, the regular expression says %v", s, got, want)
		}
	})
}
