package email

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/veilhq/veil/redactors"
	"golang.org/x/text/encoding/charmap"
)

// rtfPrebuf is the dictionary's initial content (MS-OXRTFCP 2.1.2.1).
const rtfPrebuf = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript " +
	"\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par " +
	"\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"

const (
	rtfCompressed   = 0x75465A4C // "LZFu"
	rtfUncompressed = 0x414C454D // "MELA"
)

// decompressRTF decompresses PidTagRtfCompressed (MS-OXRTFCP). The size
// the header claims is checked against the budget before anything is
// allocated, and the output never grows past it.
func decompressRTF(b []byte, bud *budget) ([]byte, error) {
	if len(b) < 16 {
		return nil, fmt.Errorf("msg: RTF body: header truncated: %w", redactors.ErrCorrupt)
	}
	compSize := binary.LittleEndian.Uint32(b[0:])
	rawSize := int64(binary.LittleEndian.Uint32(b[4:]))
	typ := binary.LittleEndian.Uint32(b[8:])
	if int64(compSize) > int64(len(b)-4) || compSize < 12 {
		return nil, fmt.Errorf("msg: RTF body: sizes disagree: %w", redactors.ErrCorrupt)
	}
	if err := bud.take(rawSize, "RTF body"); err != nil {
		return nil, fmt.Errorf("msg: RTF body claims %d bytes: %w", rawSize, redactors.ErrTooLarge)
	}
	data := b[16 : 4+compSize]
	switch typ {
	case rtfUncompressed:
		if int64(len(data)) < rawSize {
			return nil, fmt.Errorf("msg: RTF body: truncated: %w", redactors.ErrCorrupt)
		}
		return data[:rawSize], nil
	case rtfCompressed:
	default:
		return nil, fmt.Errorf("msg: RTF body: unknown compression: %w", redactors.ErrCorrupt)
	}
	var dict [4096]byte
	copy(dict[:], rtfPrebuf)
	wp := len(rtfPrebuf)
	out := make([]byte, 0, min(rawSize, int64(len(data))*8))
	i := 0
	for i < len(data) {
		ctl := data[i]
		i++
		for bit := 0; bit < 8 && i < len(data); bit++ {
			if ctl&(1<<bit) == 0 {
				c := data[i]
				i++
				dict[wp] = c
				wp = (wp + 1) % 4096
				out = append(out, c)
			} else {
				if i+1 >= len(data) {
					return nil, fmt.Errorf("msg: RTF body: truncated reference: %w", redactors.ErrCorrupt)
				}
				ref := int(data[i])<<8 | int(data[i+1])
				i += 2
				off, n := ref>>4, ref&0xf+2
				if off == wp {
					return out, nil
				}
				for k := 0; k < n; k++ {
					c := dict[(off+k)%4096]
					dict[wp] = c
					wp = (wp + 1) % 4096
					out = append(out, c)
				}
			}
			if int64(len(out)) > rawSize {
				return nil, fmt.Errorf("msg: RTF body longer than it claims: %w", redactors.ErrCorrupt)
			}
		}
	}
	return out, nil
}

// Destinations whose text a reader does not see as the body. Their text
// is left out; it is not written either (an RTF-only body becomes the
// plain text that rtfText returns).
var rtfSkip = set("fonttbl", "colortbl", "stylesheet", "info", "pict", "object", "themedata", "colorschememapping",
	"datastore", "latentstyles", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl", "mmathPr",
	"filetbl", "revtbl", "pgdsctbl", "header", "footer")

// rtfText returns the text of an RTF document as a reader sees it:
// paragraphs on lines, \'hh as Windows-1252, \uN as the character. HTML
// encapsulated in RTF (\fromhtml) gives its text, without its tags.
func rtfText(b []byte) string {
	var out strings.Builder
	type state struct {
		skip bool
		uc   int
	}
	stack := []state{{uc: 1}}
	cur := &stack[0]
	pendingSkip := 0
	dec := charmap.Windows1252.NewDecoder()
	emit := func(s string) {
		if cur.skip {
			return
		}
		if pendingSkip > 0 {
			pendingSkip--
			return
		}
		out.WriteString(s)
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch c {
		case '{':
			stack = append(stack, *cur)
			cur = &stack[len(stack)-1]
			i++
			if i+1 < len(b) && b[i] == '\\' && b[i+1] == '*' {
				cur.skip = true
			}
		case '}':
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
				cur = &stack[len(stack)-1]
			}
			i++
		case '\\':
			i++
			if i >= len(b) {
				break
			}
			switch n := b[i]; {
			case n == '\'':
				if i+2 < len(b) {
					v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8)
					if err == nil {
						s, _ := dec.Bytes([]byte{byte(v)})
						emit(string(s))
					}
				}
				i += 3
			case n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z':
				j := i
				for j < len(b) && (b[j] >= 'a' && b[j] <= 'z' || b[j] >= 'A' && b[j] <= 'Z') {
					j++
				}
				word := string(b[i:j])
				k := j
				if k < len(b) && (b[k] == '-' || b[k] >= '0' && b[k] <= '9') {
					k++
					for k < len(b) && b[k] >= '0' && b[k] <= '9' {
						k++
					}
				}
				arg, hasArg := 0, k > j
				if hasArg {
					arg, _ = strconv.Atoi(string(b[j:k]))
				}
				if k < len(b) && b[k] == ' ' {
					k++
				}
				i = k
				switch {
				case rtfSkip[word]:
					cur.skip = true
				case word == "par" || word == "line" || word == "row" || word == "sect" || word == "page":
					emit("\n")
				case word == "tab" || word == "cell":
					emit("\t")
				case word == "uc" && hasArg:
					cur.uc = arg
				case word == "u" && hasArg:
					if arg < 0 {
						arg += 65536
					}
					r := rune(arg)
					if !utf8.ValidRune(r) {
						r = utf8.RuneError
					}
					emit(string(r))
					pendingSkip = cur.uc
				case word == "htmlrtf":
					// RTF-only text of encapsulated HTML; kept, it is text too
				}
			default:
				// control symbol: \\ \{ \} \~ \- \_
				switch n {
				case '\\', '{', '}':
					emit(string(n))
				case '~':
					emit("\u00a0")
				case '_':
					emit("-")
				}
				i++
			}
		case '\r', '\n':
			i++
		default:
			j := i
			for j < len(b) && b[j] != '\\' && b[j] != '{' && b[j] != '}' && b[j] != '\r' && b[j] != '\n' {
				j++
			}
			s, _ := dec.Bytes(b[i:j])
			for _, r := range string(s) {
				emit(string(r))
			}
			i = j
		}
	}
	return out.String()
}
