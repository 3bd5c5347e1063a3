package profiles

// Snapshots let a resumable batch run keep its case in its private state
// (pipeline/state), so that a killed run resumes with every alias it had
// handed out.

// Snapshot returns the case for a resumable run's state: encrypted with k
// like a mapping file, or, without a key, as plain JSON, which holds the
// names it links.
func (c *Case) Snapshot(k *Keys) ([]byte, error) {
	plain, err := c.encode()
	if err != nil || k == nil {
		return plain, err
	}
	return k.seal(plain), nil
}

// LoadSnapshot reads a Snapshot made with the same k (or none). The case
// counts as changed: what it holds beyond a mapping file was never saved.
func LoadSnapshot(b []byte, k *Keys) (*Case, error) {
	plain := b
	if k != nil {
		var err error
		if plain, err = k.open(b); err != nil {
			return nil, err
		}
	}
	c, err := decodeCase(plain)
	if err != nil {
		return nil, err
	}
	c.changed = true
	return c, nil
}
