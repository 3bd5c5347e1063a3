package table

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/veilhq/veil/redactors"
)

// Encoding is how a file's bytes become text, and back.
type Encoding string

// The encodings Veil reads and writes back. Anything else is refused as
// redactors.ErrEncoding: a file whose encoding cannot be told is never
// read with a guess that could hide a name from the detectors.
const (
	UTF8        Encoding = "utf-8"
	UTF8BOM     Encoding = "utf-8 with byte-order mark"
	UTF16LE     Encoding = "utf-16le with byte-order mark"
	UTF16BE     Encoding = "utf-16be with byte-order mark"
	Windows1252 Encoding = "windows-1252"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decode tells the encoding of data and returns its text (without a
// byte-order mark). UTF-8 is taken when the bytes are valid UTF-8; UTF-16
// only with its byte-order mark; Windows-1252 (a superset of Latin-1's
// printable characters) when the bytes are not UTF-8 and read as Western
// European text (see western). UTF-8 with a stray byte, and text in
// another single-byte code page (Windows-1250, 1251…), are refused.
func decode(data []byte) (string, Encoding, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		body := data[len(bomUTF8):]
		if !utf8.Valid(body) {
			return "", "", fmt.Errorf("byte-order mark of UTF-8 on text that is not UTF-8: %w", redactors.ErrEncoding)
		}
		return string(body), UTF8BOM, nil
	case bytes.HasPrefix(data, bomUTF16LE), bytes.HasPrefix(data, bomUTF16BE):
		le := bytes.HasPrefix(data, bomUTF16LE)
		s, ok := decodeUTF16(data[2:], le)
		if !ok {
			return "", "", fmt.Errorf("UTF-16 that does not decode (odd length or unpaired surrogate): %w", redactors.ErrEncoding)
		}
		if le {
			return s, UTF16LE, nil
		}
		return s, UTF16BE, nil
	case utf8.Valid(data):
		return string(data), UTF8, nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", "", fmt.Errorf("NUL bytes without a UTF-16 byte-order mark: %w", redactors.ErrEncoding)
	}
	s, ok := decode1252(data)
	if !ok || !western(data, s) {
		return "", "", fmt.Errorf("neither UTF-8 nor text in Windows-1252 (code page cannot be told): %w", redactors.ErrEncoding)
	}
	return s, Windows1252, nil
}

// decodeUTF16 decodes UTF-16 strictly: an odd length or an unpaired
// surrogate fails, so that encoding the text again gives the same bytes.
func decodeUTF16(b []byte, le bool) (string, bool) {
	if len(b)%2 != 0 {
		return "", false
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if le {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		} else {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
	}
	var sb strings.Builder
	sb.Grow(len(u))
	for i := 0; i < len(u); i++ {
		r := rune(u[i])
		switch {
		case utf16.IsSurrogate(r):
			if i+1 >= len(u) {
				return "", false
			}
			r = utf16.DecodeRune(r, rune(u[i+1]))
			if r == utf8.RuneError {
				return "", false
			}
			i++
		}
		sb.WriteRune(r)
	}
	return sb.String(), true
}

// decode1252 decodes Windows-1252; a byte it leaves undefined fails.
func decode1252(data []byte) (string, bool) {
	b, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil || bytes.ContainsRune(b, utf8.RuneError) {
		return "", false
	}
	return string(b), true
}

// western reports whether data, decoded as Windows-1252 into s, reads as
// Western European text and not as another encoding:
//   - at most a third of its bytes beyond ASCII form sequences that are
//     valid UTF-8 (a UTF-8 file with a stray byte would be read as
//     mojibake, "ZoÃ«", and its accented names missed);
//   - no symbol that is a letter in another code page stands between two
//     letters ("O³tarzewski" is the Polish "Ołtarzewski" in Windows-1250);
//   - words of four letters or more outside ASCII are rare (Cyrillic or
//     Greek in their code pages read as words of accented Latin letters:
//     "Ïðèâåò"): fewer than two, or under a fifth of the words with such
//     letters.
//
// Redact checks that its output reads back in the encoding it was read
// in (a replacement next to an accented letter could, in theory, tip a
// rule) and refuses it otherwise.
func western(data []byte, s string) bool {
	high, inUTF8 := 0, 0
	for i := 0; i < len(data); {
		if data[i] < 0x80 {
			i++
			continue
		}
		if r, n := utf8.DecodeRune(data[i:]); r != utf8.RuneError && n > 1 {
			high += n
			inUTF8 += n
			i += n
			continue
		}
		high++
		i++
	}
	if inUTF8*3 > high {
		return false
	}
	prev := ' '
	run, letters, foreignWords, accentedWords := 0, 0, 0, 0
	endWord := func() {
		if letters > 0 && run > 0 {
			accentedWords++
			if run == letters && letters >= 4 {
				foreignWords++
			}
		}
		run, letters = 0, 0
	}
	rs := []rune(s)
	for i, r := range rs {
		next := ' '
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch {
		case r >= 0x80 && r < 0xA0:
			return false // a C1 control: undefined in Windows-1252
		case strings.ContainsRune(confusable, r) && unicode.IsLetter(prev) && unicode.IsLetter(next):
			return false
		}
		if unicode.IsLetter(r) {
			letters++
			if r >= 0x80 {
				run++
			}
		} else {
			endWord()
		}
		prev = r
	}
	endWord()
	return foreignWords < 2 || foreignWords*5 < accentedWords
}

// confusable are the Windows-1252 symbols that are letters at the same
// byte in Windows-1250 (Central European) and ISO 8859-2.
const confusable = "¡¢£¤¥¦§¨ª¬¯°±²³´µ¶·¸¹º¼½¾¿×÷"

// encode writes text in enc, with the byte-order mark the input had.
// Runes enc cannot hold (they come from replacements, never from the
// input, which was decoded from enc) become '?'.
func encode(text string, enc Encoding) ([]byte, error) {
	switch enc {
	case UTF8:
		return []byte(text), nil
	case UTF8BOM:
		return append(append([]byte(nil), bomUTF8...), text...), nil
	case UTF16LE, UTF16BE:
		e := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM)
		if enc == UTF16BE {
			e = xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM)
		}
		return e.NewEncoder().Bytes([]byte(text))
	case Windows1252:
		text = strings.Map(func(r rune) rune {
			if _, ok := charmap.Windows1252.EncodeRune(r); !ok {
				return '?'
			}
			return r
		}, text)
		return charmap.Windows1252.NewEncoder().Bytes([]byte(text))
	}
	return nil, fmt.Errorf("encoding %q: %w", enc, redactors.ErrInternal)
}
