package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Read streams a report.json written by WriteJSON: fn gets each file record
// in order, and Read returns the run's Meta and Totals. Records are decoded
// one at a time, so a report of any size reads in little memory.
func Read(r io.Reader, fn func(File) error) (Meta, Totals, error) {
	dec := json.NewDecoder(r)
	var m Meta
	var t Totals
	if err := expectDelim(dec, '{'); err != nil {
		return m, t, err
	}
	head := map[string]json.RawMessage{}
	sawFiles := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return m, t, fmt.Errorf("report: %w", err)
		}
		key, _ := tok.(string)
		if key != "files" {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return m, t, fmt.Errorf("report: %s: %w", key, err)
			}
			head[key] = raw
			continue
		}
		sawFiles = true
		if err := expectDelim(dec, '['); err != nil {
			return m, t, err
		}
		for dec.More() {
			var f File
			if err := dec.Decode(&f); err != nil {
				return m, t, fmt.Errorf("report: files: %w", err)
			}
			if err := fn(f); err != nil {
				return m, t, err
			}
		}
		if err := expectDelim(dec, ']'); err != nil {
			return m, t, err
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return m, t, err
	}
	var schema string
	if err := json.Unmarshal(head["schema"], &schema); err != nil || schema != Schema {
		return m, t, fmt.Errorf("report: schema %q, want %q", schema, Schema)
	}
	if !sawFiles {
		return m, t, errors.New("report: no files array")
	}
	hb, _ := json.Marshal(head)
	if err := json.Unmarshal(hb, &m); err != nil {
		return m, t, fmt.Errorf("report: meta: %w", err)
	}
	if raw, ok := head["categories"]; ok {
		// Categories are written with their counts; the counts come back
		// from the totals.
		var cs []CategoryCount
		if err := json.Unmarshal(raw, &cs); err != nil {
			return m, t, fmt.Errorf("report: categories: %w", err)
		}
		for _, c := range cs {
			m.Categories = append(m.Categories, Category{ID: c.ID, Name: c.Name, Basis: c.Basis, Entities: c.Entities, Note: c.Note})
		}
	}
	if raw, ok := head["totals"]; ok {
		if err := json.Unmarshal(raw, &t); err != nil {
			return m, t, fmt.Errorf("report: totals: %w", err)
		}
	}
	return m, t, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("report: expected %q, got %v", want, tok)
	}
	return nil
}
