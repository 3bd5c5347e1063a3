package profiles

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// MinKeyBytes is the shortest secret a key file may hold.
const MinKeyBytes = 16

// Keys are the secrets derived from one key file (--key-file). Each use has
// its own HKDF-SHA256 subkey, so a pseudonym reveals nothing about the date
// shifts or the mapping-file key. Keys is immutable and safe for concurrent
// use.
type Keys struct {
	pseudonym, shift, mapping []byte
	id                        string
}

// Errors of key files and mapping files. They never contain key material.
var (
	ErrKeyTooShort = fmt.Errorf("key file holds fewer than %d bytes (make one with veil keygen FILE)", MinKeyBytes)
	ErrWrongKey    = errors.New("does not open with this key (wrong --key-file, or the file is damaged)")
	ErrMappingKey  = fmt.Errorf("mapping file %w", ErrWrongKey)
)

// NewKeys derives the keys from secret (the contents of a key file; leading
// and trailing white space is ignored, so a key written by `veil keygen` and
// edited in a text editor still works).
func NewKeys(secret []byte) (*Keys, error) {
	secret = bytes.TrimSpace(secret)
	if len(secret) < MinKeyBytes {
		return nil, ErrKeyTooShort
	}
	derive := func(label string) []byte {
		k, err := hkdf.Key(sha256.New, secret, nil, "veil/"+label+"/v1", 32)
		if err != nil {
			panic(err) // only for lengths hkdf cannot produce; 32 is fine
		}
		return k
	}
	k := &Keys{pseudonym: derive("pseudonym"), shift: derive("date-shift"), mapping: derive("mapping")}
	k.id = hex.EncodeToString(derive("key-id")[:4])
	return k, nil
}

// ReadKeyFile reads and derives the keys of a key file. Errors name the
// operation, never the contents.
func ReadKeyFile(path string) (*Keys, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	k, err := NewKeys(b)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	return k, nil
}

// NewKeyFile returns the contents of a new key file: 32 random bytes, hex.
func NewKeyFile() []byte {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return []byte(hex.EncodeToString(b) + "\n")
}

// ID is a short public fingerprint of the key ("3f9a0c21"). Reports name it
// so that a custodian knows which key a release was made with; it reveals
// nothing about the key.
func (k *Keys) ID() string { return k.id }

// PseudonymLen is the number of hex digits of a pseudonym: 32 bits, so that
// two of some 10,000 people in one release share a token with a probability
// of about 1%.
const PseudonymLen = 8

// Pseudonym returns prefix-HMAC(ns, canonical): the same canonical value
// gives the same token with the same key, in any run.
func (k *Keys) Pseudonym(prefix, ns, canonical string) string {
	m := hmac.New(sha256.New, k.pseudonym)
	m.Write([]byte(ns))
	m.Write([]byte{0})
	m.Write([]byte(canonical))
	return prefix + "-" + hex.EncodeToString(m.Sum(nil))[:PseudonymLen]
}

// ShiftDays returns the date shift of subject: a number of days in
// [-maxDays, maxDays], never 0, the same for the same subject and key.
func (k *Keys) ShiftDays(subject string, maxDays int) int {
	if maxDays < 1 {
		maxDays = 1
	}
	m := hmac.New(sha256.New, k.shift)
	m.Write([]byte(subject))
	n := binary.BigEndian.Uint64(m.Sum(nil)[:8])
	d := int(n%uint64(maxDays)) + 1
	if n>>63 == 1 {
		d = -d
	}
	return d
}

// SealKind names what a sealed file holds. It is the file's first bytes
// and the AEAD's additional data, so that a file of one kind or version
// never opens as another.
type SealKind string

// The kinds of sealed file. Both hold original values (names and what they
// became) and open only with the key file they were written with.
const (
	// MappingFile is a case's mapping file (--mapping).
	MappingFile SealKind = "VEILMAP1"
	// DecisionsFile is a review's decisions file (veil review,
	// veil run --decisions).
	DecisionsFile SealKind = "VEILDEC1"
)

// noun names the kind in errors.
func (s SealKind) noun() string {
	switch s {
	case MappingFile:
		return "mapping file"
	case DecisionsFile:
		return "decisions file"
	}
	return "sealed file"
}

// Seal encrypts plain for a file of kind s: the kind's magic, a 12-byte
// random nonce, the AES-256-GCM ciphertext (key: the key file's sealing
// subkey). It is the one place where Veil seals files.
func (k *Keys) Seal(s SealKind, plain []byte) []byte {
	aead := k.aead()
	out := append([]byte(nil), s...)
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plain, []byte(s))
}

// Open decrypts a file of kind s written by Seal. A file that is not of
// that kind says so; one that does not open with k is ErrMappingKey (for a
// mapping file) or wraps ErrWrongKey.
func (k *Keys) Open(s SealKind, data []byte) ([]byte, error) {
	aead := k.aead()
	if !bytes.HasPrefix(data, []byte(s)) || len(data) < len(s)+aead.NonceSize() {
		return nil, fmt.Errorf("not a Veil %s", s.noun())
	}
	data = data[len(s):]
	plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], []byte(s))
	if err != nil {
		if s == MappingFile {
			return nil, ErrMappingKey
		}
		return nil, fmt.Errorf("%s %w", s.noun(), ErrWrongKey)
	}
	return plain, nil
}

// seal and open are Seal and Open for a mapping file.
func (k *Keys) seal(plain []byte) []byte { return k.Seal(MappingFile, plain) }

func (k *Keys) open(data []byte) ([]byte, error) { return k.Open(MappingFile, data) }

// WriteSealedFile seals plain with k and writes it to path atomically (a
// temporary file in the same folder, synced, renamed), readable by the
// owner only. Errors name the operation, never the contents.
func WriteSealedFile(path string, s SealKind, k *Keys, plain []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".veil-sealed-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o600)
	if err == nil {
		_, err = tmp.Write(k.Seal(s, plain))
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func (k *Keys) aead() cipher.AEAD {
	b, err := aes.NewCipher(k.mapping)
	if err != nil {
		panic(err) // 32-byte key: cannot fail
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic(err)
	}
	return g
}
