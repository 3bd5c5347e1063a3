package ocr

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// A TSV as Tesseract 5 writes it, written here: two blocks, the second with
// two lines, an empty word and a non-word row.
const tsvSample = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
	"1\t1\t0\t0\t0\t0\t0\t0\t600\t400\t-1\t\n" +
	"2\t1\t1\t0\t0\t0\t10\t10\t200\t20\t-1\t\n" +
	"3\t1\t1\t1\t0\t0\t10\t10\t200\t20\t-1\t\n" +
	"4\t1\t1\t1\t1\t0\t10\t10\t200\t20\t-1\t\n" +
	"5\t1\t1\t1\t1\t1\t10\t10\t80\t20\t96.5\tReferral\n" +
	"5\t1\t1\t1\t1\t2\t100\t10\t40\t20\t91\tnote\n" +
	"2\t1\t2\t0\t0\t0\t10\t50\t300\t60\t-1\t\n" +
	"3\t1\t2\t1\t0\t0\t10\t50\t300\t60\t-1\t\n" +
	"4\t1\t2\t1\t1\t0\t10\t50\t300\t20\t-1\t\n" +
	"5\t1\t2\t1\t1\t1\t10\t50\t60\t20\t88\tlow\n" +
	"5\t1\t2\t1\t1\t2\t80\t50\t60\t20\t-1\t \n" +
	"4\t1\t2\t1\t2\t0\t10\t90\t300\t20\t-1\t\n" +
	"5\t1\t2\t1\t2\t1\t10\t90\t70\t20\t42.25\tmood\n" +
	"2\t1\t3\t0\t0\t0\t400\t300\t100\t80\t-1\t\n"

func TestParseTSV(t *testing.T) {
	pages, err := parseTSV([]byte(tsvSample))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 {
		t.Fatalf("%d pages", len(pages))
	}
	p := pages[0]
	if p.Width != 600 || p.Height != 400 {
		t.Errorf("size %dx%d", p.Width, p.Height)
	}
	if len(p.Blocks) != 2 { // the empty third block (a picture) is pruned
		t.Fatalf("%d blocks", len(p.Blocks))
	}
	ws := p.Words()
	var texts []string
	for _, w := range ws {
		texts = append(texts, w.Text)
	}
	if got := strings.Join(texts, " "); got != "Referral note low mood" {
		t.Errorf("words %q", got)
	}
	if ws[0].Box != image.Rect(10, 10, 90, 30) || ws[0].Conf != 96.5 {
		t.Errorf("first word %+v", ws[0])
	}
	txt := p.Text()
	if txt.String != "Referral note\n\nlow\nmood" {
		t.Errorf("text %q", txt.String)
	}
	for _, w := range txt.Words {
		if txt.String[w.Start:w.End] != w.Text {
			t.Errorf("offsets of %q wrong", w.Text)
		}
	}
	st := p.Stats()
	if st.Words != 4 || st.Readable != 3 {
		t.Errorf("stats %+v", st)
	}
	for _, bad := range []string{
		"5\t1\t1\t1\t1\t1\t10\t10\t80\t20\t96\tword\n",                                 // word before its line
		"1\t1\t0\t0\t0\t0\t0\t0\t600\t400\t-1\t\n2\t1\tx\t0\t0\t0\t0\t0\t1\t1\t-1\t\n", // not a number
		"1\t1\t0\t0\t0\t0\t0\t0\t600\n",                                                // short row
		"9\t1\t0\t0\t0\t0\t0\t0\t600\t400\t-1\t\n",                                     // no such level
	} {
		if _, err := parseTSV([]byte(bad)); !errors.Is(err, ErrFailed) {
			t.Errorf("%q: err %v, want ErrFailed", bad, err)
		}
	}
}

// words makes a line of words of width 40 at x0, y.
func line(y int, x0 int, texts ...string) Line {
	var l Line
	x := x0
	for _, s := range texts {
		w := Word{Text: s, Box: image.Rect(x, y, x+40, y+20), Conf: 95}
		l.Words = append(l.Words, w)
		l.Box = l.Box.Union(w.Box)
		x += 50
	}
	return l
}

func block(lines ...Line) Block {
	var b Block
	var pa Para
	for _, l := range lines {
		pa.Lines = append(pa.Lines, l)
		pa.Box = pa.Box.Union(l.Box)
	}
	b.Paras = []Para{pa}
	b.Box = pa.Box
	return b
}

func TestTextTableRows(t *testing.T) {
	// A form split by layout analysis into a label column and a value
	// column: read row by row.
	p := &Page{Blocks: []Block{
		block(line(100, 10, "Name:"), line(130, 10, "Date", "of", "birth:")),
		block(line(101, 300, "Odessa", "Pemberton"), line(131, 300, "02/03/1971")),
	}}
	if got, want := p.Text().String, "Name: Odessa Pemberton\nDate of birth: 02/03/1971"; got != want {
		t.Errorf("table: got %q, want %q", got, want)
	}
	// Two columns of prose (long lines): one column after the other.
	long := []string{"the", "patient", "reports", "poor", "sleep", "and", "low"}
	p = &Page{Blocks: []Block{
		block(line(100, 10, long...), line(130, 10, long...)),
		block(line(100, 400, long...), line(130, 400, long...)),
	}}
	txt := p.Text().String
	if strings.Count(txt, "\t") != 0 || strings.Count(txt, "\n\n") != 1 {
		t.Errorf("columns merged: %q", txt)
	}
}

func TestFuzzy(t *testing.T) {
	words := strings.Fields("Date of birth: Q1/07/1994 Patient Castel1ano, Wilhel mina Record 22675994 ends")
	fz := NewFuzzy([]string{"01/07/1994", "Wilhelmina Castellano", "Castellano", "22675995", "Lindqvist", "of"}, 0)
	got := map[int][2]int{}
	for _, m := range fz.Find(words) {
		got[m.Value] = [2]int{m.First, m.Last}
	}
	want := map[int][2]int{
		0: {3, 3}, // Q1 read for 01: o, q and 0 are one class
		2: {5, 5}, // 1 for l, trailing comma
		3: {9, 9}, // one digit misread
		5: {1, 1}, // short values match exactly
	}
	for v, w := range want {
		if got[v] != w {
			t.Errorf("value %d: got words %v, want %v", v, got[v], w)
		}
	}
	if _, ok := got[1]; ok {
		t.Errorf("name in the wrong order matched")
	}
	if _, ok := got[4]; ok {
		t.Errorf("absent value matched")
	}
	// A split word matches across the split.
	ms := NewFuzzy([]string{"Wilhelmina"}, 0).Find(words)
	if len(ms) != 1 || ms[0].First != 6 || ms[0].Last != 7 {
		t.Errorf("split word: %+v", ms)
	}
}

// Word-aligned matching: a value matches whole words (split or misread),
// never the inside of another word.
func TestWordFuzzy(t *testing.T) {
	words := strings.Fields("Planning with Ann and Aber nathy; Mr.Abernathy called. Abernalhy, 1ee sleep Lee")
	cases := []struct {
		value string
		want  [][2]int // first and last word of each match
	}{
		{"Ann", [][2]int{{2, 2}}},                // not inside "Planning"
		{"Abernathy", [][2]int{{4, 5}, {8, 8}}},  // split, and misread; "Mr.Abernathy" is two edits off
		{"Lee", [][2]int{{9, 9}, {11, 11}}},      // 1 for l; not inside "sleep"
		{"Anna", nil},                            // short values match exactly
		{"Abernathys", [][2]int{{4, 5}, {8, 8}}}, // one edit in ten
		{"Planner", nil},                         // two edits
	}
	for _, c := range cases {
		var got [][2]int
		for _, m := range NewWordFuzzy([]string{c.value}, 0).Find(words) {
			got = append(got, [2]int{m.First, m.Last})
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: matches %v, want %v", c.value, got, c.want)
		}
	}
	// Across word boundaries, the plain matcher finds the short value
	// inside another word: the reason for the word-aligned one.
	if ms := NewFuzzy([]string{"Ann"}, 0).Find(words[:1]); len(ms) != 1 {
		t.Errorf("plain matcher: %+v", ms)
	}
}

func TestMissingEngine(t *testing.T) {
	e := NewTesseract(TesseractOptions{Path: filepath.Join(t.TempDir(), "no-tesseract")})
	_, err := e.Recognize(context.Background(), image.NewGray(image.Rect(0, 0, 10, 10)), Options{})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err %v, want ErrUnavailable", err)
	}
}

// fakeTesseract writes a script that answers --list-langs and otherwise
// runs body (sh).
func fakeTesseract(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tesseract")
	script := "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then echo 'List of available languages (2):'; echo eng; echo pol; exit 0; fi\ncat >/dev/null\n" + body + "\n"
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// A crash or a hang of the engine fails the page with a sentinel and
// leaves the program running.
func TestEngineFailures(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 20, 20))
	ctx := context.Background()
	crash := NewTesseract(TesseractOptions{Path: fakeTesseract(t, "kill -SEGV $$")})
	if _, err := crash.Recognize(ctx, img, Options{}); !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "SIGSEGV") && !strings.Contains(err.Error(), "segmentation") {
		t.Errorf("crash: %v", err)
	}
	hang := NewTesseract(TesseractOptions{Path: fakeTesseract(t, "exec sleep 30"), Budget: 300 * time.Millisecond})
	start := time.Now()
	if _, err := hang.Recognize(ctx, img, Options{}); !errors.Is(err, ErrTimeout) {
		t.Errorf("hang: %v", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("budget not enforced: %v", d)
	}
	if err := hang.Check([]string{"eng", "kor"}); !errors.Is(err, ErrLanguage) || !strings.Contains(err.Error(), `"kor"`) {
		t.Errorf("missing language: %v", err)
	}
	if err := hang.Check([]string{"eng", "-l"}); !errors.Is(err, ErrLanguage) {
		t.Errorf("bad language code: %v", err)
	}
	garbage := NewTesseract(TesseractOptions{Path: fakeTesseract(t, "echo 'level\tx'; echo '5\t1'")})
	if _, err := garbage.Recognize(ctx, img, Options{}); !errors.Is(err, ErrFailed) {
		t.Errorf("bad output: %v", err)
	}
}

// All callers of one engine share its limit on concurrent pages.
func TestConcurrencyLimit(t *testing.T) {
	dir := t.TempDir()
	body := `d="` + dir + `"; f="$d/$$"; : > "$f"; n=$(ls "$d" | wc -l); echo "$n" >> "$d.log"; sleep 0.2; rm -f "$f"
printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n'`
	e := NewTesseract(TesseractOptions{Path: fakeTesseract(t, body), Concurrency: 2})
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.Recognize(context.Background(), image.NewGray(image.Rect(0, 0, 5, 5)), Options{}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	log, err := os.ReadFile(dir + ".log")
	if err != nil {
		t.Fatal(err)
	}
	counts := strings.Fields(string(log))
	if len(counts) != 6 {
		t.Fatalf("%d runs logged", len(counts))
	}
	for _, c := range counts {
		if c != "1" && c != "2" {
			t.Errorf("%s pages at once, limit 2", c)
		}
	}
}

func TestGrayOverWhite(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	img.Pix = []byte{0, 0, 0, 0, 0, 0, 0, 255} // transparent, opaque black
	pnm := grayPNM(img)
	px := pnm[len(pnm)-2:]
	if px[0] != 255 || px[1] != 0 {
		t.Errorf("pixels %v: transparency must read as paper", px)
	}
}

func FuzzParseTSV(f *testing.F) {
	f.Add([]byte(tsvSample))
	f.Add([]byte("level\n1\t1\t0\t0\t0\t0\t0\t0\t1\t1\t-1\t\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		pages, err := parseTSV(b)
		if err != nil {
			return
		}
		for _, p := range pages {
			txt := p.Text()
			for _, w := range txt.Words {
				if w.Start < 0 || w.End > len(txt.String) || txt.String[w.Start:w.End] != w.Text {
					t.Fatalf("bad offsets")
				}
			}
		}
	})
}

func FuzzFuzzy(f *testing.F) {
	f.Add("Wilhelmina Castellano", "Patient Castel1ano, Wilhel mina")
	f.Add("01/07/1994", "DOB Q1/07/1994")
	f.Fuzz(func(t *testing.T, value, text string) {
		words := strings.Fields(text)
		for _, fz := range []*Fuzzy{NewFuzzy([]string{value}, 0), NewWordFuzzy([]string{value}, 0)} {
			for _, m := range fz.Find(words) {
				if m.First < 0 || m.Last >= len(words) || m.First > m.Last || m.Dist > DefaultFuzz+1e-9 {
					t.Fatalf("bad match %+v for %d words", m, len(words))
				}
			}
		}
	})
}

// A fax's two columns that layout analysis took for one block (each line
// runs from the left column into the right one) are read one column after
// the other; a block of prose is not split.
func TestTextSplitsColumns(t *testing.T) {
	both := func(y int, left, right []string) Line {
		l, r := line(y, 10, left...), line(y, 400, right...)
		l.Words = append(l.Words, r.Words...)
		l.Box = l.Box.Union(r.Box)
		return l
	}
	p := &Page{Blocks: []Block{block(
		both(100, []string{"I", "make", "this", "declaration", "from", "my"}, []string{"Declarant"}),
		both(130, []string{"own", "knowledge.", "The", "notes", "were", "sent"}, []string{"Tamsin", "Everard"}),
		both(160, []string{"to", "my", "representative", "by", "post", "on"}, []string{"12", "Larkspur", "Lane"}),
		line(190, 10, "the", "next", "day."),
	)}}
	want := "I make this declaration from my\nown knowledge. The notes were sent\nto my representative by post on\nthe next day.\n\nDeclarant\nTamsin Everard\n12 Larkspur Lane"
	if got := p.Text().String; got != want {
		t.Errorf("columns: got %q, want %q", got, want)
	}
	// Prose with ordinary word gaps, and a block with one wide gap only
	// (a signature line): as they are.
	long := []string{"the", "patient", "reports", "poor", "sleep", "and", "low"}
	p = &Page{Blocks: []Block{block(line(100, 10, long...), line(130, 10, long...), both(160, []string{"Signed:"}, []string{"Tamsin", "Everard"}))}}
	if got := p.Text().String; strings.Contains(got, "\n\n") {
		t.Errorf("prose split: %q", got)
	}
}

// A file of several pages is read by one process, whose budget is one
// page's per page (Options.Pages): a two-page TIFF on a busy machine is
// not cut off at one page's time.
func TestRecognizeFileBudgetPerPage(t *testing.T) {
	header := `printf 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n'`
	slow := NewTesseract(TesseractOptions{Path: fakeTesseract(t, "sleep 1.5; "+header), Budget: time.Second})
	ctx := context.Background()
	if _, err := slow.RecognizeFile(ctx, []byte("two pages"), Options{}); !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "1s") {
		t.Errorf("one page's budget: %v, want a timeout after 1s", err)
	}
	if _, err := slow.RecognizeFile(ctx, []byte("four pages"), Options{Pages: 4}); err != nil {
		t.Errorf("four pages' budget: %v", err)
	}
}

// A process that never ends is stopped whatever it does (here a busy
// loop, charged the time it runs; the time it waits for a core on a busy
// machine is not charged, up to maxWaitFactor times the budget).
// runQueueWait reads a live process's wait on Linux.
func TestBudgetStopsBusyLoop(t *testing.T) {
	if _, ok := runQueueWait(os.Getpid()); !ok {
		if runtime.GOOS == "linux" {
			t.Fatal("no schedstat for this process")
		}
		t.Skip("no /proc schedstat here: the budget is wall time")
	}
	busy := NewTesseract(TesseractOptions{Path: fakeTesseract(t, "while :; do :; done"), Budget: 300 * time.Millisecond})
	_, err := busy.Recognize(context.Background(), image.NewGray(image.Rect(0, 0, 20, 20)), Options{})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "300ms") {
		t.Errorf("busy loop: %v", err)
	}
}
