// Package ooxml reads Office Open XML packages (DOCX now; XLSX and PPTX
// next) for redaction: the zip container under limits (zip.go), the
// character data and attribute values of XML with their exact byte
// offsets (xmltext.go, walk.go), and the closed vocabulary of structural
// values (vocabulary.go, vocabulary.txt) that decides which of them are
// not document text.
//
// The walker is exhaustive by construction: every attribute value and run
// of character data of every element is either taken by the format's own
// handler (a paragraph's text, an author to neutralise…), or called
// structural by the vocabulary because its value has the shape of the
// slot it sits in (a number where the schema has a number), or handed back
// as document text. Nothing is skipped because nobody listed its place: an
// attribute the vocabulary does not know, or a value that does not have the
// shape of its slot, is text.
//
// The package never re-encodes XML: callers splice replacements into the
// original bytes at the offsets reported here.
package ooxml
