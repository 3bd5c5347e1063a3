package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEval runs `veil eval` on a toy gold file whose scores are known: the
// phone number and the name are found by rules, the clinical word is
// annotated no_mask and stays.
func TestEval(t *testing.T) {
	dir := t.TempDir()
	text := "Call Maria Sandoval at (503) 555-0147 about the insulin."
	gold := map[string]any{"id": "toy", "text": text, "spans": []map[string]any{
		{"start": strings.Index(text, "Maria"), "end": strings.Index(text, " at"), "label": "PERSON", "kind": "direct", "entity_id": "p"},
		{"start": strings.Index(text, "(503"), "end": strings.Index(text, " about"), "label": "PHONE", "kind": "direct", "entity_id": "t"},
		{"start": strings.Index(text, "insulin"), "end": strings.Index(text, "."), "label": "MISC", "kind": "no_mask"},
	}}
	b, _ := json.Marshal(gold)
	write(t, dir, map[string][]byte{"gold.jsonl": append(b, '\n')})
	var out bytes.Buffer
	app := newApp()
	app.Writer = &out
	jsonPath, predPath := filepath.Join(dir, "scores.json"), filepath.Join(dir, "pred.jsonl")
	err := app.Run([]string{"veil", "eval", "--profile", "../../scripts/eval-mask-all.yaml", "--no-ner",
		"--json", jsonPath, "--out", predPath, "--misses", "5", filepath.Join(dir, "gold.jsonl")})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ALL                         2  1.000  1.000  1.000", "precision  1.000  recall  1.000",
		"ignored-kind (no_mask) mentions 1, masked  0.000"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	var res struct {
		Entities map[string]struct{ Recall float64 } `json:"entity_recall_tab_rule"`
	}
	raw, err := os.ReadFile(jsonPath)
	if err != nil || json.Unmarshal(raw, &res) != nil || res.Entities["direct"].Recall != 1 {
		t.Errorf("json: %s (%v)", raw, err)
	}
	pred, _ := os.ReadFile(predPath)
	if bytes.Contains(pred, []byte("Sandoval")) || !bytes.Contains(pred, []byte(`"id":"toy"`)) {
		t.Errorf("predictions: %s", pred)
	}
	if code, _ := veil(t, "eval", "--profile", "research"); code != exitFatal {
		t.Errorf("eval without a gold file: exit %d", code)
	}
	// A profile that needs a key runs with a throwaway one, as the help's
	// example does.
	if code, msg := veil(t, "eval", "--profile", "research", "--no-ner", filepath.Join(dir, "gold.jsonl")); code != exitOK {
		t.Errorf("eval --profile research without --key-file: exit %d %s", code, msg)
	}
}
