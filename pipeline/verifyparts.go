package pipeline

// inputPart returns the index of the input part that part i of the
// output, named name, reads as, or -1: part i itself where output and
// input have as many parts and it has that name; otherwise the one input
// part of that name, since a writer that removes a part (the DOCX writer
// drops a document's lastModifiedBy) shifts every part after it, which
// must not make verify run the whole chain over every part of the file.
// A name several input parts have gives -1. in may be nil (-1).
func (in *verifyInput) inputPart(i int, name string, sameParts bool) int {
	switch {
	case in == nil:
		return -1
	case sameParts:
		if in.parts[i].Name == name {
			return i
		}
		return -1
	}
	if in.byName == nil {
		in.byName = make(map[string]int, len(in.parts))
		for k, p := range in.parts {
			if _, ok := in.byName[p.Name]; ok {
				in.byName[p.Name] = -1
				continue
			}
			in.byName[p.Name] = k
		}
	}
	if j, ok := in.byName[name]; ok {
		return j
	}
	return -1
}
