package xlsx

import "github.com/veilhq/veil/redactors"

// KeepName is keepName.
func KeepName(name string) bool { return keepName(name) }

// RenameRefs applies withRenames' edits to text.
func RenameRefs(text string, es []redactors.Edit, sheets, names map[string]string) string {
	return redactors.Splice(text, withRenames(text, es, sheets, names))
}

// LeftRenamed is leftRenamed.
func LeftRenamed(x []byte, olds, nameOlds []string) bool { return leftRenamed(x, olds, nameOlds) }

// ExternalSheet is externalSheet.
func ExternalSheet(s string) bool { return externalSheet(s) }

// RenameInText is renameInText.
func RenameInText(text string, renames map[string]string) string { return renameInText(text, renames) }

// NamesBook is namesBook.
func NamesBook(f string) bool { return namesBook(f) }
