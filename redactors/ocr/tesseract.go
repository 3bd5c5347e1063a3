package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"
)

// Tesseract is the Engine backed by the tesseract command (Debian's
// tesseract-ocr, 5.x). Each page is one process fed through a pipe (no
// temporary file holds the image), with its own time budget: a crash or a
// hang fails that page only. The image goes in as a grey-scale PNM and the
// words come back as TSV.
//
// A Tesseract is safe for concurrent use; all callers share its limit on
// concurrent pages. The zero value is not usable: use NewTesseract or
// Default.
type Tesseract struct {
	path   string        // the command ("" = look up "tesseract" on PATH)
	budget time.Duration // per page
	sem    chan struct{}

	peakRSS atomic.Int64 // largest resident set of a tesseract process, bytes

	once   sync.Once
	bin    string
	langs  map[string]bool
	errRun error
}

// TesseractOptions configure NewTesseract.
type TesseractOptions struct {
	// Path is the tesseract command; "" looks up "tesseract" on PATH.
	Path string
	// Budget is the time one page may take; 0 means DefaultBudget.
	Budget time.Duration
	// Concurrency is how many pages run at once; 0 means the number of
	// CPUs. Each process runs one thread (OMP_THREAD_LIMIT=1): pages in
	// parallel use the cores better than threads within a page.
	Concurrency int
}

// DefaultBudget is the time one page may take by default: a 300-dpi letter
// page takes 1–3 s on one core.
const DefaultBudget = 60 * time.Second

var _ Engine = (*Tesseract)(nil)

// NewTesseract returns an engine. It does not look for the command yet:
// the first Recognize (or Check) does, so that a program without OCR
// still starts and only the images fail.
func NewTesseract(o TesseractOptions) *Tesseract {
	if o.Budget <= 0 {
		o.Budget = DefaultBudget
	}
	if o.Concurrency <= 0 {
		o.Concurrency = runtime.NumCPU()
	}
	return &Tesseract{path: o.Path, budget: o.Budget, sem: make(chan struct{}, o.Concurrency)}
}

var defaultEngine = sync.OnceValue(func() *Tesseract { return NewTesseract(TesseractOptions{}) })

// Default returns the process-wide engine, shared by every format so that
// one concurrency limit holds for all OCR of the program.
func Default() *Tesseract { return defaultEngine() }

// PeakRSS returns the largest resident memory of one tesseract process so
// far, in bytes (the processes run outside the Go heap).
func (t *Tesseract) PeakRSS() int64 { return t.peakRSS.Load() }

// Budget returns the per-page time budget.
func (t *Tesseract) Budget() time.Duration { return t.budget }

var langRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)

// find locates the command and its installed languages, once.
func (t *Tesseract) find() error {
	t.once.Do(func() {
		name := t.path
		if name == "" {
			name = "tesseract"
		}
		bin, err := exec.LookPath(name)
		if err != nil {
			t.errRun = fmt.Errorf("%w: tesseract not found (install tesseract-ocr: scripts/setup)", ErrUnavailable)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, bin, "--list-langs")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.errRun = fmt.Errorf("%w: tesseract --list-langs: %v", ErrUnavailable, err)
			return
		}
		t.bin, t.langs = bin, map[string]bool{}
		for _, l := range strings.Split(out.String(), "\n") {
			if l = strings.TrimSpace(l); langRe.MatchString(l) {
				t.langs[l] = true
			}
		}
	})
	return t.errRun
}

// Check reports whether the engine runs and has every language: nil, or an
// error wrapping ErrUnavailable or ErrLanguage that names what to install.
func (t *Tesseract) Check(langs []string) error {
	if err := t.find(); err != nil {
		return err
	}
	if len(langs) == 0 {
		langs = DefaultLanguages
	}
	var missing []string
	for _, l := range langs {
		if !langRe.MatchString(l) || !t.langs[l] {
			missing = append(missing, strconv.Quote(l))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: %s (install tesseract-ocr-LANG; installed: %s)", ErrLanguage, strings.Join(missing, ", "), strings.Join(t.Languages(), " "))
	}
	return nil
}

// Languages returns the installed language codes, sorted (nil when the
// engine is not available).
func (t *Tesseract) Languages() []string {
	if t.find() != nil {
		return nil
	}
	var out []string
	for l := range t.langs {
		if l != "osd" {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// Recognize implements Engine.
func (t *Tesseract) Recognize(ctx context.Context, img image.Image, o Options) (*Page, error) {
	langs := o.Languages
	if len(langs) == 0 {
		langs = DefaultLanguages
	}
	if err := t.Check(langs); err != nil {
		return nil, err
	}
	b := img.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("%w: empty image", ErrFailed)
	}
	mode := o.Mode
	if mode == 0 {
		mode = ModeAuto
	}
	charge(ctx, 1)
	select {
	case t.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, checkContext(ctx)
	}
	defer func() { <-t.sem }()
	pnm := grayPNM(img)
	page, err := t.run(ctx, pnm, langs, o.DPI, mode)
	if err != nil {
		return nil, err
	}
	page.Width, page.Height, page.DPI = b.Dx(), b.Dy(), o.DPI
	page.Languages = append([]string(nil), langs...)
	// Tesseract's coordinates start at the image's corner.
	if b.Min != (image.Point{}) {
		page.translate(b.Min)
	}
	return page, nil
}

// RecognizeFile reads an encoded image file (PNG, JPEG, TIFF…) with the
// engine's own decoders (Leptonica with libpng, libjpeg, libtiff), not
// Veil's: the independent reading of verify. A multi-page TIFF gives one
// Page per page. Width and Height are 0 (the engine does not report them).
func (t *Tesseract) RecognizeFile(ctx context.Context, data []byte, o Options) ([]*Page, error) {
	langs := o.Languages
	if len(langs) == 0 {
		langs = DefaultLanguages
	}
	if err := t.Check(langs); err != nil {
		return nil, err
	}
	mode := o.Mode
	if mode == 0 {
		mode = ModeAuto
	}
	charge(ctx, 1) // the first page; the others once they are known
	select {
	case t.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, checkContext(ctx)
	}
	defer func() { <-t.sem }()
	pages, err := t.runPages(ctx, data, langs, o.DPI, mode, max(o.Pages, 1))
	if err != nil {
		return nil, err
	}
	charge(ctx, len(pages)-1)
	for _, p := range pages {
		p.DPI = o.DPI
		p.Languages = append([]string(nil), langs...)
	}
	return pages, nil
}

func (t *Tesseract) run(ctx context.Context, input []byte, langs []string, dpi int, mode Mode) (*Page, error) {
	pages, err := t.runPages(ctx, input, langs, dpi, mode, 1)
	if err != nil {
		return nil, err
	}
	switch len(pages) {
	case 0:
		return &Page{}, nil
	case 1:
		return pages[0], nil
	}
	return nil, fmt.Errorf("%w: %d pages from one image", ErrFailed, len(pages))
}

// runPages runs one tesseract process over input, which holds n pages:
// its budget is n times the per-page budget.
func (t *Tesseract) runPages(ctx context.Context, input []byte, langs []string, dpi int, mode Mode, n int) ([]*Page, error) {
	budget := t.budget * time.Duration(n)
	ctx, cancel := context.WithTimeoutCause(ctx, budget*maxWaitFactor, errOverBudget)
	defer cancel()
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	args := []string{"stdin", "stdout", "-l", strings.Join(langs, "+"), "--psm", strconv.Itoa(int(mode))}
	if dpi > 0 {
		args = append(args, "--dpi", strconv.Itoa(dpi))
	}
	args = append(args, "tsv")
	cmd := exec.CommandContext(ctx, t.bin, args...)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stdin = bytes.NewReader(input)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	cmd.WaitDelay = 2 * time.Second
	start := time.Now()
	err := cmd.Start()
	if err == nil {
		done := make(chan struct{})
		go watchBudget(cmd.Process.Pid, start, budget, done, stop)
		err = cmd.Wait()
		close(done)
	}
	elapsed := time.Since(start)
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			rss := ru.Maxrss * 1024 // kilobytes on Linux
			for old := t.peakRSS.Load(); rss > old && !t.peakRSS.CompareAndSwap(old, rss); old = t.peakRSS.Load() {
			}
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			if errors.Is(context.Cause(ctx), errOverBudget) {
				return nil, fmt.Errorf("%w (%s)", ErrTimeout, budget)
			}
			if e := checkContext(ctx); errors.Is(e, ErrTimeout) {
				return nil, fmt.Errorf("%w (%s)", ErrTimeout, budget)
			}
			return nil, ctx.Err()
		}
		// stderr may quote nothing of the page, but it is not ours to
		// pass on: name the exit only.
		return nil, fmt.Errorf("%w: tesseract: %s", ErrFailed, exitDesc(err))
	}
	pages, err := parseTSV(out.Bytes())
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		p.Elapsed = elapsed
	}
	return pages, nil
}

// The time budget of a tesseract process counts the time it runs or
// waits for anything but a CPU: the time it spends runnable on the
// kernel's run queue while other processes hold the cores (Linux's
// /proc/PID/task/*/schedstat, second field) is not charged, so that a
// page is not cut off because the machine is busy (a shared machine at a
// load of 30 on 2 cores gives a process a fifteenth of a core, and a page
// of 4 CPU seconds a minute of wall time). A process that hangs, sleeps
// or blocks is charged all of its time, as before. Without schedstat the
// budget is wall time. Whatever the load, a process is stopped after
// maxWaitFactor times its budget of wall time.
const (
	maxWaitFactor = 10
	budgetPoll    = 100 * time.Millisecond
)

// errOverBudget is the cause of a process stopped for its budget.
var errOverBudget = errors.New("over its budget")

// watchBudget stops the process pid (through stop) once the time it has
// been charged since start (runQueueWait) passes budget; it returns when
// done is closed.
func watchBudget(pid int, start time.Time, budget time.Duration, done <-chan struct{}, stop context.CancelCauseFunc) {
	tick := time.NewTicker(budgetPoll)
	defer tick.Stop()
	var waited time.Duration // the last reading: a process gone reads 0
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		if w, ok := runQueueWait(pid); ok {
			waited = max(waited, w)
		}
		if time.Since(start)-waited > budget {
			stop(errOverBudget)
			return
		}
	}
}

// runQueueWait returns how long the threads of process pid have waited
// on a run queue, from /proc/PID/task/*/schedstat; ok is false when that
// cannot be read.
func runQueueWait(pid int) (time.Duration, bool) {
	dir := "/proc/" + strconv.Itoa(pid) + "/task"
	tasks, err := os.ReadDir(dir)
	if err != nil || len(tasks) == 0 {
		return 0, false
	}
	var sum int64
	for _, tk := range tasks {
		b, err := os.ReadFile(dir + "/" + tk.Name() + "/schedstat")
		if err != nil {
			return 0, false
		}
		f := strings.Fields(string(b))
		if len(f) < 2 {
			return 0, false
		}
		ns, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return 0, false
		}
		sum += ns
	}
	return time.Duration(sum), true
}

// exitDesc describes how a process ended, without its output.
func exitDesc(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return "killed by " + ws.Signal().String()
		}
		return fmt.Sprintf("exit status %d", ee.ExitCode())
	}
	return "could not run"
}

// grayPNM encodes img as a binary PGM (P5), composited over white so that
// text on a transparent background stays visible.
func grayPNM(img image.Image) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	hdr := fmt.Sprintf("P5\n%d %d\n255\n", w, h)
	buf := make([]byte, len(hdr)+w*h)
	copy(buf, hdr)
	px := buf[len(hdr):]
	if g, ok := img.(*image.Gray); ok {
		for y := 0; y < h; y++ {
			copy(px[y*w:(y+1)*w], g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return buf
	}
	for y := 0; y < h; y++ {
		row := px[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			row[x] = GrayOverWhite(img.At(b.Min.X+x, b.Min.Y+y))
		}
	}
	return buf
}

// GrayOverWhite returns the luma of c composited over a white background.
func GrayOverWhite(c color.Color) uint8 {
	r, g, bl, a := c.RGBA() // premultiplied, 16-bit
	// over white: c + (1-a)·white
	r += 0xffff - a
	g += 0xffff - a
	bl += 0xffff - a
	y := (19595*r + 38470*g + 7471*bl + 1<<15) >> 24
	return uint8(y)
}

// parseTSV reads Tesseract's TSV output (level, page, block, par, line,
// word, left, top, width, height, conf, text). Every row must sit inside
// the row of the level above it.
func parseTSV(data []byte) ([]*Page, error) {
	var pages []*Page
	type key struct{ page, block, par, line int }
	var (
		cur                     *Page
		curPage                 = -1
		blk                     *Block
		par                     *Para
		ln                      *Line
		blkKey, parKey, lineKey key
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	first := true
	for sc.Scan() {
		row := sc.Text()
		if first {
			first = false
			if strings.HasPrefix(row, "level\t") {
				continue
			}
		}
		if row == "" {
			continue
		}
		f := strings.SplitN(row, "\t", 12)
		if len(f) < 11 {
			return nil, fmt.Errorf("%w: malformed TSV row", ErrFailed)
		}
		var n [10]int
		for i := 0; i < 10; i++ {
			v, err := strconv.Atoi(f[i])
			if err != nil || v < -1 || v > 1<<28 {
				return nil, fmt.Errorf("%w: malformed TSV number", ErrFailed)
			}
			n[i] = v
		}
		level := n[0]
		k := key{n[1], n[2], n[3], n[4]}
		box := image.Rect(n[6], n[7], n[6]+n[8], n[7]+n[9])
		if level < 1 || level > 5 {
			return nil, fmt.Errorf("%w: TSV level %d", ErrFailed, level)
		}
		if level == 1 || cur == nil || k.page != curPage {
			cur = &Page{}
			if level == 1 {
				cur.Width, cur.Height = n[8], n[9]
			}
			pages = append(pages, cur)
			curPage, blk, par, ln = k.page, nil, nil, nil
			if level == 1 {
				continue
			}
		}
		switch level {
		case 2:
			cur.Blocks = append(cur.Blocks, Block{Box: box})
			blk, par, ln, blkKey = &cur.Blocks[len(cur.Blocks)-1], nil, nil, k
		case 3:
			if blk == nil || k.block != blkKey.block {
				return nil, fmt.Errorf("%w: TSV paragraph outside its block", ErrFailed)
			}
			blk.Paras = append(blk.Paras, Para{Box: box})
			par, ln, parKey = &blk.Paras[len(blk.Paras)-1], nil, k
		case 4:
			if par == nil || k.block != parKey.block || k.par != parKey.par {
				return nil, fmt.Errorf("%w: TSV line outside its paragraph", ErrFailed)
			}
			par.Lines = append(par.Lines, Line{Box: box})
			ln, lineKey = &par.Lines[len(par.Lines)-1], k
		case 5:
			if ln == nil || k != lineKey {
				return nil, fmt.Errorf("%w: TSV word outside its line", ErrFailed)
			}
			text := ""
			if len(f) == 12 {
				text = strings.TrimSpace(f[11])
			}
			if text == "" || !utf8.ValidString(text) {
				continue
			}
			conf, err := strconv.ParseFloat(f[10], 64)
			if err != nil || math.IsNaN(conf) {
				return nil, fmt.Errorf("%w: malformed TSV confidence", ErrFailed)
			}
			ln.Words = append(ln.Words, Word{Text: text, Box: box, Conf: min(max(conf, 0), 100)})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: reading TSV: %v", ErrFailed, err)
	}
	for _, p := range pages {
		p.prune()
	}
	return pages, nil
}

// prune drops lines, paragraphs and blocks without words (Tesseract lists
// picture and separator regions as empty blocks).
func (p *Page) prune() {
	blocks := p.Blocks[:0]
	for _, b := range p.Blocks {
		paras := b.Paras[:0]
		for _, pa := range b.Paras {
			lines := pa.Lines[:0]
			for _, l := range pa.Lines {
				if len(l.Words) > 0 {
					lines = append(lines, l)
				}
			}
			if pa.Lines = lines; len(lines) > 0 {
				paras = append(paras, pa)
			}
		}
		if b.Paras = paras; len(paras) > 0 {
			blocks = append(blocks, b)
		}
	}
	p.Blocks = blocks
}

// translate moves every box by d.
func (p *Page) translate(d image.Point) {
	for bi := range p.Blocks {
		b := &p.Blocks[bi]
		b.Box = b.Box.Add(d)
		for pi := range b.Paras {
			pa := &b.Paras[pi]
			pa.Box = pa.Box.Add(d)
			for li := range pa.Lines {
				l := &pa.Lines[li]
				l.Box = l.Box.Add(d)
				for wi := range l.Words {
					l.Words[wi].Box = l.Words[wi].Box.Add(d)
				}
			}
		}
	}
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
