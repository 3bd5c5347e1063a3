package lexicon

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// TestNoDevelopmentData checks that no rule, word list or test quotes the
// annotated development data (shared/eval/data/*.jsonl beside the
// repository, files with "train" in their name excepted): Veil is measured
// on those documents, and a word taken from them would fit Veil to its
// measurement and help no user.
//
// It reads every string literal of every .go file of the repository, every
// string of every .yaml file, and every entry of the lexicon's own lists
// (those not marked public), and compares their words (runs of four
// letters or more, lower case) with the words of the gold spans of the
// development data (kind no_mask left out). A word in both fails the test
// unless it is in a public list: the entries of the lexicon files marked
// public (UCSF Philter's safe words, given names and surnames; GeoNames
// towns and regions; ISO country names; SCOWL's dictionary words). The
// failure names the file, the line and the category of the gold span,
// never the word.
//
// The test skips when the shared folder is not beside the repository.
func TestNoDevelopmentData(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	data := ""
	for _, shared := range []string{filepath.Join(root, "..", "shared"), filepath.Join(root, "..", "..", "shared")} {
		if st, err := os.Stat(filepath.Join(shared, "eval", "data")); err == nil && st.IsDir() {
			data = filepath.Join(shared, "eval", "data")
			break
		}
	}
	if data == "" {
		t.Skip("no shared/eval/data beside the repository: nothing to compare with")
	}
	gold, err := goldWords(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(gold) == 0 {
		t.Fatalf("no gold words in %s", data)
	}
	if err := dropPublic(gold); err != nil {
		t.Fatal(err)
	}
	var hits []string
	report := func(path string, line int, s string) {
		for _, w := range words(s) {
			if cats, ok := gold[w]; ok {
				rel, _ := filepath.Rel(root, path)
				hits = append(hits, fmt.Sprintf("%s:%d: a word of the development data's gold spans (%s) that no public list has", rel, line, cats))
			}
		}
	}
	// Go string literals.
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		switch {
		case d.IsDir():
		case strings.HasSuffix(path, ".go"):
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if b, ok := n.(*ast.BasicLit); ok && (b.Kind == token.STRING || b.Kind == token.CHAR) {
					if s, err := strconv.Unquote(b.Value); err == nil {
						report(path, fset.Position(b.Pos()).Line, s)
					}
				}
				return true
			})
		case strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml"):
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(b, &doc); err != nil {
				// a fixture of invalid YAML: its lines as text
				for i, l := range strings.Split(string(b), "\n") {
					report(path, i+1, l)
				}
				return nil
			}
			var walk func(n *yaml.Node)
			walk = func(n *yaml.Node) {
				if n.Kind == yaml.ScalarNode {
					report(path, n.Line, n.Value)
				}
				for _, c := range n.Content {
					walk(c)
				}
			}
			walk(&doc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The lexicon's own lists.
	fsList, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fsList {
		if f.Public {
			continue
		}
		_, ls, err := lines(f)
		if err != nil {
			t.Fatal(err)
		}
		first := headerLines(f)
		for i, l := range ls {
			report(filepath.Join(root, "ner", "lexicon", f.Path), first+i, l)
		}
	}
	sort.Strings(hits)
	for _, h := range hits {
		t.Error(h)
	}
}

// regexGroups are the marks of regular expressions that split a word
// ("Jan(?:uary)?"): they are removed before splitting.
var regexGroups = strings.NewReplacer("(?:", "", "(", "", ")", "", "?", "")

// words returns the runs of four letters or more of s, lower case.
func words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(regexGroups.Replace(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) >= 4 {
			out = append(out, strings.ToLower(norm.NFC.String(w)))
		}
	}
	return out
}

// goldWords returns the words of the gold spans of the development files,
// each with the categories (labels) of the spans it occurs in.
func goldWords(dir string) (map[string]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	cats := map[string]map[string]bool{}
	for _, p := range paths {
		if strings.Contains(filepath.Base(p), "train") {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 1<<20), 1<<26)
		for sc.Scan() {
			var doc struct {
				Text  string
				Spans []struct {
					Start, End  int
					Kind, Label string
				}
			}
			if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s: %w", filepath.Base(p), err)
			}
			for _, s := range doc.Spans {
				if s.Kind == "no_mask" || s.Start < 0 || s.End > len(doc.Text) || s.Start > s.End {
					continue
				}
				for _, w := range words(doc.Text[s.Start:s.End]) {
					if cats[w] == nil {
						cats[w] = map[string]bool{}
					}
					cats[w][s.Label] = true
				}
			}
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	out := make(map[string]string, len(cats))
	for w, cs := range cats {
		var l []string
		for c := range cs {
			l = append(l, c)
		}
		sort.Strings(l)
		out[w] = strings.Join(l, ", ")
	}
	return out, nil
}

// dropPublic removes from gold the words of the entries of the lexicon
// files marked public.
func dropPublic(gold map[string]string) error {
	fsList, err := Files()
	if err != nil {
		return err
	}
	for _, f := range fsList {
		if !f.Public {
			continue
		}
		_, err := scanFile(f, false, func(l, _ string) {
			if strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") == "" {
				delete(gold, l) // the common case: one plain word
				return
			}
			for _, w := range words(l) {
				delete(gold, w)
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// headerLines returns the line number of the first entry of f.
func headerLines(f File) int {
	r, err := open(f)
	if err != nil {
		return 1
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	n := 1
	for sc.Scan() && strings.HasPrefix(sc.Text(), "#") {
		n++
	}
	return n
}
