package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
	"github.com/veilhq/veil/redactors"
)

// Outlook .msg files (MS-OXMSG) are OLE compound files (read with
// github.com/richardlehane/mscfb): a storage of property streams
// ("__substg1.0_IIIITTTT", id and type), a stream of fixed-size properties
// ("__properties_version1.0"), one storage per recipient and per
// attachment, and named properties.
//
// Veil does not write .msg: a faithful .msg would need its property
// streams, the named-property map and the RTF body rewritten in step. A
// .msg is read into an RFC 5322 message (From, To, Cc, Bcc, Subject, Date,
// Message-ID, In-Reply-To, References; the plain, HTML and RTF bodies;
// attachments, embedded messages as message/rfc822), which is then parsed,
// redacted and written as .eml (OutputExtension). Every other string
// property, named ones included, is carried as an "X-Msg-Property-IIII"
// header, so that it is read and redacted too. Dropped, with a note: the
// transport headers of the original delivery (Received lines: they would
// claim a delivery the .eml did not have), the RTF body when a plain or
// HTML body exists (Veil cannot rewrite RTF faithfully; an RTF-only body
// becomes plain text), and Exchange addresses that are not SMTP addresses.

var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func isOLE(data []byte) bool { return bytes.HasPrefix(data, oleSignature) }

// Property ids (MS-OXPROPS).
const (
	pSubject         = 0x0037
	pClientSubmit    = 0x0039
	pSentReprName    = 0x0042
	pSentReprEmail   = 0x0065
	pTransport       = 0x007D
	pSenderName      = 0x0C1A
	pSenderEmail     = 0x0C1F
	pRecipientType   = 0x0C15
	pDisplayBcc      = 0x0E02
	pDisplayCc       = 0x0E03
	pDisplayTo       = 0x0E04
	pDeliveryTime    = 0x0E06
	pAttachSize      = 0x0E20
	pBody            = 0x1000
	pRTF             = 0x1009
	pHTML            = 0x1013
	pMessageID       = 0x1035
	pReferences      = 0x1039
	pInReplyTo       = 0x1042
	pDisplayName     = 0x3001
	pEmailAddress    = 0x3003
	pAddrType        = 0x3002
	pAttachData      = 0x3701
	pAttachFilename  = 0x3704
	pAttachMethod    = 0x3705
	pAttachLongName  = 0x3707
	pAttachMime      = 0x370E
	pAttachContentID = 0x3712
	pSMTPAddress     = 0x39FE
	pSenderSMTP      = 0x5D01
	pSentReprSMTP    = 0x5D02
	pInternetCP      = 0x3FDE
	pMessageCP       = 0x3FFD
	pNormSubject     = 0x0E1D
	pConvTopic       = 0x0070
	pSubjectPrefix   = 0x003D
)

// Property types.
const (
	tInt32    = 0x0003
	tString8  = 0x001E
	tUnicode  = 0x001F
	tTime     = 0x0040
	tBinary   = 0x0102
	tObject   = 0x000D
	tInt64    = 0x0014
	tBoolean  = 0x000B
	tFloat64  = 0x0005
	tCurrency = 0x0006
)

// storage is one storage of the compound file: its streams and fixed
// properties.
type storage struct {
	path    string
	streams map[string]*mscfb.File
	subs    map[string]*storage
	fixed   map[uint16]uint64 // fixed-size property values by id
}

type msgReader struct {
	cp    uint64 // code page of 8-bit strings of the message being read
	c     *ctx
	depth int
	root  *storage
	notes []string
}

func (r *msgReader) note(format string, a ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, a...))
}

// read returns the bytes of a stream within the budget; a stream that
// claims more than the budget is refused before it is read.
func (r *msgReader) read(f *mscfb.File, what string) ([]byte, error) {
	b := r.c.budget
	if f.Size > b.lim.MaxDecoded-b.decoded {
		return nil, fmt.Errorf("msg: %s: claims %d bytes, over the limit of %d: %w", what, f.Size, b.lim.MaxDecoded, redactors.ErrTooLarge)
	}
	data, err := b.readAll(f, what)
	if err != nil {
		if errors.Is(err, redactors.ErrTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("msg: %s: stream does not read: %w", what, redactors.ErrCorrupt)
	}
	if int64(len(data)) != f.Size {
		return nil, fmt.Errorf("msg: %s: stream is truncated: %w", what, redactors.ErrCorrupt)
	}
	return data, nil
}

// parseMSG reads a .msg file into a message and parses it.
func parseMSG(c *ctx, data []byte, depth int) (*Document, error) {
	if depth > c.opts.Limits.MaxDepth {
		return nil, fmt.Errorf("msg: messages nested deeper than %d: %w", c.opts.Limits.MaxDepth, redactors.ErrTooLarge)
	}
	r, err := openMSG(c, data)
	if err != nil {
		return nil, err
	}
	r.depth = depth
	eml, err := r.message(r.root, 32, 0)
	if err != nil {
		return nil, err
	}
	d, err := parseMessage(c, eml, depth)
	if err != nil {
		return nil, fmt.Errorf("msg: the message read from it: %w", err)
	}
	d.outExt = ".eml"
	d.notes = append(append([]string{"Outlook .msg written as .eml (Veil does not write .msg)"}, r.notes...), d.notes...)
	return d, nil
}

// openMSG reads the directory of a compound file.
func openMSG(c *ctx, data []byte) (*msgReader, error) {
	cf, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("msg: not a readable compound file: %w", redactors.ErrCorrupt)
	}
	root := &storage{path: "", streams: map[string]*mscfb.File{}, subs: map[string]*storage{}}
	n := 0
	for f, err := cf.Next(); ; f, err = cf.Next() {
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("msg: compound file directory: %w", redactors.ErrCorrupt)
		}
		if n++; n > c.opts.Limits.MaxParts*8 {
			return nil, fmt.Errorf("msg: too many streams: %w", redactors.ErrTooLarge)
		}
		st := root
		for _, p := range f.Path {
			sub := st.subs[p]
			if sub == nil {
				sub = &storage{path: st.path + "/" + p, streams: map[string]*mscfb.File{}, subs: map[string]*storage{}}
				st.subs[p] = sub
			}
			st = sub
		}
		if f.FileInfo().IsDir() {
			if st.subs[f.Name] == nil {
				st.subs[f.Name] = &storage{path: st.path + "/" + f.Name, streams: map[string]*mscfb.File{}, subs: map[string]*storage{}}
			}
			continue
		}
		st.streams[f.Name] = f
	}
	if _, ok := root.streams["__properties_version1.0"]; !ok {
		return nil, fmt.Errorf("msg: no property stream (not an Outlook message): %w", redactors.ErrUnsupported)
	}
	return &msgReader{c: c, root: root}, nil
}

// fixedProps reads the fixed-size properties of a storage.
func (r *msgReader) fixedProps(st *storage, header int) error {
	st.fixed = map[uint16]uint64{}
	f, ok := st.streams["__properties_version1.0"]
	if !ok {
		return nil
	}
	data, err := r.read(f, "property stream")
	if err != nil {
		return err
	}
	if len(data) < header || (len(data)-header)%16 != 0 {
		return fmt.Errorf("msg: property stream of a wrong size: %w", redactors.ErrCorrupt)
	}
	for i := header; i+16 <= len(data); i += 16 {
		typ := binary.LittleEndian.Uint16(data[i:])
		id := binary.LittleEndian.Uint16(data[i+2:])
		switch typ {
		case tInt32, tTime, tInt64, tBoolean, tFloat64, tCurrency:
			st.fixed[id] = binary.LittleEndian.Uint64(data[i+8:])
		}
	}
	return nil
}

// prop is a variable-size property of a storage.
type prop struct {
	id, typ uint16
	f       *mscfb.File
}

// props lists the variable-size properties of a storage, by id.
func props(st *storage) []prop {
	var out []prop
	for name, f := range st.streams {
		if !strings.HasPrefix(name, "__substg1.0_") || len(name) != len("__substg1.0_")+8 {
			continue
		}
		v, err := strconv.ParseUint(name[len("__substg1.0_"):], 16, 32)
		if err != nil {
			continue
		}
		out = append(out, prop{id: uint16(v >> 16), typ: uint16(v), f: f})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].id != out[b].id {
			return out[a].id < out[b].id
		}
		return out[a].typ < out[b].typ
	})
	return out
}

// str reads a string property (Unicode or 8-bit).
func (r *msgReader) str(p prop) (string, error) {
	data, err := r.read(p.f, "property "+hex4(p.id))
	if err != nil {
		return "", err
	}
	switch p.typ {
	case tUnicode:
		if len(data)%2 != 0 {
			data = data[:len(data)-1]
		}
		u := make([]uint16, len(data)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(data[2*i:])
		}
		return strings.TrimRight(string(utf16.Decode(u)), "\x00"), nil
	case tString8:
		t, err := decodeCP(data, r.cp)
		if err != nil {
			return "", fmt.Errorf("msg: property %s: %w", hex4(p.id), err)
		}
		return strings.TrimRight(t, "\x00"), nil
	}
	return "", nil
}

// codepages maps Windows code pages to charset names.
var codepages = map[uint64]string{932: "shift_jis", 936: "gbk", 949: "euc-kr", 950: "big5", 20127: "us-ascii",
	50220: "iso-2022-jp", 51932: "euc-jp", 65001: "utf-8", 20866: "koi8-r", 21866: "koi8-u", 54936: "gb18030"}

// decodeCP decodes 8-bit text in a code page: 0 (none given) reads UTF-8
// when it is valid, else Windows-1252; a code page Veil does not know is
// an error, never a guess.
func decodeCP(b []byte, cp uint64) (string, error) {
	cp &= 0xffffffff
	name, ok := codepages[cp]
	switch {
	case cp == 0 && utf8.Valid(b):
		return string(b), nil
	case cp == 0:
		name = "windows-1252"
	case cp >= 1250 && cp <= 1258:
		name = "windows-" + strconv.FormatUint(cp, 10)
	case cp >= 28591 && cp <= 28606:
		name = "iso-8859-" + strconv.FormatUint(cp-28590, 10)
	case !ok:
		return "", fmt.Errorf("code page %d: %w", cp, redactors.ErrEncoding)
	}
	enc, err := lookupCharset(name)
	if err != nil {
		return "", err
	}
	if enc == nil {
		return strings.ToValidUTF8(string(b), "\uFFFD"), nil
	}
	t, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", fmt.Errorf("code page %d: %w", cp, redactors.ErrEncoding)
	}
	return strings.ToValidUTF8(string(t), "\uFFFD"), nil
}

func hex4(id uint16) string { return fmt.Sprintf("%04X", id) }

// message writes the message of storage st as RFC 5322 bytes. header is
// the size of the header of its property stream (32 for the file, 24 for
// an embedded message).
func (r *msgReader) message(st *storage, header int, depth int) ([]byte, error) {
	if depth > r.c.opts.Limits.MaxDepth {
		return nil, fmt.Errorf("msg: messages nested deeper than %d: %w", r.c.opts.Limits.MaxDepth, redactors.ErrTooLarge)
	}
	if err := r.c.budget.entity("msg"); err != nil {
		return nil, err
	}
	if err := r.fixedProps(st, header); err != nil {
		return nil, err
	}
	defer func(cp uint64) { r.cp = cp }(r.cp)
	r.cp = st.fixed[pMessageCP]
	if r.cp == 0 {
		r.cp = st.fixed[pInternetCP]
	}
	strs := map[uint16]string{}
	bins := map[uint16]prop{}
	var order []uint16
	for _, p := range props(st) {
		switch p.typ {
		case tUnicode, tString8:
			if _, ok := strs[p.id]; ok {
				continue
			}
			s, err := r.str(p)
			if err != nil {
				return nil, err
			}
			strs[p.id] = s
			order = append(order, p.id)
		case tBinary:
			bins[p.id] = p
		}
	}
	boundary := "veil-mix-" + hashOf(st.path)
	var h headerWriter
	from := addrOf(strs[pSenderName], firstNonEmpty(strs[pSenderSMTP], strs[pSenderEmail]))
	if from == "" {
		from = addrOf(strs[pSentReprName], firstNonEmpty(strs[pSentReprSMTP], strs[pSentReprEmail]))
	}
	if from != "" {
		h.add("From", from)
	}
	to, cc, bcc, err := r.recipients(st)
	if err != nil {
		return nil, err
	}
	if len(to)+len(cc)+len(bcc) == 0 {
		// No recipient table: the display lists are all there is.
		for _, x := range []struct {
			id   uint16
			list *[]string
		}{{pDisplayTo, &to}, {pDisplayCc, &cc}, {pDisplayBcc, &bcc}} {
			if v := strings.TrimSpace(strs[x.id]); v != "" {
				h.add("X-Msg-Display-"+map[uint16]string{pDisplayTo: "To", pDisplayCc: "Cc", pDisplayBcc: "Bcc"}[x.id], encodeUnstructured(v))
			}
		}
	}
	for _, x := range []struct {
		name string
		list []string
	}{{"To", to}, {"Cc", cc}, {"Bcc", bcc}} {
		if len(x.list) > 0 {
			h.add(x.name, strings.Join(x.list, ", "))
		}
	}
	if s, ok := strs[pSubject]; ok {
		h.add("Subject", encodeUnstructured(s))
	}
	if t := firstTime(st.fixed[pClientSubmit], st.fixed[pDeliveryTime]); !t.IsZero() {
		h.add("Date", t.Format(time.RFC1123Z))
	}
	for _, x := range []struct {
		id   uint16
		name string
	}{{pMessageID, "Message-ID"}, {pInReplyTo, "In-Reply-To"}, {pReferences, "References"}} {
		if v := strings.TrimSpace(strs[x.id]); v != "" {
			h.add(x.name, encodeUnstructured(v))
		}
	}
	mapped := map[uint16]bool{pSubject: true, pSenderName: true, pSenderEmail: true, pSenderSMTP: true,
		pSentReprName: true, pSentReprEmail: true, pSentReprSMTP: true, pDisplayTo: true, pDisplayCc: true,
		pDisplayBcc: true, pMessageID: true, pInReplyTo: true, pReferences: true, pBody: true, pHTML: true,
		pTransport: true}
	carried := 0
	for _, id := range order {
		if mapped[id] || strings.TrimSpace(strs[id]) == "" {
			continue
		}
		h.add("X-Msg-Property-"+hex4(id), encodeUnstructured(strs[id]))
		carried++
	}
	if carried > 0 && depth == 0 {
		r.note("%d other Outlook properties carried as X-Msg-Property headers", carried)
	}
	if _, ok := strs[pTransport]; ok && depth == 0 {
		r.note("transport headers of the original delivery not carried into the .eml")
	}
	h.add("MIME-Version", "1.0")

	// Bodies.
	var alts [][]byte
	if s, ok := strs[pBody]; ok {
		alts = append(alts, textPartBytes("text/plain", s))
	}
	html, hasHTML := strs[pHTML]
	if p, ok := bins[pHTML]; ok && !hasHTML {
		b, err := r.read(p.f, "HTML body")
		if err != nil {
			return nil, err
		}
		cp := st.fixed[pInternetCP]
		if cp == 0 {
			cp = r.cp
		}
		if html, err = decodeCP(b, cp); err != nil {
			return nil, fmt.Errorf("msg: HTML body: %w", err)
		}
		hasHTML = true
	}
	if hasHTML {
		alts = append(alts, textPartBytes("text/html", html))
	}
	if p, ok := bins[pRTF]; ok {
		b, err := r.read(p.f, "RTF body")
		if err != nil {
			return nil, err
		}
		rtf, err := decompressRTF(b, r.c.budget)
		if err != nil {
			return nil, err
		}
		if len(alts) > 0 {
			if depth == 0 {
				r.note("RTF body dropped (a plain or HTML body is kept; Veil cannot rewrite RTF faithfully)")
			}
		} else {
			alts = append(alts, textPartBytes("text/plain", rtfText(rtf)))
			r.note("RTF body converted to plain text")
		}
	}
	atts, err := r.attachments(st, depth)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	switch {
	case len(atts) == 0 && len(alts) <= 1:
		if len(alts) == 0 {
			alts = append(alts, textPartBytes("text/plain", ""))
		}
		body.Write(alts[0])
	case len(atts) == 0:
		writeMultipart(&body, "multipart/alternative", uniqueBoundary("veil-alt-"+hashOf(st.path), alts), alts)
	default:
		var parts [][]byte
		switch len(alts) {
		case 0:
		case 1:
			parts = append(parts, alts[0])
		default:
			var b bytes.Buffer
			writeMultipart(&b, "multipart/alternative", uniqueBoundary("veil-alt-"+hashOf(st.path), alts), alts)
			parts = append(parts, b.Bytes())
		}
		parts = append(parts, atts...)
		writeMultipart(&body, "multipart/mixed", uniqueBoundary(boundary, parts), parts)
	}
	return append([]byte(h.String()), body.Bytes()...), nil
}

// recipients reads the recipient storages.
func (r *msgReader) recipients(st *storage) (to, cc, bcc []string, err error) {
	names := sortedSubs(st, "__recip_version1.0_#")
	dropped := 0
	for _, name := range names {
		rs := st.subs[name]
		if err := r.fixedProps(rs, 8); err != nil {
			return nil, nil, nil, err
		}
		strs := map[uint16]string{}
		for _, p := range props(rs) {
			if p.typ == tUnicode || p.typ == tString8 {
				s, err := r.str(p)
				if err != nil {
					return nil, nil, nil, err
				}
				strs[p.id] = s
			}
		}
		addr := firstNonEmpty(strs[pSMTPAddress], strs[pEmailAddress])
		if !strings.Contains(addr, "@") {
			if addr != "" {
				dropped++
			}
			addr = ""
		}
		a := addrOf(strs[pDisplayName], addr)
		if a == "" {
			continue
		}
		switch st := rs.fixed[pRecipientType] & 0xff; st {
		case 2:
			cc = append(cc, a)
		case 3:
			bcc = append(bcc, a)
		default:
			to = append(to, a)
		}
	}
	if dropped > 0 {
		r.note("%d Exchange addresses that are not SMTP addresses dropped", dropped)
	}
	return to, cc, bcc, nil
}

// attachments writes the attachment storages as MIME parts.
func (r *msgReader) attachments(st *storage, depth int) ([][]byte, error) {
	var out [][]byte
	for k, name := range sortedSubs(st, "__attach_version1.0_#") {
		as := st.subs[name]
		pos := "attachment " + strconv.Itoa(k+1)
		if err := r.fixedProps(as, 8); err != nil {
			return nil, err
		}
		if size := int64(uint32(as.fixed[pAttachSize])); size > r.c.budget.lim.MaxDecoded-r.c.budget.decoded {
			return nil, fmt.Errorf("msg: %s: claims %d bytes, over the limit of %d: %w", pos, size, r.c.budget.lim.MaxDecoded, redactors.ErrTooLarge)
		}
		strs := map[uint16]string{}
		var data *prop
		for _, p := range props(as) {
			switch p.typ {
			case tUnicode, tString8:
				s, err := r.str(p)
				if err != nil {
					return nil, err
				}
				strs[p.id] = s
			case tBinary:
				if p.id == pAttachData {
					pp := p
					data = &pp
				}
			}
		}
		fname := firstNonEmpty(strs[pAttachLongName], strs[pAttachFilename])
		var part bytes.Buffer
		if sub, ok := as.subs["__substg1.0_3701000D"]; ok && as.fixed[pAttachMethod]&0xff == 5 {
			msg, err := r.message(sub, 24, depth+1)
			if err != nil {
				return nil, fmt.Errorf("msg: %s: %w", pos, err)
			}
			params := map[string]string{}
			if fname != "" {
				params["filename"] = strings.TrimSuffix(fname, fname[len(fname)-len(extOf(fname)):]) + ".eml"
			}
			part.WriteString("Content-Type: message/rfc822\r\n")
			if v := mime.FormatMediaType("attachment", params); v != "" {
				part.WriteString("Content-Disposition: " + v + "\r\n")
			}
			part.WriteString("\r\n")
			part.Write(msg)
			out = append(out, part.Bytes())
			continue
		}
		var content []byte
		if data != nil {
			b, err := r.read(data.f, pos)
			if err != nil {
				return nil, err
			}
			content = b
		}
		mt := strings.ToLower(strings.TrimSpace(strs[pAttachMime]))
		if _, _, err := mime.ParseMediaType(mt); err != nil || mt == "" || !strings.Contains(mt, "/") {
			mt = "application/octet-stream"
		}
		if data == nil {
			// An OLE object or a reference: nothing Veil can read.
			mt = "application/x-msg-unreadable-attachment"
		}
		params := map[string]string{}
		if fname != "" {
			params["name"] = fname
		}
		ct := mime.FormatMediaType(mt, params)
		if ct == "" {
			ct = "application/octet-stream"
		}
		part.WriteString("Content-Type: " + ct + "\r\n")
		dp := map[string]string{}
		if fname != "" {
			dp["filename"] = fname
		}
		part.WriteString("Content-Disposition: " + mime.FormatMediaType("attachment", dp) + "\r\n")
		if id := strings.TrimSpace(strs[pAttachContentID]); id != "" {
			part.WriteString("Content-ID: " + encodeUnstructured("<"+strings.Trim(id, "<>")+">") + "\r\n")
		}
		part.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
		enc, _ := encodeTransfer(content, "base64", "\r\n")
		part.Write(enc)
		out = append(out, part.Bytes())
	}
	return out, nil
}

func sortedSubs(st *storage, prefix string) []string {
	var names []string
	for n := range st.subs {
		if strings.HasPrefix(n, prefix) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// addrOf writes an address; an address that is not SMTP becomes the
// display name with the reserved invalid address.
func addrOf(name, addr string) string {
	name = strings.TrimSpace(name)
	if name == "" && addr == "" {
		return ""
	}
	if _, err := mail.ParseAddress("<" + addr + ">"); err != nil {
		addr = invalidAddress
	}
	if name == addr {
		name = ""
	}
	a := mail.Address{Name: name, Address: addr}
	return a.String()
}

// firstTime returns the first non-zero FILETIME as a time.
func firstTime(fts ...uint64) time.Time {
	for _, ft := range fts {
		if ft == 0 {
			continue
		}
		// 100-ns intervals since 1601-01-01
		const epochDiff = 116444736000000000
		if ft < epochDiff {
			continue
		}
		ns := (ft - epochDiff) * 100
		return time.Unix(0, int64(ns)).UTC()
	}
	return time.Time{}
}

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// headerWriter writes header fields with CRLF.
type headerWriter struct{ b strings.Builder }

func (h *headerWriter) add(name, value string) {
	d := &Document{nl: "\r\n"}
	h.b.WriteString(d.formatField(name, value))
}

func (h *headerWriter) String() string { return h.b.String() }

// textPartBytes writes a text part in UTF-8, quoted-printable.
func textPartBytes(t, text string) []byte {
	enc := qpEncode([]byte(text), "\r\n")
	return []byte("Content-Type: " + t + "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + string(enc))
}

// writeMultipart writes a multipart entity (its Content-Type field, a
// blank line and the parts).
func writeMultipart(w *bytes.Buffer, t, boundary string, parts [][]byte) {
	w.WriteString("Content-Type: " + mime.FormatMediaType(t, map[string]string{"boundary": boundary}) + "\r\n\r\n")
	for _, p := range parts {
		w.WriteString("--" + boundary + "\r\n")
		w.Write(p)
		if !bytes.HasSuffix(p, []byte("\r\n")) {
			w.WriteString("\r\n")
		}
	}
	w.WriteString("--" + boundary + "--\r\n")
}

// uniqueBoundary returns base, or base with a counter, such that no part
// holds it.
func uniqueBoundary(base string, parts [][]byte) string {
	b := base
	for n := 2; ; n++ {
		clash := false
		for _, p := range parts {
			if bytes.Contains(p, []byte(b)) {
				clash = true
				break
			}
		}
		if !clash {
			return b
		}
		b = base + "-" + strconv.Itoa(n)
	}
}
