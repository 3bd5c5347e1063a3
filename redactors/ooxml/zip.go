package ooxml

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"sync"

	"github.com/veilhq/veil/redactors"
	"github.com/veilhq/veil/redactors/zipview"
)

// Limits bound what an OOXML package may expand to. They are checked against the zip
// directory before anything is decompressed, and again while each entry
// streams (a directory can lie), so a zip bomb is refused after reading at
// most a few limits' worth of bytes and memory stays bounded.
type Limits struct {
	// MaxEntries is the most zip entries a file may hold.
	MaxEntries int
	// MaxEntrySize is the most bytes one entry may decompress to.
	MaxEntrySize int64
	// MaxTotalSize is the most bytes all entries together may decompress to.
	MaxTotalSize int64
	// MaxRatio is the highest decompressed/compressed size ratio of an
	// entry over RatioFloor bytes. Word's XML compresses about 5–20×.
	MaxRatio int64
	// RatioFloor is the size below which the ratio is not checked.
	RatioFloor int64
}

// DefaultLimits are generous for real documents (Word caps a document at
// 512 MB of text) and refuse bombs quickly.
func DefaultLimits() Limits {
	return Limits{
		MaxEntries:   10000,
		MaxEntrySize: 256 << 20,
		MaxTotalSize: 512 << 20,
		MaxRatio:     200,
		RatioFloor:   1 << 20,
	}
}

func (l Limits) OrDefault() Limits {
	d := DefaultLimits()
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxEntrySize <= 0 {
		l.MaxEntrySize = d.MaxEntrySize
	}
	if l.MaxTotalSize <= 0 {
		l.MaxTotalSize = d.MaxTotalSize
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.RatioFloor <= 0 {
		l.RatioFloor = d.RatioFloor
	}
	return l
}

// CFBMagic starts an OLE compound file.
var CFBMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// CheckContainer refuses what is not a zip before the zip reader sees it:
// an OLE compound file is either an encrypted OOXML package (its stream
// "EncryptedPackage") or a binary Office 97–2003 file (legacy names it,
// "Word 97–2003 .doc").
func CheckContainer(data []byte, legacy string) error {
	if len(data) == 0 {
		return fmt.Errorf("%w", redactors.ErrEmpty)
	}
	if bytes.HasPrefix(data, CFBMagic) {
		if bytes.Contains(data, UTF16LE("EncryptedPackage")) || bytes.Contains(data, UTF16LE("EncryptionInfo")) {
			return fmt.Errorf("password-protected (encrypted OLE container): %w", redactors.ErrEncrypted)
		}
		return fmt.Errorf("OLE compound file (%s): %w", legacy, redactors.ErrUnsupported)
	}
	if !bytes.HasPrefix(data, []byte("PK")) {
		return fmt.Errorf("not a zip archive: %w", redactors.ErrCorrupt)
	}
	return nil
}

// UTF16LE encodes ASCII s as UTF-16LE (stream names of compound files).
func UTF16LE(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

// CountEntries reads the entry count from the end-of-central-directory
// record (or its zip64 form) without building the directory, so that a
// file announcing millions of entries is refused before archive/zip
// allocates for them. ok is false when the record is not found; the zip
// reader then reports the corruption.
func CountEntries(data []byte) (n uint64, ok bool) {
	const eocdLen, eocdSig = 22, 0x06054b50
	lo := len(data) - eocdLen - 65535
	if lo < 0 {
		lo = 0
	}
	for i := len(data) - eocdLen; i >= lo; i-- {
		if binary.LittleEndian.Uint32(data[i:]) != eocdSig {
			continue
		}
		n = uint64(binary.LittleEndian.Uint16(data[i+10:]))
		if n != 0xFFFF || i < 20 {
			return n, true
		}
		loc := data[i-20:]
		if binary.LittleEndian.Uint32(loc) != 0x07064b50 {
			return n, true
		}
		off := binary.LittleEndian.Uint64(loc[8:])
		if len(data) < 56 || off > uint64(len(data)-56) {
			return 0, false
		}
		rec := data[off:]
		if binary.LittleEndian.Uint32(rec) != 0x06064b50 {
			return 0, false
		}
		return binary.LittleEndian.Uint64(rec[32:]), true
	}
	return 0, false
}

// OpenZip opens data as a zip and checks its directory against the limits
// and for ambiguity (duplicate names that two readers could resolve to
// different entries, names escaping the package, encrypted entries).
func OpenZip(data []byte, lim Limits) (*zip.Reader, error) {
	if n, ok := CountEntries(data); ok && n > uint64(lim.MaxEntries) {
		return nil, fmt.Errorf("%d zip entries (limit %d): %w", n, lim.MaxEntries, redactors.ErrTooLarge)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, zip.ErrInsecurePath) {
			return nil, fmt.Errorf("zip entry name escapes the package: %w", redactors.ErrCorrupt)
		}
		return nil, fmt.Errorf("zip directory: %w", redactors.ErrCorrupt)
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, fmt.Errorf("%d zip entries (limit %d): %w", len(zr.File), lim.MaxEntries, redactors.ErrTooLarge)
	}
	seen := map[string]bool{}
	var total uint64
	for i, f := range zr.File {
		name := strings.ToLower(f.Name)
		if !ValidName(name) {
			return nil, fmt.Errorf("zip entry %d: unusual name: %w", i, redactors.ErrCorrupt)
		}
		if seen[name] {
			return nil, fmt.Errorf("zip entry %d: duplicate name: %w", i, redactors.ErrCorrupt)
		}
		seen[name] = true
		if f.Flags&0x1 != 0 {
			return nil, fmt.Errorf("zip entry %d: encrypted entry: %w", i, redactors.ErrEncrypted)
		}
		if f.Method != zip.Store && f.Method != zip.Deflate {
			return nil, fmt.Errorf("zip entry %d: compression method %d: %w", i, f.Method, redactors.ErrCorrupt)
		}
		if err := checkSize(i, f.UncompressedSize64, f.CompressedSize64, lim); err != nil {
			return nil, err
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxTotalSize) {
			return nil, errTotal(lim.MaxTotalSize)
		}
	}
	return zr, nil
}

// ValidName accepts the relative, slash-separated names OPC part names map
// to (a trailing slash marks a folder entry).
func ValidName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00") {
		return false
	}
	for _, seg := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func checkSize(i int, size, csize uint64, lim Limits) error {
	if size > uint64(lim.MaxEntrySize) {
		return fmt.Errorf("zip entry %d expands to more than %d bytes: %w", i, lim.MaxEntrySize, redactors.ErrTooLarge)
	}
	if size > uint64(lim.RatioFloor) && size/(csize+1) > uint64(lim.MaxRatio) {
		return fmt.Errorf("zip entry %d expands more than %d×: %w", i, lim.MaxRatio, redactors.ErrTooLarge)
	}
	return nil
}

// Budget counts decompressed bytes across the entries of one package.
type Budget struct {
	Lim  Limits
	Used int64
}

// Take counts entry i, of f.UncompressedSize64 bytes inflated (its
// directory's claim, checked by the earlier Read of the same compressed
// bytes), as Read would have counted it, without inflating it: for a caller that holds its bytes from a Read
// of the same compressed data (an entry copied byte for byte from another
// package). The same limits apply (size and ratio of the entry, against
// its whole compressed size; total across the package).
func (b *Budget) Take(i int, f *zip.File) error {
	size := f.UncompressedSize64
	if err := checkSize(i, size, f.CompressedSize64, b.Lim); err != nil {
		return err
	}
	b.Used += int64(size)
	if b.Used > b.Lim.MaxTotalSize {
		return errTotal(b.Lim.MaxTotalSize)
	}
	return nil
}

// Read decompresses entry i into w (nil to only check it). It inflates the
// raw stream itself so that the ratio is checked against the compressed
// bytes consumed so far: a bomb is refused after RatioFloor bytes, not after
// it has expanded to what its directory claims. The size and CRC-32 are
// checked at the end, as archive/zip does.
func (b *Budget) Read(i int, f *zip.File, w io.Writer) error {
	_, err := b.ReadStream(i, f, w)
	return err
}

// ReadStream is Read, and returns the compressed bytes the entry's deflate
// stream took, counted by zipview.Counter exactly as zipview.Streams.Last
// counts them (flate reads both through a Counter, so the same compressed
// bytes give the same count); -1 for a stored entry. A reader of the same
// file that takes this read's bytes instead of inflating the entry again
// (the DOCX independent reading) needs the count for zipview's File view.
func (b *Budget) ReadStream(i int, f *zip.File, w io.Writer) (int64, error) {
	raw, err := f.OpenRaw()
	if err != nil {
		return -1, fmt.Errorf("zip entry %d: %w", i, redactors.ErrCorrupt)
	}
	inf := inflaters.Get().(*inflater)
	defer inflaters.Put(inf)
	if inf.in == nil {
		inf.in = zipview.NewCounter(raw)
	} else {
		inf.in.Reset(raw)
	}
	in := inf.in
	var src io.Reader = raw
	switch f.Method {
	case zip.Store:
	case zip.Deflate:
		if inf.fr == nil {
			inf.fr = flate.NewReader(in)
		} else if err := inf.fr.(flate.Resetter).Reset(in, nil); err != nil {
			return -1, fmt.Errorf("zip entry %d: %w", i, redactors.ErrCorrupt)
		}
		src = inf.fr
	default:
		return -1, fmt.Errorf("zip entry %d: compression method %d: %w", i, f.Method, redactors.ErrCorrupt)
	}
	if w == nil {
		w = io.Discard
	}
	crc := crc32.NewIEEE()
	var n int64
	buf := inf.buf
	for {
		k, err := src.Read(buf)
		if k > 0 {
			n += int64(k)
			b.Used += int64(k)
			if uint64(n) > f.UncompressedSize64 {
				return -1, fmt.Errorf("zip entry %d is larger than its directory says: %w", i, redactors.ErrCorrupt)
			}
			// the ratio against the compressed bytes read so far
			// (for a stored entry, as many as inflated)
			consumed := uint64(n)
			if f.Method == zip.Deflate {
				consumed = uint64(in.Fetched())
			}
			if err := checkSize(i, uint64(n), consumed, b.Lim); err != nil {
				return -1, err
			}
			if b.Used > b.Lim.MaxTotalSize {
				return -1, errTotal(b.Lim.MaxTotalSize)
			}
			crc.Write(buf[:k])
			w.Write(buf[:k])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return -1, fmt.Errorf("zip entry %d: %w", i, redactors.ErrCorrupt)
		}
	}
	if uint64(n) != f.UncompressedSize64 || crc.Sum32() != f.CRC32 {
		return -1, fmt.Errorf("zip entry %d: size or checksum mismatch: %w", i, redactors.ErrCorrupt)
	}
	if f.Method != zip.Deflate {
		return -1, nil
	}
	return in.Taken(), nil
}

// An inflater is a buffer, a counter and a decompressor that Budget.Read
// reuses from entry to entry and package to package (flate.Resetter),
// instead of making 70 KB anew for each entry.
type inflater struct {
	buf []byte
	in  *zipview.Counter
	fr  io.ReadCloser
}

var inflaters = sync.Pool{New: func() any { return &inflater{buf: make([]byte, 32<<10)} }}

// CopyEntry writes f to zw as it is stored (no recompression), less its
// comment and extra fields, which can carry anything. A read failure
// wraps redactors.ErrCorrupt. Errors name no entry: callers add its safe
// name.
func CopyEntry(zw *zip.Writer, f *zip.File) error {
	fh := f.FileHeader
	fh.Comment = ""
	fh.Extra = nil
	fw, err := zw.CreateRaw(&fh)
	if err != nil {
		return err
	}
	r, err := f.OpenRaw()
	if err != nil {
		return fmt.Errorf("read: %w", redactors.ErrCorrupt)
	}
	_, err = io.Copy(fw, r)
	return err
}

// WriteEntry writes data to zw as f's new content, deflated, under f's
// name and time and no other header field of it. Errors name no entry.
func WriteEntry(zw *zip.Writer, f *zip.File, data []byte) error {
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
	if err != nil {
		return err
	}
	_, err = fw.Write(data)
	return err
}

// errTotal is the error of a package whose entries together inflate to
// more than max bytes.
func errTotal(max int64) error {
	return fmt.Errorf("entries expand to more than %d bytes: %w", max, redactors.ErrTooLarge)
}
