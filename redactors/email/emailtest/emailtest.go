// Package emailtest writes Outlook .msg files (MS-OXMSG over a minimal
// MS-CFB compound-file writer) for tests, and reads a message's
// attachment names with the standard library alone (AttachmentNames).
// Every value in them is the test's own.
package emailtest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf16"
)

// A minimal compound-file (MS-CFB, version 3) writer for .msg fixtures:
// streams under 4096 bytes in the mini stream, larger ones in regular
// sectors, one FAT, no DIFAT sectors (up to 109 FAT sectors, ~7 MB).
// Siblings are a chain of right children in CFB name order (a valid
// binary search tree; readers do not rebalance).

// Node is a stream or a storage of a compound file.
type Node struct {
	name     string
	data     []byte
	children []*Node
	storage  bool
	// set by the writer
	id          int
	left, right uint32
	child       uint32
	start       uint32
	size        uint32
}

const (
	cfbFree   = 0xFFFFFFFF
	cfbEnd    = 0xFFFFFFFE
	cfbFATSec = 0xFFFFFFFD
	cfbNone   = 0xFFFFFFFF
)

// Stream is a stream node.
func Stream(name string, data []byte) *Node { return &Node{name: name, data: data} }

// Storage is a storage node holding kids.
func Storage(name string, kids ...*Node) *Node {
	return &Node{name: name, storage: true, children: kids}
}

func cfbLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return strings.ToUpper(a) < strings.ToUpper(b)
}

// CFB writes a compound file whose root storage holds kids.
func CFB(kids ...*Node) []byte {
	root := &Node{name: "Root Entry", storage: true, children: kids}
	var all []*Node
	var number func(n *Node)
	number = func(n *Node) {
		n.id = len(all)
		all = append(all, n)
		sort.Slice(n.children, func(i, j int) bool { return cfbLess(n.children[i].name, n.children[j].name) })
		for _, c := range n.children {
			number(c)
		}
	}
	number(root)
	for _, n := range all {
		n.left, n.right, n.child = cfbNone, cfbNone, cfbNone
	}
	for _, n := range all {
		if len(n.children) > 0 {
			n.child = uint32(n.children[0].id)
			for i := 0; i+1 < len(n.children); i++ {
				n.children[i].right = uint32(n.children[i+1].id)
			}
		}
	}
	// mini stream and big streams
	var mini bytes.Buffer
	var miniFAT []uint32
	var sectors [][]byte // regular sectors, in order
	var fat []uint32
	chain := func(data []byte) uint32 {
		first := uint32(len(sectors))
		for off := 0; off < len(data); off += 512 {
			s := make([]byte, 512)
			copy(s, data[off:])
			sectors = append(sectors, s)
			fat = append(fat, uint32(len(sectors)))
		}
		fat[len(fat)-1] = cfbEnd
		return first
	}
	for _, n := range all[1:] {
		if n.storage {
			continue
		}
		n.size = uint32(len(n.data))
		if len(n.data) == 0 {
			n.start = cfbEnd
			continue
		}
		if len(n.data) < 4096 {
			n.start = uint32(mini.Len() / 64)
			k := (len(n.data) + 63) / 64
			for i := 0; i < k; i++ {
				miniFAT = append(miniFAT, n.start+uint32(i)+1)
			}
			miniFAT[len(miniFAT)-1] = cfbEnd
			mini.Write(n.data)
			mini.Write(make([]byte, k*64-len(n.data)))
			continue
		}
		n.start = chain(n.data)
	}
	root.start, root.size = cfbEnd, uint32(mini.Len())
	if mini.Len() > 0 {
		root.start = chain(mini.Bytes())
	}
	// directory
	var dir bytes.Buffer
	for _, n := range all {
		e := make([]byte, 128)
		u := utf16.Encode([]rune(n.name))
		for i, c := range u {
			binary.LittleEndian.PutUint16(e[2*i:], c)
		}
		binary.LittleEndian.PutUint16(e[64:], uint16(2*len(u)+2))
		switch {
		case n == root:
			e[66] = 5
		case n.storage:
			e[66] = 1
		default:
			e[66] = 2
		}
		e[67] = 1 // black
		binary.LittleEndian.PutUint32(e[68:], n.left)
		binary.LittleEndian.PutUint32(e[72:], n.right)
		binary.LittleEndian.PutUint32(e[76:], n.child)
		start := n.start
		if n.storage && n != root {
			start = 0
		}
		binary.LittleEndian.PutUint32(e[116:], start)
		binary.LittleEndian.PutUint32(e[120:], n.size)
		dir.Write(e)
	}
	for dir.Len()%512 != 0 {
		e := make([]byte, 128)
		binary.LittleEndian.PutUint32(e[68:], cfbNone)
		binary.LittleEndian.PutUint32(e[72:], cfbNone)
		binary.LittleEndian.PutUint32(e[76:], cfbNone)
		dir.Write(e)
	}
	dirStart := chain(dir.Bytes())
	miniFATStart, nMiniFAT := uint32(cfbEnd), 0
	if len(miniFAT) > 0 {
		var mf bytes.Buffer
		for _, v := range miniFAT {
			binary.Write(&mf, binary.LittleEndian, v)
		}
		for mf.Len()%512 != 0 {
			binary.Write(&mf, binary.LittleEndian, uint32(cfbFree))
		}
		nMiniFAT = mf.Len() / 512
		miniFATStart = chain(mf.Bytes())
	}
	// FAT sectors cover every sector, themselves included.
	nFAT := 1
	for (len(sectors)+nFAT)*4 > nFAT*512 {
		nFAT++
	}
	if nFAT > 109 {
		panic("cfb fixture too large")
	}
	fatStart := uint32(len(sectors))
	for i := 0; i < nFAT; i++ {
		fat = append(fat, cfbFATSec)
	}
	for len(fat) < nFAT*128 {
		fat = append(fat, cfbFree)
	}
	var out bytes.Buffer
	h := make([]byte, 512)
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	binary.LittleEndian.PutUint16(h[24:], 0x3E)
	binary.LittleEndian.PutUint16(h[26:], 3)
	binary.LittleEndian.PutUint16(h[28:], 0xFFFE)
	binary.LittleEndian.PutUint16(h[30:], 9)
	binary.LittleEndian.PutUint16(h[32:], 6)
	binary.LittleEndian.PutUint32(h[44:], uint32(nFAT))
	binary.LittleEndian.PutUint32(h[48:], dirStart)
	binary.LittleEndian.PutUint32(h[56:], 4096)
	binary.LittleEndian.PutUint32(h[60:], miniFATStart)
	binary.LittleEndian.PutUint32(h[64:], uint32(nMiniFAT))
	binary.LittleEndian.PutUint32(h[68:], cfbEnd)
	for i := 0; i < 109; i++ {
		v := uint32(cfbFree)
		if i < nFAT {
			v = fatStart + uint32(i)
		}
		binary.LittleEndian.PutUint32(h[76+4*i:], v)
	}
	out.Write(h)
	for _, s := range sectors {
		out.Write(s)
	}
	for _, v := range fat {
		binary.Write(&out, binary.LittleEndian, v)
	}
	return out.Bytes()
}

// MS-OXMSG property helpers.

// UTF16LE encodes s as UTF-16LE.
func UTF16LE(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(b[2*i:], c)
	}
	return b
}

// Fixed is a fixed-size property (in the property stream).
type Fixed struct {
	ID, Type uint16
	Value    uint64
}

// Props is the content of one .msg storage (message, recipient or
// attachment): string and binary properties as streams, fixed ones in
// the property stream.
type Props struct {
	Strs  map[uint16]string // Unicode string properties by id
	Bins  map[uint16][]byte // binary properties by id
	Str8  map[uint16][]byte // 8-bit string properties (in the message's code page)
	Fixed []Fixed           // fixed-size properties
}

// Nodes writes the property streams of a storage whose property stream
// header has the given size (32 for a message, 24 for an embedded one, 8
// for recipients and attachments).
func (p Props) Nodes(header int) []*Node {
	var ns []*Node
	var ps bytes.Buffer
	ps.Write(make([]byte, header))
	for _, id := range keys(p.Strs) {
		b := UTF16LE(p.Strs[id])
		ns = append(ns, Stream(fmt.Sprintf("__substg1.0_%04X001F", id), b))
		ps.Write(propEntry(id, 0x001F, uint64(len(b)+2)))
	}
	for _, id := range keys(p.Str8) {
		b := p.Str8[id]
		ns = append(ns, Stream(fmt.Sprintf("__substg1.0_%04X001E", id), b))
		ps.Write(propEntry(id, 0x001E, uint64(len(b)+1)))
	}
	for _, id := range keys(p.Bins) {
		b := p.Bins[id]
		ns = append(ns, Stream(fmt.Sprintf("__substg1.0_%04X0102", id), b))
		ps.Write(propEntry(id, 0x0102, uint64(len(b))))
	}
	for _, f := range p.Fixed {
		ps.Write(propEntry(f.ID, f.Type, f.Value))
	}
	return append(ns, Stream("__properties_version1.0", ps.Bytes()))
}

// keys returns the keys of m in order (the output is deterministic).
func keys[V any](m map[uint16]V) []uint16 {
	out := make([]uint16, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

func propEntry(id, typ uint16, v uint64) []byte {
	e := make([]byte, 16)
	binary.LittleEndian.PutUint16(e[0:], typ)
	binary.LittleEndian.PutUint16(e[2:], id)
	binary.LittleEndian.PutUint32(e[4:], 6) // readable, writable
	binary.LittleEndian.PutUint64(e[8:], v)
	return e
}

// CompressRTF writes RTF as MS-OXRTFCP "LZFu" data made of literals only
// (a valid stream: readers follow the control bits), ended by the
// reference to the write position.
func CompressRTF(rtf string, claim uint32) []byte {
	var body bytes.Buffer
	wp := 207 // len of the initial dictionary
	in := []byte(rtf)
	for i := 0; ; {
		if i >= len(in) {
			body.WriteByte(0x01)
			ref := uint16(wp%4096) << 4
			binary.Write(&body, binary.BigEndian, ref)
			break
		}
		n := min(8, len(in)-i)
		ctl := byte(0)
		if n < 8 {
			ctl = 1 << n // the end reference follows the literals
		}
		body.WriteByte(ctl)
		body.Write(in[i : i+n])
		wp += n
		i += n
		if n < 8 {
			binary.Write(&body, binary.BigEndian, uint16(wp%4096)<<4)
			break
		}
	}
	raw := claim
	if raw == 0 {
		raw = uint32(len(rtf))
	}
	h := make([]byte, 16)
	binary.LittleEndian.PutUint32(h[0:], uint32(body.Len()+12))
	binary.LittleEndian.PutUint32(h[4:], raw)
	binary.LittleEndian.PutUint32(h[8:], 0x75465A4C)
	return append(h, body.Bytes()...)
}

// Property types.
const (
	TypInt32 = 0x0003
	TypTime  = 0x0040
)

// Filetime is 2026-03-03 09:14:05 UTC as a FILETIME.
var Filetime = uint64(time.Date(2026, 3, 3, 9, 14, 5, 0, time.UTC).Unix())*10000000 + 116444736000000000

// Property ids (MS-OXPROPS) used by tests.
const (
	PidSubject       = 0x0037
	PidSubmitTime    = 0x0039
	PidTransport     = 0x007D
	PidSenderName    = 0x0C1A
	PidRecipientType = 0x0C15
	PidDisplayTo     = 0x0E04
	PidAttachSize    = 0x0E20
	PidBody          = 0x1000
	PidRTF           = 0x1009
	PidHTML          = 0x1013
	PidMessageID     = 0x1035
	PidDisplayName   = 0x3001
	PidAttachData    = 0x3701
	PidAttachMethod  = 0x3705
	PidAttachLong    = 0x3707
	PidAttachMime    = 0x370E
	PidSMTPAddress   = 0x39FE
	PidMessageCP     = 0x3FFD
	PidSenderSMTP    = 0x5D01
)

// Recipient is a row of the recipient table; Type is 1 (To), 2 (Cc) or 3
// (Bcc).
type Recipient struct {
	Name, Address string
	Type          uint64
}

// Attachment is an attachment: data by value, or an embedded message.
type Attachment struct {
	Name, MIME string
	Data       []byte
	// Claim, if set, is the size the attachment declares (PidTagAttachSize).
	Claim    uint32
	Embedded *Message
}

// Message is an Outlook message.
type Message struct {
	Props       Props
	Recipients  []Recipient
	Attachments []Attachment
	// NamedIDs adds a __nameid_version1.0 storage (named properties).
	NamedIDs bool
}

// Build writes the message as a .msg file.
func (m Message) Build() []byte { return CFB(m.nodes(32)...) }

func (m Message) nodes(header int) []*Node {
	kids := m.Props.Nodes(header)
	if m.NamedIDs {
		kids = append(kids, Storage("__nameid_version1.0", Stream("__substg1.0_00020102", make([]byte, 16)),
			Stream("__substg1.0_00030102", nil), Stream("__substg1.0_00040102", nil)))
	}
	for i, r := range m.Recipients {
		p := Props{Strs: map[uint16]string{PidDisplayName: r.Name, PidSMTPAddress: r.Address},
			Fixed: []Fixed{{PidRecipientType, TypInt32, r.Type}}}
		kids = append(kids, Storage(fmt.Sprintf("__recip_version1.0_#%08X", i), p.Nodes(8)...))
	}
	for i, a := range m.Attachments {
		p := Props{Strs: map[uint16]string{}, Bins: map[uint16][]byte{}}
		if a.Name != "" {
			p.Strs[PidAttachLong] = a.Name
		}
		if a.MIME != "" {
			p.Strs[PidAttachMime] = a.MIME
		}
		size := uint64(len(a.Data))
		if a.Claim > 0 {
			size = uint64(a.Claim)
		}
		method := uint64(1)
		var extra []*Node
		if a.Embedded != nil {
			method = 5
			extra = append(extra, Storage("__substg1.0_3701000D", a.Embedded.nodes(24)...))
		} else {
			p.Bins[PidAttachData] = a.Data
		}
		p.Fixed = []Fixed{{PidAttachMethod, TypInt32, method}, {PidAttachSize, TypInt32, size}}
		kids = append(kids, Storage(fmt.Sprintf("__attach_version1.0_#%08X", i), append(p.Nodes(8), extra...)...))
	}
	return kids
}
