package pdf

import "bytes"

// Marked content (ISO 32000-1 14.6) carries text of its own besides the
// glyphs it marks: the properties of a BDC (/ActualText, /Alt, /E, /Lang,
// /T, a producer's own keys) and the tag itself when it is not a standard
// structure type ("/Standard", "/Heading1", role-mapped through the
// structure tree). Sanitize drops the structure tree, so neither the
// properties nor a custom tag mean anything in the output: the rewriter
// writes such an operator as a plain BMC with a standard tag (markedChange),
// and the objects part reads the content as the rewriter leaves it
// (markedBlanks), so a value there is removed rather than quarantined.

// markedChange says how the rewriter writes a BMC or BDC whose tag is the
// name tag and whose property operand (BDC) is prop: newTag is the tag to
// write (tag, or "Span" for a tag that is not PDF vocabulary), and strip
// reports that an inline property dictionary is dropped (it holds anything
// besides an MCID). changed is false when the operator stays as it is.
func markedChange(data []byte, tag string, prop *operand) (newTag string, strip, changed bool) {
	newTag = tag
	if !pdfName(tag) {
		newTag = "Span"
	}
	if prop != nil && prop.tok.kind == tDictOpen {
		for i := 0; i+1 < len(prop.dict); i += 2 {
			k := prop.dict[i]
			if k.tok.kind != tName || nameString(data[k.tok.start:k.tok.end]) != "MCID" {
				strip = true
				break
			}
		}
	}
	return newTag, strip, strip || newTag != tag
}

// markedOperands returns the tag and property operands of a BMC or BDC
// with operands args, and whether they are well formed.
func markedOperands(data []byte, op string, args []operand) (tag string, prop *operand, ok bool) {
	n := 1
	if op == "BDC" {
		n = 2
	}
	if len(args) < n || args[len(args)-n].tok.kind != tName {
		return "", nil, false
	}
	t := args[len(args)-n].tok
	if op == "BDC" {
		prop = &args[len(args)-1]
	}
	return nameString(data[t.start:t.end]), prop, true
}

// markedReplacement is what the rewriter writes for a changed BMC or BDC.
func markedReplacement(data []byte, newTag string, prop *operand, strip bool) string {
	if prop == nil || strip {
		return "/" + newTag + " BMC"
	}
	return "/" + newTag + " " + string(data[prop.tok.start:prop.tok.end]) + " BDC"
}

// markedBlanks returns data with what markedChange takes out of a content
// stream replaced by spaces (offsets kept): the custom tags of BMC and BDC
// and the inline property dictionaries the rewriter drops. It returns data
// itself when nothing changes.
func markedBlanks(data []byte) []byte {
	if !bytes.Contains(data, []byte("BDC")) && !bytes.Contains(data, []byte("BMC")) {
		return data
	}
	var out []byte
	blank := func(start, end int) {
		if out == nil {
			out = bytes.Clone(data)
		}
		for i := start; i < end && i < len(out); i++ {
			out[i] = ' '
		}
	}
	l := &lexer{data: data}
	var args []operand
	for {
		t := l.next()
		if t.kind == tEOF {
			break
		}
		if t.kind != tOp {
			if t.kind == tJunk || t.kind == tArrClose || t.kind == tDictClose {
				args = args[:0]
				continue
			}
			o, err := l.parseOperand(t, 0)
			if err != nil {
				args = args[:0]
				continue
			}
			if len(args) < 64 {
				args = append(args, o)
			}
			continue
		}
		switch op := string(data[t.start:t.end]); op {
		case "ID":
			l.skipInlineImage()
		case "BMC", "BDC":
			if tag, prop, ok := markedOperands(data, op, args); ok {
				if newTag, strip, _ := markedChange(data, tag, prop); strip || newTag != tag {
					if newTag != tag {
						n := 1
						if op == "BDC" {
							n = 2
						}
						tt := args[len(args)-n].tok
						blank(tt.start, tt.end)
					}
					if strip {
						blank(prop.tok.start, prop.tok.end)
					}
				}
			}
		}
		args = args[:0]
		l.release()
	}
	if out == nil {
		return data
	}
	return out
}
