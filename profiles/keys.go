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
	ErrMappingKey  = errors.New("mapping file does not open with this key (wrong --key-file, or the file is damaged)")
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

// mappingMagic starts every mapping file; it is also the AEAD's additional
// data, so a file of another kind or version does not open.
var mappingMagic = []byte("VEILMAP1")

// seal encrypts plain for a mapping file: magic, 12-byte nonce, AES-256-GCM
// ciphertext.
func (k *Keys) seal(plain []byte) []byte {
	aead := k.aead()
	out := append([]byte(nil), mappingMagic...)
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plain, mappingMagic)
}

// open decrypts a mapping file written by seal.
func (k *Keys) open(data []byte) ([]byte, error) {
	aead := k.aead()
	if !bytes.HasPrefix(data, mappingMagic) || len(data) < len(mappingMagic)+aead.NonceSize() {
		return nil, errors.New("not a Veil mapping file")
	}
	data = data[len(mappingMagic):]
	plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], mappingMagic)
	if err != nil {
		return nil, ErrMappingKey
	}
	return plain, nil
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
